"""Merge executed section notebooks into the one report notebook the exporters render."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re

import nbformat
import pandas as pd

from . import params as _params
from .appendix import exceptions, exceptions_text
from .figures import Table
from .prose import md
from .sections import SectionSpec

_H1 = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)
_SKIP_TAGS = {"parameters", "injected-parameters", "remove-cell"}

TITLE = "Tightrope"
SUBTITLE = "Armenia between Russia and the West: the shift from reliance to hedging, and its cost"
#: an edition dated before the shift its key findings read (fewer than MIN_BREAK_STEPS changes
#: known): the subtitle names no shift it could not yet have seen (an outside reader)
SUBTITLE_BEFORE = "Armenia between Russia and the West: reliance, hedging and their cost"
#: the author and publisher when the edition's parameters name none (params.py holds the defaults
#: a build uses; these serve a merge of notebooks made without them)
AUTHOR = PUBLISHER = _params.PARAMS[_params.PARAM_NAMES.index("author")].default

#: abbreviations a reader may meet; the glossary lists those the edition actually uses
GLOSSARY = {
    "AMD": "Armenian dram, Armenia's currency",
    "APC": "armoured personnel carrier",
    "APV": "armoured patrol vehicle",
    "CEPA": "Comprehensive and Enhanced Partnership Agreement (EU–Armenia, signed 2017)",
    # one line each where a line will do (Appendix C shares its page with the citation)
    "CERD": "International Convention on the Elimination of All Forms of Racial Discrimination "
            "(a UN treaty)",
    "CIS": "Commonwealth of Independent States",
    "CRRC": "Caucasus Research Resource Centers, which run the Caucasus Barometer survey",
    "CSTO": "Collective Security Treaty Organization, the Russian-led military alliance",
    "EAEU": "Eurasian Economic Union, the Russian-led customs and economic union",
    "ES-11": "the UN General Assembly's emergency special session on Ukraine (resolutions "
             "ES-11/1, ES-11/2 …)",
    "EU": "European Union",
    "EUMA": "European Union Mission in Armenia, the EU's civilian monitoring mission",
    "EUMCAP": "EU Monitoring Capacity, the short mission that preceded EUMA",
    "FGA": "fighter/ground-attack aircraft",
    "FSB": "Federal Security Service of Russia, which commands Russia's border guards",
    "GDP": "gross domestic product",
    "HHI": "Herfindahl–Hirschman index, a measure of concentration (here: of arms suppliers)",
    "HS": "Harmonized System, the customs classification of goods",
    "ICC": "International Criminal Court",
    "ICJ": "International Court of Justice",
    "ICRC": "International Committee of the Red Cross",
    "IRI": "International Republican Institute, which runs opinion surveys in Armenia",
    "MRL": "multiple rocket launcher",
    "NATO": "North Atlantic Treaty Organization",
    "OSCE": "Organization for Security and Co-operation in Europe (Minsk Group co-chairs: "
            "France, Russia, US)",
    "SAM": "surface-to-air missile",
    "RFE/RL": "Radio Free Europe/Radio Liberty",
    "SIPRI": "Stockholm International Peace Research Institute",
    "SSM": "surface-to-surface missile",
    "TEL": "transporter erector launcher (of a missile system)",
    "TIV": "trend-indicator value, SIPRI's measure of military capability transferred (not money)",
    "TRIPP": "Trump Route for International Peace and Prosperity, the 2025 transit route "
             "across Syunik",
    "UAV": "unmanned aerial vehicle (drone)",
    "UN": "United Nations",
    "UNGA": "United Nations General Assembly",
    "USD": "US dollars",
}

KEYWORDS = ["Armenia", "Russia", "Azerbaijan", "Nagorno-Karabakh", "CSTO", "European Union",
            "security", "arms imports", "trade", "remittances"]


def _says_nothing(cell) -> bool:
    """A code cell that displays nothing, or only an empty text or a "nothing to show"
    statement (analysis.figures.Nothing)."""
    from .figures import NOTHING_META

    for output in cell.get("outputs", []):
        if output.get("output_type") not in ("display_data", "execute_result"):
            continue
        data = output.get("data", {})
        marked = output.get("metadata", {}).get("text/markdown") == NOTHING_META
        if marked or (set(data) <= {"text/markdown", "text/plain"}
                      and not str(data.get("text/markdown", "")).strip()):
            continue
        return False
    return True


def _drop_empty_subsections(cells: list) -> list:
    """Without the subsections (a '## ' heading up to the next heading) whose code displays
    nothing but a "nothing to show" statement: an empty part is left out, heading and all."""
    out, block = [], []

    def flush():
        codes = [c for c in block if c.cell_type == "code"]
        if not (block and block[0].cell_type == "markdown"
                and block[0].source.lstrip().startswith("## ") and codes
                and all(_says_nothing(c) for c in codes)):
            out.extend(block)
        block.clear()

    for cell in cells:
        head = cell.source.lstrip()[:3] if cell.cell_type == "markdown" else ""
        if head.startswith("# ") or head == "## ":
            flush()
            if head.startswith("# "):
                out.append(cell)
                continue
        block.append(cell)
    flush()
    return out


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
    return _drop_empty_subsections(cells)


def _table_cell(table, key: str, intro: str, heading: str, appendix_id: str) -> list:
    head = nbformat.v4.new_markdown_cell(f"# {heading}\n\n{intro}", id=f"{key}-h")
    head.metadata["tightrope"] = {"section": appendix_id, "anchor": f"sec-{key}",
                                  "appendix": True}
    body = nbformat.v4.new_code_cell("", id=f"{key}-t")
    body.outputs = [nbformat.v4.new_output("display_data", data=table._repr_mimebundle_())]
    body.metadata["tightrope"] = {"section": appendix_id, "appendix": True}
    return [head, body]


def _text_of(nb) -> str:
    """All the reader-visible text of a notebook (Markdown, outputs and their payloads)."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            for value in output.get("data", {}).values():
                parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def _mentions(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` with no letter either side (as the regular expression
    ``(?<![A-Za-z])word(?![A-Za-z])``, but found by substring search: the text holds the charts'
    SVG, megabytes long)."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if not (at and _is_ascii_letter(text[at - 1])) and \
                not (end < len(text) and _is_ascii_letter(text[end])):
            return True
        at = text.find(word, at + 1)
    return False


def _is_ascii_letter(char: str) -> bool:
    return "A" <= char <= "Z" or "a" <= char <= "z"


def glossary_table(text: str) -> Table | None:
    """The abbreviations of :data:`GLOSSARY` that appear in ``text``, as a table."""
    used = [(k, v) for k, v in sorted(GLOSSARY.items()) if _mentions(text, k)]
    if not used:
        return None
    frame = pd.DataFrame(used, columns=["Abbreviation", "Meaning"])
    return Table.from_frame(frame, "C.1", "Abbreviations used in this edition",
                            "Source: Tightrope project.")


def creators(meta: dict) -> tuple[str, str]:
    """(author, publisher) of the edition, from its parameters (``meta["params"]`` pairs)."""
    shown = dict(tuple(p) for p in meta.get("params") or [])
    return shown.get("author") or AUTHOR, shown.get("publisher") or PUBLISHER


def revision_year(meta: dict) -> int | None:
    """The year of the commit the edition was built from (the colophon's ``commit_date``), the
    year it was made; None when unknown."""
    made = str((meta.get("colophon") or {}).get("commit_date") or "")
    return int(made[:4]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", made) else None


def citation(meta: dict, title: str = TITLE, subtitle: str = SUBTITLE,
             author: str = AUTHOR, publisher: str | None = None) -> str:
    """The suggested citation (Markdown), from the edition's date and the build's commit; the
    publisher is named after the title unless it is the author. The year is the commit's: an
    edition dated 2023 built from a revision of 2026 was published in 2026 (else the edition's)."""
    edition = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
    commit = str((meta.get("colophon") or {}).get("commit") or "")[:7]
    year = revision_year(meta) or (edition.year if edition else "n.d.")
    when = f"{edition.day} {edition:%B %Y}" if edition else "undated"
    text = (f"{md(author)} ({year}). *{md(title)}: {md(subtitle)}*. "
            + (f"{md(publisher)}. " if _params.byline(author, publisher) != author else "")
            + f"Edition of {when}")
    if as_of and as_of != edition:
        text += f", data as of {as_of.day} {as_of:%B %Y}"
    text += "."
    if commit:
        text += f" Built from revision {md(commit)} of the Tightrope repository."
    return text


def _back_matter(text: str, meta: dict, author: str = AUTHOR,
                 publisher: str | None = None, revised_series: bool = False,
                 later_copies: bool = False) -> list:
    """Appendix C: the abbreviations the edition uses, then the suggested citation."""
    table = glossary_table(text)
    head = nbformat.v4.new_markdown_cell(
        "# Appendix C. Abbreviations and citation\n\n## Abbreviations\n\n"
        + ("The abbreviations this edition uses, spelled out." if table is not None
           else "This edition uses no abbreviation that needs spelling out."), id="backmatter-h")
    head.metadata["tightrope"] = {"section": "C", "anchor": "sec-glossary", "appendix": True}
    cells = [head]
    if table is not None:
        body = nbformat.v4.new_code_cell("", id="backmatter-t")
        body.outputs = [nbformat.v4.new_output("display_data", data=table._repr_mimebundle_())]
        body.metadata["tightrope"] = {"section": "C", "appendix": True}
        cells.append(body)
    cite = nbformat.v4.new_markdown_cell(
        "## How to cite this report\n\n" + citation(meta, subtitle=meta.get("subtitle", SUBTITLE),
                                                    author=author, publisher=publisher)
        + "\n\nThe edition's date is its cut-off: nothing published after that date is used"
        + (f", except {but}" if (but := exceptions_text(revised_series, later_copies)) else "")
        + ". Each edition is rebuilt from the evidence base and records its parameters in the "
        "colophon.", id="backmatter-c")
    cite.metadata["tightrope"] = {"section": "C", "appendix": True}
    return [*cells, cite]


def _front_meta(meta: dict, revised_series: bool = False, later_copies: bool = False) -> dict:
    """Title-page fields: the parameter block moves to the colophon; a one-line note says what
    the edition's date means (and, when annual series come from later releases, where the data
    note naming them is)."""
    meta = dict(meta)
    params = meta.pop("params", None) or []
    as_of = dt.date.fromisoformat(meta["as_of"]) if meta.get("as_of") else None
    if as_of:
        when = f"{as_of.day} {as_of:%B %Y}"
        but = exceptions(revised_series, later_copies)
        built = revision_year(meta)
        lead = (f"Built in {built} from the revision named in the colophon, this edition"
                if built and built > as_of.year else "This edition")
        meta["as_of_note"] = (
            f"{lead} uses only what was published on or before {when}; "
            + ("nothing later is shown." if not but else
               f"the {'one exception is' if len(but) == 1 else 'two exceptions are'} "
               f"{exceptions_text(revised_series, later_copies)}."))
    colophon = dict(meta.get("colophon") or {})
    if params:
        colophon["params"] = [list(p) for p in params]
        listed = "; ".join(f"{k} = {v}" for k, v in params)
        # the years bound yearly series only: a reader saw start_year 2000 beside a 1988 event
        colophon["note"] = (colophon.get("note", "") + " Parameters of this edition (the years "
                            f"bound yearly figures, not dated events): {listed}.").strip()
    if colophon:
        meta["colophon"] = colophon
    return meta


def merge(executed: list[tuple[SectionSpec, object]], meta: dict,
          bibliography=None) -> nbformat.NotebookNode:
    """One notebook: the sections in order, then the bibliography appendix; metadata for the
    title page and colophon in ``metadata.tightrope``."""
    report = nbformat.v4.new_notebook()
    for spec, nb in executed:
        report.cells.extend(_section_cells(nb, spec))
    # figures from releases after the edition's date, named in a data note (not a note that
    # newer data exist, which the edition does not use)
    revised = bool(getattr(bibliography, "later_releases", False))
    copies = bool(getattr(bibliography, "later_copies", False))
    if bibliography is not None:
        report.cells.extend(_table_cell(
            bibliography, "bibliography",
            "The sources this edition cites, each published on or before its date"
            + (", except the later releases the data note names" if revised else "")
            + ". An entry names the primary publisher, the item and, where the figures were read "
            # 'not located' did not fit an entry that gives the publisher's address (a reader)
            "in a copy, that copy, after “Via” (the figures were not read in the publisher's own "
            "copy, even where its address is given, unless the entry calls the copy an exact one"
            + ("; an entry whose only copies were made after the edition's date says so"
               if copies else "") + ").",
            "Appendix B. Sources", "B"))
    author, publisher = creators(meta)
    meta = _front_meta(meta, revised_series=revised, later_copies=copies)
    report.cells.extend(_back_matter(_text_of(report), meta, author, publisher, revised,
                                     copies))
    line = _params.byline(author, publisher)
    # the title page's author/publisher line: "author" in the PDF, the kicker in the HTML
    report.metadata["tightrope"] = {"title": TITLE, "subtitle": SUBTITLE, "kicker": line,
                                    **meta, "author": line, "keywords": KEYWORDS}
    if executed:
        report.metadata["kernelspec"] = executed[0][1].metadata.get("kernelspec", {})
        report.metadata["language_info"] = executed[0][1].metadata.get("language_info", {})
    return report
