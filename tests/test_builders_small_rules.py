"""Small rules of sections 2 and 7 on inline data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd


def test_the_published_shares_stand_beside_the_registers_sums_where_they_differ():
    """Figure 2.4 sums SIPRI's current register; SIPRI's fact sheets of the time gave other
    shares for the patron (an audit: 85% and 31% against the text's 80% and 29%). Only a
    difference a reader would see, a whole point as printed, is named."""
    from analysis.builders.roots import _published_beside

    published = pd.DataFrame({"recipient": ["B", "B", "B", "C"],
                              "period": ["2010-2014", "2015-2019", "2005-2009", "2010-2014"],
                              "supplier": ["P", "P", "P", "P"],
                              "share_pct": [85.0, 31.0, 60.2, 1.0],
                              "confidence": ["medium", "high", "medium", "high"]})
    s = SimpleNamespace(ev=SimpleNamespace(arms_import_shares=published),
                        p=SimpleNamespace(rival="B", patron="P"))
    ours = pd.DataFrame({"P": [59.9, 80.1, 29.05], "Q": [40.1, 19.9, 70.95]},
                        index=["2005–09", "2010–14", "2015–19"])
    assert _published_beside(s, ours) == (
        " The bars are sums of SIPRI's current register; its fact sheets of the time gave P "
        "85%\u2020 in 2010–14 and 31% in 2015–19.")  # a share read in a news copy marked
    assert _published_beside(s, ours.drop(index=["2010–14", "2015–19"])) == ""


def test_a_survey_line_breaks_at_a_wave_that_leaves_its_answer_out():
    """CRRC's 2015 wave gives Russia's share as main friend but not France's: France's line
    breaks there instead of running straight from 2013 to 2017 past it (an outside reader);
    a line's own start and end stay where they are."""
    from analysis.builders.outlook import _with_gaps

    T = pd.Timestamp
    part = pd.DataFrame({
        "fieldwork_date": [T("2013-07-01"), T("2013-07-01"), T("2015-07-01"), T("2017-07-01"),
                           T("2017-07-01"), T("2019-07-01")],
        "question_id": ["q"] * 6,
        "answer": ["Russia", "France", "Russia", "Russia", "France", "Russia"],
        "share_pct": [83.0, 4.0, 74.0, 64.0, 17.0, 57.0]})
    france = part[part["answer"] == "France"]
    drawn = _with_gaps(france, part)
    assert list(drawn["fieldwork_date"].dt.year) == [2013, 2015, 2017]
    assert drawn["share_pct"].isna().tolist() == [False, True, False]
    russia = part[part["answer"] == "Russia"]
    assert _with_gaps(russia, part) is russia
