"""The project's structured outputs (figure, table, claim, bibliography) as HTML.

The payloads are the JSON objects described in docs (PAYLOADS): RAW text, escaped here once
(markupsafe). URLs become links only when they are http(s). The Typst side lives in
``typst_exporter`` (``tr-claim`` / ``tr-bibliography`` in the template).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from markupsafe import Markup, escape

FIGURE_MIME = "application/vnd.tightrope.figure+json"
TABLE_MIME = "application/vnd.tightrope.table+json"
CLAIM_MIME = "application/vnd.tightrope.claim+json"
BIBLIOGRAPHY_MIME = "application/vnd.tightrope.bibliography+json"
PROJECT_MIMES = (FIGURE_MIME, TABLE_MIME, CLAIM_MIME, BIBLIOGRAPHY_MIME)

VERDICTS = ("supported", "partly supported", "disputed", "not verifiable", "not yet verifiable")
_HTTP = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)
_ID = re.compile(r"[^A-Za-z0-9_-]+")
#: the most columns a table has that fits a phone's width as a table (wider ones become cards)
NARROW_COLUMNS = 3


def load(value: Any) -> dict:
    if isinstance(value, (str, bytes)):
        value = json.loads(value)
    return dict(value)


def http_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) URL (the only kind we link), else None."""
    if isinstance(url, str) and _HTTP.match(url.strip()):
        return url.strip()
    return None


def verdict_class(verdict: str) -> str:
    return "tr-verdict-" + _ID.sub("-", (verdict or "unknown").strip().lower())


def _link(url: Any, text: str | None = None) -> Markup:
    href = http_url(url)
    if href is None:
        return escape(text or (url or ""))
    return Markup('<a href="{}">{}</a>').format(href, text or href)


def _source_lines(p: dict) -> Markup:
    out = Markup("")
    if p.get("source"):
        out += Markup('<p class="tr-source">{}</p>').format(p["source"])
    if p.get("note"):
        out += Markup('<p class="tr-note">{}</p>').format(p["note"])
    return out


def figure_html(p: dict, ctx) -> Markup:
    svg = str(p.get("svg") or "")
    if not svg.strip():
        ctx.warn(f"HTML export: figure {p.get('number', '?')} in {ctx.where} has no image")
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    ident = ctx.unique_id(str(p.get("id") or "figure"), "fig")
    return Markup(
        '<figure class="tr-figure" id="{}"><figcaption><span class="tr-num">Figure {}.</span> {}'
        '</figcaption><div class="tr-fig-img" role="region" tabindex="0" aria-label="Figure {}">'
        '<img src="data:image/svg+xml;base64,{}" alt="{}"></div>{}</figure>'
    ).format(ident, p.get("number", ""), p.get("caption", ""), p.get("number", ""), data,
             p.get("alt") or p.get("caption") or "figure", _source_lines(p))


def table_html(p: dict, ctx) -> Markup:
    columns = [str(c) for c in p.get("columns") or []]
    align = list(p.get("align") or [])
    align = [(a if a in ("left", "right", "center") else "left") for a in align]
    align = (align + ["left"] * len(columns))[: len(columns)]
    head = Markup("").join(Markup('<th scope="col" class="tr-{}">{}</th>').format(a, c)
                           for c, a in zip(columns, align, strict=True))
    rows = Markup("")
    for row in p.get("rows") or []:
        cells = [("" if v is None else str(v)) for v in row]
        cells = (cells + [""] * len(columns))[: len(columns)]
        rows += Markup("<tr>{}</tr>").format(Markup("").join(
            Markup('<td class="tr-{}" data-label="{}">{}</td>').format(a, c, v)
            for v, a, c in zip(cells, align, columns, strict=True)))
    ident = ctx.unique_id(str(p.get("id") or "table"), "tab")
    # a table of three columns or fewer stays a table on a phone (cards repeated its labels)
    narrow = " tr-narrow" if len(columns) <= NARROW_COLUMNS else ""
    return Markup(
        '<figure class="tr-table{narrow}" id="{ident}"><figcaption><span class="tr-num">Table {num}.</span>'
        ' {cap}</figcaption><div class="tr-table-wrap" role="region" tabindex="0" '
        'aria-label="Table {num}"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
        '</table></div>{src}</figure>'
    ).format(narrow=narrow, ident=ident, num=p.get("number", ""), cap=p.get("caption", ""),
             head=head,
             rows=rows, src=_source_lines(p))


def source_anchor(source_id: Any) -> str:
    """The id of a source's entry in Appendix B (``src-`` and the id, made safe)."""
    return "src-" + _ID.sub("-", str(source_id or ""))


def listed_sources(nb) -> frozenset[str]:
    """The ids of the sources the notebook's bibliography payload lists."""
    ids = set()
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            data = (out.get("data") or {}).get(BIBLIOGRAPHY_MIME)
            if data is None:
                continue
            try:
                ids.update(str(e.get("id")) for e in load(data).get("entries") or []
                           if isinstance(e, dict) and e.get("id"))
            except (ValueError, TypeError):
                continue
    return frozenset(ids)


def _claim_source(s: dict, listed: frozenset[str]) -> Markup:
    """A claim's source: a link to its entry in Appendix B when the document lists it (the
    entry gives the publisher's address; a reader found the two parts unlinked), else to its
    own address, else its label."""
    label = s.get("label") or s.get("id") or ""
    if s.get("id") and str(s["id"]) in listed:
        return Markup('<a href="#{}">{}</a>').format(source_anchor(s["id"]), label)
    return _link(s.get("url"), label)


def claim_html(p: dict, ctx) -> Markup:
    verdict = str(p.get("verdict") or "not verifiable")
    ident = ctx.unique_id("claim-" + str(p.get("id") or ""), "claim")
    evidence = Markup("").join(Markup("<li>{}</li>").format(e) for e in p.get("evidence") or [])
    listed = getattr(ctx, "sources", frozenset())
    sources = Markup("").join(
        Markup("<li>{}</li>").format(_claim_source(s, listed))
        for s in p.get("sources") or [] if isinstance(s, dict))
    parts = Markup(
        '<article class="tr-claim {}" id="{}"><header class="tr-claim-head"><h4>'
        '<span class="tr-claim-id">{}</span> <span class="tr-badge">{}</span></h4></header>'
        '<p class="tr-claim-text">{}</p>'
    ).format(verdict_class(verdict), ident, p.get("id", ""), verdict, p.get("claim", ""))
    if p.get("reasoning"):
        parts += Markup('<p class="tr-claim-reasoning">{}</p>').format(p["reasoning"])
    if evidence:
        parts += Markup('<div class="tr-claim-part"><h5>Evidence</h5><ul>{}</ul></div>').format(
            evidence)
    if sources:
        parts += Markup('<div class="tr-claim-part"><h5>Sources</h5><ul>{}</ul></div>').format(
            sources)
    if p.get("after"):
        parts += Markup('<p class="tr-claim-after"><strong>Since then:</strong> {}</p>').format(
            p["after"])
    return parts + Markup("</article>")


def full_stop(text: str) -> str:
    """The full stop ``text`` still needs: '' after '.', '?' or '!', else '.'."""
    return "" if text.endswith((".", "?", "!")) else "."


def sentence(text) -> str:
    """``text`` ending with one full stop."""
    text = str(text).strip()
    return text + full_stop(text)


def bibliography_parts(e: dict) -> list[tuple[str, str]]:
    """One entry of Appendix B as (kind, text) pieces, each a sentence, in reading order: the
    one description both exporters render (kinds: publisher, title, locator, date, via)."""
    parts = [("publisher", sentence(e.get("publisher", "")))]
    if e.get("title"):
        parts.append(("title", str(e["title"]).strip()))
    for kind, value in (("locator", e.get("locator")), ("date", e.get("date") or "n.d."),
                        ("via", f"Via {e['via']}" if e.get("via") else None)):
        if value:
            value = str(value).strip()
            if kind == "locator":  # a sentence of its own starts with a capital ('. statement
                # of 15 Jun 2023' read as a broken sentence: a reader); 'n.d.' stays as it is
                value = value[:1].upper() + value[1:]
            parts.append((kind, sentence(value)))
    return parts


_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)


def linked_text(text: str) -> Markup:
    """``text`` escaped, each http(s) address in it a link (punctuation after it left out of
    the link: 'https://a.am/x;' links https://a.am/x)."""
    out, at = Markup(""), 0
    for m in _URL_IN_TEXT.finditer(text):
        url = m.group(0).rstrip(".,;:)]")
        out += escape(text[at:m.start()]) + _link(url)
        at = m.start() + len(url)
    return out + escape(text[at:])


def bibliography_notes(p: dict) -> list[str]:
    """The notes above the list (e.g. the data note on later releases), as plain text."""
    return [str(n) for n in p.get("notes") or [] if isinstance(n, str) and n.strip()]


def bibliography_entry_html(e: dict) -> Markup:
    bits = []
    for kind, text in bibliography_parts(e):
        if kind == "publisher":
            bits.append(Markup('<span class="tr-bib-publisher">{}</span>').format(text))
        elif kind == "title":
            bits.append(Markup("<cite>{}</cite>").format(text) + full_stop(text))
        else:
            bits.append(linked_text(text))
    if http_url(e.get("url")):
        bits.append(_link(e["url"]))
    return Markup('<li id="{}">{}</li>').format(source_anchor(e.get("id")),
                                                  Markup(" ").join(bits))


def bibliography_html(p: dict, ctx) -> Markup:
    entries = Markup("").join(bibliography_entry_html(e) for e in p.get("entries") or []
                              if isinstance(e, dict))
    notes = Markup("").join(Markup('<p class="tr-note">{}</p>').format(n)
                            for n in bibliography_notes(p))
    return Markup('<section class="tr-bibliography" aria-label="{}">{}<ul>{}</ul></section>'
                  ).format(p.get("title") or "Sources", notes, entries)


RENDERERS = {FIGURE_MIME: figure_html, TABLE_MIME: table_html, CLAIM_MIME: claim_html,
             BIBLIOGRAPHY_MIME: bibliography_html}


def render_html(data: dict, ctx) -> Markup | None:
    """HTML for the first project payload in ``data``; None when there is none."""
    for mime, render in RENDERERS.items():
        if mime in data:
            try:
                return render(load(data[mime]), ctx)
            except (ValueError, TypeError, AttributeError, KeyError) as exc:
                ctx.warn(f"HTML export: malformed {mime} payload in {ctx.where}: {exc}")
                return Markup('<p class="tr-placeholder">[{}]</p>').format(
                    "Output not shown: malformed report payload")
    return None
