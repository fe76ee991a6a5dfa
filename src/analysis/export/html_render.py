"""Cells and outputs of any notebook as safe HTML (used by ``tightrope-html``).

One escaping path: plain text goes through markupsafe (``Markup(...).format`` escapes its
arguments); HTML that comes from the notebook (``text/html`` outputs, raw HTML cells, HTML
inside Markdown) goes through :func:`sanitize` (nh3, the Ammonia sanitiser), which removes
``<script>``, ``on*=`` attributes, ``javascript:`` URLs, frames and forms. Images are always
``<img src="data:...">`` with validated base64, so an image payload cannot break out of its
attribute; SVG is shown through ``<img>`` (a browser never runs script in an SVG image).

Nothing is dropped silently: an output without an HTML rendering shows a visible placeholder
and adds a warning naming the cell (``ctx.warnings``).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import latex2mathml.converter
import nh3
from markupsafe import Markup, escape
from nbconvert.filters.ansi import ansi2html
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from . import payloads

logger = logging.getLogger(__name__)

IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif", "image/webp")
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_DATA_URI = re.compile(r"^data:(image/(?:png|jpeg|gif|webp|svg\+xml));base64,([A-Za-z0-9+/=\s]*)$",
                       re.IGNORECASE)
_REPR = re.compile(r"^<[\w.]+ (object|at 0x[0-9a-f]+)>$|^<[\w.]+ object at 0x[0-9a-f]+>$")
_MATH_DELIMS = re.compile(r"^\s*(\$\$|\$|\\\[|\\\()(.*?)(\$\$|\$|\\\]|\\\))\s*$", re.DOTALL)
_SLUG = re.compile(r"[^\w-]+")

MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "mstyle", "merror", "mpadded", "mphantom", "mfenced", "menclose", "msub", "msup",
    "msubsup", "munder", "mover", "munderover", "mmultiscripts", "mprescripts", "none",
    "mtable", "mtr", "mtd", "mlabeledtr", "semantics", "annotation",
}
MATHML_ATTRS = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "accent",
    "accentunder", "lspace", "rspace", "width", "height", "depth", "columnalign", "rowalign",
    "columnspacing", "rowspacing", "columnlines", "rowlines", "frame", "displaystyle",
    "scriptlevel", "linethickness", "notation", "largeop", "movablelimits", "symmetric",
    "minsize", "maxsize", "form", "encoding", "open", "close", "separators", "class",
}
_EXTRA_TAGS = {"figure", "figcaption", "caption", "colgroup", "col", "details", "summary",
               "section", "mark", "small", "sub", "sup", "span", "div", "p", "br", "hr",
               "table", "thead", "tbody", "tfoot", "tr", "th", "td", "img", "input"}
_GENERIC_ATTRS = {"class", "title", "lang", "dir", "style", "align"}
_STRICT_GENERIC_ATTRS = {"title", "lang", "dir"}


@dataclass
class HTMLContext:
    """State of one export: warnings, where local images are read from, heading ids in use."""

    strict: bool = False  # nbconvert's sanitize_html=True: also drop style/class attributes
    path: str = ""  # folder of the notebook, for local Markdown images
    is_report: bool = False
    warnings: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    where: str = ""
    tables: int = 0
    #: ids of the sources the document's bibliography lists (a claim's source links to its entry)
    sources: frozenset[str] = frozenset()

    def warn(self, message: str) -> None:
        logger.warning(message)
        self.warnings.append(message)

    def unique_id(self, text: str, prefix: str = "h") -> str:
        base = _SLUG.sub("-", text.strip().lower()).strip("-")[:60] or prefix
        if not base[0].isalpha():
            base = f"{prefix}-{base}"
        ident, k = base, 2
        while ident in self.ids:
            ident, k = f"{base}-{k}", k + 1
        self.ids.add(ident)
        return ident


# ---------------------------------------------------------------------------------- sanitising
def valid_base64(data: Any) -> str | None:
    """The base64 text without whitespace if it decodes, else None."""
    if isinstance(data, list):
        data = "".join(data)
    if not isinstance(data, str):
        return None
    text = re.sub(r"\s+", "", data)
    if not text or not _B64.match(text) or len(text) % 4:
        return None
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return text


def safe_data_uri(value: str) -> str | None:
    """A ``data:image/...;base64,...`` URI whose payload is valid base64, else None."""
    m = _DATA_URI.match(value.strip())
    if not m:
        return None
    data = valid_base64(m.group(2))
    return f"data:{m.group(1).lower()};base64,{data}" if data else None


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if attribute in ("src", "href", "xlink:href", "action", "formaction", "poster"):
        v = value.strip()
        if v.lower().startswith("data:"):
            return safe_data_uri(v) if (element, attribute) == ("img", "src") else None
    if attribute == "style" and re.search(r"url\s*\(|expression|@import", value, re.IGNORECASE):
        return None
    return value


def sanitize(markup: str, *, strict: bool = False, mathml: bool = False) -> str:
    """Notebook HTML with everything that could run script removed (nh3 / Ammonia)."""
    generic = _STRICT_GENERIC_ATTRS if strict else _GENERIC_ATTRS
    tags = set(nh3.ALLOWED_TAGS) | _EXTRA_TAGS
    attributes = {tag: set(generic) for tag in tags}
    attributes["a"] |= {"href"}
    for level in range(1, 7):
        attributes[f"h{level}"] |= {"id"}
    attributes["img"] |= {"src", "alt", "width", "height"}
    for cell in ("td", "th"):
        attributes[cell] |= {"colspan", "rowspan"}
    attributes["input"] = {"type", "checked", "disabled"}
    if mathml:
        tags |= MATHML_TAGS
        for tag in MATHML_TAGS:
            attributes[tag] = set(MATHML_ATTRS)
    return nh3.clean(
        markup,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=None,
    )


# --------------------------------------------------------------------------------------- math
def latex_to_mathml(latex: str, display: bool, ctx: HTMLContext) -> Markup:
    """MathML for a LaTeX formula (no script needed in current browsers), else the source."""
    try:
        mathml = latex2mathml.converter.convert(latex.strip(),
                                                display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 - the converter raises many kinds
        ctx.warn(f"HTML export: formula in {ctx.where or 'a cell'} not converted ({exc!s:.80}); "
                 "shown as LaTeX source")
        return Markup('<code class="tr-latex">{}</code>').format(latex)
    return Markup(sanitize(mathml, mathml=True))


def strip_math_delimiters(latex: str) -> tuple[str, bool]:
    """``$x$`` -> (x, inline); ``$$x$$`` or ``\\[x\\]`` -> (x, display)."""
    m = _MATH_DELIMS.match(latex)
    if not m:
        return latex.strip(), True
    opening = m.group(1)
    return m.group(2), opening in ("$$", "\\[") or "\\displaystyle" in m.group(2)


#: how many levels a Markdown heading moves down in the page (under the title block's h1)
HEADING_SHIFT = 1


# ----------------------------------------------------------------------------------- markdown
class _Renderer(IPythonRenderer):
    """nbconvert's Markdown renderer with MathML math and unique heading ids."""

    def __init__(self, ctx: HTMLContext, attachments: dict | None):
        super().__init__(escape=False, allow_harmful_protocols=False, embed_images=True,
                         exclude_anchor_links=True, path=ctx.path, attachments=attachments or {})
        self.ctx = ctx

    def inline_html(self, html: str) -> str:
        # mistune hands over one tag at a time ('<a href=...>', then the text, then '</a>'):
        # nbconvert's image embedding re-parses each one and closes it ('<a href=...></a>'),
        # moving the text out of links, <sub>, <b>. Only an <img> has anything to embed.
        if "<img" in html.lower():
            return super().inline_html(html)
        return html

    def heading(self, text: str, level: int, **attrs: Any) -> str:
        plain = re.sub(r"<[^>]+>", "", text)
        ident = self.ctx.unique_id(plain)
        # one level down: the page's title is its only h1 (every section was an h1 beside it,
        # and the colophon an h2 read as part of the last appendix: a reader of the HTML)
        level = min(level + HEADING_SHIFT, 6)
        return f'<h{level} id="{ident}">{text}</h{level}>\n'

    def block_math(self, body: str) -> str:
        return f'<div class="tr-math">{latex_to_mathml(body, True, self.ctx)}</div>'

    def inline_math(self, body: str) -> str:
        return str(latex_to_mathml(body, False, self.ctx))

    def latex_environment(self, name: str, body: str) -> str:
        latex = f"\\begin{{{name}}}{body}\\end{{{name}}}"
        return f'<div class="tr-math">{latex_to_mathml(latex, True, self.ctx)}</div>'

    def _embed_image_or_attachment(self, src: str) -> str:
        if src.startswith("attachment:"):
            name = src[len("attachment:"):]
            bundle = self.attachments.get(name) or {}
            for mime in ("image/svg+xml", *IMAGE_MIMES):
                data = valid_base64(bundle.get(mime))
                if data:
                    return f"data:{mime};base64,{data}"
            self.ctx.warn(f"HTML export: attachment {name!r} in {self.ctx.where} is missing or "
                          "not a valid image")
            return ""
        if src.lower().startswith("data:"):
            uri = safe_data_uri(src)
            if uri is None:
                self.ctx.warn(f"HTML export: invalid data URI image in {self.ctx.where} dropped")
            return uri or ""
        embedded = self._src_to_base64(src) if self.path else None
        if embedded and safe_data_uri(embedded):
            return embedded
        if not re.match(r"^(https?:)?//", src):
            self.ctx.warn(f"HTML export: image {src!r} in {self.ctx.where} not found beside the "
                          "notebook; left as a link")
        return src


def render_markdown(source: str, ctx: HTMLContext, attachments: dict | None = None) -> Markup:
    renderer = _Renderer(ctx, attachments)
    html = MarkdownWithMath(renderer=renderer).render(source or "")
    return Markup(sanitize(html, strict=ctx.strict, mathml=True))


# ------------------------------------------------------------------------------------ outputs
def _joined(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return "" if value is None else str(value)


def _placeholder(text: str) -> Markup:
    return Markup('<p class="tr-placeholder">{}</p>').format(text)


def _wrap_tables(html: str, ctx: HTMLContext) -> str:
    """Wide tables scroll inside their own focusable region, never the page."""
    def wrap(m: re.Match) -> str:
        ctx.tables += 1
        return (f'<div class="tr-table-wrap" role="region" tabindex="0" '
                f'aria-label="Output table {ctx.tables}">{m.group(0)}</div>')
    return re.sub(r"<table\b.*?</table>", wrap, html, flags=re.DOTALL | re.IGNORECASE)


def _svg_ok(svg: str) -> str | None:
    """None if the SVG parses as XML with an <svg> root, else the parser's complaint."""
    try:
        root = ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError as exc:
        return str(exc)
    if not root.tag.endswith("svg"):
        return f"root element is <{root.tag}>, not <svg>"
    return None


def _img(mime: str, b64: str, alt: str) -> Markup:
    return Markup('<div class="tr-output"><img src="data:{};base64,{}" alt="{}"></div>').format(
        mime, b64, alt)


def render_output(out: dict, ctx: HTMLContext) -> Markup:
    """One output of a code cell (stream, error, display data or result)."""
    otype = out.get("output_type")
    if otype == "stream":
        name = "stderr" if out.get("name") == "stderr" else "stdout"
        if ctx.is_report:
            ctx.warn(f"HTML export: {name} output of {ctx.where} not shown in the report")
            return Markup("")
        return Markup('<pre class="tr-stream tr-{}">{}</pre>').format(
            name, Markup(ansi2html(_joined(out.get("text")))))
    if otype == "error":
        trace = "\n".join(_joined(t) for t in out.get("traceback") or [])
        body = Markup(ansi2html(trace)) if trace else escape(
            f"{out.get('ename', '')}: {out.get('evalue', '')}")
        return Markup('<div class="tr-error" role="alert"><p><strong>This cell failed: {}: {}'
                      '</strong></p><pre>{}</pre></div>').format(
            out.get("ename", ""), out.get("evalue", ""), body)
    data = out.get("data") or {}
    alt = _joined(out.get("metadata", {}).get("alt")) if isinstance(out.get("metadata"),
                                                                        dict) else ""
    rendered = payloads.render_html(data, ctx)
    if rendered is not None:
        return rendered
    if "text/html" in data:
        html = sanitize(_joined(data["text/html"]), strict=ctx.strict, mathml=True)
        if not re.sub(r"<[^>]*>|\s", "", html) and "<img" not in html and "<table" not in html:
            ctx.warn(f"HTML export: text/html output of {ctx.where} has nothing safe to show "
                     "(frames, scripts and forms are removed)")
            return _placeholder("[HTML output not shown: it held only content that cannot be "
                                "included safely]")
        return Markup('<div class="tr-output tr-html">{}</div>').format(
            Markup(_wrap_tables(html, ctx)))
    if "image/svg+xml" in data:
        svg = _joined(data["image/svg+xml"])
        problem = _svg_ok(svg)
        if problem:
            ctx.warn(f"HTML export: malformed SVG in {ctx.where} skipped ({problem})")
            return _placeholder(f"[SVG image not shown: malformed ({problem})]")
        return _img("image/svg+xml", base64.b64encode(svg.encode("utf-8")).decode("ascii"),
                    alt or "figure")
    for mime in IMAGE_MIMES:
        if mime in data:
            b64 = valid_base64(data[mime])
            if b64 is None:
                ctx.warn(f"HTML export: {mime} output of {ctx.where} is not valid base64; skipped")
                return _placeholder(f"[{mime} image not shown: invalid data]")
            return _img(mime, b64, alt or "figure")
    if "text/markdown" in data:
        return Markup('<div class="tr-text tr-generated">{}</div>').format(
            render_markdown(_joined(data["text/markdown"]), ctx))
    if "text/latex" in data:
        latex, display = strip_math_delimiters(_joined(data["text/latex"]))
        return Markup('<div class="tr-math">{}</div>').format(
            latex_to_mathml(latex, display, ctx))
    if "text/plain" in data:
        text = _joined(data["text/plain"])
        if _REPR.match(text.strip()):
            kinds = ", ".join(k for k in data if k != "text/plain") or "no other format"
            ctx.warn(f"HTML export: output of {ctx.where} has no displayable format ({kinds})")
            return _placeholder(f"[Output not shown: no format this exporter can display "
                                f"({kinds})]")
        if ctx.is_report and otype == "execute_result":
            return Markup("")
        return Markup('<pre class="tr-plain">{}</pre>').format(text)
    kinds = ", ".join(data) or "no data"
    ctx.warn(f"HTML export: {otype} output of {ctx.where} not shown ({kinds})")
    return _placeholder(f"[Output not shown: {kinds}]")


SKIP_TAGS = frozenset({"remove-cell"})
PARAM_TAGS = frozenset({"parameters", "injected-parameters"})


def render_cell(cell: dict, index: int, ctx: HTMLContext) -> Markup:
    """A whole cell (code input is never shown)."""
    ctx.where = f"cell {index}"
    tags = set(cell.get("metadata", {}).get("tags", []) or [])
    if tags & SKIP_TAGS:
        return Markup("")
    ctype = cell.get("cell_type")
    if ctype == "markdown":
        return Markup('<div class="tr-text">{}</div>').format(
            render_markdown(_joined(cell.get("source")), ctx, cell.get("attachments")))
    if ctype == "code":
        outputs = cell.get("outputs") or []
        if tags & PARAM_TAGS and not any(o.get("output_type") == "error" for o in outputs):
            return Markup("")
        return Markup("").join(render_output(o, ctx) for o in outputs)
    if ctype == "raw":
        mime = (cell.get("metadata", {}).get("raw_mimetype")
                or cell.get("metadata", {}).get("format") or "").lower()
        source = _joined(cell.get("source"))
        if not source.strip():
            return Markup("")
        if mime == "text/html":
            return Markup('<div class="tr-raw">{}</div>').format(
                Markup(sanitize(source, strict=ctx.strict)))
        if mime == "text/markdown":
            return Markup('<div class="tr-text">{}</div>').format(render_markdown(source, ctx))
        if mime in ("", "text/plain"):
            return Markup('<pre class="tr-raw">{}</pre>').format(source)
        ctx.warn(f"HTML export: raw cell {index} for {mime} not shown in HTML")
        return Markup("")
    ctx.warn(f"HTML export: cell {index} of type {ctype!r} not shown")
    return Markup("")


def load_json(value: Any) -> dict:
    if isinstance(value, (str, bytes)):
        value = json.loads(value)
    return dict(value)


def local_path(resources: dict) -> str:
    """The notebook's folder, for images it names beside it ("" when it was not read from a
    file). nbconvert gives an empty path for a notebook in the current folder: that is "."."""
    metadata = resources.get("metadata") or {}
    if "path" not in metadata:
        return ""
    return str(Path(metadata["path"] or "."))
