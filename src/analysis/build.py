"""The build pipeline: validate -> execute sections with papermill -> merge -> export -> manifest.

Output lands in ``<out>/<slug>/`` only when everything succeeded: the build works in a staging
folder and swaps it into place at the end, so a failure never destroys the last good report.
A failing section's partial executed notebook is kept in ``<out>/<slug>-failed/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .datafiles import data_digest, file_hashes
from .engine import ENGINE
from .errors import ExportError, OutputError, SectionFailed
from .export import FORMATS
from .kernel import ensure_kernel
from .manifest import colophon, git_revision, package_versions, write_manifest
from .outdir import out_folder, recover
from .params import ReportParams
from .rerun import code_hash, input_hash, with_new_text
from .sections import SECTIONS, SectionSpec
from .uptodate import library_hash
from .validation import validate

CELL_TIMEOUT_S = 600


def resolve_params(values) -> ReportParams:
    """:func:`analysis.params.resolve` for a build. With the warm engine, what it needs from the
    evidence base (the latest date, the countries) is read there, where the tables stay loaded
    for the sections: the process that drives the build never imports pandas or matplotlib."""
    from .params import resolve

    if ENGINE != "tightrope":
        return resolve(values)
    from .engine.pool import shared_pool

    return resolve(values, facts=lambda folder: shared_pool().call_here(
        "analysis.evidence:edition_facts", str(folder)))


@dataclass
class SectionResult:
    spec: SectionSpec
    #: ok | cached | text (only its Markdown changed: outputs reused, see analysis.rerun) |
    #: failed | carried (kept from the previous report, not run)
    status: str
    seconds: float
    input_hash: str
    error: str | None = None
    code_hash: str | None = None


@dataclass
class BuildResult:
    folder: Path
    sections: list[SectionResult]
    outputs: dict[str, Path] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _describe_failure(spec: SectionSpec, exc: Exception, executed: Path) -> str:
    """'02_roots_of_discontent.ipynb, cell 7 (execution count 5): ValueError: ...'

    Cells are counted from 1 as in the source notebook (papermill's injected cell not counted).
    """
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        first = _failing_line(exc.source or "", exc.traceback or [])
        index = exc.cell_index
        if executed.exists():
            cells = nbformat.read(executed, as_version=4).cells[:index]
            index -= sum("injected-parameters" in c.metadata.get("tags", []) for c in cells)
        return (f"{spec.notebook}, cell {index + 1} (execution count {exc.exec_count}): "
                f"{exc.ename}: {exc.evalue}" + (f"\n      in: {first}" if first else ""))
    return f"{spec.notebook}: {type(exc).__name__}: {exc}"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")


def _failing_line(source: str, traceback: list[str]) -> str:
    """The cell's line that raised (from IPython's 'Cell In[5], line 3'), else its first line."""
    lines = source.splitlines()
    match = _CELL_LINE.search(_ANSI.sub("", "\n".join(traceback)))
    if match and 0 < int(match[1]) <= len(lines):
        return f"line {match[1]}: {lines[int(match[1]) - 1].strip()[:80]}"
    stripped = source.strip().splitlines()
    return stripped[0][:80] if stripped else ""


def _execute(spec: SectionSpec, p: ReportParams, target: Path, kernel: str) -> None:
    import papermill as pm

    pm.execute_notebook(
        str(spec.path), str(target), parameters=p.to_notebook(), kernel_name=kernel,
        engine_name=ENGINE,
        cwd=str(spec.path.parent), progress_bar=False, log_output=False,
        execution_timeout=CELL_TIMEOUT_S, report_mode=False,
        # written once at the end (and on failure, with the failing cell), not after every cell;
        # the kernel is killed once the outputs are in: no interrupt, no graceful wait
        request_save_on_cell_execute=False, shutdown_kernel="immediate",
    )


def _without_kernel(spec: SectionSpec, previous: Path | None, before: tuple, key: str,
                    code: str | None, staging: Path, force: bool) -> SectionResult | None:
    """The section's result if it needs no kernel: its previous executed notebook copied (every
    input unchanged) or given the notebook's new text (only Markdown or raw cells changed, see
    :mod:`analysis.rerun`); None if it must run. ``before``: its previous (input, code) hashes."""
    cached = previous / "notebooks" / spec.notebook if previous else None
    if force or cached is None or not cached.exists() or not _reads_back(cached):
        return None
    target = staging / "notebooks" / spec.notebook
    if before[0] == key:
        shutil.copy2(cached, target)
        return SectionResult(spec, "cached", 0.0, key, code_hash=code)
    if code and before[1] == code:
        try:
            if with_new_text(spec.path, cached, target):
                return SectionResult(spec, "text", 0.0, key, code_hash=code)
        except Exception:  # noqa: BLE001 - a notebook it cannot read is run (and named) instead
            target.unlink(missing_ok=True)
    return None


def run_sections(specs: list[SectionSpec], p: ReportParams, staging: Path,
                 previous: Path | None, jobs: int, progress: Callable[[str], None],
                 data_hashes: dict[str, str], force: bool = False) -> list[SectionResult]:
    """Execute the sections (in parallel up to ``jobs``), reusing unchanged previous outputs.
    ``data_hashes``: :func:`~analysis.datafiles.file_hashes` of the edition's data folder."""
    kernel = ensure_kernel()
    library = library_hash()
    old = _previous_hashes(previous)
    values = p.to_notebook()
    keys = {spec.key: input_hash(spec.path, values, data_hashes, library) for spec in specs}
    codes = {spec.key: code_hash(spec.path, values, data_hashes, library) for spec in specs}
    # the sections that need no kernel, settled before any kernel starts
    settled = {spec.key: result for spec in specs
               if (result := _without_kernel(spec, previous, old.get(spec.key, (None, None)),
                                             keys[spec.key], codes[spec.key], staging, force))}
    to_run = len(specs) - len(settled)
    if ENGINE == "tightrope":
        from .engine.pool import shared_pool
        from .engine.zygote import EXPORT_IMPORTS

        pool = shared_pool()
        if not to_run:  # only merge and export: no kernel, so none of the kernels' modules
            pool.lean()
        # one load of the evidence base for every section, trusting this build's validation, and
        # (for more than one section to run) one computation of what several sections read
        pool.preload(p.data_dir, data_digest(hashes=data_hashes),
                     (p.as_of.isoformat(), p.start_year, p.end_year),
                     params=values if to_run > 1 else None)
        # the exporters load into the engine while the last sections run, after their kernels
        # were forked (so that no kernel carries them), not after the last section is done
        pool.warm_after_kernels(to_run, EXPORT_IMPORTS)
    results: dict[str, SectionResult] = {}

    def one(spec: SectionSpec) -> SectionResult:
        if spec.key in settled:
            return settled[spec.key]
        key, code = keys[spec.key], codes[spec.key]
        target = staging / "notebooks" / spec.notebook
        start = time.perf_counter()
        try:
            _execute(spec, p, target, kernel)
        except Exception as exc:  # noqa: BLE001 - reported with notebook, cell and error
            return SectionResult(spec, "failed", time.perf_counter() - start, key,
                                 _describe_failure(spec, exc, target))
        return SectionResult(spec, "ok", time.perf_counter() - start, key, code_hash=code)

    total = len(specs)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, total))) as pool:
        futures = {pool.submit(one, spec): spec for spec in longest_first(specs, previous)}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results[result.spec.key] = result
            label = {"ok": f"done in {result.seconds:.1f} s", "cached": "unchanged, reused",
                     "text": "only its text changed: new text, outputs reused",
                     "failed": "FAILED"}[result.status]
            progress(f"  [{done}/{total}] {result.spec.key} {result.spec.title}: {label}")
    return [results[s.key] for s in specs]


def _previous_sections(previous: Path | None) -> list[dict]:
    if not previous or not (previous / "manifest.json").exists():
        return []
    try:
        manifest = json.loads((previous / "manifest.json").read_text())
    except (OSError, json.JSONDecodeError):
        return []
    sections = manifest.get("sections", []) if isinstance(manifest, dict) else []
    return [s for s in sections if isinstance(s, dict) and "key" in s]


def _previous_hashes(previous: Path | None) -> dict[str, tuple[str | None, str | None]]:
    """Each section's (input hash, code hash) in the previous report's manifest."""
    return {s["key"]: (s.get("input_hash"), s.get("code_hash"))
            for s in _previous_sections(previous)}


def longest_first(specs: list[SectionSpec], previous: Path | None) -> list[SectionSpec]:
    """The order to start the sections in: the longest first (by their seconds in the previous
    build; a section without a record by its place, the short key findings last), so that the
    last kernel to finish does not run alone while the other core waits."""
    seconds = {}
    for s in _previous_sections(previous):
        if s.get("status") == "ok" and isinstance(s.get("seconds"), (int, float)):
            seconds[s["key"]] = float(s["seconds"])
    known = [seconds[s.key] for s in specs if s.key in seconds]
    typical = sorted(known)[len(known) // 2] if known else 0.0
    return sorted(specs, key=lambda s: (-seconds.get(s.key, typical), s.key == "00" or s.appendix,
                                        s.key))


def _keep_failures(results: list[SectionResult], staging: Path, failed_dir: Path) -> None:
    if failed_dir.exists():
        shutil.rmtree(failed_dir)
    failed_dir.mkdir(parents=True)
    for r in results:
        partial = staging / "notebooks" / r.spec.notebook
        if r.status == "failed" and partial.exists():
            shutil.copy2(partial, failed_dir / r.spec.notebook)


def export_format(kind: str, report_path: str, folder: str, keep_typ: bool = False,
                  compile_pdf: bool = True) -> dict:
    """Render the merged notebook at ``report_path`` as ``folder/report.<kind>``; return the file,
    the seconds it took and the lines to show. Runs in a child forked from the warm engine (see
    :func:`export`), or in-process with TIGHTROPE_ENGINE=nbclient.

    The PDF is compiled in a fresh small process (:func:`finish_pdf`); with ``compile_pdf``
    false, only its Typst sources are written and the result says what :func:`finish_pdf` needs,
    so that whoever calls it can let this process end first."""
    start = time.perf_counter()
    # our own merged notebook, validated when written: read without validating it again
    report = nbformat.v4.reads(Path(report_path).read_text(encoding="utf-8"))
    folder_path = Path(folder)
    target = folder_path / f"report.{kind}"
    lines = []
    if kind == "html":
        from .export.html_exporter import ReportHTMLExporter

        body, html_resources = ReportHTMLExporter().from_notebook_node(report)
        target.write_text(body, encoding="utf-8")
        lines += [f"  warning: {w}" for w in html_resources.get("tightrope_warnings", [])]
    else:
        from .export.typst_exporter import TypstExporter, write_sources

        _, resources = TypstExporter().from_notebook_node(
            report, resources={"unique_key": "report", "output_files_dir": "assets"})
        doc = resources["tightrope_typst"]
        sources = folder_path / ("typst" if keep_typ else ".typst")
        shutil.rmtree(sources, ignore_errors=True)  # nothing of an interrupted export mixes in
        main = write_sources(doc, sources, "report.typ")
        lines += [f"  warning: {warning}" for warning in doc.warnings]
        pending = {"file": str(target), "seconds": time.perf_counter() - start, "lines": lines,
                   "typst": {"doc": doc.describe(), "main": str(main), "keep": keep_typ}}
        return finish_pdf(pending) if compile_pdf else pending
    seconds = time.perf_counter() - start
    lines.append(f"  {kind + ':':<5} {target.name} ({target.stat().st_size // 1024} KiB, "
                 f"{seconds:.1f} s)")
    return {"file": str(target), "seconds": seconds, "lines": lines}


def finish_pdf(pending: dict) -> dict:
    """Compile the Typst sources :func:`export_format` wrote (``pending``) into the PDF, in a
    fresh process that loads only typst; then the result :func:`export_format` returns."""
    from .export.typst_compile import TypstCompileError, compile_apart

    start = time.perf_counter()
    typ, target = pending["typst"], Path(pending["file"])
    main = Path(typ["main"])
    try:
        warnings = compile_apart(typ["doc"], main, target)
    except TypstCompileError as exc:
        raise ExportError(f"PDF export failed: {exc}") from None
    finally:
        if not typ["keep"]:
            shutil.rmtree(main.parent, ignore_errors=True)
    lines = list(pending["lines"])
    if typ["keep"]:
        lines.append(f"  typst source kept: {main.relative_to(target.parent)}")
    lines += [f"  warning: {warning}" for warning in warnings]
    seconds = pending["seconds"] + time.perf_counter() - start
    lines.append(f"  pdf:  {target.name} ({target.stat().st_size // 1024} KiB, {seconds:.1f} s)")
    return {"file": str(target), "seconds": seconds, "lines": lines}


def export_formats(kinds: list[str], report_path: str, folder: str,
                   keep_typ: bool = False, compile_pdf: bool = True) -> dict[str, dict]:
    """:func:`export_format` for each of ``kinds``, in order."""
    return {kind: export_format(kind, report_path, folder, keep_typ, compile_pdf)
            for kind in kinds}


def assemble(folder: str, keys: list[str], values: dict, shown: list, colophon_: dict) -> None:
    """Merge the executed sections in ``folder/notebooks`` (in the order of ``keys``) with the
    title page, Appendix B and the colophon into ``folder/report.ipynb``. ``values``: the
    edition's parameters (:meth:`ReportParams.to_notebook`), ``shown``: as the report lists them."""
    from .bibliography import bibliography, used_source_ids
    from .evidence import edition_date, load_cut
    from .findings import MIN_BREAK_STEPS, break_steps
    from .merge import SUBTITLE, SUBTITLE_BEFORE, merge
    from .params import resolve
    from .sections import get

    p = resolve(values)
    base = Path(folder)
    executed = [(get(key), nbformat.read(base / "notebooks" / get(key).notebook, as_version=4))
                for key in keys]
    tables = load_cut(p.data_dir, p.as_of, p.start_year, p.end_year)
    # the subtitle names the shift only once the edition knows the changes its reading rests on
    steps, _ = break_steps(tables, p.patron, (p.focus, p.patron, p.rival, *p.partners))
    meta = {"date": edition_date(tables, p.as_of).isoformat(), "as_of": p.as_of.isoformat(),
            "params": shown, "colophon": colophon_,
            "subtitle": SUBTITLE if len(steps) >= MIN_BREAK_STEPS else SUBTITLE_BEFORE}
    used = used_source_ids(nb for _, nb in executed)
    report = merge(executed, meta, bibliography(tables, p.as_of, used))
    nbformat.write(report, base / "report.ipynb")


def publish(folder: str, keys: list[str], values: dict, shown: list, colophon_: dict,
            kinds: list[str], keep_typ: bool = False, compile_pdf: bool = True) -> dict[str, dict]:
    """:func:`assemble` ``folder/report.ipynb``, then :func:`export_formats` it as ``kinds``."""
    assemble(folder, keys, values, shown, colophon_)
    return export_formats(kinds, str(Path(folder) / "report.ipynb"), folder, keep_typ,
                          compile_pdf)


def export(folder: Path, keys: list[str], p: ReportParams, colophon_: dict,
           formats: tuple[str, ...], keep_typ: bool,
           progress: Callable[[str], None], in_engine: bool = False,
           ) -> tuple[dict[str, Path], dict[str, float]]:
    """Merge the executed sections into ``folder/report.ipynb`` and write report.html /
    report.pdf beside it; return paths and seconds per format.

    With the warm engine, the work that needs the library is done there (the engine holds the
    evidence base; this process stays free of pandas and matplotlib): merging, exporting the HTML
    and writing the PDF's Typst sources. A fresh small process compiles the PDF
    (:func:`finish_pdf`), so that the compile's layout memory is never added to the engine's.

    - By default (a batch: other editions share the engine), one child forked from the engine
      does that work, one step after the other, and the compile starts once it has ended.
    - ``in_engine`` (a command that builds one edition, whose kernels have all ended): the engine
      itself does it (no forked copy of it is alive beside it), and is then stopped
      (:func:`~analysis.engine.pool.release_shared_pool`) before the PDF compiles, so that the
      compile's memory (about 240 MiB for the report) is never added to the engine's (about
      180 MiB with the exporters). The HTML export (under half a second) then no longer runs
      beside the compile: a build's peak memory is worth more than that."""
    kinds = [k for k in FORMATS if k in formats]
    args = (str(folder), keys, p.to_notebook(), [[k, v] for k, v in p.to_display().items()],
            colophon_, kinds, keep_typ, False)
    if ENGINE == "tightrope":
        from .engine.pool import release_shared_pool, shared_pool
        from .engine.zygote import EXPORT_IMPORTS

        pool = shared_pool()
        pool.warm(EXPORT_IMPORTS)
        if in_engine:
            done = pool.call_here("analysis.build:publish", *args)
            release_shared_pool()
        else:
            done = pool.call("analysis.build:publish", *args)
    else:
        done = publish(*args)
    done = {kind: finish_pdf(result) if "typst" in result else result
            for kind, result in done.items()}
    outputs, timings = {}, {}
    for kind, result in done.items():
        outputs[kind] = Path(result["file"])
        timings[f"export_{kind}"] = result["seconds"]
        for line in result["lines"]:
            progress(line)
    return outputs, timings


def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with renames only (the old report survives until then)."""
    retired = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.rename(final, retired)
    try:
        os.rename(staging, final)
    except OSError:
        if retired.exists():
            os.rename(retired, final)
        raise
    if retired.exists():
        shutil.rmtree(retired)


def _reads_back(path: Path) -> bool:
    """An executed notebook that cannot be read back (truncated, not JSON) is no cache entry."""
    try:
        nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001 - any unreadable file is a cache miss, never an error
        return False
    return True


def _carry_sections(previous: Path | None, specs: list[SectionSpec], staging: Path,
                    progress: Callable[[str], None], p: ReportParams,
                    data_hashes: dict[str, str]) -> list[SectionResult]:
    """Sections not rebuilt by a partial build, copied from the previous report with their
    recorded input hash (so a later full build re-runs them only if their inputs changed)."""
    if previous is None:
        return []
    chosen = {s.key for s in specs}
    old = _previous_hashes(previous)
    carried = []
    for spec in SECTIONS:
        source = previous / "notebooks" / spec.notebook
        if spec.key in chosen or not source.exists() or not _reads_back(source):
            continue
        shutil.copy2(source, staging / "notebooks" / spec.notebook)
        before = old.get(spec.key, (None, None))
        carried.append(SectionResult(spec, "carried", 0.0, before[0] or "", code_hash=before[1]))
    if carried:
        progress(f"  kept {len(carried)} section(s) from the previous report: "
                 f"{', '.join(r.spec.key for r in carried)}")
        library, values = library_hash(), p.to_notebook()
        stale = [r.spec.key for r in carried
                 if r.input_hash != input_hash(r.spec.path, values, data_hashes, library)]
        if stale:
            progress(f"  note: section(s) {', '.join(stale)} were built from older inputs (data, "
                     "notebook or library changed since); a full build will refresh them")
    return carried


def _carry_formats(previous: Path | None, formats: tuple[str, ...], staging: Path,
                   progress: Callable[[str], None]) -> dict[str, Path]:
    """Outputs of formats not asked for this time, kept from the previous report (and said so:
    they show the report as it was when they were made)."""
    kept = {}
    if previous is None:
        return kept
    for kind in FORMATS:
        source = previous / f"report.{kind}"
        if kind in formats or not source.is_file():
            continue
        shutil.copy2(source, staging / source.name)
        kept[kind] = staging / source.name
        progress(f"  {kind}: {source.name} kept from the previous build (not rebuilt; add "
                 f"--format {kind} to refresh it)")
    return kept


def build(p: ReportParams, specs: list[SectionSpec], out_root: str | os.PathLike | None = None,
          formats: tuple[str, ...] = FORMATS, keep_typ: bool = False, jobs: int | None = None,
          force: bool = False, progress: Callable[[str], None] = print,
          export_in_engine: bool = False) -> BuildResult:
    """Build the report for ``p`` into ``<out_root>/<slug>/``. ``export_in_engine``: nothing
    else uses the warm engine while this build exports (a command that builds one edition), so
    the export runs in it, which is then stopped before the PDF compiles (see :func:`export`).

    A partial build (some sections, or some formats) never removes what it did not rebuild: the
    other sections' executed notebooks and the other formats' files are carried over from the
    previous report in that folder.
    """
    out_root = out_folder(out_root)
    final = out_root / p.slug
    staging = out_root / f".{p.slug}.partial-{os.getpid()}"
    timings: dict[str, float] = {}
    started = time.perf_counter()

    progress(f"Building {final}")
    recover(out_root, progress)
    start = time.perf_counter()
    counts = validate(p.data_dir, progress=progress)
    timings["validate_data"] = time.perf_counter() - start
    progress(f"  data: {len(counts)} tables, {sum(counts.values())} rows, valid")

    if staging.exists():
        shutil.rmtree(staging)
    previous = final if final.is_dir() else None
    try:
        (staging / "notebooks").mkdir(parents=True)
        jobs = jobs or min(2, os.cpu_count() or 1)
        progress(f"  executing {len(specs)} section(s) with papermill ({jobs} at a time)")
        start = time.perf_counter()
        data_hashes = file_hashes(p.data_dir)  # once: inputs, colophon and manifest
        results = run_sections(specs, p, staging, previous, jobs, progress, data_hashes, force)
        timings["execute"] = time.perf_counter() - start
        failed = [r for r in results if r.status == "failed"]
        if failed:
            failed_dir = out_root / f"{p.slug}-failed"
            _keep_failures(results, staging, failed_dir)
            lines = "\n".join(f"  - {r.error}" for r in failed)
            kept = "kept" if final.exists() else "none yet"
            raise SectionFailed(
                f"{len(failed)} section(s) failed:\n{lines}\n"
                f"  partial notebooks: {failed_dir}\n"
                f"  previous report in {final}: {kept} (left untouched)")
        carried = _carry_sections(previous, specs, staging, progress, p, data_hashes)
        missing = [s.key for s in SECTIONS
                   if s.key not in {r.spec.key for r in results + carried}]
        if missing:  # a first --sections build: the report holds only what was asked for
            progress(f"  note: no earlier report here holds section(s) {', '.join(missing)}; "
                     "this report leaves them out (build without --sections to add them)")
        order = {s.key: i for i, s in enumerate(SECTIONS)}
        results = sorted(results + carried, key=lambda r: order.get(r.spec.key, len(order)))

        versions = package_versions()
        commit, commit_date = git_revision()
        outputs, export_times = export(staging, [r.spec.key for r in results], p,
                                       colophon(commit, data_hashes, versions, commit_date),
                                       formats, keep_typ, progress, export_in_engine)
        timings.update(export_times)
        kept = _carry_formats(previous, formats, staging, progress)
        outputs.update(kept)
        timings["total"] = time.perf_counter() - started
        write_manifest(staging / "manifest.json", p, results, data_hashes, versions, commit,
                       timings, outputs, [r.spec for r in results], kept=tuple(kept))
        _swap_into_place(staging, final)
    except OSError as exc:  # disk full, folder made read-only meanwhile: the old report stays
        where = f" ({exc.filename})" if exc.filename else ""
        kept = f"the last good report in {final} is untouched" if final.exists() else \
            "no report was written"
        raise OutputError(f"could not write the report: {exc.strerror or exc}{where}; "
                          f"{kept}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    failed_dir = out_root / f"{p.slug}-failed"
    if failed_dir.exists():
        shutil.rmtree(failed_dir)
    outputs = {k: final / v.name for k, v in outputs.items()}
    progress(f"Report ready: {final} ({timings['total']:.1f} s)")
    return BuildResult(final, results, outputs, timings)
