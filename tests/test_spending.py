"""Military spending: the constant-price measure, the ratio and what the charts' notes and the text
say about SIPRI's estimates and footnotes, on small inline frames."""

import pandas as pd

from analysis import indicators
from analysis.builders import roots

NOTE = "includes allocations for special projects (footnote 7)"


def _milex(rows):
    return pd.DataFrame(rows, columns=["country", "year", "measure", "value", "estimate", "note"])


def test_the_constant_measure_is_found_by_its_base_year():
    milex = _milex([("A", 2020, "spend_const2019_usd_m", 1.0, None, None),
                    ("A", 2020, "spend_const2023_usd_m", 2.0, None, None),
                    ("A", 2020, "share_of_gdp_pct", 3.0, None, None)])
    assert indicators.constant_measure(milex) == ("spend_const2023_usd_m", 2023)
    assert indicators.constant_measure(milex[milex["measure"] == "share_of_gdp_pct"]) is None


def test_the_ratio_uses_the_constant_measure_and_years_with_both_figures():
    milex = _milex([("R", 2000, "spend_const2023_usd_m", 300.0, True, None),
                    ("F", 2000, "spend_const2023_usd_m", 100.0, None, None),
                    ("R", 2001, "spend_const2023_usd_m", 500.0, None, None),
                    ("F", 2001, "share_of_gdp_pct", 4.0, None, None)])
    gap = indicators.spending_ratio(milex, "R", "F")
    assert list(gap["year"]) == [2000] and list(gap["ratio"]) == [3.0]
    assert indicators.spending_ratio(milex[milex["measure"] == "share_of_gdp_pct"], "R",
                                     "F").empty


def test_notes_name_estimates_and_footnoted_years_by_country():
    rows = _milex([("Azerbaijan", y, "m", 1.0, y < 2003, NOTE if 2011 <= y <= 2013 else None)
                   for y in range(2000, 2016)]
                  + [("Armenia", y, "m", 1.0, None, None) for y in range(2000, 2016)])
    assert roots.series_notes(rows) == (
        f"SIPRI estimates (open circles): Azerbaijan 2000–2002. Azerbaijan, 2011–2013: {NOTE}.")
    assert roots.series_notes(rows[rows["country"] == "Armenia"]) is None


def test_a_ratio_resting_on_an_estimate_says_whose():
    milex = _milex([("Azerbaijan", 2000, "m", 1.0, True, None),
                    ("Armenia", 2000, "m", 1.0, pd.NA, None),
                    ("Armenia", 2001, "m", 1.0, True, None),
                    ("Azerbaijan", 2001, "m", 1.0, True, None)])
    pair = ("Armenia", "Azerbaijan")
    assert roots._flagged(milex, 2000, pair) == " (Azerbaijan's figure is a SIPRI estimate)"
    assert roots._flagged(milex, 2001, pair) == " (both figures are SIPRI estimates)"
    assert roots._flagged(milex, 2002, pair) == ""
