"""The report's HTML: nbconvert with the project's own template, one portable file, no code."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path

import nbconvert
from nbconvert.exporters import HTMLExporter
from traitlets import default

from . import crossrefs
from .html_render import HTMLContext, local_path, render_cell
from .notebook import check_notebook, is_report, notebook_title, param_pairs, tightrope_meta
from .payloads import listed_sources

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _long_date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return text or ""
    return f"{day.day} {day:%B %Y}"


def report_meta(nb, resources: dict | None = None) -> dict:
    """Title-block data from the notebook's ``tightrope`` metadata, with plain-notebook fallbacks."""
    meta = tightrope_meta(nb.metadata)
    meta["title"] = notebook_title(nb, resources)
    meta.setdefault("subtitle", "")
    meta.setdefault("kicker", "Tightrope · data-driven report")
    meta.setdefault("keywords", [])
    meta["params"] = param_pairs(meta.get("params"))
    meta.setdefault("colophon", None)
    meta["date_long"] = _long_date(meta.get("date", ""))
    return meta


def table_of_contents(nb) -> list[dict]:
    """One entry per H1, with an anchor the template places before the heading's cell."""
    toc = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        match = _H1.search(cell.source)
        if not match:
            continue
        tr = tightrope_meta(cell.metadata)
        cell.metadata["tightrope"] = tr
        anchor = tr.get("anchor") or f"sec-{tr.get('section', index)}"
        tr["anchor"] = anchor
        toc.append({"text": match.group(1), "anchor": anchor,
                    "appendix": bool(tr.get("appendix"))})
    return toc


def _prime_post_pass() -> None:
    """Run nbconvert's HTML post-pass (BeautifulSoup and its CSS selectors) once on a tiny page
    when this module is imported: soupsieve compiles its tokenizer patterns on first use (about
    0.2 s), and a process that forks export jobs after importing the exporter (the warm engine)
    then does it once, not in every job. The post-pass runs in every HTML export anyway."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup('<div class="jp-Notebook"><img></div>', features="html.parser")
    for selector in ("img:not([alt])", ".jp-Notebook div.jp-Cell-inputWrapper",
                     ".jp-Notebook div.jp-OutputArea-output"):
        soup.select(selector)


_prime_post_pass()


class ReportHTMLExporter(HTMLExporter):
    """``jupyter nbconvert --to tightrope-html``: the report look for any notebook.

    The notebook is validated once, after all preprocessors have run (nbconvert's
    ``optimistic_validation``), instead of after each of the eleven: same check, one pass over
    a report of several megabytes instead of eleven."""

    export_from_notebook = "Tightrope report (HTML)"

    @default("optimistic_validation")
    def _optimistic_validation_default(self):
        return True

    @default("template_name")
    def _template_name_default(self):
        return "tightrope"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self):
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self):
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self):
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self):
        return True

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = dict(resources or {})
        check_notebook(nb, ((resources.get("metadata") or {}).get("name") or ""))
        nb = copy.deepcopy(nb)
        toc = table_of_contents(nb)
        ctx = HTMLContext(strict=bool(self.sanitize_html), path=local_path(resources),
                          is_report=is_report(nb),
                          ids={"colophon", "main"} | {t["anchor"] for t in toc},
                          sources=listed_sources(nb))
        for index, cell in enumerate(nb.cells):
            # Every cell's HTML is computed here (and overwrites whatever the file held there);
            # the template reads a cell's tightrope metadata as a dict (this is a copy)
            cell.metadata["tightrope"] = tightrope_meta(cell.metadata)
            cell.metadata["tightrope_html"] = str(render_cell(cell, index, ctx))
        # then 'Figure 4.2', 'section 3' ... link to what they name, once every target is known
        found = crossrefs.targets([c.metadata["tightrope_html"] for c in nb.cells], toc)
        for cell in nb.cells:
            cell.metadata["tightrope_html"] = crossrefs.link_mentions(
                cell.metadata["tightrope_html"], found)
        resources.setdefault("tightrope_warnings", []).extend(ctx.warnings)
        resources["tightrope"] = {
            "meta": report_meta(nb, resources),
            "toc": toc,
            "css": (TEMPLATES / "tightrope" / "report.css").read_text(encoding="utf-8"),
            "nbconvert_version": nbconvert.__version__,
            "is_report": is_report(nb),
        }
        body, resources = super().from_notebook_node(nb, resources, **kw)
        return unique_ids(body), resources


_ID_ATTR = re.compile(r'(\sid=")([^"]*)(")')


def unique_ids(html: str) -> str:
    """Rename repeated id attributes (x, x-2, x-3 ...) so every id in the page is unique."""
    seen: set[str] = set()

    def fix(m: re.Match) -> str:
        ident, k = m.group(2), 2
        while ident in seen:
            ident, k = f"{m.group(2)}-{k}", k + 1
        seen.add(ident)
        return m.group(1) + ident + m.group(3)

    return _ID_ATTR.sub(fix, html)
