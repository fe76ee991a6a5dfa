"""Small computations some sections share (shares, supplier concentration and comparisons
live in :mod:`analysis.measures`). Pure functions on DataFrames: no I/O, no plotting."""

from __future__ import annotations

import pandas as pd


def spending_ratio(milex: pd.DataFrame, numerator: str, denominator: str,
                   measure: str = "spend_const2019_usd_m") -> pd.DataFrame:
    """Year, both values and numerator/denominator for years where both exist."""
    rows = milex[milex["measure"] == measure]
    wide = rows.pivot_table(index="year", columns="country", values="value")
    if numerator not in wide or denominator not in wide:
        return pd.DataFrame(columns=["year", numerator, denominator, "ratio"])
    wide = wide[[numerator, denominator]].dropna()
    wide = wide[wide[denominator] > 0]
    wide["ratio"] = wide[numerator] / wide[denominator]
    return wide.reset_index().rename_axis(columns=None)


def days_between(start, end) -> int:
    return int((pd.Timestamp(end) - pd.Timestamp(start)).days)


def months_between(start, end) -> int:
    """Whole months, at least one, between two dates: for a gap whose end is dated only to the
    month (stored on its first day), where a count of days would claim a precision it lacks."""
    return max(1, round(days_between(start, end) / 30.44))
