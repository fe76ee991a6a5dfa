"""Cross-references in the HTML: 'Figure 4.2', 'Table 7.1', 'section 3' and 'Appendix B' in the
text become links to what they name (a reader of the HTML counted 86 mentions of figures and
tables and 65 of sections, none linked, on a page some 120 phone screens long).

Targets come from the rendered page itself (each figure's and table's id beside its number,
each part's anchor beside its heading), so a link is made only where its target exists. Text is
walked as a parsed tree (BeautifulSoup), never inside a link, a heading, a caption or code.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString

#: a rendered figure or table: its id and the number in its caption
_NUMBERED = re.compile(r'<figure class="tr-(figure|table)[^"]*" id="([^"]+)"><figcaption>'
                       r'<span class="tr-num">(?:Figure|Table) ([^<.]+(?:\.[^<.]+)*)\.</span>')
#: a mention: the word and its numbers ('Figures 3.2 and 3.3'), a section or an appendix
_MENTION = re.compile(
    r"\b(?P<kind>Figures?|Tables?)\s(?P<nums>\d+\.\d+(?:(?:,\s|\sand\s|–)\d+\.\d+)*)"
    r"|\b(?P<sec>[Ss]ections?)\s(?P<secs>\d+(?:(?:,\s|\sand\s|–)\d+)*)"
    r"|\bAppendix\s(?P<app>[A-Z])\b")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: no link inside these (a link, a heading, a figure's own caption, code)
_SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "code", "pre", "script", "style"}
#: the quick test a cell's HTML must pass before it is parsed at all
_ANY = re.compile(r"\b(?:Figures?|Tables?|[Ss]ections?|Appendix)\s[\dA-Z]")


def targets(cell_html: list[str], toc: list[dict]) -> dict[str, str]:
    """{'Figure 4.2': id, 'Table 7.1': id, 'section 3': anchor, 'Appendix B': anchor} from the
    rendered cells and the contents entries ({'text': '3. Russian ...', 'anchor': ...})."""
    found: dict[str, str] = {}
    for html in cell_html:
        for kind, ident, number in _NUMBERED.findall(html):
            found.setdefault(f"{kind.capitalize()} {number}", ident)
    for entry in toc:
        text = str(entry.get("text", ""))
        part = re.match(r"(\d+)\.\s|Appendix ([A-Z])\.?\s", text)
        if part and part.group(1):
            found.setdefault(f"section {int(part.group(1))}", entry["anchor"])
        elif part:
            found.setdefault(f"Appendix {part.group(2)}", entry["anchor"])
    return found


def link_mentions(html: str, found: dict[str, str]) -> str:
    """``html`` with each mention whose target is in ``found`` made a link to it."""
    if not found or not _ANY.search(html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for text in list(soup.find_all(string=_ANY)):
        if any(parent.name in _SKIP for parent in text.parents):
            continue
        pieces = _linked(str(text), found, soup)
        if pieces is not None:
            text.replace_with(*pieces)
    return str(soup)


def _linked(text: str, found: dict[str, str], soup) -> list | None:
    """``text`` as strings and <a> tags, or None when nothing in it has a target. The first
    number of a mention links with its word ('Figures 3.2'), the next ones alone ('3.3')."""
    out: list = []
    at, linked = 0, False
    for m in _MENTION.finditer(text):
        group = next(g for g in ("nums", "secs", "app") if m.group(g))
        word = {"nums": (m.group("kind") or "").rstrip("s"), "secs": "section",
                "app": "Appendix"}[group]
        spans = ([m.span(group)] if group == "app" else
                 [(m.start(group) + n.start(), m.start(group) + n.end())
                  for n in _NUMBER.finditer(m.group(group))])
        for k, (begin, end) in enumerate(spans):
            start = m.start() if k == 0 else begin  # the first link takes the word too
            out.append(text[at:start])
            ident = found.get(f"{word} {text[begin:end]}")
            if ident is None:
                out.append(text[start:end])
            else:
                tag = soup.new_tag("a", href=f"#{ident}")
                tag.string = text[start:end]
                out.append(tag)
                linked = True
            at = end
    out.append(text[at:])
    if not linked:
        return None
    return [NavigableString(p) if isinstance(p, str) else p for p in out if p != ""]
