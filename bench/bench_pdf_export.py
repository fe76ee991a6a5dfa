"""Benchmark the PDF export of an executed (merged) report notebook.

    python bench/bench_pdf_export.py reports/report.ipynb [-n 5]

Times the pip-only Typst route (analysis.export.typst_exporter.TypstPDFExporter, in-process,
median of N runs; the first, cold run is reported separately because it loads the fonts) and,
if ``xelatex`` is on PATH, nbconvert's LaTeX route (``PDFExporter``, ``--to pdf``) in the same
run, then prints both and the ratio. Not a test.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import time
from pathlib import Path

import nbformat


def _time(fn, n: int) -> tuple[float, list[float], object]:
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times, result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook", type=Path)
    ap.add_argument("-n", "--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)

    from analysis.export.typst_exporter import TypstExporter, TypstPDFExporter

    nb = nbformat.read(args.notebook, as_version=4)
    name = args.notebook.stem

    def resources() -> dict:
        return {"metadata": {"name": name, "path": str(args.notebook.parent)}}

    t0 = time.perf_counter()
    pdf, _ = TypstPDFExporter().from_notebook_node(nb, resources())
    cold = time.perf_counter() - t0
    gen, _, _ = _time(lambda: TypstExporter().from_notebook_node(nb, resources()), args.repeats)
    typst_med, typst_all, (pdf, _) = _time(
        lambda: TypstPDFExporter().from_notebook_node(nb, resources()), args.repeats
    )
    print(f"notebook: {args.notebook} ({len(nb.cells)} cells)")
    print(
        f"typst  : median {typst_med * 1000:8.1f} ms over {args.repeats} runs "
        f"(min {min(typst_all) * 1000:.1f}, max {max(typst_all) * 1000:.1f}; "
        f"cold first run {cold * 1000:.1f} ms; markup generation alone {gen * 1000:.1f} ms); "
        f"{len(pdf):,} bytes"
    )

    if shutil.which("xelatex") is None:
        print("latex  : xelatex not on PATH - nbconvert's --to pdf (LaTeX) route not measured")
        return 0

    from nbconvert.exporters import PDFExporter

    def latex():
        exporter = PDFExporter()
        exporter.exclude_input = True
        return exporter.from_notebook_node(nb, resources())

    try:
        latex_med, latex_all, (lpdf, _) = _time(latex, args.repeats)
    except Exception as exc:  # noqa: BLE001 - report, don't crash the benchmark
        print(f"latex  : nbconvert --to pdf failed: {type(exc).__name__}: {exc}".splitlines()[0])
        return 0
    print(
        f"latex  : median {latex_med * 1000:8.1f} ms over {args.repeats} runs "
        f"(min {min(latex_all) * 1000:.1f}, max {max(latex_all) * 1000:.1f}); "
        f"{len(lpdf):,} bytes"
    )
    print(f"ratio  : LaTeX / Typst = {latex_med / typst_med:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
