"""The build pipeline end to end on section 2, and a failing section that must lose nothing."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from analysis import paths
from analysis.errors import SectionFailed
from analysis.sections import SECTIONS
from conftest import ROOT, run_cli, run_cli_here

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(article_edition):
    return article_edition.folder, article_edition.stdout


def test_build_writes_executed_notebook_report_and_manifest(built):
    folder, stdout = built
    assert (folder / "notebooks" / "02_roots_of_discontent.ipynb").exists()
    assert (folder / "report.html").exists() and (folder / "manifest.json").exists()
    assert re.search(r"\[\d/\d\] 02 The roots of discontent: done in", stdout)


def test_report_html_has_title_captions_sources_and_no_code(built):
    html = (built[0] / "report.html").read_text(encoding="utf-8")
    assert "2. The roots of discontent" in html
    assert "Figure 2.1.</span> The conflict over Nagorno-Karabakh" in html
    assert "Figure 2.2.</span> Military spending as a share of GDP" in html
    assert html.count('class="tr-source"') >= 3
    assert "SIPRI" in html
    assert "start_section" not in html and "from analysis" not in html  # no code input
    assert "<script" not in html  # nothing executable, one portable file
    assert 'src="http' not in html and "href=\"http://fonts" not in html


def test_the_subtitle_names_the_shift_only_once_the_edition_knows_it(built, built_report):
    """The edition of the article's date (15 September 2023) knows none of the changes the
    later editions read as the shift: its title page and citation say 'reliance, hedging and
    their cost', not 'the shift from reliance to hedging' (an outside reader: it asserted an
    outcome the report itself dates to 2024–2025)."""
    from analysis.merge import SUBTITLE, SUBTITLE_BEFORE

    for folder, subtitle in ((built[0], SUBTITLE_BEFORE), (built_report, SUBTITLE)):
        report = json.loads((folder / "report.ipynb").read_text(encoding="utf-8"))
        assert report["metadata"]["tightrope"]["subtitle"] == subtitle
        html = (folder / "report.html").read_text(encoding="utf-8")
        other = SUBTITLE if subtitle == SUBTITLE_BEFORE else SUBTITLE_BEFORE
        assert html.count(subtitle.split(": ")[1]) >= 2 and other.split(": ")[1] not in html


def test_manifest_records_parameters_hashes_versions_commit_and_timings(built):
    manifest = json.loads((built[0] / "manifest.json").read_text())
    assert manifest["parameters"]["as_of"] == "2023-09-15"
    assert manifest["inputs"]["data"]["events.csv"].startswith("sha256:")
    assert "02_roots_of_discontent.ipynb" in manifest["inputs"]["notebooks"]
    assert manifest["versions"]["papermill"] and manifest["commit"]
    assert all(s["seconds"] > 0 and s["status"] == "ok" for s in manifest["sections"])
    assert manifest["outputs"]["html"]["bytes"] > 10_000


def test_failing_section_keeps_previous_report_and_names_the_cell(built, copy_of_build, tmp_path,
                                                                   monkeypatch):
    from analysis.build import build
    from analysis.params import resolve
    from analysis.sections import select

    folder = copy_of_build(built[0])
    before = (folder / "report.html").read_bytes()
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    broken = nbformat.read(paths.NOTEBOOKS_DIR / "02_roots_of_discontent.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell("raise ValueError('deliberate failure')"))
    nbformat.write(broken, notebooks / "02_roots_of_discontent.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)

    with pytest.raises(SectionFailed) as info:
        build(resolve({"as_of": "2023-09-15"}), select(["02"]), out_root=folder.parent,
              formats=("html",), progress=lambda line: None)
    message = str(info.value)
    assert "02_roots_of_discontent.ipynb, cell 4 (execution count" in message  # counted from 1
    assert "ValueError: deliberate failure" in message
    assert (folder / "report.html").read_bytes() == before
    partial = folder.parent / "armenia-2023-09-15-failed" / "02_roots_of_discontent.ipynb"
    assert partial.exists()
    kinds = [o.get("output_type") for c in nbformat.read(partial, as_version=4).cells
             if c.cell_type == "code" for o in c.get("outputs", [])]
    assert "error" in kinds
    shutil.rmtree(partial.parent)


def test_plain_papermill_runs_without_the_cli(tmp_path, built):
    """Plain papermill (its default engine, a kernel started the ordinary way) works, and gives
    the same outputs, byte for byte, as the build's warm engine."""
    out = tmp_path / "out.ipynb"
    notebook = "02_roots_of_discontent.ipynb"
    run = subprocess.run([sys.executable, "-m", "papermill", str(ROOT / "notebooks" / notebook),
                          str(out), "-p", "as_of", "2023-09-15", "--no-progress-bar"],
                         capture_output=True, text=True, cwd=tmp_path, check=False,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Figure 2.1" in out.read_text(encoding="utf-8")
    plain, warm = (nbformat.read(p, as_version=4) for p in (out, built[0] / "notebooks" / notebook))
    assert [c.get("outputs") for c in plain.cells] == [c.get("outputs") for c in warm.cells]


def test_nothing_changed_leaves_the_report_as_it_is(built, copy_of_build):
    folder = copy_of_build(built[0])
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    run = run_cli("build", "--out", str(folder.parent), "--as-of", "2023-09-15", "--format",
                  "html")
    assert "Report up to date" in run.stdout and "nothing to do" in run.stdout
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_a_damaged_output_is_rebuilt_from_the_unchanged_sections(built, copy_of_build):
    folder = copy_of_build(built[0])
    (folder / "report.html").write_text("damaged", encoding="utf-8")
    run = run_cli_here("build", "--out", str(folder.parent), "--as-of", "2023-09-15", "--format",
                       "html")
    assert run.returncode == 0, run.stderr
    assert "Report up to date" not in run.stdout
    assert run.stdout.count("unchanged, reused") == len(SECTIONS), run.stdout
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html == (built[0] / "report.html").read_text(encoding="utf-8")


def test_sections_start_longest_first(tmp_path):
    """The previous build's seconds decide the order (the longest first, so that no kernel runs
    alone at the end); without a record, the short key findings and the appendix come last."""
    from analysis.build import longest_first
    from analysis.sections import SECTIONS

    fresh = [s.key for s in longest_first(list(SECTIONS), None)]
    assert fresh[:7] == ["01", "02", "03", "04", "05", "06", "07"] and set(fresh[7:]) == {"00", "08"}
    seconds = {"00": 1.1, "01": 3.1, "02": 2.6, "05": 3.2, "07": 3.5, "08": 1.5}
    (tmp_path / "manifest.json").write_text(json.dumps({"sections": [
        {"key": k, "status": "ok", "seconds": v} for k, v in seconds.items()]}))
    order = [s.key for s in longest_first(list(SECTIONS), tmp_path)]
    # unrecorded sections (03, 04, 06) count as the median recorded one (3.1 s), after 01 by key
    assert order == ["07", "05", "01", "03", "04", "06", "02", "08", "00"], order
    (tmp_path / "manifest.json").write_text("not json")
    assert [s.key for s in longest_first(list(SECTIONS), tmp_path)] == fresh


def test_the_process_driving_a_build_loads_neither_pandas_nor_matplotlib(tmp_path):
    """The command's own process resolves parameters, validates, drives the kernels and writes
    the report, while the evidence base, the merge and the exports live in the warm engine: it
    stays small (the kernels and the engine already hold those libraries once)."""
    script = ("import sys; from analysis.cli import main; from analysis.engine import pool; "
              "closed = []; close = pool.WarmPool.close; "
              "pool.WarmPool.close = lambda self: closed.append(self._jobs) or close(self); "
              "code = main(['build', '--sections', '8', '--format', 'html', '--out', sys.argv[1]]); "
              "print('LOADED', [m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules]); "
              "print('CLOSED', closed, pool._shared is None); "
              "sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], cwd=ROOT,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    assert "LOADED []" in run.stdout
    # the command's one edition was exported in the engine itself (no job forked), which was
    # stopped once that was done
    assert "CLOSED [0] True" in run.stdout
    assert list((tmp_path / "out").glob("armenia-*/report.html"))


def test_a_single_edition_stops_the_engine_before_the_pdf_compiles(monkeypatch, tmp_path):
    """A build of one edition exports in the warm engine, then stops it before the PDF compiles:
    the compile (about 240 MiB) had run beside the engine holding the exporters (about
    180 MiB), the build's peak memory. A process that keeps its engine for later commands
    (``keep_shared_pool``, as the tests do) keeps it."""
    from types import SimpleNamespace

    from analysis import build
    from analysis.engine import pool as pool_module

    events = []

    class Engine:
        def warm(self, modules):
            events.append("warm")

        def call_here(self, target, *args):
            events.append(target)
            assert args[-1] is False  # sources only: the compile happens in the build's process
            return {"html": {"file": "report.html", "seconds": 0.0, "lines": []},
                    "pdf": {"file": "report.pdf", "typst": {}}}

    def finish_pdf(pending):
        events.append("compile")
        return {"file": "report.pdf", "seconds": 0.0, "lines": []}

    monkeypatch.setattr(pool_module, "shared_pool", Engine)
    monkeypatch.setattr(pool_module, "close_shared_pool", lambda: events.append("stopped"))
    monkeypatch.setattr(build, "finish_pdf", finish_pdf)
    p = SimpleNamespace(to_notebook=dict, to_display=dict)
    for releasable in (True, False):
        monkeypatch.setattr(pool_module, "_releasable", releasable)
        events.clear()
        outputs, _ = build.export(tmp_path, ["01"], p, {}, ("html", "pdf"), False,
                                  lambda line: None, in_engine=True)
        assert events == ["warm", "analysis.build:publish", *["stopped"][:releasable],
                          "compile"], events
        assert sorted(outputs) == ["html", "pdf"]


def test_the_process_driving_a_batch_resolves_editions_in_the_engine(tmp_path):
    """A local batch finds its duplicate editions with the warm engine's facts, as a build
    resolves its parameters: reading the plan loads no pandas into the command's process."""
    plan = tmp_path / "e.toml"
    plan.write_text('[[editions]]\nas_of = "2023-09-15"\n\n[[editions]]\n'
                    'as_of = "2023-09-15"\nrival = "Azerbaijan"\n', encoding="utf-8")
    script = ("import sys; from analysis import batch; seen = []; "
              "batch.run_local = lambda plan, *a, **k: seen.append(len(plan.editions)) or []; "
              "batch.run(sys.argv[1], sys.argv[2], show_progress=False); "
              "print('EDITIONS', seen[0], 'pandas' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script, str(plan), str(tmp_path / "out")],
                         cwd=ROOT,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "EDITIONS 1 False" in run.stdout  # the two name the same edition
