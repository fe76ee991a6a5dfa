"""Markdown (CommonMark + GFM tables/strikethrough + footnotes) to Typst markup.

The Markdown is parsed with mistune 3 into an AST and every node is turned into Typst markup.
Text is escaped so that anything coming from data (``#import``, ``$``, ``<script>``, ``@x``,
``// comment``, a leading ``- `` or ``1.``) is printed verbatim and never interpreted by Typst.

Structures are emitted as function calls (``#strong[...]``, ``#list(...)``, ``#link("...")[...]``)
rather than Typst's markup shorthands, so nesting never depends on indentation.

Nothing is dropped silently: every element without a Typst rendering (Markdown images, raw
HTML, unknown node types) logs a warning naming the element and the cell, and is reported to
the ``warn`` callback (the exporter collects them in ``resources["tightrope_warnings"]``).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable

from mistune.plugins import import_plugin
from nbconvert.filters.markdown_mistune import MarkdownWithMath

logger = logging.getLogger(__name__)

__all__ = [
    "MarkdownToTypst",
    "escape_text",
    "markdown_to_typst",
    "typst_string",
]

#: Characters that have a meaning somewhere in Typst markup and are always escaped.
_ALWAYS_ESCAPE = frozenset('\\#$*_`<>@[]~"/=')
_LINE_START_ENUM = re.compile(r"[ \t]*\d+\.")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: every line break Typst knows (it also breaks lines at U+0085, U+2028 and U+2029)
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_MONTHS = ("(?:January|February|March|April|May|June|July|August|September|October|November|"
           "December)")
#: where a line never breaks: inside a date ('17 April 2026', '11–20 September', 'May 2019'),
#: between a label and its number ('Figure 4.2', 'section 1', 'USD 9.24', 'p. 67'; not in
#: headings' 'Appendix A', which bookmarks show) and before a
#: dagger ('2022 †'); the spaces of each match become no-break spaces (Typst's ``~``; a show
#: rule in the template did the same at a quarter of the compile's time)
_UNBROKEN = re.compile(
    rf"\b\d{{1,2}}(?:[–-]\d{{1,2}})? {_MONTHS}(?: \d{{4}})?\b(?: \u2020)?"
    rf"|\b{_MONTHS} \d{{4}}\b(?: \u2020)?"
    r"|\b(?:Figures?|Tables?|[Ss]ections?|[Ff]indings?|USD|US\$|pp?\.) (?=[0-9A-Z])"
    r"|\S (?=\u2020)")
_LANG = re.compile(r"^[A-Za-z0-9_+\-.#]+$")
_LABEL = re.compile(r"^[A-Za-z0-9_\-.:]+$")


def escape_text(text: str) -> str:
    """Escape plain text for Typst *markup* mode so that it renders verbatim.

    - ``\\ # $ * _ ` < > @ [ ] ~ " / =`` are always backslash-escaped
      (code, math, strong, emph, raw, labels, references, content blocks, non-breaking space,
      smart quotes, comments/term lists, headings);
    - ``-`` is escaped at the start of the text or of a line (list item, minus sign before a
      digit) and before ``-`` or ``?`` (en/em dash, soft hyphen shorthands);
    - ``+`` is escaped at the start of the text or a line (numbered list);
    - ``12.`` at the start of the text or a line becomes ``12\\.`` (numbered list);
    - an apostrophe after a digit becomes ``’`` (Typst's smart quotes would set a prime there:
      "2023's" as 2023′s);
    - line breaks (including U+0085, U+2028, U+2029) become spaces (callers emit structure
      themselves); control characters
      become spaces;
    - the spaces inside a date, between a label and its number and before a dagger become
      no-break spaces (:data:`_UNBROKEN`).

    Every fragment is treated as if it could start a line: escaping a harmless ``-`` costs
    nothing, missing one changes the document.
    """
    if not text:
        return ""
    text = _CONTROL.sub(" ", _LINE_BREAKS.sub(" ", text))
    text = _UNBROKEN.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)
    out: list[str] = []
    n = len(text)
    line_start = True
    i = 0
    while i < n:
        ch = text[i]
        if line_start:
            m = _LINE_START_ENUM.match(text, i)
            if m:
                out.append(text[i : m.end() - 1] + "\\.")
                i = m.end()
                line_start = False
                continue
        if ch in _ALWAYS_ESCAPE:
            out.append("\\" + ch)
        elif ch == "-":
            nxt = text[i + 1] if i + 1 < n else ""
            if line_start or nxt in ("-", "?") or nxt.isdigit():
                out.append("\\-")
            else:
                out.append("-")
        elif ch == "+" and line_start:
            out.append("\\+")
        elif ch == "'" and i > 0 and text[i - 1].isdigit():
            out.append("\u2019")  # Typst would set a prime (2′s) after a digit; prose means 2’s
        else:
            out.append(ch)
        if ch not in (" ", "\t"):
            line_start = False
        i += 1
    return "".join(out)


def typst_string(text: str) -> str:
    """A Typst string literal (code mode) holding ``text`` exactly."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def content(markup: str) -> str:
    """Wrap Typst markup in a content block."""
    return "[" + markup + "]"


def text_content(text: str) -> str:
    """A content block holding escaped plain text."""
    return "[" + escape_text(text) + "]"


_ALIGN = {"left": "left", "right": "right", "center": "center", None: "left"}


class MarkdownToTypst:
    """Converts Markdown source to Typst markup.

    Parameters
    ----------
    warn:
        Called with a message for every element that cannot be rendered faithfully
        (the message is also logged with ``logger.warning``).
    labels:
        Ids of figures/tables present in the document; Markdown links to ``#<id>`` become
        internal PDF links to them.
    """

    def __init__(
        self,
        warn: Callable[[str], None] | None = None,
        labels: Iterable[str] = (),
        images: Callable[[str, str], str | None] | None = None,
    ) -> None:
        self._warn_cb = warn
        self.labels = set(labels)
        # images(url, alt) -> path of an embedded image asset, or None (placeholder shown).
        self.images = images
        # nbconvert's parser (the one Jupyter's own HTML export uses), so $...$, $$...$$ and
        # \begin{env} are math in exactly the same places in the PDF as in the HTML.
        parser = MarkdownWithMath(
            renderer=None,
            plugins=[import_plugin(p) for p in ("table", "strikethrough", "footnotes", "url")],
        )
        self._md = lambda source: parser.parse(source)[0]
        self.where = ""
        self.headings: list[tuple[int, str]] = []
        self._footnotes: dict[str, list[dict]] = {}

    # ------------------------------------------------------------------ API
    def convert(self, source: str, where: str = "") -> str:
        """Convert one Markdown document (a cell) to Typst markup.

        ``where`` names the cell in warnings (e.g. ``"cell 12"``). After the call,
        ``self.headings`` lists the ``(level, plain text)`` of the headings found.
        """
        self.where = where
        self.headings = []
        tokens = self._md(source or "")
        self._footnotes = {}
        body = []
        for tok in tokens:
            if tok["type"] == "footnotes":
                for item in tok.get("children", []):
                    key = str(item.get("attrs", {}).get("key", ""))
                    self._footnotes[key.lower()] = item.get("children", [])
            else:
                body.append(tok)
        return self.blocks(body).strip("\n") + "\n"

    def warn(self, element: str, detail: str = "") -> None:
        where = f" in {self.where}" if self.where else ""
        msg = f"Typst export: {element}{where} is not supported"
        if detail:
            msg += f" ({detail})"
        logger.warning(msg)
        if self._warn_cb is not None:
            self._warn_cb(msg)

    # --------------------------------------------------------------- blocks
    def blocks(self, tokens: list[dict]) -> str:
        parts = [self.block(t) for t in tokens]
        return "".join(p for p in parts if p)

    def block(self, tok: dict) -> str:
        t = tok["type"]
        meth = getattr(self, "b_" + t, None)
        if meth is not None:
            return meth(tok)
        self.warn(f"Markdown element '{t}'", "rendered as plain text")
        return escape_text(self.plain(tok)) + "\n\n"

    def b_blank_line(self, tok: dict) -> str:
        return ""

    def b_paragraph(self, tok: dict) -> str:
        inner = self.inlines(tok.get("children", []))
        return inner + "\n\n" if inner.strip() else ""

    def b_block_text(self, tok: dict) -> str:
        return self.inlines(tok.get("children", [])) + "\n"

    def b_heading(self, tok: dict) -> str:
        level = int(tok.get("attrs", {}).get("level", 1))
        self.headings.append((level, self.plain(tok).strip()))
        inner = self.inlines(tok.get("children", [])).replace("\n", " ").strip()
        return "=" * level + " " + inner + "\n\n"

    def b_thematic_break(self, tok: dict) -> str:
        return "#tr-rule()\n\n"

    def b_block_code(self, tok: dict) -> str:
        code = tok.get("raw", "")
        code = code.removesuffix("\n")
        info = (tok.get("attrs", {}) or {}).get("info") or ""
        lang = info.split()[0] if info.split() else ""
        args = "block: true, "
        if lang and _LANG.match(lang):
            args += f"lang: {typst_string(lang)}, "
        return f"#raw({args}{typst_string(code)})\n\n"

    def b_block_quote(self, tok: dict) -> str:
        inner = self.blocks(tok.get("children", [])).strip("\n")
        return f"#quote(block: true)[{inner}]\n\n"

    def b_list(self, tok: dict) -> str:
        attrs = tok.get("attrs", {}) or {}
        ordered = bool(attrs.get("ordered"))
        tight = bool(tok.get("tight", True))
        items = []
        for item in tok.get("children", []):
            if item.get("type") != "list_item":
                continue
            inner = self.blocks(item.get("children", [])).strip("\n")
            items.append("[" + inner + "]")
        func = "enum" if ordered else "list"
        args = [f"tight: {'true' if tight else 'false'}"]
        if ordered and attrs.get("start") not in (None, 1):
            args.append(f"start: {int(attrs['start'])}")
        return f"#{func}({', '.join(args)},\n  " + ",\n  ".join(items) + ",\n)\n\n"

    def b_table(self, tok: dict) -> str:
        header: list[str] = []
        aligns: list[str] = []
        rows: list[list[str]] = []
        for part in tok.get("children", []):
            if part["type"] == "table_head":
                for cell in part.get("children", []):
                    header.append(content(self.inlines(cell.get("children", []))))
                    aligns.append(_ALIGN.get((cell.get("attrs") or {}).get("align"), "left"))
            elif part["type"] == "table_body":
                for row in part.get("children", []):
                    cells = [
                        content(self.inlines(c.get("children", [])))
                        for c in row.get("children", [])
                    ]
                    rows.append(cells)
        ncols = len(header)
        rows = [(r + ["[]"] * ncols)[:ncols] for r in rows]
        rows_src = ",\n    ".join("(" + ", ".join(r) + ",)" for r in rows)
        return (
            "#tr-md-table(\n"
            f"  aligns: ({', '.join(aligns)},),\n"
            f"  header: ({', '.join(header)},),\n"
            f"  rows: (\n    {rows_src},\n  ),\n"
            ")\n\n"
            if rows
            else "#tr-md-table(\n"
            f"  aligns: ({', '.join(aligns)},),\n"
            f"  header: ({', '.join(header)},),\n"
            "  rows: (),\n"
            ")\n\n"
        )

    def b_block_html(self, tok: dict) -> str:
        raw = tok.get("raw", "")
        if raw.lstrip().startswith("<!--"):
            # An HTML comment is meant to be invisible: honour that, but say so in the log.
            logger.info("Typst export: HTML comment in %s omitted", self.where or "markdown")
            return ""
        first = raw.strip().splitlines()[0][:60] if raw.strip() else raw
        self.warn("raw HTML block", f"shown as literal text: {first!r}")
        lines = [escape_text(line) for line in raw.strip("\n").splitlines()]
        return " #linebreak()\n".join(lines) + "\n\n"

    # -------------------------------------------------------------- inlines
    def inlines(self, tokens: list[dict]) -> str:
        return "".join(self.inline(t) for t in tokens)

    def inline(self, tok: dict) -> str:
        t = tok["type"]
        meth = getattr(self, "i_" + t, None)
        if meth is not None:
            return meth(tok)
        self.warn(f"Markdown inline element '{t}'", "rendered as plain text")
        return escape_text(self.plain(tok))

    def i_text(self, tok: dict) -> str:
        return escape_text(html.unescape(tok.get("raw", "")))

    def i_emphasis(self, tok: dict) -> str:
        return "#emph[" + self.inlines(tok.get("children", [])) + "]"

    def i_strong(self, tok: dict) -> str:
        return "#strong[" + self.inlines(tok.get("children", [])) + "]"

    def i_strikethrough(self, tok: dict) -> str:
        return "#strike[" + self.inlines(tok.get("children", [])) + "]"

    def i_codespan(self, tok: dict) -> str:
        return "#raw(" + typst_string(tok.get("raw", "")) + ")"

    def i_linebreak(self, tok: dict) -> str:
        return "#linebreak()\n"

    def i_softbreak(self, tok: dict) -> str:
        return " "

    def i_link(self, tok: dict) -> str:
        url = (tok.get("attrs") or {}).get("url", "")
        inner = self.inlines(tok.get("children", []))
        if url.startswith("#"):
            target = url[1:]
            if target in self.labels and _LABEL.match(target):
                return f"#link(label({typst_string(target)}))[{inner}]"
            self.warn(
                f"internal link to '#{target}'",
                "no figure or table with that id; link text kept without a link",
            )
            return inner
        if not url:
            return inner
        return f"#link({typst_string(url)})[{inner}]"

    def b_block_math(self, tok: dict) -> str:
        return math_markup(tok.get("raw", ""), True, self.warn) + "\n\n"

    def i_inline_math(self, tok: dict) -> str:
        return math_markup(tok.get("raw", ""), False, self.warn)

    def i_block_math(self, tok: dict) -> str:
        return "\n" + math_markup(tok.get("raw", ""), True, self.warn) + "\n"

    def i_latex_environment(self, tok: dict) -> str:
        attrs = tok.get("attrs") or {}
        name, body = attrs.get("name", ""), attrs.get("body", "")
        latex = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return "\n" + math_markup(latex, True, self.warn) + "\n"

    def i_image(self, tok: dict) -> str:
        attrs = tok.get("attrs") or {}
        alt = self.plain(tok).strip()
        if self.images is not None:
            path = self.images(str(attrs.get("url", "")), alt)
            if path:
                alt_arg = f", alt: {typst_string(alt)}" if alt else ""
                return f"#tr-md-image(image({typst_string(path)}{alt_arg}))"
            return f"#tr-missing-image({text_content(alt or attrs.get('url', ''))})"
        self.warn(
            "Markdown image",
            f"{attrs.get('url', '')!r} not embedded; a placeholder with its alt text is shown",
        )
        return f"#tr-missing-image({text_content(alt or attrs.get('url', ''))})"

    def i_inline_html(self, tok: dict) -> str:
        raw = tok.get("raw", "")
        if raw.startswith("<!--"):
            logger.info("Typst export: HTML comment in %s omitted", self.where or "markdown")
            return ""
        self.warn("raw inline HTML", f"{raw[:60]!r} shown as literal text")
        return escape_text(raw)

    def i_footnote_ref(self, tok: dict) -> str:
        key = str(tok.get("raw", "")).lower()
        body = self._footnotes.get(key)
        if body is None:
            self.warn(f"footnote reference [^{key}]", "no footnote with that name")
            return escape_text(f"[^{key}]")
        inner = self.blocks(body).strip("\n")
        return f"#footnote[{inner}]"

    # ---------------------------------------------------------------- utils
    def plain(self, tok: dict) -> str:
        """The plain text of a node (for headings in the section map, alt text, fallbacks)."""
        if tok.get("type") in ("text", "codespan", "inline_html", "block_html", "block_code"):
            raw = tok.get("raw", "")
            return html.unescape(raw) if tok.get("type") == "text" else raw
        if tok.get("type") in ("softbreak", "linebreak"):
            return " "
        return "".join(self.plain(c) for c in tok.get("children", []) or [])


def math_markup(latex: str, display: bool, warn: Callable[..., None]) -> str:
    """Typst math for a LaTeX formula; the LaTeX source in monospace if it cannot be converted."""
    from .typst_math import latex_to_typst

    converted = latex_to_typst(latex)
    if converted is None:
        warn("LaTeX formula", f"{latex.strip()[:60]!r} could not be converted; shown as source")
        return "#raw(" + typst_string(latex.strip()) + ")"
    return f"$ {converted} $" if display else f"${converted}$"


def markdown_to_typst(
    source: str,
    where: str = "",
    warnings: list[str] | None = None,
    labels: Iterable[str] = (),
) -> str:
    """Convert Markdown to Typst markup; warnings are appended to ``warnings`` if given."""
    conv = MarkdownToTypst(warn=warnings.append if warnings is not None else None, labels=labels)
    return conv.convert(source, where=where)
