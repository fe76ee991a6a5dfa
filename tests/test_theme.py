"""Saving a chart: :func:`analysis.theme.save` lays an SVG out and draws it with one renderer, and
writes what matplotlib's ``savefig`` with the same layout engine writes, byte for byte."""

import io
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from analysis import theme

META = {"Date": None, "Creator": "Tightrope"}


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def _chart(kind: str):
    fig, ax = theme.new_figure(size=(5, 3))
    ax.plot([2019, 2020, 2021, 2022], [1, 3, 2, 4], label="Armenia & Russia <exports>")
    ax.set_ylabel("Share of imports (%)")
    ax.set_title("A title long enough to need the room it takes at the top")
    ax.legend(loc="upper left")
    if kind == "image":
        ax.imshow(np.arange(16).reshape(4, 4), extent=(2019, 2020, 1, 2), aspect="auto")
        ax.plot([2019, 2022], [0, 4], rasterized=True)
    if kind == "no room":  # labels wider than the figure: tight layout gives up
        ax.set_ylabel("\n".join(["a very long label on many lines"] * 12))
        ax.set_yticks([1, 2, 3], ["a tick label far too wide for a five-inch figure " * 3] * 3)
    return fig


def _savefig(fig, engine: str) -> str:
    fig.set_layout_engine(engine, **(theme._pad() if engine == "tight" else {}))
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format="svg", metadata=META)
    return buffer.getvalue()


def _save(fig, strict: bool = True) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error" if strict else "ignore")  # nothing leaks to the output
        theme.save(fig, buffer, format="svg", metadata=META)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["lines", "image"])
def test_one_pass_svg_is_what_savefig_writes_with_tight_layout(kind, monkeypatch):
    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda fig, r: draws.append(r) or real_draw(fig, r))
    ours = _save(_chart(kind))
    assert len(draws) == 1  # one draw, where savefig with a layout engine makes two
    monkeypatch.undo()
    assert ours == _savefig(_chart(kind), "tight")
    assert "<text" not in ours  # text is drawn as paths, as the theme sets


def test_a_chart_tight_layout_cannot_lay_out_gets_constrained_layout():
    assert theme._svg_in_one_pass(_chart("no room"), META) is theme._NO_TIGHT_LAYOUT
    # (constrained layout may warn of a chart this crowded, as it does in savefig)
    assert _save(_chart("no room"), strict=False) == _savefig(_chart("no room"), "constrained")


def test_a_fitted_chart_is_laid_out_again_when_saved_and_a_final_one_is_not():
    fitted, final, reference = _chart("lines"), _chart("lines"), _chart("lines")
    for fig in (fitted, reference):
        theme.fit(fig)
    theme.fit(final, final=True)
    assert _save(fitted) == _savefig(reference, "tight")
    before = final.subplotpars.left
    _save(final)
    assert final.subplotpars.left == before


def test_a_chart_with_its_own_layout_engine_is_saved_as_savefig_would():
    ours, reference = _chart("lines"), _chart("lines")
    for fig in (ours, reference):
        fig.set_layout_engine("compressed")  # theme.save then lays it out with tight layout
    assert _save(ours, strict=False) == _savefig(reference, "tight")


def test_other_targets_and_settings_are_saved_by_savefig_itself(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    binary = io.BytesIO()
    theme.save(_chart("lines"), binary, format="svg", metadata=META)
    assert binary.getvalue().decode() == _savefig(_chart("lines"), "tight")
    theme.save(_chart("lines"), tmp_path / "chart.svg", format="svg", metadata=META)
    assert (tmp_path / "chart.svg").read_text() == _savefig(_chart("lines"), "tight")
    # a setting the one pass does not handle (transparency): savefig's output, not ours
    ours, opaque = _chart("lines"), _savefig(_chart("lines"), "tight")
    monkeypatch.setitem(plt.rcParams, "savefig.transparent", True)
    reference = _savefig(_chart("lines"), "tight")
    assert reference != opaque
    assert _save(ours, strict=False) == reference



def test_labels_on_light_fills_are_dark_and_on_dark_fills_white():
    """A share's figure on Georgia's sand or Ukraine's pale blue was white on light (Figure
    2.4): the text colour is whichever contrasts more with the segment."""
    assert theme.ink_on(theme.colour("Georgia")) == theme.INK
    assert theme.ink_on(theme.colour("Ukraine")) == theme.INK
    assert theme.ink_on(theme.colour("Israel")) == "white"
    assert theme.ink_on("#000000") == "white" and theme.ink_on("#FFFFFF") == theme.INK
