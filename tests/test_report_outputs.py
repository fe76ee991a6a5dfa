"""The rendered report as a reader gets it: the full HTML and PDF, checked for sections, figures,
captions, alt text, sources, PDF structure, determinism and escaping of data-derived text."""

import csv
import re

import pytest

from analysis.sections import SECTIONS
from conftest import Run, captions_out_of_order, pdf_runs, run_cli_here

pytestmark = pytest.mark.slow


def build(out, *args):
    run = run_cli_here("build", "--out", str(out), *args)
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    return run.stdout


@pytest.fixture(scope="module")
def full(built_report):
    return built_report


@pytest.fixture(scope="module")
def html(full):
    return (full / "report.html").read_text(encoding="utf-8")


def test_html_has_every_section_heading(html):
    for spec in SECTIONS:
        assert f"{spec.heading}" in html, spec.heading
    assert "Appendix B. Sources" in html


def test_html_has_at_least_16_figures_each_with_caption_alt_and_source(html):
    figures = re.findall(r'<figure class="tr-figure".*?</figure>', html, flags=re.DOTALL)
    assert len(figures) >= 16
    numbers, sourced = set(), set()
    for fig in figures:
        number = re.search(r'<span class="tr-num">Figure ([0-9A-Z]+\.[0-9]+)\.</span>\s*(\S.*?)'
                           r"</figcaption>", fig, flags=re.DOTALL)
        assert number, fig[:200]
        numbers.add(number.group(1))
        img = re.search(r"<img [^>]+>", fig).group(0)
        assert 'src="data:image/svg+xml;base64,' in img, "embedded vector image"
        assert re.search(r'alt="[^"]{20,}"', img), f"figure {number.group(1)} has no alt text"
        # its own source, or that of the figure just before it, named (the same database)
        source = re.search(r'<p class="tr-source">(?:Sources?: \w|Source(?: and note)?: as for '
                           r'(?:<a href="#[^"]+">)?Figure ([0-9A-Z]+\.[0-9]+)(?:</a>)?\.</p>)', fig)
        assert source and source.group(1) in (None, *sourced), number.group(1)
        sourced.add(number.group(1))
    assert len(numbers) == len(figures), "figure numbers are unique"


def test_every_section_has_at_least_two_figures(html):
    for spec in SECTIONS:
        if not spec.label:  # the key-findings summary is text only
            continue
        count = len(re.findall(rf'<span class="tr-num">Figure {spec.number}\.\d+\.</span>', html))
        # the claim ledger is laid out claim by claim: one overview chart is enough there
        assert count >= (1 if spec.appendix else 2), f"{spec.heading}: {count} figure(s)"


def test_html_is_one_portable_file_without_code(html):
    assert "<script" not in html
    assert not re.search(r'(src|href)="https?://[^"]+\.(css|js|png|svg|woff2?)"', html)
    assert "start_section(" not in html and "from analysis" not in html


def test_claim_ledger_lists_c01_to_c23_with_verdicts(html):
    ledger = html[html.index('id="sec-08"'):html.index('id="sec-bibliography"')]
    claims = ledger.split('<article class="tr-claim')[1:]
    found = {m.group(1) for c in claims for m in [re.search(r"\b(C\d{2})\b", c)] if m}
    assert found == {f"C{i:02d}" for i in range(1, 24)}
    c09 = next(c for c in claims if re.search(r"\bC09\b", c))
    assert re.search(r'tr-badge[^"]*">disputed<', c09)
    # evidence is shown as readable references, never as raw keys
    assert "arms_import_shares:" not in ledger and "events:E0" not in ledger


# ------------------------------------------------------------------------------------ the PDF

@pytest.fixture(scope="module")
def pdf(full):
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(str(full / "report.pdf"))


@pytest.fixture(scope="module")
def page_runs(full) -> list[tuple[str, list[Run]]]:
    """Each page's text and its text runs, read once for every test that needs them."""
    return pdf_runs(full / "report.pdf")


@pytest.fixture(scope="module")
def page_texts(page_runs) -> list[str]:
    return [text for text, _ in page_runs]


def test_pdf_page_count_in_range(pdf):
    assert 25 <= len(pdf.pages) <= 90


def test_pdf_text_has_sections_and_captions(page_texts, html):
    text = " ".join(page_texts)
    flat = re.sub(r"\s+", " ", text)
    for spec in SECTIONS:
        assert spec.title in flat, spec.title
    for number in re.findall(r'<span class="tr-num">(Figure [0-9A-Z]+\.[0-9]+)\.</span>', html):
        assert number in flat, number


def test_figures_and_tables_come_in_the_order_of_their_numbers(full):
    assert captions_out_of_order(full / "report.pdf") == []


def test_the_toll_follows_its_paragraph_and_the_cost_follows_the_last_event(page_texts):
    """Table 7.2 (the offensive's toll) once came after the two pages of events and floated
    above the sentence that introduced it. It now stands between its paragraph and the events
    table, and what follows the events (the cost so far) stands below their last row, though
    that table runs over pages."""
    flat = re.sub(r"\s+", " ", " ".join(page_texts))
    start = flat.index("What came after")
    start = flat.index("What came after", start + 1)  # the heading, not its contents line
    intro = flat.index("Table 7.2 counts what the offensive and the flight cost", start)
    caption = flat.index("Table 7.2. Losses in", start)
    events = flat.index("Table 7.3. After the article", start)
    last_row = flat.index("Armenia abstains on the 2026 UNGA Ukraine peace text", start)
    cost = flat.index("The cost so far", start)
    assert intro < caption < events < last_row < cost


def test_pdf_outline_has_every_section(pdf):
    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(pdf.outline))
    for spec in SECTIONS:
        assert any(spec.title in t for t in outline), spec.heading


def test_the_report_layout_settles_and_the_build_warns_of_nothing(shared_build):
    """The report's PDF is laid out by the template's fitted layout: Typst settled within its
    five passes (no fallback to the plain layout) and no export warned."""
    assert "warning" not in shared_build().stdout.lower()


def test_pdf_metadata_and_fonts(pdf):
    assert pdf.metadata.title and "Tightrope" in pdf.metadata.title
    for page in pdf.pages[:6]:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor").get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_figures_are_vector(pdf):
    """Figures arrive as SVG and are drawn as paths: no raster image on any page."""
    for page in pdf.pages:
        xobjects = ((page.get("/Resources") or {}).get("/XObject") or {})
        for ref in xobjects.values():
            obj = ref.get_object()
            assert obj.get("/Subtype") != "/Image"


# ------------------------------------------------------------------------------------ determinism

def test_two_builds_give_identical_bytes(full, second_build):
    """The same report built twice, independently (another command, other processes, other
    hash seeds): the same bytes."""
    again = second_build.folder
    assert again.name == full.name
    assert (again / "report.html").read_bytes() == (full / "report.html").read_bytes()
    assert (again / "report.pdf").read_bytes() == (full / "report.pdf").read_bytes()


def test_the_build_pdf_is_what_the_nbconvert_exporter_makes_of_report_ipynb(full):
    """The build compiles the PDF in a small process of its own; the bytes are the ones the
    ``tightrope-pdf`` exporter makes of the same merged notebook in one process, and nothing of
    the compile (its Typst sources) is left in the report's folder."""
    import nbformat

    from analysis.export.typst_exporter import TypstPDFExporter

    report = nbformat.read(full / "report.ipynb", as_version=4)
    pdf, _ = TypstPDFExporter().from_notebook_node(
        report, resources={"unique_key": "report", "output_files_dir": "assets"})
    assert pdf == (full / "report.pdf").read_bytes()
    assert sorted(p.name for p in full.iterdir()) == [
        "manifest.json", "notebooks", "report.html", "report.ipynb", "report.pdf"]


# ------------------------------------------------------------------------------------ escaping

def test_markup_in_data_is_escaped_in_html(data_copy, tmp_path):
    path = data_copy / "casualties.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("reported_by")
    # a 2020-war row no claim cites (claims name their evidence rows by this key)
    at = next(i for i, r in enumerate(rows) if r[0] == "2020 war"
              and r[rows[0].index("side")] not in ("Armenia", "Azerbaijan"))
    rows[at][col] = "<script>alert('x')</script> Ministry"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    out = tmp_path / "out"
    stdout = build(out, "--sections", "02", "--format", "html,pdf", "-p", f"data_dir={data_copy}")
    # a first build of one section says that the report holds only that one
    assert "note: no earlier report here holds section(s) 00, 01, 03" in stdout
    folder = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


# ------------------------------------------------------------------------- HTML validity, layout

def test_report_html_passes_the_nu_checker(full):
    import shutil

    if shutil.which("java") is None:
        pytest.skip("the Nu HTML checker needs Java (apt-get install default-jre-headless); "
                    "`make check-html` installs it")
    from analysis.export.htmlcheck import nu_errors

    assert nu_errors([full / "report.html"]) == []


def test_the_checker_drives_chromium_through_devtools(tmp_path):
    """`make check-html` failed with a traceback: Chromium 111+ refuses a DevTools connection
    that names an origin it was not told to allow (403). The checker opens a page and reads it."""
    import shutil

    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        pytest.skip("no Chromium on this machine; `make check-html` installs it")
    from analysis.export.htmlcheck import _Browser

    page = tmp_path / "p.html"
    page.write_text("<!DOCTYPE html><title>t</title><p id=x>checked</p>", encoding="utf-8")
    browser = _Browser()
    try:
        session = browser.open(page.as_uri(), width=390)
        assert browser.eval("document.getElementById('x').textContent", session) == "checked"
    finally:
        browser.close()


def test_report_prose_has_no_stray_formula(html):
    # Two unescaped dollar amounts in a paragraph would be typeset as a $...$ formula.
    main = html[html.index("<main"):]
    assert "<math" not in main


def test_report_ids_are_unique(html):
    ids = re.findall(r'\sid="([^"]*)"', html)
    assert len(ids) == len(set(ids))


def test_the_title_is_the_pages_only_h1_and_its_parts_are_h2(html):
    """Every section and appendix was an h1 beside the title, and the colophon an h2 a screen
    reader put under the last appendix (a reader of the HTML)."""
    assert re.findall(r"<h1\b[^>]*>", html) == ['<h1 class="tr-title">']
    parts = re.findall(r"<h2\b[^>]*>([^<]*)", html)
    assert parts[-1] == "Colophon" and "Key findings" in parts
    assert all(f"{spec.heading}" in parts for spec in SECTIONS if spec.heading[0].isdigit())


def test_every_part_after_the_first_offers_a_way_back_to_the_contents(html):
    """The page is some 120 phone screens long and the contents list stands once, at the top (a
    reader): before each section, appendix and the colophon after the first, a link back."""
    parts = re.findall(r'<a class="tr-anchor" id="([^"]+)"', html)
    back = re.findall(r'<p class="tr-back"><a href="#contents">[^<]*</a></p>\s*'
                      r'(?:<a class="tr-anchor" id="([^"]+)"|<section class="tr-colophon")', html)
    assert 'id="contents"' in html and len(parts) > 5
    assert back == [*parts[1:], ""], back


def test_mentions_of_figures_tables_and_parts_link_to_them_and_every_link_lands(html):
    """'Figure 4.2', 'Table 7.1', 'section 3' and 'Appendix B' link to what they name (none
    did: a reader), and every link inside the page has its target."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    inner = re.findall(r'href="#([^"]+)"', html)
    assert not [h for h in inner if h not in ids]
    assert sum(h.startswith("fig-") for h in inner) >= 20
    assert sum(h.startswith("tab-") for h in inner) >= 10
    assert sum(h.startswith("sec-") for h in inner) >= 30


def test_region_map_on_the_first_pages(page_texts, html):
    assert "Nagorno-Karabakh" in html and "Lachin road" in html
    first = next(k for k, text in enumerate(page_texts) if "Armenia and its neighbours" in text)
    assert first <= 5, f"the map is on PDF page {first + 1}"


# Body area of a main-matter page (the template's margins): header and footer lie outside.
_TOP_MARGIN, _BOTTOM_MARGIN = 2.7 * 72 / 2.54, 2.5 * 72 / 2.54


def _filled_bands(page, text_runs: list[Run]) -> tuple[list[tuple[float, float]], float, float]:
    """Vertical bands of the body area that hold something, from the PDF's text positions.

    Every text run is a band one font size high; a figure or table (its charts are vector
    paths, not text) fills the band from its caption down to its source line. Returns the merged
    bands (PDF points, y upwards), the top of the body area and its height.
    """
    top, bottom = float(page.mediabox.height) - _TOP_MARGIN, _BOTTOM_MARGIN
    runs = [(run.y, run.size or 10, run.text.strip()) for run in text_runs if run.text.strip()]
    runs = sorted((r for r in runs if bottom - 2 < r[0] < top - 2), key=lambda r: -r[0])
    bands = [(y - 0.25 * size, y + size) for y, size, _ in runs]
    caption = None
    for y, size, text in runs:
        if re.match(r"^(Figure|Table) [0-9A-Z]+\.\d+\.", text):
            caption = y + size
        elif caption is not None and re.match(r"^Sources?( and note)?:", text):
            bands.append((y, caption))
            caption = None
    merged: list[list[float]] = []
    for lo, hi in sorted(bands):
        if merged and lo <= merged[-1][1] + 6:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged], top, top - bottom


def test_no_page_holds_only_a_few_lines(pdf, page_runs):
    """Pages are full: a figure or table that does not fit moves to the next page while the text
    flows on, so no page ends early and no gap opens above a figure. The last page of a section
    may hold only its last lines: a figure never floats past a heading (see below), so the text
    of a section's last part can run on after the figures placed before the next section.

    Measured on the PDF: the share of the body area that holds text, figures or tables, and the
    largest empty band between two of them (or above the first).
    """
    starts = {pdf.get_destination_page_number(item) for item in pdf.outline
              if not isinstance(item, list)}
    last = len(pdf.pages) - 1
    problems = []
    for k, page in enumerate(pdf.pages[2:last], start=2):  # after title page and contents
        bands, top, height = _filled_bands(page, page_runs[k][1])
        filled = sum(hi - lo for lo, hi in bands) / height
        edges = [top] + [edge for lo, hi in reversed(bands) for edge in (hi, lo)]
        gap = max((edges[i] - edges[i + 1]) / height for i in range(0, len(edges) - 1, 2))
        section_end = (k + 1) in starts
        if gap > 0.10:
            problems.append(f"page {k + 1}: an empty band of {gap:.0%} of the page")
        if not section_end and filled < 0.60:
            problems.append(f"page {k + 1}: only {filled:.0%} of the page filled")
    assert not problems, problems


def _pdf_captions_and_headings(pdf, page_runs) -> list[tuple[int, float, str, str]]:
    """(page, -y, kind, text) of every bookmarked heading and every figure/table caption (its
    bold number at the start of a line), in reading order."""
    items = []

    def walk(entries):
        for item in entries:
            if isinstance(item, list):
                walk(item)
            else:
                page = pdf.get_destination_page_number(item)
                items.append((page, -float(item.top or 0), "heading", item.title.strip()))

    walk(pdf.outline)
    for k, (_, runs) in enumerate(page_runs):
        for run in runs:
            m = re.match(r"\s*((?:Figure|Table) [0-9A-Z]+\.[0-9]+)\.", run.text)
            if m and "Bold" in run.font:
                items.append((k, -run.y, "caption", m.group(1)))
    return sorted(items)


def test_no_figure_or_table_floats_past_a_heading(pdf, page_runs, html):
    """A figure or table that does not fit where it is referred to moves on, but never past the
    next heading (nor back above its own): in the PDF each one stands under the same heading as
    in the report's own order (the HTML), so 'the table below' stays true."""
    import html as htmllib

    def last_heading_before(seq):
        under, current = {}, None
        for kind, text in seq:
            if kind == "heading":
                current = text
            else:
                under.setdefault(text, current)
        return under

    order = re.findall(r'<h[1-3] id="[^"]*">(.*?)</h[1-3]>|<span class="tr-num">((?:Figure|Table) '
                       r'[0-9A-Z]+\.[0-9]+)\.</span>', html)
    html_seq = [("heading", re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", "", h))).strip())
                if h else ("caption", c) for h, c in order]
    pdf_seq = [(kind, re.sub(r"\s+", " ", text)) for _, _, kind, text in
               _pdf_captions_and_headings(pdf, page_runs)]
    expected, got = last_heading_before(html_seq), last_heading_before(pdf_seq)
    assert len(expected) >= 16 and set(got) == set(expected), sorted(set(got) ^ set(expected))
    wrong = {n: (got[n], expected[n]) for n in expected if got[n] != expected[n]}
    assert not wrong, f"figure/table: (heading it stands under in the PDF, its own): {wrong}"
