"""PDF without TeX or a browser: notebook -> Typst markup -> PDF with the ``typst`` package.

Two nbconvert exporters (entry points in pyproject.toml):

- ``tightrope-typst`` -> :class:`TypstExporter`: the ``.typ`` source; the template and the
  figure files go into ``resources["outputs"]`` (nbconvert writes them beside the ``.typ``,
  under ``<notebook>_files/``), so the written ``.typ`` compiles standalone with
  ``typst compile --ignore-system-fonts report.typ``.
- ``tightrope-pdf`` -> :class:`TypstPDFExporter`: the compiled PDF bytes. With
  ``--TypstPDFExporter.keep_typ=True`` the ``.typ`` and its assets are written next to the PDF.

The notebook follows docs/REPORT_CONTRACT (figure/table payload mimetypes, ``tightrope``
metadata for the title page and the colophon). Code input is never shown.

Determinism: only fonts embedded in the Typst compiler are used (system fonts are ignored),
the PDF creation date comes from ``SOURCE_DATE_EPOCH``, the colophon's ``commit_date`` or the
report's ``date`` metadata (never the clock), and compilation happens in a temporary directory whose path never reaches
the PDF. Same notebook -> byte-identical PDF.

Errors: a failing compile raises :class:`TypstCompileError`, naming the report section
(nearest preceding H1) and the notebook cell that produced the offending lines.
"""

from __future__ import annotations

import base64
import calendar
import datetime as _dt
import json
import logging
import os
import re
import xml.etree.ElementTree as ET
from importlib import resources as _ilr
from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter
from nbconvert.filters.ansi import strip_ansi
from traitlets import Bool, Integer, Unicode, default

from ..environment import source_date_epoch
from . import glyphs, table_widths
from .html_render import safe_data_uri, strip_math_delimiters, valid_base64
from .html_tables import html_tables, html_text
from .markdown_typst import (
    MarkdownToTypst,
    escape_text,
    math_markup,
    text_content,
    typst_string,
)
from .notebook import check_notebook, is_report, notebook_title, param_pairs, tightrope_meta
from .payloads import (
    BIBLIOGRAPHY_MIME,
    CLAIM_MIME,
    bibliography_notes,
    bibliography_parts,
    full_stop,
    http_url,
)
from .typst_compile import (  # noqa: F401 - re-exported: the compile step lives apart (light)
    Span,
    TypstCompileError,
    TypstDocument,
    compile_typst,
    write_sources,
)

logger = logging.getLogger(__name__)

__all__ = [
    "FIGURE_MIME",
    "TABLE_MIME",
    "TypstCompileError",
    "TypstDocument",
    "TypstExporter",
    "TypstPDFExporter",
    "build_typst",
    "compile_typst",
    "template_source",
]

FIGURE_MIME = "application/vnd.tightrope.figure+json"
TABLE_MIME = "application/vnd.tightrope.table+json"
SKIP_TAGS = frozenset({"remove-cell"})
PARAM_TAGS = frozenset({"parameters", "injected-parameters"})
_REPR = re.compile(r"^<[\w.]+ (object|at 0x[0-9a-f]+)>$|^<[\w.]+ object at 0x[0-9a-f]+>$")
_EXT = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
        "image/svg+xml": ".svg"}
RAW_TYPST_MIMES = frozenset({"text/x-typst", "text/typst"})
TEMPLATE_NAME = "report.typ"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_LABEL_OK = re.compile(r"^[A-Za-z0-9_\-.:]+$")




def template_source() -> str:
    """The static Typst template (``typst_templates/report.typ``)."""
    return (
        _ilr.files("analysis.export")
        .joinpath("typst_templates", TEMPLATE_NAME)
        .read_text(encoding="utf-8")
    )


# ---------------------------------------------------------------------------------------------
# Notebook -> Typst
# ---------------------------------------------------------------------------------------------


def _meta(obj: Any, key: str, default: Any = None) -> Any:
    try:
        value = obj.get(key, default)
    except AttributeError:
        return default
    return default if value is None else value


def _payload(value: Any) -> dict:
    if isinstance(value, (str, bytes)):
        value = json.loads(value)
    return dict(value)


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return "".join(value)
    return value or ""


def _parse_date(value: Any) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _length_in(value: Any, fallback: float) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = fallback
    if not (0 < v < 100):
        v = fallback
    return f"{v:.3f}in"


def _doc_date(date: _dt.date | None) -> str:
    """The PDF date: SOURCE_DATE_EPOCH when set (the compile timestamp); else the report date;
    else none."""
    if source_date_epoch() is not None:
        return "auto"
    if date is not None:
        return f"datetime(year: {date.year}, month: {date.month}, day: {date.day})"
    return "none"


def source_timestamp(date: _dt.date | None) -> int:
    """Creation timestamp: SOURCE_DATE_EPOCH if set, else the report date (00:00 UTC), else 0."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        logger.warning("SOURCE_DATE_EPOCH=%r is not a whole number of seconds; ignored",
                       os.environ["SOURCE_DATE_EPOCH"])
    if date is not None:
        return calendar.timegm(date.timetuple())
    return 0


class _Builder:
    def __init__(
        self,
        nb,
        resources: dict,
        *,
        paper: str,
        assets_dir: str,
        outline_depth: int,
        allow_raw_typst: bool,
    ) -> None:
        self.nb = nb
        self.resources = resources
        self.paper = paper
        self.assets_dir = assets_dir.strip("/") or "typst_files"
        self.outline_depth = outline_depth
        self.allow_raw_typst = allow_raw_typst
        self.chunks: list[str] = []
        self.line = 1  # line number of the next chunk
        self.spans: list[Span] = []
        self.assets: dict[str, bytes] = {}
        self.warnings: list[str] = []
        self.section: str | None = None
        self.in_appendix = False
        self._used_names: set[str] = set()
        self._used_labels: set[str] = set()
        self._place_keys = 0
        self.labels = self._collect_labels()
        self.md = MarkdownToTypst(warn=self.warnings.append, labels=self.labels,
                                  images=self.markdown_image)
        self.attachments: dict = {}
        self.cell_index: int | None = None
        self.is_report = is_report(self.nb)
        self.base = Path(_meta(_meta(resources, "metadata", {}), "path", "") or ".")

    # ------------------------------------------------------------------ helpers
    def emit(self, text: str, cell_index: int | None = None) -> None:
        if not text:
            return
        if not text.endswith("\n"):
            text += "\n"
        n = text.count("\n")
        self.spans.append(Span(self.line, self.line + n - 1, cell_index, self.section))
        self.chunks.append(text)
        self.line += n

    def warn(self, msg: str) -> None:
        logger.warning(msg)
        self.warnings.append(msg)

    def asset(self, stem: str, ext: str, data: bytes) -> str:
        stem = _SAFE_ID.sub("-", stem).strip("-.") or "asset"
        name = f"{stem}{ext}"
        k = 2
        while name in self._used_names:
            name = f"{stem}-{k}{ext}"
            k += 1
        self._used_names.add(name)
        path = f"{self.assets_dir}/figures/{name}"
        self.assets[path] = data
        return path

    def place_key(self) -> str:
        """A key unique in the document for the template's placement anchor of a figure/table."""
        self._place_keys += 1
        return f"p{self._place_keys}"

    def label_arg(self, ident: str) -> str:
        """``id:`` argument for a figure/table: its label, unless invalid or already used."""
        if not _LABEL_OK.match(ident) or ident in self._used_labels:
            if ident in self._used_labels:
                self.warn(f"Typst export: duplicate figure/table id {ident!r}; no anchor")
            return "none"
        self._used_labels.add(ident)
        return typst_string(ident)

    def _collect_labels(self) -> set[str]:
        labels: set[str] = set()
        for cell in self.nb.cells:
            for out in cell.get("outputs", []) or []:
                data = out.get("data", {}) or {}
                for mime in (FIGURE_MIME, TABLE_MIME):
                    if mime in data:
                        try:
                            pid = _payload(data[mime]).get("id")
                        except (ValueError, TypeError):
                            continue
                        if pid and _LABEL_OK.match(str(pid)):
                            labels.add(str(pid))
        return labels

    # ------------------------------------------------------------------ document
    def build(self) -> TypstDocument:
        meta = tightrope_meta(self.nb.metadata)
        title = notebook_title(self.nb, self.resources)
        date = _parse_date(meta.get("date"))
        # the PDF's own date: the day of the revision the report was built from, when the
        # colophon gives it (an edition dated 2023 built in 2026 was made in 2026), else its date
        made = _parse_date((meta.get("colophon") or {}).get("commit_date")) or date
        params = param_pairs(meta.get("params"))
        as_of = dict(params).get("as_of")
        as_of = as_of or meta.get("as_of") or meta.get("date")
        # the title page's line under the date: the edition's note on as_of, if the report has one
        as_of_line = meta.get("as_of_note") or (f"Data as of {as_of}" if as_of else None)
        keywords = meta.get("keywords") or []
        author = meta.get("author")

        self.emit(
            "// Generated by analysis.export.typst_exporter from the report notebook.\n"
            "// Compile: typst compile --ignore-system-fonts <this file>\n"
            f"#import {typst_string(self.assets_dir + '/' + TEMPLATE_NAME)}: *\n"
        )
        args = [
            f"title: {typst_string(title)}",
            f"short-title: {typst_string(str(meta.get('short_title') or title))}",
            f"subtitle: {typst_string(str(meta['subtitle'])) if meta.get('subtitle') else 'none'}",
            f"author: {typst_string(str(author)) if author else 'none'}",
            "keywords: (" + "".join(typst_string(k) + ", " for k in keywords) + ")",
            "date: " + (typst_string(f"{date.day} {date:%B %Y}") if date else "none"),
            f"as-of: {typst_string(str(as_of_line)) if as_of_line else 'none'}",
            "doc-date: " + _doc_date(made),
            f"paper: {typst_string(self.paper)}",
            f"outline-depth: {int(self.outline_depth)}",
            f"has-outline: {'true' if self._has_headings() else 'false'}",
        ]
        if params:
            pairs = ",\n    ".join(f"({text_content(k)}, {text_content(v)})" for k, v in params)
            args.append(f"params: (\n    {pairs},\n  )")
        self.emit("#show: report.with(\n  " + ",\n  ".join(args) + ",\n)\n")

        for index, cell in enumerate(self.nb.cells):
            self.cell(index, cell)

        colophon = meta.get("colophon")
        if colophon:
            self.colophon(colophon, as_of)

        self.assets[f"{self.assets_dir}/{TEMPLATE_NAME}"] = template_source().encode("utf-8")
        text = title + "".join(self.chunks)
        fonts = glyphs.font_paths(text)
        if fonts:
            self.emit("// Fallback fonts for characters the embedded fonts lack: compile with "
                      + " ".join(f"--font-path <folder of {Path(f).name}>" for f in fonts) + "\n")
        missing = glyphs.missing_glyphs(text)
        if missing:
            self.warn("Typst export: the PDF's fonts have no glyphs for " + glyphs.describe(missing)
                      + "; they show as empty boxes (use the HTML for these characters)")
        return TypstDocument(
            text="".join(self.chunks),
            assets=self.assets,
            spans=self.spans,
            warnings=self.warnings,
            timestamp=source_timestamp(made),
            title=title,
            assets_dir=self.assets_dir,
            font_paths=fonts,
        )

    # ------------------------------------------------------------------ cells
    def _has_headings(self) -> bool:
        for cell in self.nb.cells:
            if cell.get("cell_type") == "markdown" and _h1_titles(
                    _joined(cell.get("source")), self.md, any_level=True):
                return True
        return False

    def cell(self, index: int, cell) -> None:
        md = cell.get("metadata", {}) or {}
        tags = set(md.get("tags", []) or [])
        if tags & SKIP_TAGS:
            return
        self.cell_index = index
        tr = tightrope_meta(md)
        where = f"cell {index}"
        if tr.get("appendix") and not self.in_appendix:
            self.in_appendix = True
            self.emit("#tr-appendix-start()\n", index)

        raw_typst = tr.get("raw_typst")
        if isinstance(raw_typst, str):
            if self.allow_raw_typst:
                self.emit(f"// cell {index}: raw Typst\n{raw_typst}\n", index)
            else:
                self.warn(f"Typst export: raw Typst in {where} skipped (allow_raw_typst=False)")
            return

        ctype = cell.get("cell_type")
        if ctype == "markdown":
            source = _joined(cell.get("source"))
            if not source.strip():
                return
            # Update the section first if the cell opens one, so the span names it.
            probe = [h for h in _h1_titles(source, self.md)]
            if probe and self.section is not None:
                # Figures (floats) of the previous section are placed before this one starts.
                self.emit("#place.flush()\n", index)
            if probe:
                self.section = probe[0]
            elif tr.get("section") and self.section is None:
                self.section = str(tr.get("section"))
            self.attachments = cell.get("attachments") or {}
            markup = self.md.convert(source, where=where)
            self.attachments = {}
            self.emit(f"// cell {index}: markdown\n{markup}\n", index)
        elif ctype == "code":
            outputs = cell.get("outputs", []) or []
            if tags & PARAM_TAGS and not any(o.get("output_type") == "error" for o in outputs):
                return
            for j, out in enumerate(outputs):
                self.output(index, j, out)
        elif ctype == "raw":
            mime = (md.get("raw_mimetype") or md.get("format") or "").lower()
            source = _joined(cell.get("source"))
            if mime in RAW_TYPST_MIMES and self.allow_raw_typst:
                self.emit(f"// cell {index}: raw Typst\n{source}\n", index)
            elif not source.strip():
                return
            elif mime in ("", "text/plain"):
                self.emit(f"// cell {index}: raw cell\n"
                          f"#tr-plain-text(raw(block: true, {typst_string(source.rstrip())}))\n",
                          index)
            elif mime == "text/html":
                self.html_output(index, source)
            elif mime == "text/markdown":
                self.emit(f"// cell {index}: raw markdown\n"
                          f"{self.md.convert(source, where=where)}\n", index)
            else:
                self.warn(f"Typst export: raw cell {index} (format {mime}) not rendered in PDF")
        else:
            self.warn(f"Typst export: cell {index} of type {ctype!r} not rendered")

    def placeholder(self, index: int, text: str) -> None:
        self.emit(f"// cell {index}: placeholder\n#tr-missing-image({text_content(text)})\n",
                  index)

    def markdown_image(self, url: str, alt: str) -> str | None:
        """Embed a Markdown image (attachment, data URI or local file); None -> placeholder."""
        where = f"cell {self.cell_index}"
        stem = f"cell-{self.cell_index}-md"
        if url.startswith("attachment:"):
            bundle = self.attachments.get(url[len("attachment:"):]) or {}
            for mime, ext in _EXT.items():
                if mime in bundle:
                    blob = self._image_blob(mime, bundle[mime], where)
                    return self.asset(stem, ext, blob) if blob else None
            self.warn(f"Typst export: attachment {url!r} in {where} missing or not an image")
            return None
        if url.lower().startswith("data:"):
            uri = safe_data_uri(url)
            if uri is None:
                self.warn(f"Typst export: invalid data URI image in {where} not shown")
                return None
            mime, data = uri[5:].split(";base64,", 1)
            blob = self._image_blob(mime, data, where)
            return self.asset(stem, _EXT[mime], blob) if blob else None
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            self.warn(f"Typst export: remote image {url!r} in {where} not embedded (offline); "
                      "a placeholder with its alt text is shown")
            return None
        path = (self.base / url).resolve()
        ext = path.suffix.lower().replace(".jpeg", ".jpg")
        if ext not in _EXT.values() or not path.is_file():
            self.warn(f"Typst export: image {url!r} in {where} not found (looked for {path.name} "
                      "beside the notebook)")
            return None
        blob = path.read_bytes()
        if ext == ".svg" and not self._svg_ok(blob.decode("utf-8", "replace"), where):
            return None
        return self.asset(stem, ext, blob)

    def _svg_ok(self, svg: str, where: str) -> bool:
        try:
            root = ET.fromstring(svg.encode("utf-8"))
        except ET.ParseError as exc:
            self.warn(f"Typst export: malformed SVG in {where} skipped ({exc})")
            return False
        if not str(root.tag).endswith("svg"):
            self.warn(f"Typst export: SVG in {where} skipped (root element {root.tag!r})")
            return False
        return True

    def _image_blob(self, mime: str, data: Any, where: str) -> bytes | None:
        if mime == "image/svg+xml":
            text = _joined(data)
            if not text.lstrip().startswith("<"):
                b64 = valid_base64(text)
                text = base64.b64decode(b64).decode("utf-8", "replace") if b64 else text
            return text.encode("utf-8") if self._svg_ok(text, where) else None
        b64 = valid_base64(data)
        if b64 is None:
            self.warn(f"Typst export: {mime} image in {where} is not valid base64; skipped")
            return None
        return base64.b64decode(b64)

    def output(self, index: int, j: int, out) -> None:
        otype = out.get("output_type")
        where = f"cell {index}"
        if otype == "stream":
            name = "stderr" if out.get("name") == "stderr" else "stdout"
            text = strip_ansi(_joined(out.get("text"))).rstrip("\n")
            if self.is_report:
                self.warn(f"Typst export: {name} output of {where} not shown in the report")
            elif text.strip():
                self.emit(f"// cell {index}: {name}\n#tr-stream(name: {typst_string(name)}, "
                          f"raw(block: true, {typst_string(text)}))\n", index)
            return
        if otype == "error":
            trace = strip_ansi("\n".join(_joined(t) for t in out.get("traceback") or []))
            self.emit(
                f"// cell {index}: error output\n"
                f"#tr-error(ename: {typst_string(str(out.get('ename', '')))}, "
                f"evalue: {typst_string(str(out.get('evalue', '')))}, "
                f"traceback: {typst_string(trace)})\n",
                index,
            )
            return
        data = out.get("data", {}) or {}
        try:
            if FIGURE_MIME in data:
                return self.figure(index, _payload(data[FIGURE_MIME]))
            if TABLE_MIME in data:
                return self.table(index, _payload(data[TABLE_MIME]))
            if CLAIM_MIME in data:
                return self.claim(index, _payload(data[CLAIM_MIME]))
            if BIBLIOGRAPHY_MIME in data:
                return self.bibliography(index, _payload(data[BIBLIOGRAPHY_MIME]))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self.warn(f"Typst export: malformed tightrope payload in {where}: {exc}")
            return self.placeholder(index, "Output not shown: malformed report payload")
        if "text/markdown" in data:
            markup = self.md.convert(_joined(data["text/markdown"]), where=where)
            self.emit(f"// cell {index}: text/markdown output\n{markup}\n", index)
            return
        for mime, ext in _EXT.items():
            if mime in data:
                blob = self._image_blob(mime, data[mime], where)
                if blob is None:
                    return self.placeholder(index, f"{mime} output not shown: invalid image data")
                path = self.asset(f"cell-{index}-{j}", ext, blob)
                alt = _joined((out.get("metadata") or {}).get("alt", ""))
                alt_arg = f", alt: {typst_string(alt)}" if alt else ""
                self.emit(
                    f"// cell {index}: {mime} output\n"
                    f"#tr-plain-image(image({typst_string(path)}{alt_arg}))\n",
                    index,
                )
                return
        if "text/html" in data:
            return self.html_output(index, _joined(data["text/html"]))
        if "text/latex" in data:
            latex, display = strip_math_delimiters(_joined(data["text/latex"]))
            markup = math_markup(latex, display, lambda *a: self.warn(
                f"Typst export: LaTeX output of {where} could not be converted; shown as source"))
            self.emit(f"// cell {index}: text/latex output\n#tr-math-block[{markup}]\n", index)
            return
        if "text/plain" in data:
            text = _joined(data["text/plain"]).rstrip("\n")
            if _REPR.match(text.strip()):
                kinds = ", ".join(k for k in data if k != "text/plain") or "no other format"
                self.warn(f"Typst export: output of {where} has no format the PDF can show "
                          f"({kinds}); placeholder shown")
                return self.placeholder(index, f"Output not shown in the PDF ({kinds})")
            if self.is_report and otype == "execute_result" and not any(
                    k.startswith("application/vnd.jupyter.widget") for k in data):
                return
            self.emit(
                f"// cell {index}: text/plain result\n"
                f"#tr-plain-text(raw(block: true, {typst_string(strip_ansi(text))}))\n",
                index,
            )
            return
        kinds = ", ".join(sorted(data)) or "no data"
        self.warn(f"Typst export: {otype} output of {where} not rendered ({kinds})")
        self.placeholder(index, f"Output not shown in the PDF ({kinds})")

    def html_output(self, index: int, html: str) -> None:
        """HTML results: its tables as tables (display(df)); other HTML as its text."""
        where = f"cell {index}"
        tables = html_tables(html)
        if tables:
            for header, rows in tables:
                ncols = max([len(header)] + [len(r) for r in rows]) or 1
                header = (header + [""] * ncols)[:ncols]
                rows = [(r + [""] * ncols)[:ncols] for r in rows]
                body = ",\n    ".join("(" + ", ".join(text_content(c) for c in r) + ",)"
                                      for r in rows)
                self.emit(
                    f"// cell {index}: text/html table\n#tr-md-table(\n"
                    f"  aligns: ({'left, ' * ncols}),\n"
                    f"  header: ({''.join(text_content(c) + ', ' for c in header)}),\n"
                    f"  rows: ({body + ',' if rows else ''}),\n)\n", index)
            return
        text = html_text(html)
        if text.strip():
            self.warn(f"Typst export: text/html output of {where} shown as plain text "
                      "(its formatting is not kept)")
            paras = [p for p in text.split("\n\n") if p.strip()]
            self.emit(f"// cell {index}: text/html as text\n"
                      + "".join(f"#tr-html-text[{text_content(p)}]\n" for p in paras), index)
            return
        self.warn(f"Typst export: text/html output of {where} has no text or table to show")
        self.placeholder(index, "HTML output not shown in the PDF (no text or table in it)")

    def figure(self, index: int, p: dict) -> None:
        svg = p.get("svg")
        if not svg:
            self.warn(f"Typst export: figure {p.get('number', '?')} in cell {index} has no svg")
            return
        fid = str(p.get("id") or f"figure-{index}")
        path = self.asset(fid, ".svg", svg.encode("utf-8"))
        alt = str(p.get("alt") or p.get("caption") or "")
        args = [
            f"number: {typst_string(str(p.get('number', '')))}",
            f"caption: {text_content(str(p.get('caption') or ''))}",
            f"img: image({typst_string(path)}, width: 100%, alt: {typst_string(alt)})",
            f"width: {_length_in(p.get('width_in'), 6.5)}",
            f"source: {text_content(str(p['source'])) if p.get('source') else 'none'}",
            f"note: {text_content(str(p['note'])) if p.get('note') else 'none'}",
            f"id: {self.label_arg(fid)}",
            f"key: {typst_string(self.place_key())}",
        ]
        self.emit(
            f"// cell {index}: figure {p.get('number', '')}\n#tr-figure(\n  "
            + ",\n  ".join(args)
            + ",\n)\n",
            index,
        )

    def table(self, index: int, p: dict) -> None:
        columns = [str(c) for c in p.get("columns") or []]
        n = len(columns)
        if n == 0:
            self.warn(f"Typst export: table {p.get('number', '?')} in cell {index} has no columns")
            return
        aligns = list(p.get("align") or [])
        aligns = [a if a in ("left", "right", "center") else "left" for a in aligns]
        aligns = (aligns + ["left"] * n)[:n]
        rows = [[("" if c is None else str(c)) for c in row] for row in p.get("rows") or []]
        for r in rows:
            if len(r) != n:
                self.warn(
                    f"Typst export: table {p.get('number', '?')} in cell {index}: row with "
                    f"{len(r)} cells for {n} columns (padded/truncated)"
                )
                break
        rows = [(r + [""] * n)[:n] for r in rows]
        # Columns with long text get a share of the free width (as short a table as its text
        # allows); the rest fit their content.
        widths = table_widths.candidates(columns, rows)
        tid = str(p.get("id") or f"table-{index}")
        row_src = ",\n    ".join("(" + ", ".join(text_content(c) for c in r) + ",)" for r in rows)
        args = [
            f"number: {typst_string(str(p.get('number', '')))}",
            f"caption: {text_content(str(p.get('caption') or ''))}",
            "columns: (" + ", ".join(text_content(c) for c in columns) + ",)",
            "aligns: (" + ", ".join(aligns) + ",)",
            "widths: (" + "".join("(" + ", ".join(w) + ",), " for w in widths) + ")",
            f"rows: (\n    {row_src},\n  )" if rows else "rows: ()",
            f"source: {text_content(str(p['source'])) if p.get('source') else 'none'}",
            f"note: {text_content(str(p['note'])) if p.get('note') else 'none'}",
            f"id: {self.label_arg(tid)}",
            f"key: {typst_string(self.place_key())}",
        ]
        self.emit(
            f"// cell {index}: table {p.get('number', '')}\n#tr-table(\n  "
            + ",\n  ".join(args)
            + ",\n)\n",
            index,
        )

    def claim(self, index: int, p: dict) -> None:
        """One claim of the ledger: claim full width, verdict badge, reasoning, evidence, sources."""
        sources = []
        for src in p.get("sources") or []:
            if not isinstance(src, dict):
                continue
            label = text_content(str(src.get("label") or src.get("id") or ""))
            url = http_url(src.get("url"))
            sources.append(f"link({typst_string(url)}, {label})" if url else label)
        args = [
            f"id: {typst_string(str(p.get('id', '')))}",
            f"verdict: {typst_string(str(p.get('verdict') or 'not verifiable'))}",
            f"claim: {text_content(str(p.get('claim', '')))}",
            f"reasoning: {text_content(str(p['reasoning'])) if p.get('reasoning') else 'none'}",
            "evidence: (" + "".join(text_content(str(e)) + ", " for e in p.get("evidence") or [])
            + ")",
            "sources: (" + "".join(s + ", " for s in sources) + ")",
            f"after: {text_content(str(p['after'])) if p.get('after') else 'none'}",
        ]
        self.emit(f"// cell {index}: claim {p.get('id', '')}\n#tr-claim(\n  "
                  + ",\n  ".join(args) + ",\n)\n", index)

    def bibliography(self, index: int, p: dict) -> None:
        """Appendix B: a compact hanging-indent list; every URL a live link."""
        entries = []
        for e in p.get("entries") or []:
            if not isinstance(e, dict):
                continue
            bits = []
            for kind, text in bibliography_parts(e):
                if kind == "publisher":
                    bits.append(f"#strong[{escape_text(text)}]")
                elif kind == "title":
                    bits.append(f"#emph[{escape_text(text)}]{full_stop(text)}")
                else:
                    bits.append(escape_text(text))
            url = http_url(e.get("url"))
            if url:
                bits.append(f"#tr-url({typst_string(url)})")
            entries.append("[" + " ".join(bits) + "]")
        notes = "".join(f"[{escape_text(n)}], " for n in bibliography_notes(p))
        self.emit(f"// cell {index}: bibliography\n#tr-bibliography((\n  "
                  + ",\n  ".join(entries) + f",\n), notes: ({notes}))\n", index)

    def colophon(self, c: dict, as_of: Any) -> None:
        self.section = "Colophon"

        def pairs(d: Any) -> str:
            if not isinstance(d, dict) or not d:
                return "()"
            return (
                "("
                + "".join(
                    f"({typst_string(str(k))}, {typst_string(str(v))}), " for k, v in d.items()
                )
                + ")"
            )

        args = [
            f"commit: {typst_string(str(c['commit'])) if c.get('commit') else 'none'}",
            f"data-hashes: {pairs(c.get('data_hashes'))}",
            f"versions: {pairs(c.get('versions'))}",
            f"note: {text_content(str(c['note'])) if c.get('note') else 'none'}",
            f"date: {typst_string(str(as_of)) if as_of else 'none'}",
        ]
        self.emit("// colophon\n#tr-colophon(\n  " + ",\n  ".join(args) + ",\n)\n")


def _h1_titles(source: str, conv: MarkdownToTypst, any_level: bool = False) -> list[str]:
    """Plain-text H1 titles (or all headings) in a Markdown source (cheap: parse only)."""
    titles = []
    for tok in conv._md(source):
        level = (tok.get("attrs") or {}).get("level")
        if tok.get("type") == "heading" and (level == 1 or any_level):
            titles.append(conv.plain(tok).strip())
    return titles


def build_typst(
    nb,
    resources: dict | None = None,
    *,
    paper: str = "a4",
    assets_dir: str = "typst_files",
    outline_depth: int = 2,
    allow_raw_typst: bool = True,
) -> TypstDocument:
    """Generate the Typst document for a (merged, executed) report notebook."""
    return _Builder(
        nb,
        resources or {},
        paper=paper,
        assets_dir=assets_dir,
        outline_depth=outline_depth,
        allow_raw_typst=allow_raw_typst,
    ).build()


# ---------------------------------------------------------------------------------------------
# Typst -> PDF
# ---------------------------------------------------------------------------------------------




def without_cell(doc: TypstDocument, cell_index: int, reason: str) -> TypstDocument:
    """The document with every line a cell produced replaced by a visible placeholder.

    Line numbers stay the same (the placeholder is padded with comment lines), so the spans
    still locate the other cells.
    """
    lines = doc.text.split("\n")
    for span in doc.spans:
        if span.cell_index != cell_index:
            continue
        count = span.end_line - span.start_line + 1
        note = text_content(f"Cell {cell_index} could not be typeset and is left out: {reason}")
        block = [f"#tr-missing-image({note})"] + ["//"] * (count - 1)
        lines[span.start_line - 1 : span.end_line] = block
    return TypstDocument(text="\n".join(lines), assets=doc.assets, spans=doc.spans,
                         warnings=doc.warnings, timestamp=doc.timestamp, title=doc.title,
                         assets_dir=doc.assets_dir, font_paths=doc.font_paths)


def compile_degrading(doc: TypstDocument, main_name: str, report: bool = False,
                      attempts: int = 5) -> tuple[bytes, list[str]]:
    """Compile; for a plain notebook, a cell that breaks the compile is left out with a warning
    naming it (up to ``attempts`` cells). The report itself fails instead: it must be whole."""
    left_out: list[str] = []
    for _ in range(attempts):
        try:
            pdf, warns = compile_typst(doc, main_name)
            return pdf, left_out + warns
        except TypstCompileError as exc:
            if report or exc.cell_index is None:
                raise
            first = str(exc).split("\n", 1)[0]
            reason = first.split(": ", 1)[-1][:160]
            message = f"Typst export: cell {exc.cell_index} left out of the PDF: {reason}"
            logger.warning(message)
            left_out.append(message)
            doc = without_cell(doc, exc.cell_index, reason)
    return compile_typst(doc, main_name)


# ---------------------------------------------------------------------------------------------
# nbconvert exporters
# ---------------------------------------------------------------------------------------------


class TypstExporter(Exporter):
    """Notebook -> Typst source (``.typ``) for the Tightrope report (no code input)."""

    export_from_notebook = "Typst (Tightrope)"
    output_mimetype = "text/x-typst"

    paper = Unicode("a4", help="Typst paper name, e.g. 'a4' or 'us-letter'.").tag(config=True)
    assets_dir = Unicode(
        "",
        help="Folder (relative to the output) for the template and figure files. "
        "Default: nbconvert's output_files_dir ('<notebook>_files'), else 'typst_files'.",
    ).tag(config=True)
    outline_depth = Integer(2, help="Heading depth shown in the contents.").tag(config=True)
    allow_raw_typst = Bool(
        True,
        help="Pass through raw cells with raw_mimetype 'text/x-typst' and cells whose "
        "metadata has tightrope.raw_typst (a string of Typst markup).",
    ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".typ"

    @default("optimistic_validation")
    def _optimistic_validation_default(self) -> bool:
        # validated once after all preprocessors, not after each (see ReportHTMLExporter)
        return True

    def _assets_dir(self, resources: dict) -> str:
        if self.assets_dir:
            return self.assets_dir
        out_dir = resources.get("output_files_dir")
        if out_dir:
            return str(out_dir).replace(os.sep, "/")
        name = _meta(resources.get("metadata", {}), "name", "")
        return f"{name}_files" if name else "typst_files"

    def build(self, nb, resources: dict) -> TypstDocument:
        return build_typst(
            nb,
            resources,
            paper=self.paper,
            assets_dir=self._assets_dir(resources),
            outline_depth=self.outline_depth,
            allow_raw_typst=self.allow_raw_typst,
        )

    def from_notebook_node(self, nb, resources=None, **kw):
        check_notebook(nb, _meta((resources or {}).get("metadata", {}), "name", ""))
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        doc = self.build(nb_copy, resources)
        resources.setdefault("tightrope_warnings", []).extend(doc.warnings)
        resources["tightrope_typst"] = doc
        outputs = resources.setdefault("outputs", {})
        outputs.update(doc.assets)
        return doc.text, resources


class TypstPDFExporter(TypstExporter):
    """Notebook -> PDF via Typst (pip-only: no TeX, no browser). Output is bytes."""

    export_from_notebook = "PDF via Typst (Tightrope)"
    output_mimetype = "application/pdf"

    keep_typ = Bool(
        False,
        help="Also write the generated .typ (and its template/figure files) next to the PDF.",
    ).tag(config=True)

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        text, resources = super().from_notebook_node(nb, resources, **kw)
        doc: TypstDocument = resources["tightrope_typst"]
        stem = str(
            resources.get("unique_key")
            or _meta(resources.get("metadata", {}), "name", "")
            or "report"
        )
        main_name = _SAFE_ID.sub("_", stem) + ".typ"
        if main_name == TEMPLATE_NAME:
            main_name = "report-main.typ"
        pdf, typst_warnings = compile_degrading(doc, main_name, report=is_report(nb))
        for msg in typst_warnings:
            logger.warning(msg)
        resources["tightrope_warnings"].extend(typst_warnings)
        outputs = resources.setdefault("outputs", {})
        if self.keep_typ:
            outputs[f"{stem}.typ"] = text.encode("utf-8")
        else:
            for rel in doc.assets:
                outputs.pop(rel, None)
        return pdf, resources
