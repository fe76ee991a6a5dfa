"""Claim and bibliography payloads (PAYLOADS.md) rendered by both exporters."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pypdf import PdfReader

from analysis.export.html_exporter import ReportHTMLExporter
from analysis.export.payloads import BIBLIOGRAPHY_MIME, CLAIM_MIME
from analysis.export.typst_exporter import TypstPDFExporter

CLAIM = {"id": "C07", "section": 3, "claim": "Russia sent ~2,000 peacekeepers <b>to</b> Karabakh.",
         "verdict": "partly supported", "reasoning": "The statement gave 1,960 troops & kit.",
         "evidence": ["10 Nov 2020 — trilateral ceasefire statement",
                      "SIPRI arms imports, Armenia from Russia, 2016–2020"],
         "sources": [{"id": "kremlin_2020", "label": "Kremlin, Statement of 10 Nov 2020",
                      "url": "https://en.kremlin.ru/events/president/news/64384"},
                     {"id": "x", "label": "Evil link", "url": "javascript:alert(1)"}],
         "after": "The mission left in 2024."}
BIB = {"title": "Sources cited", "entries": [
    {"id": "sipri", "publisher": "SIPRI", "title": "Arms Transfers Database", "date": "2025-03-10",
     "url": "https://armstrade.sipri.org/armstrade/page/trade_register.php", "locator": "TIV",
     "via": None},
    {"id": "nd", "publisher": "Armstat", "title": "Trade by country", "date": "n.d.",
     "url": None, "locator": "Table 3, row 'Russia'.", "via": "a GitHub copy"}],
    "notes": ["Data note. Some annual series come from releases made after this edition."]}


@pytest.fixture(scope="module")
def notebook():
    nb = new_notebook(cells=[new_markdown_cell("# Appendix A. Claim ledger")])
    nb.metadata["tightrope"] = {"title": "Payloads"}
    nb.cells.append(new_code_cell("x", outputs=[new_output(
        "display_data", data={CLAIM_MIME: CLAIM, "text/plain": "C07"})]))
    nb.cells.append(new_markdown_cell("# Appendix B. Sources"))
    nb.cells.append(new_code_cell("x", outputs=[new_output(
        "display_data", data={BIBLIOGRAPHY_MIME: BIB, "text/plain": "bib"})]))
    return nb


def test_claim_and_bibliography_in_html(notebook):
    body, _ = ReportHTMLExporter().from_notebook_node(notebook)
    soup = BeautifulSoup(body, "html.parser")
    claim = soup.find("article", class_="tr-claim")
    assert "tr-verdict-partly-supported" in claim["class"]
    assert claim.find(class_="tr-badge").get_text() == "partly supported"
    assert claim.find(class_="tr-claim-text").get_text() == CLAIM["claim"]  # raw text, escaped
    assert [li.get_text() for li in claim.find_all("li")][:2] == CLAIM["evidence"]
    links = [a["href"] for a in claim.find_all("a")]
    assert links == ["https://en.kremlin.ru/events/president/news/64384"]  # no javascript:
    assert "Evil link" in claim.get_text() and "The mission left in 2024." in claim.get_text()
    items = soup.find("section", class_="tr-bibliography").find_all("li")
    assert items[0].find("a")["href"].startswith("https://armstrade.sipri.org/")
    assert "SIPRI. Arms Transfers Database. TIV. 2025-03-10." in items[0].get_text()
    assert items[1].find("a") is None and "n.d." in items[1].get_text()
    assert ".." not in soup.find("section", class_="tr-bibliography").get_text()
    assert "Table 3, row 'Russia'. n.d. Via a GitHub copy." in items[1].get_text()
    note = soup.find("section", class_="tr-bibliography").find("p", class_="tr-note")
    assert note.get_text() == BIB["notes"][0]


def test_claim_and_bibliography_in_pdf(notebook):
    pdf, _ = TypstPDFExporter().from_notebook_node(notebook, {"metadata": {"name": "p"}})
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for piece in ("C07", "PARTLY SUPPORTED", "Russia sent ~2,000 peacekeepers <b>to</b>",
                  "1,960 troops & kit", "EVIDENCE", "SIPRI arms imports", "Kremlin, Statement",
                  "Since then:", "Arms Transfers Database", "Data note. Some annual series"):
        assert piece in text
    assert "n.d.." not in text and "'Russia'.." not in text
    # the URL may break at its separators, not between every character
    assert text.count("\u200b") < 12
    url_text = text[text.index("https:"):text.index("php")]
    assert "\u00ad" not in url_text  # never hyphenated
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages
            for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert "https://en.kremlin.ru/events/president/news/64384" in uris
    assert "https://armstrade.sipri.org/armstrade/page/trade_register.php" in uris
    assert not [u for u in uris if "javascript" in u]


def test_a_claims_source_links_to_its_entry_and_addresses_in_an_entry_are_links():
    """A claim's source listed in Appendix B links to its entry there (the entry gives the
    address; nothing linked the two: a reader); one not listed keeps its own address. An address
    in an entry's note or copy is a link, its closing punctuation left out; a locator starts with
    a capital."""
    import copy

    claim = copy.deepcopy(CLAIM)
    claim["sources"][0]["id"] = "sipri"
    bib = copy.deepcopy(BIB)
    bib["entries"][1]["via"] = "Mediamax: https://mediamax.am/en/news/51664/ ; ARKA"
    bib["entries"][1]["locator"] = "statement of 15 Jun 2023"
    nb = new_notebook(cells=[new_markdown_cell("# Appendix A. Claim ledger")])
    nb.metadata["tightrope"] = {"title": "Payloads"}
    nb.cells.append(new_code_cell("x", outputs=[new_output(
        "display_data", data={CLAIM_MIME: claim, "text/plain": "C07"})]))
    nb.cells.append(new_code_cell("x", outputs=[new_output(
        "display_data", data={BIBLIOGRAPHY_MIME: bib, "text/plain": "bib"})]))
    soup = BeautifulSoup(ReportHTMLExporter().from_notebook_node(nb)[0], "html.parser")
    links = [a["href"] for a in soup.find("article", class_="tr-claim").find_all("a")]
    assert links == ["#src-sipri"] and soup.find(id="src-sipri") is not None
    entry = soup.find(id="src-nd")
    assert [a["href"] for a in entry.find_all("a")] == ["https://mediamax.am/en/news/51664/"]
    assert "Statement of 15 Jun 2023. n.d. Via Mediamax: https://mediamax.am/en/news/51664/ ; " \
           "ARKA." in entry.get_text()


@pytest.mark.parametrize(("columns", "narrow"), [(["A", "B"], True), (["A", "B", "C", "D"], False)])
def test_a_table_of_three_columns_or_fewer_stays_a_table_on_a_phone(columns, narrow):
    """Cards repeat every column's label in every row: for two or three columns, which fit a
    phone's width, that only lengthened the table (a reader)."""
    from analysis.export.payloads import TABLE_MIME

    nb = new_notebook(cells=[new_markdown_cell("# One")])
    nb.metadata["tightrope"] = {"title": "Tables"}
    nb.cells.append(new_code_cell("x", outputs=[new_output("display_data", data={
        TABLE_MIME: {"number": "1.1", "caption": "T", "columns": columns,
                     "rows": [list("abcd"[:len(columns)])]}, "text/plain": "t"})]))
    soup = BeautifulSoup(ReportHTMLExporter().from_notebook_node(nb)[0], "html.parser")
    assert ("tr-narrow" in soup.find("figure", class_="tr-table")["class"]) is narrow
