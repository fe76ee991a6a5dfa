"""The measures layer on small inline data with hand-computed values."""

import numpy as np
import pandas as pd
import pytest

from analysis import phrasing, sections
from analysis.charts import end_label_format, spread
from analysis.measures import compare, presence, shares, suppliers
from analysis.measures.result import Change, Measure, direction, weakest
from analysis.measures.windows import Window, latest_complete, window_pair


def _arms(rows):
    return pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv_m", "source_id",
                                       "confidence"])


def _tables(**tables):
    empty = {"arms_imports": _arms([]),
             "trade": pd.DataFrame(columns=["partner", "year", "flow", "value_usd_m",
                                            "source_id", "confidence"]),
             "energy": pd.DataFrame(columns=["year", "partner", "commodity", "months_reported",
                                             "netweight_kt", "value_usd_m", "source_id",
                                             "confidence"]),
             "remittances": pd.DataFrame(columns=["year", "origin", "transfer_type",
                                                  "inflow_usd_m", "source_id", "confidence"])}
    return {**empty, **tables}


# ---------------------------------------------------------------------- windows
def test_latest_complete_window_needs_five_consecutive_years():
    assert latest_complete(range(2000, 2025)) == Window(2020, 2024)
    assert latest_complete([2010, 2011, 2012, 2013, 2014, 2016, 2017]) == Window(2010, 2014)
    assert latest_complete([2020, 2021]) is None
    assert Window(2020, 2024).label == "2020–2024" and Window(2024, 2024).label == "2024"


def test_window_pair_is_ten_years_apart_else_earliest_complete():
    assert window_pair(range(2000, 2025)) == (Window(2010, 2014), Window(2020, 2024))
    # series from 2013: the earliest complete window before the latest one
    assert window_pair(range(2013, 2025)) == (Window(2013, 2017), Window(2020, 2024))
    # only overlapping windows exist: no comparison (the same years would count twice)
    assert window_pair([2014, 2015, 2016, 2017, 2018, 2019, 2020]) == (None,
                                                                       Window(2016, 2020))
    assert window_pair(range(2020, 2025)) == (None, Window(2020, 2024))
    assert window_pair([]) == (None, None)


def test_gapless_from_is_the_start_of_the_latest_unbroken_run():
    from analysis.measures.windows import gapless_from

    years = [2011, 2012, *range(2014, 2023)]  # the gas series: 2013 incomplete
    assert window_pair(years) == (None, Window(2018, 2022))
    assert gapless_from(years, Window(2018, 2022)) == 2014
    assert gapless_from(range(2020, 2025), Window(2020, 2024)) == 2020


def test_window_pair_windows_are_complete_and_ordered():
    rng = np.random.default_rng(7)
    for _ in range(300):
        years = {int(y) for y in rng.choice(np.arange(1990, 2031), rng.integers(0, 30),
                                                 replace=False)}
        earlier, latest = window_pair(years)
        for w in (earlier, latest):
            if w is not None:
                assert all(y in years for y in w.years) and len(w.years) == 5
        if earlier is not None:
            assert earlier.end < latest.end


# ---------------------------------------------------------------------- result rules
@pytest.mark.parametrize("delta, expected", [(0.4, "about the same"), (-0.5, "down"),
                                             (3.0, "up"), (np.nan, "n/a"), (None, "n/a")])
def test_direction(delta, expected):
    assert direction(delta) == expected


def test_weakest_and_change():
    assert weakest(["high", "low", "medium"]) == "low"
    assert weakest([]) == "high"
    a = Measure("k", "K", 92.0, "%", "2009–2013", 3, ("s1",), "high")
    b = Measure("k", "K", 81.0, "%", "2019–2023", 2, ("s2", "s1"), "low")
    c = Change(a, b)
    assert c.delta == pytest.approx(-11.0) and c.direction == "down"
    assert c.confidence == "low" and c.source_ids == ("s1", "s2")
    assert Change(Measure("k", "K", None, "%", "", 0), b).delta is None


# ---------------------------------------------------------------------- shares
def test_arms_share_over_a_window_counts_years_without_deliveries_as_zero():
    arms = _arms([("A", "P", 2010, 30.0, "s1", "high"), ("A", "X", 2012, 10.0, "s2", "low"),
                  ("A", "P", 2016, 60.0, "s1", "high"), ("B", "P", 2020, 99.0, "s3", "high")])
    t = _tables(arms_imports=arms)
    m = shares.share("arms", t, "A", "P", Window(2010, 2014))
    assert m.value == pytest.approx(75.0) and m.part == 30.0 and m.total == 40.0
    assert m.confidence == "low" and set(m.source_ids) == {"s1", "s2"} and m.rows == 2
    # the table covers 2010-2020 (B's row): latest window 2016-2020, earlier 2006-2010 is
    # not covered, so the earliest complete window is used
    c = shares.compare("arms", t, "A", "P")
    assert c.latest.window == "2016–2020" and c.latest.value == pytest.approx(100.0)
    assert c.earlier.window == "2010–2014"
    s = shares.series("arms", t, "A", "P").set_index("year")
    assert s.loc[2014, "share_pct"] == pytest.approx(75.0)
    assert s.loc[2014, "window"] == "2010–2014"
    assert s.loc[2019, "share_pct"] == pytest.approx(100.0)  # 2015-2019: P's 2016 only
    assert s.loc[2020, "share_pct"] == pytest.approx(100.0)


def test_trade_share_sums_both_flows_and_needs_complete_years():
    rows = []
    for year in range(2015, 2021):
        for flow in ("exports", "imports"):
            rows.append(("World", year, flow, 100.0, "t", "medium"))
            rows.append(("P", year, flow, 25.0 if year < 2020 else 50.0, "t", "medium"))
    trade = pd.DataFrame(rows, columns=["partner", "year", "flow", "value_usd_m", "source_id",
                                        "confidence"])
    trade = trade[~((trade["year"] == 2020) & (trade["flow"] == "imports")
                    & (trade["partner"] == "World"))]  # 2020 incomplete
    t = _tables(trade=trade)
    b = shares.basis("trade", t, "F", "P")
    assert b.complete == (2015, 2016, 2017, 2018, 2019)
    m = shares.share("trade", t, "F", "P", Window(2015, 2019))
    assert m.value == pytest.approx(25.0)
    assert not shares.share("trade", t, "F", "P", Window(2016, 2020)).known


def test_gas_share_by_weight_and_only_full_years():
    energy = pd.DataFrame({
        "year": [2022, 2022, 2023, 2023], "partner": ["P", "Q", "P", "Q"],
        "commodity": "natural_gas", "months_reported": [12, 12, 9, 9],
        "netweight_kt": [1800.0, 200.0, 900.0, 100.0], "value_usd_m": [1.0, 99.0, 1.0, 1.0],
        "source_id": "g", "confidence": "medium"})
    t = _tables(energy=energy)
    assert shares.basis("gas", t, "F", "P").complete == (2022,)
    assert shares.share("gas", t, "F", "P", Window(2022, 2022)).value == pytest.approx(90.0)
    assert list(shares.series("gas", t, "F", "P")["year"]) == [2022]


def test_remittance_share_uses_total_transfers_only():
    rem = pd.DataFrame({
        "year": [2013, 2013, 2013, 2013], "origin": ["World", "P", "World", "P"],
        "transfer_type": ["total", "total", "non_commercial", "non_commercial"],
        "inflow_usd_m": [2000.0, 1500.0, 1000.0, 900.0], "source_id": "r",
        "confidence": "medium"})
    m = shares.share("remittances", _tables(remittances=rem), "F", "P", Window(2013, 2013))
    assert m.value == pytest.approx(75.0)


# ---------------------------------------------------------------------- suppliers
def test_supplier_shares_leader_rank_and_hhi():
    arms = _arms([("A", "R", 2019, 60.0, "s", "high"), ("A", "I", 2021, 30.0, "s", "high"),
                  ("A", "F", 2023, 10.0, "s", "low"), ("A", "R", 2010, 5.0, "s", "high")])
    s = suppliers.supplier_shares(arms, "A", Window(2019, 2023))
    assert [m.label for m in s.shares] == ["R", "I", "F"]
    assert s.leader.label == "R" and s.rank("F") == 3 and s.rank("X") is None
    assert s.of("X").value == 0.0
    assert [m.label for m in s.ahead_of("I")] == ["R"]
    assert s.concentration.value == pytest.approx(60**2 + 30**2 + 10**2)
    assert s.concentration.confidence == "low"
    assert suppliers.hhi([100]) == suppliers.HHI_ONE_SUPPLIER


@pytest.mark.parametrize(("late_tiv", "is_thin"), [(24.0, True), (25.0, False), (90.0, False)])
def test_a_period_recording_a_quarter_of_the_one_before_is_thin(late_tiv, is_thin):
    """One rule for Figure 2.4's note and key finding 7: the last five-year period against
    the one before it."""
    arms = _arms([("A", "R", 2016, 100.0, "s", "high"), ("A", "R", 2021, late_tiv, "s", "high")])
    periods = suppliers.supplier_periods(arms, "A")
    assert sorted(set(periods["period"])) == ["2015–19", "2020–21"]
    thin = suppliers.thin_last_period(periods)
    assert (thin is not None) is is_thin
    if thin:
        assert thin["period"] == "2020–21" and thin["before"] == "2015–19"
    assert suppliers.thin_last_period(suppliers.supplier_periods(arms, "nobody")) is None


def test_period_shares_are_the_stacked_chart_in_numbers():
    arms = _arms([("A", "R", 2011, 60.0, "s", "high"), ("A", "I", 2012, 20.0, "s", "high"),
                  ("A", "I", 2016, 30.0, "s", "high"), ("A", "R", 2017, 10.0, "s", "high"),
                  ("B", "R", 2016, 5.0, "s", "high")])
    shares = suppliers.period_shares(suppliers.supplier_periods(arms, "A"))
    assert list(shares.index) == ["2010–14", "2015–17"]
    assert shares.loc["2010–14", "R"] == pytest.approx(75.0)
    assert shares.loc["2015–17", "I"] == pytest.approx(75.0)
    assert shares.loc["2015–17", "total"] == pytest.approx(40.0)  # B's rows are not A's
    assert shares.drop(columns="total").sum(axis=1).tolist() == pytest.approx([100.0, 100.0])


def test_rolling_concentration_skips_windows_without_deliveries():
    arms = _arms([("A", "R", 2001, 30.0, "s", "high"), ("A", "F", 2002, 10.0, "s", "high"),
                  ("A", "R", 2006, 20.0, "s", "high"), ("B", "R", 2012, 1.0, "s", "high")])
    out = suppliers.rolling_concentration(arms, "A").set_index("year")
    assert out.loc[2005, "hhi"] == pytest.approx(75**2 + 25**2)
    assert out.loc[2006, "hhi"] == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)
    assert 2011 not in out.index  # 2007-2011: no deliveries to A
    assert suppliers.rolling_concentration(_arms([]), "A").empty


# ---------------------------------------------------------------------- comparisons
def test_higher_in_counts_years_both_series_cover():
    a = pd.DataFrame({"year": [2011, 2012, 2013, 2020, 2021], "value": [5, 4, 3, 6, 2]})
    b = pd.DataFrame({"year": [2011, 2012, 2013, 2020, 2022], "value": [4, 4, 2, 5, 1]})
    out = compare.higher_in(a, b)
    assert (out.higher, out.of, out.first, out.last) == (3, 4, 2011, 2020)
    assert out.years_lower == (2012,) and out.window == "2011–2020"
    assert not out.always and not out.never
    assert compare.runs([2011, 2012, 2013, 2020]) == [(2011, 2013), (2020, 2020)]


def test_presence_on_a_day():
    deps = pd.DataFrame({
        "deployer": ["EU", "EU", "US", "Russia"], "host": ["A", "A", "A", "B"],
        "kind": ["mission", "mission", "exercise", "base"], "name": list("wxyz"),
        "start_date": pd.to_datetime(["2022-10-20", "2023-02-20", "2023-09-11", "1994-09-01"]),
        "end_date": pd.to_datetime(["2022-12-19", None, "2023-09-20", None]),
        "personnel_persons": [40, 100, None, 3000], "source_id": "d", "confidence": "high"})
    m = presence.presence(deps, ["EU", "US"], "2023-09-15", "partners", host="A")
    assert m.value == 2 and m.part == 100 and m.total == 1
    assert presence.presence(deps, ["Russia"], "2023-09-15", "patron").part == 3000
    assert len(presence.active_on(deps, ["EU", "US"], "2022-11-01")) == 1
    # a year's changes count the mission that came and went within it (w), on both sides
    ended, began = presence.changes_between(deps, ["EU", "US"], "2022-09-15", "2023-09-15", "A")
    assert ended == ["w"] and began == ["w", "x", "y"]
    # the last day of a deployment is a day it runs: it ends the day after
    assert presence.changes_between(deps, ["EU"], "2022-10-01", "2022-12-19") == ([], ["w"])
    assert presence.changes_between(deps, ["EU"], "2022-10-01", "2022-12-20") == (["w"], ["w"])


# ---------------------------------------------------------------------- phrasing and charts
def test_phrasing_of_measures():
    a = Measure("k", "K", 92.0, "%", "2009–2013", 1)
    b = Measure("k", "K", 81.4, "%", "2019–2023", 1, confidence="low")
    assert phrasing.value(b) == "81% (unconfirmed)"
    assert phrasing.from_to(Change(a, b)) == "from 92% in 2009–2013 to 81% (unconfirmed) in 2019–2023"
    assert phrasing.points(Change(a, Measure("k", "K", 91.0, "%", "", 1))) == "down 1 point"
    assert phrasing.value(Measure("h", "H", 6728.9, "HHI", "", 1)) == "6,729"
    assert phrasing.the("United States") == "the United States"
    assert phrasing.names(["European Union", "India"], "or") == "the European Union or India"


@pytest.mark.parametrize("first, last, text", [
    ("2023-09-03", "2023-09-11", "3–11 September 2023"),
    ("2023-08-30", "2023-09-11", "30 August – 11 September 2023"),
    ("2022-12-30", "2023-01-02", "30 December 2022 – 2 January 2023"),
    ("2023-09-03", "2023-09-03", "3 September 2023")])
def test_date_ranges_write_a_shared_month_and_year_once(first, last, text):
    from analysis.prose import date_range

    assert date_range(first, last) == text


def test_ratios_below_one_read_as_a_percentage():
    from analysis.prose import ratio

    assert ratio(5.83, "Armenia's") == "5.8 times Armenia's" and ratio(5.83) == "5.8 times"
    assert ratio(0.92, "Armenia's") == "92% of Armenia's" and ratio(0.92) == "92% of it"


def test_end_labels_get_the_precision_that_tells_them_apart():
    assert end_label_format([35.2, 36.4]) == "{:,.0f}"
    assert end_label_format([35.2, 35.4]) == "{:,.1f}"
    assert end_label_format([35.0, 35.0]) == "{:,.0f}"
    placed = spread([35, 36, 80], gap=6)
    assert placed[1] - placed[0] >= 6 - 1e-9 and placed[2] > placed[1]


def test_figure_registry_numbers_and_references():
    assert sections.number_of("figure", "suppliers") == "5.2"
    assert sections.ref("table", "presence") == "Table 1.1, section 1"
    with pytest.raises(KeyError):
        sections.number_of("figure", "nothing")


def test_a_date_known_only_to_its_year_or_month_is_drawn_as_that_span():
    import matplotlib.pyplot as plt

    from analysis.charts import event_mark, event_x

    fig, ax = plt.subplots()
    event_mark(ax, "2022-01-01", "year", 0, "k")
    event_mark(ax, "2022-11-01", "month", 1, "k")
    event_mark(ax, "2022-09-13", "day", 2, "k")
    spans = [tuple(pd.Timestamp(x).date().isoformat() for x in line.get_xdata())
             for line in ax.lines]
    assert spans == [("2022-01-01", "2022-12-31"), ("2022-11-01", "2022-11-30")]
    assert len(ax.collections) == 1  # only the day is a dot
    plt.close(fig)
    assert event_x("2022-01-01", "year").month == 7  # a label points mid-year, not at 1 January
    assert event_x("2022-09-13", "day") == pd.Timestamp("2022-09-13")


@pytest.mark.parametrize("years, text", [
    ([2013, 2016], "2013, 2016"), ([2016, 2013, 2013], "2013, 2016"),
    ([2010, 2011, 2012, 2016], "2010–2012, 2016"), ([2019], "2019")])
def test_delivery_years_are_spans_only_where_every_year_is_in_them(years, text):
    from analysis.prose import year_runs

    assert year_runs(years) == text


def test_a_figure_shown_again_keeps_its_running_number():
    """Running a cell again (Shift-Enter) must not renumber its figure or table."""
    import matplotlib.pyplot as plt

    from analysis.report import start_section

    s = start_section("08", {"as_of": "2023-09-15"})  # no exhibit registered by key
    numbers = []
    for caption in ("First chart", "Second chart", "First chart"):
        fig, _ = plt.subplots()
        numbers.append(s.figure(fig, caption=caption, alt="a chart").number)
    assert numbers == ["A.1", "A.2", "A.1"]
    assert s.shown_figure() == "Figure A.2"
    frame = pd.DataFrame({"a": [1]})
    assert [s.table(frame, c).number for c in ("T", "T", "U")] == ["A.1", "A.1", "A.2"]


def test_an_exhibit_with_the_source_and_note_of_the_one_before_it_points_to_it():
    """Figures 2.2 and 2.3 (two charts of SIPRI's spending database) printed the same source
    line and note, three lines, one under the other: the second now points to the first, a
    third alike to the first too. An exhibit of either kind made just after one with the same
    source line points to it for the source, its own note after the pointer (Table 7.3, the
    events of Figure 7.2, had repeated its two lines); another source prints its own, and a figure shown
    again points to the one before it, never to itself."""
    import matplotlib.pyplot as plt

    from analysis.report import start_section

    s = start_section("08", {"as_of": "2023-09-15"})  # no exhibit registered by key

    def shown(caption, note="Estimates marked.", ids=("sipri_milex_2025",)):
        fig, _ = plt.subplots()
        f = s.figure(fig, caption=caption, alt="a chart", source_ids=ids, note=note)
        plt.close(fig)
        return f.number, f.source, f.note

    first = shown("First")
    assert first[1].startswith("Source: SIPRI") and first[2] == "Estimates marked."
    assert shown("Second") == ("A.2", "Source and note: as for Figure A.1.", None)
    assert shown("Third") == ("A.3", "Source and note: as for Figure A.1.", None)
    assert shown("Second") == ("A.2", "Source and note: as for Figure A.1.", None)  # again
    assert shown("Fourth", note="Another note.")[1:] == (
        "Source: as for Figure A.1. Another note.", None)  # one short line, not two
    fifth = shown("Fifth", note="Another note.", ids=("armstat_trade_2025",))[1]
    assert fifth.startswith("Source: ") and "as for" not in fifth
    table = s.table(pd.DataFrame({"a": [1]}), "T", source_ids=["armstat_trade_2025"],
                    note="Table note.")  # a table after a figure of the same source
    assert (table.source, table.note) == ("Source: as for Figure A.5. Table note.", None)
    assert s.table(pd.DataFrame({"a": [1]}), "U", source_ids=["sipri_milex_2025"],
                   note="Estimates marked.").source == first[1]  # the one before: another
    fig, _ = plt.subplots()
    no_note = [s.figure(fig, caption=c, alt="a chart", source_ids=["sipri_milex_2025"]).source
               for c in ("Sixth", "Seventh")]
    # the one before printed a pointer: the next points to where the words are
    assert no_note == ["Source: as for Table A.2.", "Source: as for Table A.2."]
    # the same words for another database (SIPRI's register, in an edition before its
    # release): its own line, not a pointer to the spending database's
    register = s.table(pd.DataFrame({"a": [1]}), "V", source_ids=["sipri_arms_register_2025"])
    assert register.source == first[1] and register.source_ids == ("sipri_arms_register_2025",)


def test_a_table_in_a_notebook_carries_its_alignment_inline():
    """JupyterLab right-aligns every output cell and knows none of our classes."""
    from analysis.figures import Table

    html = Table.from_frame(pd.DataFrame({"Weapon": ["Igla-S"], "Units": [200]}), "4.1",
                            "Caption", "Source").to_html()
    assert '<td class="tr-left" style="text-align:left">Igla-S</td>' in html
    assert '<td class="tr-right" style="text-align:right">200</td>' in html


@pytest.mark.parametrize(("value", "figures", "shown"), [
    (5043, 2, "about 5,000"),  # a count and a mandate's ceiling added up: no false precision
    (185, 2, "about 190"),  # rounded half up, not to even
    (3083, 1, "3,083"),  # one published figure, as published
    (95, 2, "about 95"),
    (14_999, 3, "about 15,000"),
])
def test_a_sum_of_published_figures_is_given_as_about(value, figures, shown):
    from analysis.prose import added_up

    assert added_up(value, figures) == shown


@pytest.mark.parametrize(("value", "digits", "shown"), [
    (256.5, 0, "257"),  # 227.5 + 29 in a table: a reader rounds the half up, not to even
    (227.5, 0, "228"), (0.5, 0, "1"), (2.5, 0, "3"), (-2.5, 0, "-3"),
    (2.675, 2, "2.68"),  # as printed, not the binary value just below it
    (1234.45, 1, "1,234.5"), (1_000_000, 0, "1,000,000"), (np.float64(3.5), 0, "4"),
])
def test_numbers_are_rounded_as_a_reader_rounds_them(value, digits, shown):
    from analysis.prose import num, pct

    assert num(value, digits) == shown
    assert pct(abs(value), digits) == shown.lstrip("-").replace(",", "") + "%"


def test_one_rounding_rule_for_text_decisions_and_chart_labels():
    """What a chart label, a 'midway' or an 'up N points' says of a value is what the text
    prints of it (the reviewer found 'from 40% to 53%, up 12 points' once the text rounded
    halves up and the rest did not)."""
    from analysis.prose import formatted, num, usd_m, whole

    assert formatted("{:.0f}%", 52.5) == "53%" and formatted("{:,.0f}", 1234.5) == "1,235"
    assert formatted("{:,.1f}", 2.25) == "2.3" and formatted("{}", 3.5) == "3.5"
    assert whole(66.5) == 67 and whole(-0.4) == 0
    assert usd_m(118.5) == "USD 119 million" and usd_m(1250.0) == "USD 1.3 billion"
    assert num(-0.04, 1) == "0.0"  # never '-0.0'
    assert num(float("nan")) == "NaN" and num(float("inf")) == "Infinity"  # not an exception
    def share(value, window):
        return Measure("x", "X", value, "%", window, 1)

    up = Change(share(40.0, "2013–2017"), share(52.5, "2020–2024"))
    assert phrasing.from_to(up) == "from 40% in 2013–2017 to 53% in 2020–2024"
    assert phrasing.points(up) == "up 13 points"
    # 66.5 prints as 67%: nearer 69% than 63%, not 'midway' (round() made it 66)
    down = Change(share(68.6, "2013–2017"), share(63.3, "2020–2024"))
    assert phrasing.undone(down, 66.5).startswith("nearer its 2013–2017 level")


def test_undated_headcounts_follow_the_source_of_the_latest_count():
    """A headcount is undated when its source (a later count's, else the deployment's own) gives
    no date; a deployment without a headcount is not counted as undated."""
    from analysis.measures.presence import undated_counts, undated_in_presence

    sources = pd.Series(pd.to_datetime(["2020-01-01", None]), index=["dated", "nd"])
    rows = pd.DataFrame({
        "deployer": ["R", "R", "R", "P"], "host": ["A"] * 4,
        "start_date": pd.to_datetime(["2000-01-01"] * 4), "end_date": pd.NaT,
        "personnel_persons": [3000.0, 100.0, None, 50.0],
        "source_id": ["nd", "nd", "nd", "dated"],
        "personnel_source_id": [None, "dated", None, "nd"]})
    assert list(undated_counts(rows, sources)) == [True, False, False, True]
    assert undated_in_presence(rows, sources, ["R"], "2024-01-01") == 1
    assert undated_in_presence(rows, sources, ["P"], "2024-01-01", host="A") == 1
