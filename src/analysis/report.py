"""What a section notebook works with: ``s = start_section("02", globals())``.

The context validates the parameters, loads the evidence cut to them, applies the theme, numbers
figures and tables within the section and builds their source lines from ``source_id``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from . import params as params_mod
from . import sections, theme
from .evidence import Evidence, load_evidence
from .figures import Figure, Prose, Table, svg_of


MAX_PUBLISHERS_NAMED = 4
MAX_TITLES_NAMED = 2


class SectionContext:
    def __init__(self, key: str, p: params_mod.ReportParams):
        self.spec = sections.get(key)
        self.p = p
        self.ev: Evidence = load_evidence(p)
        self._figures = 0
        self._tables = 0
        theme.apply()

    # ------------------------------------------------------------------ sources
    def source_line(self, source_ids: Iterable[str], confidences: Iterable[str] = ()) -> str:
        """'Source: SIPRI, Military Expenditure Database (2025).' plus an unconfirmed flag."""
        ids = [s for s in dict.fromkeys(source_ids) if isinstance(s, str) and s]
        by_id = self.ev.sources.set_index("source_id")
        publishers = list(dict.fromkeys(by_id.loc[ids, "publisher"])) if ids else []
        if len(publishers) > MAX_PUBLISHERS_NAMED:
            # a long list of outlets helps nobody under a chart: name the first few
            named = ", ".join(publishers[:MAX_PUBLISHERS_NAMED])
            others = len(publishers) - MAX_PUBLISHERS_NAMED
            line = (f"Sources: {named} and {others} other publisher{'s' if others > 1 else ''}; "
                    "every source is listed in Appendix B.")
            if "low" in set(confidences):
                line += " Marked items could not be confirmed in a published source."
            return line
        parts = []
        for publisher in publishers:
            titles = list(dict.fromkeys(
                by_id.loc[ids][by_id.loc[ids, "publisher"] == publisher]["title"]))
            shown = "; ".join(titles[:MAX_TITLES_NAMED])
            if len(titles) > MAX_TITLES_NAMED:
                shown += f"; and {len(titles) - MAX_TITLES_NAMED} more (Appendix B)"
            parts.append(f"{publisher}, {shown}")
        line = ("Sources: " if len(parts) > 1 else "Source: ") + ". ".join(parts) + "."
        if "low" in set(confidences):
            line += " Marked figures could not be confirmed in a published source."
        return line if parts else "Source: Tightrope evidence base."

    def sources_of(self, *frames: pd.DataFrame) -> tuple[list[str], list[str]]:
        ids, conf = [], []
        for frame in frames:
            if "source_id" in frame:
                ids += list(frame["source_id"].dropna())
            if "confidence" in frame:
                conf += list(frame["confidence"].dropna())
        return ids, conf

    # ------------------------------------------------------------------ outputs
    def figure(self, fig, caption: str, alt: str, data: Iterable[pd.DataFrame] = (),
               source_ids: Iterable[str] = (), note: str | None = None) -> Figure:
        self._figures += 1
        ids, conf = self.sources_of(*data)
        size = tuple(round(v, 2) for v in fig.get_size_inches())
        return Figure(number=f"{self.spec.number}.{self._figures}", caption=caption, alt=alt,
                      source=self.source_line([*ids, *source_ids], conf), svg=svg_of(fig),
                      note=note, size_in=size)

    def table(self, frame: pd.DataFrame, caption: str, data: Iterable[pd.DataFrame] = (),
              source_ids: Iterable[str] = (), note: str | None = None) -> Table:
        self._tables += 1
        ids, conf = self.sources_of(*data)
        return Table.from_frame(frame, f"{self.spec.number}.{self._tables}", caption,
                                self.source_line([*ids, *source_ids], conf), note)

    @staticmethod
    def text(markdown: str) -> Prose:
        return Prose(markdown)


def start_section(key: str, namespace: Mapping[str, Any]) -> SectionContext:
    """Validate the notebook's parameters (from its namespace) and open the section."""
    p = params_mod.resolve(namespace, strict=False)
    return SectionContext(key, p)
