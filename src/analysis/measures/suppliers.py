"""Who supplies the focus country's major arms: supplier shares, the leading supplier and the
concentration of supply (Herfindahl–Hirschman index) over a window of years (SIPRI TIV)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .result import Measure
from .windows import WINDOW, Window, window_pair

HHI_ONE_SUPPLIER = 10_000.0


def hhi(shares_pct) -> float:
    """Herfindahl–Hirschman index of shares given in %: 10,000 = one supplier only."""
    values = pd.Series(list(shares_pct), dtype="float64")
    return float((values**2).sum())


def complete_years(arms: pd.DataFrame) -> range:
    """Every year the register table covers (a year without deliveries counts as zero)."""
    if arms.empty:
        return range(0)
    return range(int(arms["year"].min()), int(arms["year"].max()) + 1)


def windows(arms: pd.DataFrame) -> tuple[Window | None, Window | None]:
    return window_pair(complete_years(arms))


#: a five-year period whose recorded deliveries are below this fraction of the period before it
#: is called thin: SIPRI's register may not yet record all of its deliveries
THIN = 0.25


#: the length, in calendar years, of the periods of the supplier chart
PERIOD = 5


def supplier_periods(arms: pd.DataFrame, recipient: str) -> pd.DataFrame:
    """The recipient's register rows with the five-year period the chart groups them by
    ('2015–19'; the last one ends with the data's last year)."""
    rows = arms[arms["recipient"] == recipient]
    if rows.empty:
        return rows.assign(period=pd.Series(dtype=str))
    last = int(rows["year"].max())
    start = (rows["year"] // PERIOD * PERIOD).astype(int)
    return rows.assign(period=start.map(
        lambda y: f"{y}–{str(min(y + PERIOD - 1, last))[2:]}" if min(y + PERIOD - 1, last) > y
        else f"{y}"))


def period_start(period: str) -> int:
    """The first year of a period :func:`supplier_periods` names: '2020–23' -> 2020."""
    return int(str(period)[:4])


def period_end(period: str) -> int:
    """The last year of a period :func:`supplier_periods` names: '2020–23' -> 2023, a one-year
    period '2010' -> 2010."""
    first, _, tail = str(period).partition("–")
    return int(first[:4]) if not tail else int(first[:4]) // 100 * 100 + int(tail)


def last_period(rows: pd.DataFrame) -> tuple[int, int]:
    """First and last year of the last period :func:`supplier_periods` makes of ``rows`` (it
    ends with the data's last year, so it may be shorter than the others)."""
    last = int(rows["year"].max())
    return last // PERIOD * PERIOD, last


def thin_last_period(rows: pd.DataFrame) -> dict | None:
    """The last period when its recorded volume is small beside the one before it."""
    totals = rows.groupby("period", sort=True)["tiv_m"].agg(["sum"])
    if len(totals) < 2:
        return None
    last, before = totals.iloc[-1], totals.iloc[-2]
    if before["sum"] <= 0 or last["sum"] >= THIN * before["sum"]:
        return None
    return {"period": totals.index[-1], "tiv": float(last["sum"]), "before": totals.index[-2],
            "before_tiv": float(before["sum"])}


def period_shares(rows: pd.DataFrame) -> pd.DataFrame:
    """Each supplier's share (%) of the recipient's deliveries in each period of
    :func:`supplier_periods` (periods as rows, in order; suppliers as columns), and each
    period's total TIV in the column ``total``: what the stacked chart shows, as numbers."""
    volume = rows.groupby(["period", "supplier"])["tiv_m"].sum().unstack(fill_value=0.0)
    volume = volume.sort_index()
    total = volume.sum(axis=1)
    shares = volume.div(total.where(total > 0), axis=0) * 100
    return shares.assign(total=total)


@dataclass(frozen=True)
class SupplierShares:
    """Every supplier's share of one recipient's imports over one window, largest first."""

    recipient: str
    window: Window
    shares: tuple[Measure, ...]  # label = supplier; part = TIV (millions)
    concentration: Measure  # HHI

    def of(self, supplier: str) -> Measure:
        for m in self.shares:
            if m.label == supplier:
                return m
        return Measure(f"supplier_share.{supplier}", supplier, 0.0 if self.shares else None,
                       "%", self.window.label, 0, part=0.0, total=self.total)

    @property
    def total(self) -> float:
        return sum(m.part or 0.0 for m in self.shares)

    @property
    def leader(self) -> Measure | None:
        return self.shares[0] if self.shares else None

    def rank(self, supplier: str) -> int | None:
        """1 for the largest supplier; None when it delivered nothing in the window."""
        for i, m in enumerate(self.shares, 1):
            if m.label == supplier:
                return i
        return None

    def ahead_of(self, supplier: str) -> list[Measure]:
        """The suppliers with a larger share than ``supplier``."""
        mine = self.of(supplier).value or 0.0
        return [m for m in self.shares if m.label != supplier and (m.value or 0) > mine]


def supplier_shares(arms: pd.DataFrame, recipient: str, window: Window) -> SupplierShares:
    rows = arms[(arms["recipient"] == recipient) & arms["year"].between(window.start, window.end)]
    totals = rows.groupby("supplier")["tiv_m"].sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable")
    grand = float(totals.sum())
    shares = tuple(
        Measure.of_rows(f"supplier_share.{supplier}", supplier, 100 * tiv / grand, "%",
                        window.label, rows[rows["supplier"] == supplier], part=float(tiv),
                        total=grand)
        for supplier, tiv in totals.items())
    conc = Measure.of_rows("arms_hhi", "Supplier concentration (HHI)",
                           hhi(m.value for m in shares) if shares else None, "HHI",
                           window.label, rows)
    return SupplierShares(recipient, window, shares, conc)


def rolling_concentration(arms: pd.DataFrame, recipient: str,
                          width: int = WINDOW) -> pd.DataFrame:
    """HHI over trailing ``width``-year windows ending in each covered year: year, hhi,
    suppliers, tiv_m, confidence. A window without deliveries has no value."""
    out = []
    for end in complete_years(arms):
        if end - width + 1 < complete_years(arms).start:
            continue
        s = supplier_shares(arms, recipient, Window(end - width + 1, end))
        if s.shares:
            out.append({"year": end, "hhi": s.concentration.value, "suppliers": len(s.shares),
                        "tiv_m": s.total, "confidence": s.concentration.confidence})
    return pd.DataFrame(out, columns=["year", "hhi", "suppliers", "tiv_m", "confidence"])
