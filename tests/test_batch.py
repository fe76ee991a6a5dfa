"""``tightrope batch``: the editions file, a local batch with a failing edition, and the same
editions on a dask.distributed LocalCluster with two workers."""

import json
import textwrap

import nbformat
import pytest

from analysis.batch import Edition, read_plan, run_dask
from analysis.errors import ParameterError
from conftest import run_cli


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_grid_is_dates_times_parameter_sets_plus_listed_editions(tmp_path):
    plan = read_plan(_write(tmp_path, "e.toml", """
        formats = ["html"]
        sections = ["2", "roots_of_discontent", "08"]
        [grid]
        as_of = [2021-01-01, "2023-09-15"]
        params = [{}, {rival = "Georgia", partners = ["France", "India"]}]
        [[editions]]
        as_of = "2023-09-15"
        [[editions]]
        as_of = "2024-06-30"
        start_year = 2010
        """))
    assert plan.formats == ("html",) and plan.sections == ["02", "08"]
    assert [e.params for e in plan.editions] == [
        {"as_of": "2023-09-15"},  # listed once, though the grid makes it again
        {"as_of": "2024-06-30", "start_year": 2010},
        {"as_of": "2021-01-01"},
        {"as_of": "2021-01-01", "rival": "Georgia", "partners": ["France", "India"]},
        {"as_of": "2023-09-15", "rival": "Georgia", "partners": ["France", "India"]},
    ]


def test_yaml_reads_like_toml(tmp_path):
    plan = read_plan(_write(tmp_path, "e.yaml", """
        grid:
          as_of: [2021-01-01, 2023-09-15]
        editions:
          - {as_of: 2022-01-01, rival: Georgia}
        """))
    assert [e.label for e in plan.editions] == ["as_of=2022-01-01 rival=Georgia",
                                                "as_of=2021-01-01", "as_of=2023-09-15"]


@pytest.mark.parametrize(("text", "message"), [
    ("as_of = 1", "unknown key(s) as_of"),
    ("formats = ['docx']\n[[editions]]\nas_of = '2023-09-15'", "unknown format(s) docx"),
    ("[grid]\ndates = ['2023-09-15']", "grid takes 'as_of'"),
    ("[[editions]]\nas_of = true", "editions[0].as_of: True is not a parameter value"),
    ("sections = ['99']\n[[editions]]\nas_of = '2023-09-15'", "unknown section '99'"),
    ("", "lists no edition"),
    ("[[editions]\n", "is not valid TOML"),
    ("formats = [true]\n[[editions]]\nas_of = '2023-09-15'", "formats: expected a list of names"),
])
def test_mistakes_in_the_file_are_named(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("]", r"\]")):
        read_plan(_write(tmp_path, "e.toml", text))


def test_a_single_name_is_a_list_of_one_and_the_file_must_be_utf8(tmp_path):
    plan = read_plan(_write(tmp_path, "e.toml", """
        formats = "html"
        sections = "02"
        [[editions]]
        as_of = "2023-09-15"
        """))
    assert plan.formats == ("html",) and plan.sections == ["02"]  # not h, t, m, l or 0, 2
    utf16 = tmp_path / "u.toml"
    utf16.write_bytes("[[editions]]\nas_of = '2023-09-15'\n".encode("utf-16"))
    with pytest.raises(ParameterError, match="is not UTF-8 text"):
        read_plan(utf16)


def test_an_edition_that_names_a_default_is_the_same_edition(tmp_path):
    plan = read_plan(_write(tmp_path, "e.toml", """
        [[editions]]
        as_of = "2023-09-15"
        [[editions]]
        as_of = "2023-09-15"
        rival = "Azerbaijan"
        [[editions]]
        as_of = "2023-09-15"
        start_year = 2000
        end_year = 2023
        [[editions]]
        as_of = "2023-09-15"
        rival = "Georgia"
        [[editions]]
        as_of = "2099-01-01"
        [[editions]]
        as_of = "2099-01-01"
        rival = "Azerbaijan"
        [[editions]]
        as_of = "2023-09-15"
        rivel = "Georgia"
        """))
    # the same folder is one edition; editions that do not resolve are kept as written (one
    # with a misspelt parameter is built, and fails naming it, not dropped as a duplicate)
    assert [e.params for e in plan.editions] == [
        {"as_of": "2023-09-15"}, {"as_of": "2023-09-15", "rival": "Georgia"},
        {"as_of": "2099-01-01"}, {"as_of": "2099-01-01", "rival": "Azerbaijan"},
        {"as_of": "2023-09-15", "rivel": "Georgia"}]


def test_an_empty_section_name_is_not_the_summary():
    from analysis.sections import select

    with pytest.raises(ParameterError, match="unknown section ''"):
        select([""])
    assert [s.key for s in select(["0", "2"])] == ["00", "02"]


def _outputs(path):
    return json.dumps([c.get("outputs") for c in nbformat.read(path, as_version=4).cells],
                      sort_keys=True)


@pytest.mark.slow
def test_local_batch_reports_a_failing_edition_and_builds_the_others(second_build):
    """The shared second build is a local batch: the default edition and one dated in the future
    (compared byte for byte with `tightrope build` in test_report_outputs.py)."""
    assert "as_of 2099-01-01 is in the future" in second_build.stdout
    assert "1 of 2 edition(s) ready; 1 failed" in second_build.stdout
    assert (second_build.folder / "report.pdf").exists()
    again = run_cli("batch", str(second_build.out.parent / "editions.toml"), "--out",
                    str(second_build.out), check=False)
    assert again.returncode == 1
    assert "1. as_of=2099-01-01: failed" in again.stdout
    assert "2. defaults: up to date" in again.stdout


class _Seen:
    """Stands in for the progress bars: what run_dask hands them."""

    def __init__(self):
        self.lines, self.finished = [], []

    def line(self, index):
        return lambda text: self.lines.append((index, text))

    def finish(self, index, result):
        self.finished.append(index)


@pytest.mark.slow
def test_editions_on_a_dask_local_cluster_with_two_workers(tmp_path, article_edition):
    distributed = pytest.importorskip("distributed")
    from analysis.batch import Plan

    shared, returned = tmp_path / "shared", tmp_path / "returned"
    shared.mkdir()
    returned.mkdir()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, worker_dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        plan = Plan([Edition({"as_of": "2023-09-15"}), Edition({"as_of": "2099-01-01"})],
                    sections=["02"], formats=("html",))
        seen = _Seen()
        results = run_dask(plan, shared, client, bars=seen)
        # a worker that cannot see the client's folder sends the files back instead
        back = run_dask(Plan([Edition({"as_of": "2023-09-15"})], ["02"], ("html",)),
                        returned, client, return_files=True)
        workers = len(client.scheduler_info()["workers"])
    assert workers == 2
    assert [r.status for r in results] == ["built", "failed"]
    # the worker streamed the section as it finished: the first edition's bar heard of it
    assert [(i, text.split(":")[0].strip()) for i, text in seen.lines] == [
        (0, "[1/1] 02 The roots of discontent")], seen.lines
    assert sorted(seen.finished) == [0, 1]
    assert "in the future" in results[1].error
    notebook = "notebooks/02_roots_of_discontent.ipynb"
    for folder in (shared / "armenia-2023-09-15", returned / "armenia-2023-09-15"):
        assert (folder / "report.html").stat().st_size > 10_000
        assert _outputs(folder / notebook) == _outputs(article_edition.folder / notebook)
    assert back[0].folder == str(returned / "armenia-2023-09-15")
