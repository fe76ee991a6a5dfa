"""Checks of the evidence base against its descriptor.

Every problem is collected (not only the first) and named by file, row, column, value and what
was expected, e.g. ``trade.csv row 57: value_usd_m = 'n/a' is not a number``. Row numbers are line
numbers in the file (the header is line 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

from . import paths, provenance
from .errors import DataValidationError
from .schema import FieldSpec, TableSpec, load_descriptor

_BOOLEANS = {"true": True, "false": False}


def _check_number(value: str) -> str | None:
    try:
        float(value)
    except ValueError:
        return "is not a number"
    return None


def _check_integer(value: str) -> str | None:
    return None if re.fullmatch(r"-?\d+", value) else "is not a whole number"


def _check_date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "is not a valid date (expected YYYY-MM-DD)"
    return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else "is not a date as YYYY-MM-DD"


def _check_boolean(value: str) -> str | None:
    return None if value.lower() in _BOOLEANS else "is not true or false"


_TYPE_CHECKS: dict[str, Callable[[str], str | None]] = {
    "number": _check_number,
    "integer": _check_integer,
    "date": _check_date,
    "boolean": _check_boolean,
    "string": lambda value: None,
}


def _check_constraints(spec: FieldSpec, value: str) -> str | None:
    c = spec.constraints
    if "enum" in c and value not in c["enum"]:
        return f"is not one of {', '.join(map(str, c['enum']))}"
    if "pattern" in c and not re.fullmatch(c["pattern"], value):
        return f"does not match the pattern {c['pattern']}"
    if "maxLength" in c and len(value) > c["maxLength"]:
        return f"is longer than {c['maxLength']} characters"
    if spec.type in ("number", "integer"):
        number = float(value)
        if "minimum" in c and number < c["minimum"]:
            return f"is below the minimum {c['minimum']}"
        if "maximum" in c and number > c["maximum"]:
            return f"is above the maximum {c['maximum']}"
    return None


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV; raises ValueError with a clear reason for unreadable files."""
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("the file is empty (expected a header row and data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"is not UTF-8 text (byte {exc.start}: {raw[exc.start:exc.start + 1]!r});"
                         " save it as UTF-8") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def check_table(spec: TableSpec, data_dir: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Problems of one table and its rows as dicts (for cross-table checks)."""
    path = data_dir / spec.path
    name = spec.path
    if not path.exists():
        return [f"{name}: file is missing (the descriptor lists table '{spec.name}')"], []
    try:
        header, rows = read_rows(path)
    except ValueError as exc:
        return [f"{name}: {exc}"], []
    problems: list[str] = []
    missing = [f for f in spec.field_names if f not in header]
    extra = [h for h in header if h not in spec.field_names]
    if missing:
        problems.append(f"{name}: column(s) {', '.join(missing)} missing (the descriptor has them)")
    if extra:
        problems.append(f"{name}: column(s) {', '.join(extra)} not in the descriptor "
                        f"(add them to {paths.DESCRIPTOR_NAME} or remove them)")
    if missing:
        return problems, []
    if not rows:
        problems.append(f"{name}: has a header but no data rows")
    records: list[dict[str, str]] = []
    seen_keys: dict[tuple[str, ...], int] = {}
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            problems.append(f"{name} row {line}: has {len(row)} cells, the header has {len(header)}")
            continue
        record = dict(zip(header, row, strict=True))
        records.append(record)
        for spec_field in spec.fields:
            value = record[spec_field.name].strip()
            if value == "":
                if spec_field.required:
                    problems.append(f"{name} row {line}: {spec_field.name} is empty (required)")
                continue
            reason = _TYPE_CHECKS.get(spec_field.type, _TYPE_CHECKS["string"])(value)
            reason = reason or _check_constraints(spec_field, value)
            if reason:
                problems.append(f"{name} row {line}: {spec_field.name} = {value!r} {reason}")
        if spec.primary_key:
            key = tuple(record[k].strip() for k in spec.primary_key)
            if key in seen_keys:
                problems.append(
                    f"{name} row {line}: duplicate key {', '.join(spec.primary_key)} = "
                    f"{' / '.join(key)} (first at row {seen_keys[key]})")
            else:
                seen_keys[key] = line
    return problems, records


def _source_refs(table: str, record: dict[str, str]) -> list[tuple[str, str]]:
    if table == "claims":
        return [("source_ids", s.strip()) for s in record.get("source_ids", "").split(";")
                if s.strip()]
    return [("source_id", record["source_id"].strip())] if record.get("source_id") else []


def validate(data_dir: Path | None = None) -> dict[str, int]:
    """Check every table; raise DataValidationError listing all problems, else row counts."""
    data_dir = paths.data_dir(data_dir)
    specs = load_descriptor(data_dir)
    problems: list[str] = []
    records: dict[str, list[dict[str, str]]] = {}
    for spec in specs.values():
        table_problems, rows = check_table(spec, data_dir)
        problems += table_problems
        records[spec.name] = rows
    listed = {spec.path for spec in specs.values()}
    for csv_path in sorted(data_dir.glob("*.csv")):
        if csv_path.name not in listed:
            problems.append(f"{csv_path.name}: not described in {paths.DESCRIPTOR_NAME}")
    source_ids = {r["source_id"].strip() for r in records.get("sources", [])}
    if records.get("sources"):
        for table, rows in records.items():
            for line, record in enumerate(rows, start=2):
                for column, ref in _source_refs(table, record):
                    if ref not in source_ids:
                        problems.append(f"{specs[table].path} row {line}: {column} = {ref!r} "
                                        "is not in sources.csv")
    problems += _check_claim_evidence(records)
    problems += provenance.check_sources(records.get("sources", []))
    if problems:
        raise DataValidationError(_cap_per_file(problems))
    return {name: len(rows) for name, rows in records.items()}


MAX_PER_FILE = 25


def _cap_per_file(problems: list[str]) -> list[str]:
    """At most MAX_PER_FILE problems per file, then one line saying how many more there are."""
    kept, extra = [], {}
    counts: dict[str, int] = {}
    for problem in problems:
        file = problem.split(" ", 1)[0].rstrip(":")
        counts[file] = counts.get(file, 0) + 1
        if counts[file] <= MAX_PER_FILE:
            kept.append(problem)
        else:
            extra[file] = extra.get(file, 0) + 1
    kept += [f"{file}: ... and {n} more problem(s)" for file, n in extra.items()]
    return kept


_EVIDENCE_KEYS = {"events": "event_id", "deployments": "deployment_id"}


def _check_claim_evidence(records: dict[str, list[dict[str, str]]]) -> list[str]:
    """Claim evidence like ``events:E045`` must point at a row that exists."""
    problems = []
    for line, claim in enumerate(records.get("claims", []), start=2):
        for ref in filter(None, (r.strip() for r in claim.get("evidence", "").split(";"))):
            table, _, key = ref.partition(":")
            if table not in records:
                problems.append(f"claims.csv row {line}: evidence {ref!r} names no table "
                                f"(tables: {', '.join(sorted(records))})")
            elif table in _EVIDENCE_KEYS:
                ids = {r[_EVIDENCE_KEYS[table]] for r in records[table]}
                if key not in ids:
                    problems.append(f"claims.csv row {line}: evidence {ref!r}: no such row in "
                                    f"{table}.csv")
    return problems
