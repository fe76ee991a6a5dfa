"""How much the focus country depends on its patron: shared computations and charts for
section 1 (a frustrated ally) and section 4 (the price of loyalty).

Four indicators, each the patron's share (%) of a total seen from the focus country:

- arms: the patron's share of the focus country's major arms imports (SIPRI TIV), over a
  trailing five-year window ending in each year (single years are too lumpy: one aircraft
  delivery can make a year 100% or 0%);
- trade: the patron's share of goods trade turnover (exports + imports; partner "World" = total);
- gas: the patron's share of natural-gas imports by net weight;
- remittances: the patron's share of money transfers received through banks (type "total").

The pure functions below take DataFrames and return DataFrames; the builders in ``ally`` and
``loyalty`` turn them into figures, tables and prose.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from .. import charts, indicators, theme
from ..prose import date, listing, md, num, pct
from ..schema import load_descriptor

INDICATORS = ("arms", "trade", "gas", "remittances")
LABELS = {"arms": "Arms imports", "trade": "Trade", "gas": "Gas imports",
          "remittances": "Money transfers"}
MEASURES = {"arms": "SIPRI TIV of deliveries, trailing five-year window",
            "trade": "goods exports + imports, US$",
            "gas": "natural gas, net weight",
            "remittances": "transfers through banks, US$"}
#: one colour and marker per indicator (Okabe-Ito), so lines are told apart in grey print too
STYLE = {"arms": ("#D55E00", "o", "-"), "trade": ("#0072B2", "s", "-"),
         "gas": ("#009E73", "^", "--"), "remittances": ("#CC79A7", "D", ":")}
#: the tables behind the three bilateral indicators have no reporter column: the descriptor's
#: description names the country they are seen from
BILATERAL_TABLES = {"trade": "trade", "gas": "energy", "remittances": "remittances"}
WINDOW = 5
_RANK = {"low": 0, "medium": 1, "high": 2}
CATEGORY_COLOURS = dict(zip(charts.CATEGORY_ORDER,
                            ["#D55E00", "#009E73", "#0072B2", "#56B4E9", "#CC79A7", "#332288",
                             "#E69F00", "#999933"], strict=True))


# ---------------------------------------------------------------------------- computations

def _worst(confidences) -> str:
    values = [c for c in confidences if isinstance(c, str) and c in _RANK]
    return min(values, key=_RANK.get) if values else "medium"


def _share_frame(part: pd.Series, total: pd.Series, conf: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"part_value": part.reindex(total.index, fill_value=0.0).astype(float),
                        "total_value": total.astype(float)})
    out = out[out["total_value"] > 0]
    out["share_pct"] = 100 * out["part_value"] / out["total_value"]
    out["confidence"] = conf.reindex(out.index).fillna("medium")
    out.index.name = "year"
    return out.reset_index()


def arms_share(arms: pd.DataFrame, focus: str, patron: str, window: int = WINDOW,
               first_year: int | None = None, last_year: int | None = None) -> pd.DataFrame:
    """Patron's share (%) of the focus country's arms imports (TIV), trailing ``window`` years.

    Windows run from ``first_year`` (default: the first year the table covers) to
    ``last_year`` (default: the last year it covers); a year without deliveries counts as zero,
    a window without any deliveries gets no value. Returns year, period, part_value,
    total_value, share_pct, confidence.
    """
    cols = ["year", "period", "part_value", "total_value", "share_pct", "confidence"]
    if arms.empty:
        return pd.DataFrame(columns=cols)
    first = int(arms["year"].min()) if first_year is None else first_year
    last = int(arms["year"].max()) if last_year is None else last_year
    rows = arms[arms["recipient"] == focus]
    out = []
    for end in range(first + window - 1, last + 1):
        span = rows[rows["year"].between(end - window + 1, end)]
        total = float(span["tiv_m"].sum())
        if total <= 0:
            continue
        part = float(span.loc[span["supplier"] == patron, "tiv_m"].sum())
        out.append({"year": end, "period": f"{end - window + 1}–{end}", "part_value": part,
                    "total_value": total, "share_pct": 100 * part / total,
                    "confidence": _worst(span["confidence"])})
    return pd.DataFrame(out, columns=cols)


def trade_share(trade: pd.DataFrame, patron: str) -> pd.DataFrame:
    """Patron's share (%) of goods turnover (exports + imports) per year; "World" = total.

    Years where either flow of the total is missing are left out (turnover would be partial).
    """
    world = trade[trade["partner"] == "World"]
    flows = world.groupby("year")["flow"].nunique()
    complete = flows[flows == 2].index
    world = world[world["year"].isin(complete)]
    part_rows = trade[(trade["partner"] == patron) & trade["year"].isin(complete)]
    conf = pd.concat([world, part_rows]).groupby("year")["confidence"].agg(_worst)
    return _share_frame(part_rows.groupby("year")["value_usd_m"].sum(),
                        world.groupby("year")["value_usd_m"].sum(), conf)


def gas_share(energy: pd.DataFrame, patron: str, commodity: str = "natural_gas") -> pd.DataFrame:
    """Patron's share (%) of gas imports by net weight per year.

    The total is the "World" row where the table has one, else the sum over all partners.
    Adds ``months_reported`` (the fewest months any partner's row covers that year).
    """
    rows = energy[(energy["commodity"] == commodity) & energy["netweight_kt"].notna()]
    has_world = rows["partner"] == "World"
    world_years = set(rows.loc[has_world, "year"])
    total_rows = pd.concat([rows[has_world],
                            rows[~has_world & ~rows["year"].isin(world_years)]])
    conf = rows.groupby("year")["confidence"].agg(_worst)
    out = _share_frame(rows[rows["partner"] == patron].groupby("year")["netweight_kt"].sum(),
                       total_rows.groupby("year")["netweight_kt"].sum(), conf)
    months = rows.groupby("year")["months_reported"].min()
    out["months_reported"] = out["year"].map(months)
    return out


def remittance_share(remittances: pd.DataFrame, patron: str,
                     transfer_type: str = "total") -> pd.DataFrame:
    """Patron's share (%) of money transfers received through banks per year (origin World)."""
    rows = remittances[remittances["transfer_type"] == transfer_type]
    world = rows[rows["origin"] == "World"]
    part = rows[(rows["origin"] == patron) & rows["year"].isin(set(world["year"]))]
    conf = pd.concat([world, part]).groupby("year")["confidence"].agg(_worst)
    return _share_frame(part.groupby("year")["inflow_usd_m"].sum(),
                        world.groupby("year")["inflow_usd_m"].sum(), conf)


def dependence_series(tables: dict[str, pd.DataFrame], focus: str, patron: str,
                      bilateral: bool = True) -> pd.DataFrame:
    """All four indicators in long form: indicator, label, year, share_pct, part_value,
    total_value, confidence. ``bilateral=False`` leaves out the tables not seen from ``focus``.
    """
    parts = {"arms": arms_share(tables["arms_imports"], focus, patron)}
    if bilateral:
        parts["trade"] = trade_share(tables["trade"], patron)
        parts["gas"] = gas_share(tables["energy"], patron)
        parts["remittances"] = remittance_share(tables["remittances"], patron)
    frames = [frame.assign(indicator=key, label=LABELS[key])
              for key, frame in parts.items() if not frame.empty]
    cols = ["indicator", "label", "year", "share_pct", "part_value", "total_value", "confidence"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    return out[cols + [c for c in out.columns if c not in cols]]


def direction(delta: float, tolerance: float = 0.5) -> str:
    """'up', 'down' or 'about the same' for a change in percentage points."""
    if pd.isna(delta):
        return "n/a"
    if delta >= tolerance:
        return "up"
    if delta <= -tolerance:
        return "down"
    return "about the same"


def baseline_year(series: pd.DataFrame) -> int | None:
    """The first year for which every indicator in ``series`` has a value, else None."""
    if series.empty:
        return None
    years = [set(rows["year"]) for _, rows in series.groupby("indicator")]
    common = set.intersection(*years)
    return int(min(common)) if common else None


def compare(series: pd.DataFrame, baseline: int | None = None) -> pd.DataFrame:
    """Per indicator: the share in ``baseline`` (default: first year all indicators exist;
    an indicator lacking that year falls back to its own first year) and in its latest year.

    Returns indicator, label, earlier_year, earlier, latest_year, latest, change_pts,
    direction, confidence (the weaker of the two values).
    """
    cols = ["indicator", "label", "earlier_year", "earlier", "latest_year", "latest",
            "change_pts", "direction", "confidence"]
    if series.empty:
        return pd.DataFrame(columns=cols)
    base = baseline if baseline is not None else baseline_year(series)
    out = []
    order = [k for k in INDICATORS if k in set(series["indicator"])]
    for key in order:
        rows = series[series["indicator"] == key].sort_values("year")
        late = rows.iloc[-1]
        early_rows = rows[rows["year"] == base] if base is not None else rows.iloc[:0]
        early = early_rows.iloc[0] if not early_rows.empty else rows.iloc[0]
        same = int(early["year"]) == int(late["year"])
        earlier = np.nan if same else float(early["share_pct"])
        change = float(late["share_pct"]) - earlier
        out.append({"indicator": key, "label": LABELS[key],
                    "earlier_year": pd.NA if same else int(early["year"]), "earlier": earlier,
                    "latest_year": int(late["year"]), "latest": float(late["share_pct"]),
                    "change_pts": change, "direction": direction(change),
                    "confidence": _worst([early["confidence"], late["confidence"]])})
    return pd.DataFrame(out, columns=cols)


def year_label(key: str, year) -> str:
    """'2013', or '2009–2013' for the five-year arms window ending in 2013."""
    if pd.isna(year):
        return ""
    year = int(year)
    return f"{year - WINDOW + 1}–{year}" if key == "arms" else str(year)


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
    """Per side: number of deployments, how many were ongoing, and the personnel published for
    them (sum of known headcounts; ``unknown`` counts those without one; ``personnel_now`` sums
    the known headcounts of those still in place)."""
    cols = ["side", "deployments", "ongoing", "personnel", "unknown", "personnel_now"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = rows.groupby("side")
    out = pd.DataFrame({
        "deployments": grouped.size(),
        "ongoing": grouped["end_date"].apply(lambda s: int(s.isna().sum())),
        "personnel": grouped["personnel_persons"].apply(lambda s: float(s.dropna().sum())),
        "unknown": grouped["personnel_persons"].apply(lambda s: int(s.isna().sum())),
        "personnel_now": rows[rows["end_date"].isna()].groupby("side")["personnel_persons"]
        .sum(min_count=1),
    })
    out["personnel_now"] = out["personnel_now"].fillna(0.0).astype(float)
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
    last delivery year, first order year, units (estimate flag), TIV, confidence."""
    rows = deliveries[(deliveries["recipient"] == recipient)
                      & (deliveries["supplier"] == supplier)]
    cols = ["designation", "description", "armament_category", "order_year", "first", "last",
            "units", "estimate", "tiv_m", "confidence"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    grouped = rows.groupby(["designation", "description", "armament_category"], as_index=False,
                           sort=False).agg(
        order_year=("order_year", "min"), first=("delivery_year", "min"),
        last=("delivery_year", "max"), units=("units_delivered", "sum"),
        estimate=("units_is_estimate", "any"), tiv_m=("tiv_delivered_m", "sum"),
        confidence=("confidence", _worst))
    return grouped.sort_values(["first", "tiv_m"], ascending=[True, False])[cols].reset_index(
        drop=True)


# ---------------------------------------------------------------------------- context helpers

def seen_from(s, table: str) -> bool:
    """True when the descriptor says ``table`` is seen from the focus country."""
    try:
        description = load_descriptor(s.p.data_dir)[table].description
    except KeyError:
        return False
    return s.p.focus in description


def bilateral_ok(s) -> bool:
    return all(seen_from(s, t) for t in BILATERAL_TABLES.values())


def series_for(s) -> pd.DataFrame:
    return dependence_series(s.ev.tables, s.p.focus, s.p.patron, bilateral=bilateral_ok(s))


def rows_used(s, keys=INDICATORS) -> list[pd.DataFrame]:
    """The evidence rows behind the indicators, for source lines."""
    ev, p = s.ev, s.p
    out = [ev.arms_imports[ev.arms_imports["recipient"] == p.focus]] if "arms" in keys else []
    if bilateral_ok(s):
        if "trade" in keys:
            out.append(ev.trade[ev.trade["partner"].isin([p.patron, "World"])])
        if "gas" in keys:
            out.append(ev.energy)
        if "remittances" in keys:
            out.append(ev.remittances[ev.remittances["origin"].isin([p.patron, "World"])
                                      & (ev.remittances["transfer_type"] == "total")])
    return out


def missing_note(s, series: pd.DataFrame) -> str | None:
    """Which indicators are missing for these parameters, and why, as a figure note."""
    missing = [LABELS[k] for k in INDICATORS if k not in set(series.get("indicator", []))]
    if not missing:
        return None
    why = (f"the trade, transfer and gas tables are not seen from {s.p.focus}"
           if not bilateral_ok(s) else "the evidence base has no figures in this window")
    return f"Not shown: {', '.join(missing)} ({why})."


def partial_gas_note(s) -> str | None:
    """A note when the latest gas year covers fewer than twelve months."""
    if not bilateral_ok(s):
        return None
    gas = gas_share(s.ev.energy, s.p.patron)
    if gas.empty:
        return None
    last = gas.iloc[-1]
    months = last.get("months_reported")
    if pd.notna(months) and months < 12:
        return (f"Gas figures for {int(last['year'])} cover {int(months)} months only; the share "
                "is of those months.")
    return None


# ---------------------------------------------------------------------------- charts

def dumbbell_chart(comparison: pd.DataFrame, patron: str, size=theme.FIGSIZE):
    """Earlier (grey) and latest (patron colour) share per indicator, an arrow for the change."""
    if comparison.empty:
        return charts.empty("No dependence indicator has data in this window.", size)
    fig, ax = theme.new_figure(size)
    colour = theme.colour(patron)
    rows = comparison.reset_index(drop=True)
    ys = np.arange(len(rows))[::-1]
    for y, row in zip(ys, rows.itertuples(), strict=True):
        hollow = row.confidence == "low"
        if pd.notna(row.earlier):
            ax.annotate("", xy=(row.latest, y), xytext=(row.earlier, y),
                        arrowprops={"arrowstyle": "-|>", "color": "#BBBBBB", "lw": 1.6,
                                    "shrinkA": 4, "shrinkB": 5})
            ax.scatter([row.earlier], [y], color="#999999", s=40, zorder=2)
            left = row.earlier <= row.latest
            ax.annotate(f"{row.earlier:.0f}%", (row.earlier, y), xytext=(-7 if left else 7, 0),
                        textcoords="offset points", ha="right" if left else "left",
                        va="center", fontsize=7, color=theme.MUTED)
            right = not left
        else:
            right = False
        ax.scatter([row.latest], [y], s=44, zorder=3, color="white" if hollow else colour,
                   edgecolor=colour, linewidth=1.4)
        ax.annotate(f"{row.latest:.0f}%", (row.latest, y), xytext=(-7 if right else 7, 0),
                    textcoords="offset points", ha="right" if right else "left", va="center",
                    fontsize=7.5, color=colour, fontweight="bold")
    labels = [f"{r.label}\n{year_label(r.indicator, r.earlier_year) or '–'} → "
              f"{year_label(r.indicator, r.latest_year)}" for r in rows.itertuples()]
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"{patron}'s share, %")
    ax.grid(axis="y", visible=False)
    ax.scatter([], [], color="#999999", label="earlier")
    ax.scatter([], [], color=colour, label="latest")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.12), ncols=2)
    return fig


def shares_chart(series: pd.DataFrame, patron: str, marks: dict | None = None,
                 size=theme.FIGSIZE):
    """One line per indicator over the years; low-confidence points hollow; ``marks`` are
    {year: label} rules."""
    if series.empty:
        return charts.empty("No dependence indicator has data in this window.", size)
    fig, ax = theme.new_figure(size)
    for key in [k for k in INDICATORS if k in set(series["indicator"])]:
        rows = series[series["indicator"] == key].sort_values("year")
        colour, marker, style = STYLE[key]
        label = LABELS[key] + (f" ({WINDOW}-year)" if key == "arms" else "")
        ax.plot(rows["year"], rows["share_pct"], color=colour, ls=style, marker=marker,
                markersize=3.2, label=label)
        low = rows[rows["confidence"] == "low"]
        ax.scatter(low["year"], low["share_pct"], s=26, facecolor="white", edgecolor=colour,
                   zorder=3)
    for i, (at, text) in enumerate(sorted((marks or {}).items())):
        ax.axvline(at, color=theme.MUTED, lw=0.9, ls="--", zorder=1)
        first = i == 0 and len(marks) > 1
        ax.text(at, 1.01, f"{text} " if first else f" {text}", fontsize=6.8,
                transform=ax.get_xaxis_transform(), color=theme.MUTED, va="bottom",
                ha="right" if first else "left")
    ax.set_ylim(0, 103)
    ax.set_ylabel(f"{patron}'s share, %")
    ax.xaxis.set_major_locator(mdates_int_locator(series["year"]))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=4)
    return fig


def mdates_int_locator(years):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, nbins=min(10, max(2, int(years.nunique()))))


def _label_levels(xs: list[float], widths: list[float], max_levels: int = 3) -> list[int]:
    """Greedy stagger: alternate above (+) and below (-) the axis, moving out a level when a
    label would overlap an earlier one on the same level."""
    occupied: dict[int, float] = {}
    levels = []
    order = [lv for k in range(1, max_levels + 1) for lv in (k, -k)]
    prefer_up = True
    for x, w in zip(xs, widths, strict=True):
        ranked = sorted(order, key=lambda lv: (abs(lv), (lv < 0) == prefer_up))
        free = [lv for lv in ranked if occupied.get(lv, -np.inf) < x - w / 2]
        chosen = free[0] if free else min(order, key=lambda lv: occupied.get(lv, -np.inf))
        occupied[chosen] = x + w / 2
        levels.append(chosen)
        prefer_up = chosen < 0  # the next label prefers the other side
    return levels


_FONT = 6.4
_LINE_PT = _FONT * 1.25


def labelled_timeline(events: pd.DataFrame, label_ids=None, width: float = theme.FIGSIZE[0],
                      wrap: int = 26, start=None, end=None, max_levels: int = 3):
    """A single-axis timeline: every event a dot in its category colour (bars for events with
    an end date, hollow for low confidence); labelled events are staggered above and below the
    axis so that labels do not overlap. The figure is as tall as its labels need."""
    if events.empty:
        return charts.empty("No events in the evidence base fall in this window.")
    events = events.sort_values("date")
    label_ids = set(events["event_id"] if label_ids is None else label_ids)
    labelled = events[events["event_id"].isin(label_ids)]
    lo = pd.Timestamp(start) if start is not None else events["date"].min()
    hi = pd.Timestamp(end) if end is not None else max(
        [events["date"].max(), *events["end_date"].dropna()])
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=3))
    lo, hi = lo - pad, hi + pad
    span = mdates.date2num(hi) - mdates.date2num(lo)
    axis_w = width * 0.94
    texts, xs, widths = [], [], []
    for ev in labelled.itertuples():
        precision = getattr(ev, "date_precision", "day")
        stamp = ev.date.strftime({"year": "%Y", "month": "%b %Y"}.get(precision, "%d %b %Y"))
        title = ev.title + (" (unconfirmed)" if ev.confidence == "low" else "")
        body = textwrap.fill(textwrap.shorten(title, wrap * 3, placeholder="…"), wrap)
        text = f"{stamp.lstrip('0')}\n{body}"
        texts.append(text)
        xs.append(mdates.date2num(ev.date))
        chars = max(len(line) for line in text.splitlines())
        widths.append((chars * _FONT * 0.6 / 72 + 0.08) / axis_w * span)
    levels = _label_levels(xs, widths, max_levels)
    step = max([(t.count("\n") + 1) * _LINE_PT + 6 for t in texts], default=0)
    heights = [(t.count("\n") + 1) * _LINE_PT + 4 for t in texts]
    reach = [8 + (abs(lv) - 1) * step + h for lv, h in zip(levels, heights, strict=True)]
    top = max([r for r, lv in zip(reach, levels, strict=True) if lv > 0], default=10)
    bottom = max([r for r, lv in zip(reach, levels, strict=True) if lv < 0], default=10)
    fig, ax = theme.new_figure((width, max(1.8, (top + bottom) / 72 + 0.75)))
    ax.axhline(0, color="#BBBBBB", lw=1.2, zorder=0)
    for ev in events.itertuples():
        colour = CATEGORY_COLOURS.get(ev.category, theme.OTHER)
        if pd.notna(ev.end_date) and ev.end_date > ev.date:
            ax.plot([ev.date, ev.end_date], [0, 0], color=colour, lw=6, alpha=0.5,
                    solid_capstyle="butt", zorder=1)
        ax.scatter([ev.date], [0], s=30, zorder=3, linewidth=1.2, edgecolor=colour,
                   color="white" if ev.confidence == "low" else colour)
    for i, (text, x, level) in enumerate(zip(texts, xs, levels, strict=True)):
        off = np.sign(level) * (8 + (abs(level) - 1) * step)
        ax.annotate("", (x, 0), xytext=(0, off), textcoords="offset points", zorder=1,
                    arrowprops={"arrowstyle": "-", "color": "#AAAAAA", "lw": 0.6,
                                "shrinkA": 0, "shrinkB": 3})
        frac = (x - mdates.date2num(lo)) / span
        half = widths[i] / span / 2
        ha = "left" if frac - half < 0 else "right" if frac + half > 1 else "center"
        shift = {"left": -6, "right": 6, "center": 0}[ha]
        ax.annotate(text, (x, 0), xytext=(shift, off), textcoords="offset points", ha=ha,
                    va="bottom" if level > 0 else "top", fontsize=_FONT, color=theme.INK,
                    linespacing=1.15, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.9})
    ax.set_xlim(lo, hi)
    ax.set_yticks([])
    ax.grid(axis="y", visible=False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    days = (hi - lo).days
    if days > 15 * 365:
        ax.xaxis.set_major_locator(mdates.YearLocator(5))
    elif days > 3 * 365:
        ax.xaxis.set_major_locator(mdates.YearLocator(1))
    elif days > 60:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    else:
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, days // 8)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter(
        "%Y" if days > 3 * 365 else "%b %Y" if days > 60 else "%d %b"))
    present = [c for c in charts.CATEGORY_ORDER if c in set(events["category"])]
    for cat in present:
        ax.scatter([], [], color=CATEGORY_COLOURS[cat], s=24, label=cat.capitalize())
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(6, len(present)),
              fontsize=7)
    if (events["confidence"] == "low").any():
        ax.text(1.0, 1.0, "Hollow: not confirmed in a source", transform=ax.transAxes,
                ha="right", va="top", fontsize=6.5, color=theme.MUTED)
    # make one y unit one point, so that label offsets (in points) match the limits
    fig.canvas.draw()
    height_pt = ax.get_window_extent().height * 72 / fig.dpi
    extra = max(0.0, height_pt - top - bottom) / 2
    ax.set_ylim(-bottom - extra, top + extra)
    return fig


# ---------------------------------------------------------------------------- prose pieces

def share_phrase(row, patron: str) -> str:
    """'41% in 2024 (up 18 points from 23% in 2013)' for one row of :func:`compare`."""
    key = row["indicator"] if "indicator" in row.index else row.name
    latest = f"{pct(row['latest'])} in {year_label(key, row['latest_year'])}"
    if pd.isna(row["earlier"]):
        return latest
    delta = row["change_pts"]
    points = "point" if round(abs(delta)) == 1 else "points"
    move = ("about the same as" if row["direction"] == "about the same"
            else f"{row['direction']} {num(abs(delta))} {points} from")
    return (f"{latest} ({move} {pct(row['earlier'])} in "
            f"{year_label(key, row['earlier_year'])})")


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
    ours = indicators.period_shares(arms, s.p.focus, start, end)
    mine = ours.loc[ours["supplier"] == s.p.patron, "share_pct"]
    text = (f"In {start}–{end} {md(s.p.patron)} supplied {pct(row['share_pct'])} of "
            f"{md(s.p.focus)}'s major arms imports by SIPRI's published count"
            f"{' (unconfirmed)' if row['confidence'] == 'low' else ''}")
    if not mine.empty:
        text += (f"; summing SIPRI's register rows in this evidence base gives "
                 f"{pct(float(mine.iloc[0]))}")
    return text + "."


def listing_titles(events: pd.DataFrame) -> str:
    return listing([f"{t} ({date(d)})" for t, d in zip(events["title"], events["date"],
                                                      strict=True)])
