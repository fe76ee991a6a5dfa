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
                                        (1310, "3 years and 7 months"), (12252, "33 years"),
                                        (12418, "33 years"), (12419, "34 years")])
def test_spans_are_printed_in_the_unit_a_reader_needs(days, text):
    """A chart's span is said as the text says it ('about 3 years and 7 months' beside a bar
    labelled '3.6 years' read as two figures, to an outside reader)."""
    assert involvement.span_text(days) == text
    if 730 <= days < 3652:
        assert involvement.years_and_months(days) == f"about {text}"


def test_small_counts_in_words():
    assert _common.count_word(2, capital=True) == "Two"
    assert _common.count_word(7) == "seven"
    assert _common.count_word(12) == "12"


def test_country_names_take_the_article_they_need():
    assert _common.country("United States") == "the United States"
    assert _common.country("India") == "India"


@pytest.mark.parametrize(("first", "second", "shown"), [
    (1785.0, 9240.0, ("USD 1.79 billion", "USD 9.24 billion")),  # 1.8 and 9.2 give 5.1, not 5.2
    (841.0, 2455.0, ("USD 841 million", "USD 2.46 billion")),   # 2.5 / 0.841 gives 3.0, not 2.9
    (1200.0, 6000.0, ("USD 1.2 billion", "USD 6.0 billion"))])  # one decimal is enough
def test_two_amounts_are_printed_so_that_their_ratio_is_the_fold_the_text_gives(first, second,
                                                                                shown):
    from analysis.prose import usd_pair

    assert usd_pair(first, second, second / first) == shown


def test_a_timeline_names_every_kind_of_mark_it_draws():
    """Pale bars (events that lasted) went unexplained under Figure 7.2 (an outside reader)."""
    import pandas as pd

    from analysis.charts import COARSE_NOTE, _event_notes

    events = pd.DataFrame({"date": pd.to_datetime(["2023-09-19", "2024-04-17"]),
                           "end_date": pd.to_datetime([None, "2024-06-12"]),
                           "date_precision": ["day", "month"], "confidence": ["high", "low"]})
    notes = _event_notes(events, "Hollow: not confirmed")
    assert notes == ["Hollow: not confirmed", "Pale bars: events that lasted, from start to end",
                     COARSE_NOTE]
    plain = events.assign(end_date=pd.NaT, date_precision="day", confidence="high")
    assert _event_notes(plain, "Hollow: not confirmed") == []


@pytest.mark.parametrize(("start", "end", "precision", "said"), [
    ("2015-01-01", "2018-01-01", "year", "2015–2018"),  # Figure 2.1 drew a bar, the row '2015'
    ("2024-04-01", "2024-06-01", "month", "April–June 2024"),
    ("2023-09-11", "2023-09-20", "day", "11–20 September 2023"),
    ("2024-04-17", "2024-06-12", "day", "17 April – 12 June 2024"),
    ("2022-12-12", "2023-09-24", "day", "12 December 2022 – 24 September 2023"),
    ("2023-09-19", None, "day", "19 September 2023")])
def test_an_event_that_lasted_gives_its_end_in_a_table_row(start, end, precision, said):
    from analysis.phrasing import when_span

    assert when_span(start, end, precision) == said
