"""Indicators computed from the evidence tables. Pure functions on DataFrames: no I/O, no plotting."""

from __future__ import annotations

import pandas as pd


def period_shares(arms: pd.DataFrame, recipient: str, start: int, end: int) -> pd.DataFrame:
    """Supplier shares (%) of a recipient's arms imports (TIV) over years start..end inclusive."""
    rows = arms[(arms["recipient"] == recipient) & arms["year"].between(start, end)]
    by_supplier = rows.groupby("supplier")["tiv_m"].sum().sort_values(ascending=False)
    total = by_supplier.sum()
    shares = (100 * by_supplier / total) if total else by_supplier * 0
    return pd.DataFrame({"supplier": by_supplier.index, "tiv_m": by_supplier.values,
                         "share_pct": shares.values})


def hhi(shares_pct) -> float:
    """Herfindahl-Hirschman index of shares given in %: 10,000 = one supplier only."""
    shares = pd.Series(shares_pct, dtype="float64")
    return float((shares**2).sum())


def rolling_hhi(arms: pd.DataFrame, recipient: str, window: int = 5) -> pd.DataFrame:
    """HHI of supplier concentration over trailing ``window``-year periods ending in each year.

    A period with no deliveries gets no value (not 0: there is nothing to be concentrated).
    """
    rows = arms[arms["recipient"] == recipient]
    if rows.empty:
        return pd.DataFrame(columns=["year", "hhi", "suppliers", "tiv_m"])
    years = range(int(rows["year"].min()) + window - 1, int(rows["year"].max()) + 1)
    out = []
    for end in years:
        shares = period_shares(rows, recipient, end - window + 1, end)
        if shares["tiv_m"].sum() > 0:
            out.append({"year": end, "hhi": hhi(shares["share_pct"]),
                        "suppliers": int((shares["tiv_m"] > 0).sum()),
                        "tiv_m": float(shares["tiv_m"].sum())})
    return pd.DataFrame(out)


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
