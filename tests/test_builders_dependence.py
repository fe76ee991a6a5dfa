"""Dependence indicators (sections 1 and 4) on small inline frames with hand-computed values."""

import matplotlib
import numpy as np
import pandas as pd
import pytest

from analysis.builders import dependence as dep

matplotlib.use("Agg")


def _arms(rows):
    return pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv_m", "source_id",
                                       "confidence"])


def test_arms_share_uses_trailing_windows_and_skips_empty_ones():
    arms = _arms([
        ("A", "P", 2000, 30.0, "s", "high"),
        ("A", "X", 2001, 10.0, "s", "high"),
        ("A", "P", 2004, 60.0, "s", "low"),
        ("B", "P", 2008, 99.0, "s", "high"),  # another recipient: sets the table's coverage only
    ])
    out = dep.arms_share(arms, "A", "P", window=3).set_index("year")
    # windows 2000-02 .. 2006-08; 2005-07 and 2006-08 hold no deliveries to A
    assert list(out.index) == [2002, 2003, 2004, 2005, 2006]
    assert out.loc[2002, "share_pct"] == pytest.approx(75.0)  # 30 / (30 + 10)
    assert out.loc[2003, "share_pct"] == pytest.approx(0.0)  # only X's 10 in 2001-03
    assert out.loc[2004, "share_pct"] == pytest.approx(100.0)  # 60 / 60
    assert out.loc[2004, "period"] == "2002–2004"
    assert out.loc[2004, "confidence"] == "low"
    assert out.loc[2002, "confidence"] == "high"


def test_arms_share_empty_table():
    assert dep.arms_share(_arms([]), "A", "P").empty


def test_trade_share_sums_both_flows_and_needs_a_complete_world_total():
    trade = pd.DataFrame({
        "partner": ["World", "World", "P", "P", "World", "P"],
        "year": [2020, 2020, 2020, 2020, 2021, 2021],
        "flow": ["exports", "imports", "exports", "imports", "exports", "exports"],
        "value_usd_m": [100.0, 300.0, 40.0, 60.0, 50.0, 10.0],
        "source_id": "s", "confidence": ["medium"] * 6,
    })
    out = dep.trade_share(trade, "P")
    assert list(out["year"]) == [2020]  # 2021 has no World imports
    assert out.iloc[0]["share_pct"] == pytest.approx(25.0)  # (40 + 60) / (100 + 300)


def test_gas_share_by_weight_without_a_world_row():
    energy = pd.DataFrame({
        "year": [2022, 2022, 2023, 2023], "partner": ["P", "Q", "P", "Q"],
        "commodity": "natural_gas", "months_reported": [12, 12, 9, 9],
        "netweight_kt": [1800.0, 200.0, 900.0, 100.0], "value_usd_m": [1.0, 99.0, 1.0, 1.0],
        "source_id": "s", "confidence": "medium",
    })
    out = dep.gas_share(energy, "P").set_index("year")
    assert out.loc[2022, "share_pct"] == pytest.approx(90.0)  # 1800 / 2000, not by value
    assert out.loc[2023, "months_reported"] == 9


def test_remittance_share_uses_total_transfers_only():
    rem = pd.DataFrame({
        "year": [2013, 2013, 2013, 2013], "origin": ["World", "P", "World", "P"],
        "transfer_type": ["total", "total", "non_commercial", "non_commercial"],
        "inflow_usd_m": [2000.0, 1500.0, 1000.0, 900.0], "source_id": "s",
        "confidence": "medium",
    })
    out = dep.remittance_share(rem, "P")
    assert out.iloc[0]["share_pct"] == pytest.approx(75.0)


def _series():
    return pd.DataFrame({
        "indicator": ["arms", "arms", "arms", "trade", "trade", "trade"],
        "year": [2012, 2013, 2020, 2013, 2014, 2024],
        "share_pct": [80.0, 92.0, 81.0, 23.0, 24.0, 41.0],
        "confidence": ["high", "high", "high", "medium", "medium", "low"],
    }).assign(label=lambda f: f["indicator"].map(dep.LABELS))


def test_baseline_is_first_year_all_indicators_have():
    assert dep.baseline_year(_series()) == 2013
    assert dep.baseline_year(_series().iloc[:0]) is None


def test_compare_earlier_latest_and_direction():
    out = dep.compare(_series()).set_index("indicator")
    assert out.loc["arms", "earlier_year"] == 2013
    assert out.loc["arms", "change_pts"] == pytest.approx(-11.0)
    assert out.loc["arms", "direction"] == "down"
    assert out.loc["trade", "latest_year"] == 2024
    assert out.loc["trade", "change_pts"] == pytest.approx(18.0)
    assert out.loc["trade", "direction"] == "up"
    assert out.loc["trade", "confidence"] == "low"  # the weaker of the two values


def test_compare_single_year_has_no_earlier_value():
    one = _series()[lambda f: f["year"] == 2013]
    out = dep.compare(one)
    assert out["earlier"].isna().all() and (out["direction"] == "n/a").all()


@pytest.mark.parametrize("delta, expected", [(0.4, "about the same"), (-0.5, "down"),
                                             (3.0, "up"), (np.nan, "n/a")])
def test_direction(delta, expected):
    assert dep.direction(delta) == expected


def test_year_label_for_arms_window():
    assert dep.year_label("arms", 2020) == "2016–2020"
    assert dep.year_label("trade", 2020) == "2020"


def test_share_phrase_singular_point():
    row = pd.Series({"indicator": "gas", "earlier": 84.0, "earlier_year": 2013, "latest": 85.0,
                     "latest_year": 2020, "change_pts": 1.0, "direction": "up"})
    assert dep.share_phrase(row, "P") == "85% in 2020 (up 1 point from 84% in 2013)"


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
    assert dep.deliveries_by_system(d, "F", "Nobody").empty


def test_label_levels_stagger_overlapping_labels():
    # three labels 1 unit wide at x = 0, 0.2, 0.4 overlap; a fourth far away does not
    levels = dep._label_levels([0.0, 0.2, 0.4, 10.0], [1.0, 1.0, 1.0, 1.0])
    assert len(set(levels[:3])) == 3
    assert abs(levels[3]) == 1


def test_labelled_timeline_draws_without_error():
    events = pd.DataFrame({
        "event_id": ["E1", "E2"], "date": pd.to_datetime(["2013-09-03", "2015-01-02"]),
        "end_date": pd.to_datetime([None, None]), "category": ["diplomacy", "economy"],
        "title": ["A turn", "Membership"], "confidence": ["high", "low"],
        "date_precision": ["day", "day"],
    })
    fig = dep.labelled_timeline(events)
    assert len(fig.axes[0].texts) >= 2
