"""Numbered figures and tables that display the same way in JupyterLab, HTML and PDF.

Each object renders as a MIME bundle holding a JSON payload for the exporters
(``application/vnd.tightrope.figure+json`` / ``...table+json``), an HTML version for JupyterLab and
the HTML report, and plain text. Text that comes from data is escaped here, once.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

import pandas as pd

FIGURE_MIME = "application/vnd.tightrope.figure+json"
TABLE_MIME = "application/vnd.tightrope.table+json"


def svg_of(fig) -> str:
    """The figure as deterministic SVG text (no date, fixed ids); closes the figure."""
    import matplotlib.pyplot as plt  # here: merging and exporting a report never draw

    from .theme import save

    buffer = io.StringIO()
    save(fig, buffer, format="svg", metadata={"Date": None, "Creator": "Tightrope"})
    plt.close(fig)
    return buffer.getvalue()


def _source_html(source: str, note: str | None) -> str:
    small = 'style="font-size:smaller;color:#555"'  # JupyterLab: reads as a source line
    out = f'<p class="tr-source" {small}>{html.escape(source)}</p>'
    if note:
        out += f'<p class="tr-note" {small}>{html.escape(note)}</p>'
    return out


@dataclass
class Figure:
    number: str
    caption: str
    alt: str
    source: str
    svg: str
    note: str | None = None
    size_in: tuple[float, float] = (6.6, 3.3)
    source_ids: tuple[str, ...] = ()  # what the source line cites (Appendix B lists these)

    @property
    def id(self) -> str:
        return "fig-" + self.number.replace(".", "-")

    def payload(self) -> dict:
        return {"id": self.id, "number": self.number, "caption": self.caption, "alt": self.alt,
                "source": self.source, "note": self.note, "svg": self.svg,
                "width_in": self.size_in[0], "height_in": self.size_in[1],
                "source_ids": list(self.source_ids)}

    def to_html(self) -> str:
        data = base64.b64encode(self.svg.encode()).decode()
        return (f'<figure class="tr-figure" id="{self.id}">'
                f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(self.alt)}">'
                f'<figcaption><span class="tr-num">Figure {self.number}.</span> '
                f"{html.escape(self.caption)}</figcaption>"
                f"{_source_html(self.source, self.note)}</figure>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {FIGURE_MIME: self.payload(), "text/html": self.to_html(),
                "text/plain": f"Figure {self.number}. {self.caption}"}


def _looks_numeric(column: pd.Series) -> bool:
    """Formatted numbers such as '3,825' or '12.5%' are right-aligned too, as is a number
    with its medium-confidence mark ('3,773†'), another record's reading beside it ('541
    (or 300)', '541 (denied)') or the source's qualifier before it ('at least 218†')."""
    text = column.dropna().astype(str)
    return bool(len(text)) and text.str.fullmatch(
        r"(?:about |at least )?[-+]?[\d,.]+%?†?( \((?:or [^)]+|denied)\))?|n/a|–").all()


@dataclass
class Table:
    number: str
    caption: str
    source: str
    columns: list[str]
    rows: list[list[str]]
    align: list[str] = field(default_factory=list)
    note: str | None = None
    source_ids: tuple[str, ...] = ()  # what the source line cites (Appendix B lists these)

    @property
    def id(self) -> str:
        return "tab-" + self.number.replace(".", "-")

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, number: str, caption: str, source: str,
                   note: str | None = None, source_ids=()) -> Table:
        """Cells are formatted as text; numeric columns are right-aligned."""
        align = ["right" if pd.api.types.is_numeric_dtype(frame[c]) or _looks_numeric(frame[c])
                 else "left" for c in frame.columns]
        rows = [["" if pd.isna(v) else str(v) for v in row]
                for row in frame.itertuples(index=False, name=None)]
        return cls(number, caption, source, [str(c) for c in frame.columns], rows, align, note,
                   tuple(dict.fromkeys(source_ids)))

    def payload(self) -> dict:
        return {"id": self.id, "number": self.number, "caption": self.caption,
                "source": self.source, "note": self.note, "columns": self.columns,
                "align": self.align or ["left"] * len(self.columns), "rows": self.rows,
                "source_ids": list(self.source_ids)}

    def to_html(self) -> str:
        align = self.align or ["left"] * len(self.columns)
        # the alignment inline as well as by class: JupyterLab has no CSS for our classes and
        # right-aligns every cell of an output table (the report's HTML comes from the payload)
        head = "".join(f'<th class="tr-{a}" style="text-align:{a}">{html.escape(c)}</th>'
                       for c, a in zip(self.columns, align, strict=True))
        body = "".join("<tr>" + "".join(
            f'<td class="tr-{a}" style="text-align:{a}">{html.escape(v)}</td>'
            for v, a in zip(row, align, strict=True)) + "</tr>" for row in self.rows)
        return (f'<figure class="tr-table" id="{self.id}"><figcaption><span class="tr-num">'
                f"Table {self.number}.</span> {html.escape(self.caption)}</figcaption>"
                f'<div class="tr-table-wrap"><table><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table></div>{_source_html(self.source, self.note)}"
                "</figure>")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {TABLE_MIME: self.payload(), "text/html": self.to_html(),
                "text/plain": f"Table {self.number}. {self.caption}"}


class Prose:
    """Data-driven text: Markdown whose data-derived parts were escaped with prose.md()."""

    def __init__(self, markdown: str):
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown


#: display metadata that marks a "nothing to show" statement: the merge drops a subsection
#: (its heading too) whose outputs say only that
NOTHING_META = {"tightrope": {"nothing": True}}


class Nothing(Prose):
    """The statement that a part of a section has nothing to show in this edition. Shown as it
    is when a notebook runs on its own; the merged report drops the whole subsection."""

    def _repr_markdown_(self):
        return self.markdown, NOTHING_META


class NothingText(str):
    """Plain text of a "nothing to show" statement (what NotYet.sentence returns): section
    code that passes it to ``s.text`` gets a :class:`Nothing`."""
