"""Chart primitives shared by the sections. Each returns a matplotlib Figure drawn with the
project theme; the section context turns it into a numbered figure with caption and sources.
Low-confidence points are drawn hollow and flagged in the legend, never hidden."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd

from . import theme

CATEGORY_ORDER = ["conflict", "ceasefire", "security", "diplomacy", "politics", "legal",
                  "economy", "humanitarian"]


def empty(message: str, size=theme.FIGSIZE):
    """A figure that says plainly why there is nothing to draw."""
    fig, ax = theme.new_figure(size)
    ax.axis("off")
    ax.text(0.5, 0.5, "\n".join(textwrap.wrap(message, 60)), ha="center", va="center",
            color=theme.MUTED, fontsize=10, transform=ax.transAxes)
    return fig


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
    palette = dict(zip(CATEGORY_ORDER, ["#D55E00", "#009E73", "#0072B2", "#56B4E9", "#CC79A7",
                                        "#332288", "#E69F00", "#999933"], strict=True))
    for _, ev in events.sort_values("date").iterrows():
        y = lane_y[ev["category"]]
        colour = palette[ev["category"]]
        if pd.notna(ev.get("end_date")) and ev["end_date"] > ev["date"]:
            ax.plot([ev["date"], ev["end_date"]], [y, y], color=colour, lw=5, alpha=0.45,
                    solid_capstyle="butt")
        low = ev["confidence"] == "low"
        ax.scatter([ev["date"]], [y], s=28, color="white" if low else colour,
                   edgecolor=colour, linewidth=1.2, zorder=3)
    labelled = events[events["event_id"].isin(list(label_ids))].sort_values("date")
    for i, (_, ev) in enumerate(labelled.iterrows()):
        y = lane_y[ev["category"]]
        offset = 0.32 if i % 2 == 0 else -0.38
        text = textwrap.shorten(ev["title"], max_label_chars, placeholder="…")
        ax.annotate(text, (ev["date"], y), xytext=(0, offset * 28), textcoords="offset points",
                    ha="center", va="center", fontsize=6.5, color=theme.INK,
                    arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5})
    ax.set_yticks(list(lane_y.values()), [c.capitalize() for c in lane_y])
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    span_years = (events["date"].max() - events["date"].min()).days / 365.25
    locator = mdates.YearLocator(5 if span_years > 15 else 1)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y" if span_years > 2 else "%b %Y"))
    ax.grid(axis="y", visible=False)
    if title:
        ax.set_title(title)
    if (events["confidence"] == "low").any():
        ax.text(1.0, -0.12, "Hollow points: date or event not confirmed in a source",
                transform=ax.transAxes, ha="right", fontsize=6.5, color=theme.MUTED)
    return fig


def lines(frame: pd.DataFrame, x: str, y: str, hue: str, ylabel: str, title: str | None = None,
          size=theme.FIGSIZE, marks: dict | None = None, percent: bool = False, ylim=None,
          annotate_last: bool = True):
    """One line per ``hue`` value in its actor colour; low-confidence points hollow.

    ``marks``: {x value: label} drawn as thin vertical rules (e.g. the 2020 war).
    """
    if frame.empty:
        return empty("No data for this selection.", size)
    fig, ax = theme.new_figure(size)
    colours = theme.palette(list(dict.fromkeys(frame[hue])))
    for key, rows in frame.sort_values(x).groupby(hue, sort=False):
        colour = colours[key]
        ax.plot(rows[x], rows[y], color=colour, label=key)
        if "confidence" in rows:
            low = rows[rows["confidence"] == "low"]
            ax.scatter(low[x], low[y], s=22, facecolor="white", edgecolor=colour, zorder=3)
        if annotate_last:
            last = rows.iloc[-1]
            ax.annotate(f"{last[y]:.0f}{'%' if percent else ''}", (last[x], last[y]),
                        xytext=(4, 0), textcoords="offset points", fontsize=7, color=colour,
                        va="center")
    for at, text in (marks or {}).items():
        ax.axvline(at, color="#999999", lw=0.8, ls="--", zorder=0)
        ax.text(at, 1.0, f" {text}", transform=ax.get_xaxis_transform(), fontsize=7,
                color=theme.MUTED, va="top", ha="left")
    ax.set_ylabel(ylabel)
    ax.set_xlabel("")
    if pd.api.types.is_numeric_dtype(frame[x]):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if ylim:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", ncols=min(4, frame[hue].nunique()))
    return fig


def stacked_shares(frame: pd.DataFrame, period: str, part: str, value: str, ylabel: str,
                   order=None, title: str | None = None, size=theme.FIGSIZE, top: int = 5):
    """Stacked 100% bars of ``value`` by ``part`` per ``period``; small parts pooled as Other."""
    if frame.empty:
        return empty("No data for this selection.", size)
    totals = frame.groupby(part)[value].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    data = frame.assign(**{part: frame[part].where(frame[part].isin(keep), "Other")})
    wide = data.pivot_table(index=period, columns=part, values=value, aggfunc="sum").fillna(0)
    wide = wide.loc[order] if order is not None else wide.sort_index()
    shares = wide.div(wide.sum(axis=1), axis=0) * 100
    columns = [c for c in keep if c in shares] + (["Other"] if "Other" in shares else [])
    colours = theme.palette(columns)
    fig, ax = theme.new_figure(size)
    bottom = np.zeros(len(shares))
    labels = [str(i) for i in shares.index]
    for col in columns:
        ax.bar(labels, shares[col].values, bottom=bottom, color=colours[col], label=col,
               width=0.7, edgecolor="white", linewidth=0.5)
        for i, v in enumerate(shares[col].values):
            if v >= 8:
                ax.text(i, bottom[i] + v / 2, f"{v:.0f}", ha="center", va="center", fontsize=7,
                        color="white")
        bottom += shares[col].values
    ax.set_ylim(0, 100)
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def dumbbell(frame: pd.DataFrame, label: str, before: str, after: str, before_label: str,
             after_label: str, xlabel: str, title: str | None = None, size=theme.FIGSIZE):
    """One row per indicator: a grey dot for ``before``, a coloured dot for ``after``."""
    if frame.empty:
        return empty("No data for this selection.", size)
    fig, ax = theme.new_figure(size)
    rows = frame.reset_index(drop=True)
    ys = np.arange(len(rows))[::-1]
    for y, (_, row) in zip(ys, rows.iterrows(), strict=True):
        ax.plot([row[before], row[after]], [y, y], color="#BBBBBB", lw=2, zorder=1)
        ax.scatter([row[before]], [y], color="#999999", s=36, zorder=2)
        ax.scatter([row[after]], [y], color=theme.colour("Russia"), s=36, zorder=3)
        ax.annotate(f"{row[after]:.0f}", (row[after], y), xytext=(0, 7),
                    textcoords="offset points", ha="center", fontsize=7)
    ax.scatter([], [], color="#999999", label=before_label)
    ax.scatter([], [], color=theme.colour("Russia"), label=after_label)
    ax.set_yticks(ys, rows[label])
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return fig


def vote_grid(votes: pd.DataFrame, countries, size=theme.FIGSIZE):
    """Country x resolution grid of UN General Assembly votes, coloured by vote."""
    if votes.empty:
        return empty("No recorded votes in this window.", size)
    colours = {"yes": "#0072B2", "no": "#D55E00", "abstain": "#E6E6E6", "absent": "#FFFFFF"}
    order = votes.drop_duplicates("resolution").sort_values("date")
    cols = list(order["resolution"])
    rows = [c for c in countries if c in set(votes["country"])]
    fig, ax = theme.new_figure(size)
    for i, country in enumerate(rows):
        for j, res in enumerate(cols):
            cell = votes[(votes["country"] == country) & (votes["resolution"] == res)]
            if cell.empty:
                ax.add_patch(_rect(j, i, "#FFFFFF", hatch="///"))
                continue
            vote = cell.iloc[0]["vote"]
            low = cell.iloc[0]["confidence"] == "low"
            ax.add_patch(_rect(j, i, colours[vote]))
            ax.text(j + 0.5, i + 0.5, vote + ("?" if low else ""), ha="center", va="center",
                    fontsize=7, color="white" if vote in ("yes", "no") else theme.INK)
    ax.set_xlim(0, len(cols))
    ax.set_ylim(0, len(rows))
    ax.invert_yaxis()
    labels = [f"{r}\n{pd.Timestamp(d):%b %Y}" for r, d in zip(order["resolution"], order["date"],
                                                             strict=True)]
    ax.set_xticks(np.arange(len(cols)) + 0.5, [lbl.replace("A/RES/", "") for lbl in labels],
                  fontsize=6.5)
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows)
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return fig


def _rect(x, y, colour, hatch=None):
    from matplotlib.patches import Rectangle

    return Rectangle((x + 0.04, y + 0.06), 0.92, 0.88, facecolor=colour, edgecolor="#BBBBBB",
                     linewidth=0.5, hatch=hatch)
