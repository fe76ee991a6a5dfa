"""One look for every chart: a colour-blind-safe palette with a fixed colour per actor."""

from __future__ import annotations

import contextlib
import io
import warnings

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.colors import to_rgb

#: Okabe-Ito for the main actors, Paul Tol's muted scheme for the others; grey for the rest.
ACTOR_COLOURS = {
    "Armenia": "#E69F00",
    "Azerbaijan": "#009E73",
    "Russia": "#D55E00",
    "United States": "#0072B2",
    "European Union": "#56B4E9",
    "France": "#332288",
    "India": "#999933",
    "Georgia": "#DDCC77",  # sand: apart from Turkey's rose and Israel's wine, faded or not
    "Turkey": "#CC6677",
    "Israel": "#882255",
    "Iran": "#44AA99",
    "China": "#AA4499",
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
                    "diplomacy": "#56B4E9", "politics": "#CC79A7", "legal": "#882255",
                    "economy": "#E69F00", "humanitarian": "#999933"}
INK = "#222222"
MUTED = "#6B6B6B"
CONFIDENCE_MARKERS = {"high": "o", "medium": "o", "low": "X"}
FIGSIZE = (6.6, 3.3)
TALL = (6.6, 4.0)


def colour(actor: str) -> str:
    return ACTOR_COLOURS.get(actor, OTHER)


def ink_on(fill: str) -> str:
    """The text colour for a label on ``fill``: white or :data:`INK`, whichever contrasts more
    (WCAG relative luminance), so that a figure on a light segment stays legible."""
    def luminance(colour) -> float:
        return sum(w * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
                   for w, c in zip((0.2126, 0.7152, 0.0722), to_rgb(colour), strict=True))

    def contrast(a: float, b: float) -> float:
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)

    back = luminance(fill)
    return "white" if contrast(back, 1.0) >= contrast(back, luminance(INK)) else INK


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


#: where the axes sit until the figure is laid out (:func:`fit`, :func:`save`): close to where
#: they end up, so that measures taken in points before the layout stay near their final values
_START = {"left": 0.1, "right": 0.97, "bottom": 0.13, "top": 0.9, "wspace": 0.25}
#: padding around the decorations, in points (as constrained layout's 3-point default)
_PAD_PT = 3.0


def new_figure(size=FIGSIZE, **kwargs):
    """A themed figure and its axes (``plt.subplots``), laid out once when it is saved
    (:func:`save`) instead of by a layout engine at every draw."""
    apply()
    fig, axes = plt.subplots(figsize=size, **kwargs)
    fig.subplots_adjust(**_START)
    fig._tightrope_fit = "pending"
    return fig, axes


@contextlib.contextmanager
def _layout_failures_raise():
    """Tight layout's "could not lay this out" warnings become errors (to fall back on)."""
    with warnings.catch_warnings():
        for message in ("Tight layout not applied",
                        "This figure includes Axes that are not compatible with tight_layout"):
            warnings.filterwarnings("error", message=message, category=UserWarning)
        yield


def _pad() -> dict:
    pad = _PAD_PT / plt.rcParams["font.size"]
    return {"pad": pad, "h_pad": pad, "w_pad": pad}


def fit(fig, final: bool = False) -> None:
    """Lay ``fig`` out now, in one pass (matplotlib's tight layout: each axes grows to the
    figure's edges minus the room its labels, legends and annotations take), for a chart that
    needs its axes' size in points before it is saved. ``final``: the layout stays as it is
    when saved (a chart whose limits depend on its axes' final size)."""
    if getattr(fig, "_tightrope_fit", None) in (None, "final"):
        return
    with _layout_failures_raise():
        try:
            fig.tight_layout(**_pad())
        except (UserWarning, ValueError):
            fig.set_layout_engine("constrained")
            final = True
    fig._tightrope_fit = "final" if final else "fitted"


def save(fig, target, **kwargs) -> None:
    """``fig.savefig``, laid out once in the same pass, with the renderer that draws it (text
    measured as it will be drawn); a figure tight layout cannot lay out gets constrained
    layout instead. Figures not made by :func:`new_figure` are saved as they are.

    SVG is laid out and drawn by one renderer (:func:`_svg_in_one_pass`), which is what
    ``savefig`` writes, byte for byte, without its second draw."""
    if getattr(fig, "_tightrope_fit", None) in (None, "final"):
        fig.savefig(target, **kwargs)
        return
    tight = True
    if (set(kwargs) <= {"format", "metadata"} and kwargs.get("format") == "svg"
            and isinstance(target, io.TextIOBase) and _no_layout_engine(fig)
            and _savefig_defaults()):
        svg = _svg_in_one_pass(fig, kwargs.get("metadata"))
        if isinstance(svg, str):
            target.write(svg)
            return
        tight = svg is not _NO_TIGHT_LAYOUT  # tight layout failed: straight to constrained
    if tight:
        fig.set_layout_engine("tight", **_pad())
        with _layout_failures_raise():
            try:
                fig.savefig(target, **kwargs)
                return
            except (UserWarning, ValueError):
                pass
        if hasattr(target, "seek"):
            target.seek(0)
            target.truncate()
    fig.set_layout_engine("constrained")
    fig.savefig(target, **kwargs)


def _no_layout_engine(fig) -> bool:
    """No layout engine of its own (one a chart set would run again at the draw)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    return engine is None or isinstance(engine, PlaceHolderLayoutEngine)


def _savefig_defaults() -> bool:
    """The savefig settings :func:`_svg_in_one_pass` takes as given (no transparency, the
    figure's own colours, no bbox cropping); anything else is left to ``savefig``."""
    rc = plt.rcParams
    return (not rc["savefig.transparent"] and rc["savefig.facecolor"] == "auto"
            and rc["savefig.edgecolor"] == "auto" and rc["savefig.bbox"] in (None, "standard"))


#: what :func:`_svg_in_one_pass` returns when tight layout cannot lay the chart out
_NO_TIGHT_LAYOUT = object()


def _svg_in_one_pass(fig, metadata: dict | None):
    """``fig`` laid out by tight layout and drawn as SVG with ONE renderer (the SVG text);
    :data:`_NO_TIGHT_LAYOUT` if tight layout cannot lay it out; None if anything else went
    wrong (or this matplotlib lacks the parts used here), the chart then as it was.

    ``savefig`` with a layout engine draws a figure twice: once with drawing switched off, to
    lay it out, and again for real, each time with a new renderer, so every label is measured
    again. Here the layout measures with the renderer that then draws (as ``print_svg`` builds
    it: 72 dpi, images at savefig's dpi), so the draw finds each text's size cached: the same
    SVG in about two thirds of the time. Anything unexpected sends the chart back to ``savefig``
    (which meets the same error, if it is the chart's own)."""
    try:
        from matplotlib._tight_layout import get_subplotspec_list, get_tight_layout_figure
        from matplotlib.backends.backend_mixed import MixedModeRenderer
        from matplotlib.backends.backend_svg import RendererSVG
    except ImportError:
        return None
    buffer = io.StringIO()
    dpi = plt.rcParams["savefig.dpi"]
    if dpi == "figure":  # as savefig resolves it
        dpi = getattr(fig, "_original_dpi", fig.dpi)
    shown_dpi, fig.dpi = fig.dpi, 72
    params = fig.subplotpars
    before = {k: getattr(params, k) for k in ("left", "right", "bottom", "top", "wspace",
                                               "hspace")}
    saving = fig.canvas._is_saving  # as in savefig: animated artists are drawn too
    try:
        fig.canvas._is_saving = True
        width, height = fig.get_size_inches()
        renderer = MixedModeRenderer(fig, width, height, dpi,
                                     RendererSVG(width * 72, height * 72, buffer, image_dpi=dpi,
                                                 metadata=metadata))
        try:
            with _layout_failures_raise(), renderer._draw_disabled():
                adjust = get_tight_layout_figure(fig, fig.axes, get_subplotspec_list(fig.axes),
                                                 renderer, **_pad())
        except (UserWarning, ValueError):
            return _NO_TIGHT_LAYOUT
        if adjust:
            fig.subplots_adjust(**adjust)
        fig.draw(renderer)
        renderer.finalize()
    except (UserWarning, ValueError, AttributeError):
        fig.subplots_adjust(**before)  # savefig starts from where the chart was
        return None
    finally:
        fig.dpi = shown_dpi
        fig.canvas._is_saving = saving
    return buffer.getvalue()
