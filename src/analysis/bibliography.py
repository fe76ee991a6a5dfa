"""Appendix B: the sources this edition cites, as one compact Bibliography object.

The sources the edition's figures, tables and claims cite (from the rows of the evidence base cut
at ``as_of``, and what a figure cites beside them), each published by then; a later release of an
annual series the edition uses (revised figures) is listed too and named in a data note, which
says why it is there.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .appendix import BibEntry, Bibliography
from .evidence import cited_ids, later_releases, newer_releases


def cited_sources(tables: dict[str, pd.DataFrame], also: set[str] = frozenset()) -> pd.DataFrame:
    """Rows of ``sources`` cited by the (cut) tables, or named in ``also`` (what a figure cites
    that no table row does: the map's boundaries and the statements its markers rest on), by
    publisher and title, as a reader looks them up: without regard to case ("CRRC" after
    "Caucasian", "news.am" among the N's)."""
    sources = tables["sources"]
    return sources[sources["source_id"].isin(cited_ids(tables) | set(also))].sort_values(
        ["publisher", "title"], key=lambda column: column.str.casefold())


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


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_FORMS = (
    # 2020/07/07, 2023-04-25, 2023_12_11 (in addresses and file names)
    (re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_](\d{2})[-/_](\d{2})(?!\d)"),
     lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    # 20230908 (in addresses)
    (re.compile(r"(?<![\d.])(20\d{2})(\d{2})(\d{2})(?!\d)"),
     lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    # 7 Jul 2020, 24 December 2017
    (re.compile(r"\b(\d{1,2}) ([A-Z][a-z]{2})[a-z]* ((?:19|20)\d{2})\b"),
     lambda m: (int(m[3]), _MONTHS.get(m[2].lower()), int(m[1]))),
    # Jun 2022, June 2022, 2022-11 (a month: its first day)
    (re.compile(r"\b([A-Z][a-z]{2})[a-z]* ((?:19|20)\d{2})\b"),
     lambda m: (int(m[2]), _MONTHS.get(m[1].lower()), 1)),
    (re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_](\d{2})(?![\d/_-])"),
     lambda m: (int(m[1]), int(m[2]), 1)),
    # a bare year: its first day
    (re.compile(r"(?<![\d/_.-])((?:19|20)\d{2})(?![\d/_-])"), lambda m: (int(m[1]), 1, 1)),
)


def copy_dates(text: str) -> list[dt.date]:
    """The dates a copy's description shows (in its words or its address), each at the earliest
    day it can mean (a month is its first day, a year its 1 January)."""
    found = []
    for pattern, parts in _DATE_FORMS:
        for m in pattern.finditer(text):
            year, month, day = parts(m)
            try:
                found.append(dt.date(year, month, day))
            except (TypeError, ValueError):
                continue
    return found


def copies_known_by(via: str | None, as_of: dt.date) -> tuple[str | None, bool]:
    """``via`` without the copies dated after ``as_of`` (copies are separated by ' ; '), and
    whether any copy was left out: an edition does not point to a copy that did not exist yet."""
    if not via:
        return via, False
    copies = [c.strip() for c in via.split(" ; ") if c.strip()]
    kept = [c for c in copies if all(d <= as_of for d in copy_dates(c))]
    return ("; ".join(kept) or None), len(kept) < len(copies)


LATER_COPY = "The figures were read in a copy published after this edition's date"


def release_note(later: pd.DataFrame, as_of: dt.date) -> str | None:
    """The one data note on annual series read from releases published after ``as_of``."""
    if later.empty:
        return None
    def when(r) -> str:
        if pd.notna(r.date_published):
            return f"published {r.date_published:%B %Y}"
        return f"holding figures to {int(r.covers_to)}"

    named = "; ".join(f"{r.publisher}, {r.title} ({when(r)})"
                      for r in later.sort_values(["publisher", "title"],
                                                     key=lambda c: c.str.casefold()).itertuples())
    return (f"Data note. Some statistical series in this edition come from releases made after "
            f"its date, {as_of.day} {as_of:%B %Y}: "
            f"{named}. They show the figures for years up to the edition's date as those releases "
            "give them, revised or completed since (a register may add deliveries it had not yet "
            "recorded), which may differ from the figures published at the time; the source "
            "lines under the charts refer to this note. No year, event or statement after the "
            "edition's date is shown.")


def newer_release_note(newer: pd.DataFrame) -> str | None:
    """The data note on releases published by the edition's date that the evidence base has
    not been refreshed from: the figures stop where the release in use stops."""
    if newer.empty:
        return None
    named = " ".join(
        f"{r.publisher} released {r.title}"
        + (f" ({r.release})" if _text(r.release) else "")
        # 'that release' read as the newer one (an outside reader)
        + f" in {r.published:%B %Y}; this edition still uses {r.older_title}, so its "
        "figures from that source end with that older file's last year."
        for r in newer.sort_values(["publisher", "title"]).itertuples())
    return f"Data note. Newer data exist than this evidence base holds. {named}"


def stale_series_note(cited: pd.DataFrame, as_of: dt.date) -> str | None:
    """The data note on continuously updated series (no release date) whose copy in the
    evidence base ends before the edition's last complete year: their publishers may have
    released later figures by ``as_of``, which the edition does not use."""
    if "covers_to" not in cited:
        return None
    last_full = as_of.year if as_of >= dt.date(as_of.year, 12, 31) else as_of.year - 1
    stale = cited[cited["date_published"].isna() & (cited["covers_to"] < last_full)]
    if stale.empty:
        return None
    named = "; ".join(f"{r.publisher}, {r.title} (figures to {int(r.covers_to)})"
                      for r in stale.sort_values(["publisher", "title"]).itertuples())
    return (f"Data note. Some series in this evidence base are updated by their publishers "
            f"as new figures come in, and the copies used here end before {last_full}: "
            f"{named}. Figures released after those copies were made, up to "
            f"{as_of.day} {as_of:%B %Y}, are not used.")


#: after the locator of a source whose address was written out, not opened (``url_opened``)
NOT_OPENED = "The address is written out from the publisher's pattern and was not opened"


def published_date(r) -> str:
    """An entry's date as exact as the source gives it: '2023-01-20', '2025-04' (the month
    only, ``date_precision``) or 'n.d.'."""
    if pd.isna(r.date_published):
        return "n.d."
    month = getattr(r, "date_precision", None)
    return r.date_published.strftime("%Y-%m" if isinstance(month, str) and month == "month"
                                     else "%Y-%m-%d")


def _without_copy_boilerplate(locator: str) -> str:
    """A locator without 'the publisher's own copy was not located; read in the copy named after
    “Via”': Appendix B's introduction says it once for every entry with a copy (a reader found
    it repeated in some sixty entries)."""
    parts = [p.strip() for p in locator.rstrip(".").split(";")]
    kept = [p for p in parts if not (p.startswith("the publisher's own copy was not located")
                                     or (p.startswith("read in the cop") and "“Via”" in p))]
    return "; ".join(kept) if len(kept) < len(parts) else locator


def bibliography(tables: dict[str, pd.DataFrame], as_of: dt.date,
                 used: set[str] | None = None) -> Bibliography:
    """Appendix B for the tables cut at ``as_of``: the sources they cite or, given ``used``
    (:func:`used_source_ids`), only those the edition's figures, tables and claims cite."""
    cited = cited_sources(tables, used or set())
    if used is not None:
        cited = cited[cited["source_id"].isin(used)]
    later = later_releases(tables, as_of)
    later = later[later["source_id"].isin(cited["source_id"])]
    entries, copies = [], False
    releases = set(later["source_id"])
    # the later releases the data note names are listed too, with their files and copies: a
    # reader traces the figures to them as to any other source
    for r in cited.itertuples():
        every = _text(r.retrieved_via)
        via, later_copy = copies_known_by(every, as_of)
        locator = _without_copy_boilerplate(_text(r.locator) or "") or None
        if r.source_id in releases or (later_copy and not via):
            via = every.replace(" ; ", "; ") if every else None  # every copy, as it is
            if r.source_id not in releases:
                # read only in copies made after the edition's date: named, and said to be later
                copies = True
                locator = f"{locator.rstrip('.')}. {LATER_COPY}" if locator else LATER_COPY
        opened = getattr(r, "url_opened", None)
        if opened is not None and not pd.isna(opened) and not opened and _text(r.url):
            locator = f"{locator.rstrip('.')}. {NOT_OPENED}" if locator else NOT_OPENED
        entries.append(BibEntry(
            id=r.source_id, publisher=r.publisher, title=r.title,
            date=published_date(r),
            url=_text(r.url), locator=locator, via=via))
    entries = tuple(entries)
    notes = (release_note(later, as_of),
             newer_release_note(newer_releases(tables, as_of, set(cited["source_id"]))),
             stale_series_note(cited, as_of))
    return Bibliography(entries=entries, title=f"Sources cited ({len(entries)})",
                        notes=tuple(n for n in notes if n), later_releases=notes[0] is not None,
                        later_copies=copies)
