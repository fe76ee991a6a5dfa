"""Typed loaders for the evidence base and the one place where ``as_of`` and year windows apply.

``load_evidence(p)`` validates the folder, reads every table with the dtypes its schema declares
and returns an :class:`Evidence` whose tables hold only what was known on ``p.as_of`` within
``p.start_year..p.end_year``. Annual figures count as dated on 31 December of their year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import datafiles, paths
from . import evidence_refs as refs_mod
from .cells import parse_cell, read_rows, table_path
from .datafiles import described_files
from .measures.result import weakest
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
    "gas_prices": ("supplier", "buyer"),
}
#: date column that cuts each table at as_of (annual tables use their year column)
_DATE_COLUMNS = {"events": "date", "deployments": "start_date", "strengths": "date",
                 "casualties": "reported_on",
                 "un_votes": "date", "opinion": "fieldwork_date",
                 "gas_prices": "effective_from", "defence_budgets": "reported_on",
                 "arms_import_shares": "published_on"}
#: an undated casualty figure counts as known from the last day of its fighting: the anchor
#: (data/anchors.csv) that ends each conflict named in casualties.csv
CONFLICT_END_ANCHOR = {"1988-94 war": "ceasefire_1994", "2020 war": "ceasefire_2020",
                       "September 2022 clashes": "attack_sept_2022",
                       "September 2023 offensive": "offensive_2023"}


def conflict_ended_by(anchor: str) -> str | None:
    """The conflict of casualties.csv whose last day the anchor ``anchor`` gives, if any."""
    return next((c for c, key in CONFLICT_END_ANCHOR.items() if key == anchor), None)


_YEAR_COLUMNS = {"military_expenditure": "year", "arms_imports": "year", "trade": "year",
                 "remittances": "year", "energy": "year", "arms_deliveries": "delivery_year",
                 "trade_by_commodity": "year", "gdp": "year"}


_EMPTY_UPDATES = pd.DataFrame({"claim_id": pd.Series(dtype="string"),
                               "date": pd.Series(dtype="datetime64[ns]"),
                               "verdict": pd.Series(dtype="string"),
                               "update": pd.Series(dtype="string"),
                               "evidence": pd.Series(dtype="string"),
                               "source_ids": pd.Series(dtype="string")})


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
    return _copies(_load_all(folder, _stamp(folder)))


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
    # a source published later than every dated fact (a survey's report) is knowable from then
    sources = tables["sources"]
    latest.append(published_on(sources[sources["date_published"].notna()]).max())
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


def edition_facts(data_dir: Path | str | None = None) -> dict:
    """What resolving parameters needs from the evidence base (see :func:`analysis.params.resolve`):
    the latest dated fact and the countries it knows, as JSON (computed where the tables are
    loaded, for a process that does not load them). Once per process while the files stay as
    they are: every section resolves its parameters with them."""
    folder = paths.data_dir(data_dir)
    facts = _edition_facts(folder, _stamp(folder))
    return {"latest": facts["latest"], "countries": list(facts["countries"])}


@lru_cache(maxsize=8)
def _edition_facts(folder: Path, stamp: tuple) -> dict:
    return {"latest": latest_date(folder).isoformat(), "countries": tuple(known_countries(folder))}


def trust(data_dir: Path | str | None, digest: str) -> bool:
    """Skip re-validating ``data_dir`` in this process if its files still hash to ``digest``
    (the build validated exactly those files). Returns whether they did."""
    folder = paths.data_dir(data_dir)
    stamp = _stamp(folder)
    if datafiles.data_digest(folder) != digest:
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


#: annual series: a row counts as dated on 31 December of its year; a source of theirs may be a
#: later (revised) release, which the edition names once in a data note
_SERIES_TABLES = (*_YEAR_COLUMNS, "arms_import_shares")


def annual_only(evidence: str) -> bool:
    """Does an evidence list ('trade:Russia/2024/exports;...') cite annual figures only (each
    known, by rule 2 of :func:`cut`, from 31 December of its year: a date to print as the year,
    not as a day)?"""
    tables = [refs_mod.parse(ref)[0] for ref in refs_mod.split(evidence)]
    return bool(tables) and all(t in _SERIES_TABLES for t in tables)


def series_releases(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Source ids of the annual series (database releases), whatever their publication date."""
    ids: set[str] = set()
    for name in _SERIES_TABLES:
        if name in tables:
            ids.update(tables[name]["source_id"].dropna())
    return ids


def _series_years(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """The last year each release's annual rows reach in the uncut tables."""
    years: dict[str, int] = {}
    for name, column in _YEAR_COLUMNS.items():
        if name in tables and len(tables[name]):
            last = tables[name].groupby("source_id")[column].max()
            for sid, year in last.items():
                years[sid] = max(years.get(sid, 0), int(year))
    return years


def published_on(sources: pd.DataFrame) -> pd.Series:
    """Each source's publication day for the cut: ``date_published`` (the last day of its month
    when only the month is known, ``date_precision``), else, for an undated source whose content
    dates it, its ``not_before`` day (else NaT)."""
    published = sources["date_published"]
    if "date_precision" in sources:
        precision = sources["date_precision"].fillna("day")
        published = pd.Series([refs_mod.period_end(day, how) if pd.notna(day) else pd.NaT
                               for day, how in zip(published, precision, strict=True)],
                              index=sources.index, dtype="datetime64[ns]")
    return published.fillna(sources["not_before"]) if "not_before" in sources else published


def knowable_sources(tables: dict[str, pd.DataFrame], as_of: dt.date) -> set[str]:
    """Sources an edition dated ``as_of`` may cite: published on or before it (undated ones are
    kept and shown as n.d., from their ``not_before`` day when their content gives one), plus the
    releases of the annual series (see :func:`later_releases`)."""
    sources = tables["sources"]
    published = published_on(sources)
    ok = published.isna() | (published <= pd.Timestamp(as_of))
    ok |= sources["source_id"].isin(series_releases(tables))
    return set(sources.loc[ok, "source_id"])


def newer_releases(tables: dict[str, pd.DataFrame], as_of: dt.date,
                   cited: set[str]) -> pd.DataFrame:
    """Releases published by ``as_of`` that replace a source the edition cites but that the
    evidence base has not been refreshed from (``supersedes``): the edition says newer data
    exist. Columns: those of ``sources``, with ``supersedes`` the cited source replaced (a
    release replacing a release of it counts too: the newest known per cited source), plus
    ``older_title`` (the release in use) and ``published`` (its day: ``date_published``, else
    ``not_before``)."""
    sources = tables["sources"]
    if "supersedes" not in sources:
        return sources.iloc[0:0].assign(older_title=pd.Series(dtype="string"),
                                        published=pd.Series(dtype="datetime64[ns]"))
    published = published_on(sources)
    replaces = sources.set_index("source_id")["supersedes"].dropna().to_dict()

    def cited_root(source_id: str) -> str | None:
        """The cited source a chain of releases (c replaces b replaces a) goes back to."""
        seen = set()
        while source_id in replaces and source_id not in seen:
            seen.add(source_id)
            source_id = replaces[source_id]
            if source_id in cited:
                return source_id
        return None

    root = sources["source_id"].map(cited_root)
    known = root.notna() & ~sources["source_id"].isin(cited) & published.notna() \
        & (published <= pd.Timestamp(as_of))
    newer = sources[known].assign(supersedes=root[known], published=published[known])
    # of several releases replacing one source, the newest the edition knows of
    newer = newer.sort_values(["published", "source_id"]).drop_duplicates("supersedes",
                                                                          keep="last")
    titles = sources.set_index("source_id")["title"]
    return newer.assign(older_title=newer["supersedes"].map(titles)).sort_index()


def later_releases(tables: dict[str, pd.DataFrame], as_of: dt.date) -> pd.DataFrame:
    """Releases of annual series published after ``as_of`` that the cut tables still use: their
    figures for years up to ``as_of`` are shown as revised in that later release (one data note)."""
    used: set[str] = set()
    for name in _SERIES_TABLES:
        if name in tables:
            used.update(tables[name]["source_id"].dropna())
    sources = tables["sources"]
    later = published_on(sources) > pd.Timestamp(as_of)
    if "covers_to" in sources:
        # an undated release (a continuously revised series) is later when our copy holds years
        # after the edition's last full year
        last_full = as_of.year if as_of >= dt.date(as_of.year, 12, 31) else as_of.year - 1
        later |= sources["date_published"].isna() & (sources["covers_to"] > last_full)
    return sources[sources["source_id"].isin(used) & later]


def _known_updates(updates: pd.DataFrame, cut_tables: dict[str, pd.DataFrame],
                   limit: pd.Timestamp, knowable: set[str]) -> pd.DataFrame:
    """Claim updates known at ``as_of``: dated by then, every evidence row they name is in the
    cut and every source they name was published by then. ``source_ids`` gains the sources of
    the evidence rows."""
    keep, sources = [], []
    find = refs_mod.resolver(cut_tables)
    for _, update in updates.iterrows():
        refs = refs_mod.split(update["evidence"])
        rows = [find(r) for r in refs]
        own = refs_mod.split(update["source_ids"])
        ok = (update["date"] <= limit and all(r is not None for r in rows)
              and all(s in knowable for s in own) and bool(refs or own))
        keep.append(ok)
        found = [refs_mod.source_of(ref, row) for ref, row in zip(refs, rows, strict=True)
                 if row is not None]
        sources.append(";".join(dict.fromkeys([*own, *(s for s in found if s)])))
    out = updates.assign(source_ids=sources)[keep] if len(updates) else updates
    return out.sort_values(["claim_id", "date"]).reset_index(drop=True)


def _cut_claims(claims: pd.DataFrame, updates: pd.DataFrame,
                cut_tables: dict[str, pd.DataFrame], limit: pd.Timestamp,
                knowable: set[str]) -> pd.DataFrame:
    """Every claim stays listed, judged with the evidence available at ``as_of``.

    A verdict shows once its date is reached and at least one of its sources or evidence rows is
    known; otherwise the claim is 'not yet verifiable' and carries no reasoning, evidence or
    sources. Evidence rows and sources dated later are dropped. A known update may change the
    verdict from its date (``first_verdict`` keeps the one the reasoning argues);
    ``after_article`` joins the known updates' texts.
    """
    records = []
    find = refs_mod.resolver(cut_tables)
    for claim in claims.to_dict("records"):
        refs = [r for r in refs_mod.split(claim["evidence"]) if find(r) is not None]
        sources = [s for s in refs_mod.split(claim["source_ids"]) if s in knowable]
        known = claim["verdict_date"] <= limit and bool(refs or sources)
        mine = updates[updates["claim_id"] == claim["claim_id"]] if known else updates.iloc[0:0]
        verdict = claim["verdict"] if known else "not yet verifiable"
        for later in mine["verdict"].dropna():
            verdict = later
        claim.update(
            verdict=verdict,
            first_verdict=claim["verdict"] if known else "not yet verifiable",
            reasoning=claim["reasoning"] if known else pd.NA,
            evidence=";".join(refs) if known else pd.NA,
            source_ids=";".join(sources) if known else pd.NA,
            after_article=" ".join(mine["update"]) if len(mine) else pd.NA,
            after_article_date=mine["date"].max() if len(mine) else pd.NaT)
        records.append(claim)
    out = pd.DataFrame.from_records(records, columns=[*claims.columns, "first_verdict",
                                                      "after_article", "after_article_date"])
    return out.astype({"after_article": "string", "reasoning": "string", "evidence": "string",
                       "source_ids": "string", "first_verdict": "string"})


def latest_strengths(deployments: pd.DataFrame, strengths: pd.DataFrame) -> pd.DataFrame:
    """Each deployment with its personnel as last published in ``strengths`` (already cut at
    as_of), else as published at deployment. The later count brings what it is
    (``personnel_basis``), its source (``personnel_source_id``), its date (``personnel_date``)
    and, if lower, its confidence."""
    out = deployments.assign(personnel_source_id=pd.Series(pd.NA, index=deployments.index,
                                                           dtype="string"),
                             personnel_date=pd.Series(pd.NaT, index=deployments.index,
                                                      dtype="datetime64[ns]"))
    latest = strengths.sort_values("date").groupby("deployment_id").tail(1)
    latest = latest.set_index("deployment_id")
    hit = out["deployment_id"].isin(latest.index)
    if not hit.any():
        return out
    ids = out.loc[hit, "deployment_id"]
    out.loc[hit, "personnel_persons"] = latest.loc[ids, "personnel_persons"].to_numpy()
    if "personnel_basis" in latest:
        out.loc[hit, "personnel_basis"] = latest.loc[ids, "personnel_basis"].to_numpy()
    out.loc[hit, "personnel_source_id"] = latest.loc[ids, "source_id"].to_numpy()
    # when the count was given: before an exercise begins it is what was announced for it
    out.loc[hit, "personnel_date"] = pd.to_datetime(latest.loc[ids, "date"]).to_numpy()
    out.loc[hit, "confidence"] = [weakest((a, b)) for a, b in zip(
        out.loc[hit, "confidence"], latest.loc[ids, "confidence"], strict=True)]
    return out


#: columns naming the source of one part of a row, beside its ``source_id``: an end date, a later
#: count (through the deployment it updates), another record's reading of a contested value
PART_SOURCE_COLUMNS = ("end_source_id", "personnel_source_id", "contested_source_id")


def cited_ids(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Source ids cited by any table but ``sources`` (``source_id``, ``source_ids`` and
    :data:`PART_SOURCE_COLUMNS`)."""
    ids: set[str] = set()
    for name, frame in tables.items():
        if name in ("sources", "strengths"):
            continue
        for column in ("source_id", *PART_SOURCE_COLUMNS):
            if column in frame:
                ids.update(frame[column].dropna())
        if "source_ids" in frame:
            for value in frame["source_ids"].dropna():
                ids.update(refs_mod.split(value))
    return ids


def edition_date(cut_tables: dict[str, pd.DataFrame], as_of: dt.date) -> dt.date:
    """The latest date of anything the cut evidence base holds: dated rows, annual figures (31
    December of their year), claim verdicts and updates, and the sources it cites (releases of
    annual series published after ``as_of`` excepted: the data note names them)."""
    dates = [cut_tables[name][column].max() for name, column in _DATE_COLUMNS.items()]
    dates += [cut_tables["events"]["end_date"].max(), cut_tables["deployments"]["end_date"].max()]
    for name, column in _YEAR_COLUMNS.items():
        year = cut_tables[name][column].max()
        if pd.notna(year):
            dates.append(pd.Timestamp(int(year), 12, 31))
    shares = cut_tables["arms_import_shares"]
    if len(shares):
        dates.append(pd.Timestamp(int(shares["period"].str[-4:].astype(int).max()), 12, 31))
    claims = cut_tables["claims"]
    dates.append(claims.loc[claims["verdict"] != "not yet verifiable", "verdict_date"].max())
    dates.append(cut_tables["claim_updates"]["date"].max())
    releases = set(later_releases(cut_tables, as_of)["source_id"])
    sources = cut_tables["sources"]
    cited = sources["source_id"].isin(cited_ids(cut_tables)) & ~sources["source_id"].isin(releases)
    dated = cited & sources["date_published"].notna()
    dates.append(published_on(sources.loc[dated]).max())  # (a month-only date: its end)
    found = [pd.Timestamp(d) for d in dates if pd.notna(d)]
    latest = max(found).date() if found else as_of
    return min(latest, as_of)


def cut(tables: dict[str, pd.DataFrame], as_of: dt.date, start_year: int,
        end_year: int) -> dict[str, pd.DataFrame]:
    """Apply ``as_of`` and the year window to every table (the only place this is done).

    The rules, each tested on its own:

    1. a dated row (event, deployment, casualty count, vote, survey wave, ...) counts from its
       date and is dropped when dated after ``as_of``; an end date after ``as_of``, or one
       reported by a source (``end_source_id``) published after it, is blanked; a
       deployment's personnel is the latest count published by then (``strengths``);
    2. an annual figure counts as dated on 31 December of its year;
    3. a row whose source was published after ``as_of`` is dropped: it was not knowable in that
       form. The releases of annual series are the exception (revised figures): the edition
       names them once in a data note (:func:`later_releases`);
    4. ``sources`` keeps only what the edition may cite (published by ``as_of``, undated ones
       shown as n.d., and series releases);
    5. claim updates count from their date, and only when the rows and sources they rest on are
       known; claims are judged with the evidence known at ``as_of`` (see ``_cut_claims``).
    """
    limit = pd.Timestamp(as_of)
    last_full_year = as_of.year if as_of >= dt.date(as_of.year, 12, 31) else as_of.year - 1
    knowable = knowable_sources(tables, as_of)
    out = {}
    for name, frame in tables.items():
        if name in ("claims", "claim_updates"):
            continue
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
        if name in ("events", "deployments"):
            ends = frame["end_date"] <= limit
            if "end_source_id" in frame:  # an end reported by a later source: known from it
                ends &= frame["end_source_id"].isna() | frame["end_source_id"].isin(knowable)
                frame = frame.assign(end_source_id=frame["end_source_id"].where(ends))
            if name == "events":  # an end the edition cannot know yet: still under way then
                frame = frame.assign(ongoing=frame["end_date"].notna() & ~ends)
            frame = frame.assign(end_date=frame["end_date"].where(ends))
        if "contested_source_id" in frame:  # another record's reading, from its date on
            known = frame["contested_source_id"].isna() | frame["contested_source_id"].isin(
                knowable)
            frame = frame.assign(**{c: frame[c].where(known) for c in frame.columns
                                    if c == "contested_source_id" or c.endswith("_contested")})
        if "source_id" in frame:  # sources itself, and every table citing one
            frame = frame[frame["source_id"].isin(knowable)]
        if name == "sources":
            frame = frame.assign(covers_to=frame["source_id"].map(_series_years(tables)))
        out[name] = frame.reset_index(drop=True)
    if "strengths" in out:
        out["deployments"] = latest_strengths(out["deployments"], out["strengths"])
    if "claim_updates" in tables:
        out["claim_updates"] = _known_updates(tables["claim_updates"], out, limit, knowable)
    if "claims" in tables:
        updates = out.get("claim_updates", _EMPTY_UPDATES)
        out["claims"] = _cut_claims(tables["claims"], updates, out, limit, knowable)
    return out


@dataclass(frozen=True)
class Evidence:
    """What the notebooks work from: tables cut to the parameters, plus the full bibliography."""

    params: ReportParams
    tables: dict[str, pd.DataFrame]
    sources: pd.DataFrame
    #: which files and window the tables were cut from, set by :func:`load_evidence` only;
    #: results computed from them are shared under it (:func:`memo`). None (tables put together
    #: by hand, or replaced with ``dataclasses.replace``): nothing is shared
    cut_key: tuple | None = field(default=None, compare=False, init=False)

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

    def sources_by_id(self) -> pd.DataFrame:
        """The bibliography indexed by ``source_id`` (once per edition: :func:`memo`). Read-only."""
        return memo(self, "sources_by_id", lambda: self.sources.set_index("source_id"))

    def publishers(self, source_ids) -> list[str]:
        """Distinct publishers of the given source ids, in first-seen order."""
        ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str)]
        by_id = self.sources_by_id()["publisher"]
        return list(dict.fromkeys(by_id[s] for s in ids if s in by_id.index))


def _copies(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in tables.items()}


@lru_cache(maxsize=4)
def _cut_cached(folder: Path, stamp: tuple, as_of: dt.date, start_year: int,
                end_year: int) -> dict[str, pd.DataFrame]:
    return cut(_copies(_load_all(folder, stamp)), as_of, start_year, end_year)


def load_cut(data_dir: Path | str | None, as_of: dt.date, start_year: int,
             end_year: int) -> dict[str, pd.DataFrame]:
    """Every table validated, typed and cut (:func:`cut`); computed once per process for the
    same files and window (a warm engine computes it before forking the section kernels)."""
    folder = paths.data_dir(data_dir)
    return _copies(_cut_cached(folder, _stamp(folder), as_of, start_year, end_year))


def load_evidence(p: ReportParams) -> Evidence:
    """Validate, load and cut the evidence base for the parameters ``p``."""
    folder = paths.data_dir(p.data_dir)
    stamp = _stamp(folder)  # read once: the tables, the bibliography and the memo key agree
    ev = Evidence(params=p, tables=_copies(_cut_cached(folder, stamp, p.as_of, p.start_year,
                                                       p.end_year)),
                  sources=_load_all(folder, stamp)["sources"].copy())
    object.__setattr__(ev, "cut_key", (folder, stamp, p.as_of, p.start_year, p.end_year))
    return ev


_MEMO: dict[tuple, Any] = {}
_MEMO_SIZE = 64


def memo(ev: Evidence, name: Hashable, compute: Callable[[], Any]) -> Any:
    """``compute()`` once per process for the evidence ``ev`` was cut from (its files unchanged)
    and ``name``; later calls, from any section, get the same object (treat it as read-only). A
    warm engine computes what every section reads before it forks their kernels
    (:func:`analysis.report.prepare`), so each kernel inherits the result."""
    if ev.cut_key is None:
        return compute()
    key = (ev.cut_key, name)
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:  # a long batch of editions: forget the oldest
            del _MEMO[next(iter(_MEMO))]
        _MEMO[key] = compute()
    return _MEMO[key]
