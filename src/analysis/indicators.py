"""Small computations some sections share (shares, supplier concentration and comparisons
live in :mod:`analysis.measures`). Pure functions on DataFrames: no I/O, no plotting."""

from __future__ import annotations

import re

import pandas as pd

#: spending at the constant prices of a base year: spend_const2023_usd_m = US$ m at 2023 prices
CONSTANT_MEASURE = re.compile(r"spend_const(\d{4})_usd_m")


def constant_measure(milex: pd.DataFrame) -> tuple[str, int] | None:
    """The constant-price measure the table holds, with its base year (the latest base year if a
    table ever held two), or None."""
    found = [(int(m.group(1)), name) for name in milex["measure"].dropna().unique()
             if (m := CONSTANT_MEASURE.fullmatch(str(name)))]
    if not found:
        return None
    base, name = max(found)
    return name, base


def spending_ratio(milex: pd.DataFrame, numerator: str, denominator: str,
                   measure: str | None = None) -> pd.DataFrame:
    """Year, both values and numerator/denominator for years where both exist, in the
    constant-price measure (:func:`constant_measure`) unless another is named."""
    if measure is None:
        found = constant_measure(milex)
        measure = found[0] if found else ""
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
