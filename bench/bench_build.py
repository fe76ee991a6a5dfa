"""Benchmark the build against its floors, interleaved, and print the ratios issue 12 targets.

    .venv/bin/python bench/bench_build.py [--rounds 3] [--skip naive,batch] [--keep DIR]

Each round runs, one after another in fresh processes (so every measurement sees the same
machine load as the others in its round):

  import   python -c "import pandas, matplotlib.pyplot, seaborn"             (the import floor)
  plain    every notebook's cells in order in ONE process, then the same HTML + PDF export
           (implemented below by reading notebooks/ - it stays in step with them)
  cold     tightrope build --force                           (8 sections, HTML + PDF)
  noop     tightrope build                   (nothing changed: must leave the report as it is)
  one      tightrope build after one notebook's code changed (that section runs, merge + export)
  text     tightrope build after one notebook's text alone changed (no kernel: merge + export)
  naive    papermill per notebook in sequence + one `jupyter nbconvert --to html`
  batch    tightrope batch with 4 editions (4 as_of dates, HTML + PDF)

and reports CPU seconds (user + system, children included) and wall seconds, medians over the
rounds, plus the peak memory of each measured process tree (RSS summed over its processes, and
PSS, which counts pages shared by forked processes once). Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ROOT / "notebooks"
BATCH_DATES = ["2021-01-01", "2022-06-30", "2023-09-15", "2024-12-31"]
#: the "tightrope" command, with the notebooks folder pointed at a scratch copy (so the bench can
#: change one notebook without touching the repository)
CLI = ("import sys; from pathlib import Path; from analysis import paths; "
       "paths.NOTEBOOKS_DIR = Path(sys.argv[1]); from analysis.cli import main; "
       "sys.exit(main(sys.argv[2:]))")


# ------------------------------------------------------------------ the plain single-process floor

def plain_floor(out: Path) -> None:
    """Run every section notebook's cells in order in this one process (each notebook in a fresh
    namespace, its parameters injected after the parameters cell as papermill does), keep the
    outputs the kernel would have shown, then merge and export HTML and PDF as the build does."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import analysis  # noqa: F401,I001 - first: defers rfc3987-syntax like every tightrope process
    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from analysis.bibliography import bibliography, used_source_ids
    from analysis.build import export_format
    from analysis.evidence import edition_date, file_hashes, load_cut
    from analysis.manifest import colophon, git_revision, package_versions
    from analysis.merge import merge
    from analysis.params import resolve
    from analysis.sections import SECTIONS

    p = resolve({})
    formatter = DisplayFormatter()
    _capture_display(formatter, nbformat)
    executed = []
    injected = "\n".join(f"{k} = {v!r}" for k, v in p.to_notebook().items())
    for spec in SECTIONS:
        nb = nbformat.read(NOTEBOOKS / spec.notebook, as_version=4)
        namespace: dict = {"__name__": "__main__"}
        cells, count = [], 0
        for cell in nb.cells:
            cells.append(cell)
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = _run_cell(cell.source, namespace, formatter, count, nbformat)
            if "parameters" in cell.metadata.get("tags", []):
                extra = nbformat.v4.new_code_cell(injected, metadata={
                    "tags": ["injected-parameters"]})
                count += 1
                extra.execution_count = count
                extra.outputs = _run_cell(injected, namespace, formatter, count, nbformat)
                cells.append(extra)
        nb.cells = cells
        executed.append((spec, nb))
    tables = load_cut(p.data_dir, p.as_of, p.start_year, p.end_year)
    versions, (commit, commit_date) = package_versions(), git_revision()
    meta = {"date": edition_date(tables, p.as_of).isoformat(), "as_of": p.as_of.isoformat(),
            "params": [[k, v] for k, v in p.to_display().items()],
            "colophon": colophon(commit, file_hashes(p.data_dir), versions, commit_date)}
    used = used_source_ids(nb for _, nb in executed)
    report = merge(executed, meta, bibliography(tables, p.as_of, used))
    out.mkdir(parents=True, exist_ok=True)
    nbformat.write(report, out / "report.ipynb")
    for kind in ("html", "pdf"):
        export_format(kind, str(out / "report.ipynb"), str(out))


_DISPLAYED: list = []  # display_data outputs of the cell running now


def _capture_display(formatter, nbformat) -> None:
    """``IPython.display.display`` as a kernel does it: each object formatted into a
    display_data output of the running cell (without a kernel it would only be printed)."""
    import IPython.core.display_functions
    import IPython.display

    def display(*objs, **kwargs):
        for obj in objs:
            data, metadata = formatter.format(obj)
            _DISPLAYED.append(nbformat.v4.new_output("display_data", data=data,
                                                     metadata=metadata))

    IPython.core.display_functions.display = IPython.display.display = display


def _run_cell(source: str, namespace: dict, formatter, count: int, nbformat) -> list:
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    stdout = io.StringIO()
    _DISPLAYED.clear()
    with contextlib.redirect_stdout(stdout):
        exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the notebooks' own code
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) \
            if last else None
    outputs = []
    if stdout.getvalue():
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=stdout.getvalue()))
    outputs += _DISPLAYED
    if value is not None:
        data, metadata = formatter.format(value)
        outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata,
                                              execution_count=count))
    return outputs


# ------------------------------------------------------------------ measuring

class _Peak(threading.Thread):
    """Peak RSS and PSS summed over a process and its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.rss, self.pss, self.stop = pid, 0, 0, threading.Event()

    def run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            rss = pss = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            self.stop.wait(0.05)


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = _Peak(proc.pid)
    peak.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak.stop.set()
    peak.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{output[-3000:]}")
    return {"cpu": cpu, "wall": wall, "rss": peak.rss, "pss": peak.pss, "output": output}


def one_round(work: Path, skip: set[str]) -> dict[str, dict]:
    py = sys.executable
    notebooks = work / "notebooks"
    shutil.rmtree(notebooks, ignore_errors=True)
    shutil.copytree(NOTEBOOKS, notebooks)
    reports = work / "reports"
    shutil.rmtree(reports, ignore_errors=True)
    cli = [py, "-c", CLI, str(notebooks)]
    runs: dict[str, dict] = {}
    runs["import"] = measure([py, "-c", "import pandas, matplotlib.pyplot, seaborn"], work)
    shutil.rmtree(work / "plain", ignore_errors=True)
    runs["plain"] = measure([py, __file__, "--plain", str(work / "plain")], work)
    runs["cold"] = measure([*cli, "build", "--force", "--out", str(reports)], work)
    same_html = _same_html(work / "plain", reports)  # before "one" changes a notebook
    runs["noop"] = measure([*cli, "build", "--out", str(reports)], work)
    # one section changed: a comment added to a code cell of section 5 (it runs again), then a
    # word added to a Markdown cell of the same section (its outputs are reused)
    nb_path = notebooks / "05_balancing_act.ipynb"
    for name, kind, added in (("one", "code", "  # bench"), ("text", "markdown", " (bench)")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        cell = [c for c in nb["cells"][1:] if c["cell_type"] == kind][-1]
        cell["source"] = ["".join(cell["source"]) + added]
        nb_path.write_text(json.dumps(nb, indent=1) + "\n", encoding="utf-8")
        runs[name] = measure([*cli, "build", "--out", str(reports)], work)
    shutil.copy2(NOTEBOOKS / nb_path.name, nb_path)
    if "naive" not in skip:
        naive = work / "naive"
        shutil.rmtree(naive, ignore_errors=True)
        naive.mkdir()
        script = " && ".join(
            f"{BIN / 'papermill'} {NOTEBOOKS / n.name} {naive / n.name} --no-progress-bar "
            f"-k tightrope" for n in sorted(NOTEBOOKS.glob("*.ipynb")))
        script += f" && {BIN / 'jupyter'} nbconvert --to html {naive}/*.ipynb"
        runs["naive"] = measure(["bash", "-c", script], NOTEBOOKS)
    if "batch" not in skip:
        plan = work / "editions.toml"
        plan.write_text("[grid]\nas_of = [" + ", ".join(f'"{d}"' for d in BATCH_DATES) + "]\n",
                        encoding="utf-8")
        runs["batch"] = measure([*cli, "batch", str(plan), "--force", "--out",
                                 str(work / "batch")], work)
    runs["_same_html"] = {"value": same_html}
    return runs


def _same_html(plain: Path, reports: Path) -> bool:
    built = next((p for p in reports.iterdir() if p.is_dir() and not p.name.startswith(".")),
                 None)
    return bool(built) and (plain / "report.html").read_bytes() == (built / "report.html") \
        .read_bytes()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated: naive,batch")
    ap.add_argument("--keep", metavar="DIR", help="work here and keep the outputs")
    ap.add_argument("--plain", metavar="OUT", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.plain:
        plain_floor(Path(args.plain))
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = Path(args.keep or tempfile.mkdtemp(prefix="tightrope-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rounds = []
    for i in range(args.rounds):
        runs = one_round(work, skip)
        rounds.append(runs)
        print(f"round {i + 1}/{args.rounds}: " + ", ".join(
            f"{k} {v['cpu']:.1f}/{v['wall']:.1f}" for k, v in runs.items() if "cpu" in v),
            "(CPU s/wall s)", flush=True)
    names = [k for k in rounds[0] if not k.startswith("_")]
    med = {k: {m: statistics.median(r[k][m] for r in rounds) for m in ("cpu", "wall")}
           for k in names}
    peak = {k: (max(r[k]["rss"] for r in rounds), max(r[k]["pss"] for r in rounds))
            for k in names}
    load = os.getloadavg()
    print(f"\nmedians of {args.rounds} round(s); load average now {load[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"{'what':<8} {'CPU s':>8} {'wall s':>8} {'peak RSS MiB':>13} {'peak PSS MiB':>13}")
    for k in names:
        print(f"{k:<8} {med[k]['cpu']:>8.2f} {med[k]['wall']:>8.2f} "
              f"{peak[k][0] / 2**20:>13.0f} {peak[k][1] / 2**20:>13.0f}")
    c, pl, im = med["cold"], med["plain"], med["import"]
    checks = [
        ("cold CPU / plain CPU", c["cpu"] / pl["cpu"], "<= 1.25"),
        ("cold wall / plain wall", c["wall"] / pl["wall"], "<= 0.75"),
        ("plain CPU / import CPU", pl["cpu"] / im["cpu"], "<= 4"),
        ("no-op wall (s)", med["noop"]["wall"], "<= 0.5"),
        ("one-section CPU / cold CPU", med["one"]["cpu"] / c["cpu"], "<= 0.35"),
        ("text-only edit CPU / cold CPU", med["text"]["cpu"] / c["cpu"], "(info)"),
        ("cold peak RSS (MiB, summed)", peak["cold"][0] / 2**20, "<= 400"),
        ("cold peak PSS (MiB, summed)", peak["cold"][1] / 2**20, "(shared pages once)"),
    ]
    if "batch" in med:
        marginal = (med["batch"]["cpu"] - c["cpu"]) / (len(BATCH_DATES) - 1)
        checks.append(("extra edition CPU / cold CPU", marginal / c["cpu"], "<= 0.6"))
    if "naive" in med:
        checks.append(("naive chain CPU / cold CPU", med["naive"]["cpu"] / c["cpu"], "(info)"))
    print("\nratio" + " " * 30 + "value   target")
    for name, value, target in checks:
        print(f"{name:<34} {value:>6.2f}   {target}")
    same = all(r["_same_html"]["value"] for r in rounds)
    print(f"\nplain floor's report.html byte-identical to the build's: {same}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
