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
    # the publisher is data: escaped for Markdown like any other (a review)
    assert _other_tally(_section("*Radio*"), vote) == " (\\*Radio\\* gave 60 to 20)"


def test_an_uncontested_vote_shows_one_tally():
    s = _section()
    assert _other_tally(s, pd.Series({"description": "voted 60 to 22"})) == ""
    assert _other_tally(s, pd.Series({"description": "voted 60 to 22", "tally_contested": None,
                                      "contested_source_id": None})) == ""



def test_a_restriction_is_named_as_one_and_a_loan_as_one():
    """Word-bounded: 'Bank' is no ban, a lifted ban no restriction, a 'calendar' no loan (a
    review found each matched by substring)."""
    from analysis.builders._common import events_matching
    from analysis.builders.consequences import LIFTED_WORDS, RESTRICTION_WORDS
    from analysis.builders.loyalty import LOAN_WORDS

    titles = pd.DataFrame({"title": [
        "Russia's VTB Bank opens a Yerevan branch", "Gazprom abandons price talks",
        "Russia lifts its ban on Armenian dairy", "Russia suspends imports of Armenian brandy",
        "Russia announces curbs on Armenian cut flowers", "Road resurfaced with asphalt"]})
    found = events_matching(titles, *RESTRICTION_WORDS)
    lifted = events_matching(found, *LIFTED_WORDS)
    assert list(found.drop(lifted.index)["title"]) == [
        "Russia suspends imports of Armenian brandy",
        "Russia announces curbs on Armenian cut flowers"]
    loans = pd.DataFrame({"title": ["Russia lends Armenia USD 200 million",
                                    "Russia and Armenia sign a 2026 military calendar",
                                    "A further Russian loan approved"]})
    assert len(events_matching(loans, *LOAN_WORDS)) == 2
