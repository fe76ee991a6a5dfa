"""What a section notebook works with: ``s = start_section("02", globals())``.

The context validates the parameters, loads the evidence cut to them, applies the theme, numbers
figures and tables within the section and builds their source lines from ``source_id``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

import pandas as pd

from . import charts, sections, theme
from . import params as params_mod
from .evidence import (
    PART_SOURCE_COLUMNS,
    Evidence,
    cited_ids,
    later_releases,
    load_evidence,
    memo,
    newer_releases,
)
from .figures import Figure, Prose, Table, svg_of

MAX_PUBLISHERS_NAMED = 4
MAX_TITLES_NAMED = 2
#: the marker after a figure of medium confidence (read in a secondary copy, not the publisher's
#: own file); low-confidence figures carry "(unconfirmed)" instead
MEDIUM_MARK = "\u2020"
#: the mark's legend, in words that never set it after a source's own mark ("†. †"): in full
#: once, on the key findings page, where the first marks stand
MEDIUM_NOTE = (f"Figures marked {MEDIUM_MARK} are of medium confidence: read in a secondary copy "
               "of the publisher's data or in a report citing it, not in the publisher's own "
               "file or an exact copy of it. Outside these findings, source lines mark each "
               "such source; tables, notes and the running text mark the figures only in "
               "places.")
#: under a chart or table, short: the full legend under each of two dozen exhibits added three
#: lines to most of them (an outside reader counted it 24 times)
MEDIUM_NOTE_SHORT = (f"A {MEDIUM_MARK} marks medium confidence: read in a secondary copy of the "
                     "data or in a report citing it.")
#: where no value or source carries the mark (events, a long list of sources)
MEDIUM_NOTE_UNMARKED = ("Some entries were read in a secondary copy of the data or in a report "
                        "citing it (medium confidence).")
LATER_RELEASE = "a later release of the series (see the data note in Appendix B)"
LATER_RELEASES = "later releases of the series (see the data note in Appendix B)"
#: after the title of a source a release published by the edition's date replaces
SUPERSEDED = "(a newer release exists: Appendix B)"
LOW_NOTE = "Values marked as unconfirmed: not confirmed in a published source."


def confidence_mark(confidence) -> str:
    """The marker after a figure: ' \u2020' for medium, ' (unconfirmed)' for low, '' for high."""
    return {"medium": f" {MEDIUM_MARK}", "low": " (unconfirmed)"}.get(confidence, "")


def confidence_notes(confidences: Iterable[str], marked: bool = True) -> str:
    """The notes a source line carries for the confidences of the figures above it; ``marked``
    says whether the medium-confidence sources carry the marker in the line."""
    present = set(confidences)
    notes = [MEDIUM_NOTE_SHORT if marked else MEDIUM_NOTE_UNMARKED] if "medium" in present else []
    return " ".join(notes + ([LOW_NOTE] if "low" in present else []))


class SectionContext:
    def __init__(self, key: str, p: params_mod.ReportParams):
        self.spec = sections.get(key)
        self.p = p
        self.ev: Evidence = load_evidence(p)
        # releases of annual series published after as_of: named once in Appendix B's data note
        self._later = set(later_releases(self.ev.tables, p.as_of)["source_id"])
        # sources a release published by as_of replaces, not yet brought into the evidence base
        self._superseded = set(newer_releases(self.ev.tables, p.as_of,
                                              cited_ids(self.ev.tables))["supersedes"])
        # the running number each caption got, per kind: a cell run again (Shift-Enter in
        # JupyterLab) keeps its number instead of taking the next one
        self._slots: dict[str, dict[str, int]] = {"figure": {}, "table": {}}
        # each exhibit -> ((its source line, the sources it cites), its note, the exhibit that
        # prints that line, the one that prints that note; see _as_before)
        self._said: dict[str, tuple[tuple, str | None, str, str]] = {}
        self._last: str | None = None  # the exhibit made last, of either kind
        theme.apply()

    @property
    def later_copies(self) -> bool:
        """Whether figures of items published by the edition's date were read in copies
        published after it (Appendix B marks them)."""
        from .bibliography import bibliography

        return memo(self.ev, ("later_copies", self.p.as_of),
                    lambda: bibliography(self.ev.tables, self.p.as_of).later_copies)

    @property
    def revised_series(self) -> bool:
        """Whether the edition reads annual series in releases published after its date."""
        return bool(self._later)

    def from_later_release(self, rows: pd.DataFrame) -> bool:
        """Whether any of ``rows`` comes from a release published after the edition's date (its
        price base, for one, was not yet known on that date)."""
        return bool(set(rows["source_id"].dropna()) & self._later)

    # ------------------------------------------------------------------ sources
    def source_line(self, source_ids: Iterable[str], confidences: Iterable[str] = (),
                    medium_ids: Iterable[str] = (), cells_marked: bool = False) -> str:
        """'Source: SIPRI, Military Expenditure Database (2025).' plus confidence notes.

        Titles of sources in ``medium_ids`` (sources of medium-confidence rows) carry the
        medium marker; the note under it says what the marker means, as it does when the
        table's own cells carry it (``cells_marked``)."""
        ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str) and s]
        medium = set(medium_ids)
        confidences = list(confidences)
        by_id = self.ev.sources_by_id()
        # a publisher's newer release not yet in the evidence base: said after the title it
        # replaces (a sentence of its own, repeated under every chart, read as a refrain)
        stale = [i for i in ids if i in getattr(self, "_superseded", ())]
        publishers = list(dict.fromkeys(by_id.loc[ids, "publisher"])) if ids else []
        if len(publishers) > MAX_PUBLISHERS_NAMED:
            # a long list of outlets helps nobody under a chart: name the first few
            named = ", ".join(publishers[:MAX_PUBLISHERS_NAMED])
            others = len(publishers) - MAX_PUBLISHERS_NAMED
            line = (f"Sources: {named} and {others} other publisher{'s' if others > 1 else ''}; "
                    "every source is listed in Appendix B." + "".join(dict.fromkeys(
                        f" A newer release of {str(by_id.loc[i, 'publisher']).split(' (')[0]} "
                        "data exists (see the data note in Appendix B)." for i in stale)))
            notes = confidence_notes(confidences, marked=cells_marked)
            return f"{line} {notes}" if notes else line
        parts = []
        for publisher in publishers:
            mine = by_id.loc[ids][by_id.loc[ids, "publisher"] == publisher]
            later = [sid for sid in mine.index if sid in getattr(self, "_later", ())]
            titles = []
            for sid, title in zip(mine.index, mine["title"], strict=True):
                if sid in later:  # one mention for all of a publisher's later releases
                    if sid != later[0]:
                        continue
                    title = LATER_RELEASE if len(later) == 1 else LATER_RELEASES
                    marked = any(i in medium for i in later)
                else:
                    marked = sid in medium
                    if sid in stale:
                        title = f"{title} {SUPERSEDED}"
                titles.append(title + (f" {MEDIUM_MARK}" if marked else ""))
            titles = list(dict.fromkeys(titles))
            shown = "; ".join(titles[:MAX_TITLES_NAMED])
            if len(titles) > MAX_TITLES_NAMED:
                shown += f"; and {len(titles) - MAX_TITLES_NAMED} more (Appendix B)"
            parts.append(f"{publisher}, {shown}")
        line = ("Sources: " if len(parts) > 1 else "Source: ") + ". ".join(parts) + "."
        notes = confidence_notes(confidences, marked=bool(medium) or cells_marked)
        if notes:
            line += " " + notes
        return line if parts else "Source: Tightrope evidence base."

    def sources_of(self, *frames: pd.DataFrame) -> tuple[list[str], list[str]]:
        ids, conf = [], []
        for frame in frames:
            if "source_id" in frame:
                ids += list(frame["source_id"].dropna())
            # the sources of an end date, a later count and another record's reading the
            # edition shows (the cut blanks them where the edition may not know them)
            for column in PART_SOURCE_COLUMNS:
                if column in frame:
                    ids += list(frame[column].dropna())
            if "confidence" in frame:
                conf += list(frame["confidence"].dropna())
        return ids, conf

    @staticmethod
    def medium_sources(*frames: pd.DataFrame) -> list[str]:
        """Source ids of the medium-confidence rows of ``frames`` (their titles get the marker)."""
        ids: list[str] = []
        for frame in frames:
            if {"source_id", "confidence"} <= set(frame.columns):
                ids += list(frame.loc[frame["confidence"] == "medium", "source_id"].dropna())
        return ids

    @staticmethod
    def _cited(ids) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s for s in ids if isinstance(s, str) and s))

    # ------------------------------------------------------------------ outputs
    def _count(self, kind: str, caption: str) -> int:
        """The running count for a new caption; the same count again for one shown before."""
        numbers = self._slots[kind]
        return numbers.setdefault(caption, len(numbers) + 1)

    def _number(self, kind: str, key: str | None, count: int) -> str:
        """A registered key's number (analysis.sections), else the running count."""
        registered = self.spec.figures if kind == "figure" else self.spec.tables
        if registered:
            if key not in registered:
                raise KeyError(f"section {self.spec.key} registers its {kind}s by key; "
                               f"{key!r} is not one of {registered}")
            return sections.number_of(kind, key)
        return f"{self.spec.number}.{count}"

    @cached_property
    def findings(self):
        """This edition's findings (analysis.findings), computed once per edition (:func:`prepare`)."""
        return _findings(self.ev)

    def share_series(self, key: str) -> pd.DataFrame:
        """The patron's share of indicator ``key`` year by year (:func:`analysis.measures.shares.
        series`), computed once per edition (:func:`prepare`). Read-only."""
        return _share_series(self.ev, key)

    def shown_figure(self, back: int = 0) -> str | None:
        """'Figure 6.4': the latest figure this section has shown (``back``: that many before
        it), for a section whose figures take running numbers (none registered by key); None
        when it has not shown that many."""
        n = len(self._slots["figure"]) - back
        return f"Figure {self.spec.number}.{n}" if n >= 1 else None

    def figure(self, fig, caption: str, alt: str, data: Iterable[pd.DataFrame] = (),
               source_ids: Iterable[str] = (), note: str | None = None,
               key: str | None = None, keys_unconfirmed: bool = False) -> Figure:
        """``keys_unconfirmed``: the chart marks its unconfirmed values with a key of its own
        (in ``note``), so the source line does not explain them a second time."""
        count = self._count("figure", caption)
        data = list(data)
        ids, conf = self.sources_of(*data)
        if keys_unconfirmed:
            conf = [c for c in conf if c != "low"]
        size = tuple(round(v, 2) for v in fig.get_size_inches())
        charts.dates_until(fig, self.p.as_of)
        number = self._number("figure", key, count)
        cited = self._cited([*ids, *source_ids])
        source, note = self._as_before("Figure", number, self.source_line(
            [*ids, *source_ids], conf, self.medium_sources(*data)), note, cited)
        return Figure(number=number, caption=caption, alt=alt, source=source, svg=svg_of(fig),
                      note=note, size_in=size, source_ids=cited)

    def table(self, frame: pd.DataFrame, caption: str, data: Iterable[pd.DataFrame] = (),
              source_ids: Iterable[str] = (), note: str | None = None,
              key: str | None = None) -> Table:
        count = self._count("table", caption)
        data = list(data)
        ids, conf = self.sources_of(*data)
        # figures of medium-confidence rows marked in the table itself: the note says what the
        # marker means even where the source line is too long to mark titles
        marked = bool(frame.astype(str).apply(lambda c: c.str.contains(MEDIUM_MARK)).any().any())
        number = self._number("table", key, count)
        cited = self._cited([*ids, *source_ids])
        source, note = self._as_before("Table", number, self.source_line(
            [*ids, *source_ids], conf, self.medium_sources(*data), marked), note, cited)
        return Table.from_frame(frame, number, caption, source, note, cited)

    def note_printed_by(self, label: str) -> str:
        """'Figure 2.2': the exhibit whose note ``label`` ('Figure 2.3') points to when it said
        'Source and note: as for Figure 2.2.', else ``label`` itself (prose that said 'see the
        figure's note' sent a reader to a note that only pointed on: an outside reader)."""
        said = self._said.get(label)
        return said[3] if said else label

    def _as_before(self, kind: str, number: str, source: str, note: str | None,
                   cited: Iterable[str] = ()) -> tuple[str, str | None]:
        """The source line and note exhibit ``number`` prints: 'Source and note: as for Figure
        2.2.' when the exhibit numbered just before it, of the same kind, printed the same
        ones (two charts of one database, one under the other, had repeated three lines);
        'Source: as for Figure 7.2.' followed by its own note when the exhibit made just before
        it, of either kind, printed the same source line (a table listing a timeline's events had
        repeated its two lines). A pointer always names the exhibit that printed the words, and
        only an exhibit of the same sources (``cited``): two SIPRI databases can print one line."""
        label = f"{kind} {number}"
        said = (source, tuple(sorted(cited)))  # what the line stands for, not only its words
        section, _, n = number.rpartition(".")
        before = self._said.get(f"{kind} {section}.{int(n) - 1}") if n.isdigit() else None
        last = self._said.get(self._last) if self._last not in (None, label) else None
        self._last = label
        if before and before[:2] == (said, note) and before[2] == before[3]:
            self._said[label] = (said, note, before[2], before[2])
            return (f"Source and note: as for {before[2]}." if note
                    else f"Source: as for {before[2]}."), None
        if last and last[0] == said and last[2] != label:
            self._said[label] = (said, note, last[2], label if note else last[2])
            # the line is still that exhibit's; its own note follows on the same short line
            return f"Source: as for {last[2]}." + (f" {note}" if note else ""), None
        self._said[label] = (said, note, label, label)
        return source, note

    @staticmethod
    def text(markdown: str) -> Prose:
        from .figures import Nothing, NothingText

        return Nothing(markdown) if isinstance(markdown, NothingText) else Prose(markdown)


def _findings(ev: Evidence):
    from . import findings

    return memo(ev, ("findings", ev.params), lambda: findings.compute(
        ev.tables, ev.params, series=lambda key: _share_series(ev, key)))


def _share_series(ev: Evidence, key: str) -> pd.DataFrame:
    from .measures import shares

    p = ev.params
    return memo(ev, ("share_series", key, p.focus, p.patron),
                lambda: shares.series(key, ev.tables, p.focus, p.patron))


def prepare(values: Mapping[str, Any]) -> None:
    """Compute what several sections of the edition with parameters ``values`` read (the
    findings, the patron's share series): the warm engine does it before it forks the section
    kernels, and every kernel inherits the results instead of computing them again."""
    ev = load_evidence(params_mod.resolve(values, strict=False))
    for key in _findings(ev).dependence:
        _share_series(ev, key)


def start_section(key: str, namespace: Mapping[str, Any]) -> SectionContext:
    """Validate the notebook's parameters (from its namespace) and open the section."""
    p = params_mod.resolve(namespace, strict=False)
    return SectionContext(key, p)
