"""Helpers of sections 1 and 4 (presence, signals, deliveries, timelines) on small inline frames."""

import matplotlib
import pandas as pd
from matplotlib.colors import to_hex

from analysis import charts, theme
from analysis.builders import dependence as dep

matplotlib.use("Agg")


def _arms(rows):
    return pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv_m", "source_id",
                                       "confidence"])


def _deployments():
    return pd.DataFrame({
        "deployment_id": ["D1", "D2", "D3", "D4", "D5"],
        "name": ["base", "guards", "monitors", "exercise", "own troops"],
        "deployer": ["P", "P", "EU", "US", "F"],
        "host": ["F", "F", "F", "F", "F"],
        "kind": ["base", "border_guards", "monitoring_mission", "exercise", "exercise"],
        "start_date": pd.to_datetime(["1994-09-01", "1992-09-30", "2023-02-20", "2023-09-11",
                                      "2023-09-11"]),
        "end_date": pd.to_datetime([None, "2024-07-31", None, "2023-09-20", "2023-09-20"]),
        "personnel_persons": pd.array([3000, None, 100, 85, 175], dtype="Int64"),
        "source_id": "s", "confidence": "high",
    })


def test_presence_splits_patron_and_partners_and_drops_the_focus():
    rows = dep.presence(_deployments(), "P", ["US", "EU"], "F")
    assert list(rows["side"]) == ["patron", "patron", "partners", "partners"]
    assert "own troops" not in set(rows["name"])
    counts = dep.presence_counts(rows).set_index("side")
    assert counts.loc["patron", "deployments"] == 2
    assert counts.loc["patron", "ongoing"] == 1
    assert counts.loc["patron", "personnel"] == 3000
    assert counts.loc["patron", "unknown"] == 1
    assert counts.loc["partners", "personnel"] == 185  # 100 + 85
    assert counts.loc["partners", "personnel_now"] == 100  # the exercise has ended
    # an exercise under way is listed apart, not counted as a standing deployment
    running = rows.assign(end_date=rows["end_date"].where(rows["kind"] != "exercise"))
    now = dep.presence_counts(running).set_index("side")
    assert (now.loc["partners", "ongoing"], now.loc["partners", "personnel_now"]) == (1, 100)
    assert (now.loc["partners", "exercises_now"],
            now.loc["partners", "exercise_personnel_now"]) == (1, 85)


def test_signal_window_is_the_month_of_the_latest_section_event():
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "date": pd.to_datetime(["2023-01-10", "2023-09-03", "2023-09-11", "2023-09-20",
                                "2023-09-08"]),
        "section": [1, 1, 1, 7, 1],
        "actors": ["F;P", "F;P", "US;F", "R;F", "P;Q"],
    })
    out = dep.signal_window(events)
    assert list(out["event_id"]) == ["E2", "E5", "E3"]
    assert list(dep.signal_window(events, actor="F")["event_id"]) == ["E2", "E3"]
    days = (out["date"].max() - out["date"].min()).days
    assert days == 8
    assert dep.signal_window(events[events["section"] == 7]).empty


def test_deliveries_by_system_groups_years_and_deals():
    d = pd.DataFrame({
        "sipri_deal_id": [1, 1, 2, 3],
        "recipient": ["F", "F", "F", "F"], "supplier": ["P", "P", "P", "X"],
        "designation": ["S-300", "S-300", "Su-30", "Radar"],
        "description": ["SAM system", "SAM system", "aircraft", "radar"],
        "armament_category": ["Air defence", "Air defence", "Aircraft", "Sensors"],
        "order_year": [2007, 2007, 2019, 2020], "delivery_year": [2009, 2010, 2019, 2021],
        "units_delivered": [1, 1, 4, 4], "units_is_estimate": [True, False, False, False],
        "tiv_delivered_m": [17.0, 17.0, 190.0, 32.0], "source_id": "s", "confidence": "high",
    })
    out = dep.deliveries_by_system(d, "F", "P")
    assert list(out["designation"]) == ["S-300", "Su-30"]
    s300 = out.iloc[0]
    assert (s300["first"], s300["last"], s300["units"], s300["tiv_m"]) == (2009, 2010, 2, 34.0)
    assert bool(s300["estimate"]) is True
    assert s300["ordered"] == "2007"
    assert dep.deliveries_by_system(d, "F", "Nobody").empty
    # a second deal for the same weapon keeps its own order year (Igla-S: 2012 and 2015, which
    # Table 4.1 gave as '2012' alone)
    again = pd.concat([d, d.iloc[[0]].assign(sipri_deal_id=9, order_year=2012,
                                              delivery_year=2013)])
    assert dep.deliveries_by_system(again, "F", "P").iloc[0]["ordered"] == "2007, 2012"


def test_label_levels_stagger_overlapping_labels():
    # three labels 1 unit wide at x = 0, 0.2, 0.4 overlap; a fourth far away does not
    levels = charts._label_levels([0.0, 0.2, 0.4, 10.0], [1.0, 1.0, 1.0, 1.0])
    assert len(set(levels[:3])) == 3
    assert abs(levels[3]) == 1


def test_dots_of_nearby_days_move_off_the_axis_and_the_labelled_dot_keeps_it():
    """Figure 7.2 hid the fighting of 19 September 2023 under the next days' dots: dots that
    would touch move just above or below the axis (the first placed, a labelled one, keeps it);
    a fourth with no room left stays on the axis, where the labelled one is drawn over it."""
    assert charts._dodge([0.0, 1.0, 2.0, 3.0, 50.0], 6.0).levels == [0, 1, -1, None, 0]
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3"], "date": pd.to_datetime(["2023-09-19", "2023-09-20",
                                                                "2023-09-21"]),
        "end_date": pd.to_datetime([None, None, None]),
        "category": ["conflict", "ceasefire", "humanitarian"],
        "title": ["Offensive", "Ceasefire", "Refugees"], "confidence": ["high"] * 3,
        "date_precision": ["day"] * 3,
    })
    fig = charts.labelled_timeline(events, label_ids=["E1"], start="2023-01-01",
                                   end="2024-12-31")
    dots = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 1]
    heights = sorted(float(c.get_offsets()[0][1]) for c in dots)
    assert heights == [-charts.DOT_LIFT_PT, 0.0, charts.DOT_LIFT_PT], heights


def test_a_dot_beside_an_event_that_lasted_moves_off_its_bar():
    """The offensive of 19–20 September 2023 is drawn as a bar with its dot on the axis: the
    ceasefire of 20 September was placed on the axis too, under it (an outside reader found the
    legend's ceasefire nowhere in Figure 7.2). A bar's dot now holds its place on the axis."""
    assert charts._dodge([1.0, 2.0], 6.0, pinned=(0.0,)).levels == [1, -1]
    events = pd.DataFrame({
        "event_id": ["E1", "E2"], "date": pd.to_datetime(["2023-09-19", "2023-09-20"]),
        "end_date": pd.to_datetime(["2023-09-20", None]),
        "category": ["conflict", "ceasefire"], "title": ["Offensive", "Ceasefire"],
        "confidence": ["high"] * 2, "date_precision": ["day"] * 2,
    })
    fig = charts.labelled_timeline(events, label_ids=["E1"], start="2023-01-01",
                                   end="2024-12-31")
    dots = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 1]
    heights = sorted(float(c.get_offsets()[0][1]) for c in dots)
    assert heights == [0.0, charts.DOT_LIFT_PT], heights


def test_every_kind_keeps_a_visible_dot_in_a_crowd():
    """Figure 7.2's legend named 'Humanitarian', but its three dots of late September 2023 were
    all hidden in the crowd: a kind whose dots find no free place shows the one with the most
    room around it, drawn over its neighbours."""
    # three labelled dots take the axis and the levels on either side; the rarest kind's
    # dots find no free place, and the one with most room is drawn where it is least covered
    placed = charts._dodge([0.0, 1.0, 2.0, 3.0, 5.0], 6.0, groups=[None, None, None, "b", "b"])
    assert placed.levels == [0, 1, -1, None, 0] and placed.forced == {4}
    # with room for it, a kind's first dot takes a free place and nothing is forced
    assert charts._dodge([0.0, 1.0, 20.0], 6.0, groups=[None, "a", "b"]) == ([0, 1, 0], set())
    # a crowd on the chart: three labelled dots, a diplomacy dot left hidden (its kind shows
    # a year later) and the only humanitarian dot, forced and drawn above all
    events = pd.DataFrame({
        "event_id": [f"E{i}" for i in range(6)],
        "date": pd.to_datetime(["2023-09-19", "2023-09-20", "2023-09-21", "2023-09-22",
                                "2023-09-24", "2024-09-22"]),
        "end_date": pd.to_datetime([None] * 6),
        "category": ["conflict", "security", "ceasefire", "diplomacy", "humanitarian",
                     "diplomacy"],
        "title": ["Offensive", "A", "B", "Talks", "Refugees", "More talks"],
        "confidence": ["high"] * 6, "date_precision": ["day"] * 6,
    })
    fig = charts.labelled_timeline(events, label_ids=["E0", "E1", "E2"], start="2023-01-01",
                                   end="2026-12-31")
    dots = {to_hex(d.get_facecolor()[0]): d for d in fig.axes[0].collections
            if len(d.get_offsets()) == 1 and d.get_offsets()[0][0] < 19700}  # 2023's crowd
    olive = dots[to_hex(theme.CATEGORY_COLOURS["humanitarian"])]
    assert olive.get_zorder() > max(d.get_zorder() for d in dots.values() if d is not olive)
    hidden = dots[to_hex(theme.CATEGORY_COLOURS["diplomacy"])]  # the one in the crowd
    assert float(hidden.get_offsets()[0][1]) == 0.0 and hidden.get_zorder() < olive.get_zorder()
    # a forced dot covers a bar's dot on the axis rather than the labelled dot above it or the
    # only dot of another kind below it, though those leave it more room
    assert charts._dodge([4.0, 5.5, 5.0], 6.0, pinned=(5.0,), groups=[None, "a", "b"]) == (
        [1, -1, 0], {2})


def test_labelled_timeline_draws_without_error():
    events = pd.DataFrame({
        "event_id": ["E1", "E2"], "date": pd.to_datetime(["2013-09-03", "2015-01-02"]),
        "end_date": pd.to_datetime([None, None]), "category": ["diplomacy", "economy"],
        "title": ["A turn", "Membership"], "confidence": ["high", "low"],
        "date_precision": ["day", "day"],
    })
    fig = charts.labelled_timeline(events)
    assert len(fig.axes[0].texts) >= 2


def _year_by_year(years_by_key):
    return pd.DataFrame([{"year": y, "share_pct": 50.0 + i, "confidence": "high",
                          "window": str(y), "indicator": key, "label": key.title()}
                         for key, years in years_by_key.items() for i, y in enumerate(years)])


def test_a_left_out_year_breaks_the_line_and_is_named_in_the_note():
    """A year not complete in the source is not plotted, and the line is not drawn across it
    as if it were (Figure 4.2 once bridged 2012 to 2014 and read as a 2013 value)."""
    series = _year_by_year({"gas": [2011, 2012, 2014, 2015], "trade": [2011, 2012, 2013]})
    fig = charts.shares_chart(series, "P")
    gas = next(line for line in fig.axes[0].get_lines() if line.get_label() == "Gas")
    assert list(gas.get_xdata()) == [2011, 2012, 2013, 2014, 2015]
    assert list(pd.isna(gas.get_ydata())) == [False, False, True, False, False]
    assert dep.gaps_note(series) == ("Left out as not complete in the source: gas imports "
                                     "2013 (the line breaks where such a year falls inside a "
                                     "series).")
    assert dep.gaps_note(series[series["indicator"] == "trade"]) is None
    # partial years at either end of a series are named too (no line to break there)
    assert dep.gaps_note(series, {"gas": (2010, 2016), "trade": (2014,)}) == (
        "Left out as not complete in the source: gas imports 2010, 2013 and 2016; trade "
        "2014 (the line breaks where such a year falls inside a series).")
    assert dep.gaps_note(series[series["indicator"] == "trade"], {"trade": (2014,)}) == (
        "Left out as not complete in the source: trade 2014.")


def test_a_headcount_from_an_undated_source_says_so():
    import pandas as pd

    from analysis.builders._common import personnel_cells

    class Ev:  # the one method personnel_cells asks of the evidence
        @staticmethod
        def sources_by_id():
            return pd.DataFrame({"date_published": [pd.Timestamp("2020-01-01"), pd.NaT]},
                                index=["dated", "undated"])

    rows = pd.DataFrame({"personnel_persons": [100.0, 3083.0, None, 209.0],
                         "source_id": ["dated", "undated", "dated", "undated"],
                         "personnel_source_id": [None, None, None, "dated"]})
    assert personnel_cells(Ev, rows) == ["100", "3,083 (n.d.)", "not published", "209"]
    # a figure that is not a count says what it is (the peacekeepers' 1,960 is a ceiling)
    rows["personnel_basis"] = ["ceiling", "count", None, "authorised"]
    assert personnel_cells(Ev, rows) == ["100 (ceiling)", "3,083 (n.d.)", "not published",
                                         "209 (authorised)"]
    rows.loc[1, "personnel_basis"] = "ceiling"
    assert personnel_cells(Ev, rows)[1] == "3,083 (ceiling; n.d.)"
    rows["confidence"] = ["high", "medium", "medium", "high"]  # the figure carries the mark
    assert personnel_cells(Ev, rows)[:3] == ["100 (ceiling)", "3,083\u2020 (ceiling; n.d.)",
                                             "not published"]


def test_a_sum_of_headcounts_says_which_are_not_counts():
    """'About 5,000' added the peacekeepers' mandate ceiling to a count without saying so (an
    outside reader's finding, twice); then said so, and a third reader: a ceiling cannot be
    added to a count at all. Figures of one kind are added up and said which they are."""
    from analysis.builders._common import headcount

    ceiling = ("ceiling", 50.0, True, "high")
    assert headcount(209, 1, 0, "their", apart=(("authorised", 209.0, False, "high"),))[1] == (
        "an authorised strength")
    assert headcount(100, 2, 2, apart=(ceiling, ceiling))[1] == (
        "all of them mandates' ceilings; all of them undated")
    assert headcount(3083, 1, 0) == ("3,083 personnel by the latest published figure", "")
    # beside counts, a figure that is not one is named apart, never added to them
    assert headcount(5043, 2, 1, mark="†", apart=(("ceiling", 1960.0, False, "high"),)) == (
        ("3,083† personnel by the latest published count (undated) and a mandate's ceiling "
         "of 1,960"), "")
    assert headcount(5252, 3, 1, apart=(("authorised", 209.0, True, "medium"),))[0] == (
        "about 5,000 personnel by the latest published counts and an authorised strength of "
        "209† (undated)")


def test_an_event_still_under_way_on_the_editions_date_runs_to_the_charts_last_day():
    """The cut marks an event whose end came after the edition's date as ongoing (its end is
    not known yet); the timeline draws its bar to the chart's last day, as it draws an ended
    event's to its end, and a point event stays a point."""
    from analysis.evidence import cut

    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3"],
        "date": pd.to_datetime(["2022-12-12", "2023-01-10", "2023-03-01"]),
        "end_date": pd.to_datetime(["2023-09-24", "2023-02-01", None]),
        "category": ["humanitarian", "security", "diplomacy"], "title": ["A", "B", "C"],
        "confidence": ["high"] * 3, "date_precision": ["day"] * 3, "source_id": ["s"] * 3,
    })
    sources = pd.DataFrame({"source_id": ["s"], "date_published": pd.to_datetime(["2022-01-01"]),
                            "not_before": pd.NaT})
    cut_events = cut({"events": events, "sources": sources}, pd.Timestamp("2023-09-15").date(),
                     2000, 2023)["events"]
    assert list(cut_events["ongoing"]) == [True, False, False]
    assert cut_events["end_date"].isna().tolist() == [True, False, True]
    fig = charts.labelled_timeline(cut_events, end=pd.Timestamp("2023-09-15"))
    bars = sorted(tuple(pd.Timestamp(x).date().isoformat() for x in line.get_xdata())
                  for line in fig.axes[0].lines if line.get_linewidth() == 6)
    assert bars == [("2022-12-12", "2023-09-15"), ("2023-01-10", "2023-02-01")]


def test_dots_of_one_lane_that_would_overlap_move_off_it():
    """Figure 2.1 hid about seven of its 30 events under others of the same kind (an outside
    reader): in a lane timeline, a dot that would touch one already placed moves just above or
    below its lane; the labelled dot keeps the lane, and dots of other lanes do not interfere."""
    events = pd.DataFrame({  # 1994 to 2020 on one axis: days apart are a fraction of a dot
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "date": pd.to_datetime(["2020-09-27", "2020-10-10", "2020-10-20", "2020-10-10",
                                "1994-05-05"]),
        "end_date": pd.to_datetime([None] * 5),
        "category": ["conflict", "conflict", "conflict", "ceasefire", "ceasefire"],
        "title": ["War", "Truce broken", "Town taken", "Truce", "Protocol"],
        "confidence": ["high"] * 5, "date_precision": ["day"] * 5,
    })
    lifts = charts._lane_lifts(events, ["E2"], 6.6)
    assert lifts[1] == 0.0 and lifts[3] == 0.0  # the labelled dot; the other lane's own dot
    assert sorted([lifts[0], lifts[2]]) == [-charts.LANE_LIFT, charts.LANE_LIFT]
    fig = charts.timeline(events, label_ids=["E2", "E5"])
    ys = sorted(float(c.get_offsets()[0][1]) for c in fig.axes[0].collections
                if len(c.get_offsets()) == 1)
    assert len(set(ys)) == 4, ys  # the three of 2020's conflict lane at three heights
    # a label clears the dots moved off the lane on its side (the second war's ran into one:
    # an outside reader); one with no such dot beside it stays close to its point
    offsets = {a.get_text(): a.xyann[1] for a in fig.axes[0].texts if a.get_text() in
               ("Truce broken", "Protocol")}
    assert abs(offsets["Truce broken"]) > 7 + charts.LANE_LIFT * 20 and offsets["Protocol"] == 7
