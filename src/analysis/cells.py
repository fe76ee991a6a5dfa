"""Reading the evidence base's CSV files: the one parser the validator and the loaders share.

``parse_cell(field, text)`` turns one cell into its value (``None`` for an empty cell) or raises
:class:`CellError` saying why not; :mod:`analysis.validation` reports that reason with the file,
row and column, and :mod:`analysis.evidence` builds its typed DataFrames from the same values, so
what the validator accepts is exactly what the loaders read.

``open_table(data_dir, path)`` opens a table for streaming, refusing anything that could hang or
escape: only regular files inside the data folder (after following symlinks), at most
``max_table_bytes()`` bytes (``$TIGHTROPE_MAX_TABLE_MB`` raises the limit).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Numbers as written in the tables: ASCII digits, an optional sign and decimal part. No
#: exponents, digit separators (``1_000``, ``1,000``), ``inf``/``nan`` or non-ASCII digits.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_INTEGER = re.compile(r"[-+]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BOOLEANS = {"true": True, "false": False}
#: Without a stated maximum a number must stay where float64 still holds every whole number
#: exactly (2**53): anything larger is a typing slip, not a figure of this evidence base.
MAGNITUDE_LIMIT = 2**53 - 1
#: Dates pandas can hold (nanosecond timestamps), whole years only.
FIRST_DATE, LAST_DATE = dt.date(1678, 1, 1), dt.date(2261, 12, 31)
#: Default size limit of one table; $TIGHTROPE_MAX_TABLE_MB raises it.
DEFAULT_MAX_TABLE_MB = 64
#: How much of a value an error message echoes.
ECHO_CHARS = 60


class CellError(ValueError):
    """A cell that does not hold a value of its column's type and range; the message says why."""


class TableError(ValueError):
    """A table file that cannot be read at all; the message says why and what to do."""


def show(value: Any, limit: int = ECHO_CHARS) -> str:
    """``repr`` of a value for a message, cut to ``limit`` characters."""
    text = str(value)
    if len(text) > limit:
        return repr(text[:limit]) + f"... ({len(text)} characters)"
    return repr(text)


def parse_number(text: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise CellError("is not a number (write digits 0-9 with an optional '.' and sign; no "
                        "exponent, separators, inf or nan)")
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAGNITUDE_LIMIT:
        raise CellError(f"is too large (the limit is {MAGNITUDE_LIMIT:,})")
    return value


def parse_integer(text: str) -> int:
    if not _INTEGER.fullmatch(text):
        raise CellError("is not a whole number (digits 0-9 with an optional sign)")
    if len(text.lstrip("+-")) > 16 or abs(int(text)) > MAGNITUDE_LIMIT:
        raise CellError(f"is too large (the limit is {MAGNITUDE_LIMIT:,})")
    return int(text)


def parse_date(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise CellError("is not a date as YYYY-MM-DD")
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise CellError("is not a valid date (expected YYYY-MM-DD)") from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise CellError(f"is outside {FIRST_DATE.isoformat()}..{LAST_DATE.isoformat()}, the dates "
                        "the report can hold")
    return value


def parse_boolean(text: str) -> bool:
    try:
        return _BOOLEANS[text.lower()]
    except KeyError:
        raise CellError("is not true or false") from None


_PARSERS = {"number": parse_number, "integer": parse_integer, "date": parse_date,
            "boolean": parse_boolean}


def _check_constraints(field, text: str, value: Any) -> None:
    c = field.constraints
    if "enum" in c and text not in c["enum"]:
        raise CellError(f"is not one of {', '.join(map(str, c['enum']))}")
    if "pattern" in c and not compiled_pattern(c["pattern"]).fullmatch(text):
        raise CellError(f"does not match the pattern {c['pattern']}")
    if "maxLength" in c and len(text) > c["maxLength"]:
        raise CellError(f"is longer than {c['maxLength']} characters")
    if field.type in ("number", "integer"):
        if "minimum" in c and value < c["minimum"]:
            raise CellError(f"is below the minimum {c['minimum']}")
        if "maximum" in c and value > c["maximum"]:
            raise CellError(f"is above the maximum {c['maximum']}")


_PATTERNS: dict[str, re.Pattern] = {}


def compiled_pattern(pattern: str) -> re.Pattern:
    """A descriptor ``pattern``, compiled once; schema.py checks it compiles."""
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


def parse_cell(field, text: str) -> Any:
    """The value of one cell of column ``field`` (a schema FieldSpec); None when empty.

    Raises CellError with the reason (a required column that is empty, a value that is not of
    the column's type, outside its range or not matching its constraints).
    """
    stripped = text.strip()
    if stripped == "":
        if field.required:
            raise CellError("is empty (required)")
        return None
    parser = _PARSERS.get(field.type)
    if parser is None and stripped != text:
        # the loader keeps text as written: 'Armenia ' would be another country, and a padded
        # source id one the edition cannot cite (its rows silently cut)
        raise CellError("has spaces at its start or end; remove them")
    value = parser(stripped) if parser else text
    _check_constraints(field, stripped, value)
    return value


# ---------------------------------------------------------------- files

def max_table_bytes() -> int:
    """The size limit of one table. A bad setting is the user's mistake about the whole run, not
    about a table: a ParameterError (one line, exit 2), not a problem listed per table."""
    raw = os.environ.get("TIGHTROPE_MAX_TABLE_MB", "").strip()
    if raw:
        if not re.fullmatch(r"[0-9]+", raw) or int(raw) == 0:
            from .errors import ParameterError

            raise ParameterError(f"TIGHTROPE_MAX_TABLE_MB={show(raw)} is not a positive whole number "
                             "of megabytes")
        return int(raw) * 1024 * 1024
    return DEFAULT_MAX_TABLE_MB * 1024 * 1024


def table_path(data_dir: Path, relative: str) -> Path:
    """The file a descriptor ``path`` names, checked to lie inside ``data_dir`` (symlinks
    followed) and to be a regular file within the size limit. Raises TableError."""
    if not isinstance(relative, str) or not relative.strip():
        raise TableError("the descriptor gives no file path for this table")
    root = data_dir.resolve()
    candidate = root / relative
    if Path(relative).is_absolute() or ".." in Path(relative).parts:
        raise TableError("the descriptor path leaves the data folder; give a path inside it")
    real = candidate.resolve()
    if not real.is_relative_to(root):
        raise TableError(f"the file is a link to {show(str(real))}, outside the data folder; "
                         "copy the table into the data folder")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        raise TableError("file is missing") from None
    except OSError as exc:
        raise TableError(f"cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise TableError("is a folder, not a CSV file")
    if not stat.S_ISREG(info.st_mode):
        raise TableError("is not a regular file (a pipe or device?); give a CSV file")
    limit = max_table_bytes()
    if info.st_size > limit:
        raise TableError(f"is {info.st_size / 2**20:,.0f} MB, over the limit of "
                         f"{limit / 2**20:,.0f} MB per table; set TIGHTROPE_MAX_TABLE_MB to raise it")
    return real


def _bad_byte(path: Path) -> str:
    """Row, column and byte offset of the first byte that is not UTF-8 (bounded memory)."""
    offset = 0
    with path.open("rb") as handle:
        for line_number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(line[:exc.start].decode("utf-8", errors="replace")) + 1
                return (f"line {line_number}, character {column} (byte {offset + exc.start}: "
                        f"{line[exc.start:exc.start + 1]!r})")
            offset += len(line)
    return "an unknown position"


def read_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every record of a CSV file, the header first, streamed.

    Raises TableError for a file that is empty, not UTF-8 or not parseable as CSV, naming the
    line; line numbers are those of the file (the header is line 1).
    """
    csv.field_size_limit(max(max_table_bytes(), 131072))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        seen = False
        try:
            for row in reader:
                # blank lines (an editor's trailing newline) are not records, anywhere
                if not row or (not seen and not any(cell.strip() for cell in row)):
                    continue
                seen = True
                yield reader.line_num, row
        except UnicodeDecodeError:
            raise TableError(f"is not UTF-8 text at {_bad_byte(path)}; save it as UTF-8") from None
        except csv.Error as exc:
            raise TableError(f"line {reader.line_num}: not valid CSV ({exc})") from None
        if not seen:
            raise TableError("the file is empty (expected a header row and data)")
