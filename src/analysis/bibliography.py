"""Appendix B: the sources this edition cites, as one compact Bibliography object.

Only sources cited by rows of the evidence base cut at ``as_of`` appear, and only if published by
then; a later release of an annual series the edition uses (revised figures) is named once in a
data note instead.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .appendix import BibEntry, Bibliography
from .evidence import cited_ids, later_releases


def cited_sources(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of ``sources`` cited by the (cut) tables, by publisher and title."""
    sources = tables["sources"]
    return sources[sources["source_id"].isin(cited_ids(tables))].sort_values(
        ["publisher", "title"])


_PAYLOADS = ("application/vnd.tightrope.figure+json", "application/vnd.tightrope.table+json",
             "application/vnd.tightrope.claim+json")


def used_source_ids(notebooks) -> set[str]:
    """Source ids the executed notebooks actually cite: under figures and tables (their
    ``source_ids``) and in the claims of the ledger (their ``sources``)."""
    ids: set[str] = set()
    for nb in notebooks:
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                for mime in _PAYLOADS:
                    payload = data.get(mime)
                    if not isinstance(payload, dict):
                        continue
                    ids.update(s for s in payload.get("source_ids", []) if isinstance(s, str))
                    ids.update(s.get("id") for s in payload.get("sources", [])
                               if isinstance(s, dict) and isinstance(s.get("id"), str))
    return ids


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) or not str(value).strip() else str(value)


def release_note(later: pd.DataFrame, as_of: dt.date) -> str | None:
    """The one data note on annual series read from releases published after ``as_of``."""
    if later.empty:
        return None
    def when(r) -> str:
        if pd.notna(r.date_published):
            return f"published {r.date_published:%B %Y}"
        return f"holding figures to {int(r.covers_to)}"

    named = "; ".join(f"{r.publisher}, {r.title} ({when(r)})"
                      for r in later.sort_values(["publisher", "title"]).itertuples())
    return (f"Data note. Some annual series in this edition come from releases made after its "
            f"date, {as_of.day} {as_of:%B %Y}: "
            f"{named}. They show the figures for years up to the edition's date as revised in "
            "those releases, which may differ from the figures published at the time; the source "
            "lines under the charts refer to this note. Nothing dated after the edition is shown.")


def bibliography(tables: dict[str, pd.DataFrame], as_of: dt.date,
                 used: set[str] | None = None) -> Bibliography:
    """Appendix B for the tables cut at ``as_of``: the sources they cite or, given ``used``
    (:func:`used_source_ids`), only those the edition's figures, tables and claims cite."""
    cited = cited_sources(tables)
    if used is not None:
        cited = cited[cited["source_id"].isin(used)]
    later = later_releases(tables, as_of)
    later = later[later["source_id"].isin(cited["source_id"])]
    shown = cited[~cited["source_id"].isin(later["source_id"])]
    entries = tuple(BibEntry(
        id=r.source_id, publisher=r.publisher, title=r.title,
        date=r.date_published.strftime("%Y-%m-%d") if pd.notna(r.date_published) else "n.d.",
        url=_text(r.url), locator=_text(r.locator), via=_text(r.retrieved_via))
        for r in shown.itertuples())
    note = release_note(later, as_of)
    return Bibliography(entries=entries, title=f"Sources cited ({len(entries)})",
                        notes=(note,) if note else ())
