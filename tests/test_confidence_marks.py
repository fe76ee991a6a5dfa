"""Medium- and low-confidence figures are marked in source lines and explained in a note."""

from __future__ import annotations

import pandas as pd

from analysis.evidence import Evidence
from analysis.report import (
    LOW_NOTE,
    MEDIUM_MARK,
    MEDIUM_NOTE_SHORT,
    SectionContext,
    confidence_mark,
)


def _context() -> SectionContext:
    ctx = object.__new__(SectionContext)
    sources = pd.DataFrame({
        "source_id": ["armstat", "sipri", "copy"],
        "publisher": ["Armstat", "SIPRI", "Armstat"],
        "title": ["External trade by partner", "Milex 2025", "Trade by HS group"],
    })
    ctx.ev = Evidence(params=None, tables={}, sources=sources)  # by hand: nothing shared
    return ctx


def test_marks_per_confidence():
    assert confidence_mark("high") == ""
    assert confidence_mark("medium") == f" {MEDIUM_MARK}"
    assert confidence_mark("low") == " (unconfirmed)"


def test_medium_rows_mark_their_source_title_and_add_the_note():
    ctx = _context()
    data = pd.DataFrame({"source_id": ["armstat", "sipri"], "confidence": ["medium", "high"]})
    ids, conf = ctx.sources_of(data)
    line = ctx.source_line(ids, conf, ctx.medium_sources(data))
    assert f"External trade by partner {MEDIUM_MARK}" in line
    assert f"Milex 2025 {MEDIUM_MARK}" not in line
    assert line.endswith(MEDIUM_NOTE_SHORT)


def test_high_only_lines_carry_no_note_and_low_adds_the_unconfirmed_note():
    ctx = _context()
    high = ctx.source_line(["sipri"], ["high"])
    assert high == "Source: SIPRI, Milex 2025."
    both = ctx.source_line(["armstat", "copy"], ["medium", "low"], ["copy"])
    assert f"Trade by HS group {MEDIUM_MARK}" in both and both.endswith(LOW_NOTE)


def test_a_publishers_later_releases_are_named_once_marked_if_any_is_medium():
    from analysis.report import LATER_RELEASE, LATER_RELEASES

    ctx = _context()
    ctx._later = {"armstat", "copy"}
    line = ctx.source_line(["armstat", "copy", "sipri"], ["medium", "high"], ["armstat"])
    assert line.startswith(f"Sources: Armstat, {LATER_RELEASES} {MEDIUM_MARK}. SIPRI, Milex")
    assert line.count("later release") == 1
    ctx._later = {"copy"}
    one = ctx.source_line(["armstat", "copy"], ["high"])
    assert one == f"Source: Armstat, External trade by partner; {LATER_RELEASE}."


def test_a_table_that_marks_its_own_figures_explains_the_mark_under_a_long_source_line():
    """Table 2.2 named too many publishers to mark their titles; its medium counts now carry the
    mark in their cells, and the note says what it means instead of 'some figures are…'."""
    from analysis.report import MAX_PUBLISHERS_NAMED

    ctx = _context()
    n = MAX_PUBLISHERS_NAMED + 1
    ctx.ev = Evidence(params=None, tables={}, sources=pd.DataFrame({
        "source_id": [f"s{i}" for i in range(n)], "publisher": [f"P{i}" for i in range(n)],
        "title": [f"T{i}" for i in range(n)]}))
    ids, conf = [f"s{i}" for i in range(n)], ["medium", "high"]
    assert not ctx.source_line(ids, conf).endswith(MEDIUM_NOTE_SHORT)
    assert ctx.source_line(ids, conf, cells_marked=True).endswith(MEDIUM_NOTE_SHORT)
