"""Chart primitives shared by the sections. Each returns a matplotlib Figure drawn with the
project theme; the section context turns it into a numbered figure with caption and sources.
Low-confidence points are drawn hollow and flagged in the legend, never hidden."""

from __future__ import annotations

import itertools
import math
import textwrap
from collections import Counter
from typing import NamedTuple

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import Locator, MaxNLocator

from . import theme
from .charttext import plain, plain_all
from .evidence_refs import period_end
from .prose import formatted, num, pct

CATEGORY_ORDER = ["conflict", "ceasefire", "security", "diplomacy", "politics", "legal",
                  "economy", "humanitarian"]


class _Until(Locator):
    """A date axis's own ticks, without those at or after a limit."""

    def __init__(self, inner: Locator, limit: float):
        self.inner, self.limit = inner, limit

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self):
        return [t for t in self.inner() if t < self.limit]

    def tick_values(self, vmin, vmax):
        return [t for t in self.inner.tick_values(vmin, vmax) if t < self.limit]

    def __getattr__(self, name):  # the date formatter asks its locator for the ticks' unit
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


def dates_until(fig, as_of) -> None:
    """No date axis of ``fig`` labels a time after ``as_of``: an edition dated September 2023
    shows no '2024' under the white space that pads its last point."""
    limit = mdates.date2num(pd.Timestamp(as_of) + pd.Timedelta(days=1))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            locator = axis.get_major_locator()
            if isinstance(locator, mdates.DateLocator):
                axis.set_major_locator(_Until(locator, limit))


def empty(message: str, size=theme.FIGSIZE):
    """A figure that says plainly why there is nothing to draw."""
    fig, ax = theme.new_figure(size)
    ax.axis("off")
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 60)), ha="center", va="center",
            color=theme.MUTED, fontsize=10, transform=ax.transAxes)
    return fig


#: the note a timeline carries when it draws a date known only to its month or year
COARSE_NOTE = "|\u2013| a date known only to its month or year, not a duration"


#: what a hollow point means, for a figure's note (and, in a chart, its key)
HOLLOW_NOTE = "Hollow points: not confirmed in a source"


def hollow_note(rows: pd.DataFrame) -> str:
    """" Hollow points: ..." for a figure's note when ``rows`` hold an unconfirmed value, else
    "" (a key for marks the chart does not draw only puzzles the reader)."""
    low = "confidence" in rows and (rows["confidence"] == "low").any()
    return f" {HOLLOW_NOTE}." if low else ""


def coarse(precision) -> bool:
    """A date known only to its month or year (``date_precision``)."""
    return precision in ("month", "year")


def _period_end(date: pd.Timestamp, precision, until=None) -> pd.Timestamp:
    """The last day of a coarse date's month or year, not after ``until`` (the chart's end)."""
    end = period_end(date, precision)
    return max(date, min(end, pd.Timestamp(until))) if until is not None else end


def event_x(date, precision, until=None) -> pd.Timestamp:
    """Where a label points for an event: its day, or the middle of its month or year (of
    the part of it up to ``until``)."""
    date = pd.Timestamp(date)
    if coarse(precision):
        return date + (_period_end(date, precision, until) - date) / 2
    return date


def event_mark(ax, date, precision, y, colour, low: bool = False, size: float = 28,
               until=None, zorder: float = 3) -> None:
    """One event on a timeline: a dot on its day (hollow when unconfirmed), or, for a date
    known only to its month or year, a capped range over that month or year (up to
    ``until``, the chart's last day), so that it does not read as the first of the month or
    of January."""
    date = pd.Timestamp(date)
    if coarse(precision):
        end = _period_end(date, precision, until)
        ax.plot([date, end], [y, y], color=colour, lw=1.6, marker="|", markersize=7,
                markeredgewidth=1.4, zorder=zorder, linestyle=":" if low else "-")
        return
    ax.scatter([date], [y], s=size, color="white" if low else colour, edgecolor=colour,
               linewidth=1.2, zorder=zorder)


def _event_notes(events: pd.DataFrame, hollow: str) -> list[str]:
    """The keys a timeline's marks need, for the events it draws: hollow (unconfirmed) points,
    pale bars (events that lasted: a band no reader could name otherwise) and capped ranges
    (dates known only to their month or year)."""
    notes = [hollow] if (events["confidence"] == "low").any() else []
    if "end_date" in events and (events["end_date"] > events["date"]).any():
        notes.append("Pale bars: events that lasted, from start to end")
    if "date_precision" in events and events["date_precision"].map(coarse).any():
        notes.append(COARSE_NOTE)
    return notes


#: how far a dodged dot of a lane timeline moves off its lane, in lanes (lanes are one apart)
LANE_LIFT = 0.22


def _axis_scale(events: pd.DataFrame, width_in: float) -> tuple[pd.Timestamp, float]:
    """A lane timeline's first day and its points per day along the axis (near enough: the
    axis takes about 80% of the figure's width)."""
    first = events["date"].min()
    return first, width_in * 0.8 * 72 / max((events["date"].max() - first).days, 1)


def _lane_lifts(events: pd.DataFrame, label_ids, width_in: float) -> dict:
    """For a lane timeline, how far each dot moves off its lane (in lanes), by the index of its
    row: dots of one lane that would overlap move just above or below it (:func:`_dodge`; the
    labelled ones and the dots of events drawn as bars keep the lane), so that each shows
    (an outside reader counted about seven of Figure 2.1's 30 events hidden under others)."""
    first, per_day = _axis_scale(events, width_in)
    lifts = {}
    for _, lane in events.groupby("category"):
        lasted = lane["end_date"].notna() & (lane["end_date"] > lane["date"]) \
            if "end_date" in lane else pd.Series(False, index=lane.index)
        dots = lane[~lasted].assign(labelled=lane["event_id"].isin(list(label_ids)))
        dots = dots.sort_values(["labelled", "date"], ascending=[False, True])
        at = [(d - first).days * per_day for d in dots["date"]]
        pinned = tuple((d - first).days * per_day for d in lane.loc[lasted, "date"])
        placed = _dodge(at, DOT_PT, pinned=pinned)
        lifts.update({i: (level or 0) * LANE_LIFT for i, level in zip(dots.index, placed.levels,
                                                                     strict=True)})
    return lifts


def timeline(events: pd.DataFrame, label_ids=(), title: str | None = None, size=theme.TALL,
             max_label_chars: int = 38):
    """Events as points on lanes by category; events listed in ``label_ids`` get a label.

    Events with an end date are drawn as bars; low-confidence events are hollow.
    """
    if events.empty:
        return empty("No events in the evidence base fall in this window.", size)
    lanes = [c for c in CATEGORY_ORDER if c in set(events["category"])]
    lane_y = {c: i for i, c in enumerate(reversed(lanes))}
    fig, ax = theme.new_figure(size)
    palette = theme.CATEGORY_COLOURS
    last_day = max([events["date"].max(), *events.get("end_date", pd.Series()).dropna()])
    lift = _lane_lifts(events, label_ids, size[0])
    for index, ev in events.sort_values("date").iterrows():
        y = lane_y[ev["category"]]
        colour = palette[ev["category"]]
        if pd.notna(ev.get("end_date")) and ev["end_date"] > ev["date"]:
            ax.plot([ev["date"], ev["end_date"]], [y, y], color=colour, lw=5, alpha=0.45,
                    solid_capstyle="butt")
        event_mark(ax, ev["date"], ev.get("date_precision", "day"), y + lift.get(index, 0.0),
                   colour, ev["confidence"] == "low", until=last_day)
    labelled = events[events["event_id"].isin(list(label_ids))].sort_values("date")
    first, per_day = _axis_scale(events, size[0])
    span = max((events["date"].max() - first).days, 1)
    lane_pt = size[1] * 0.75 * 72 / (len(lanes) + 0.4)  # points per lane, near enough

    def x_of(row) -> pd.Timestamp:  # where an event's mark is centred (a label points there)
        return event_x(row["date"], row.get("date_precision", "day"), last_day)
    for i, (_, ev) in enumerate(labelled.iterrows()):
        y = lane_y[ev["category"]]
        above = i % 2 == 0
        text = textwrap.fill(plain(ev["title"]), max_label_chars // 2 + 4)
        # The label starts beside the point (its bottom edge above it, its top edge below it),
        # never over a dot; near either end of the axis it runs inward, not over the lane names.
        share = (ev["date"] - first).days / span
        ha = "left" if share < 0.12 else "right" if share > 0.88 else "center"
        # past the dots moved off the lane on its side, under the label (the second war's
        # label ran into one: an outside reader)
        width = max(len(line) for line in text.splitlines()) * 6.5 * 0.55 / per_day  # days
        reach = {"left": (0, width), "right": (-width, 0), "center": (-width / 2, width / 2)}[ha]
        side = 1 if above else -1
        moved = [j for j in events.index[events["category"] == ev["category"]]
                 if lift.get(j, 0.0) * side > 0
                 and reach[0] - 4 / per_day <= (x_of(events.loc[j]) - x_of(ev)).days
                 <= reach[1] + 4 / per_day]
        gap = 7 + (LANE_LIFT * lane_pt if moved else 0.0)
        ax.annotate(text, (x_of(ev), y),
                    xytext=(0, gap * side),
                    textcoords="offset points", va="bottom" if above else "top",
                    ha=ha,
                    fontsize=6.5, color=theme.INK,
                    arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5})
    ax.set_yticks(list(lane_y.values()), [c.capitalize() for c in lane_y])
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    span_years = (events["date"].max() - events["date"].min()).days / 365.25
    locator = mdates.YearLocator(5 if span_years > 15 else 1)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y" if span_years > 2 else "%b %Y"))
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(plain(title))
    notes = _event_notes(events, "Hollow points: date or event not confirmed in a source")
    if notes:
        ax.text(1.0, -0.12, "; ".join(notes), transform=ax.transAxes, ha="right",
                fontsize=6.5, color=theme.MUTED)
    return fig


def lines(frame: pd.DataFrame, x: str, y: str, hue: str, ylabel: str, title: str | None = None,
          size=theme.FIGSIZE, marks: dict | None = None, percent: bool = False, ylim=None,
          annotate_last: bool = True, value_format: str | None = None,
          dashed_from: dict | None = None):
    """One line per ``hue`` value in its actor colour; low-confidence points hollow.

    ``marks``: {x value: label} drawn as thin vertical rules (e.g. the 2020 war).
    ``dashed_from``: {hue value: x} - that line is dashed from the first point at or after x
    (values the note says not to compare), joined to the solid part before it, and its last
    value is not labelled.
    """
    if frame.empty:
        return empty("No data for this selection.", size)
    fig, ax = theme.new_figure(size)
    colours = theme.palette(list(dict.fromkeys(frame[hue])))
    ends = []
    for key, rows in frame.sort_values(x).groupby(hue, sort=False):
        colour = colours[key]
        cut = (dashed_from or {}).get(key)
        weak = rows[x] >= cut if cut is not None else pd.Series(False, index=rows.index)
        solid = rows[~weak]
        if len(solid):
            ax.plot(solid[x], solid[y], color=colour, label=plain(key))
        if weak.any():  # from the last solid point, so that the line does not break
            tail = pd.concat([solid.tail(1), rows[weak]])
            ax.plot(tail[x], tail[y], color=colour, ls=(0, (3, 2)),
                    label=None if len(solid) else plain(key))
        if "confidence" in rows:
            low = rows[rows["confidence"] == "low"]
            ax.scatter(low[x], low[y], s=22, facecolor="white", edgecolor=colour, zorder=3)
        if "estimate" in rows:  # the publisher's estimates: small open circles (the note says)
            est = rows[rows["estimate"].astype("boolean").fillna(False).astype(bool)]
            ax.scatter(est[x], est[y], s=12, facecolor="white", edgecolor=colour, lw=0.9,
                       zorder=3)
        if not weak.iloc[-1]:  # a value the note says not to compare gets no end label
            ends.append((rows.iloc[-1][x], float(rows.iloc[-1][y]), colour))
    if annotate_last and ends:
        fmt = value_format or end_label_format([v for _, v, _ in ends])
        label_ends(ax, ends, fmt + ("%" if percent else ""))
    for at, text in (marks or {}).items():
        ax.axvline(at, color="#999999", lw=0.8, ls="--", zorder=1.8)  # over the grid
        ax.text(at, 1.0, f" {text}", transform=ax.get_xaxis_transform(), fontsize=7,
                color=theme.MUTED, va="top", ha="left")
    ax.set_ylabel(plain(ylabel))
    ax.set_xlabel("")
    if pd.api.types.is_numeric_dtype(frame[x]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ylim:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(plain(title))
    ax.legend(loc="upper left", ncols=min(4, frame[hue].nunique()))
    return fig


def end_label_format(values) -> str:
    """The fewest decimals (0-2) that tell apart end values that differ."""
    for digits in (0, 1, 2):
        shown = [num(v, digits) for v in values]
        distinct = len(set(shown)) == len({round(v, 6) for v in values})
        if distinct:
            return f"{{:,.{digits}f}}"
    return "{:,.2f}"


def spread(values, gap: float) -> list[float]:
    """Label positions for ``values``: same order, at least ``gap`` apart, centred on them."""
    if not values:
        return []
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [float(values[order[0]])]
    for i in order[1:]:
        placed.append(max(float(values[i]), placed[-1] + gap))
    shift = (sum(values[i] for i in order) - sum(placed)) / len(placed)
    out = [0.0] * len(values)
    for i, p in zip(order, placed, strict=True):
        out[i] = p + shift
    return out


def label_ends(ax, ends, fmt: str, fontsize: float = 7, gap_pt: float = 9) -> None:
    """Label the last point of each line (x, y, colour) to its right, moving labels apart
    vertically (in points) so that none overlaps another (a line that ends before the others
    is a point inside the panel: :func:`label_points`). The one end-label routine."""
    from matplotlib import transforms

    from .builders._common import count_word  # house style: small counts in words

    fig = ax.figure
    theme.fit(fig)  # the axes' size in points, as laid out (fitted again when saved)
    ax.get_ylim()  # autoscaled limits
    # lines of one colour that end at the same point and value share one label ("50% (two
    # lines)"): two stacked "50%" would not say which line is which
    shown = Counter((x, formatted(fmt, y), colour) for x, y, colour in ends)
    merged, seen = [], set()
    for x, y, colour in ends:
        key = (x, formatted(fmt, y), colour)
        if key not in seen:
            seen.add(key)
            n = shown[key]
            merged.append((x, y, colour, "" if n == 1 else f" ({count_word(n)} lines)"))
    last = merged
    to_pt = ax.transData
    ys_pt = [to_pt.transform((0, y))[1] * 72 / fig.dpi for _, y, _, _ in last]
    placed = spread(ys_pt, gap_pt)
    for (x, y, colour, both), y0, y1 in zip(last, ys_pt, placed, strict=True):
        shift = transforms.offset_copy(ax.transData, fig=fig, x=4, y=y1 - y0, units="points")
        ax.text(x, y, formatted(fmt, y) + both, transform=shift, fontsize=fontsize, color=colour,
                va="center", ha="left")


def label_points(ax, points, fmt: str, fontsize: float = 7, gap_pt: float = 9) -> None:
    """Label points inside a panel (x, y, colour): lines that end early, a peak or a low the
    text names. Points at one x are labelled to its right, moved apart vertically (in points)
    so that none overlaps another, on white where a line runs on under them."""
    from matplotlib import transforms

    fig = ax.figure
    theme.fit(fig)
    ax.get_ylim()
    groups: dict = {}
    for x, y, colour in dict.fromkeys(points):
        groups.setdefault(x, []).append((y, colour))
    for x, group in groups.items():
        ys_pt = [ax.transData.transform((0, y))[1] * 72 / fig.dpi for y, _ in group]
        for (y, colour), y0, y1 in zip(group, ys_pt, spread(ys_pt, gap_pt), strict=True):
            shift = transforms.offset_copy(ax.transData, fig=fig, x=5, y=y1 - y0, units="points")
            ax.text(x, y, formatted(fmt, y), transform=shift, fontsize=fontsize, color=colour,
                    va="center", ha="left", zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6})


#: the smallest share (percent) a stacked bar's segment is labelled with: a thinner one has no
#: room for its figure (the builder's note names what is too thin to see)
SHARE_LABEL_MIN = 5
#: a segment below this share (percent) is too thin to see at print size
SHARE_VISIBLE_MIN = 2


def _fitted(name: str, width: int, lines: int = 1) -> str | None:
    """``name`` wrapped to at most ``lines`` lines of ``width`` characters, or None if it does
    not fit so (a word longer than a line included)."""
    wrapped = textwrap.wrap(name, width) if width > 0 else []
    if not wrapped or len(wrapped) > lines or any(len(w) > width for w in wrapped):
        return None
    return "\n".join(wrapped)


def stacked_shares(frame: pd.DataFrame, period: str, part: str, value: str, ylabel: str,
                   order=None, title: str | None = None, size=theme.FIGSIZE, top: int = 5,
                   weak: str | None = None):
    """Stacked 100% bars of ``value`` by ``part`` per ``period``; small parts pooled as Other,
    except the largest part of each period, which is always named (a bar that is mostly
    "Other" would hide its main supplier). ``weak``: a period whose bar rests on too little
    data to read like the others (drawn faded and hatched, without figures; the note says
    why)."""
    if frame.empty:
        return empty("No data for this selection.", size)
    totals = frame.groupby(part)[value].sum().sort_values(ascending=False)
    by_period = frame.groupby([period, part])[value].sum()
    leaders = {p_: g.droplevel(0).idxmax() for p_, g in by_period.groupby(level=0)
               if str(p_) != weak}
    keep = [k for k in totals.index if k in set(totals.index[:top]) | set(leaders.values())]
    data = frame.assign(**{part: frame[part].where(frame[part].isin(keep), "Other")})
    wide = data.pivot_table(index=period, columns=part, values=value, aggfunc="sum").fillna(0)
    wide = wide.loc[order] if order is not None else wide.sort_index()
    shares = wide.div(wide.sum(axis=1), axis=0) * 100
    columns = [c for c in keep if c in shares] + (["Other"] if "Other" in shares else [])
    colours = theme.palette(columns)
    fig, ax = theme.new_figure(size)
    bottom = np.zeros(len(shares))
    labels = [plain(i) for i in shares.index]
    faded = [str(i) == weak for i in shares.index]
    # the characters of 6.5-point text a bar holds across (the axes take about 60% of the width
    # beside the legend; a bar 0.7 of its slot)
    bar_chars = int(size[0] * 0.6 * 72 / max(len(shares), 1) * 0.7 / (6.5 * 0.55))
    for col in columns:
        bars = ax.bar(labels, shares[col].values, bottom=bottom, color=colours[col],
                      label=plain(col), width=0.7, edgecolor="white", linewidth=0.5)
        for bar, weak_bar in zip(bars, faded, strict=True):
            if weak_bar:
                bar.set_alpha(0.65)  # faded, but each supplier's colour still told apart
                bar.set_hatch("///")
        for i, v in enumerate(shares[col].values):
            # no figures on a faded bar: its shares rest on too little to be read as shares;
            # its parts are named instead (the hatching hid their colours: an outside reader)
            if v >= SHARE_LABEL_MIN and not faded[i]:
                ax.text(i, bottom[i] + v / 2, num(v), ha="center", va="center", fontsize=7,
                        color=theme.ink_on(colours[col]))
            elif v >= SHARE_LABEL_MIN:
                name = _fitted(plain(col), bar_chars, lines=2 if v >= 2 * SHARE_LABEL_MIN else 1)
                if name:  # else the legend alone names it
                    ax.text(i, bottom[i] + v / 2, name, ha="center", va="center",
                            fontsize=6.5, color=theme.INK, linespacing=1.0,
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        bottom += shares[col].values
    ax.set_ylim(0, 100)
    ax.set_ylabel(plain(ylabel))
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(plain(title))
    handles, names = ax.get_legend_handles_labels()
    if any(faded):  # the legend says what the hatching means
        handles.append(Patch(facecolor="#DDDDDD", edgecolor="#999999", hatch="///", alpha=0.8))
        names.append("Incomplete data")
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def dumbbell(rows: pd.DataFrame, xlabel: str, colour: str, size=theme.FIGSIZE):
    """One row per measure: the earlier value (grey) and the latest (``colour``), an arrow for
    the change, each value labelled. ``rows``: label, earlier, earlier_label, latest,
    latest_label, confidence (low = hollow latest point)."""
    if rows.empty:
        return empty("No data for this selection.", size)
    fig, ax = theme.new_figure(size)
    rows = rows.reset_index(drop=True)
    ys = np.arange(len(rows))[::-1]
    for y, row in zip(ys, rows.itertuples(), strict=True):
        right = False
        if pd.notna(row.earlier):
            ax.annotate("", xy=(row.latest, y), xytext=(row.earlier, y),
                        arrowprops={"arrowstyle": "-|>", "color": "#BBBBBB", "lw": 1.6,
                                    "shrinkA": 4, "shrinkB": 5})
            ax.scatter([row.earlier], [y], color="#999999", s=40, zorder=2)
            left = row.earlier <= row.latest
            ax.annotate(pct(row.earlier), (row.earlier, y), xytext=(-7 if left else 7, 0),
                        textcoords="offset points", ha="right" if left else "left",
                        va="center", fontsize=7.5, color=theme.MUTED)
            right = not left
        hollow = row.confidence == "low"
        ax.scatter([row.latest], [y], s=44, zorder=3, color="white" if hollow else colour,
                   edgecolor=colour, linewidth=1.4)
        ax.annotate(pct(row.latest), (row.latest, y), xytext=(-7 if right else 7, 0),
                    textcoords="offset points", ha="right" if right else "left", va="center",
                    fontsize=7.5, color=colour, fontweight="bold")
    ax.set_yticks(ys, [plain(r.label) + (f"\n{r.earlier_label} → {r.latest_label}"
                                          if r.earlier_label else f"\n{r.latest_label} only")
                       for r in rows.itertuples()])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(plain(xlabel))
    ax.grid(axis="y", visible=False)
    ax.scatter([], [], color="#999999", label="earlier window")
    ax.scatter([], [], color=colour, label="latest window")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.14), ncols=2)
    return fig


def shares_chart(series: pd.DataFrame, patron: str, marks: dict | None = None,
                 size=theme.FIGSIZE):
    """One line per indicator over the years; low-confidence points hollow; ``marks`` are
    {year: label} rules."""
    if series.empty:
        return empty("No dependence indicator has data in this window.", size)
    fig, ax = theme.new_figure(size)
    for key in list(dict.fromkeys(series["indicator"])):
        rows = series[series["indicator"] == key].sort_values("year")
        colour, marker, style = theme.INDICATOR_STYLE[key]
        label = rows["label"].iloc[0] + (" (5-year)" if key == "arms" else "")
        # a year left out (not complete) breaks the line instead of being bridged
        line = rows.set_index("year")["share_pct"].reindex(
            range(int(rows["year"].min()), int(rows["year"].max()) + 1))
        ax.plot(line.index, line.to_numpy(), color=colour, ls=style, marker=marker,
                markersize=3.2, label=plain(label))
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
    ax.set_ylabel(plain(f"{patron}'s share, %"))
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


def under_way(event) -> bool:
    """Whether an event row (a tuple of the events table) had begun and not yet ended on the
    edition's date: the cut marks it ``ongoing`` when its end came later."""
    return bool(getattr(event, "ongoing", False))


def any_under_way(events: pd.DataFrame) -> bool:
    """Whether any row of ``events`` is :func:`under_way` (a frame not cut has none)."""
    return "ongoing" in events and bool(events["ongoing"].fillna(False).any())


#: a timeline dot's width, in points (a marker of area 30 with its edge): nearer dots are dodged
DOT_PT = 6.0
#: how far a dodged dot moves off the axis, in points: less than a dot's width (neighbours
#: overlap a little), so that it stays below the labels, which start 8 points off the axis
DOT_LIFT_PT = 5.0


class Placed(NamedTuple):
    levels: list[int | None]  # None: no room, the dot stays on the axis, hidden
    forced: set[int]  # placed in spite of a crowd, to be drawn over its neighbours


def _dodge(xs: list[float], gap: float, levels=(0, 1, -1),
           pinned: tuple[float, ...] = (), groups: list | None = None) -> Placed:
    """A level for each of ``xs`` (in points, in the order given: the first get the axis), the
    first of ``levels`` where it stays ``gap`` clear of every earlier one on that level; None
    where none is (one level further out would reach the labels). ``pinned``: places already
    taken on the axis (the dots of events drawn as bars, which stay on it).

    ``groups``: each x's group (a kind), or None for the ones placed first, in order (the
    labelled). Then each group in turn, in the order of first appearance, places the first of
    its xs that finds a level, before any group places a second; a group none of whose xs finds
    one places the x with the most room around it, where it is least covered, and that dot is
    ``forced``: drawn over its neighbours, where it covers no labelled dot and no other kind's
    only dot if it can. Every kind keeps a visible dot where the levels allow (Figure 7.2's
    legend named a kind whose every dot was hidden in the crowd of September 2023); more kinds
    than levels on one day cannot all show."""
    # each level's occupants: (x, the index of its dot, or None for a bar's pinned dot)
    taken: dict[int, list[tuple[float, int | None]]] = {0: [(x, None) for x in pinned]}
    out: list[int | None] = [None] * len(xs)
    done = [False] * len(xs)
    forced: set[int] = set()
    groups = groups or [None] * len(xs)
    shown: Counter = Counter()  # visible dots placed, by group

    def room(i: int, level: int) -> float:
        return min((abs(xs[i] - x) for x, _ in taken.get(level, ())), default=float("inf"))

    def place(i: int, level: int | None) -> None:
        if level is not None:
            taken.setdefault(level, []).append((xs[i], i))
            shown[groups[i]] += 1
        out[i], done[i] = level, True

    def free(i: int) -> int | None:
        return next((lv for lv in levels if room(i, lv) >= gap), None)

    def hides_one_alone(i: int, level: int) -> bool:
        """Would a dot at this place cover more than half of a labelled dot, or of the only
        placed dot of its kind (which would leave that kind with no visible dot instead)?"""
        return any(abs(xs[i] - x) < gap / 2 and (groups[j] is None or shown[groups[j]] == 1)
                   for x, j in taken.get(level, ()) if j is not None)

    for i, group in enumerate(groups):
        if group is None:
            place(i, free(i))
    for group in dict.fromkeys(g for g in groups if g is not None):
        members = [i for i, g in enumerate(groups) if g == group]
        found = next(((i, lv) for i in members if (lv := free(i)) is not None), None)
        if found is not None:
            place(*found)
        else:  # where it covers no dot that stands alone for its kind, with the most room
            i, level = max(((i, lv) for i in members for lv in levels),
                           key=lambda pair: (not hides_one_alone(*pair), room(*pair)))
            place(i, level)
            forced.add(i)
    for i in range(len(xs)):
        if not done[i]:
            place(i, free(i))
    return Placed(out, forced)


def labelled_timeline(events: pd.DataFrame, label_ids=None, width: float = theme.FIGSIZE[0],
                      wrap: int = 26, start=None, end=None, max_levels: int = 3,
                      group_of=None, colours: dict[str, str] | None = None):
    """A single-axis timeline: every event a dot in its category colour (bars for events with
    an end date, hollow for low confidence); labelled events are staggered above and below the
    axis so that labels do not overlap. The figure is as tall as its labels need. With
    ``group_of`` (an event's row -> a name in ``colours``, name -> colour) the dots and the
    legend show those groups instead of the categories."""
    if events.empty:
        return empty("No events in the evidence base fall in this window.")
    events = events.sort_values("date")
    label_ids = set(events["event_id"] if label_ids is None else label_ids)
    labelled = events[events["event_id"].isin(label_ids)]
    lo = pd.Timestamp(start) if start is not None else events["date"].min()
    hi = pd.Timestamp(end) if end is not None else max(
        [events["date"].max(), *events["end_date"].dropna()])
    last_day = hi
    pad = max((hi - lo) * 0.05, pd.Timedelta(days=3))
    lo, hi = lo - pad, hi + pad
    span = mdates.date2num(hi) - mdates.date2num(lo)
    axis_w = width * 0.94
    texts, xs, widths = [], [], []
    for ev in labelled.itertuples():
        precision = getattr(ev, "date_precision", "day")
        stamp = ev.date.strftime({"year": "%Y", "month": "%b %Y"}.get(precision, "%d %b %Y"))
        title = ev.title + (" (unconfirmed)" if ev.confidence == "low" else "")
        body = textwrap.fill(plain(title), wrap)
        text = f"{stamp.lstrip('0')}\n{body}"
        texts.append(text)
        xs.append(mdates.date2num(event_x(ev.date, precision, last_day)))
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
    def colour_of(ev) -> str:
        if group_of is not None:
            return colours[group_of(ev)]
        return theme.CATEGORY_COLOURS.get(ev.category, theme.OTHER)

    def stop_of(ev):
        return (ev.end_date if pd.notna(ev.end_date) and ev.end_date > ev.date else
                last_day if under_way(ev) and last_day > ev.date else None)

    # dots of nearby days side by side, not on top of one another (the fighting of 19
    # September 2023 was hidden under the next days' dots): a dot that would touch one already
    # placed moves just above or below the axis; the labelled ones are placed first, on it
    # an event that lasted keeps its dot on its bar, and takes that place on the axis first (a
    # ceasefire the day after the offensive's start was drawn under the offensive's dot)
    on_top = events["event_id"].isin(label_ids)
    # then the kinds with fewest events first: each kind takes its turn in this order to place
    # one dot where it shows (_dodge's groups) before any kind places a second
    rest = list(events[~on_top].itertuples())
    kinds = pd.Series([colour_of(ev) for ev in rest]).value_counts().to_dict()
    ordered = list(events[on_top].itertuples()) + sorted(
        rest, key=lambda ev: (kinds[colour_of(ev)], ev.date))
    bars = [ev for ev in ordered if stop_of(ev) is not None]
    dots = [ev for ev in ordered if stop_of(ev) is None
            and not coarse(getattr(ev, "date_precision", "day"))]

    def at(ev) -> float:
        return (mdates.date2num(ev.date) - mdates.date2num(lo)) / span * axis_w * 72

    placed = _dodge([at(ev) for ev in dots], DOT_PT, pinned=tuple(at(ev) for ev in bars),
                    groups=[None if ev.event_id in label_ids else colour_of(ev) for ev in dots])
    lift = {ev.Index: (level or 0) * DOT_LIFT_PT
            for ev, level in zip(dots, placed.levels, strict=True)}
    # drawn in this order: the dots left without a place, those with one (the rarer kinds over
    # the common ones) and the labelled ones last, on top of any dot left on the axis beside
    # them; a kind's only visible dot placed in a crowd is drawn above all (its zorder)
    rank = {ev.Index: 0 if level is None else 2 if i in placed.forced else 1
            for i, (ev, level) in enumerate(zip(dots, placed.levels, strict=True))}
    for ev in sorted(rest, key=lambda ev: (rank.get(ev.Index, 1), -kinds[colour_of(ev)])) + list(
            events[on_top].itertuples()):
        colour = colour_of(ev)
        stop = stop_of(ev)
        if stop is not None:  # an event still under way runs to the chart's last day
            ax.plot([ev.date, stop], [0, 0], color=colour, lw=6, alpha=0.5,
                    solid_capstyle="butt", zorder=1)
        y = lift.get(ev.Index, 0)
        # a dot off the axis is drawn over the labels' white margins (not their text)
        event_mark(ax, ev.date, getattr(ev, "date_precision", "day"), y, colour,
                   ev.confidence == "low", size=30, until=last_day,
                   zorder=6 if rank.get(ev.Index) == 2 else 5 if y else 3)
    labels = []
    for i, (text, x, level) in enumerate(zip(texts, xs, levels, strict=True)):
        off = np.sign(level) * (8 + (abs(level) - 1) * step)
        labels.append(ax.annotate(
            "", (x, 0), xytext=(0, off), textcoords="offset points", zorder=1,
            arrowprops={"arrowstyle": "-", "color": "#AAAAAA", "lw": 0.6, "shrinkA": 0,
                        "shrinkB": 3}))
        frac = (x - mdates.date2num(lo)) / span
        half = widths[i] / span / 2
        ha = "left" if frac - half < 0 else "right" if frac + half > 1 else "center"
        shift = {"left": -6, "right": 6, "center": 0}[ha]
        labels.append(ax.annotate(
            text, (x, 0), xytext=(shift, off), textcoords="offset points", ha=ha,
            va="bottom" if level > 0 else "top", fontsize=_FONT, color=theme.INK,
            linespacing=1.15, zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.9}))
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
    if group_of is not None:
        used = {group_of(ev) for ev in events.itertuples()}
        present = [(name, colour) for name, colour in colours.items() if name in used]
    else:
        present = [(cat.capitalize(), theme.CATEGORY_COLOURS[cat]) for cat in CATEGORY_ORDER
                   if cat in set(events["category"])]
    for name, colour in present:
        ax.scatter([], [], color=colour, s=24, label=name)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=min(6, len(present)),
              fontsize=7)
    notes = _event_notes(events, "Hollow: not confirmed in a source")
    if notes:
        ax.text(1.0, 1.0, "; ".join(notes), transform=ax.transAxes,
                ha="right", va="top", fontsize=6.5, color=theme.MUTED)
    # make one y unit one point, so that label offsets (in points) match the limits: lay the
    # figure out without the labels (the limits below bring them inside the axes), then set the
    # limits from the axes' height; the layout when saved, labels included, keeps that height
    for label in labels:
        label.set_in_layout(False)
    theme.fit(fig)
    for label in labels:
        label.set_in_layout(True)
    height_pt = ax.get_position().height * fig.get_size_inches()[1] * 72
    extra = max(0.0, height_pt - top - bottom) / 2
    ax.set_ylim(-bottom - extra, top + extra)
    return fig


def _labels_collide(fig, labels, gap_pt: float = 3.0) -> bool:
    """Whether two neighbouring tick labels would touch (less than ``gap_pt`` apart) once the
    figure is laid out."""
    theme.fit(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in labels if label.get_text()]
    gap = gap_pt * fig.dpi / 72
    return any(a.x1 + gap > b.x0 for a, b in itertools.pairwise(boxes))


def vote_label(vote: str, low: bool = False, other: str | None = None) -> str:
    """A vote grid cell's words: the vote, '?' if no published record confirms it, and the
    other reading where the records disagree (the counted one first), one word a line."""
    label = vote + ("?" if low else "")
    return f"{label}\nor\n{other}" if other else label


def vote_grid(votes: pd.DataFrame, countries, size=theme.FIGSIZE):
    """Country x resolution grid of UN General Assembly votes, coloured by vote; a vote the
    published records disagree on (``vote_contested``) shows both readings."""
    if votes.empty:
        return empty("No recorded votes in this window.", size)
    colours = {"yes": "#0072B2", "no": "#D55E00", "abstain": "#E6E6E6", "absent": "#FFFFFF"}
    order = votes.drop_duplicates("resolution").sort_values("date")
    cols = list(order["resolution"])
    rows = [c for c in countries if c in set(votes["country"])]
    fig, ax = theme.new_figure(size)
    # a cell's words fit its width: 'abstain?' is about 4.3 em wide (with a margin, 4.6), the
    # cells share about 0.85 of the figure's width (the country names take the rest)
    cell_pt = size[0] * 72 * 0.85 / max(len(cols), 1)
    small = min(7.0, math.floor(cell_pt / 4.6 * 2) / 2)
    for i, country in enumerate(rows):
        for j, res in enumerate(cols):
            cell = votes[(votes["country"] == country) & (votes["resolution"] == res)]
            if cell.empty:
                ax.add_patch(_rect(j, i, "#FFFFFF", hatch="///"))
                continue
            vote = cell.iloc[0]["vote"]
            low = cell.iloc[0]["confidence"] == "low"
            other = cell.iloc[0].get("vote_contested")
            ax.add_patch(_rect(j, i, colours[vote]))
            # records that disagree: both readings, the counted one first (the note says so)
            label = vote_label(vote, low, other if isinstance(other, str) and other else None)
            ax.text(j + 0.5, i + 0.5, label, ha="center", va="center", linespacing=1.0,
                    fontsize=small, color=theme.ink_on(colours[vote]))
    ax.set_xlim(0, len(cols))
    ax.set_ylim(0, len(rows))
    ax.invert_yaxis()
    labels = [f"{plain(r)}\n{pd.Timestamp(d):%b %Y}".replace("A/RES/", "")
              for r, d in zip(order["resolution"], order["date"], strict=True)]
    ticks = np.arange(len(cols)) + 0.5
    ax.set_xticks(ticks, labels, fontsize=6.5)
    ax.set_yticks(np.arange(len(rows)) + 0.5, plain_all(rows))
    if _labels_collide(fig, ax.get_xticklabels()):  # every other label one tier lower
        ax.set_xticks(ticks, [("\n\n" if j % 2 else "") + lbl for j, lbl in enumerate(labels)],
                      fontsize=6.5)
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def _rect(x, y, colour, hatch=None):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.04, y + 0.06), 0.92, 0.88, facecolor=colour, edgecolor="#BBBBBB",
                     linewidth=0.5, hatch=hatch)
