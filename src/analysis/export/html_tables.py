"""Tables and text out of an HTML output (``display(df)``, ``HTML(...)``) for the PDF."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

MAX_ROWS = 200  # a longer HTML table is cut, with a note row saying how many rows were left out


def _cell_text(cell) -> str:
    return re.sub(r"\s+", " ", cell.get_text(" ", strip=True))


def html_tables(html: str) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) for every <table> in the HTML, in order (header may be empty)."""
    soup = BeautifulSoup(html, "html.parser")
    tables = []
    for table in soup.find_all("table"):
        header: list[str] = []
        rows: list[list[str]] = []
        head = table.find("thead")
        if head is not None:
            head_rows = head.find_all("tr")
            if head_rows:
                header = [_cell_text(c) for c in head_rows[0].find_all(["th", "td"])]
                for extra in head_rows[1:]:  # e.g. pandas' index-name row
                    cells = [_cell_text(c) for c in extra.find_all(["th", "td"])]
                    if any(cells):
                        rows.append(cells)
        for tr in table.find_all("tr"):
            if tr.find_parent("thead") is not None or tr.find_parent("table") is not table:
                continue
            cells = [_cell_text(c) for c in tr.find_all(["th", "td"])]
            if not header and tr.find("td") is None:
                header = cells
                continue
            rows.append(cells)
        if len(rows) > MAX_ROWS:
            left_out = len(rows) - MAX_ROWS
            rows = rows[:MAX_ROWS] + [[f"… {left_out} more rows not shown"]]
        tables.append((header, rows))
    return tables


def html_text(html: str) -> str:
    """The visible text of an HTML fragment, paragraphs separated by blank lines."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(["script", "style", "iframe", "object", "embed", "template"]):
        tag.decompose()
    for tag in soup.find_all(["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6"]):
        tag.insert_after("\n\n")
    text = soup.get_text()
    paras = [re.sub(r"[ \t\r\f\v]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paras if p)
