"""`tightrope doctor`: which export routes work on this machine, and how to fix the others."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def _check_typst() -> tuple[bool, str]:
    try:
        import typst
    except ImportError:
        return False, "the `typst` package is missing: run `make report` (or pip install typst)"
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "probe.typ"
        source.write_text("= Probe\nTightrope doctor.\n", encoding="utf-8")
        try:
            pdf = typst.compile(str(source), ignore_system_fonts=True)
        except Exception as exc:  # noqa: BLE001 - reported as the route's state
            return False, f"typst failed to compile a probe: {exc}"
    if not pdf.startswith(b"%PDF"):
        return False, "typst returned something that is not a PDF"
    return True, f"typst {getattr(typst, '__version__', '?')} compiled a probe page (default route)"


def _check_latex() -> tuple[bool, str]:
    engine = shutil.which("xelatex")
    if not engine:
        return False, ("optional: nbconvert --to pdf needs TeX (xelatex); on Debian: apt-get install "
                       "texlive-xetex texlive-fonts-recommended texlive-plain-generic")
    return True, f"xelatex found at {engine}: `jupyter nbconvert --to pdf` can run"


def _check_webpdf() -> tuple[bool, str]:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False, ("optional: nbconvert --to webpdf needs `pip install nbconvert[webpdf]` and a "
                       "Chromium (`playwright install chromium`, which downloads a browser)")
    return True, "playwright is installed: `jupyter nbconvert --to webpdf` can run if Chromium is"


def _check_html() -> tuple[bool, str]:
    try:
        from .export.html_exporter import ReportHTMLExporter  # noqa: F401
    except ImportError as exc:
        return False, f"the HTML exporter cannot load: {exc}"
    return True, "nbconvert with the tightrope template (default route)"


ROUTES = {
    "html (tightrope template)": _check_html,
    "pdf via Typst (default)": _check_typst,
    "pdf via LaTeX (nbconvert --to pdf)": _check_latex,
    "pdf via webpdf (nbconvert --to webpdf)": _check_webpdf,
}


def run_doctor() -> int:
    """Print one line per route; exit 1 only if a default route is broken."""
    broken_default = False
    for name, check in ROUTES.items():
        ok, detail = check()
        print(f"  {'ok ' if ok else 'no '} {name:<40} {detail}")
        if not ok and "default" in name or (not ok and name.startswith("html")):
            broken_default = True
    print("default routes work" if not broken_default else "a default route is broken (see above)")
    return 1 if broken_default else 0
