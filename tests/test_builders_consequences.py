"""Section 6's small rules on inline data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from analysis.builders.consequences import _other_tally, vote_count


def _section(publisher: str = "TASS"):
    sources = pd.DataFrame({"publisher": [publisher]}, index=pd.Index(["t"], name="source_id"))
    return SimpleNamespace(ev=SimpleNamespace(sources_by_id=lambda: sources))


def test_a_vote_that_records_give_differently_shows_both_tallies():
    """Parliament's vote on the Rome Statute: 60 to 22 as Mediamax reported the count, 60 to 20
    as TASS reported the speaker's announcement (an outside audit found both)."""
    vote = pd.Series({"description": "voted 60 to 22", "tally_contested": "60 to 20",
                      "contested_source_id": "t"})
    assert vote_count(vote["description"]) == (60, 22)
    assert _other_tally(_section(), vote) == " (TASS gave 60 to 20)"


def test_an_uncontested_vote_shows_one_tally():
    s = _section()
    assert _other_tally(s, pd.Series({"description": "voted 60 to 22"})) == ""
    assert _other_tally(s, pd.Series({"description": "voted 60 to 22", "tally_contested": None,
                                      "contested_source_id": None})) == ""

