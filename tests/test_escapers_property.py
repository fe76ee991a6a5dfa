"""Property-based tests: any string from data stays one inline run of text in every output
(Markdown/HTML, Typst, chart text), and the validator and the loader agree on every cell."""

import csv
import io
import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import cells, evidence, prose
from analysis.charttext import plain
from analysis.errors import DataValidationError
from analysis.export.markdown_typst import escape_text
from analysis.schema import FieldSpec
from analysis.validation import validate

#: text with every character class that has meant trouble: Markdown and Typst syntax, line and
#: paragraph separators, mathtext dollars, HTML, digits of other scripts
NASTY = st.lists(st.sampled_from(
    list("#=-*_+.!|>[](){}<>`~$\\^:&@/\"' \t\n\r0123456789aZ")
    + ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00", "٢", "é", "===", "\n---\n", "- ",
       "1. ", "# ", "$\\alpha^{X}$", "<script>", "&amp;", "http://x.y", "[^1]", "    "]),
    max_size=25).map("".join) | st.text(max_size=20)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expected(text: str) -> str:
    return prose.inline(text)


# ---------------------------------------------------------------- Markdown (HTML and PDF)

_PARSER = []


def _markdown_tokens(source: str):
    import mistune

    if not _PARSER:
        _PARSER.append(mistune.create_markdown(renderer="ast", plugins=[
            "strikethrough", "footnotes", "table", "url"]))
    return _PARSER[0](source)


def _inline_text(tokens) -> str:
    out = []
    for tok in tokens:
        assert tok["type"] in ("text", "softbreak"), tok
        out.append(tok.get("raw", " "))
    return "".join(out)


@SETTINGS
@given(NASTY)
def test_markdown_escaper_keeps_data_text_one_inline_run(text):
    source = f"Before {prose.md(text)} after."
    tokens = _markdown_tokens(source)
    assert [t["type"] for t in tokens] == ["paragraph"]
    rendered = _inline_text(tokens[0]["children"])
    assert rendered == "Before " + _expected(text).lstrip(" \t") + " after."


@SETTINGS
@given(NASTY)
def test_markdown_escaper_at_the_start_of_a_line(text):
    tokens = _markdown_tokens(prose.md(text) + " end")
    assert [t["type"] for t in tokens] == ["paragraph"]
    assert _inline_text(tokens[0]["children"]).strip() == (
        _expected(text).lstrip(" \t") + " end").strip()


@SETTINGS
@given(NASTY)
def test_markdown_escaper_alone_in_a_cell(text):
    tokens = [t for t in _markdown_tokens(prose.md(text)) if t["type"] != "blank_line"]
    expected = _expected(text).strip()
    if not expected:
        return
    assert [t["type"] for t in tokens] == ["paragraph"]
    assert _inline_text(tokens[0]["children"]).strip() == expected


def test_newline_and_equals_in_an_event_title_make_no_heading():
    title = prose.md("A title\n===")
    tokens = _markdown_tokens(f"In 2020 {title} happened.")
    assert [t["type"] for t in tokens] == ["paragraph"]


# ---------------------------------------------------------------- Typst

def _typst_repr(markup: str) -> str:
    import typst

    doc = f"#let body = [{markup}]\n#metadata(repr(body)) <probe>\n"
    result = typst.query(doc.encode(), "<probe>", field="value", one=True)
    return json.loads(result)


@settings(max_examples=60, deadline=None)
@given(NASTY)
def test_typst_escaper_keeps_data_text_one_inline_run(text):
    kinds = ("heading", "list", "enum", "equation", "raw", "strong", "emph", "link", "ref",
             "label", "linebreak", "parbreak", "terms")
    assume(not any(kind + "(" in text for kind in kinds))  # the data's own words, shown as text
    shown = _typst_repr("Before " + escape_text(text) + " after.")
    # only text, spaces and smart-quote/escape pieces: no heading, list, enum, math, raw,
    # strong, emph, link, ref, label, linebreak, parbreak
    for kind in kinds:
        assert kind + "(" not in shown.replace("text(", "").replace("sequence(", ""), shown


def test_line_separators_never_start_a_typst_list():
    for sep in ("\u2028", "\u2029", "\x85", "\n", "\r"):
        shown = _typst_repr(escape_text(f"a{sep}- b{sep}+ c{sep}1. d"))
        assert "item(" not in shown, shown


# ---------------------------------------------------------------- chart text

@SETTINGS
@given(NASTY)
def test_chart_text_is_never_mathtext(text):
    from matplotlib.text import Text

    shown, is_math = Text()._preprocess_math(plain(text))
    assert is_math is False
    assert shown == _expected(text)


def test_chart_text_with_broken_math_draws(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.annotate(plain(r"$\undefinedmacro{$ and $\alpha^{X}$"), (0.5, 0.5))
    ax.set_yticks([0], [plain("$x$")])
    fig.savefig(tmp_path / "f.svg")  # would raise ValueError on mathtext
    plt.close(fig)


# ---------------------------------------------------------------- validator <=> loader

CELL = st.one_of(
    st.text(alphabet="0123456789+-.eE_,infaINFAN٢ ", max_size=12),
    st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{0,5})?", fullmatch=True),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-10**25, max_value=10**25).map(str),
)
DATE_CELL = st.one_of(st.dates().map(str), st.text(alphabet="0123456789-W ", max_size=12),
                      st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
COLUMN_TYPES = {"n": ("number", {"minimum": 0, "maximum": 1e6}), "i": ("integer", {}),
                "d": ("date", {}), "s": ("string", {})}
#: text cells, with the spaces a hand edit leaves ('Armenia ', ' sipri_2025')
TEXT_CELL = st.text(alphabet="Armen ia_\t", max_size=10)


def _package(folder, cells_by_column):
    fields = [{"name": name, "type": kind, "constraints": c}
              for name, (kind, c) in COLUMN_TYPES.items()]
    descriptor = {"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(COLUMN_TYPES))
    writer.writerow([cells_by_column[c] for c in COLUMN_TYPES])
    (folder / "t.csv").write_text(out.getvalue(), encoding="utf-8")


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(number=CELL, integer=CELL, date=DATE_CELL, text=TEXT_CELL)
def test_validator_and_loader_accept_exactly_the_same_cells(tmp_path, number, integer, date,
                                                            text):
    folder = tmp_path
    for f in folder.iterdir():
        f.unlink()
    _package(folder, {"n": number, "i": integer, "d": date, "s": text})
    try:
        validate(folder)
        valid = True
    except DataValidationError:
        valid = False
    try:
        frame = evidence._read_typed(evidence.load_descriptor(folder)["t"], folder)
        loaded = True
    except cells.CellError:
        loaded = False
    assert valid == loaded
    if valid:
        value = frame["n"].iloc[0]
        assert math.isnan(value) or (math.isfinite(value) and 0 <= value <= 1e6)  # NaN = empty
        assert str(frame["i"].dtype) == "Int64"
        assert str(frame["d"].dtype).startswith("datetime64")


@pytest.mark.parametrize("text", ["1", "1.5", "+2", "-0.25", ".5", "5."])
def test_plain_numbers_read_the_same_in_both(text):
    field = FieldSpec("v", "number", "", {})
    assert cells.parse_cell(field, text) == float(text)


@given(st.text(alphabet="aZE Uu-1.\n<>éΩ", max_size=40), st.sampled_from(["EU", "EUMA", "U", "E-1", "é"]))
@settings(max_examples=300, deadline=None)
def test_glossary_word_search_matches_the_regular_expression(text, word):
    import re

    from analysis.merge import _mentions

    pattern = rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])"
    assert _mentions(text, word) == bool(re.search(pattern, text))


# ---------------------------------------------------------------- addresses in Appendix B's text

@SETTINGS
@given(NASTY, st.sampled_from(["", "https://a.am/x", "http://b.org/p?q=1&r=<2>", "https://c.io/"]),
       st.sampled_from(["", ".", ";", " ;", ")."]))
def test_an_address_in_a_bibliography_note_is_a_link_and_the_rest_stays_text(text, url, after):
    """Appendix B's copies ('Via Mediamax: https://…;') link their addresses (a reader could not
    click 132 of them); everything else is escaped text, and the words read as before."""
    from html.parser import HTMLParser

    from analysis.export.payloads import linked_text

    source = f"{text} {url}{after}"
    out = str(linked_text(source))

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.text, self.tags, self.hrefs = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.hrefs += [v for k, v in attrs if k == "href"]

        def handle_data(self, data):
            self.text.append(data)

    reader = Reader()
    reader.feed(out)
    assert "".join(reader.text) == source
    assert set(reader.tags) <= {"a"}
    assert all(h.startswith(("http://", "https://")) and h[-1] not in ".,;:)" for h in
               reader.hrefs)
    if url and "<" not in url:  # (an address stops at a '<')
        assert url in reader.hrefs
