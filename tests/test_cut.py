"""The as_of cut (evidence.cut): one test per rule, on the committed tables plus injected rows."""

import datetime as dt

import pandas as pd
import pytest

from analysis import evidence
from analysis.bibliography import bibliography
from analysis.evidence import cut, edition_date, later_releases
from conftest import DATA

AS_OF = dt.date(2023, 9, 15)


@pytest.fixture(scope="module")
def base():
    return evidence.load_tables(DATA)


def _cut(tables, as_of=AS_OF):
    return cut(tables, as_of, 2000, as_of.year)


def _with(tables, table, **row):
    """The tables with one row appended to ``table`` (other columns empty)."""
    frame = tables[table]
    new = pd.DataFrame([{c: row.get(c, pd.NA) for c in frame.columns}])
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            new[column] = pd.to_datetime(new[column])
    return {**tables, table: pd.concat([frame, new.astype(frame.dtypes.to_dict())],
                                      ignore_index=True)}


def _source(tables, source_id, published):
    return _with(tables, "sources", source_id=source_id, publisher="Test publisher",
                 title=f"Test source {source_id}", url=f"https://example.org/{source_id}",
                 date_published=pd.Timestamp(published), date_accessed=pd.Timestamp("2026-01-01"))


def _event(tables, event_id, day, source_id, title="Test event"):
    return _with(tables, "events", event_id=event_id, date=pd.Timestamp(day),
                 date_precision="day", category="security", actors="Armenia;Russia",
                 title=title, description=title, section=3, source_id=source_id,
                 confidence="high")


# rule 1: a dated row counts from its date -------------------------------------------------------
@pytest.mark.parametrize("table, column", sorted(evidence._DATE_COLUMNS.items()))
def test_dated_rows_after_as_of_are_dropped(base, table, column):
    frame = _cut(base)[table]
    assert frame.empty or frame[column].max() <= pd.Timestamp(AS_OF)
    later = base[table][column] > pd.Timestamp(AS_OF)
    assert len(frame) <= len(base[table]) - int(later.sum())


def test_a_row_dated_on_as_of_is_kept(base):
    tables = _event(base, "E990", AS_OF, "icc_putin_warrant_2023")
    assert "E990" in set(_cut(tables)["events"]["event_id"])
    assert "E990" not in set(_cut(tables, AS_OF - dt.timedelta(days=1))["events"]["event_id"])


def test_end_dates_after_as_of_are_blanked(base):
    events = _cut(base)["events"].set_index("event_id")
    assert pd.isna(events.loc["E060", "end_date"])  # the blockade had not ended
    assert events.loc["E024", "end_date"] == pd.Timestamp("2016-04-05")


def test_an_end_reported_later_is_shown_from_the_report_on(base):
    """A deployment known from an earlier source whose end a later source reports: the end
    (and the later source) only from that source's date; the deployment itself before it."""
    day = dt.date(2024, 7, 31)
    tables = _source(base, "t_presence", "2018-07-23")
    tables = _source(tables, "t_end", "2024-08-02")
    tables = _with(tables, "deployments", deployment_id="D990", name="Test guards",
                   deployer="Russia", host="Armenia", kind="border_guards",
                   start_date=pd.Timestamp("1992-09-30"), end_date=pd.Timestamp(day),
                   source_id="t_presence", end_source_id="t_end", confidence="medium")
    for as_of, ends in ((dt.date(2023, 9, 15), False), (dt.date(2024, 8, 1), False),
                        (dt.date(2024, 8, 2), True)):
        cut_ = _cut(tables, as_of)
        row = cut_["deployments"].set_index("deployment_id").loc["D990"]
        assert (row["end_date"] == pd.Timestamp(day)) is ends, as_of
        assert ("t_end" in evidence.cited_ids(cut_)) is ends


def test_a_deployment_shows_the_latest_count_published_by_the_edition(base):
    """A later published strength replaces the count at deployment from the date it applies and
    its source is published, and brings its source (cited) and its lower confidence."""
    tables = _source(base, "t_strength", "2025-01-30")
    tables = _with(tables, "strengths", deployment_id="D01", date=pd.Timestamp("2024-01-01"),
                   personnel_persons=300, source_id="t_strength", confidence="low")
    for as_of, count in ((dt.date(2023, 9, 15), 3083), (dt.date(2024, 6, 1), 3083),
                         (dt.date(2025, 1, 30), 300)):
        cut_ = _cut(tables, as_of)
        row = cut_["deployments"].set_index("deployment_id").loc["D01"]
        assert row["personnel_persons"] == count, as_of
        assert ("t_strength" in evidence.cited_ids(cut_)) is (count == 300)
        assert (row["confidence"] == "low") is (count == 300)


def test_the_latest_of_several_strengths_wins_and_only_it_is_cited(base):
    tables = _source(base, "t_s1", "2024-02-01")
    tables = _source(tables, "t_s2", "2025-02-01")
    tables = _with(tables, "strengths", deployment_id="D01", date=pd.Timestamp("2024-01-01"),
                   personnel_persons=2500, source_id="t_s1", confidence="high")
    tables = _with(tables, "strengths", deployment_id="D01", date=pd.Timestamp("2025-01-01"),
                   personnel_persons=2000, source_id="t_s2", confidence="high")
    cut_ = _cut(tables, dt.date(2025, 6, 1))
    assert cut_["deployments"].set_index("deployment_id").loc["D01", "personnel_persons"] == 2000
    assert "t_s2" in evidence.cited_ids(cut_) and "t_s1" not in evidence.cited_ids(cut_)
    # and the claim ledger's evidence line keeps to the count at deployment (a later count
    # is the tables' to show, with its source)
    from analysis import evidence_refs

    row = cut_["deployments"].set_index("deployment_id").loc["D01"].copy()
    row["deployment_id"] = "D01"
    assert "personnel" not in evidence_refs.describe("deployments:D01", row)


def test_undated_casualty_count_counts_from_the_anchor_ending_its_conflict(base):
    # an undated count of the September 2023 offensive (whose anchor ends on 20 September 2023),
    # from an undated source
    tables = _with(base, "sources", source_id="undated_count", publisher="Test publisher",
                   title="Undated count", url="https://example.org/undated",
                   undated_reason="test", date_accessed=pd.Timestamp("2026-01-01"))
    tables = _with(tables, "casualties", conflict="September 2023 offensive", side="Test side",
                   measure="military_killed", count_persons=1, reported_by="Test",
                   is_official=True, source_id="undated_count", confidence="high")
    during = _cut(tables, dt.date(2023, 9, 19))["casualties"]
    after = _cut(tables, dt.date(2023, 9, 20))["casualties"]
    assert "Test side" not in set(during["side"])
    assert "Test side" in set(after["side"])


# rule 2: annual figures count from 31 December --------------------------------------------------
def test_annual_figures_count_from_31_december(base):
    assert _cut(base)["trade"]["year"].max() == 2022
    assert _cut(base, dt.date(2023, 12, 31))["trade"]["year"].max() == 2023


# rule 3: a row whose source was published later is not knowable in that form --------------------
def test_row_citing_a_source_published_later_is_dropped(base):
    tables = _event(_source(base, "later_report", "2023-10-01"), "E991", "2023-06-01",
                    "later_report")
    assert "E991" not in set(_cut(tables)["events"]["event_id"])
    assert "E991" in set(_cut(tables, dt.date(2023, 10, 1))["events"]["event_id"])


def test_series_from_a_later_release_is_kept_and_named_once(base):
    tables = _cut(base)
    milex = tables["military_expenditure"]
    assert (milex["source_id"] == "sipri_milex_2025").any()
    later = later_releases(tables, AS_OF)
    assert "sipri_milex_2025" in set(later["source_id"])
    bib = bibliography(tables, AS_OF)
    # named once in the data note, and listed with its file like any source the figures cite
    assert "sipri_milex_2025" in {e.id for e in bib.entries}
    assert len(bib.notes) == 1 and bib.notes[0].count("SIPRI Military Expenditure Database") == 1


# rule 4: only citable sources ------------------------------------------------------------------
def test_bibliography_cites_nothing_published_after_as_of(base):
    """... but the later releases of the series the data note names."""
    tables = _cut(base)
    releases = set(later_releases(tables, AS_OF)["source_id"])
    bib = bibliography(tables, AS_OF)
    dates = [e.date for e in bib.entries if e.date != "n.d." and e.id not in releases]
    assert dates and max(dates) <= AS_OF.isoformat()
    assert bib.entries and len(bib.entries) < len(base["sources"])


def test_a_source_known_to_its_month_is_published_at_the_months_end():
    """SIPRI's 2025 milex release is dated April 2025 (stored as 2025-04-01): an edition of
    10 April 2025 could not have read it, so the cut counts it from 30 April; Appendix B prints
    the month alone."""
    from analysis.bibliography import published_date
    from analysis.evidence import published_on

    sources = pd.DataFrame({"source_id": ["m", "d", "u"],
                            "date_published": pd.to_datetime(["2025-04-01", "2025-04-01", None]),
                            "date_precision": pd.array(["month", None, None], dtype="string"),
                            "not_before": pd.to_datetime([None, None, "2024-07-01"])})
    assert [d.date().isoformat() for d in published_on(sources)] == [
        "2025-04-30", "2025-04-01", "2024-07-01"]
    assert [published_date(r) for r in sources.itertuples()] == ["2025-04", "2025-04-01", "n.d."]


def test_an_edition_citing_a_source_known_to_its_month_is_dated_at_that_months_end(base):
    """CRRC's 2019 wave was published in July 2020 (month only): an edition of 31 July 2020
    cites it, and is dated that day, not 1 July, before a source it uses."""
    day = dt.date(2020, 7, 31)
    tables = _cut(base, day)
    assert "crrc_cb_2019" in set(tables["sources"]["source_id"])
    assert edition_date(tables, day) == day


# rule 5: claims judged with the evidence available at as_of ------------------------------------
def test_claim_whose_verdict_is_later_is_not_yet_verifiable(base):
    # C18 rests on a statement of 14 May 2023: the day before, it cannot be judged
    c18 = _cut(base, dt.date(2023, 5, 13))["claims"].set_index("claim_id").loc["C18"]
    assert c18["verdict"] == "not yet verifiable"
    assert pd.isna(c18["reasoning"]) and pd.isna(c18["evidence"]) and pd.isna(c18["source_ids"])
    assert _cut(base, dt.date(2023, 5, 14))["claims"].set_index("claim_id").loc[
        "C18", "verdict"] == "partly supported"


def test_claim_evidence_and_sources_dated_later_are_dropped(base):
    claims = base["claims"].copy()
    at = claims.index[claims["claim_id"] == "C01"][0]
    claims.loc[at, "evidence"] += ";events:E082"
    claims.loc[at, "source_ids"] += ";na_am_rome_ratification_2023"
    c01 = _cut({**base, "claims": claims})["claims"].set_index("claim_id").loc["C01"]
    assert "E082" not in c01["evidence"] and "E076" in c01["evidence"]
    assert "na_am_rome_ratification_2023" not in c01["source_ids"]


def test_claim_update_counts_from_its_date_and_may_change_the_verdict(base):
    def claim(key, day):
        return _cut(base, day)["claims"].set_index("claim_id").loc[key]

    assert claim("C06", AS_OF)["verdict"] == "partly supported"
    assert pd.isna(claim("C06", AS_OF)["after_article"])
    assert "60 votes" in claim("C06", dt.date(2023, 10, 3))["after_article"]
    assert "entered into force" not in claim("C06", dt.date(2023, 10, 3))["after_article"]
    assert "entered into force" in claim("C06", dt.date(2024, 2, 1))["after_article"]
    # C20's update of 12 June 2024 changes its verdict from that day on
    assert claim("C20", dt.date(2024, 6, 11))["verdict"] == "supported"
    assert claim("C20", dt.date(2024, 6, 12))["verdict"] == "partly supported"


def test_update_resting_on_a_row_not_yet_known_waits(base):
    tables = _with(base, "claim_updates", claim_id="C01", date=pd.Timestamp("2023-09-12"),
                   update="rests on a later event", evidence="events:E082")
    updates = _cut(tables)["claim_updates"]
    assert "rests on a later event" not in set(updates["update"])


# the edition's date ----------------------------------------------------------------------------
def test_edition_date_is_the_latest_date_of_what_it_uses(base):
    quiet_day = dt.date(2023, 9, 17)
    tables = _cut(base, quiet_day)
    assert edition_date(tables, quiet_day) == dt.date(2023, 9, 15)
    assert edition_date(_cut(base), AS_OF) <= AS_OF


def test_a_release_published_by_the_edition_date_counts_a_later_one_does_not(base):
    """A series release published on or before ``as_of`` dates the edition like any source; one
    published after it is named in the data note and does not move the edition's date."""
    sources = base["sources"]
    armstat = sources["source_id"] == "armstat_gdp_2026"
    published = sources.loc[armstat, "date_published"].iloc[0]
    assert pd.notna(published)
    on_the_day = published.date()
    assert edition_date(_cut(base, on_the_day), on_the_day) == on_the_day
    day_before = on_the_day - dt.timedelta(days=1)
    assert edition_date(_cut(base, day_before), day_before) < on_the_day


@pytest.mark.parametrize("refs, annual", [
    ("trade:Russia/2024/exports;trade:Russia/2024/imports", True),
    ("remittances:2022/Russia/total;arms_import_shares:Armenia/2016-2020/Russia", True),
    ("trade:Russia/2024/exports;events:E093", False),
    (" trade:Russia/2024/exports ; energy:2022/Russia/natural_gas", True),  # spaces as in data
    ("events:E093; trade:Russia/2024/exports", False),
    ("deployments:D01", False),
    ("", False)])
def test_an_update_resting_on_annual_figures_only_is_dated_by_its_year(refs, annual):
    """Rule 2 dates an annual figure 31 December of its year: the ledger prints such an update's
    date as the year, not as '31 Dec 2024'."""
    assert evidence.annual_only(refs) is annual


def test_an_undated_source_counts_from_its_not_before_day(base):
    tables = _with(base, "sources", source_id="late_undated", publisher="Test publisher",
                   title="Undated, but of October 2022 or later", url="https://example.org/late",
                   undated_reason="test", not_before=pd.Timestamp("2022-10-13"),
                   date_accessed=pd.Timestamp("2026-01-01"))
    tables = _event(tables, "E992", "2022-09-13", "late_undated")
    assert "E992" not in set(_cut(tables, dt.date(2022, 10, 12))["events"]["event_id"])
    assert "E992" in set(_cut(tables, dt.date(2022, 10, 13))["events"]["event_id"])


def test_a_newer_release_not_yet_used_is_named_from_its_date_on(base):
    """SIPRI's export of 13 March 2025 (deliveries to 2024) replaces the register the arms
    tables use but is not in them: an edition from that day says newer data exist (one data
    note, and the arms charts' source lines point to it); an edition of the day before does not
    know of it."""
    newer = base["sources"].set_index("source_id").loc["sipri_arms_register_2025_03_q"]
    day = newer["date_published"].date()
    assert newer["supersedes"] == "sipri_arms_register_2025"
    for as_of, known in ((day - dt.timedelta(days=1), False), (day, True)):
        tables = cut(base, as_of, 2000, as_of.year)
        notes = [n for n in bibliography(tables, as_of).notes if n.startswith("Data note. Newer")]
        assert bool(notes) is known, as_of
        if known:
            assert "deliveries to 2024" in notes[0] and "3 January 2025" in notes[0]
        ids = {e.id for e in bibliography(tables, as_of).entries}
        assert "sipri_arms_register_2025_03_q" not in ids  # it gives no figure


def test_a_release_of_a_release_is_named_once_as_the_newest(base):
    """Releases replace one another (a second export supersedes the first, which supersedes the
    register in use): an edition knowing both names only the newer one, as replacing the
    register the figures come from; one knowing the first alone names that."""
    first = base["sources"].set_index("source_id").loc["sipri_arms_register_2025_03_q"]
    tables = _with(base, "sources", source_id="sipri_register_2026_q",
                   publisher=first["publisher"], title="Second test export",
                   retrieved_via="a copy", date_published=pd.Timestamp("2026-03-09"),
                   supersedes="sipri_arms_register_2025_03_q",
                   date_accessed=pd.Timestamp("2026-04-01"))
    for as_of, named in ((dt.date(2025, 6, 1), first["title"]),
                         (dt.date(2026, 4, 1), "Second test export")):
        cut_tables = cut(tables, as_of, 2000, as_of.year)
        newer = evidence.newer_releases(cut_tables, as_of, {"sipri_arms_register_2025"})
        assert list(newer["title"]) == [named], as_of
        assert list(newer["supersedes"]) == ["sipri_arms_register_2025"]
        notes = [n for n in bibliography(cut_tables, as_of).notes
                 if n.startswith("Data note. Newer")]
        assert len(notes) == 1 and named in notes[0] and notes[0].count(" released ") == 1


def test_a_source_line_of_superseded_data_points_to_the_note():
    from analysis import start_section

    early, late = (start_section("05", {"as_of": d}) for d in ("2025-03-12", "2025-03-13"))
    said = "(deliveries of major arms), export generated 3 January 2025 (a newer release exists: "
    assert said not in early.source_line(["sipri_arms_register_2025"])
    assert f"{said}Appendix B)." in late.source_line(["sipri_arms_register_2025"])
    assert "newer" not in late.source_line(["sipri_milex_2025"])


def test_a_newer_release_dated_only_by_not_before_is_named_by_that_day(base):
    """A newer release may be undated and bounded by not_before (the validator allows it): the
    note dates it by that day instead of failing on an empty date."""
    as_of = dt.date(2025, 6, 1)
    tables = _with(base, "sources", source_id="sipri_register_undated_q",
                   publisher="SIPRI (Stockholm International Peace Research Institute)",
                   title="Test export", retrieved_via="a copy", undated_reason="not shown",
                   not_before=pd.Timestamp("2025-04-02"), supersedes="sipri_arms_register_2025",
                   date_accessed=pd.Timestamp("2026-01-01"))
    notes = bibliography(cut(tables, as_of, 2000, as_of.year), as_of).notes
    assert any("Test export" in n and "in April 2025" in n for n in notes), notes


def test_a_long_source_line_still_points_to_the_newer_release():
    """A source line naming more than four publishers is shortened, but still says that a
    newer release of one of its publishers' data exists (Table 7.1 cites SIPRI's register)."""
    from analysis import start_section

    s = start_section("07", {})
    ids = ["sipri_arms_register_2025", "cba_transfers_2025", "comtrade_gas_2023", "tass_unga_2026",
           "azatutyun_coe_2025", "civilge_es111_2022"]
    assert len({s.ev.sources_by_id().loc[i, "publisher"] for i in ids}) > 4
    line = s.source_line(ids)
    assert "other publishers" in line and "A newer release of SIPRI data exists" in line
