"""The story's fixed points, read from ``data/anchors.csv``.

The narrative hangs on a few dated events (the 2020 ceasefire, the Lachin blockade and checkpoint,
the CSTO request, the ICC steps, the article's date). Code names them by key, never by a date, a
title word or an id:

    truce = anchor(s.ev, "ceasefire_2020")
    if not truce:                       # a NotYet: the anchor is dated after as_of
        return s.text(truce.sentence())
    truce.date, truce.row["description"]  # an Anchor: the event row, as cut at as_of

Only a :class:`NotYet` may print "not yet" text. A key missing from the table, or an anchor naming an
event that does not exist, is a validation error of the evidence base (see ``validation``), so at
run time an anchor is either known at ``as_of`` or not yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .evidence import Evidence

#: every anchor the report's code uses; validation requires each one in data/anchors.csv
KEYS: tuple[str, ...] = (
    "conflict_start", "csto_treaty", "ceasefire_1994", "gyumri_base", "customs_union_turn",
    "customs_union_reason", "eaeu_membership", "leaders_contact",
    "four_day_war", "war_2020_start", "ceasefire_2020", "peacekeepers_deploy", "ukraine_invasion",
    "attack_sept_2022", "csto_request_2022", "csto_response_2022", "csto_offer_declined", "lachin_bypass",
    "blockade_start",
    "euma_launch", "icj_lachin_order", "icc_warrant", "rome_statute_cleared", "lachin_checkpoint",
    "lachin_closure_2023", "rome_statute_bill", "rome_statute_submitted", "eagle_partner_2023",
    "article_date",
    "offensive_2023", "peacekeepers_fired_on_2023", "exodus_start", "fuel_depot_2023",
    "rome_statute_ratification",
    "undelivered_arms", "arms_issues_settled", "rome_statute_in_force", "csto_freeze", "peacekeepers_withdrawn",
    "border_guards_leave", "eu_accession_law", "washington_declaration",
    "border_posts_start", "border_posts_end", "arms_contracts_share", "syunik_transit_route",
)


class UnknownAnchor(KeyError):
    """Code asked for an anchor that is not declared in :data:`KEYS` (a bug, not a data error)."""


@dataclass(frozen=True)
class NotYet:
    """An anchor dated after the edition's ``as_of``: falsy, and the only source of 'not yet'.

    It carries the anchor's meaning (our words, from the table) and the edition date, never the
    anchor's own date or title, so nothing later than ``as_of`` can leak through it.
    """

    key: str
    meaning: str
    as_of: dt.date

    def __bool__(self) -> bool:
        return False

    def sentence(self, what: str | None = None, part: str = "this part of the section") -> str:
        """The edition's statement that a part of a section has nothing to show (escaped).

        Without ``what`` it names nothing: the anchor's own meaning describes a later event,
        and an edition written as if on ``as_of`` cannot know of it. A caller passes ``what``
        only where the thing is knowable at ``as_of`` (a pending step, say).
        """
        from .figures import NothingText
        from .prose import date, md

        if what is None:
            return NothingText(f"As of {date(self.as_of)} the evidence base holds nothing for "
                               f"{part}.")
        return (f"As of {date(self.as_of)} the evidence base records no {md(what)}, so {part} "
                "has nothing to show in this edition.")

    def status(self, what: str | None = None) -> str:
        """The same statement as one clause inside a paragraph: 'As of ... records no ...'."""
        from .prose import date, md

        return f"As of {date(self.as_of)} the evidence base records no {md(what or self.meaning)}."


@dataclass(frozen=True)
class Anchor:
    """An anchor known at ``as_of``: its key and its event row (cut at ``as_of``)."""

    key: str
    row: pd.Series

    def __bool__(self) -> bool:
        return True

    def __getitem__(self, column: str):
        return self.row[column]

    @property
    def date(self) -> pd.Timestamp:
        import pandas as pd

        return pd.Timestamp(self.row["date"])

    @property
    def end_date(self) -> pd.Timestamp | None:
        import pandas as pd

        end = self.row["end_date"]
        return None if pd.isna(end) else pd.Timestamp(end)

    @property
    def event_id(self) -> str | None:
        return self.row["event_id"]

    def frame(self) -> pd.DataFrame:
        """The row as a one-row frame (for a figure's or table's ``data=``, i.e. its sources)."""
        return self.row.to_frame().T


def _table(ev: Evidence) -> pd.DataFrame:
    from .evidence import memo

    return memo(ev, "anchors_by_key", lambda: ev.tables["anchors"].set_index("anchor"))


def event_of(event_id, events: pd.DataFrame) -> pd.Series | None:
    """The row of ``events`` (already cut at as_of) an anchor names, or None: the anchor is a
    date, not an event, or its event is not in the cut (not yet). Section builders reach it
    through :func:`anchor`; :mod:`analysis.findings` through the tables alone."""
    if not isinstance(event_id, str):
        return None
    found = events[events["event_id"] == event_id]
    return None if found.empty else found.iloc[0]


def anchor(ev: Evidence, key: str) -> Anchor | NotYet:
    """The event row of anchor ``key`` if dated on or before ``as_of``, else :class:`NotYet`.

    For the one anchor that is a date rather than an event (``article_date``) the row holds
    ``date``, ``title`` and ``description`` built from the table.
    """
    import pandas as pd  # here, not above: validation reads KEYS in processes without pandas

    if key not in KEYS:
        raise UnknownAnchor(f"unknown anchor {key!r}; anchors: {', '.join(KEYS)}")
    row = _table(ev).loc[key]
    as_of = ev.params.as_of
    if pd.isna(row["event_id"]):
        if pd.Timestamp(row["date"]) > pd.Timestamp(as_of):
            return NotYet(key, row["meaning"], as_of)
        return Anchor(key, pd.Series({"event_id": None, "date": pd.Timestamp(row["date"]),
                          "end_date": pd.NaT, "date_precision": "day",
                          "title": row["meaning"], "description": row["meaning"],
                          "source_id": None, "confidence": "high"}, name=key))
    found = event_of(row["event_id"], ev.events)
    return NotYet(key, row["meaning"], as_of) if found is None else Anchor(key, found)


def anchor_date(ev: Evidence, key: str) -> pd.Timestamp | None:
    """The anchor's date when known at ``as_of``, else None."""
    found = anchor(ev, key)
    return found.date if found else None


def known(ev: Evidence, *keys: str) -> bool:
    """True when every anchor named is dated on or before ``as_of``."""
    return all(bool(anchor(ev, k)) for k in keys)
