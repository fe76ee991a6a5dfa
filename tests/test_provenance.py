"""Provenance rules of sources.csv: exact locators, dates or reasons, no shared items."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.provenance import check_sources, landing_page_reason

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("url", [
    "https://www.sipri.org/databases/milex",
    "https://www.sipri.org/publications",
    "https://armstrade.sipri.org",
    "https://armstat.am",
    "https://www.cba.am/",
    "https://comtradeplus.un.org",
    "https://caucasusbarometer.org",
    "https://www.iri.org",
    "https://www.crrc.am/en/blog/",
    "https://rfe.pangea-cms.com/preview/hy-AM/a/33388594.html",
])
def test_landing_pages_and_previews_are_flagged(url):
    assert landing_page_reason(url)


@pytest.mark.parametrize("url", [
    "https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2024_2.xlsx",
    "https://armstrade.sipri.org/armstrade/page/trade_register.php",
    "https://www.cba.am/stat/stat_data_eng/5_Money_transfers_of_individuals_by_countries-eng.xlsx",
    "https://comtradeapi.un.org/public/v1/preview/C/M/HS?reporterCode=51&cmdCode=271121",
    "https://caucasusbarometer.org/en/cb2019am/MAINFRN/",
    "https://www.azatutyun.am/a/33388594.html",
    "https://en.wikipedia.org/wiki/Bishkek_Protocol",
])
def test_exact_items_pass(url):
    assert landing_page_reason(url) is None


def _row(**kw) -> dict[str, str]:
    base = {"source_id": "s", "url": "https://example.org/a/1.html", "retrieved_via": "",
            "date_published": "2024-01-01", "undated_reason": ""}
    return base | kw


def test_a_source_needs_a_date_or_a_reason_but_not_both():
    assert check_sources([_row()]) == []
    assert check_sources([_row(date_published="", undated_reason="living page")]) == []
    (missing,) = check_sources([_row(date_published="")])
    assert "sources.csv row 2 (s): date_published is empty" in missing
    (both,) = check_sources([_row(undated_reason="x")])
    assert "both filled" in both
    # not_before bounds an undated source only
    assert check_sources([_row(date_published="", undated_reason="x",
                               not_before="2020-12-03")]) == []
    (dated,) = check_sources([_row(not_before="2020-12-03")])
    assert "not_before is for undated sources" in dated


def test_a_date_known_to_its_month_is_stored_as_the_first_of_that_month():
    assert check_sources([_row(date_precision="month")]) == []
    (mid,) = check_sources([_row(date_published="2024-01-12", date_precision="month")])
    assert "date_precision = month needs date_published on the first of its month" in mid
    assert len(check_sources([_row(date_published="", undated_reason="x",
                                   date_precision="month")])) == 1


def test_two_sources_cannot_share_one_url():
    problems = check_sources([_row(source_id="a"), _row(source_id="b")])
    expected = ("sources.csv row 3 (b): url is also the url of a (row 2); two sources "
                "cannot be the same item: merge them or cite each primary item")
    assert problems == [expected]


def test_an_empty_url_needs_the_copy_that_was_read():
    (problem,) = check_sources([_row(url="")])
    assert "url and retrieved_via are both empty" in problem
    assert check_sources([_row(url="", retrieved_via="Outlet: https://outlet.example/x")]) == []


def test_the_committed_bibliography_names_exact_items():
    with (DATA / "sources.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert check_sources(rows) == []
    ids = {r["source_id"] for r in rows}
    assert not {i for i in ids if i.endswith("_q") and i.replace("_q", "") in ids}
    numeric = {"sipri_milex_2025", "sipri_arms_register_2025",
               "armstat_trade_2025", "cba_transfers_2025", "comtrade_gas_2023"}
    assert all(r["release"] for r in rows if r["source_id"] in numeric)


def test_a_release_supersedes_an_earlier_source_only():
    old = _row(source_id="old", url="https://example.org/old", date_published="2025-01-03")
    new = _row(source_id="new", url="https://example.org/new", date_published="2025-03-13",
               supersedes="old")
    assert check_sources([old, new]) == []
    (unknown,) = check_sources([old, {**new, "supersedes": "gone"}])
    assert "supersedes = 'gone' is not another source" in unknown
    (itself,) = check_sources([old, {**new, "supersedes": "new"}])
    assert "is not another source" in itself
    (earlier,) = check_sources([old, {**new, "date_published": "2024-12-01"}])
    assert "is not dated after it" in earlier
