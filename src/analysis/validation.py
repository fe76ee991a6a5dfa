"""Checks of the evidence base against its descriptor.

Every problem is collected (not only the first) and named by file, row, column, value and what
was expected, e.g. ``trade.csv row 57: value_usd_m = 'n/a' is not a number``. Row numbers are line
numbers in the file (the header is line 1). Cells are read by :mod:`analysis.cells`, the parser
the loaders use too. Tables are streamed: memory stays bounded by the keys kept for duplicate and
cross-table checks, not by the size of a table; a long validation reports its progress.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from pathlib import Path

from . import paths, provenance
from .cells import CellError, TableError, parse_cell, show, table_path
from .cells import read_rows as stream_rows
from .errors import DataValidationError
from .schema import TableSpec, load_descriptor

#: tables whose rows claims may cite as evidence, and their key column
_EVIDENCE_KEYS = {"events": "event_id", "deployments": "deployment_id"}
#: an ``end_date`` may not precede the table's start column
_START_COLUMNS = ("date", "start_date")
#: seconds between progress lines of a long validation
PROGRESS_EVERY_S = 5.0


class _Context:
    """What the tables validated so far tell the next ones (source ids, evidence keys)."""

    def __init__(self) -> None:
        self.source_ids: set[str] | None = None  # known once sources.csv is read
        self.sources_seen: set[str] = set()
        self.source_rows: list[dict[str, str]] = []
        self.evidence_ids: dict[str, set[str]] = {}
        self.claims: list[tuple[int, dict[str, str]]] = []
        self.anchors: list[tuple[int, dict[str, str]]] = []
        self.published: dict[str, str] = {}  # source id -> date_published, once sources is read
        #: sources read only in a copy (no url of the publisher's own), once sources is read
        self.copied: dict[str, str] = {}


class _Capped(list):
    """A table's problems: the first MAX_PER_FILE kept, the rest only counted (memory stays
    bounded when every row of a huge table is wrong)."""

    def __init__(self, items=()):
        super().__init__(items)
        self.more = 0

    def append(self, problem: str) -> None:
        if len(self) < MAX_PER_FILE:
            super().append(problem)
        else:
            self.more += 1

    def lines(self, name: str) -> list[str]:
        return list(self) + ([f"{name}: ... and {self.more} more problem(s)"] if self.more else [])


def _key_digest(key: tuple[str, ...]) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(key).encode(), digest_size=8).digest(),
                          "big")


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a small CSV, read whole (the refresh command's diff); raises ValueError
    (a cells.TableError) with a clear reason for an unreadable file."""
    records = [row for _, row in stream_rows(path)]
    return records[0], records[1:]


def _source_refs(table: str, record: dict[str, str]) -> list[tuple[str, str]]:
    if table in ("claims", "claim_updates"):
        return [("source_ids", s.strip()) for s in record.get("source_ids", "").split(";")
                if s.strip()]
    return [(column, record[column].strip())
            for column in ("source_id", "end_source_id", "contested_source_id")
            if record.get(column, "").strip()]


def _contested_problem(record: dict[str, str]) -> str | None:
    """A contested reading (``<column>_contested``) comes with its source
    (``contested_source_id``) and differs from the row's own value."""
    source = record.get("contested_source_id", "").strip()
    readings = {c.removesuffix("_contested"): v.strip() for c, v in record.items()
                if c.endswith("_contested") and v.strip()}
    if bool(source) != bool(readings):
        return ("contested_source_id is empty: name the source of the other reading" if readings
                else "contested_source_id is set but no *_contested column holds a reading")
    same = [c for c, v in readings.items() if record.get(c, "").strip() == v]
    if same:
        return (f"{same[0]}_contested = {show(readings[same[0]])} is the row's own {same[0]}: a "
                "contested reading must differ")
    return None


def _basis_problem(record: dict[str, str]) -> str | None:
    """A headcount says what it is (``personnel_basis``: a count, a ceiling or an authorised
    strength), and only a headcount does."""
    persons = (record.get("personnel_persons") or "").strip()
    basis = (record.get("personnel_basis") or "").strip()
    if persons and not basis:
        return ("personnel_basis is empty: say whether personnel_persons is a count, a ceiling "
                "or an authorised strength")
    if basis and not persons:
        return f"personnel_basis = {show(basis)} but personnel_persons is empty"
    return None


def _change_problem(record: dict[str, str]) -> str | None:
    """A change in per cent (``change_pct``) stands only where its source gives no new price:
    the report works out the price it implies, which would contradict a stated one."""
    change = (record.get("change_pct") or "").strip()
    price = (record.get("price_usd_per_1000m3") or "").strip()
    if change and price:
        return (f"change_pct = {show(change)} is for a change whose source gives no new price, "
                f"but price_usd_per_1000m3 = {show(price)} (empty one of them)")
    return None


#: tables whose rows report something that happened on their start column: the row's source
#: must be published on or after that day (at the row's precision)
_REPORTED = {"events": "date", "deployments": "start_date"}


def _reported_before(table: str, record: dict[str, str], published: dict[str, str]) -> str | None:
    """A row of an event or deployment whose source was published before it began: a source
    can announce what is planned but cannot report it (a planned count belongs in strengths)."""
    column = _REPORTED.get(table)
    day = (record.get(column) or "").strip() if column else ""
    source = (record.get("source_id") or "").strip()
    issued = (published.get(source) or "").strip()
    if not day or not issued:
        return None
    width = {"year": 4, "month": 7}.get((record.get("date_precision") or "day").strip(), 10)
    width = min(width, len(issued))  # compared at the coarser of the two precisions
    if issued[:width] >= day[:width]:
        return None
    return (f"source_id = {show(source)} was published on {issued}, before the {column} "
            f"{day} it reports; cite a source published on or after it")


#: tables whose confidence is that something happened, not a figure's: an event reported in a
#: copy can be certain; a count read in a copy is medium at most
_OCCURRENCES = {"events"}


def _copied_high(table: str, record: dict[str, str], copied: dict[str, str]) -> str | None:
    """A figure rated high although its source was read only in a copy: the report's rule makes
    a figure read in a secondary copy or in a report citing the publisher medium."""
    source = (record.get("source_id") or "").strip()
    if table in _OCCURRENCES or (record.get("confidence") or "").strip() != "high" \
            or source not in copied:
        return None
    return (f"confidence = high, but source_id = {show(source)} was read only in a copy "
            f"({copied[source]}): rate it medium, or give the publisher's address once the "
            "figure is checked there")


def copied_sources(rows: list[dict[str, str]]) -> dict[str, str]:
    """Sources whose figures were read only in a copy, and why sources.csv says so: no address
    of the publisher's own, or a copy read (``retrieved_via``) that the row does not call exact
    (an address given but never opened is no sign on its own: a refresh reads the publisher's
    own file from disk)."""
    out = {}
    for r in rows:
        via = (r.get("retrieved_via") or "").strip()
        if not (r.get("url") or "").strip():
            out[r["source_id"].strip()] = "sources.csv gives no url of the publisher's own"
        elif via and not _calls_exact(via):
            out[r["source_id"].strip()] = "retrieved_via names a copy it does not call exact"
    return out


def _calls_exact(via: str) -> bool:
    """Whether ``retrieved_via`` calls its copy exact ('an exact copy …'; not 'not an exact
    copy')."""
    said = re.search(r"\bexact\b", via, re.IGNORECASE)
    return bool(said) and not re.search(r"\bnot (?:an? )?exact\b", via, re.IGNORECASE)


def check_table(spec: TableSpec, data_dir: Path, context: _Context | None = None,
                progress: Callable[[str], None] | None = None) -> tuple[list[str], int]:
    """Problems of one table and its number of data rows."""
    context = context or _Context()
    name = spec.path
    try:
        path = table_path(data_dir, spec.path)
        rows = stream_rows(path)
        _, header = next(rows)
    except TableError as exc:
        listed = f" (the descriptor lists table '{spec.name}')" if "missing" in str(exc) else ""
        return [f"{name}: {exc}{listed}"], 0
    problems: list[str] = []
    missing = [f for f in spec.field_names if f not in header]
    extra = [h for h in header if h not in spec.field_names]
    if missing:
        problems.append(f"{name}: column(s) {', '.join(missing)} missing (the descriptor has them)")
    if extra:
        problems.append(f"{name}: column(s) {', '.join(extra)} not in the descriptor "
                        f"(add them to {paths.DESCRIPTOR_NAME} or remove them)")
    if missing:
        return problems, 0
    problems = _Capped(problems)
    end_check = ("end_date" in header and next((c for c in _START_COLUMNS if c in header), None))
    evidence_column = _EVIDENCE_KEYS.get(spec.name)
    seen_keys: dict[int, int] = {}
    count = 0
    last_report = time.monotonic()
    try:
        for line, row in rows:
            if len(row) != len(header):
                problems.append(f"{name} row {line}: has {len(row)} cells, the header has "
                                f"{len(header)}")
                continue
            count += 1
            record = dict(zip(header, row, strict=True))
            values = {}
            for field in spec.fields:
                try:
                    values[field.name] = parse_cell(field, record[field.name])
                except CellError as exc:
                    problems.append(f"{name} row {line}: {field.name} = "
                                    f"{show(record[field.name])} {exc}")
            if (end_check and values.get("end_date") and values.get(end_check)
                    and values["end_date"] < values[end_check]):
                problems.append(f"{name} row {line}: end_date {values['end_date']} is before "
                                f"{end_check} {values[end_check]}")
            if spec.primary_key:
                key = tuple(record[k].strip() for k in spec.primary_key)
                digest = _key_digest(key)
                if digest in seen_keys:
                    problems.append(
                        f"{name} row {line}: duplicate key {', '.join(spec.primary_key)} = "
                        f"{show(' / '.join(key))} (first at row {seen_keys[digest]})")
                else:
                    seen_keys[digest] = line
            if "contested_source_id" in record:
                problem = _contested_problem(record)
                if problem:
                    problems.append(f"{name} row {line}: {problem}")
            if "personnel_basis" in record:
                problem = _basis_problem(record)
                if problem:
                    problems.append(f"{name} row {line}: {problem}")
            if "change_pct" in record:
                problem = _change_problem(record)
                if problem:
                    problems.append(f"{name} row {line}: {problem}")
            if context.copied:
                problem = _copied_high(spec.name, record, context.copied)
                if problem:
                    problems.append(f"{name} row {line}: {problem}")
            if context.published and spec.name in _REPORTED:
                problem = _reported_before(spec.name, record, context.published)
                if problem:
                    problems.append(f"{name} row {line}: {problem}")
            if context.source_ids is not None:
                for column, ref in _source_refs(spec.name, record):
                    if ref not in context.source_ids:
                        problems.append(f"{name} row {line}: {column} = {show(ref)} is not in "
                                        "sources.csv")
            for fk in spec.foreign_keys:  # a row of another table than sources (read before)
                target = context.evidence_ids.get(fk["reference"]["resource"])
                value = record.get(fk["fields"], "").strip()
                if target is not None and value and value not in target:
                    problems.append(f"{name} row {line}: {fk['fields']} = {show(value)} is not "
                                    f"in {fk['reference']['resource']}.csv")
            if spec.name == "sources":
                context.sources_seen.add(record["source_id"].strip())
                context.source_rows.append(record)
            if evidence_column:
                context.evidence_ids.setdefault(spec.name, set()).add(
                    record[evidence_column].strip())
            if spec.name == "claims":
                context.claims.append((line, record))
            if spec.name == "anchors":
                context.anchors.append((line, record))
            if progress and count % 10000 == 0 and time.monotonic() - last_report > \
                    PROGRESS_EVERY_S:
                last_report = time.monotonic()
                progress(f"  validating {name}: {count:,} rows so far, "
                         f"{len(problems) + problems.more} problem(s)")
    except TableError as exc:
        problems.append(f"{name}: {exc}")
    if not count and not problems:
        problems.append(f"{name}: has a header but no data rows")
    return problems.lines(name), count


def _order(specs: dict[str, TableSpec]) -> list[TableSpec]:
    """sources first (others refer to it), the tables claims cite next, claims last."""
    rank = {"sources": 0, **{t: 1 for t in _EVIDENCE_KEYS}, "claims": 3}
    return sorted(specs.values(), key=lambda s: rank.get(s.name, 2))


def validate(data_dir: Path | None = None,
             progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Check every table; raise DataValidationError listing all problems, else row counts."""
    data_dir = paths.data_dir(data_dir)
    specs = load_descriptor(data_dir)  # checks the folder and the descriptor first
    problems: list[str] = []
    counts: dict[str, int] = {}
    context = _Context()
    for spec in _order(specs):
        table_problems, counts[spec.name] = check_table(spec, data_dir, context, progress)
        problems += table_problems
        if spec.name == "sources" and context.sources_seen:
            context.source_ids = context.sources_seen
            # (a source known to its month only: that month, "2025-04")
            context.published = {
                r["source_id"].strip(): (r.get("date_published") or "")[
                    :7 if (r.get("date_precision") or "").strip() == "month" else None]
                for r in context.source_rows}
            context.copied = copied_sources(context.source_rows)
    listed = {Path(spec.path).as_posix() for spec in specs.values()}
    for csv_path in sorted(data_dir.glob("*.csv")):
        if csv_path.name not in listed:
            problems.append(f"{csv_path.name}: not described in {paths.DESCRIPTOR_NAME}")
    problems += _check_claim_evidence(context, set(specs))
    if "anchors" in specs:  # an evidence base without the story's anchors (tests) skips this
        problems += _check_anchors(context)
    problems += provenance.check_sources(context.source_rows)
    if problems:
        raise DataValidationError(_cap_per_file(problems))
    return {spec.name: counts[spec.name] for spec in specs.values()}


MAX_PER_FILE = 25


def _cap_per_file(problems: list[str]) -> list[str]:
    """At most MAX_PER_FILE problems per file, then one line saying how many more there are."""
    kept, extra = [], {}
    counts: dict[str, int] = {}
    for problem in problems:
        file = problem.split(" ", 1)[0].rstrip(":")
        counts[file] = counts.get(file, 0) + 1
        if counts[file] <= MAX_PER_FILE or problem.startswith(f"{file}: ... and "):
            kept.append(problem)
        else:
            extra[file] = extra.get(file, 0) + 1
    kept += [f"{file}: ... and {n} more problem(s)" for file, n in extra.items()]
    return kept


def _check_anchors(context: _Context) -> list[str]:
    """Every anchor the report uses is in anchors.csv, names an existing event (or, only when it
    is not an event, a date), and no anchor is unknown to the report."""
    from .anchors import KEYS

    problems = []
    found = set()
    events = context.evidence_ids.get("events", set())
    for line, record in context.anchors:
        key = record.get("anchor", "").strip()
        found.add(key)
        event, day = record.get("event_id", "").strip(), record.get("date", "").strip()
        if bool(event) == bool(day):
            problems.append(f"anchors.csv row {line}: anchor {key!r} needs exactly one of "
                            "event_id or date (an event id unless the anchor is not an event)")
        if event and event not in events:
            problems.append(f"anchors.csv row {line}: event_id = {event!r} is not in events.csv "
                            "(column event_id)")
        if key not in KEYS:
            problems.append(f"anchors.csv row {line}: anchor {key!r} is not used by the report "
                            f"(anchors: {', '.join(KEYS)}); add it to analysis.anchors.KEYS or "
                            "remove the row")
    missing = [k for k in KEYS if k not in found]
    if missing:
        problems.append(f"anchors.csv: anchor(s) {', '.join(missing)} missing (the report's "
                        "sections need them; add a row naming the event)")
    return problems


def _check_claim_evidence(context: _Context, tables: set[str]) -> list[str]:
    """Claim evidence like ``events:E045`` must point at a row that exists."""
    problems = []
    for line, claim in context.claims:
        for ref in filter(None, (r.strip() for r in claim.get("evidence", "").split(";"))):
            table, _, key = ref.partition(":")
            if table not in tables:
                problems.append(f"claims.csv row {line}: evidence {show(ref)} names no table "
                                f"(tables: {', '.join(sorted(tables))})")
            elif table in _EVIDENCE_KEYS and key not in context.evidence_ids.get(table, set()):
                problems.append(f"claims.csv row {line}: evidence {show(ref)}: no such row in "
                                f"{table}.csv")
    return problems
