"""Typed loaders for the evidence base and the one place where ``as_of`` and year windows apply.

``load_evidence(p)`` validates the folder, reads every table with the dtypes its schema declares
and returns an :class:`Evidence` whose tables hold only what was known on ``p.as_of`` within
``p.start_year..p.end_year``. Annual figures count as dated on 31 December of their year.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import datafiles, paths
from .cells import parse_cell, read_rows, table_path
from .datafiles import described_files
from .schema import TableSpec, load_descriptor
from .validation import validate

if TYPE_CHECKING:
    from .params import ReportParams

_DTYPES = {"integer": "Int64", "number": "float64", "boolean": "boolean", "string": "string"}
#: columns that name countries (used to list the names a parameter may take)
COUNTRY_COLUMNS = {
    "military_expenditure": ("country",),
    "arms_imports": ("recipient", "supplier"),
    "trade": ("partner",),
    "un_votes": ("country",),
    "deployments": ("deployer",),
    "remittances": ("origin",),
    "energy": ("partner",),
    "trade_by_commodity": ("partner",),
}
#: date column that cuts each table at as_of (annual tables use their year column)
_DATE_COLUMNS = {"events": "date", "deployments": "start_date", "casualties": "reported_on",
                 "un_votes": "date", "opinion": "fieldwork_date",
                 "gas_prices": "effective_from", "defence_budgets": "reported_on",
                 "arms_import_shares": "published_on"}
#: an undated casualty figure counts as known from the last day of its fighting: the anchor
#: (data/anchors.csv) that ends each conflict named in casualties.csv
CONFLICT_END_ANCHOR = {"1988-94 war": "ceasefire_1994", "2020 war": "ceasefire_2020",
                       "September 2022 clashes": "attack_sept_2022",
                       "September 2023 offensive": "offensive_2023"}
_YEAR_COLUMNS = {"military_expenditure": "year", "arms_imports": "year", "trade": "year",
                 "remittances": "year", "energy": "year", "arms_deliveries": "delivery_year",
                 "trade_by_commodity": "year", "gdp": "year"}


def _read_typed(spec: TableSpec, data_dir: Path) -> pd.DataFrame:
    """A table with the dtypes its schema declares, read cell by cell with the validator's
    parser (analysis.cells), so the loader accepts exactly what validation accepts."""
    rows = read_rows(table_path(data_dir, spec.path))
    _, header = next(rows)
    position = {name: header.index(name) for name in spec.field_names}
    columns: dict[str, list] = {name: [] for name in spec.field_names}
    for _, row in rows:
        for f in spec.fields:
            columns[f.name].append(parse_cell(f, row[position[f.name]]))
    frame = {}
    for f in spec.fields:
        values = columns[f.name]
        if f.type == "date":
            frame[f.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        else:
            frame[f.name] = pd.Series(values, dtype=_DTYPES.get(f.type, "string"))
    return pd.DataFrame(frame)


#: (folder, stamp) of evidence bases a build validated and told this process about (``trust``)
_TRUSTED: set[tuple[Path, tuple[tuple[str, float], ...]]] = set()


@lru_cache(maxsize=4)
def _load_all(data_dir: Path, stamp: tuple[tuple[str, float], ...]) -> dict[str, pd.DataFrame]:
    if (data_dir, stamp) not in _TRUSTED:
        validate(data_dir)
    return {name: _read_typed(spec, data_dir) for name, spec in load_descriptor(data_dir).items()}


def _stamp(data_dir: Path) -> tuple[tuple[str, float], ...]:
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                 for p in described_files(data_dir))


def load_tables(data_dir: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every table, validated and typed, uncut. Cached until a file changes."""
    folder = paths.data_dir(data_dir)
    tables = _load_all(folder, _stamp(folder))
    return {name: frame.copy() for name, frame in tables.items()}


def load_table(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One table, validated and typed."""
    return load_tables(data_dir)[name]


def latest_date(data_dir: Path | str | None = None) -> dt.date:
    """The latest date any dated fact carries (events, surveys, votes, deployments, casualty
    counts): the default ``as_of``. Derived from the data, never hard-coded."""
    tables = load_tables(data_dir)
    latest = [tables["events"][["date", "end_date"]].max().max()]
    latest += [tables[name][column].max() for name, column in _DATE_COLUMNS.items()
               if name != "events"]
    return max(d for d in latest if pd.notna(d)).date()


def known_countries(data_dir: Path | str | None = None) -> list[str]:
    """Every country or bloc name a parameter may take: those the data has figures for."""
    tables = load_tables(data_dir)
    names: set[str] = set()
    for table, columns in COUNTRY_COLUMNS.items():
        for column in columns:
            names.update(tables[table][column].dropna().astype(str))
    names.discard("World")
    # aggregates and placeholders such as "Unknown supplier(s)" are not actors
    return sorted(n for n in names if "(" not in n)


def file_hashes(data_dir: Path | str | None = None) -> dict[str, str]:
    """sha256 of the descriptor and of every file it names, keyed by path inside the data folder
    (for the manifest, the colophon and the decision to reuse an executed section)."""
    return datafiles.file_hashes(data_dir)


def data_digest(data_dir: Path | str | None = None) -> str:
    """One hash of the whole evidence base (every file's sha256): what a build validated."""
    hashes = file_hashes(data_dir)
    return "sha256:" + hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()


def trust(data_dir: Path | str | None, digest: str) -> bool:
    """Skip re-validating ``data_dir`` in this process if its files still hash to ``digest``
    (the build validated exactly those files). Returns whether they did."""
    folder = paths.data_dir(data_dir)
    stamp = _stamp(folder)
    if data_digest(folder) != digest:
        return False
    _TRUSTED.add((folder, stamp))
    return True


def _conflict_ends(tables: dict[str, pd.DataFrame]) -> dict[str, pd.Timestamp]:
    """Last day of each conflict of casualties.csv, from its anchor event (end date or date)."""
    anchors = tables["anchors"].set_index("anchor")["event_id"]
    events = tables["events"].set_index("event_id")
    ends = {}
    for conflict, key in CONFLICT_END_ANCHOR.items():
        row = events.loc[anchors[key]]
        ends[conflict] = row["end_date"] if pd.notna(row["end_date"]) else row["date"]
    return ends


def cut(tables: dict[str, pd.DataFrame], as_of: dt.date, start_year: int,
        end_year: int) -> dict[str, pd.DataFrame]:
    """Apply ``as_of`` and the year window to every table (the only place this is done)."""
    limit = pd.Timestamp(as_of)
    last_full_year = as_of.year if as_of >= dt.date(as_of.year, 12, 31) else as_of.year - 1
    out = {}
    for name, frame in tables.items():
        if name == "casualties":
            fallback = pd.to_datetime(frame["conflict"].map(_conflict_ends(tables)))
            frame = frame.assign(reported_on=frame["reported_on"].fillna(fallback))
        if name in _DATE_COLUMNS:
            frame = frame[frame[_DATE_COLUMNS[name]] <= limit]
        if name in _YEAR_COLUMNS:
            year = frame[_YEAR_COLUMNS[name]]
            frame = frame[(year <= min(end_year, last_full_year)) & (year >= start_year)]
        if name == "arms_import_shares":
            # a published five-year share is known once its last year is complete
            period_end = frame["period"].str[-4:].astype(int)
            frame = frame[period_end <= min(end_year, last_full_year)]
        if name == "events":
            frame = frame.assign(end_date=frame["end_date"].where(frame["end_date"] <= limit))
        if name == "deployments":
            frame = frame.assign(end_date=frame["end_date"].where(frame["end_date"] <= limit))
        if name == "claims":
            # every claim stays listed; a verdict resting on later evidence is not shown yet
            pending = frame["verdict_date"] > limit
            frame = frame.assign(verdict=frame["verdict"].mask(pending, "not yet verifiable"))
            later = frame["after_article_date"].isna() | (frame["after_article_date"] > limit)
            frame = frame.assign(after_article=frame["after_article"].mask(later),
                                 after_article_date=frame["after_article_date"].mask(later))
        out[name] = frame.reset_index(drop=True)
    return out


@dataclass(frozen=True)
class Evidence:
    """What the notebooks work from: tables cut to the parameters, plus the full bibliography."""

    params: ReportParams
    tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(f"no table {name!r}; tables: {', '.join(sorted(tables))}")

    def anchor(self, key: str):
        """A story anchor (data/anchors.csv): its event row if dated on or before as_of, else a
        falsy ``NotYet`` whose ``sentence()`` is the only 'not yet' text the report prints."""
        from .anchors import anchor

        return anchor(self, key)

    def publishers(self, source_ids) -> list[str]:
        """Distinct publishers of the given source ids, in first-seen order."""
        ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str)]
        by_id = self.sources.set_index("source_id")["publisher"]
        return list(dict.fromkeys(by_id[s] for s in ids if s in by_id.index))


def load_evidence(p: ReportParams) -> Evidence:
    """Validate, load and cut the evidence base for the parameters ``p``."""
    tables = load_tables(p.data_dir)
    return Evidence(params=p, tables=cut(tables, p.as_of, p.start_year, p.end_year),
                    sources=tables["sources"])
