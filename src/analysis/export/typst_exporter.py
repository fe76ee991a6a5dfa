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
the PDF creation date comes from ``SOURCE_DATE_EPOCH`` or the report's ``date`` metadata
(never the clock), and compilation happens in a temporary directory whose path never reaches
the PDF. Same notebook -> byte-identical PDF.

Errors: a failing compile raises :class:`TypstCompileError`, naming the report section
(nearest preceding H1) and the notebook cell that produced the offending lines.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import datetime as _dt
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from importlib import resources as _ilr
from pathlib import Path
from typing import Any

import typst
from nbconvert.exporters import Exporter
from traitlets import Bool, Integer, Unicode, default

from .markdown_typst import MarkdownToTypst, text_content, typst_string

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
SKIP_TAGS = frozenset({"remove-cell", "parameters", "injected-parameters"})
RAW_TYPST_MIMES = frozenset({"text/x-typst", "text/typst"})
TEMPLATE_NAME = "report.typ"
_SAFE_ID = re.compile(r"[^A-Za-z0-9_.-]+")
_LABEL_OK = re.compile(r"^[A-Za-z0-9_\-.:]+$")
_DIAG_LOC = re.compile(r"([^\s:]+\.typ):(\d+):(\d+)")


class TypstCompileError(RuntimeError):
    """The generated Typst did not compile.

    Attributes: ``section`` (nearest preceding H1, or None), ``cell_index`` (notebook cell
    that produced the offending line, or None), ``line`` (1-based line in the generated
    ``.typ``), ``excerpt`` (the offending generated lines), ``diagnostic`` (Typst's own text).
    """

    def __init__(
        self,
        message: str,
        *,
        section: str | None = None,
        cell_index: int | None = None,
        line: int | None = None,
        excerpt: str = "",
        diagnostic: str = "",
    ) -> None:
        super().__init__(message)
        self.section = section
        self.cell_index = cell_index
        self.line = line
        self.excerpt = excerpt
        self.diagnostic = diagnostic


@dataclass
class Span:
    start_line: int  # 1-based, inclusive
    end_line: int  # inclusive
    cell_index: int | None
    section: str | None


@dataclass
class TypstDocument:
    """The generated Typst source plus everything needed to compile it."""

    text: str
    assets: dict[str, bytes]  # path relative to the .typ -> bytes (template, figures)
    spans: list[Span]
    warnings: list[str]
    timestamp: int
    title: str
    assets_dir: str

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def locate(self, line: int) -> Span | None:
        for span in self.spans:
            if span.start_line <= line <= span.end_line:
                return span
        return None


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


def _pairs(value: Any) -> list[tuple[str, str]]:
    """Parameters as ordered (name, value) pairs: a dict, or a list of [name, value] pairs.

    (nbformat writes metadata with sorted keys, so a dict loses its declaration order in a
    saved notebook; a list of pairs keeps it.)
    """
    if not value:
        return []
    if isinstance(value, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    pairs = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((str(item[0]), "" if item[1] is None else str(item[1])))
        elif isinstance(item, dict) and "name" in item:
            pairs.append((str(item["name"]), str(item.get("value", ""))))
    return pairs


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
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return "auto"
    if date is not None:
        return f"datetime(year: {date.year}, month: {date.month}, day: {date.day})"
    return "none"


def source_timestamp(date: _dt.date | None) -> int:
    """Creation timestamp: SOURCE_DATE_EPOCH if set, else the report date (00:00 UTC), else 0."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        try:
            return int(env)
        except ValueError:
            logger.warning("SOURCE_DATE_EPOCH=%r is not an integer; ignored", env)
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
        self.labels = self._collect_labels()
        self.md = MarkdownToTypst(warn=self.warnings.append, labels=self.labels)

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
        meta = dict(_meta(self.nb.metadata, "tightrope", {}) or {})
        name = _meta(_meta(self.resources, "metadata", {}), "name", "") or "Report"
        title = str(meta.get("title") or name)
        date = _parse_date(meta.get("date"))
        params = _pairs(meta.get("params"))
        as_of = dict(params).get("as_of")
        as_of = as_of or meta.get("date")
        keywords = [str(k) for k in (meta.get("keywords") or [])]
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
            f"as-of: {typst_string(str(as_of)) if as_of else 'none'}",
            "doc-date: " + _doc_date(date),
            f"paper: {typst_string(self.paper)}",
            f"outline-depth: {int(self.outline_depth)}",
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
        return TypstDocument(
            text="".join(self.chunks),
            assets=self.assets,
            spans=self.spans,
            warnings=self.warnings,
            timestamp=source_timestamp(date),
            title=title,
            assets_dir=self.assets_dir,
        )

    # ------------------------------------------------------------------ cells
    def cell(self, index: int, cell) -> None:
        md = cell.get("metadata", {}) or {}
        tags = set(md.get("tags", []) or [])
        if tags & SKIP_TAGS:
            return
        tr = md.get("tightrope", {}) or {}
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
            if probe:
                self.section = probe[0]
            elif tr.get("section") and self.section is None:
                self.section = str(tr.get("section"))
            markup = self.md.convert(source, where=where)
            self.emit(f"// cell {index}: markdown\n{markup}\n", index)
        elif ctype == "code":
            for j, out in enumerate(cell.get("outputs", []) or []):
                self.output(index, j, out)
        elif ctype == "raw":
            mime = (md.get("raw_mimetype") or md.get("format") or "").lower()
            if mime in RAW_TYPST_MIMES and self.allow_raw_typst:
                self.emit(f"// cell {index}: raw Typst\n{_joined(cell.get('source'))}\n", index)
            elif _joined(cell.get("source")).strip():
                self.warn(f"Typst export: raw cell {index} (format {mime or 'none'}) not rendered")
        else:
            self.warn(f"Typst export: cell {index} of type {ctype!r} not rendered")

    def output(self, index: int, j: int, out) -> None:
        otype = out.get("output_type")
        where = f"cell {index}"
        if otype == "stream":
            self.warn(f"Typst export: {out.get('name', 'stream')} output of {where} not rendered")
            return
        if otype == "error":
            self.emit(
                f"// cell {index}: error output\n"
                f"#tr-error(ename: {typst_string(str(out.get('ename', '')))}, "
                f"evalue: {typst_string(str(out.get('evalue', '')))})\n",
                index,
            )
            return
        data = out.get("data", {}) or {}
        try:
            if FIGURE_MIME in data:
                return self.figure(index, _payload(data[FIGURE_MIME]))
            if TABLE_MIME in data:
                return self.table(index, _payload(data[TABLE_MIME]))
        except (ValueError, TypeError, KeyError) as exc:
            self.warn(f"Typst export: malformed tightrope payload in {where}: {exc}")
            return
        if "text/markdown" in data:
            markup = self.md.convert(_joined(data["text/markdown"]), where=where)
            self.emit(f"// cell {index}: text/markdown output\n{markup}\n", index)
            return
        for mime, ext in (("image/svg+xml", ".svg"), ("image/png", ".png"), ("image/jpeg", ".jpg")):
            if mime in data:
                raw = _joined(data[mime])
                if ext == ".svg":
                    blob = raw.encode("utf-8")
                else:
                    try:
                        blob = base64.b64decode(raw)
                    except (binascii.Error, ValueError):
                        self.warn(f"Typst export: undecodable {mime} output in {where}")
                        return
                path = self.asset(f"cell-{index}-{j}", ext, blob)
                alt = _joined(data.get("text/plain", "")) if "text/plain" in data else ""
                alt_arg = f", alt: {typst_string(alt)}" if alt else ""
                self.emit(
                    f"// cell {index}: {mime} output\n"
                    f"#tr-plain-image(image({typst_string(path)}{alt_arg}))\n",
                    index,
                )
                return
        if "text/plain" in data and otype == "execute_result":
            text = _joined(data["text/plain"]).rstrip("\n")
            self.emit(
                f"// cell {index}: text/plain result\n"
                f"#tr-plain-text(raw(block: true, {typst_string(text)}))\n",
                index,
            )
            return
        kinds = ", ".join(sorted(data)) or "no data"
        self.warn(f"Typst export: {otype} output of {where} not rendered ({kinds})")

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
        # Columns with long text get a flexible width so they wrap; the rest fit their content.
        # Wrapping columns share the free width in proportion to their average text length.
        longest = [max([len(columns[k])] + [len(r[k]) for r in rows]) for k in range(n)]
        mean = [sum(len(r[k]) for r in rows) / max(1, len(rows)) for k in range(n)]
        widths = [f"{max(1, round(a / 15))}fr" if m > 40 else "auto"
                  for m, a in zip(longest, mean, strict=True)]
        tid = str(p.get("id") or f"table-{index}")
        row_src = ",\n    ".join("(" + ", ".join(text_content(c) for c in r) + ",)" for r in rows)
        args = [
            f"number: {typst_string(str(p.get('number', '')))}",
            f"caption: {text_content(str(p.get('caption') or ''))}",
            "columns: (" + ", ".join(text_content(c) for c in columns) + ",)",
            "aligns: (" + ", ".join(aligns) + ",)",
            "widths: (" + ", ".join(widths) + ",)",
            f"rows: (\n    {row_src},\n  )" if rows else "rows: ()",
            f"source: {text_content(str(p['source'])) if p.get('source') else 'none'}",
            f"note: {text_content(str(p['note'])) if p.get('note') else 'none'}",
            f"id: {self.label_arg(tid)}",
        ]
        self.emit(
            f"// cell {index}: table {p.get('number', '')}\n#tr-table(\n  "
            + ",\n  ".join(args)
            + ",\n)\n",
            index,
        )

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


def _h1_titles(source: str, conv: MarkdownToTypst) -> list[str]:
    """Plain-text H1 titles in a Markdown source (cheap: parse only)."""
    titles = []
    for tok in conv._md(source):
        if tok.get("type") == "heading" and (tok.get("attrs") or {}).get("level") == 1:
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


def _error_from(exc: Exception, doc: TypstDocument, main_name: str) -> TypstCompileError:
    message = getattr(exc, "message", None) or str(exc)
    diagnostic = getattr(exc, "diagnostic", "") or ""
    trace = getattr(exc, "trace", None) or []
    hints = getattr(exc, "hints", None) or []
    haystack = diagnostic + "\n" + "\n".join(str(t) for t in trace)
    line = None
    for fname, ln, _col in _DIAG_LOC.findall(haystack):
        if Path(fname).name == main_name:
            line = int(ln)
            break
    span = doc.locate(line) if line else None
    excerpt = ""
    if line:
        lines = doc.lines
        lo, hi = max(1, line - 3), min(len(lines), line + 3)
        if span is not None:
            lo, hi = max(lo, span.start_line), min(hi, span.end_line)
            lo, hi = min(lo, line), max(hi, line)
        width = len(str(hi))
        excerpt = "\n".join(
            f"{'>' if k == line else ' '} {k:>{width}} | {lines[k - 1]}" for k in range(lo, hi + 1)
        )
    where = []
    if span is not None and span.section:
        where.append(f"section {span.section!r}")
    elif span is not None:
        where.append("front matter (before the first section)")
    if span is not None and span.cell_index is not None:
        where.append(f"notebook cell {span.cell_index}")
    if line:
        where.append(f"generated line {line}")
    head = "Typst compilation failed"
    if where:
        head += " in " + ", ".join(where)
    text = f"{head}: {message}"
    if excerpt:
        text += "\n\nGenerated Typst:\n" + excerpt
    if hints:
        text += "\n\nHints:\n" + "\n".join(f"  - {h}" for h in hints)
    if diagnostic:
        text += "\n\nTypst diagnostic:\n" + diagnostic.rstrip()
    return TypstCompileError(
        text,
        section=span.section if span else None,
        cell_index=span.cell_index if span else None,
        line=line,
        excerpt=excerpt,
        diagnostic=diagnostic,
    )


def write_sources(doc: TypstDocument, directory: str | os.PathLike, main_name: str) -> Path:
    """Write the .typ and its assets into ``directory``; returns the .typ path."""
    directory = Path(directory)
    for rel, blob in doc.assets.items():
        dest = directory / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(blob)
    main = directory / main_name
    main.write_text(doc.text, encoding="utf-8")
    return main


def compile_typst(doc: TypstDocument, main_name: str = "report.typ") -> tuple[bytes, list[str]]:
    """Compile a generated document to PDF bytes in a throw-away directory.

    Returns ``(pdf_bytes, typst_warnings)``. Raises :class:`TypstCompileError`.
    """
    with tempfile.TemporaryDirectory(prefix="tightrope-typst-") as tmp:
        main = write_sources(doc, tmp, main_name)
        try:
            pdf, warns = typst.compile_with_warnings(
                str(main),
                root=tmp,
                ignore_system_fonts=True,
                format="pdf",
                timestamp=doc.timestamp,
            )
        except typst.TypstError as exc:
            raise _error_from(exc, doc, main_name) from None
        except RuntimeError as exc:  # older bindings raise plain RuntimeError
            raise _error_from(exc, doc, main_name) from None
    messages = []
    for w in warns or []:
        text = getattr(w, "message", None) or str(w)
        diag = getattr(w, "diagnostic", "") or ""
        loc = _DIAG_LOC.search(diag)
        if loc and Path(loc.group(1)).name == main_name:
            span = doc.locate(int(loc.group(2)))
            if span is not None:
                text += f" (section {span.section!r}, cell {span.cell_index})"
        messages.append(f"Typst warning: {text}")
    return pdf, messages


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
        pdf, typst_warnings = compile_typst(doc, main_name)
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
