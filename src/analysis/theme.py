"""One look for every chart: a colour-blind-safe palette with a fixed colour per actor."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

#: Okabe-Ito for the main actors, Paul Tol's muted scheme for the others; grey for the rest.
ACTOR_COLOURS = {
    "Armenia": "#E69F00",
    "Azerbaijan": "#009E73",
    "Russia": "#D55E00",
    "United States": "#0072B2",
    "European Union": "#56B4E9",
    "France": "#332288",
    "India": "#999933",
    "Georgia": "#AA4499",
    "Turkey": "#CC6677",
    "Israel": "#882255",
    "Iran": "#44AA99",
    "China": "#DDCC77",
    "Belarus": "#117733",
    "Ukraine": "#88CCEE",
    "United Arab Emirates": "#661100",
    "World": "#333333",
}
OTHER = "#AAAAAA"
#: one colour, marker and line style per dependence indicator (Okabe-Ito), so that lines are
#: told apart in grey print too
INDICATOR_STYLE = {"arms": ("#D55E00", "o", "-"), "trade": ("#0072B2", "s", "-"),
                   "gas": ("#009E73", "^", "--"), "remittances": ("#CC79A7", "D", ":")}
#: one colour per kind of event, in charts.CATEGORY_ORDER
CATEGORY_COLOURS = {"conflict": "#D55E00", "ceasefire": "#009E73", "security": "#0072B2",
                    "diplomacy": "#56B4E9", "politics": "#CC79A7", "legal": "#332288",
                    "economy": "#E69F00", "humanitarian": "#999933"}
INK = "#222222"
MUTED = "#6B6B6B"
CONFIDENCE_MARKERS = {"high": "o", "medium": "o", "low": "X"}
FIGSIZE = (6.6, 3.3)
TALL = (6.6, 4.0)


def colour(actor: str) -> str:
    return ACTOR_COLOURS.get(actor, OTHER)


def palette(actors) -> dict[str, str]:
    """Colours for a list of actors; unknown actors get distinct greys, never a reused colour."""
    greys = iter(["#AAAAAA", "#777777", "#CCCCCC", "#555555", "#999999", "#BBBBBB"] * 4)
    return {a: ACTOR_COLOURS.get(a) or next(greys) for a in actors}


def apply() -> None:
    """Set the seaborn/matplotlib theme. Deterministic SVG output (fixed ids, no dates)."""
    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans", rc={
        "figure.figsize": FIGSIZE,
        "figure.dpi": 110,
        "savefig.dpi": 150,
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": 9,
        "axes.labelcolor": INK,
        "axes.edgecolor": "#BBBBBB",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "grid.color": "#E6E6E6",
        "grid.linewidth": 0.6,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.frameon": False,
        "lines.linewidth": 1.8,
        "svg.hashsalt": "tightrope",
        "svg.fonttype": "path",
    })


def new_figure(size=FIGSIZE, **kwargs):
    apply()
    return plt.subplots(figsize=size, layout="constrained", **kwargs)
