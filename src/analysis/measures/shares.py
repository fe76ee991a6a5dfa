"""The patron's share of the focus country's flows: one definition per indicator.

- arms: major arms imports, SIPRI trend-indicator values (TIV) of deliveries to the focus
  country; a year without deliveries counts as zero, every year the table covers is complete;
- trade: goods turnover (exports + imports; partner "World" = total); a year is complete when
  both flows of the total and of the patron are there;
- gas: natural-gas imports by net weight (the "World" row where the table has one, else the sum
  over partners); a year is complete when every row covers twelve months;
- remittances: money transfers received through banks (type "total", origin "World" = total).

A share over a window is the sum of the patron's values over the window's years divided by the
sum of the totals, so one lumpy year cannot swing it. ``series`` gives the same share year by year
(arms: over the trailing five-year window ending in each year, since single years are too lumpy).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .result import Measure
from .windows import WINDOW, Window, window_pair

INDICATORS = ("arms", "trade", "gas", "remittances")
LABELS = {"arms": "Arms imports", "trade": "Trade", "gas": "Gas imports",
          "remittances": "Money transfers"}
MEASURED_AS = {"arms": "SIPRI trend-indicator value (TIV) of deliveries",
               "trade": "goods exports + imports, US$",
               "gas": "natural gas, net weight",
               "remittances": "transfers through banks, US$"}
#: the evidence table behind each indicator
TABLES = {"arms": "arms_imports", "trade": "trade", "gas": "energy",
          "remittances": "remittances"}


@dataclass(frozen=True)
class Basis:
    """What a share is computed from: the patron's rows, the total's rows, the value column and
    the years in which the indicator is complete."""

    part: pd.DataFrame
    total: pd.DataFrame
    value: str
    complete: tuple[int, ...]
    #: years the source has rows for but not complete ones (left out of every share)
    partial: tuple[int, ...] = ()


def basis(key: str, tables: dict[str, pd.DataFrame], focus: str, patron: str) -> Basis:
    if key == "arms":
        arms = tables["arms_imports"]
        rows = arms[arms["recipient"] == focus]
        years = (range(int(arms["year"].min()), int(arms["year"].max()) + 1)
                 if not arms.empty else ())
        return Basis(rows[rows["supplier"] == patron], rows, "tiv_m", tuple(years))
    if key == "trade":
        trade = tables["trade"]
        world, part = trade[trade["partner"] == "World"], trade[trade["partner"] == patron]
        both = set(world.groupby("year")["flow"].nunique().loc[lambda n: n == 2].index)
        both &= set(part.groupby("year")["flow"].nunique().loc[lambda n: n == 2].index)
        seen = set(world["year"]) | set(part["year"])
        return Basis(part[part["year"].isin(both)], world[world["year"].isin(both)],
                     "value_usd_m", tuple(sorted(int(y) for y in both)),
                     tuple(sorted(int(y) for y in seen - both)))
    if key == "gas":
        energy = tables["energy"]
        rows = energy[(energy["commodity"] == "natural_gas") & energy["netweight_kt"].notna()]
        has_world = rows["partner"] == "World"
        world_years = set(rows.loc[has_world, "year"])
        total = pd.concat([rows[has_world], rows[~has_world & ~rows["year"].isin(world_years)]])
        full = rows.groupby("year")["months_reported"].min()
        complete = sorted(int(y) for y in full[full >= 12].index)
        return Basis(rows[rows["partner"] == patron], total, "netweight_kt", tuple(complete),
                     tuple(sorted(int(y) for y in full[full < 12].index)))
    if key == "remittances":
        rem = tables["remittances"]
        rows = rem[rem["transfer_type"] == "total"]
        world = rows[rows["origin"] == "World"]
        years = sorted(int(y) for y in set(world["year"]))
        part = rows[(rows["origin"] == patron) & rows["year"].isin(years)]
        return Basis(part, world, "inflow_usd_m", tuple(years))
    raise KeyError(key)


def share(key: str, tables: dict[str, pd.DataFrame], focus: str, patron: str,
          window: Window | None) -> Measure:
    """The patron's share (%) of the indicator over ``window`` (None: no value)."""
    return _share(key, basis(key, tables, focus, patron), window)


def _share(key: str, b: Basis, window: Window | None) -> Measure:
    label = LABELS[key]
    if window is None:
        return Measure(f"patron_share.{key}", label, None, "%", "", 0)
    part = b.part[b.part["year"].between(window.start, window.end)]
    total = b.total[b.total["year"].between(window.start, window.end)]
    denominator = float(total[b.value].sum())
    inside = all(y in b.complete for y in window.years)
    value = 100 * float(part[b.value].sum()) / denominator if denominator > 0 and inside else None
    used = pd.concat([part, total]).drop_duplicates()
    return Measure.of_rows(f"patron_share.{key}", label, value, "%", window.label, used,
                           part=float(part[b.value].sum()), total=denominator)


def windows(key: str, tables: dict[str, pd.DataFrame], focus: str,
            patron: str) -> tuple[Window | None, Window | None]:
    """(earlier, latest) windows of the indicator under the one window convention."""
    return window_pair(basis(key, tables, focus, patron).complete)


def compare(key: str, tables: dict[str, pd.DataFrame], focus: str, patron: str):
    """The share in the latest complete window and in the one ten years earlier."""
    from .result import Change

    earlier, latest = windows(key, tables, focus, patron)
    return Change(share(key, tables, focus, patron, earlier),
                  share(key, tables, focus, patron, latest))


def series(key: str, tables: dict[str, pd.DataFrame], focus: str, patron: str) -> pd.DataFrame:
    """The share year by year: year, share_pct, confidence, window (arms: trailing five years).

    Partial years (gas: fewer than 12 ``months_reported``) are left out.
    """
    b = basis(key, tables, focus, patron)
    width = WINDOW if key == "arms" else 1
    out = []
    for end in b.complete:
        w = Window(end - width + 1, end)
        if not all(y in b.complete for y in w.years):
            continue
        m = _share(key, b, w)
        if m.known:
            out.append({"year": end, "share_pct": m.value, "confidence": m.confidence,
                        "window": w.label})
    return pd.DataFrame(out, columns=["year", "share_pct", "confidence", "window"])


def flow_series(tables: dict[str, pd.DataFrame], focus: str, patron: str) -> pd.DataFrame:
    """The patron's share of the focus country's exports and of its imports, year by year:
    year, flow, share_pct, part, total, confidence. The years are the trade indicator's complete
    years (both flows reported for the total and for the patron), as in :func:`share`."""
    from .result import weakest

    b = basis("trade", tables, focus, patron)
    cols = ["year", "flow", "share_pct", "part", "total", "confidence"]
    key = ["year", "flow"]
    part = b.part.groupby(key).agg(part=(b.value, "sum"), c1=("confidence", weakest))
    total = b.total.groupby(key).agg(total=(b.value, "sum"), c2=("confidence", weakest))
    both = part.join(total, how="inner")
    both = both[both["total"] > 0]
    if both.empty:
        return pd.DataFrame(columns=cols)
    both = both.assign(share_pct=100 * both["part"] / both["total"],
                       confidence=[weakest(pair) for pair in zip(both["c1"], both["c2"],
                                                                  strict=True)])
    return both.reset_index()[cols]
