"""The ledger's Claim objects, the Bibliography, evidence references and the merged back matter."""

import datetime as dt
import json

import nbformat
import pytest

from analysis import evidence, evidence_refs, merge
from analysis.appendix import (
    BIBLIOGRAPHY_MIME,
    CLAIM_MIME,
    BibEntry,
    Bibliography,
    Claim,
    SourceRef,
)
from analysis.evidence import cut
from conftest import DATA

EVIL = '<script>alert("x")</script> *bold* [link](javascript:alert(1))'


def test_claim_payload_follows_the_contract():
    claim = Claim("C01", 1, "A claim.", "supported", "Because.", ("11 Sep 2023 — An event",),
                  (SourceRef("s1", "Publisher, Title, 2023", "https://example.org/a"),),
                  "Later, something.")
    bundle = claim._repr_mimebundle_()
    payload = bundle[CLAIM_MIME]
    assert set(payload) == {"id", "section", "claim", "verdict", "reasoning", "evidence",
                            "sources", "after"}
    assert payload["sources"] == [{"id": "s1", "label": "Publisher, Title, 2023",
                                   "url": "https://example.org/a"}]
    json.dumps(payload)  # plain JSON
    assert "text/html" in bundle and "text/markdown" in bundle


def test_claim_rejects_an_unknown_verdict():
    with pytest.raises(ValueError, match="verdict 'true'"):
        Claim("C01", 1, "A claim.", "true", None)


def test_claim_payload_is_raw_and_fallbacks_are_escaped_once():
    claim = Claim("C02", 1, EVIL, "disputed", EVIL, (EVIL,), (SourceRef("s", EVIL, None),), EVIL)
    assert claim.payload()["claim"] == EVIL  # raw: each exporter escapes it
    html = claim.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;lt;" not in html
    markdown = claim.to_markdown()
    assert "<script>" not in markdown and "\\*bold\\*" in markdown
    assert "](javascript" not in markdown


def test_bibliography_payload_and_fallbacks():
    entry = BibEntry("s1", "SIPRI", EVIL, "2023-03-13", "https://example.org/x?a=1&b=2",
                     "table 2", "a copy")
    bib = Bibliography((entry,), notes=("Data note.",))
    payload = bib._repr_mimebundle_()[BIBLIOGRAPHY_MIME]
    assert payload["entries"][0] == {"id": "s1", "publisher": "SIPRI", "title": EVIL,
                                     "date": "2023-03-13", "url": "https://example.org/x?a=1&b=2",
                                     "locator": "table 2", "via": "a copy"}
    assert payload["notes"] == ["Data note."]
    assert "<script>" not in bib.to_html() and 'href="https://example.org/x?a=1&amp;b=2"' in \
        bib.to_html()
    assert "<https://example.org/x?a=1&b=2>" in bib.to_markdown()


@pytest.mark.parametrize("ref, expected", [
    ("events:E076", "11–20 Sep 2023 — Eagle Partner 2023 exercise"),
    ("arms_import_shares:Armenia/2016-2020/Russia",
     "SIPRI arms import shares, Armenia from Russia, 2016–2020"),
    ("trade:Russia/2022/exports", "Goods exports to Russia, 2022"),
    # with its end when it lasted, as the tables date it (an outside reader)
    ("events:E026", "2015–2018 — Israel delivers Harop loitering munitions to Azerbaijan"),
    ("events:E060", "12 Dec 2022 – 24 Sep 2023 — Blockade of the Lachin corridor"),
    ("casualties:2020 war/Azerbaijan/military_killed/Azerbaijani Ministry of Defence",
     "2020 war: military killed, Azerbaijan side (count by Azerbaijani Ministry of Defence)"),
    ("casualties:1988-94 war/Both sides/killed_total/Human Rights Watch",
     "1988-94 war: killed, soldiers and civilians, Both sides (count by Human Rights Watch)"),
])
def test_evidence_is_described_for_readers_never_as_keys(ref, expected):
    tables = evidence.load_tables(DATA)
    row = evidence_refs.resolve(ref, tables)
    assert row is not None
    assert evidence_refs.describe(ref, row) == expected


def test_evidence_cut_away_does_not_resolve():
    tables = cut(evidence.load_tables(DATA), dt.date(2023, 9, 15), 2000, 2023)
    assert evidence_refs.resolve("events:E082", tables) is None
    assert evidence_refs.resolve("trade:Russia/2023/exports", tables) is None
    assert evidence_refs.resolve("trade:Russia/2022/exports", tables) is not None


def test_dates_print_at_their_precision():
    assert evidence_refs.at_precision("2016-01-01", "year") == "2016"
    assert evidence_refs.at_precision("2013-07-01", "month") == "Jul 2013"
    assert evidence_refs.at_precision("2023-09-11", "day") == "11 Sep 2023"


def test_partly_dated_events_are_listed_after_the_days_of_their_month_or_year():
    import pandas as pd

    rows = pd.DataFrame({
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "date": pd.to_datetime(["2022-01-01", "2022-11-01", "2022-11-23", "2022-02-02",
                                "2023-01-10"]),
        "date_precision": ["year", "month", "day", "day", "day"]})
    assert list(evidence_refs.in_date_order(rows)["event_id"]) == ["E4", "E3", "E2", "E1", "E5"]
    assert "after the dated events" in evidence_refs.order_note(rows)
    assert evidence_refs.order_note(rows[rows["date_precision"] == "day"]) == ""
    assert evidence_refs.order_note(rows.drop(columns="date_precision")) == ""


def _meta():
    return {"date": "2023-09-15", "as_of": "2023-09-15",
            "params": [["as_of", "2023-09-15"], ["rival", "Azerbaijan"]],
            "colophon": {"commit": "abcdef1234", "note": "Built.", "data_hashes": {},
                         "versions": {}}}


def test_title_page_has_no_parameter_block_and_says_what_as_of_means():
    nb = merge.merge([], _meta())
    meta = nb.metadata["tightrope"]
    assert "params" not in meta
    assert meta["as_of_note"].startswith("This edition uses only what was published on or "
                                         "before 15 September 2023")
    assert meta["colophon"]["params"] == [["as_of", "2023-09-15"], ["rival", "Azerbaijan"]]
    assert "rival = Azerbaijan" in meta["colophon"]["note"]
    # a reader saw start_year = 2000 beside a timeline from 1988: the note says what it bounds
    assert "(the years bound yearly figures, not dated events)" in meta["colophon"]["note"]
    assert meta["author"] and meta["subtitle"] and meta["date"] == "2023-09-15"
    assert meta["as_of_note"].endswith("nothing later is shown.")


def test_title_page_points_to_the_data_note_when_series_come_from_later_releases():
    from analysis.appendix import Bibliography
    revised = Bibliography(entries=(), notes=("Data note. Some statistical series ...",),
                           later_releases=True)
    nb = merge.merge([], _meta(), bibliography=revised)
    note = nb.metadata["tightrope"]["as_of_note"]
    assert "nothing later is shown" not in note
    assert note.endswith("named in the data note of Appendix B).")
    # what 'read in a later release' means for the edition (a third outside reader took two
    # exceptions for two small ones)
    assert "only their years up to that date, but with any revisions made since" in note
    # and Appendix B's lead says so too, instead of 'each published on or before its date'
    lead = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "each published on or before its date, except the later releases the data note " \
        "names." in lead
    # a note that newer data exist (which the edition does not use) is no such exception
    for notes in ((), ("Data note. Newer data exist than this evidence base holds. ...",)):
        plain = merge.merge([], _meta(), bibliography=Bibliography(entries=(), notes=notes))
        assert "except the later releases" not in " ".join(
            c.source for c in plain.cells if c.cell_type == "markdown")
        assert plain.metadata["tightrope"]["as_of_note"].endswith("nothing later is shown.")
        assert "except the statistical series" not in plain.cells[-1].source


def test_figures_read_in_later_copies_are_named_as_an_exception_too():
    """An item published by the edition's date whose figures were read in a copy published
    after it: the title page, Appendix B's lead and the citation say so, not 'nothing later'."""
    from analysis.appendix import Bibliography
    for revised, two in ((False, False), (True, True)):
        bib = Bibliography(entries=(), notes=("Data note. ...",) if revised else (),
                           later_releases=revised, later_copies=True)
        nb = merge.merge([], _meta(), bibliography=bib)
        note = nb.metadata["tightrope"]["as_of_note"]
        assert note.endswith("figures of earlier items read in later copies, marked in "
                             "Appendix B.")
        assert ("the two exceptions are" in note) == two
        assert ("the one exception is" in note) == (not two)
        lead = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert "an entry whose only copies were made after the edition's date says so" in lead
        assert "read in later copies" in nb.cells[-1].source


def test_back_matter_glossary_lists_only_abbreviations_used_and_a_citation():
    section = nbformat.v4.new_notebook()
    section.cells = [nbformat.v4.new_markdown_cell("# Heading\n\nThe CSTO and SIPRI's TIV.")]
    from analysis.sections import SECTIONS
    nb = merge.merge([(SECTIONS[0], section)], _meta())
    text = json.dumps([c.get("outputs", []) for c in nb.cells])
    assert "Collective Security Treaty Organization" in text and "trend-indicator" in text
    assert "Eurasian Economic Union" not in text  # EAEU is not used
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## How to cite this report" in sources
    assert "Tightrope project (2023)" in sources and "abcdef1" in sources


def test_author_and_publisher_reach_the_title_page_and_the_citation():
    meta = _meta()
    meta["params"] = [*meta["params"], ["author", "Jane Doe"], ["publisher", "Example Institute"]]
    nb = merge.merge([], meta)
    front = nb.metadata["tightrope"]
    assert front["author"] == "Jane Doe \u00b7 Example Institute"  # the PDF's title page
    assert front["kicker"] == front["author"]  # the HTML's title block
    cite = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Jane Doe (2023). *Tightrope" in cite and "*. Example Institute. Edition of" in cite


@pytest.mark.parametrize(("commit_date", "year"), [
    ("2026-11-27", "2026"), (None, "2023"), ("not a date", "2023")])
def test_a_citation_gives_the_year_of_the_revision_it_was_built_from(commit_date, year):
    """An edition dated 15 September 2023 built from a revision of 2026 was published in 2026:
    cited '(2026) ... Edition of 15 September 2023' (an outside reader took '(2023)' for a
    document of 2023); without a commit date, the edition's own year."""
    meta = _meta()
    if commit_date:
        meta["colophon"]["commit_date"] = commit_date
    cite = merge.citation(meta)
    assert cite.startswith(f"Tightrope project ({year}). *Tightrope"), cite
    assert "Edition of 15 September 2023" in cite
    note = merge.merge([], meta).metadata["tightrope"]["as_of_note"]
    assert note.startswith("Built in 2026 from the revision named in the colophon, this edition "
                           "uses only what was published on or before 15 September 2023"
                           ) == (year == "2026")


def test_the_colophon_names_the_typst_binding_apart_from_the_compiler():
    from analysis.manifest import package_versions

    versions = package_versions()
    assert "typst (Python binding)" in versions and "typst" not in versions


def test_default_byline_names_the_project_once():
    nb = merge.merge([], _meta())
    assert nb.metadata["tightrope"]["author"] == "Tightrope project"
    cite = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "Tightrope project. Edition" not in cite


# copies named in Appendix B ------------------------------------------------------------------
@pytest.mark.parametrize("text, latest", [
    ("Zartonk Media, 7 Jul 2020: https://zartonkmedia.com/2020/07/07/new-survey", "2020-07-07"),
    ("Paul Goble citing ArmInfo, June 2022: http://x.blogspot.com/2022/06/a.html", "2022-06-01"),
    ("kiwix mirror (Jan 2024 snapshot): https://h.com/wikipedia_en_all_maxi_2024-01/A/2022_X",
     "2024-01-01"),
    ("OC Media (citing the IRI Dec 2023 release): https://oc.app/survey", "2023-12-01"),
    ("file 2023/2023_12_11_electricity/gas.csv (HEAD ebe9402a6c10bb41b99e)", "2023-12-11"),
    ("Sputnik: https://sputnikglobe.com/20230908/some-85-us-troops-1113194491.html", "2023-09-08"),
    ("Azatutyun: https://www.azatutyun.am/a/32689334.html", None),
])
def test_copy_dates_are_read_from_words_and_addresses(text, latest):
    from analysis.bibliography import copy_dates
    found = copy_dates(text)
    assert (max(found).isoformat() if found else None) == latest


def test_a_copy_made_after_the_editions_date_is_named_only_where_it_is_the_only_one():
    """Where an earlier copy exists, the edition points to it alone; an item read only in later
    copies names them (a reader must be able to find the figures) and says they are later. A
    later release of a series, which the data note declares, keeps all its copies unflagged."""
    import datetime as dt

    from analysis.bibliography import LATER_COPY, bibliography, copies_known_by
    from analysis.evidence import cut, load_tables

    via = "A, 7 Jul 2020: https://a.org/2020/07/07/x ; B, Jun 2022: https://b.org/2022/06/y"
    assert copies_known_by(via, dt.date(2021, 1, 1)) == ("A, 7 Jul 2020: https://a.org/2020/07/07/x",
                                                        True)
    assert copies_known_by(via, dt.date(2019, 1, 1)) == (None, True)
    assert copies_known_by(via, dt.date(2023, 1, 1)) == (via.replace(" ; ", "; "), False)
    as_of = dt.date(2019, 6, 1)
    tables = cut(load_tables(), as_of, 2000, 2019)
    bib = bibliography(tables, as_of)
    from analysis.bibliography import copy_dates
    from analysis.evidence import later_releases

    releases = set(later_releases(tables, as_of)["source_id"])
    flagged = 0
    for entry in bib.entries:
        later = any(d > as_of for d in copy_dates(entry.via or ""))
        if entry.id in releases:
            assert LATER_COPY not in (entry.locator or ""), entry
        elif later:  # only where no earlier copy exists, and then said so
            assert LATER_COPY in (entry.locator or ""), entry
            assert all(d > as_of for d in copy_dates(entry.via)), entry
            flagged += 1
        assert entry.via or entry.url, entry  # every entry can be found
    assert flagged


def test_sources_are_listed_as_a_reader_looks_them_up_whatever_the_case():
    import pandas as pd

    from analysis.bibliography import cited_sources

    publishers = ["news.am", "CRRC", "Caucasian Knot", "Reuters", "RFE/RL", "commonspace.eu"]
    sources = pd.DataFrame({"source_id": [f"s{i}" for i in range(len(publishers))],
                            "publisher": publishers, "title": ["t"] * len(publishers)})
    events = pd.DataFrame({"source_id": sources["source_id"]})
    listed = cited_sources({"sources": sources, "events": events})["publisher"].tolist()
    assert listed == ["Caucasian Knot", "commonspace.eu", "CRRC", "news.am", "Reuters", "RFE/RL"]


def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_verdict_colours_are_the_charts_in_the_pdf_and_the_html_and_their_badges_read():
    """Supported, partly supported and disputed each have one colour: in the ledger's chart,
    the PDF's badges and the HTML's badges; each badge's ink has WCAG AA contrast (4.5:1) on it.
    (The rarer not-verifiable verdicts keep a grey badge.)"""
    import re
    from pathlib import Path

    import analysis
    from analysis.builders.ledger import VERDICT_COLOURS

    src = Path(analysis.__file__).parent
    typ = (src / "export" / "typst_templates" / "report.typ").read_text(encoding="utf-8")
    css = (src / "templates" / "tightrope" / "report.css").read_text(encoding="utf-8")
    for verdict in ("supported", "partly supported", "disputed"):
        colour = VERDICT_COLOURS[verdict]
        assert f'v == "{verdict}" {{ rgb("{colour}") }}' in typ, verdict
        cls = ".tr-verdict-" + verdict.replace(" ", "-")
        assert f"{cls} {{ border-left-color: {colour}; }}" in css, verdict
        badge = re.search(re.escape(cls) + r" \.tr-badge \{([^}]*)\}", css)[1]
        assert f"background: {colour};" in badge, verdict
        css_ink = re.search(r"color: (#[0-9a-fA-F]{6})", badge)
        typ_ink = re.search(rf'if v == "{verdict}" {{ rgb\("(#[0-9a-fA-F]{{6}})"\) }}',
                            typ[typ.index("#let tr-verdict-ink"):])
        ink = css_ink[1] if css_ink else "#ffffff"
        assert (typ_ink[1] if typ_ink else "#ffffff") == ink, verdict  # PDF and HTML alike
        light, dark = sorted((_luminance(colour), _luminance(ink)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (verdict, colour, ink)


def test_a_claims_events_are_listed_in_date_order_and_other_items_keep_their_place():
    import pandas as pd

    from analysis.builders.ledger import _events_in_date_order

    events = pd.Series(pd.to_datetime(["2020-11-10", "2023-02-22", "2022-12-12"]),
                       index=["E1", "E2", "E3"])
    assert (_events_in_date_order("events:E1;events:E2;trade:X/2022/exports;events:E3", events)
            == "events:E1;events:E3;trade:X/2022/exports;events:E2")
    assert _events_in_date_order("events:E9;events:E2", events) == "events:E9;events:E2"
    assert _events_in_date_order(None, events) is None


def test_series_updated_as_figures_come_in_say_when_their_copy_ends():
    """A continuously updated series (no release date) whose copy ends before the edition's
    last complete year: the data note says later figures may exist and are not used."""
    import datetime as dt

    from analysis.bibliography import bibliography
    from analysis.evidence import cut, load_tables

    tables = load_tables()
    late = dt.date(2026, 4, 17)
    (note,) = [n for n in bibliography(cut(tables, late, 2000, 2026), late).notes
               if "updated by their publishers" in n]
    assert "end before 2025" in note and "(figures to 2024)" in note
    assert "Central Bank of Armenia" in note and "up to 17 April 2026, are not used" in note
    early = dt.date(2023, 9, 15)  # every such copy reaches 2022, the last complete year
    assert not [n for n in bibliography(cut(tables, early, 2000, 2023), early).notes
                if "updated by their publishers" in n]


@pytest.mark.parametrize(("locator", "left"), [
    ("the publisher's own copy was not located; read in the copy named after “Via”", ""),
    (("wire report from Ankara; the publisher's own copy was not located; read in the copy "
      "named after “Via”."), "wire report from Ankara"),
    ("p. 1; the publisher's own copy was not located; read in the copies named after “Via”",
     "p. 1"),
    ("paragraphs 1-2", "paragraphs 1-2"), ("art. 5 etc.", "art. 5 etc.")])
def test_appendix_b_says_once_what_via_means(locator, left):
    """The sentence stood in some sixty entries (an outside reader); the introduction says it."""
    from analysis.bibliography import _without_copy_boilerplate

    assert _without_copy_boilerplate(locator) == left


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["default", "article"])
def test_every_source_a_figure_table_or_claim_cites_is_listed(edition, request):
    """Appendix B listed only what rows of the evidence base cite: the map's boundaries and the
    ministry's statements behind its markers, named under Figure 1.1, were in no entry. In the
    article's edition the series from later releases are listed too, with their files, as well
    as named in the data note."""
    from analysis.bibliography import used_source_ids

    folder = (request.getfixturevalue("built_report") if edition == "default"
              else request.getfixturevalue("article_edition").folder)
    report = nbformat.read(folder / "report.ipynb", as_version=4)
    listed = {entry["id"] for cell in report.cells for output in cell.get("outputs", [])
              for entry in output.get("data", {}).get(BIBLIOGRAPHY_MIME, {}).get("entries", [])}
    cited = used_source_ids([report])
    assert {"natural_earth_admin0", "wikipedia_place_coordinates",
            "armmod_2022_09_14_goris"} <= cited
    assert cited - listed == set()
    if edition == "article":
        assert {"sipri_milex_2025", "sipri_arms_register_2025"} <= listed


def test_an_address_written_out_but_never_opened_says_so():
    """The CRRC variable pages and SIPRI's fact-sheet pages follow the publishers' address
    patterns but could not be opened here (url_opened = false): Appendix B says so beside them,
    and not beside an address that was opened."""
    from analysis.bibliography import NOT_OPENED, bibliography

    day = dt.date(2026, 4, 17)
    entries = {e.id: e for e in bibliography(evidence.load_cut(DATA, day, 2000, 2026),
                                             day).entries}
    assert entries["crrc_cb_2019"].locator.endswith(NOT_OPENED)
    assert NOT_OPENED not in (entries["acaps_lachin_2022"].locator or "")


def test_a_later_releases_own_copies_do_not_make_the_edition_claim_later_copies():
    """Listing the later releases' entries with their copies (made after the edition's date,
    like the releases) had turned on the title page's 'figures of earlier items read in later
    copies' for editions that had none (a code review): the data note covers the releases."""
    from analysis.bibliography import LATER_COPY, bibliography

    day = dt.date(2026, 4, 10)
    bib = bibliography(evidence.load_cut(DATA, day, 2000, 2026), day)
    assert bib.later_releases and not bib.later_copies
    assert not any(LATER_COPY in (e.locator or "") for e in bib.entries)
