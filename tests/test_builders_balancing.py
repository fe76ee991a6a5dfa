"""Computations behind sections 5 (balancing act) and 7 (outlook), on small hand-made frames."""

import pandas as pd
import pytest

from analysis import indicators
from analysis.builders import balancing, outlook


def arms(rows):
    return pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv_m", "source_id",
                                       "confidence"])


# ---------------------------------------------------------------------- HHI
def test_hhi_of_known_shares():
    assert indicators.hhi([50, 50]) == 5000
    assert indicators.hhi([100]) == 10000
    assert indicators.hhi([50, 25, 25]) == 2500 + 625 + 625


def test_period_shares_and_rolling_hhi():
    frame = arms([("A", "R", 2001, 30.0, "s", "high"), ("A", "F", 2002, 10.0, "s", "high"),
                  ("A", "R", 2006, 20.0, "s", "high")])
    shares = indicators.period_shares(frame, "A", 2001, 2005)
    assert dict(zip(shares["supplier"], shares["share_pct"], strict=True)) == {"R": 75.0,
                                                                               "F": 25.0}
    series = indicators.rolling_hhi(frame, "A", window=5)
    by_year = dict(zip(series["year"], series["hhi"], strict=True))
    assert by_year[2005] == pytest.approx(75**2 + 25**2)  # 6250
    # 2002-2006: R 20, F 10 -> 66.7% / 33.3%
    assert by_year[2006] == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)


def test_concentration_marks_windows_with_low_confidence_rows():
    frame = arms([("A", "R", 2001, 50.0, "s", "high"), ("A", "F", 2001, 50.0, "s", "low"),
                  ("A", "R", 2006, 10.0, "s", "high"), ("B", "R", 2005, 1.0, "s", "high")])
    out = balancing.concentration(frame, ["A", "B", "C"], window=5)
    a = out[out["country"] == "A"].set_index("year")
    assert a.loc[2005, "hhi"] == 5000
    assert a.loc[2005, "confidence"] == "low"
    assert a.loc[2006, "hhi"] == 10000  # 2002-2006: only R's 2006 delivery
    assert a.loc[2006, "confidence"] == "high"
    # B's single year gives no complete window; C has no data: no rows, no error
    assert set(out["country"]) == {"A"}
    assert balancing.concentration(frame.iloc[0:0], ["A"]).empty


def test_supplier_groups_pool_everyone_else():
    frame = arms([("A", "Russia", 2017, 1.0, "s", "high"), ("A", "India", 2021, 1.0, "s", "high"),
                  ("A", "Jordan", 2019, 1.0, "s", "high"), ("B", "Russia", 2019, 1.0, "s", "high")])
    out = balancing.supplier_groups(frame, "A", "Russia", ("France", "India"))
    assert list(out["group"]) == ["Russia", "India", "Other suppliers"]
    assert list(out["period"]) == ["2015–19", "2020–24", "2015–19"]


# ---------------------------------------------------------------------- votes
def test_vote_counts_and_wording():
    votes = pd.DataFrame({"country": ["A", "A", "A", "A", "B"],
                          "topic": ["ukraine", "ukraine", "ukraine", "other", "ukraine"],
                          "vote": ["abstain", "abstain", "yes", "no", "yes"]})
    assert balancing.vote_counts(votes, "A") == {"yes": 1, "abstain": 2, "no": 0, "absent": 0}
    assert balancing.vote_counts(votes, "Z") == {"yes": 0, "abstain": 0, "no": 0, "absent": 0}
    assert balancing.plural(1, "resolution") == "one resolution"
    assert balancing.plural(3, "resolution") == "3 resolutions"
    assert balancing.times(2) == "twice"


# ---------------------------------------------------------------------- diversification steps
def test_diversification_steps_keep_partner_steps_and_prefer_deployments():
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "date": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01", "2023-02-20",
                                "2019-01-01"]),
        "end_date": pd.NaT, "category": ["security", "security", "diplomacy", "security",
                                         "security"],
        "actors": ["A;India", "A;India;Russia", "A;EU;Z", "EU;A", "A;India"],
        "title": ["deal", "with patron", "with rival", "mission starts", "old"],
        "section": [5, 5, 5, 5, 4], "source_id": "s", "confidence": "high"})
    deps = pd.DataFrame({
        "deployment_id": ["D1", "D2"], "name": ["Mission", "Base"], "deployer": ["EU", "Russia"],
        "host": ["A", "A"], "start_date": pd.to_datetime(["2023-02-20", "2000-01-01"]),
        "end_date": pd.NaT, "source_id": "s", "confidence": "high"})
    out = balancing.diversification_steps(events, deps, "A", "Z", "Russia", ("EU", "India"))
    assert list(out["event_id"]) == ["E1", "D1"]
    assert list(out["partner"]) == ["India", "EU"]
    assert list(out["no"]) == [1, 2]


# ---------------------------------------------------------------------- outlook indicators
def test_share_of_total_against_world_row_and_against_sum():
    trade = pd.DataFrame({"partner": ["World", "Russia", "World", "Russia", "Iran"],
                          "year": [2022, 2022, 2023, 2023, 2023],
                          "value_usd_m": [200.0, 50.0, 100.0, 40.0, 10.0],
                          "source_id": "s", "confidence": ["high", "medium", "high", "high",
                                                           "low"]})
    out = outlook.share_of_total(trade, "partner", "Russia", "value_usd_m", total="World")
    assert dict(zip(out["year"], out["share_pct"], strict=True)) == {2022: 25.0, 2023: 40.0}
    assert dict(zip(out["year"], out["confidence"], strict=True)) == {2022: "medium",
                                                                      2023: "high"}
    gas = trade[trade["partner"] != "World"]
    out = outlook.share_of_total(gas, "partner", "Russia", "value_usd_m")
    assert dict(zip(out["year"], out["share_pct"], strict=True)) == {2022: 100.0, 2023: 80.0}
    assert out.set_index("year").loc[2023, "confidence"] == "low"


def test_arms_share_windows_compare_two_five_year_periods():
    frame = arms([("A", "R", 2014, 100.0, "s", "high"), ("A", "R", 2019, 60.0, "s", "high"),
                  ("A", "F", 2023, 40.0, "s", "high")])
    out = outlook.arms_share_windows(frame, "A", "R", window=5)
    assert list(out["label"]) == ["2014–2018", "2019–2023"]
    assert list(out["share_pct"]) == [100.0, 60.0]
    assert outlook.arms_share_windows(frame, "B", "R").empty


def test_active_deployments_on_a_day():
    deps = pd.DataFrame({"deployer": ["EU", "EU", "US", "Russia"],
                         "start_date": pd.to_datetime(["2022-10-20", "2023-02-20", "2023-09-11",
                                                       "1994-09-01"]),
                         "end_date": pd.to_datetime(["2022-12-19", None, "2023-09-20", None])})
    on = "2023-09-15"
    assert len(outlook.active_on(deps, ["EU", "US"], on)) == 2
    assert len(outlook.active_on(deps, ["EU", "US"], "2022-11-01")) == 1
    assert len(outlook.active_on(deps, ["Russia"], on)) == 1


def test_direction_latest_two_and_small_helpers():
    assert outlook.direction(40, 24, "Jan-Mar 2023") == "up 16 points since Jan-Mar 2023"
    assert outlook.direction(86, 87, "2022") == "down 1 point since 2022"
    assert outlook.direction(5, None, "") == "no earlier reading"
    assert outlook.count_change(2, 2) == "unchanged on a year earlier"
    assert outlook.count_change(0, 2) == "up 2 on a year earlier"
    last, prev = outlook.latest_two(pd.DataFrame({"year": [2021, 2023, 2022], "v": [1, 3, 2]}))
    assert (last["v"], prev["v"]) == (3, 2)
    assert outlook.latest_two(pd.DataFrame({"year": []})) is None
    assert outlook.weakest(["high", "low", "medium"]) == "low"
    assert outlook.short_publisher("SIPRI (Stockholm International Peace Research "
                                   "Institute)") == "SIPRI"
    assert outlook.short_publisher("Statistical Committee of Armenia (Armstat)") == "Armstat"
    assert outlook.short_publisher("Council of the EU") == "Council of the EU"


def test_after_article_and_label_helpers():
    events = pd.DataFrame({"date": pd.to_datetime(["2023-09-15", "2023-09-19", "2024-02-22"])})
    assert list(outlook.after(events)["date"].dt.day) == [19, 22]
    # two labels in the same lane 10 days apart with a 30-day width: the second moves level
    day = pd.Timestamp("2024-01-01")
    offsets = outlook.place_offsets([("a", day), ("a", day + pd.Timedelta(days=10)),
                                     ("b", day), ("a", day + pd.Timedelta(days=40))], 30)
    assert offsets == [9, -9, 9, 9]
    placed = outlook.spread([35, 36, 80], gap=6)
    assert placed[1] - placed[0] >= 6 and placed[2] > placed[1]
