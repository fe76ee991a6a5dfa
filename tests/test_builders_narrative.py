"""Pure helpers of sections 2, 3 and 6 on small inline data: computed comparisons, spans, words."""

import pandas as pd
import pytest

from analysis.builders import _common, involvement, roots


def _milex(rows):
    return pd.DataFrame(rows, columns=["country", "year", "measure", "value"])


def test_gdp_share_comparison_counts_years_and_the_current_run():
    rows = []
    focus = [3.0, 2.0, 2.0, 5.0, 5.0, 5.0]
    rival = [2.0, 3.0, 3.0, 4.0, 4.0, 4.0]
    for i, (a, b) in enumerate(zip(focus, rival, strict=True)):
        rows += [("A", 2010 + i, "share_of_gdp_pct", a), ("B", 2010 + i, "share_of_gdp_pct", b)]
    found = roots.gdp_share_comparison(_milex(rows), "A", "B")
    assert found == {"years": 6, "higher": 4, "first": 2010, "last": 2015, "run_from": 2013,
                     "higher_now": True}


def test_gdp_share_comparison_needs_both_countries():
    rows = [("A", 2010, "share_of_gdp_pct", 3.0)]
    assert roots.gdp_share_comparison(_milex(rows), "A", "B") is None


@pytest.mark.parametrize("days, text", [(1, "1 day"), (9, "9 days"), (400, "13 months"),
                                        (1310, "3.6 years"), (12252, "34 years")])
def test_spans_are_printed_in_the_unit_a_reader_needs(days, text):
    assert involvement.span_text(days) == text


def test_small_counts_in_words():
    assert _common.count_word(2, capital=True) == "Two"
    assert _common.count_word(7) == "seven"
    assert _common.count_word(12) == "12"


def test_country_names_take_the_article_they_need():
    assert _common.country("United States") == "the United States"
    assert _common.country("India") == "India"
