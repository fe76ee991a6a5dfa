"""Parameters: declared once, validated before any kernel, one clear line per mistake."""

import datetime as dt
import subprocess

import pytest

from analysis import params
from analysis.errors import ParameterError

COUNTRIES = ["Armenia", "Azerbaijan", "European Union", "France", "Georgia", "India", "Russia",
             "United States"]
TODAY = dt.date(2026, 11, 24)
LATEST = dt.date(2025, 8, 8)


def resolve(**values):
    return params.resolve(values, today=TODAY, countries=COUNTRIES, latest=LATEST)


def message(**values) -> str:
    with pytest.raises(ParameterError) as info:
        resolve(**values)
    return str(info.value)


def test_defaults_are_derived_from_data_and_as_of():
    p = resolve()
    assert p.as_of == LATEST
    assert (p.start_year, p.end_year) == (2000, 2025)
    assert (p.focus, p.rival, p.patron) == ("Armenia", "Azerbaijan", "Russia")
    assert p.partners == ("United States", "European Union", "France", "India")
    assert p.slug == "armenia-2025-08-08"


def test_strings_from_the_command_line_are_converted():
    p = resolve(as_of="2023-09-15", start_year="2010", partners="France, India")
    assert p.as_of == dt.date(2023, 9, 15) and p.start_year == 2010 and p.end_year == 2023
    assert p.partners == ("France", "India")
    assert p.slug.startswith("armenia-2023-09-15-")  # non-default parameters add a hash


def test_unknown_name_suggests_the_closest():
    assert message(as_off="2023-01-01") == (
        "unknown parameter 'as_off'; did you mean 'as_of'? known parameters: as_of, start_year, "
        "end_year, focus, rival, patron, partners, data_dir, author, publisher")


def test_wrong_type():
    assert message(start_year="twenty") == (
        "parameter 'start_year' must be a whole year like 2015, got 'twenty'")
    assert message(as_of="15/09/2023") == (
        "parameter 'as_of' must be a date as YYYY-MM-DD, got '15/09/2023'")


def test_start_after_end():
    assert message(start_year=2020, end_year=2010) == (
        "start_year (2020) is after end_year (2010); choose start_year <= end_year")


def test_as_of_in_the_future():
    assert message(as_of="2099-01-01") == (
        "as_of 2099-01-01 is in the future (today is 2026-11-24); use a date up to today")


def test_as_of_before_1988():
    assert message(as_of="1987-12-31") == (
        "as_of 1987-12-31 is before 1988, where the evidence base starts; use a date from "
        "1988-01-01")


def test_unknown_country_suggests_and_lists():
    assert message(rival="Azerbajan") == (
        "unknown country 'Azerbajan' for rival; did you mean 'Azerbaijan'? available: "
        + ", ".join(COUNTRIES))
    assert message(partners=["France", "Zzyzx"]).startswith(
        "unknown country 'Zzyzx' for partners; available: Armenia, Azerbaijan,")


def test_the_same_country_twice_is_refused():
    assert "three different countries" in message(rival="Armenia")


def test_notebook_namespace_ignores_other_names():
    p = params.resolve({"as_of": "2021-01-01", "np": object(), "s": 1}, today=TODAY,
                       countries=COUNTRIES, strict=False)
    assert p.as_of == dt.date(2021, 1, 1)


def test_a_name_in_a_notebook_close_to_a_parameter_is_named_as_a_possible_typo():
    """A typo in the parameters cell would leave the default in force without a word; a
    variable of the analyst's named like one (``partner``) is warned about, not refused."""
    with pytest.warns(params.ParameterWarning, match="'rivel' is not a parameter; did you mean "
                                                     "'rival'"):
        p = params.resolve({"rivel": "Georgia"}, today=TODAY, countries=COUNTRIES, strict=False)
    assert p.rival == "Azerbaijan"
    with pytest.warns(params.ParameterWarning, match="did you mean 'start_year'"):
        params.resolve({"startyear": 2010}, today=TODAY, countries=COUNTRIES, strict=False)


def test_the_same_country_in_two_roles_names_the_roles():
    assert "rival and patron are both Russia" in message(rival="Russia")


def test_the_command_tells_its_version(tightrope_bin):
    run = subprocess.run([tightrope_bin, "--version"], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0 and run.stdout.startswith("tightrope ")


def test_an_end_year_before_the_default_start_year_names_the_default():
    assert ("end_year (1990) is before the default start_year (2000); set start_year <= 1990"
            in message(end_year=1990))


def test_date_messages_say_what_is_wrong_with_the_value():
    assert "'2023-02-30' is not a day of the calendar (check the month and the day)" in message(
        as_of="2023-02-30")
    # as_of = 2023-10-15 without quotes: Python subtracts
    assert "is the number 1998, not a date; put the date in quotes" in message(as_of=1998)
    assert "must be a date as YYYY-MM-DD, got 'yesterday'" in message(as_of="yesterday")


def test_cli_rejects_future_as_of_with_one_line_and_exit_2(tightrope_bin):
    run = subprocess.run([tightrope_bin, "build", "--as-of", "2099-01-01"], check=False, capture_output=True,
                         text=True)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tightrope: error: as_of 2099-01-01 is in the future")
    assert "Traceback" not in run.stderr


def test_cli_rejects_unknown_country_before_any_kernel(tightrope_bin):
    run = subprocess.run([tightrope_bin, "build", "-p", "rival=Azerbajan"], check=False, capture_output=True,
                         text=True)
    assert run.returncode == 2
    assert "did you mean 'Azerbaijan'?" in run.stderr and "Traceback" not in run.stderr


def test_cli_params_lists_every_parameter(tightrope_bin):
    run = subprocess.run([tightrope_bin, "params"], capture_output=True, text=True, check=True)
    for p in params.PARAMS:
        assert p.name in run.stdout


def test_cli_params_gives_the_data_defaults_and_still_lists_with_broken_data(tightrope_bin,
                                                                               data_copy):
    import os

    from analysis.evidence import edition_facts

    latest = edition_facts(data_copy)["latest"]
    env = {**os.environ, "TIGHTROPE_DATA_DIR": str(data_copy)}
    run = subprocess.run([tightrope_bin, "params"], capture_output=True, text=True, check=True,
                         env=env)
    assert f"default: None (now: {latest})" in run.stdout
    (data_copy / "events.csv").write_text("not,a\nvalid,table\n", encoding="utf-8")
    run = subprocess.run([tightrope_bin, "params"], capture_output=True, text=True, check=True,
                         env=env)
    assert "(now:" not in run.stdout and "as_of       date      default: None" in run.stdout


def test_author_and_publisher_default_and_make_the_byline():
    p = resolve()
    assert (p.author, p.publisher) == ("Tightrope project", "Tightrope project")
    assert p.byline == "Tightrope project"  # the author publishes: named once
    p = resolve(author="  Jane   Doe ", publisher="Example Institute")
    assert (p.author, p.publisher) == ("Jane Doe", "Example Institute")
    assert p.byline == "Jane Doe \u00b7 Example Institute"
    assert p.to_notebook()["author"] == "Jane Doe"
    assert p.to_display()["publisher"] == "Example Institute"
    assert p.slug.startswith("armenia-2025-08-08-")  # a different byline is another report


@pytest.mark.parametrize("value, expected", [
    (42, "parameter 'author' must be a name (text), got '42'"),
    ("Jane\nDoe", "parameter 'author' must be one line"),
    ("Jane\x07Doe", "parameter 'author' holds the control character"),
    ("x" * 121, ("parameter 'author' is 121 characters long; the title page sets it on one line "
                "of at most 120: shorten it")),
])
def test_author_is_strict_like_the_other_parameters(value, expected):
    assert message(author=value).startswith(expected)


def test_empty_publisher_is_refused_with_the_fix():
    assert message(publisher=" ") == ("parameter 'publisher' is empty; give a value or leave it "
                                      "out to use the default (`tightrope params` lists them)")


def test_params_table_gives_what_a_data_derived_default_stands_for(data_copy):
    from analysis.evidence import edition_facts

    resolved = params.resolve({"data_dir": str(data_copy)})
    table = params.describe(resolved)
    latest = edition_facts(data_copy)["latest"]
    assert f"as_of       date      default: None (now: {latest})" in table
    assert f"end_year    year      default: None (now: {latest[:4]})" in table
    assert f"data_dir    path      default: None (now: {data_copy})" in table
    assert "focus       country   default: Armenia\n" in table  # a fixed default as it was
    assert "(now:" not in params.describe()  # the data unreadable: the plain table


@pytest.mark.parametrize("argv", [["--sections", "05", "07"], ["--sections", "05", "--sections", "07"],
                                  ["--sections", "05,07"], ["--sections", "balancing_act, 7"],
                                  ["--sections", "05,", "07"]])
def test_sections_may_be_listed_repeated_or_comma_separated(argv):
    """`--sections 05 --sections 07` builds both (it once kept only the last) and `05,07` reads
    like `--format html,pdf`."""
    from analysis.cli import parser
    from analysis.sections import select

    names = parser().parse_args(["build", *argv]).sections
    assert [s.key for s in select(names)] == ["05", "07"]
