"""Computed numbers of sections 3 and 6 on small inline frames, with hand-computed values."""

import pandas as pd
import pytest

from analysis.builders import consequences as con
from analysis.builders import involvement as inv
from analysis.measures.shares import flow_series

T = pd.Timestamp


# ------------------------------------------------------------------ section 3: day counts
def test_elapsed_ended_before_as_of():
    # 10 Nov 2020 -> 12 Jun 2024: 21 (rest of Nov) + 31 (Dec) + 366 + 365 + 365
    # + 31+29+31+30+31 (Jan-May 2024) + 12 = 1,310 days
    days, stop, ongoing = inv.elapsed("2020-11-10", T("2024-06-12"), "2025-08-08")
    assert (days, stop, ongoing) == (1310, T("2024-06-12"), False)


def test_elapsed_cut_at_as_of_when_still_running():
    # end after as_of, or missing: count to as_of. 10 Nov 2020 -> 1 Jan 2021 = 20 + 31 + 1 = 52
    assert inv.elapsed("2020-11-10", T("2024-06-12"), "2021-01-01") == (52, T("2021-01-01"), True)
    assert inv.elapsed("2020-11-10", None, "2021-01-01") == (52, T("2021-01-01"), True)
    assert inv.elapsed("2020-11-10", pd.NaT, "2021-01-01")[0] == 52


def test_elapsed_never_negative():
    assert inv.elapsed("2023-01-01", None, "2022-12-31")[0] == 0


def test_corridor_phases_full_blockade():
    # 12 Dec 2022 -> 23 Apr 2023: 19 + 31 + 28 + 31 + 23 = 132 days
    # 23 Apr 2023 -> 30 Sep 2023: 7 + 31 + 30 + 31 + 31 + 30 = 160 days; blocked 292 in all
    phases = inv.corridor_phases("2025-08-08", open_from=T("2020-11-10"),
                                 blockade_start=T("2022-12-12"), checkpoint=T("2023-04-23"),
                                 blockade_end=T("2023-09-30"), rival="R", patron="P")
    assert list(phases["days"]) == [762, 132, 160]  # 10 Nov 2020 -> 12 Dec 2022 = 762
    assert list(phases["phase"]) == ["Open, watched by P's peacekeepers", "Blocked",
                                     "Blocked, R checkpoint in place"]
    assert not phases["ongoing"].any()
    assert inv.blockade_days(phases) == 292


def test_corridor_phases_cut_at_as_of():
    # the article's date: 23 Apr -> 15 Sep 2023 = 7 + 31 + 30 + 31 + 31 + 15 = 145; 132 + 145
    phases = inv.corridor_phases("2023-09-15", open_from=T("2020-11-10"),
                                 blockade_start=T("2022-12-12"), checkpoint=T("2023-04-23"),
                                 blockade_end=None)
    assert list(phases["days"]) == [762, 132, 145]
    assert list(phases["ongoing"]) == [False, False, True]
    assert inv.blockade_days(phases) == 277


def test_corridor_phases_before_the_checkpoint_and_before_the_blockade():
    early = inv.corridor_phases("2023-01-01", open_from=T("2020-11-10"),
                                blockade_start=T("2022-12-12"), checkpoint=None)
    assert list(early["days"]) == [762, 20] and inv.blockade_days(early) == 20
    open_only = inv.corridor_phases("2021-01-01", open_from=T("2020-11-10"))
    assert list(open_only["days"]) == [52] and inv.blockade_days(open_only) == 0
    assert inv.corridor_phases("2020-01-01", open_from=T("2020-11-10")).empty


def test_years_and_months():
    assert inv.years_and_months(1310) == "about 3 years and 7 months"  # 43.0 months
    assert inv.years_and_months(62) == "about 2 months"
    assert inv.years_and_months(58) == "about 1 month"  # whole months: never rounded up
    assert inv.years_and_months(365) == "about 1 year"


def test_involves_matches_whole_names_only():
    ev = pd.DataFrame({"actors": ["Armenia;Azerbaijan;Russia", "Armenia;Russia", "Azerbaijan",
                                  None]})
    assert list(inv.involves(ev, "Armenia", "Russia").index) == [0, 1]
    assert list(inv.involves(ev, "Azerbaijan").index) == [0, 2]
    assert inv.involves(ev, "Armen").empty


# ------------------------------------------------------------------ section 6
@pytest.mark.parametrize("text, expected", [
    ("The National Assembly voted 60 to 22 to ratify the ICC treaty.", (60, 22)),
    ("The law passed 64-7.", (64, 7)),
    ("Adopted 1,203 – 15 after debate", (1203, 15)),
    ("No vote was held.", None),
    (None, None),
])
def test_vote_count(text, expected):
    assert con.vote_count(text) == expected


def test_growth_from_the_base_year():
    series = pd.DataFrame({"year": [2020, 2021, 2022, 2023, 2024],
                           "v": [680.3, 840.7, 2462.8, 3540.2, 3162.0]})
    g = con.growth(series, "v", 2021)
    assert g["base"] == 840.7 and g["last_year"] == 2024 and g["last"] == 3162.0
    assert g["peak_year"] == 2023 and g["peak"] == 3540.2
    assert g["fold"] == pytest.approx(3162.0 / 840.7)  # 3.76..., shown as 3.8-fold


def test_growth_needs_a_base_and_a_later_year():
    series = pd.DataFrame({"year": [2020, 2021], "v": [1.0, 2.0]})
    assert con.growth(series, "v", 2021) is None
    assert con.growth(series, "v", 2019) is None


def test_fold_guards_a_missing_or_zero_base():
    assert con.fold(200, 500) == 2.5
    assert con.fold(0, 5) is None and con.fold(None, 5) is None


def test_trade_flow_shares_use_the_trade_indicator_years():
    trade = pd.DataFrame({
        "partner": ["World", "World", "Russia", "Russia", "Russia"],
        "year": [2022, 2022, 2022, 2022, 2023],
        "flow": ["exports", "imports", "exports", "imports", "exports"],
        "value_usd_m": [5000.0, 8000.0, 2500.0, 2000.0, 99.0],
    })
    trade["confidence"] = ["high", "medium", "high", "high", "high"]
    trade["source_id"] = "s"
    rows = flow_series({"trade": trade}, "Armenia", "Russia").set_index("flow")
    assert rows.loc["exports", "share_pct"] == 50.0 and rows.loc["imports", "share_pct"] == 25.0
    assert rows.loc["imports", "confidence"] == "medium"  # the weakest of part and total
    assert len(rows) == 2  # 2023 has no World total: no share


def test_event_ladder_labels_stay_inside_the_frame():
    import pandas as pd

    from analysis.builders.involvement import event_ladder

    LONG = "Russia summons Armenia's ambassador over 'unfriendly' steps, and more words"
    dates = pd.to_datetime(["2023-03-17", "2023-03-24", "2023-09-04", "2023-09-08",
                            "2023-10-03", "2024-02-01"])
    rows = pd.DataFrame({"event_id": [f"E{i}" for i in range(len(dates))], "date": dates,
                         "title": ["A step"] * 3 + [LONG] + ["Another step"] * 2,
                         "confidence": "high", "date_precision": "day"})
    fig = event_ladder(rows, lambda r: "events", {"events": "#333333"}, size=(6.6, 3.2),
                       max_chars=66)
    from analysis import theme

    theme.fit(fig, final=True)
    renderer = fig.canvas.get_renderer()
    frame = fig.axes[0].get_window_extent(renderer)
    for text in fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, text.get_text()


def test_time_present_counts_both_end_days():
    # an exercise of 11-20 September 2023 was there on 10 days; one still running on the as-of
    # date of 15 September on 5 (11, 12, 13, 14, 15)
    days, _, _ = inv.elapsed("2023-09-11", T("2023-09-20"), "2026-04-17")
    assert inv.presence_text(days) == "10 days"
    days, _, ongoing = inv.elapsed("2023-09-11", T("2023-09-20"), "2023-09-15")
    assert ongoing and inv.presence_text(days) == "5 days"


def test_corridor_event_labels_do_not_run_past_the_axis(monkeypatch):
    """Figure 3.2's labels of other dated events sit left of their marks; a long one is wrapped
    to the room there instead of running over the axis and its row names."""
    from matplotlib.text import Annotation

    from analysis import params, theme
    from analysis.report import SectionContext

    s = SectionContext("03", params.resolve({}, strict=False))
    drawn = {}
    monkeypatch.setattr(s, "figure", lambda fig, **kwargs: drawn.setdefault("fig", fig))
    inv.corridor_chart(s)
    fig = drawn["fig"]
    theme.fit(fig, final=True)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    leaders = [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert leaders, "the chart has labelled events"
    for text in leaders:
        assert text.get_window_extent(renderer).x0 >= frame.x0 - 1, text.get_text()


def test_the_focus_countrys_own_steps_leave_out_the_alliances_answers():
    """After the request, an event is the focus country's own step when it is the first actor
    and the event is not the request or the response: the Kremlin's answer to Armenia's freeze
    is not one (the text had counted it, the chart had not)."""
    rows = pd.DataFrame({"event_id": ["E1", "E2", "E3", "E4"],
                         "actors": ["Armenia;Russia", "Armenia", "Russia;Armenia", "Armenia"]})
    exchange = {"E1"}  # the request
    own = [inv._own_step(r, exchange, "Armenia") for _, r in rows.iterrows()]
    assert own == [False, True, False, True]


def test_a_loss_count_keeps_the_sources_qualifier():
    """'at least 218' (a lower bound) and 'about 90,000' (a round figure) as their sources give
    them: an audit found both printed as exact counts; the column stays right-aligned."""
    from analysis.builders._common import loss_cells
    from analysis.figures import _looks_numeric

    rows = pd.DataFrame({"side": ["A", "B", "C"],
                         "measure": ["killed_in_explosion", "displaced", "military_killed"],
                         "count_persons": [218, 90000, 2783],
                         "count_qualifier": ["at least", "about", None],
                         "confidence": ["medium", "medium", "high"],
                         "count_persons_contested": [None, None, 2900]})
    people = loss_cells(rows)["People"]
    assert people == ["at least 218\u2020", "about 90,000\u2020", "2,783 (or 2,900)"]
    assert _looks_numeric(pd.Series(people))
