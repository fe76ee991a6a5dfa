"""Merge executed section notebooks into the one report notebook the exporters render."""

from __future__ import annotations

import copy
import re

import nbformat

from .figures import Table
from .sections import SectionSpec

_H1 = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_SKIP_TAGS = {"parameters", "injected-parameters", "remove-cell"}

TITLE = "Tightrope"
SUBTITLE = "Armenia between Russia and the West: the shift from reliance to hedging, and its cost"
KEYWORDS = ["Armenia", "Russia", "Azerbaijan", "Nagorno-Karabakh", "CSTO", "European Union",
            "security", "arms imports", "trade", "remittances"]


def _section_cells(nb, spec: SectionSpec) -> list:
    cells = []
    numbered = False
    for index, cell in enumerate(nb.cells):
        if _SKIP_TAGS & set(cell.metadata.get("tags", [])):
            continue
        cell = copy.deepcopy(cell)
        cell["id"] = f"s{spec.key}-{index}"
        tr = cell.metadata.setdefault("tightrope", {})
        tr["section"] = spec.key
        if spec.appendix:
            tr["appendix"] = True
        if not numbered and cell.cell_type == "markdown" and _H1.search(cell.source):
            cell.source = _H1.sub(f"# {spec.heading}", cell.source, count=1)
            tr["anchor"] = f"sec-{spec.key}"
            numbered = True
        cells.append(cell)
    if not numbered:
        heading = nbformat.v4.new_markdown_cell(f"# {spec.heading}", id=f"s{spec.key}-h")
        heading.metadata["tightrope"] = {"section": spec.key, "anchor": f"sec-{spec.key}",
                                         "appendix": spec.appendix}
        cells.insert(0, heading)
    return cells


def _table_cell(table: Table, key: str, intro: str, heading: str, appendix_id: str) -> list:
    head = nbformat.v4.new_markdown_cell(f"# {heading}\n\n{intro}", id=f"{key}-h")
    head.metadata["tightrope"] = {"section": appendix_id, "anchor": f"sec-{key}",
                                  "appendix": True}
    body = nbformat.v4.new_code_cell("", id=f"{key}-t")
    body.outputs = [nbformat.v4.new_output("display_data", data=table._repr_mimebundle_())]
    body.metadata["tightrope"] = {"section": appendix_id, "appendix": True}
    return [head, body]


def merge(executed: list[tuple[SectionSpec, object]], meta: dict,
          bibliography: Table | None = None) -> nbformat.NotebookNode:
    """One notebook: the sections in order, then the bibliography appendix; metadata for the
    title page and colophon in ``metadata.tightrope``."""
    report = nbformat.v4.new_notebook()
    for spec, nb in executed:
        report.cells.extend(_section_cells(nb, spec))
    if bibliography is not None:
        report.cells.extend(_table_cell(
            bibliography, "bibliography",
            "Every source the evidence base cites for what this edition shows. Figures read in a "
            "copy name the primary publisher; the copy is listed in the data package.",
            "Appendix B. Sources", "B"))
    report.metadata["tightrope"] = {"title": TITLE, "subtitle": SUBTITLE,
                                    "author": "Tightrope project", "keywords": KEYWORDS, **meta}
    if executed:
        report.metadata["kernelspec"] = executed[0][1].metadata.get("kernelspec", {})
        report.metadata["language_info"] = executed[0][1].metadata.get("language_info", {})
    return report
