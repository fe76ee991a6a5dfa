"""Nothing lost: partial builds carry over what they did not rebuild; a build killed at any step
leaves the last good report findable by the next build (issue 11)."""

import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from analysis.build import _reads_back, finish_pdf
from analysis.errors import ExportError, ParameterError
from analysis.outdir import out_folder, recover
from analysis.sections import SECTIONS
from conftest import ROOT, run_cli_here

SLUG = "armenia-2023-09-15"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# ---------------------------------------------------------------- fast: folders and recovery

def test_recover_restores_a_report_left_between_the_two_renames(tmp_path):
    pid = _dead_pid()
    old = tmp_path / f".{SLUG}.old-{pid}"
    old.mkdir()
    (old / "report.html").write_text("good")
    (old / "manifest.json").write_text("{}")
    done = recover(tmp_path, progress=lambda line: None)
    assert (tmp_path / SLUG / "report.html").read_text() == "good"
    assert not old.exists() and "restored the last good report" in done[0]


def test_recover_sweeps_dead_staging_but_not_live_builds(tmp_path):
    dead, live = _dead_pid(), os.getpid()
    (tmp_path / SLUG).mkdir()
    for name in (f".{SLUG}.partial-{dead}", f".{SLUG}.old-{dead}", f".{SLUG}.partial-{live}",
                 f".other.partial-{dead}", "unrelated"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notebooks").mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
    recover(tmp_path, progress=lambda line: None)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([SLUG, f".{SLUG}.partial-{live}", "unrelated"])


def test_recover_leaves_folders_that_only_look_like_leftovers(tmp_path):
    """Someone's '.thesis.old-<pid>' without a report's manifest, or a '.x.partial-<pid>'
    without a staging folder's notebooks, is theirs: neither renamed nor removed."""
    dead = _dead_pid()
    for name in (f".thesis.old-{dead}", f".notes.partial-{dead}"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "c.txt").write_text("keep")
    assert recover(tmp_path, progress=lambda line: None) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".notes.partial-{dead}",
                                                         f".thesis.old-{dead}"]


def test_out_folder_rejects_empty_and_file(tmp_path):
    with pytest.raises(ParameterError, match="--out is empty"):
        out_folder("")
    (tmp_path / "f").write_text("x")
    with pytest.raises(ParameterError, match="is a file, not a folder"):
        out_folder(tmp_path / "f")
    assert out_folder(tmp_path / "new" / "deeper").is_dir()


def test_a_truncated_cached_notebook_is_a_cache_miss(tmp_path):
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    assert _reads_back(path)
    path.write_text(path.read_text()[:20])
    assert not _reads_back(path)


# ---------------------------------------------------------------- slow: real builds, killed

DRIVER = """
import os, signal, sys
import analysis.build as b
step = sys.argv[1]
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
if step == "papermill":
    b._execute = die
elif step == "export":
    b.export = die
elif step == "swap":
    real = os.rename
    def rename(src, dst, *a, **k):
        real(src, dst, *a, **k)
        if ".old-" in str(dst):
            die()
    b.os.rename = rename
from analysis.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _build(out, *extra, step=None):
    """A build killed at ``step`` (a new process, killed for real), or a whole one (here)."""
    args = ["build", "--as-of", "2023-09-15", "--out", str(out), *extra]
    if step is None:
        return run_cli_here(*args)
    return subprocess.run([sys.executable, "-c", DRIVER, step, *args], capture_output=True,
                          text=True, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def good(article_edition):
    """The shared build of every section at the article's date (HTML): the last good report."""
    return article_edition.out


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.slow
@pytest.mark.parametrize("step", ["papermill", "export"])
def test_build_killed_mid_way_leaves_the_report_and_the_next_build_sweeps(good, tmp_path, step):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = _snapshot(out / SLUG)
    force = ("--force",) if step == "papermill" else ()  # export: the section is reused
    run = _build(out, "--sections", "02", "--format", "html", *force, step=step)
    assert run.returncode == -9, run.stderr[-2000:]
    assert _snapshot(out / SLUG) == before
    assert any(".partial-" in p.name for p in out.iterdir())
    recover(out, progress=lambda line: None)
    assert sorted(p.name for p in out.iterdir()) == [SLUG]


@pytest.mark.slow
def test_build_killed_between_the_renames_is_restored_by_the_next_build(good, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    before = (out / SLUG / "report.html").read_bytes()
    run = _build(out, "--sections", "02", "--format", "html", step="swap")
    assert run.returncode == -9
    assert not (out / SLUG).exists()  # the window the issue found: report only as .old-PID
    assert any(".old-" in p.name for p in out.iterdir())
    run = _build(out, "--sections", "02", "--format", "html")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "restored the last good report" in run.stdout
    assert "02 The roots of discontent: unchanged, reused" in run.stdout
    assert (out / SLUG / "report.html").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == [SLUG]


@pytest.mark.slow
def test_partial_builds_keep_other_sections_and_formats(good, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good, out)
    folder = out / SLUG
    # a truncated cached notebook is re-run, not an error
    cached = folder / "notebooks" / "02_roots_of_discontent.ipynb"
    cached.write_text(cached.read_text(encoding="utf-8")[:500], encoding="utf-8")
    run = _build(out, "--sections", "02", "--format", "pdf", "--keep-typ")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "02 The roots of discontent: done in" in run.stdout
    # the PDF's Typst sources, kept as asked (and only those: no compile folder left behind)
    assert "typst source kept: typst/report.typ" in run.stdout
    assert (folder / "typst" / "report.typ").is_file()
    assert (folder / "typst" / "assets" / "report.typ").is_file()
    assert not list(folder.glob(".typst*"))
    assert "html: report.html kept from the previous build" in run.stdout
    assert (folder / "report.pdf").exists() and (folder / "report.html").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["outputs"]["html"]["kept_from_previous_build"] is True
    pdf = (folder / "report.pdf").read_bytes()
    run = _build(out, "--sections", "03", "--format", "html")
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"kept {len(SECTIONS) - 1} section(s) from the previous report: " in run.stdout
    assert "no earlier report here holds" not in run.stdout
    assert (folder / "report.pdf").read_bytes() == pdf  # not deleted by an html-only build
    notebooks = sorted(p.name for p in (folder / "notebooks").iterdir())
    assert notebooks == sorted(s.notebook for s in SECTIONS)  # nothing dropped
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "2. The roots of discontent" in html and "3. Russian involvement" in html
    manifest = json.loads((folder / "manifest.json").read_text())
    status = {s["key"]: s["status"] for s in manifest["sections"]}
    assert status.pop("03") in ("ok", "cached") and set(status.values()) == {"carried"}
    assert len(status) == len(SECTIONS) - 1


def test_a_pdf_that_does_not_compile_is_one_error_and_leaves_no_sources(tmp_path):
    sources = tmp_path / ".typst"
    sources.mkdir()
    (sources / "report.typ").write_text("= Title\n#undefined-function(1)\n", encoding="utf-8")
    doc = {"spans": [{"start_line": 2, "end_line": 2, "cell_index": 7, "section": "2. Roots"}],
           "timestamp": 0, "title": "t", "assets_dir": "assets", "font_paths": []}
    pending = {"file": str(tmp_path / "report.pdf"), "seconds": 0.1, "lines": [],
               "typst": {"doc": doc, "main": str(sources / "report.typ"), "keep": False}}
    with pytest.raises(ExportError, match=r"^PDF export failed: Typst compilation failed in "
                                          r"section '2. Roots', notebook cell 7, generated line 2"):
        finish_pdf(pending)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_failing_cell_is_quoted_by_the_line_that_raised():
    from analysis.build import _failing_line

    traceback = ["\x1b[0;31mValueError\x1b[0m  Traceback (most recent call last)",
                 "Cell \x1b[0;32mIn[7], line 3\x1b[0m\n      1 a = 1\n----> 3 raise ValueError()"]
    assert _failing_line("a = 1\nb = 2\nraise ValueError()", traceback) == \
        "line 3: raise ValueError()"
    assert _failing_line("first()\nsecond()", []) == "first()"


@pytest.mark.slow
def test_a_section_whose_text_alone_changed_gets_it_without_a_kernel(good, tmp_path, monkeypatch):
    from analysis import paths

    out = tmp_path / "out"
    shutil.copytree(good, out)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    path = notebooks / "02_roots_of_discontent.ipynb"
    nb = nbformat.read(path, as_version=4)
    heading = next(c for c in nb.cells[1:] if c.cell_type == "markdown")
    heading.source += " (edited)"
    nb.cells.insert(nb.cells.index(heading) + 1, nbformat.v4.new_markdown_cell(
        "A paragraph added by the test.", id="added-by-test"))
    nbformat.write(nb, path)
    run = _build(out, "--sections", "02", "--format", "html")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "02 The roots of discontent: only its text changed: new text, outputs reused" \
        in run.stdout
    html = (out / SLUG / "report.html").read_bytes()
    assert b"(edited)" in html and b"A paragraph added by the test." in html
    manifest = json.loads((out / SLUG / "manifest.json").read_text())
    assert {s["key"]: s["status"] for s in manifest["sections"]}["02"] == "text"
    # what the kernel makes of the edited notebook is the same report
    run = _build(out, "--sections", "02", "--format", "html", "--force")
    assert "02 The roots of discontent: done in" in run.stdout
    assert (out / SLUG / "report.html").read_bytes() == html
