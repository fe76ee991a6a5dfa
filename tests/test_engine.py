"""The warm engine: papermill's ``tightrope`` engine gives each notebook a fresh kernel forked from
a pre-imported parent - no state passes between sections. (Same outputs as a kernel started the
ordinary way: test_pipeline.py::test_plain_papermill_runs_without_the_cli.)"""

import os
import subprocess
import sys
import time

import nbformat
import papermill as pm
import pytest

from analysis.kernel import ensure_kernel

pytestmark = pytest.mark.slow


def _notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "tightrope", "display_name": "Python (tightrope)",
                                 "language": "python"}
    return nb


def _run(nb, tmp_path, name, engine="tightrope", **kw):
    src, out = tmp_path / f"{name}-in.ipynb", tmp_path / f"{name}.ipynb"
    nbformat.write(nb, src)
    return pm.execute_notebook(str(src), str(out), kernel_name=ensure_kernel(),
                               engine_name=engine, progress_bar=False, **kw)


def _text(cell) -> str:
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "")
                   for o in cell.outputs)


def test_no_state_leaks_from_one_notebook_to_the_next(tmp_path):
    polluter = _notebook(
        "import os, sys, analysis, matplotlib as mpl\n"
        "from analysis import theme\n"
        "leaked_global = 1\n"
        "analysis.LEAKED = 1\n"
        "theme.ACTOR_COLOURS['Armenia'] = '#000000'\n"
        "mpl.rcParams['lines.linewidth'] = 9\n"
        "os.environ['TIGHTROPE_LEAK'] = '1'\n"
        "sys.modules['leaked_module'] = sys\n"
        "print(os.getpid())")
    checker = _notebook(
        "import os, sys, analysis, matplotlib as mpl\n"
        "from analysis import theme\n"
        "print(os.getpid())",
        "print('leaked_global' in globals(), hasattr(analysis, 'LEAKED'),\n"
        "      theme.ACTOR_COLOURS['Armenia'], mpl.rcParams['lines.linewidth'] == 9,\n"
        "      'TIGHTROPE_LEAK' in os.environ, 'leaked_module' in sys.modules)")
    first = _run(polluter, tmp_path, "polluter")
    second = _run(checker, tmp_path, "checker")
    assert _text(first.cells[0]).strip() != _text(second.cells[0]).strip(), "a new process"
    assert _text(second.cells[1]).split() == ["False", "False", "#E69F00", "False", "False",
                                              "False"]


def test_kernel_is_a_real_ipykernel_and_errors_are_reported(tmp_path):
    nb = _notebook("import sys; print(type(get_ipython()).__name__)", "1 / 0", "print('never')")
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run(nb, tmp_path, "failing")
    assert info.value.ename == "ZeroDivisionError" and info.value.exec_count == 2
    out = nbformat.read(tmp_path / "failing.ipynb", as_version=4)
    code = [c for c in out.cells if c.cell_type == "code"]
    assert _text(code[0]).strip() == "ZMQInteractiveShell"
    assert code[-1].outputs == []


def test_papermill_command_line_knows_the_engine(tmp_path):
    nb = _notebook("print(21 * 2)")
    src = tmp_path / "in.ipynb"
    nbformat.write(nb, src)
    run = subprocess.run([sys.executable, "-m", "papermill", str(src), str(tmp_path / "o.ipynb"),
                          "--engine", "tightrope", "-k", ensure_kernel(), "--no-progress-bar"],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "42" in (tmp_path / "o.ipynb").read_text()
    assert "KeyboardInterrupt" not in run.stderr and "WARNING" not in run.stderr


def test_forked_kernels_start_lean_and_clean(tmp_path):
    """A section's kernel serves no debugger and keeps no input history (neither is of use in a
    batch run, and both cost every kernel start), starts with no figure open (the engine draws
    one chart before forking, to load the fonts once), can still import debugpy, and finds the
    objects it inherited frozen out of its garbage collections."""
    nb = _notebook(
        "import sys\nimport matplotlib.pyplot as plt\n"
        "from ipykernel import debugger\n"
        "print(debugger._is_debugpy_available, get_ipython().history_manager.enabled,\n"
        "      plt.get_fignums())",
        "import importlib.util; print(importlib.util.find_spec('debugpy') is not None)",
        "import gc; print(gc.get_freeze_count() > 100_000)")
    out = _run(nb, tmp_path, "lean")
    assert _text(out.cells[0]).split() == ["False", "False", "[]"]
    assert _text(out.cells[1]).strip() == "True"
    # what the kernel inherited is frozen: its collections skip (and do not copy) those pages
    assert _text(out.cells[2]).strip() == "True"


def test_modules_warm_in_the_engine_only_after_the_last_kernel_is_forked(tmp_path):
    """The exporters load into the engine once the build's last kernel has been forked (so no
    kernel carries them), in the background, not before."""
    from analysis.engine.pool import WarmPool

    pool = WarmPool()
    kernels = []
    try:
        pool.warm_after_kernels(2, ["analysis.export.html_exporter"])
        for n in range(2):
            assert "analysis.export.html_exporter" not in pool.warmed
            kernels.append(pool.fork_kernel(str(tmp_path / f"kernel-{n}.json")))
        deadline = time.monotonic() + 60
        while "analysis.export.html_exporter" not in pool.warmed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "analysis.export.html_exporter" in pool.warmed
    finally:
        for kernel in kernels:
            kernel.kill()
        pool.close()


def test_kernels_inherit_what_the_engine_computed_for_the_edition(tmp_path):
    """A build preloads the edition's parameters: the engine computes the findings and the share
    series once, and a section's kernel finds them instead of computing them again."""
    from analysis import params
    from analysis.engine.pool import shared_pool

    p = params.resolve({"as_of": "2022-06-30"}, strict=False)
    shared_pool().preload(p.data_dir, None, (p.as_of.isoformat(), p.start_year, p.end_year),
                          params=p.to_notebook())
    nb = _notebook(
        "from analysis import findings, params\nfrom analysis.measures import shares\n"
        "from analysis.report import SectionContext\n"
        "def refuse(*args):\n    raise AssertionError('computed again in the kernel')\n"
        "findings.compute = shares.series = refuse",
        f"s = SectionContext('04', params.resolve({p.to_notebook()!r}, strict=False))\n"
        "print(sorted(s.findings.dependence), len(s.share_series('trade')) > 0)")
    out = _run(nb, tmp_path, "inherit")
    assert _text(out.cells[1]).split() == ["['arms',", "'gas',", "'remittances',", "'trade']",
                                           "True"]


def test_the_engine_answers_calls_while_it_still_imports(tmp_path):
    """A new engine answers calls (the command resolving its parameters) before it has loaded
    every module; what needs them (a preload, a fork) waits, and whatever was asked after it
    waits too: the replies come in the order asked."""
    import threading

    from analysis.engine.pool import WarmPool

    arrivals = []

    class Arrivals(dict):  # the reader files each reply here as it arrives: note the order
        def __setitem__(self, ident, message):
            arrivals.append(ident)
            super().__setitem__(ident, message)

    pool = WarmPool(python=sys.executable)  # a new interpreter: it starts with nothing imported
    pool._replies = Arrivals()
    try:
        assert pool._request("ping")["warm"] is False
        facts = pool.call_here("analysis.evidence:edition_facts", None)
        assert facts["latest"] and "Russia" in facts["countries"]
        preload = threading.Thread(target=pool.preload, args=(None,))
        preload.start()
        while pool._next_id < 3:  # the preload is on its way
            time.sleep(0.001)
        pool.call_here("analysis.evidence:edition_facts", None)  # asked after it: id 4
        preload.join()
        assert arrivals == [1, 2, 3, 4]  # the engine replied to the preload first
        assert pool._request("ping")["warm"] is True
    finally:
        pool.close()


def test_an_engine_told_that_no_kernel_is_coming_loads_their_modules_only_for_one(
        tmp_path, monkeypatch):
    """A build whose sections all reuse their outputs only merges and exports: told so while
    it still imports, the engine stops before what kernels need (matplotlib's figures, seaborn,
    ipykernel) and answers at once. A kernel asked for after all gets them loaded first, and
    starts as any: figures shown inline, inherited objects frozen."""
    from analysis.engine import pool as engine

    pool = engine.WarmPool(python=sys.executable)  # a new interpreter: nothing imported yet
    try:
        pool.call_here("analysis.evidence:edition_facts", None)  # the command's first question
        assert pool.lean() is True
        pool.preload(None)
        assert pool._request("ping")["kernels"] is False
        monkeypatch.setattr(engine, "_shared", pool)
        out = _run(_notebook(
            "import gc, sys\nimport matplotlib.pyplot as plt\n"
            "print('seaborn' in sys.modules, gc.get_freeze_count() > 100_000)",
            "plt.plot([1, 2])"), tmp_path, "after-lean")
        assert _text(out.cells[0]).split() == ["True", "True"]
        assert any("image/png" in o.get("data", {}) for o in out.cells[1].outputs)
        assert pool._request("ping")["kernels"] is True
        assert pool.lean() is False  # too late now: nothing changes
    finally:
        pool.close()


def test_an_engine_that_never_forked_is_stopped_at_once():
    """A command that stops at a mistake before any section ran does not wait for its engine
    to finish importing: an engine that never forked is killed; one that did ends its
    children and exits by itself."""
    import signal

    from analysis.engine.pool import WarmPool

    idle = WarmPool(python=sys.executable)
    idle.close()
    assert idle._proc.returncode == -signal.SIGKILL
    used = WarmPool(python=sys.executable)
    assert used.call("os:getpid") != used._proc.pid
    used.close()
    assert used._proc.returncode == 0


def test_a_caller_capturing_its_output_still_gets_kernels(tmp_path):
    """The command run inside a process whose sys.stdout is a StringIO (a harness capturing
    what it prints) forks its engine from that process: the kernels still start (they capture
    the real descriptors) and the captured text is the command's."""
    code = ("import contextlib, io\n"
            "from analysis.cli import main\n"
            "buffer = io.StringIO()\n"
            "with contextlib.redirect_stdout(buffer):\n"
            f"    code = main(['build', '--out', {str(tmp_path)!r}, '--sections', '02',\n"
            "                 '--format', 'html'])\n"
            "print(code, 'Report ready' in buffer.getvalue())\n")
    # outside pytest: ipykernel captures the descriptors only when PYTEST_CURRENT_TEST is unset
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, timeout=300, env=env)
    assert run.stdout.split() == ["0", "True"], run.stderr[-2000:]


def test_someone_elses_matplotlib_notebook_runs_as_on_a_plain_kernel(tmp_path):
    """A notebook that plots with pyplot and no magic gets its figures as images, with
    matplotlib's own defaults, as on a kernel papermill starts itself (the engine imported
    pyplot before any kernel shell existed, and drew one chart in the report's theme)."""
    nb = _notebook("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);",
                   "fig = plt.figure()\nplt.plot([3, 2, 1])\nplt.show()",
                   "import matplotlib\nprint(matplotlib.rcParams['figure.figsize'], "
                   "matplotlib.rcParams['font.family'])")
    seen = {}
    for engine in ("tightrope", "nbclient"):
        out = _run(nb, tmp_path, engine, engine=engine)
        seen[engine] = ([sorted(k for o in c.outputs for k in o.get("data", {}))
                         for c in out.cells[:2]], _text(out.cells[2]))
    assert seen["tightrope"] == seen["nbclient"]
    assert all("image/png" in kinds for kinds in seen["tightrope"][0])


def test_papermill_with_only_an_early_as_of_runs_a_section(tmp_path):
    """papermill injects only what it is given: the parameters cell's start_year is None
    ('2000, or the year of as_of if earlier'), so as_of 1995 alone is a valid edition (a
    hard-coded 2000 made it 'start_year 2000 is outside the range')."""
    from conftest import ROOT

    out = pm.execute_notebook(str(ROOT / "notebooks" / "02_roots_of_discontent.ipynb"),
                              str(tmp_path / "out.ipynb"), kernel_name=ensure_kernel(),
                              engine_name="tightrope", progress_bar=False,
                              parameters={"as_of": "1995-06-01"}, cwd=str(ROOT / "notebooks"))
    kinds = [o.get("output_type") for c in out.cells for o in c.get("outputs", [])]
    assert "error" not in kinds and ("display_data" in kinds or "execute_result" in kinds)
