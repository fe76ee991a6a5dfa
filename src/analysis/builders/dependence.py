"""Section 1 (a frustrated ally) and section 4 (the price of loyalty): the evidence rows behind
the dependence findings, the security presence, the signal window, deliveries by system, and the
charts these two sections share. The shares themselves are defined once, in
:mod:`analysis.measures.shares`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import phrasing as ph
from ..measures import suppliers
from ..measures.presence import EXERCISE
from ..measures.result import weakest
from ..measures.shares import INDICATORS, LABELS
from ..measures.windows import Window
from ..prose import date, listing, md, pct, year_runs

# ---------------------------------------------------------------------------- computations

def presence(deployments: pd.DataFrame, patron: str, partners, focus: str) -> pd.DataFrame:
    """Foreign security presence: the patron's deployments and the partners', with a side column.

    Keeps deployments by ``patron`` (wherever they are in the region the table covers) and by
    any of ``partners``; ``end_date`` missing means ongoing at the as-of date.
    """
    partners = list(partners)
    rows = deployments[deployments["deployer"].isin([patron, *partners])
                       & (deployments["deployer"] != focus)]
    side = np.where(rows["deployer"] == patron, "patron", "partners")
    rows = rows.assign(side=side, _order=np.where(side == "patron", 0, 1))
    return rows.sort_values(["_order", "start_date"]).drop(columns="_order").reset_index(
        drop=True)


def presence_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Per side: number of deployments, how many standing ones were ongoing, and the personnel
    published for them (sum of known headcounts; ``unknown`` counts those without one;
    ``personnel_now`` sums the known headcounts of the standing ones still in place,
    ``figures_now`` counts them). An exercise under way is not a standing deployment (the key
    findings and Table 7.1 count the same way): ``exercises_now`` counts those under way,
    ``exercise_personnel_now`` adds up their known headcounts."""
    cols = ["side", "deployments", "ongoing", "personnel", "unknown", "personnel_now",
            "figures_now", "exercises_now", "exercise_personnel_now"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = rows.groupby("side")
    running = rows["end_date"].isna()
    drill = rows["kind"] == EXERCISE
    now, drills = rows[running & ~drill].groupby("side"), rows[running & drill].groupby("side")
    out = pd.DataFrame({
        "deployments": grouped.size(),
        "ongoing": now.size(),
        "personnel": grouped["personnel_persons"].apply(lambda s: float(s.dropna().sum())),
        "unknown": grouped["personnel_persons"].apply(lambda s: int(s.isna().sum())),
        "personnel_now": now["personnel_persons"].sum(min_count=1),
        "figures_now": now["personnel_persons"].count(),
        "exercises_now": drills.size(),
        "exercise_personnel_now": drills["personnel_persons"].sum(min_count=1),
    })
    for col in ("ongoing", "figures_now", "exercises_now"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("personnel_now", "exercise_personnel_now"):
        out[col] = out[col].fillna(0.0).astype(float)
    return out.reset_index()[cols]


def signal_window(events: pd.DataFrame, section: int = 1, actor: str | None = None) -> pd.DataFrame:
    """The cluster of signals: events of ``section`` (involving ``actor``, if given) in the
    month of the latest one. Returns an empty frame when there are none yet.
    """
    rows = events[events["section"] == section].sort_values("date")
    if actor:
        rows = rows[rows["actors"].str.contains(actor, regex=False, na=False)]
    if rows.empty:
        return rows
    last = rows["date"].max()
    return rows[(rows["date"].dt.year == last.year) & (rows["date"].dt.month == last.month)]


def deliveries_by_system(deliveries: pd.DataFrame, recipient: str,
                         supplier: str) -> pd.DataFrame:
    """The supplier's deliveries to the recipient, one row per weapon (designation): first and
    last delivery year, order years (as runs: two orders of one weapon are two years), units
    (estimate flag), TIV, confidence."""
    rows = deliveries[(deliveries["recipient"] == recipient)
                      & (deliveries["supplier"] == supplier)]
    cols = ["designation", "description", "armament_category", "ordered", "first", "last",
            "years", "units", "estimate", "tiv_m", "confidence"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = rows.groupby(["designation", "description", "armament_category"], as_index=False,
                           sort=False).agg(
        ordered=("order_year", year_runs), first=("delivery_year", "min"),
        last=("delivery_year", "max"), years=("delivery_year", year_runs),
        units=("units_delivered", "sum"),
        estimate=("units_is_estimate", "any"), tiv_m=("tiv_delivered_m", "sum"),
        confidence=("confidence", weakest))
    # in order of delivery: a system delivered in one year before one delivered over two that
    # began the same year (by volume among them read as no order at all: an outside reader)
    return grouped.sort_values(["first", "last", "tiv_m"], ascending=[True, True, False])[
        cols].reset_index(drop=True)


# ---------------------------------------------------------------------------- context helpers

def rows_used(s, keys=INDICATORS) -> list[pd.DataFrame]:
    """The evidence rows behind the dependence findings, for source lines."""
    ev, p, shown = s.ev, s.p, s.findings.dependence
    out = []
    if "arms" in keys and "arms" in shown:
        out.append(ev.arms_imports[ev.arms_imports["recipient"] == p.focus])
    if "trade" in keys and "trade" in shown:
        out.append(ev.trade[ev.trade["partner"].isin([p.patron, "World"])])
    if "gas" in keys and "gas" in shown:
        out.append(ev.energy)
    if "remittances" in keys and "remittances" in shown:
        out.append(ev.remittances[ev.remittances["origin"].isin([p.patron, "World"])
                                  & (ev.remittances["transfer_type"] == "total")])
    return out


def missing_note(f, windows: bool = True) -> str | None:
    """Which indicators a findings object leaves out or (``windows``) shows without a
    comparison, and why."""
    from ..phrasing import no_earlier

    parts = []
    by_reason: dict[str, list[str]] = {}
    for key, why in f.missing.items():
        by_reason.setdefault(why, []).append(LABELS[key].lower())
    parts += [f"Not shown: {listing(keys)} ({why})." for why, keys in by_reason.items()]
    if windows:
        parts += [f"{LABELS[key]}: latest window only ({no_earlier(since)}; an earlier window "
                  "would share years with the latest one)." for key, since in
                  getattr(f, "gapless_from", {}).items()]
    return " ".join(parts) or None


def gaps_note(series: pd.DataFrame, partial: dict[str, tuple[int, ...]] | None = None
              ) -> str | None:
    """Which years each year-by-year series leaves out as not complete in the source: the years
    ``partial`` names (:attr:`analysis.measures.shares.Basis.partial`, at either end of a series
    too) and any gap inside its span; the chart breaks its line at a gap inside."""
    parts, inside = [], False
    for key in dict.fromkeys(series["indicator"]):
        years = set(series.loc[series["indicator"] == key, "year"].astype(int))
        gaps = {y for y in range(min(years), max(years) + 1) if y not in years}
        inside = inside or bool(gaps)
        left = sorted(gaps | set((partial or {}).get(key, ())))
        if left:
            parts.append(f"{LABELS[key].lower()} {listing([str(y) for y in left])}")
    if not parts:
        return None
    return (f"Left out as not complete in the source: {'; '.join(parts)}"
            + (" (the line breaks where such a year falls inside a series)." if inside else "."))


def dumbbell_rows(f) -> pd.DataFrame:
    """The rows of the dependence dumbbell chart, from a findings object."""
    return pd.DataFrame([
        {"label": c.latest.label, "earlier": c.earlier.value if c.earlier.known else np.nan,
         "earlier_label": c.earlier.window, "latest": c.latest.value,
         "latest_label": c.latest.window, "confidence": c.latest.confidence}
        for c in f.dependence.values()],
        columns=["label", "earlier", "earlier_label", "latest", "latest_label", "confidence"])


# ---------------------------------------------------------------------------- prose pieces

def arms_period_sentence(s) -> str | None:
    """SIPRI's published five-year share for the patron, with our own register sum beside it.

    Only periods that end by the last year the cut arms table covers are used.
    """
    shares, arms = s.ev.arms_import_shares, s.ev.arms_imports
    if shares.empty or arms.empty:
        return None
    last_covered = int(arms["year"].max())
    ends = shares["period"].str.extract(r"(\d{4})\D+(\d{4})").astype(float)
    ok = (ends[1] <= last_covered) & (ends[0] >= s.p.start_year)
    rows = shares[ok & (shares["recipient"] == s.p.focus) & (shares["supplier"] == s.p.patron)]
    if rows.empty:
        return None
    row = rows.assign(end=ends.loc[rows.index, 1]).sort_values("end").iloc[-1]
    start, end = (int(v) for v in ends.loc[row.name])
    ours = suppliers.supplier_shares(arms, s.p.focus, Window(start, end)).of(s.p.patron)
    text = (f"In {start}–{end} {md(s.p.patron)} supplied {pct(row['share_pct'])}"
            f"{'' if row['confidence'] == 'low' else ph.mark(row['confidence'])} of "
            f"{md(s.p.focus)}'s major arms imports by SIPRI's published count"
            f"{' (unconfirmed)' if row['confidence'] == 'low' else ''}")
    if ours.known and pct(ours.value) != pct(row["share_pct"]):
        # only a difference is worth a reader's time: the register rows this evidence base
        # holds may be incomplete
        text += (f"; the register rows in this evidence base add up to {pct(ours.value)}, "
                 "as some deliveries are missing from them")
    return text + "."


def listing_titles(events: pd.DataFrame) -> str:
    return listing([f"{t} ({date(d)})" for t, d in zip(events["title"], events["date"],
                                                      strict=True)])
