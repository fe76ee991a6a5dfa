"""`tightrope data refresh`: each publisher layout round-trips parse -> diff -> write -> validate
on a copy of the evidence base (fixtures in tests/fixtures/refresh, made by make_fixtures.py)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
import urllib.error
from pathlib import Path

import pytest
from openpyxl import Workbook

from analysis import refresh as rf
from analysis.cli import main
from analysis.refresh.layouts import LayoutError, clean_name, number
from analysis.validation import validate

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "refresh"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _source(data: Path, source_id: str) -> dict[str, str]:
    return next(r for r in _rows(data / "sources.csv") if r["source_id"] == source_id)


def _round_trip(source: str, fixture: str, data: Path) -> list[rf.TableDiff]:
    before = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    lines: list[str] = []
    diffs = rf.refresh(source, FIX / fixture, data_dir=data, today=TODAY, echo=lines.append)
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == before, \
        "dry run wrote files"
    assert lines[-1].startswith("dry run: nothing written")
    written = rf.refresh(source, FIX / fixture, data_dir=data, write=True, today=TODAY,
                         echo=lambda _: None)
    validate(data)
    row = _source(data, rf.SOURCES[source].source_id)
    assert row["sha256"] == hashlib.sha256((FIX / fixture).read_bytes()).hexdigest()
    assert row["date_accessed"] == TODAY.isoformat() and row["release"]
    again = rf.refresh(source, FIX / fixture, data_dir=data, today=TODAY, echo=lambda _: None)
    assert not any(d.changed for d in again), "a second refresh of the same file changed rows"
    assert [(len(d.added), len(d.revised), len(d.removed)) for d in written] == \
        [(len(d.added), len(d.revised), len(d.removed)) for d in diffs]
    return diffs


def test_sipri_milex_workbook(data_copy):
    (d,) = _round_trip("sipri-milex", "sipri_milex.xlsx", data_copy)
    assert (len(d.added), len(d.removed)) == (0, 0)
    values = {(o["country"], o["year"], o["measure"], o["value"], n["value"])
              for o, n in d.revised}  # the committed rows were read in this workbook already
    assert values == {("Armenia", "2024", "spend_current_usd_m", "1418.0", "1420.5"),
                      ("Georgia", "2024", "spend_current_usd_m", "615.9", "750.0")}
    assert not _source(data_copy, "sipri_milex_2025")["retrieved_via"]  # no copy named now
    rows = _rows(data_copy / "military_expenditure.csv")
    # the constant-price sheet is read under its base year; blue figures stay estimates; the
    # project's own note on a row (SIPRI's footnote on what it counts) survives the refresh
    const = {(r["country"], r["year"]): r for r in rows if r["measure"] == "spend_const2023_usd_m"}
    assert const[("Azerbaijan", "2000")]["estimate"] == "true"
    assert const[("Azerbaijan", "2005")]["estimate"] == const[("Armenia", "2000")]["estimate"] == ""
    assert "special defence projects" in const[("Azerbaijan", "2012")]["note"]
    assert not [r for r in rows if r["country"] == "Russia"], "only the committed countries"
    assert any(r["country"] == "Georgia" and r["year"] == "2024" and
               r["measure"] == "spend_current_usd_m" for r in rows)


def test_sipri_register_csv_updates_deliveries_and_their_sums(data_copy):
    deliveries, imports = _round_trip("sipri-arms", "sipri_register.csv", data_copy)
    assert [r["sipri_deal_id"] for r in deliveries.added] == ["999999"]
    assert not deliveries.revised and not deliveries.removed
    (old, new), = imports.revised
    assert (old["supplier"], old["year"], old["tiv_m"], new["tiv_m"]) == \
        ("India", "2023", "3.60", "5.10")
    assert "Register export generated 3 January 2025".lower() in \
        _source(data_copy, "sipri_arms_register_2025")["release"].lower()


def test_worldbank_json(data_copy):
    (d,) = _round_trip("worldbank", "worldbank.json", data_copy)
    assert [(o["year"], o["value"], n["value"]) for o, n in d.revised
            if o["value"] != n["value"]] == [("2023", "24.212", "24.500")]
    # the committed rows were read in a rebuilt copy (medium); the bank's own file makes them high
    assert {(o["confidence"], n["confidence"]) for o, n in d.revised} == {("medium", "high")}
    assert not d.added  # the 2024 null is missing, not zero


def test_comtrade_json_and_csv(data_copy):
    (d,) = _round_trip("comtrade", "comtrade.json", data_copy)
    changed = {(o["year"], o["partner"]): (o["months_reported"], n["months_reported"])
               for o, n in d.revised if o["months_reported"] != n["months_reported"]}
    assert changed == {("2023", "Russia"): ("9", "10")}
    csv_diffs = rf.refresh("comtrade", FIX / "comtrade.csv", data_dir=data_copy, today=TODAY,
                           echo=lambda _: None)
    assert len(csv_diffs[0].removed) > 0  # a one-year file would drop the other years


def test_cba_workbook_keeps_complete_years_only(data_copy):
    lines: list[str] = []
    (d,) = rf.refresh("cba-transfers", FIX / "cba_transfers.xlsx", data_dir=data_copy,
                      today=TODAY, echo=lines.append)
    assert not d.added and not d.removed
    assert {(o["inflow_usd_m"] == n["inflow_usd_m"]) for o, n in d.revised} == {True}
    assert any("2025 Russia total: only 2 months" in line for line in lines)
    _round_trip("cba-transfers", "cba_transfers.xlsx", data_copy)


# ------------------------------------------------------------------ layouts and mistakes
@pytest.mark.parametrize("raw, name", [("Armenia", "Armenia"), ("Georgia [c]", "Georgia"),
                                       ("Iraq*", "Iraq"), ("Russian Federation", "Russia"),
                                       ("unknown supplier(s)", "Unknown supplier(s)"),
                                       ("Turkiye", "Turkey"), ("Total", "World")])
def test_names_lose_footnote_markers(raw, name):
    assert clean_name(raw) == name


@pytest.mark.parametrize("raw, value", [("...", None), ("xxx", None), ("-", None), ("", None),
                                        ("1,234.5", 1234.5), (0.0548, 0.0548), ("12 [a]", 12.0)])
def test_numbers_and_missing_markers(raw, value):
    assert number(raw) == value


def test_a_workbook_without_the_sheets_names_what_is_missing(tmp_path, data_copy):
    wb = Workbook()
    wb.active.title = "Data"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(LayoutError, match="sheet\\(s\\) 'Share of GDP'.*not found"):
        rf.refresh("sipri-milex", tmp_path / "other.xlsx", data_dir=data_copy)


def test_a_register_without_its_header_line_is_refused(tmp_path, data_copy):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(LayoutError, match="no header line starting 'SIPRI AT Database ID'"):
        rf.refresh("sipri-arms", tmp_path / "x.csv", data_dir=data_copy)


def test_cli_errors_are_one_line_with_the_right_exit_code(capsys, monkeypatch, data_copy):
    assert main(["data", "refresh", "nosuch", "f", "--data-dir", str(data_copy)]) == 2
    assert main(["data", "refresh", "worldbank", "--data-dir", str(data_copy)]) == 2

    def offline(*args, **kwargs):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(rf.urllib.request, "urlopen", offline)
    assert main(["data", "refresh", "worldbank", "--download",
                 "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("tightrope: error: ") for line in err)
    assert "cannot download https://api.worldbank.org" in err[-1]


def test_cli_dry_run_prints_the_diff_and_writes_nothing(capsys, data_copy):
    before = (data_copy / "gdp.csv").read_bytes()
    assert main(["data", "refresh", "worldbank", str(FIX / "worldbank.json"),
                 "--data-dir", str(data_copy)]) == 0
    out = capsys.readouterr().out
    assert "~ Armenia / 2023 / gdp_current_usd_bn: value 24.212 -> 24.500" in out
    assert (data_copy / "gdp.csv").read_bytes() == before


def test_a_constant_sheet_of_a_new_base_year_replaces_the_old_one(tmp_path, data_copy):
    wb = Workbook()
    for sheet in ("Share of GDP", "Current US$", "Share of Govt. spending", "Constant (2024) US$"):
        ws = wb.create_sheet(sheet)
        ws.append(["Country", "Notes", 2024])
        ws.append(["Armenia", "", 1500.0 if "US$" in sheet else 0.05])
    wb.save(tmp_path / "next.xlsx")
    (d,) = rf.refresh("sipri-milex", tmp_path / "next.xlsx", data_dir=data_copy,
                      echo=lambda _: None)
    measures = {r["measure"] for r in d.merged if r["country"] == "Armenia"}
    assert "spend_const2024_usd_m" in measures and "spend_const2023_usd_m" not in measures
    assert {r["measure"] for r in d.removed} >= {"spend_const2023_usd_m"}


def test_milex_share_sheets_in_percent_are_not_scaled_twice(tmp_path, data_copy):
    wb = Workbook()
    for sheet in ("Share of GDP", "Current US$", "Share of Govt. spending"):
        ws = wb.create_sheet(sheet)
        ws.append(["title"])
        ws.append(["Country", "Notes", 2024])
        ws.append(["Armenia", "", 1418.0 if sheet == "Current US$" else 5.48])
    wb.save(tmp_path / "pct.xlsx")
    (d,) = rf.refresh("sipri-milex", tmp_path / "pct.xlsx", data_dir=data_copy,
                      echo=lambda _: None)
    values = {(r["measure"], r["year"]): r["value"] for r in d.merged
              if r["country"] == "Armenia"}
    assert values[("share_of_gdp_pct", "2024")] == "5.48"


@pytest.mark.parametrize(("change", "message"), [
    (lambda obs: obs[1].__setitem__("value", "abc"), r"has the value 'abc', not a number"),
    (lambda obs: obs.append(dict(obs[1])), r"observations 2 and 13 both give"),
])
def test_worldbank_values_that_are_not_one_number_per_year_are_named(data_copy, tmp_path,
                                                                     change, message):
    """A non-numeric value was a traceback; a repeated observation was silently collapsed
    (and reported as a revision)."""
    import json

    payload = json.loads((FIX / "worldbank.json").read_text(encoding="utf-8"))
    change(payload[1])
    bad = tmp_path / "worldbank.json"
    bad.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(LayoutError, match=message):
        rf.refresh("worldbank", bad, data_dir=data_copy, today=TODAY, echo=lambda _: None)
