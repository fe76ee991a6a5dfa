"""The general exporters on the fixture corpus (tests/fixtures/corpus, one notebook per feature).

Each notebook goes through both ``tightrope-html`` and ``tightrope-pdf``; the assertions name the
content that must appear (markers in the fixtures) and what must never appear (script, escape
codes, Python reprs). The corpus is written by tests/fixtures/corpus/make_corpus.py.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell
from pypdf import PdfReader

from analysis.export.html_exporter import ReportHTMLExporter
from analysis.export.html_render import sanitize, valid_base64
from analysis.export.notebook import InvalidNotebookError
from analysis.export.typst_exporter import TypstCompileError, TypstPDFExporter

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
NAMES = ["streams", "errors", "math", "images", "attachments", "dataframes", "widgets",
         "raw_cells", "malicious", "cjk_emoji", "no_headings", "long_title"]


def _resources(name: str) -> dict:
    return {"metadata": {"name": name, "path": str(CORPUS)}}


def _convert(exporter, name: str) -> tuple:
    """One corpus notebook through ``exporter``: (output, the exporter's warnings)."""
    nb = nbformat.read(CORPUS / f"{name}.ipynb", as_version=4)
    body, resources = exporter.from_notebook_node(nb, _resources(name))
    return body, resources.get("tightrope_warnings", [])


@pytest.fixture(scope="module")
def html():
    return {name: _convert(ReportHTMLExporter(), name) for name in NAMES}


@pytest.fixture(scope="module")
def pdf():
    out = {}
    for name in NAMES:
        body, warnings = _convert(TypstPDFExporter(), name)
        reader = PdfReader(io.BytesIO(body))
        text = "\n".join(page.extract_text() for page in reader.pages)
        out[name] = (reader, text, warnings)
    return out


def _main_text(body: str) -> str:
    return BeautifulSoup(body, "html.parser").find("main").get_text(" ")


def _executable(body: str) -> list[str]:
    """Everything in the page that a browser would run."""
    soup = BeautifulSoup(body, "html.parser")
    found = [f"<{t.name}>" for t in soup.find_all(["script", "iframe", "object", "embed",
                                                     "form", "frame", "base", "meta"])
             if not (t.name == "meta" and t.get("name") in ("viewport", "generator",
                                                             "description", "keywords"))
             and not (t.name == "meta" and t.get("charset"))]
    for tag in soup.find_all(True):
        for attr, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower().startswith("on"):
                found.append(f"{tag.name} {attr}=")
            if re.search(r"^\s*(javascript|vbscript|data:text)", text, re.IGNORECASE):
                found.append(f"{tag.name} {attr}={text[:30]}")
    return found


# ------------------------------------------------------------------------------- features
@pytest.mark.parametrize("name", NAMES)
def test_no_executable_content_and_no_repr(html, pdf, name):
    body, _ = html[name]
    assert _executable(body) == []
    for text in (_main_text(body), pdf[name][1]):
        assert "IPython.core.display" not in text
        assert "\x1b[" not in text and "[0;31m" not in text


def test_streams(html, pdf):
    main = _main_text(html["streams"][0])
    for marker in ("STDOUT-MARKER line one", "line two", "STDERR-MARKER: a warning"):
        assert marker in main
        assert marker in pdf["streams"][1]
    assert 'class="tr-stream tr-stderr"' in html["streams"][0]


def test_errors_with_traceback_and_parameters_cell(html, pdf):
    body = html["errors"][0]
    for text in (_main_text(body), pdf["errors"][1]):
        assert "ZeroDivisionError" in text and "division by zero" in text
        assert "----> 2" in text  # the traceback, not only the message
        assert "PARAM-ERROR-MARKER" in text  # the parameters cell's error is shown
    assert "ansi-red-fg" in body  # colours converted, not printed


def test_math_is_typeset(html, pdf):
    body = html["math"][0]
    soup = BeautifulSoup(body, "html.parser")
    assert len(soup.find_all("math")) >= 5  # 3 in Markdown, display(Math), sympy result
    assert soup.find("math", attrs={"display": "block"}) is not None
    text = _main_text(body)
    assert "price of $5" in text and "\\frac" not in text and "$e^" not in text
    _, ptext, warnings = pdf["math"]
    assert "price of $5" in ptext
    assert "\\frac" not in ptext and "\\int" not in ptext and "e^{" not in ptext
    assert "∑" in ptext and "∫" in ptext
    assert not [w for w in warnings if "formula" in w or "LaTeX" in w]


def test_images_every_kind(html, pdf):
    body, warnings = html["images"]
    srcs = [img["src"] for img in BeautifulSoup(body, "html.parser").find_all("img")]
    assert sum(s.startswith("data:image/png;base64,") for s in srcs) == 3  # file, URI, output
    assert sum(s.startswith("data:image/svg+xml;base64,") for s in srcs) == 1
    assert any("malformed SVG in cell 3" in w for w in warnings)
    reader, text, pwarnings = pdf["images"]
    assert sum(len(page.images) for page in reader.pages) == 3
    assert "SVG-MARKER" in text  # the valid SVG is embedded as vector graphics
    assert any("malformed SVG in cell 3" in w for w in pwarnings)
    assert any("does-not-exist.png" in w for w in pwarnings)
    assert "Image not included: Missing file" in text


def test_attachments(html, pdf):
    srcs = [img["src"] for img in
            BeautifulSoup(html["attachments"][0], "html.parser").find_all("img")]
    assert len(srcs) == 1 and srcs[0].startswith("data:image/png;base64,")
    reader = pdf["attachments"][0]
    assert sum(len(page.images) for page in reader.pages) == 1


def test_wide_dataframe_and_html_outputs(html, pdf):
    body, warnings = html["dataframes"]
    soup = BeautifulSoup(body, "html.parser")
    wrap = soup.find("div", class_="tr-table-wrap")
    assert wrap is not None and wrap.get("tabindex") == "0" and wrap.find("table") is not None
    assert "indicator_13" in wrap.get_text() and "505.5" in wrap.get_text()
    assert soup.find("b", string="HTML-MARKER") is not None
    assert "[HTML output not shown" in body and any("cell 3" in w for w in warnings)
    reader, text, pwarnings = pdf["dataframes"]
    assert "indicator_13" in text and "505.5" in text and "HTML-MARKER" in text
    assert "HTML output not shown in the PDF" in text
    assert any("cell 3" in w for w in pwarnings)
    assert any(page.mediabox.width > page.mediabox.height for page in reader.pages)  # landscape


def test_widget_text_fallback(html, pdf):
    assert "WIDGET-MARKER" in _main_text(html["widgets"][0])
    assert "WIDGET-MARKER" in pdf["widgets"][1]


def test_raw_cells(html, pdf):
    body = html["raw_cells"][0]
    text = _main_text(body)
    assert "RAW-PLAIN-MARKER <b>not markup</b>" in text  # shown as text, not markup
    assert "RAW-HTML-MARKER" in text
    ptext = pdf["raw_cells"][1]
    assert "RAW-PLAIN-MARKER <b>not markup</b>" in ptext and "RAW-HTML-MARKER" in ptext
    assert any("raw cell 3" in w for w in pdf["raw_cells"][2])  # text/latex: named, not lost


def test_malicious_markup_is_inert(html, pdf):
    body, warnings = html["malicious"]
    assert "SAFE-TEXT-MARKER" in _main_text(body)
    assert "<script" not in body.split("<main", 1)[1]
    soup = BeautifulSoup(body, "html.parser")
    assert "alert" not in soup.title.get_text() or "<" not in str(soup.title)[7:-8]
    assert any("not valid base64" in w for w in warnings)
    assert pdf["malicious"][0].pages  # the PDF builds too


def test_sanitize_html_option_drops_styles():
    nb = nbformat.read(CORPUS / "malicious.ipynb", as_version=4)
    body, _ = ReportHTMLExporter(sanitize_html=True).from_notebook_node(nb, _resources("m"))
    main = body.split("<main", 1)[1]
    assert 'style="color:darkred"' not in main
    assert "SAFE-TEXT-MARKER" in main
    # by default the style is kept, as nbconvert keeps it (a colour readable on white: the
    # corpus passes axe-core in `make check-html`)
    kept, _ = ReportHTMLExporter().from_notebook_node(nb, _resources("m"))
    assert 'style="color:darkred"' in kept.split("<main", 1)[1]


def _font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont", "")).split("+")[-1])
    return names


def test_cjk_and_emoji_set_in_fallback_fonts(html, pdf):
    """Characters the embedded fonts lack are set in the pip-installed Noto fallbacks."""
    assert "中文字符" in _main_text(html["cjk_emoji"][0])
    reader, text, warnings = pdf["cjk_emoji"]
    for word in ("中文字符", "日本語", "한국어", "Հայաստան", "🌍", "🚀"):
        assert word in text, word
    assert not [w for w in warnings if "glyphs" in w], warnings
    fonts = _font_names(reader)
    assert any(f.startswith("NotoSansCJK") for f in fonts), fonts
    assert any(f.startswith("NotoEmoji") for f in fonts), fonts


def test_glyphs_no_font_has_are_named_in_a_warning():
    nb = new_notebook(cells=[new_markdown_cell("# Glyphs\n\nLinear B \U00010000, Chinese 中.")])
    _, resources = TypstPDFExporter().from_notebook_node(nb, _resources("linear_b"))
    warning = " ".join(w for w in resources.get("tightrope_warnings", []) if "glyphs" in w)
    assert "\U00010000 (U+10000)" in warning
    assert "U+4E2D" not in warning  # the CJK fallback font has it


def test_fallback_fonts_only_when_needed():
    from analysis.export import glyphs
    assert glyphs.font_paths("Armenia Հայաստան, Россия, Ελλάδα: 3 → 4 ≤ 5") == []
    assert [Path(p).name for p in glyphs.font_paths("中 🌍")] == [
        "manimgx_fonts", "noto_cjk_sans_jp_regular"]
    assert glyphs.missing_glyphs("中 🌍") == []
    assert glyphs.missing_glyphs("中", fallback=False) == ["中"]


def test_titles_and_contents(html, pdf):
    assert BeautifulSoup(html["errors"][0], "html.parser").h1.get_text() == "errors"
    assert pdf["errors"][0].metadata.title == "errors"  # file name when no metadata.title
    assert pdf["math"][0].metadata.title == "Math in Markdown and outputs"
    assert "Contents" not in pdf["no_headings"][1]
    assert BeautifulSoup(html["no_headings"][0], "html.parser").find("nav") is None
    assert "NO-HEADING-MARKER" in pdf["no_headings"][1]
    first = pdf["long_title"][0].pages[0].extract_text()
    assert "to check that titles wrap instead of running off" in re.sub(r"\s+", " ", first)


# ------------------------------------------------------------------------------- failures
def test_invalid_json_gets_nbformat_message():
    with pytest.raises(nbformat.reader.NotJSONError, match="does not appear to be JSON"):
        TypstPDFExporter().from_filename(str(CORPUS / "invalid_json.ipynb"))
    with pytest.raises(nbformat.reader.NotJSONError):
        ReportHTMLExporter().from_filename(str(CORPUS / "invalid_json.ipynb"))


@pytest.mark.parametrize("exporter", [TypstPDFExporter, ReportHTMLExporter])
def test_invalid_notebook_gets_validation_message(exporter):
    with pytest.raises(InvalidNotebookError, match=r"'source' is a required property.*cells/0"):
        exporter().from_filename(str(CORPUS / "invalid_schema.ipynb"))


def _broken_typst_notebook(report: bool):
    nb = new_notebook(cells=[new_markdown_cell("# One\n\nKEEP-MARKER"),
                             new_raw_cell("#let x = (")])
    nb.cells[1].metadata["raw_mimetype"] = "text/x-typst"
    if report:
        nb.metadata["tightrope"] = {"title": "R"}
    return nb


def test_compile_error_names_the_cell_not_a_temp_path():
    with pytest.raises(TypstCompileError) as info:
        TypstPDFExporter().from_notebook_node(_broken_typst_notebook(True), _resources("r"))
    assert info.value.cell_index == 1 and "notebook cell 1" in str(info.value)
    assert "/tmp" not in str(info.value).split("\n", 1)[0]


def test_compile_error_in_plain_notebook_leaves_the_cell_out():
    body, resources = TypstPDFExporter().from_notebook_node(_broken_typst_notebook(False),
                                                            _resources("p"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "KEEP-MARKER" in text and "Cell 1 could not be typeset" in text
    assert any("cell 1 left out" in w for w in resources["tightrope_warnings"])


def test_display_only_repr_gets_placeholder_and_warning():
    nb = new_notebook(cells=[new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/x-thing": "{}",
                              "text/plain": "<mylib.Thing object at 0x7f00>"})])])
    body, res = ReportHTMLExporter().from_notebook_node(nb, _resources("r"))
    assert "0x7f00" not in body and "Output not shown" in body
    assert res["tightrope_warnings"]
    pdf_body, _ = TypstPDFExporter().from_notebook_node(nb, _resources("r"))
    text = PdfReader(io.BytesIO(pdf_body)).pages[-1].extract_text()
    assert "0x7f00" not in text and "Output not shown" in text


# ------------------------------------------------------------------------------- units
@pytest.mark.parametrize("value,ok", [("aGVsbG8=", True), ("aGVsbG8", False),
                                      ('AAAA" onerror="x', False), ("", False),
                                      (["aGVs", "bG8="], True), ("aGVs\nbG8=", True)])
def test_valid_base64(value, ok):
    assert (valid_base64(value) is not None) is ok


@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>", "<a href='  JAVASCRIPT:alert(1)'>x</a>",
    "<svg><script>alert(1)</script></svg>", "<iframe src=x></iframe>",
    "<img src='data:text/html;base64,PHNjcmlwdD4='>", "<math><a href=javascript:1>x</a></math>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
])
def test_sanitize_removes_script(markup):
    out = sanitize(markup, mathml=True)
    assert _executable(f"<main>{out}</main>") == []
    assert "alert" not in out or "<" not in out


@pytest.mark.parametrize("exporter", [ReportHTMLExporter, TypstPDFExporter])
def test_the_notebook_is_validated_once_after_the_preprocessors(exporter, monkeypatch):
    """nbconvert validates after every preprocessor unless ``optimistic_validation``; ours
    validate once after the last (a report is megabytes), besides the check of the notebook as
    given, and a user can still ask for nbconvert's way."""
    import nbconvert.exporters.exporter as base

    nb = nbformat.read(CORPUS / "streams.ipynb", as_version=4)
    calls = []
    real = base.nbformat.validate
    monkeypatch.setattr(base.nbformat, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    exporter().from_notebook_node(nb, _resources("streams"))
    assert len(calls) == 2  # the notebook as given (check_notebook), then once after all
    calls.clear()
    exporter(optimistic_validation=False).from_notebook_node(nb, _resources("streams"))
    assert len(calls) > 2


def test_inline_html_keeps_its_text_inside_its_tags():
    """mistune passes inline tags one at a time; closing each as it came moved link text and
    sub/superscripts out of their tags ('<a href=...></a>the docs', 'x<sup></sup>2')."""
    nb = new_notebook(cells=[new_markdown_cell(
        'See <a href="https://example.com/docs">the docs</a>, H<sub>2</sub>O, x<sup>2</sup>, '
        "<b>bold</b>, <em>em</em>, <kbd>Ctrl</kbd> and <mark>marked</mark>.")])
    body, _ = ReportHTMLExporter().from_notebook_node(nb, {})
    for kept in ('<a href="https://example.com/docs">the docs</a>', "H<sub>2</sub>O",
                 "x<sup>2</sup>", "<b>bold</b>", "<em>em</em>", "<kbd>Ctrl</kbd>",
                 "<mark>marked</mark>"):
        assert kept in body


@pytest.mark.parametrize("exporter", [TypstPDFExporter, ReportHTMLExporter])
def test_what_nbconvert_converts_we_convert(exporter):
    """A cell with a property the schema does not name (nbconvert tolerates it) and someone
    else's use of the 'tightrope' metadata key are exported, not refused with a traceback."""
    nb = new_notebook(cells=[new_markdown_cell("# Title\n\nKEEP-MARKER")])
    nb.cells[0]["extra_key"] = 1
    for meta in ("notadict", {"params": 5, "keywords": "one"}, {"title": "T", "params": [1]},
                 {"colophon": "mine"}, {"colophon": {"versions": 3, "data_hashes": [1]}},
                 {"anchor": ["x"], "section": 2, "title": 7}):
        nb.metadata["tightrope"] = meta
        nb.cells[0].metadata["tightrope"] = meta
        body, _ = exporter().from_notebook_node(nb, {})
        text = (" ".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
                if isinstance(body, bytes) else body)
        assert "KEEP-MARKER" in text, meta


def test_an_image_beside_a_notebook_in_the_current_folder_is_embedded(tmp_path, monkeypatch):
    """nbconvert gives an empty path for a notebook in the current folder; that is '.', not
    'no folder' (the image was left as a link, with a warning)."""
    import base64

    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
                           "DwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
    (tmp_path / "local.png").write_bytes(png)
    nbformat.write(new_notebook(cells=[new_markdown_cell("![dot](local.png)")]),
                   tmp_path / "n.ipynb")
    monkeypatch.chdir(tmp_path)
    body, resources = ReportHTMLExporter().from_filename("n.ipynb")
    assert 'src="data:image/png;base64,' in body
    assert not resources.get("tightrope_warnings")
