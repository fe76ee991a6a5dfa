"""Shared test fixtures. The suite runs on every core (pytest-xdist, ``-n auto`` in pyproject.toml;
``-n0`` runs it in one process, e.g. for ``--pdb``).

Fixtures for tests that need a built report (use these instead of building your own; they build
in the test process, on one warm engine per test worker: ``run_cli_here``; ``second_build`` runs
the command in a new process):

``shared_build(*cli_args) -> Built``
    Session-scoped factory. Runs ``tightrope build --out <shared> *cli_args`` ONCE per test run,
    however many tests and xdist workers ask for the same arguments (a file lock serialises the
    first build; later callers reuse its folder). ``Built.folder`` is the report folder,
    ``Built.stdout`` the build's progress output. Treat the folder as read-only: copy it
    (``copy_of_build``) before changing anything.
``built_report -> Path``
    The full default report (every section, HTML and PDF): ``shared_build().folder``.
``article_edition -> Built``
    Every section at the article's date, 2023-09-15, HTML only.
``second_build -> Built``
    The full default report built a second time, independently, by ``tightrope batch`` (in the
    same run, an edition dated in the future that must fail): for byte-for-byte determinism
    checks against ``built_report`` and for the batch tests. ``Built.stdout`` is the batch's.
``copy_of_build(built) -> Path``
    A private, writable copy of a shared build's reports folder (for tests that rebuild into it).

Other fixtures: ``data_copy`` (a writable copy of data/), ``tightrope_bin``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

import analysis  # noqa: F401  - first: defers rfc3987-syntax's grammar compilation for nbformat

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_DATE = "2023-09-15"


@dataclass(frozen=True)
class Built:
    folder: Path  # <out>/<slug>: report.html, report.pdf, manifest.json, notebooks/
    stdout: str

    @property
    def out(self) -> Path:
        return self.folder.parent


def run_cli(*args: str, check: bool = True, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m analysis.cli *args`` in a subprocess (no stdin), like a user's shell."""
    run = subprocess.run([sys.executable, "-m", "analysis.cli", *args], capture_output=True,
                         text=True, cwd=cwd, stdin=subprocess.DEVNULL, check=False)
    if check:
        assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    return run


def pdf_text(path: Path) -> str:
    """All the text of a PDF, runs of white space (line ends included) as one space: PDFium
    reads a report in a fraction of a second where pypdf takes seconds (tests that need text
    positions or fonts read them with pypdf)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range() for page in doc).split())
    finally:
        doc.close()


@dataclass(frozen=True)
class Run:
    """One text object of a PDF page: its text, baseline height (points from the page's foot),
    font size in points and font name (with its subset prefix, e.g. ``ABCDEF+LibertinusSerif-Bold``)."""
    text: str
    y: float
    size: float
    font: str


def pdf_runs(path: Path) -> list[tuple[str, list[Run]]]:
    """Each page's text and its text runs, read by PDFium (pypdf took about ten times as long on
    pages full of figure paths)."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    def utf16(call, *args) -> str:
        n = call(*args, None, 0)
        buffer = ctypes.create_string_buffer(n)
        call(*args, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), n)
        return buffer.raw[:n].decode("utf-16-le").rstrip("\x00")

    pages = []
    doc = pypdfium2.PdfDocument(str(path))
    try:
        for page in doc:
            textpage = page.get_textpage()
            runs = []
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_TEXT,)):
                size = ctypes.c_float()
                pdfium_c.FPDFTextObj_GetFontSize(obj.raw, size)
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                n = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                name = ctypes.create_string_buffer(n)
                pdfium_c.FPDFFont_GetBaseFontName(font, name, n)
                _a, _b, _c, d, _e, f = obj.get_matrix().get()
                run = Run(utf16(pdfium_c.FPDFTextObj_GetText, obj.raw, textpage.raw), f,
                          size.value * abs(d or 1), name.value.decode())
                if runs and (runs[-1].y, runs[-1].size, runs[-1].font) == (f, run.size, run.font):
                    # one run that Typst wrote in pieces (text kept on one line is set apart)
                    run = Run(runs.pop().text + run.text, f, run.size, run.font)
                runs.append(run)
            pages.append((textpage.get_text_range(), runs))
    finally:
        doc.close()
    return pages


def captions_out_of_order(pdf: Path) -> list[tuple]:
    """Figures and tables whose captions come, page by page, before a lower number of the same
    kind: a reader meets Figure 6.4 before Figure 6.3 (none in a well-placed report)."""
    import re

    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        text = "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    seen = [(m[1], int(m[2]), int(m[3])) for m in
            re.finditer(r"^\s*(Figure|Table) (\d+)\.(\d+)\. ", text, re.MULTILINE)]
    bad = []
    for kind in ("Figure", "Table"):
        numbers = [(a, b) for k, a, b in seen if k == kind]
        bad += [(kind, x, y) for x, y in itertools.pairwise(numbers) if y < x]
    return bad


def run_cli_here(*args: str) -> subprocess.CompletedProcess:
    """``tightrope *args`` in this process, output captured: the shared builds run this way, so
    that each test worker starts one warm engine for all of them instead of a new command (and a
    new engine) per build. Tests of the command itself use :func:`run_cli`."""
    from analysis.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="session", autouse=True)
def _one_engine_per_worker():
    """Commands run in this process (:func:`run_cli_here`, ``main([...])``) keep its warm engine
    for the next one instead of stopping it when their build is done."""
    from analysis.engine.pool import keep_shared_pool

    keep_shared_pool()


@pytest.fixture(scope="session")
def _shared_root(tmp_path_factory) -> Path:
    """A folder every xdist worker of this run sees (the base temp dir's parent under xdist)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-builds"
    root.mkdir(exist_ok=True)
    return root


@pytest.fixture(scope="session")
def shared_build(_shared_root):
    def build(*args: str) -> Built:
        key = hashlib.sha256(json.dumps(args).encode()).hexdigest()[:16]
        out = _shared_root / key
        done = _shared_root / f"{key}.json"
        with FileLock(str(_shared_root / f"{key}.lock")):
            if not done.exists():
                if out.exists():
                    shutil.rmtree(out)
                run = run_cli_here("build", "--out", str(out), *args)
                assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
                folder = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
                done.write_text(json.dumps({"folder": str(folder), "stdout": run.stdout}))
        record = json.loads(done.read_text())
        return Built(Path(record["folder"]), record["stdout"])

    return build


@pytest.fixture(scope="session")
def second_build(_shared_root) -> Built:
    out = _shared_root / "batch"
    done = _shared_root / "batch.json"
    with FileLock(str(_shared_root / "batch.lock")):
        if not done.exists():
            plan = _shared_root / "editions.toml"
            plan.write_text('[[editions]]\nas_of = "2099-01-01"\n\n[grid]\nparams = [{}]\n',
                            encoding="utf-8")
            # a new command: other processes and hash seeds than the shared builds (determinism)
            run = run_cli("batch", str(plan), "--out", str(out), check=False)
            assert run.returncode == 1, run.stderr[-3000:] + run.stdout[-3000:]  # one fails
            folder = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
            done.write_text(json.dumps({"folder": str(folder), "stdout": run.stdout}))
    record = json.loads(done.read_text())
    return Built(Path(record["folder"]), record["stdout"])


@pytest.fixture(scope="session")
def built_report(shared_build) -> Path:
    return shared_build().folder


@pytest.fixture(scope="session")
def article_edition(shared_build) -> Built:
    return shared_build("--as-of", ARTICLE_DATE, "--format", "html")


@pytest.fixture
def copy_of_build(tmp_path):
    def copy(built: Built | Path) -> Path:
        folder = built.folder if isinstance(built, Built) else built
        target = tmp_path / "reports" / folder.name
        shutil.copytree(folder, target)
        return target

    return copy


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the evidence base."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def tightrope_bin() -> str:
    return str(Path(sys.executable).parent / "tightrope")
