"""``tightrope batch FILE``: many editions (dates x parameter sets) built on warm workers.

The file (TOML, or YAML with the same keys) lists editions, a grid of them, or both::

    formats = ["html", "pdf"]          # optional, default both
    sections = ["02", "05"]            # optional, default all

    [grid]                             # every as_of with every parameter set
    as_of = ["2021-01-01", "2023-09-15"]
    params = [{}, {rival = "Azerbaijan", partners = ["France", "India"]}]

    [[editions]]                       # and/or editions one by one
    as_of = "2024-06-30"
    start_year = 2010

Each edition is built into its own folder under ``--out`` exactly as ``tightrope build`` would
(same folder name, manifest, no-op detection). Locally the editions share this process's warm
engine: pandas, matplotlib and the library are imported once and the evidence base read once for
all of them. With ``--scheduler ADDRESS`` they run on a ``dask.distributed`` cluster, one whole
edition per task; each Dask worker keeps its own warm engine across the editions it builds. A
failing edition is reported and the others still finish.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ParameterError, TightropeError
from .export import FORMATS

_SECTION_LINE = re.compile(r"^\s*\[(\d+)/(\d+)\] (\S+) ")


@dataclass(frozen=True)
class Edition:
    params: dict[str, Any]  # raw values, JSON-friendly (dates as ISO strings)

    @property
    def label(self) -> str:
        if not self.params:
            return "defaults"
        return " ".join(f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}"
                        for k, v in self.params.items())


@dataclass
class Plan:
    editions: list[Edition]
    sections: list[str] | None = None
    formats: tuple[str, ...] = FORMATS


@dataclass
class EditionResult:
    edition: Edition
    status: str  # built | up to date | failed
    folder: str | None = None
    seconds: float = 0.0
    error: str | None = None
    sections: list[dict] = field(default_factory=list)


# ------------------------------------------------------------------ the batch file

def _plain(value: Any, where: str) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v, where) for v in value]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    raise ParameterError(f"{where}: {value!r} is not a parameter value (text, number, date or "
                         "a list of them)")


def _params(table: Any, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ParameterError(f"{where} must be a table of parameters, got {table!r}")
    return {str(k): _plain(v, f"{where}.{k}") for k, v in table.items()}


def _edition_key(edition: Edition, resolve: Callable[[dict], Any] | None = None) -> tuple:
    """What makes an edition: its resolved parameters (the folder it is built into); an
    edition whose parameters do not resolve is kept apart (its build reports the mistake).
    ``resolve``: how to resolve them (default: in this process, reading the evidence base)."""
    if resolve is None:
        from .params import resolve
    try:
        # strict: a misspelt name makes an edition of its own (its build names the mistake)
        return ("resolved", resolve(edition.params).slug)
    except TightropeError:
        return ("as written", tuple(sorted((k, str(v)) for k, v in edition.params.items())))


def _names(value, where: str) -> tuple[str, ...]:
    """A list of names (a single name reads as a list of one, not as its letters)."""
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                       for v in value):
        return tuple(str(v) for v in value)
    raise ParameterError(f"{where}: expected a list of names, got {value!r}")


def read_plan(path: str | os.PathLike, resolve: Callable[[dict], Any] | None = None) -> Plan:
    """Read and expand a batch file; a mistake in it is a ParameterError naming the key.
    ``resolve`` resolves an edition's parameters to find duplicates (see :func:`_edition_key`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"cannot read the batch file {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path.name} is not UTF-8 text (byte {exc.start}); save it as "
                             "UTF-8") from None
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            doc = yaml.safe_load(text) or {}
        else:
            import tomllib

            doc = tomllib.loads(text)
    except Exception as exc:  # noqa: BLE001 - a syntax error in the user's file, shown as such
        raise ParameterError(f"{path.name} is not valid {path.suffix.lstrip('.').upper() or 'TOML'}:"
                             f" {exc}") from None
    if not isinstance(doc, dict):
        raise ParameterError(f"{path.name}: expected keys such as 'editions' or 'grid'")
    unknown = set(doc) - {"editions", "grid", "formats", "sections"}
    if unknown:
        raise ParameterError(f"{path.name}: unknown key(s) {', '.join(sorted(unknown))}; "
                             "keys: editions, grid, formats, sections")
    editions = [Edition(_params(t, f"{path.name}: editions[{i}]"))
                for i, t in enumerate(doc.get("editions") or [])]
    grid = doc.get("grid")
    if grid is not None:
        if not isinstance(grid, dict) or set(grid) - {"as_of", "params"}:
            raise ParameterError(f"{path.name}: grid takes 'as_of' (a list of dates) and "
                                 "'params' (a list of parameter tables)")
        dates = grid.get("as_of") or [None]
        dates = dates if isinstance(dates, list) else [dates]
        sets = grid.get("params") or [{}]
        sets = sets if isinstance(sets, list) else [sets]
        for (i, date), (j, extra) in itertools.product(enumerate(dates), enumerate(sets)):
            params = _params(extra, f"{path.name}: grid.params[{j}]")
            if date is not None:
                params = {"as_of": _plain(date, f"{path.name}: grid.as_of[{i}]"), **params}
            editions.append(Edition(params))
    if not editions:
        raise ParameterError(f"{path.name} lists no edition: add [[editions]] or a [grid]")
    formats = _names(doc.get("formats"), f"{path.name}: formats") or FORMATS
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ParameterError(f"{path.name}: unknown format(s) {', '.join(bad)}; formats: "
                             f"{', '.join(FORMATS)}")
    sections = doc.get("sections")
    if sections is not None:
        from .sections import select

        sections = [s.key for s in select(list(_names(sections, f"{path.name}: sections")))]
    seen, unique = set(), []
    for edition in editions:  # the same edition twice is built once (a default named or not)
        key = _edition_key(edition, resolve)
        if key not in seen:
            seen.add(key)
            unique.append(edition)
    return Plan(unique, sections, formats)


# ------------------------------------------------------------------ one edition

def build_edition(edition: Edition, out: str, sections: list[str] | None,
                  formats: tuple[str, ...], force: bool = False, progress=None,
                  jobs: int | None = None) -> EditionResult:
    """Build one edition into ``out`` (what a local run and each Dask task do)."""
    from . import uptodate

    started = time.perf_counter()
    progress = progress or (lambda line: None)
    try:
        from .sections import select

        specs = select(sections)
        try:
            fp = uptodate.fingerprint(edition.params, sections, formats, False)
        except (OSError, RuntimeError, ValueError):
            fp = None  # inputs that cannot even be hashed: resolve() below names the problem
        current = None if force or fp is None else uptodate.find_current(Path(out), fp)
        if current is not None:
            return EditionResult(edition, "up to date", str(current),
                                 time.perf_counter() - started)
        from .build import build, resolve_params

        p = resolve_params(edition.params)
        result = build(p, specs, out_root=out, formats=formats, jobs=jobs, force=force,
                       progress=progress)
        if fp is not None:
            uptodate.record(result.folder, fp)
        return EditionResult(edition, "built", str(result.folder), time.perf_counter() - started,
                             sections=[{"key": r.spec.key, "status": r.status,
                                        "seconds": round(r.seconds, 2)} for r in result.sections])
    except TightropeError as exc:
        return EditionResult(edition, "failed", error=str(exc),
                             seconds=time.perf_counter() - started)


def _worker_progress(topic: str | None, index: int):
    """On a Dask worker: each section line of the build sent to the client as a worker event
    on ``topic`` (``{"edition": index, "line": ...}``); the client's bars follow them."""
    if topic is None:
        return None
    from distributed import get_worker

    worker = get_worker()

    def progress(line: str) -> None:
        if _SECTION_LINE.match(line):
            worker.log_event(topic, {"edition": index, "line": line})

    return progress


def build_edition_remote(edition: Edition, out: str, sections: list[str] | None,
                         formats: tuple[str, ...], force: bool, return_files: bool,
                         topic: str | None = None,
                         index: int = 0) -> tuple[EditionResult, dict[str, bytes]]:
    """A Dask task: build on the worker (into ``out`` if it is a shared folder, else into a
    scratch folder whose files are returned to the client), streaming each finished section to
    the client when it listens on ``topic``."""
    progress = _worker_progress(topic, index)
    if not return_files:
        return build_edition(edition, out, sections, formats, force, progress), {}
    scratch = tempfile.mkdtemp(prefix="tightrope-edition-")
    try:
        result = build_edition(edition, scratch, sections, formats, True, progress)
        files = {}
        if result.folder:
            folder = Path(result.folder)
            files = {str(p.relative_to(folder)): p.read_bytes()
                     for p in sorted(folder.rglob("*")) if p.is_file()}
            result.folder = folder.name
        return result, files
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write_returned(out: Path, result: EditionResult, files: dict[str, bytes]) -> None:
    """Files a worker sent back: written beside, then swapped in (the old edition survives a
    failure)."""
    final = out / result.folder
    staging = out / f".{result.folder}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    # first, as a build's staging folder: what marks it as ours if this process is killed
    (staging / "notebooks").mkdir(parents=True)
    for name, data in files.items():
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    retired = out / f".{result.folder}.old-{os.getpid()}"
    if final.exists():
        os.rename(final, retired)
    os.rename(staging, final)
    shutil.rmtree(retired, ignore_errors=True)
    result.folder = str(final)


# ------------------------------------------------------------------ progress

class _Bars:
    """One tqdm bar per edition, advancing as its sections finish (and once for the export)."""

    def __init__(self, plan: Plan):
        from tqdm.auto import tqdm

        steps = (len(plan.sections) if plan.sections else _section_count()) + 1
        self.bars = [tqdm(total=steps, desc=f"{i + 1:>2} {e.label}"[:48].ljust(48), unit="step",
                          position=i, leave=True, file=sys.stderr, dynamic_ncols=True,
                          disable=None)
                     for i, e in enumerate(plan.editions)]

    def line(self, index: int):
        bar = self.bars[index]

        def progress(text: str) -> None:
            match = _SECTION_LINE.match(text)
            if match:
                bar.set_postfix_str(f"section {match.group(3)}", refresh=False)
                bar.update(1)

        return progress

    def finish(self, index: int, result: EditionResult) -> None:
        bar = self.bars[index]
        bar.set_postfix_str(result.status, refresh=False)
        bar.update(bar.total - bar.n)
        if bar.disable:  # no terminal (CI, a log file): one line per edition instead
            print(f"  edition {index + 1}/{len(self.bars)} {result.edition.label}: {result.status}"
                  f" ({result.seconds:.1f} s)", flush=True)

    def close(self) -> None:
        for bar in self.bars:
            bar.close()

    @property
    def shown(self) -> bool:
        return not all(bar.disable for bar in self.bars)


def _section_count() -> int:
    from .sections import SECTIONS

    return len(SECTIONS)


# ------------------------------------------------------------------ the batch

def run_local(plan: Plan, out: Path, force: bool = False, jobs: int | None = None,
              bars: _Bars | None = None) -> list[EditionResult]:
    """Editions one after another in this process, sharing its warm engine."""
    results = []
    for i, edition in enumerate(plan.editions):
        result = build_edition(edition, str(out), plan.sections, plan.formats, force,
                               bars.line(i) if bars else None, jobs)
        if bars:
            bars.finish(i, result)
        results.append(result)
    return results


def run_dask(plan: Plan, out: Path, scheduler: Any, force: bool = False,
             return_files: bool = False, bars: _Bars | None = None) -> list[EditionResult]:
    """Editions as tasks on a dask.distributed cluster (``scheduler``: an address or a Client)."""
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler, timeout="30s")
    topic = None
    if bars:  # workers stream each finished section; the edition's bar advances as they come
        topic = f"tightrope-progress-{os.getpid()}-{time.time_ns()}"

        def on_event(event) -> None:
            _, message = event
            bars.line(message["edition"])(message["line"])

        client.subscribe_topic(topic, on_event)
    try:
        futures = {client.submit(build_edition_remote, edition, str(out), plan.sections,
                                 plan.formats, force, return_files, topic, i, pure=False,
                                 key=f"tightrope-edition-{i}-{os.getpid()}-{time.time_ns()}"): i
                   for i, edition in enumerate(plan.editions)}
        results: dict[int, EditionResult] = {}
        for future in as_completed(futures):
            i = futures[future]
            try:
                result, files = future.result()
                if files:
                    _write_returned(out, result, files)
            except Exception as exc:  # noqa: BLE001 - a worker lost or a bug: this edition fails
                result = EditionResult(plan.editions[i], "failed",
                                       error=f"{type(exc).__name__}: {exc}")
            results[i] = result
            if bars:
                bars.finish(i, result)
        return [results[i] for i in range(len(plan.editions))]
    finally:
        if topic is not None:
            client.unsubscribe_topic(topic)
        if client is not scheduler:
            client.close()


def summary(results: list[EditionResult]) -> str:
    lines = []
    for i, r in enumerate(results, start=1):
        where = r.folder or ""
        lines.append(f"  {i:>2}. {r.edition.label}: {r.status} ({r.seconds:.1f} s) {where}".rstrip())
        if r.error:
            lines += [f"      {line}" for line in r.error.splitlines()]
    failed = sum(r.status == "failed" for r in results)
    lines.append(f"{len(results) - failed} of {len(results)} edition(s) ready"
                 + (f"; {failed} failed" if failed else ""))
    return "\n".join(lines)


def run(path: str | os.PathLike, out: str | os.PathLike | None = None,
        scheduler: str | None = None, force: bool = False, return_files: bool = False,
        jobs: int | None = None, show_progress: bool = True) -> list[EditionResult]:
    from .outdir import out_folder

    if scheduler:
        plan = read_plan(path)
    else:  # the local engine reads the evidence base for this process, as for `build`
        from .build import resolve_params

        plan = read_plan(path, resolve_params)
    out_root = out_folder(out)  # checked as `tightrope build --out` is
    where = f"on the Dask cluster at {scheduler}" if scheduler else "on the local warm engine"
    print(f"Batch {Path(path).name}: {len(plan.editions)} edition(s) {where} -> {out_root}",
          flush=True)
    bars = _Bars(plan) if show_progress else None
    try:
        if scheduler:
            results = run_dask(plan, out_root, scheduler, force, return_files, bars)
        else:
            results = run_local(plan, out_root, force, jobs, bars)
    finally:
        if bars:
            bars.close()
    print(summary(results), flush=True)
    return results
