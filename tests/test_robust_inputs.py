"""Hostile and careless inputs (issue 11): each gives one clear line or the right result.

Fast tests on small inline data: cells, tables, descriptors, parameters, the CLI's messages.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from analysis import cells, evidence
from analysis.cli import main
from analysis.errors import DataValidationError, ParameterError
from analysis.params import resolve
from analysis.schema import FieldSpec, load_descriptor
from analysis.validation import validate
from conftest import ROOT

COUNTRIES = ["Armenia", "Azerbaijan", "Russia", "United States", "European Union", "France",
             "India", "Georgia"]


def params(**values):
    return resolve(values, countries=COUNTRIES, latest=__import__("datetime").date(2025, 6, 1))


# ---------------------------------------------------------------- one cell parser

NUMBER = FieldSpec("value", "number", "", {"minimum": 0})
INTEGER = FieldSpec("year", "integer", "", {"minimum": 1988, "maximum": 2100})


@pytest.mark.parametrize("text", ["inf", "Infinity", "-inf", "nan", "NaN", "1e308", "1E3",
                                  "1_000", "1,000", "99999999999999999999999", "٢٠١٠", "０",
                                  "0x10", "1.2.3", "--1", "", "½"])
def test_number_cells_that_are_not_plain_finite_numbers_are_rejected(text):
    field = FieldSpec("value", "number", "", {"required": True})
    with pytest.raises(cells.CellError):
        cells.parse_cell(field, text)


@pytest.mark.parametrize("text", ["2_010", "٢٠١٠", "2010.0", "1e3", "99999999999999999999999"])
def test_integer_cells_reject_separators_foreign_digits_and_huge_values(text):
    with pytest.raises(cells.CellError):
        cells.parse_cell(INTEGER, text)


@pytest.mark.parametrize("text", ["20230915", "2023-W37-5", "2023-9-15", "2023-02-30",
                                  "0001-01-01", "٢٠٢٣-٠٩-١٥"])
def test_date_cells_must_be_iso_calendar_dates_pandas_can_hold(text):
    with pytest.raises(cells.CellError):
        cells.parse_cell(FieldSpec("date", "date", "", {}), text)


def test_range_of_the_column_is_enforced():
    with pytest.raises(cells.CellError, match="below the minimum 0"):
        cells.parse_cell(NUMBER, "-1")
    assert cells.parse_cell(NUMBER, " 12.5 ") == 12.5
    assert cells.parse_cell(NUMBER, "") is None


def test_echoed_values_are_cut_short():
    shown = cells.show("x" * 5000)
    assert len(shown) < 100 and "5000 characters" in shown


# ---------------------------------------------------------------- tables and descriptors

def _write_table(data, name, text):
    (data / f"{name}.csv").write_text(text, encoding="utf-8")


def _problems(data):
    with pytest.raises(DataValidationError) as info:
        validate(data)
    return "\n".join(info.value.problems)


def _replace_cell(data, table, column, value, row=0):
    import csv
    import io

    path = data / f"{table}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[row + 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "1_000", "99999999999999999999999",
                                   "٢٠١٠"])
def test_validator_rejects_what_the_loader_could_not_read(data_copy, value):
    _replace_cell(data_copy, "trade", "value_usd_m", value)
    assert "trade.csv row 2: value_usd_m" in _problems(data_copy)


@pytest.mark.parametrize(("column", "value"), [("country", "Armenia "),
                                             ("source_id", " sipri_milex_2025")])
def test_text_cells_with_spaces_around_them_are_refused(data_copy, column, value):
    """Validation stripped them while the loader kept them: 'Armenia ' was another country,
    and a padded source id one the edition could not cite, its row cut without a word."""
    _replace_cell(data_copy, "military_expenditure", column, value)
    assert (f"military_expenditure.csv row 2: {column} = {value!r} has spaces at its "
            "start or end") in _problems(data_copy)


def test_blank_lines_are_not_records(data_copy):
    """An editor's trailing newlines (or a blank line between rows) are skipped by validation
    and loader alike, not reported as 'row 37: has 0 cells'; a row of empty cells is still a
    row."""
    from analysis import evidence

    path = data_copy / "gdp.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(lines[0] + "\n" + "".join(lines[1:]) + "\n\n", encoding="utf-8")
    validate(data_copy)
    spec = evidence.load_descriptor(data_copy)["gdp"]
    assert len(evidence._read_typed(spec, data_copy)) == len(lines) - 1
    path.write_text("".join(lines) + ",,,,,\n", encoding="utf-8")
    assert "gdp.csv row" in _problems(data_copy)


def test_end_date_may_not_precede_date(data_copy):
    _replace_cell(data_copy, "events", "date", "2020-09-27")
    _replace_cell(data_copy, "events", "end_date", "2020-09-01")
    assert "events.csv row 2: end_date 2020-09-01 is before date 2020-09-27" in \
        _problems(data_copy)


@pytest.mark.parametrize("precision, day, issued, late", [
    ("day", "2021-03-01", "2017-11-24", True),  # a signing report cannot attest entry into force
    ("day", "2021-03-01", "2021-03-01", False),
    ("month", "2013-07-01", "2013-07-31", False),  # dated to its month: any day of it will do
    ("month", "2013-07-01", "2013-06-30", True),
    ("year", "2015-01-01", "2015-12-31", False),
    ("day", "2025-04-15", "2025-04", False),  # a source known to its month may be of any day
    ("day", "2025-05-02", "2025-04", True),
    ("day", "2021-03-01", "", False)])  # an undated source is shown as n.d., not judged here
def test_a_row_may_not_rest_on_a_source_published_before_it(precision, day, issued, late):
    from analysis.validation import _reported_before

    record = {"date": day, "date_precision": precision, "source_id": "s"}
    problem = _reported_before("events", record, {"s": issued})
    assert (problem is not None) == late
    if late:
        assert f"published on {issued}, before the date {day}" in problem


def test_an_event_whose_source_came_out_before_it_is_named(data_copy):
    import csv

    with (data_copy / "deployments.csv").open(encoding="utf-8") as fh:
        first = next(csv.DictReader(fh))["source_id"]  # the Gyumri base's source
    with (data_copy / "sources.csv").open(encoding="utf-8") as fh:
        at = next(i for i, r in enumerate(csv.DictReader(fh)) if r["source_id"] == first)
    _replace_cell(data_copy, "deployments", "start_date", "2030-01-01")
    _replace_cell(data_copy, "sources", "date_published", "2029-12-31", row=at)
    assert (f"deployments.csv row 2: source_id = '{first}' was published on 2029-12-31, before "
            "the start_date 2030-01-01") in _problems(data_copy)


def test_table_path_outside_the_data_folder_is_refused_and_not_echoed(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text())
    descriptor["resources"][1]["path"] = "../../../../etc/passwd"
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor))
    text = _problems(data_copy)
    assert "leaves the data folder" in text and "root:" not in text


def test_symlinked_table_outside_the_data_folder_is_refused(data_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    shutil.copy(data_copy / "trade.csv", outside)
    (data_copy / "trade.csv").unlink()
    (data_copy / "trade.csv").symlink_to(outside)
    assert "trade.csv: the file is a link to" in _problems(data_copy)


def test_fifo_and_device_and_folder_are_not_read(data_copy):
    (data_copy / "trade.csv").unlink()
    os.mkfifo(data_copy / "trade.csv")
    assert "trade.csv: is not a regular file" in _problems(data_copy)  # does not hang
    (data_copy / "trade.csv").unlink()
    (data_copy / "trade.csv").mkdir()
    assert "trade.csv: is a folder, not a CSV file" in _problems(data_copy)
    descriptor = json.loads((data_copy / "datapackage.json").read_text())
    descriptor["resources"][1]["path"] = "/dev/zero"
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor))
    assert "leaves the data folder" in _problems(data_copy)


def test_size_limit_per_table_can_be_raised(data_copy, monkeypatch):
    monkeypatch.setenv("TIGHTROPE_MAX_TABLE_MB", "1")
    with open(data_copy / "trade.csv", "a", encoding="utf-8") as fh:
        fh.write("x" * (2 * 1024 * 1024))
    assert "over the limit of 1 MB per table; set TIGHTROPE_MAX_TABLE_MB" in _problems(data_copy)


def test_huge_csv_field_is_a_problem_not_a_traceback(data_copy):
    _replace_cell(data_copy, "events", "event_id", "E" * 200_000)
    text = _problems(data_copy)
    assert "events.csv row 2: event_id = 'EEEE" in text and len(text) < 5000


def test_bad_byte_is_reported_by_line_and_character(data_copy):
    path = data_copy / "trade.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = b"ab\xff" + lines[3]
    path.write_bytes(b"\n".join(lines))
    assert "trade.csv: is not UTF-8 text at line 4, character 3" in _problems(data_copy)


@pytest.mark.parametrize("descriptor, expected", [
    ([], "expected a JSON object with a \"resources\" list"),
    ({"resources": [{"path": "x.csv", "schema": {"fields": []}}]}, "has no \"name\""),
    ({"resources": [{"name": "x", "path": "x.csv"}]}, "has no \"schema\""),
    ({"resources": [{"name": "x", "path": "x.csv", "schema": {"fields": [
        {"name": "a", "constraints": {"pattern": "([a-z"}}]}}]},
     "is not a valid regular expression"),
])
def test_malformed_descriptors_give_one_line_each(tmp_path, descriptor, expected):
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(DataValidationError, match=None) as info:
        load_descriptor(tmp_path)
    assert expected in str(info.value)


def test_data_hash_covers_tables_in_sub_folders(data_copy):
    descriptor = json.loads((data_copy / "datapackage.json").read_text())
    (data_copy / "tables").mkdir()
    shutil.move(data_copy / "trade.csv", data_copy / "tables" / "trade.csv")
    for res in descriptor["resources"]:
        if res["name"] == "trade":
            res["path"] = "tables/trade.csv"
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor))
    before = evidence.file_hashes(data_copy)
    assert "tables/trade.csv" in before and "datapackage.json" in before
    _replace_cell(data_copy / "tables", "trade", "value_usd_m", "1.5")
    assert evidence.file_hashes(data_copy)["tables/trade.csv"] != before["tables/trade.csv"]


# ---------------------------------------------------------------- parameters

@pytest.mark.parametrize("values, message", [
    ({"as_of": ""}, "parameter 'as_of' is empty"),
    ({"focus": ""}, "parameter 'focus' is empty"),
    ({"as_of": "20230915"}, "must be a date as YYYY-MM-DD"),
    ({"as_of": "2023-W37-5"}, "must be a date as YYYY-MM-DD"),
    ({"start_year": "2_010"}, "must be a whole year"),
    ({"start_year": "٢٠١٠"}, "must be a whole year"),
    ({"partners": "France,France"}, "names France more than once"),
    ({"partners": "Armenia"}, "Armenia is the focus"),
    ({"partners": "Russia,France"}, "Russia is the patron"),
    ({"partners": "Azerbaijan"}, "Azerbaijan is the rival"),
    ({"data_dir": "~nonexistentuser_xyz/x"}, "names a home folder that does not exist"),
    ({"data_dir": "/etc/passwd"}, "is a file, not a folder"),
    ({"author": "a\u202eb"}, "holds the control character"),  # right-to-left override
])
def test_strict_parameters_say_why(values, message):
    with pytest.raises(ParameterError, match=None) as info:
        params(**values)
    assert message in str(info.value)


def test_default_start_year_follows_an_early_as_of():
    p = params(as_of="1995-06-01")
    assert p.start_year == 1995 and p.end_year == 1995


def test_slug_changes_with_the_data_folder_given_any_way(data_copy, monkeypatch):
    base = params(as_of="2023-09-15").slug
    assert base == "armenia-2023-09-15"
    assert params(as_of="2023-09-15", data_dir=str(data_copy)).slug != base
    monkeypatch.setenv("TIGHTROPE_DATA_DIR", str(data_copy))
    assert params(as_of="2023-09-15").slug != base


# ---------------------------------------------------------------- the CLI's one line

def run_cli(args, capsys):
    code = main(args)
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize("args, code, message", [
    (["build", "--as-of", ""], 2, "parameter 'as_of' is empty"),
    (["build", "--as-of", "2023-09-15", "-p", "as_of=2023-09-14"], 2, "disagree"),
    (["build", "--out", ""], 2, "--out is empty"),
    (["data", "validate", "--data-dir", "/etc/passwd"], 2, "is a file, not a folder"),
    (["build", "-p", "data_dir=~nonexistentuser_xyz/x"], 2, "home folder that does not exist"),
    (["build", "--format", "html", "--keep-typ"], 2, "--keep-typ keeps the PDF's Typst source"),
])
def test_cli_mistakes_are_one_line_with_exit_2(capsys, args, code, message):
    got, err = run_cli(args, capsys)
    assert got == code and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_environment_mistakes_are_named_as_such(capsys, monkeypatch, tmp_path):
    """TIGHTROPE_DATA_DIR naming a file says so (not 'does not exist'); an unknown
    TIGHTROPE_ENGINE stops before any work, not as nine failed sections."""
    from analysis import engine

    monkeypatch.setenv("TIGHTROPE_DATA_DIR", "/etc/passwd")
    code, err = run_cli(["build", "--out", str(tmp_path / "a")], capsys)
    assert code == 2 and "is a file, not a folder (from TIGHTROPE_DATA_DIR)" in err
    monkeypatch.delenv("TIGHTROPE_DATA_DIR")
    monkeypatch.setattr(engine, "ENGINE", "bogus")
    for command in (["build", "--out", str(tmp_path / "b")], ["batch", "x.toml"]):
        code, err = run_cli(command, capsys)
        assert code == 2 and "TIGHTROPE_ENGINE='bogus' is not an engine" in err
    assert not (tmp_path / "b").exists()
    monkeypatch.undo()
    monkeypatch.setenv("TIGHTROPE_MAX_TABLE_MB", "abc")  # once for the run, not once per table
    for command in (["build", "--out", str(tmp_path / "c")], ["data", "validate"]):
        code, err = run_cli(command, capsys)
        assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
        assert "TIGHTROPE_MAX_TABLE_MB='abc' is not a positive whole number" in err
    monkeypatch.undo()
    # matplotlib and IPython read it as well, and stop on it deep inside a kernel
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    for command in (["build", "--out", str(tmp_path / "d")], ["batch", "x.toml"]):
        code, err = run_cli(command, capsys)
        assert code == 2 and "SOURCE_DATE_EPOCH='yesterday' is not a whole number" in err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("jobs", ["0", "-3", "x"])
def test_jobs_must_be_positive(capsys, jobs):
    with pytest.raises(SystemExit) as info:
        main(["build", "--jobs", jobs])
    assert info.value.code == 2 and "at least 1" in capsys.readouterr().err


def test_out_that_is_a_file_or_read_only(capsys, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    code, err = run_cli(["build", "--as-of", "2023-09-15", "--out", str(target)], capsys)
    assert code == 2 and "is a file, not a folder" in err
    if os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    code, err = run_cli(["build", "--as-of", "2023-09-15", "--out", str(ro)], capsys)
    assert code == 1 and "is not writable" in err


def test_data_validate_on_a_file_is_clean_from_a_shell():
    run = subprocess.run([sys.executable, "-m", "analysis.cli", "data", "validate",
                          "--data-dir", "/etc/passwd"], capture_output=True, text=True, cwd=ROOT,
                         check=False)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_a_table_wrong_on_every_row_keeps_few_problems_in_memory(data_copy):
    with open(data_copy / "trade.csv", "a", encoding="utf-8") as fh:
        fh.writelines(f"World,{1988 + i % 30},exports,n/a{i},armstat_trade_2025,medium\n" for i in range(3000))
    lines = [p for p in _problems(data_copy).splitlines() if p.startswith("trade.csv")]
    assert len(lines) == 26 and lines[-1].startswith("trade.csv: ... and ")
    assert "more problem(s)" in lines[-1]


def test_a_long_validation_reports_progress_and_build_passes_it_on(data_copy, monkeypatch):
    import analysis.build as build_module
    from analysis import validation
    table = data_copy / "gdp.csv"
    header, first, *_ = table.read_text(encoding="utf-8").splitlines()
    table.write_text("\n".join([header] + [first] * 20_001) + "\n", encoding="utf-8")
    monkeypatch.setattr(validation, "PROGRESS_EVERY_S", -1.0)
    lines: list[str] = []
    with pytest.raises(DataValidationError):  # the copied rows repeat one key
        validate(data_copy, progress=lines.append)
    assert any(line.strip().startswith("validating gdp.csv: 10,000 rows") for line in lines), lines

    seen = {}

    def spy(data_dir, progress=None):
        seen["progress"] = progress
        raise DataValidationError(["stop here"])
    monkeypatch.setattr(build_module, "validate", spy)
    said: list[str] = []
    with pytest.raises(DataValidationError):
        build_module.build(params(data_dir=str(data_copy)), [], out_root=data_copy.parent / "out",
                           progress=said.append)
    assert seen["progress"] is not None
    seen["progress"]("  validating x: 10,000 rows so far")
    assert said[-1] == "  validating x: 10,000 rows so far"
