"""Small rules of sections 2 and 7 on inline data."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest


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
    # a last period of one year ('2010', an edition whose data end there) is read, not a crash
    one = pd.DataFrame({"P": [59.9, 70.0]}, index=["2005–09", "2010"])
    assert _published_beside(s, one) == ""


def test_a_supplier_period_label_gives_its_years():
    from analysis.measures.suppliers import period_end, period_start

    assert (period_start("2020–23"), period_end("2020–23")) == (2020, 2023)
    assert (period_start("2010"), period_end("2010")) == (2010, 2010)
    assert period_end("1995–99") == 1999


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


@pytest.mark.parametrize("ends, steps, said", [
    # the default edition's shape
    ({"arms": 2023, "trade": 2024, "gas": 2022, "remittances": 2024}, [2024, 2024, 2024, 2025],
     ("Russia's shares of trade and money transfers end in 2024, the year of the first three "
     "changes, and of arms imports and gas imports in 2023 and 2022, before any of them")),
    # two series in one year before the changes: said apart, not paired by position
    ({"arms": 2023, "trade": 2023, "gas": 2022, "remittances": 2024}, [2024, 2024, 2025],
     ("Russia's shares of money transfers end in 2024, the year of the first two changes, and of "
     "arms imports and trade in 2023 and of gas imports in 2022, before any of them")),
    # every year its own: the patron named once
    ({"trade": 2025, "arms": 2024, "remittances": 2023, "gas": 2022}, [2023, 2026],
     ("Russia's shares of trade end in 2025, of arms imports in 2024, of money transfers in "
     "2023, the year of the first change, and of gas imports in 2022, before any of them")),
    ({"arms": 2022, "trade": 2022}, [2024],
     "Russia's shares of arms imports and trade end in 2022, before any of the changes"),
])
def test_where_each_share_series_ends_against_the_changes(ends, steps, said):
    """An outside reader took 'end by 2024' for all four reaching 2024; a review found other
    shapes of data paired series with the wrong years."""
    from analysis.builders.outlook import series_reach

    def change(year):
        return SimpleNamespace(latest=SimpleNamespace(known=True, window=f"{year - 4}-{year}"))

    f = SimpleNamespace(patron="Russia", dependence={k: change(y) for k, y in ends.items()},
                        break_steps=[(pd.Timestamp(f"{y}-06-01"), None, None) for y in steps])
    assert series_reach(f) == said
