"""Typst source -> PDF: the compile step of the PDF export, light to import (typst and the
standard library only).

- :func:`compile_typst` compiles a generated :class:`TypstDocument` in this process (the
  ``tightrope-pdf`` exporter does this for any notebook).
- :func:`compile_apart` compiles sources already written to a folder in a fresh, small Python
  process (this file run by its path), one per layout attempt. A build does this for the
  report: the compile's own memory (about 180 MiB for the report's layout) is then not added to
  that of the process that generated the source (the warm engine or a child of it, holding
  pandas, matplotlib and nbconvert), nor one attempt's to the next.

Either way a failing compile raises :class:`TypstCompileError`, naming the report section and the
notebook cell that produced the offending lines, and warnings name them too.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

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
    font_paths: list[str] = field(default_factory=list)  # fallback font folders (glyphs.py)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def locate(self, line: int) -> Span | None:
        for span in self.spans:
            if span.start_line <= line <= span.end_line:
                return span
        return None

    def describe(self) -> dict:
        """What the compile needs besides the written files (JSON): see :meth:`described`."""
        return {"spans": [asdict(s) for s in self.spans], "timestamp": self.timestamp,
                "title": self.title, "assets_dir": self.assets_dir,
                "font_paths": list(self.font_paths)}

    @classmethod
    def described(cls, data: dict, text: str) -> TypstDocument:
        """The document again from :meth:`describe` and its source text (its assets on disk)."""
        return cls(text=text, assets={}, spans=[Span(**s) for s in data["spans"]], warnings=[],
                   timestamp=int(data["timestamp"]), title=data["title"],
                   assets_dir=data["assets_dir"], font_paths=list(data["font_paths"]))


def _is_main(fname: str, main: Path) -> bool:
    """Is a diagnostic's file the generated document (not the template beside it, which may
    carry the same name in its assets folder)? Paths in diagnostics are relative to the working
    directory."""
    return Path(fname).resolve() == Path(main).resolve()


def _error_from(exc: Exception, doc: TypstDocument, main: Path) -> TypstCompileError:
    message = getattr(exc, "message", None) or str(exc)
    diagnostic = getattr(exc, "diagnostic", "") or ""
    trace = getattr(exc, "trace", None) or []
    hints = getattr(exc, "hints", None) or []
    haystack = diagnostic + "\n" + "\n".join(str(t) for t in trace)
    line = None
    for fname, ln, _col in _DIAG_LOC.findall(haystack):
        if _is_main(fname, main):
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
    """Compile a generated document to PDF bytes in a throw-away directory (whose path never
    reaches the PDF). Returns ``(pdf_bytes, typst_warnings)``; raises :class:`TypstCompileError`.
    """
    with tempfile.TemporaryDirectory(prefix="tightrope-typst-") as tmp:
        main = write_sources(doc, tmp, main_name)
        return compile_folder(doc, main)


#: Typst's warning when introspection (figures placed by where they land) has not settled
NOT_CONVERGED = "did not converge"
#: the template's fitted layout again, letting figures shrink a little more to stay where they
#: are cited (see report.typ): tried in turn when the default has not settled, before the plain
#: layout (a paragraph one line longer can make two decisions chase each other; a lower
#: threshold often settles them)
FITTED_RETRIES = ({"tr-min-scale": "0.75"},)
#: the template's layout without decisions taken from positions (see report.typ)
PLAIN_LAYOUT = {"tr-layout": "plain"}
PLAIN_LAYOUT_USED = ("Typst warning: the layout did not settle in five passes; the PDF uses the "
                     "plain layout (every figure and table where it is cited, at full size)")


def compile_folder(doc: TypstDocument, main: Path) -> tuple[bytes, list[str]]:
    """Compile ``main`` (``doc``'s source, written with its assets by :func:`write_sources`),
    in this process, until the layout settles (:func:`settle`)."""
    return settle(lambda inputs: _compile(doc, main, inputs))


def settle(compile_with: Callable[[dict[str, str]], tuple[bytes, list[str]]],
           ) -> tuple[bytes, list[str]]:
    """The PDF of the first layout that settles, from ``compile_with(template inputs)``.

    A layout that has not settled in Typst's five passes can print wrong page numbers and
    misplace figures; it is compiled again in the template's plain layout (every figure and
    table where it is cited, at full size), and one warning says so; before that, the fitted
    layout is tried with figures allowed to shrink a little more (:data:`FITTED_RETRIES`)."""
    pdf, warns = compile_with({})
    for inputs in FITTED_RETRIES:
        if not any(NOT_CONVERGED in w for w in warns):
            break
        pdf, warns = compile_with(inputs)
    if any(NOT_CONVERGED in w for w in warns):
        try:
            plain_pdf, plain = compile_with(PLAIN_LAYOUT)
        except TypstCompileError as exc:  # keep the unsettled PDF rather than none
            return pdf, [*warns, f"Typst warning: the plain layout failed: {exc}"]
        pdf, warns = plain_pdf, [w for w in plain if NOT_CONVERGED not in w] + [PLAIN_LAYOUT_USED]
        if any(NOT_CONVERGED in w for w in plain):
            warns.append("Typst warning: the plain layout did not settle either")
    return pdf, warns


def _compile(doc: TypstDocument, main: Path, inputs: dict[str, str]) -> tuple[bytes, list[str]]:
    import typst

    try:
        pdf, warns = typst.compile_with_warnings(
            str(main),
            root=str(main.parent),
            ignore_system_fonts=True,
            font_paths=list(doc.font_paths),
            format="pdf",
            timestamp=doc.timestamp,
            sys_inputs=inputs,
        )
    except typst.TypstError as exc:
        raise _error_from(exc, doc, main) from None
    except RuntimeError as exc:  # older bindings raise plain RuntimeError
        raise _error_from(exc, doc, main) from None
    messages = []
    for w in warns or []:
        text = getattr(w, "message", None) or str(w)
        diag = getattr(w, "diagnostic", "") or ""
        loc = _DIAG_LOC.search(diag)
        if loc and _is_main(loc.group(1), main):
            span = doc.locate(int(loc.group(2)))
            if span is not None:
                text += f" (section {span.section!r}, cell {span.cell_index})"
        messages.append(f"Typst warning: {text}")
    return pdf, messages


_ERROR_FIELDS = ("section", "cell_index", "line", "excerpt", "diagnostic")
#: a compile that takes longer has hung (the report's takes about a second)
COMPILE_TIMEOUT_S = 600


def compile_apart(described: dict, main: str | os.PathLike, target: str | os.PathLike) -> list[str]:
    """Compile the sources at ``main`` (written by :func:`write_sources`; ``described`` is their
    document's :meth:`TypstDocument.describe`) into the PDF file ``target``, each attempt of
    :func:`settle` in a fresh Python process that imports nothing but typst (so that a retry
    does not add its memory to the first compile's: about 190 MiB each). Returns the Typst
    warnings; raises :class:`TypstCompileError` as :func:`compile_typst` does."""
    target = Path(target)

    def attempt(inputs: dict[str, str]) -> tuple[bytes, list[str]]:
        warnings = _compile_in_child(described, main, target, inputs)
        return target.read_bytes(), warnings

    pdf, warnings = settle(attempt)
    target.write_bytes(pdf)  # the settled attempt's (a later failed one may have written)
    return warnings


def _compile_in_child(described: dict, main: str | os.PathLike, target: Path,
                      inputs: dict[str, str]) -> list[str]:
    """One compile with the template ``inputs``, in a fresh process, into ``target``."""
    request = json.dumps({"doc": described, "main": str(main), "target": str(target),
                          "inputs": inputs})
    # this file run by its path (it needs only the standard library and typst); -P: neither its
    # folder nor the working directory is put before them on the import path
    try:
        done = subprocess.run([sys.executable, "-P", str(Path(__file__).resolve())],
                              input=request, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", check=False, timeout=COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise TypstCompileError(f"Typst compilation did not finish within "
                                f"{COMPILE_TIMEOUT_S // 60} minutes") from None
    try:
        reply = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        raise TypstCompileError(f"Typst compilation stopped (exit code {done.returncode}) before "
                                f"it reported: {tail or 'no message'}") from None
    if not reply["ok"]:
        raise TypstCompileError(reply["message"], **{k: reply.get(k) for k in _ERROR_FIELDS})
    return reply["warnings"]


def _serve_one(request: dict) -> dict:
    """The fresh process's side of :func:`compile_apart`."""
    main = Path(request["main"])
    doc = TypstDocument.described(request["doc"], main.read_text(encoding="utf-8"))
    try:
        pdf, warnings = _compile(doc, main, request.get("inputs", {}))
    except TypstCompileError as exc:
        return {"ok": False, "message": str(exc), **{k: getattr(exc, k) for k in _ERROR_FIELDS}}
    Path(request["target"]).write_bytes(pdf)
    return {"ok": True, "warnings": warnings}


if __name__ == "__main__":
    sys.stdout.write(json.dumps(_serve_one(json.loads(sys.stdin.read()))))
