"""The trade-composition measure on inline data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.builders.trade_mix import (
    commodity_share,
    patron_imports,
    patron_imports_sentence,
    reexport_sentence,
    years_by_publisher,
)


def _tbc(rows):
    return pd.DataFrame(rows, columns=["partner", "year", "flow", "hs_code", "value_usd_m",
                                       "source_id", "confidence"])


TRADE = pd.DataFrame({
    "partner": ["World", "World", "World", "Russia", "Russia", "Russia"],
    "year": [2021, 2024, 2024, 2024, 2023, 2024],
    "flow": ["exports", "exports", "imports", "exports", "imports", "imports"],
    "value_usd_m": [3000.0, 13000.0, 17000.0, 3000.0, 4400.0, 9240.0],
    "source_id": ["t"] * 6,
    "confidence": ["medium", "medium", "medium", "high", "high", "high"],
})


def test_share_is_part_over_the_partner_total_for_matching_years():
    tbc = _tbc([("World", 2021, "exports", "71", 300.0, "a", "high"),
                ("World", 2024, "exports", "71", 7800.0, "a", "high"),
                ("World", 2023, "exports", "71", 3200.0, "b", "low")])  # no total: dropped
    out = commodity_share(tbc, TRADE, "71")
    assert out["year"].tolist() == [2021, 2024]
    assert out["share_pct"].tolist() == pytest.approx([10.0, 60.0])
    assert out["confidence"].tolist() == ["medium", "medium"]  # the weaker of the two
    assert out["source_id"].tolist() == ["a", "a"]


def test_partner_and_flow_select_the_rows_and_nothing_matching_gives_an_empty_frame():
    tbc = _tbc([("Russia", 2024, "exports", "8703", 300.0, "c", "low")])
    out = commodity_share(tbc, TRADE, "8703", partner="Russia")
    assert out["share_pct"].tolist() == pytest.approx([10.0])
    assert out["confidence"].tolist() == ["low"]
    assert commodity_share(tbc, TRADE, "71").empty


def test_reexport_sentence_uses_the_latest_year_with_both_flows():
    tbc = _tbc([("World", 2022, "exports", "71", 989.3, "a", "medium"),
                ("World", 2022, "imports", "71", 690.8, "a", "medium"),
                ("World", 2023, "exports", "71", 3200.0, "a", "medium"),
                ("World", 2023, "imports", "71", 2300.0, "a", "medium"),
                ("World", 2024, "exports", "71", 8042.6, "b", "medium")])
    text = reexport_sentence(tbc)
    # No "$": two dollar amounts in one Markdown paragraph would read as a $...$ formula.
    assert text.startswith(" In 2023 imports of precious stones and metals were USD 2.3 billion "
                           "against USD 3.2 billion exported")
    assert reexport_sentence(tbc[tbc["flow"] == "exports"]) == ""


def test_the_gold_groups_part_of_the_imports_from_the_patron_in_its_latest_year():
    """Most of the 2024 rise in imports from Russia was precious stones and metals: the note to
    Figure 6.3 says how much, marked as the figure's confidence requires."""
    tbc = _tbc([("Russia", 2023, "imports", "71", 400.0, "a", "high"),
                ("Russia", 2024, "imports", "71", 6900.0, "r", "medium"),
                ("World", 2024, "imports", "71", 7000.0, "a", "high")])
    rows = patron_imports(tbc, TRADE, "Russia")
    assert rows["year"].tolist() == [2024] and rows["source_id"].tolist() == ["r"]
    assert patron_imports_sentence(rows, "Russia") == (
        " In 2024 precious stones and metals were USD 6.9 billion\u2020 (75%) of the USD 9.2 "
        "billion of imports from Russia.")
    assert patron_imports_sentence(patron_imports(tbc, TRADE, "Iran"), "Iran") == ""


class _Ev:
    """Just the bibliography lookup years_by_publisher needs."""

    def sources_by_id(self):
        return pd.DataFrame({"source_id": ["a", "b", "c"],
                             "publisher": ["UN Comtrade", "Armstat", "UN Comtrade"]}
                            ).set_index("source_id")


def test_a_panel_drawn_from_two_publishers_says_which_years_are_whose():
    rows = pd.DataFrame({"year": [2021, 2022, 2023], "source_id": ["a", "c", "b"]})
    assert years_by_publisher(_Ev(), rows, "Cars") == (
        " Cars: 2021–2022 from UN Comtrade, 2023 from Armstat.")
    one = pd.DataFrame({"year": [2021, 2022], "source_id": ["a", "c"]})  # one publisher
    assert years_by_publisher(_Ev(), one, "Cars") == ""
    assert years_by_publisher(_Ev(), one.iloc[:0], "Cars") == ""


# ---------------------------------------------------------------------- the falling export share
def _exports(rows):
    return pd.DataFrame(rows, columns=["year", "share_pct", "part", "total"])


def _gold(rows):
    return pd.DataFrame(rows, columns=["year", "part_usd_m"])


def test_a_falling_share_with_growing_exports_to_the_patron_is_explained():
    from analysis.builders.consequences import _why_the_share_fell

    exports = _exports([(2021, 28.0, 841.0, 3016.0), (2022, 45.0, 2463.0, 5419.0),
                        (2024, 24.0, 3162.0, 13092.0)])
    text, from_mix = _why_the_share_fell(exports, _gold([(2022, 989.0), (2024, 8043.0)]), "Russia")
    assert from_mix
    assert text.startswith("The share fell after 2022 although exports to Russia were higher in "
                           "2024 than in 2022")
    assert "from USD 5.4 billion to USD 13.1 billion" in text
    assert text.endswith("most of the rise coming from precious stones and metals")
    # the rise was elsewhere: no word on the precious metals
    assert _why_the_share_fell(exports, _gold([(2022, 989.0), (2024, 1200.0)]), "Russia")[1] \
        is False
    # exports to the patron shrank, or the share did not really fall: nothing to explain
    shrank = exports.assign(part=[841.0, 2463.0, 2000.0])
    assert _why_the_share_fell(shrank, _gold([]), "Russia") == ("", False)
    flat = exports.assign(share_pct=[28.0, 45.0, 42.0])
    assert _why_the_share_fell(flat, _gold([]), "Russia") == ("", False)


def test_the_falling_share_is_read_over_the_years_the_text_reads():
    from analysis.builders.consequences import _why_the_share_fell

    # an older, higher peak (2015) lies before the base year: the 2022 peak is the one read
    exports = _exports([(2015, 60.0, 900.0, 1500.0), (2021, 28.0, 841.0, 3016.0),
                        (2022, 45.0, 2463.0, 5419.0), (2024, 24.0, 3162.0, 13092.0)])
    assert "fell after 2022" in _why_the_share_fell(exports, _gold([]), "Russia", base=2021)[0]
    assert _why_the_share_fell(exports.iloc[0:0], _gold([]), "Russia", base=2021) == ("", False)


@pytest.mark.parametrize(("as_of", "said"), [("2025-06-30", False), ("2026-04-17", True)])
def test_figure_6_4_gives_the_gold_in_the_imports_from_the_patron_once_it_was_published(as_of,
                                                                                        said):
    """The figure comes from a report of 3 October 2025 (filed in a series table, whose later
    releases an edition may use): an edition of June 2025 could not have read it."""
    import matplotlib.pyplot as plt

    from analysis import params
    from analysis.builders import consequences
    from analysis.report import SectionContext

    s = SectionContext("06", params.resolve({"as_of": as_of}, strict=False))
    shown = consequences.share_chart(s)
    plt.close("all")
    assert ("precious stones and metals were USD 6.9 billion" in shown.note) is said
    assert ("reportaz_hs71_russia_2025" in shown.source_ids) is said
