"""Text from data drawn in charts: always plain text, never mathtext or several lines.

Matplotlib reads ``$...$`` in any label as mathtext, so an event title like ``$\\alpha^{X}$`` would
render as a formula and ``$\\undefined{$`` would fail the figure. Every chart call that draws text
coming from data passes it through :func:`plain` (titles, annotations, tick and legend labels).
"""

from __future__ import annotations

from .prose import inline


def plain(text) -> str:
    """``text`` as matplotlib draws it literally: one line, every ``$`` escaped (``\\$``)."""
    return inline(text).replace("$", r"\$")


def plain_all(texts) -> list[str]:
    """:func:`plain` of each item (tick labels, legend entries)."""
    return [plain(t) for t in texts]
