"""A section whose text alone changed keeps its outputs (analysis.rerun), on small inline notebooks."""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from analysis.rerun import INJECTED, code_hash, input_hash, with_new_text

VALUES, DATA, LIBRARY = {"as_of": "2023-09-15"}, {"data/a.csv": "sha256:1"}, "lib"


def _source(*cells, metadata=None):
    nb = new_notebook(cells=list(cells), metadata=metadata or {"kernelspec": {"name": "x", "display_name": "X"}})
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    return nb


def _executed(source, injected_at: int | None = 1):
    """What papermill makes of ``source``: outputs on code cells, tags and timings on every
    cell, the injected parameters after cell ``injected_at`` (None: at the top)."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(source)))
    for n, cell in enumerate(nb.cells, 1):
        cell.metadata.setdefault("tags", [])
        cell.metadata["papermill"] = {"status": "completed", "duration": 0.1 * n}
        if cell.cell_type == "code":
            cell.execution_count = n
            cell.outputs = [new_output("execute_result", data={"text/plain": f"out {n}"},
                                       execution_count=n)]
    extra = new_code_cell('as_of = "2023-09-15"', metadata={"tags": [INJECTED]})
    extra["id"] = "injected"
    nb.cells.insert(0 if injected_at is None else injected_at + 1, extra)
    return nb


def _write(tmp_path, name, nb):
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def _base():
    return _source(new_markdown_cell("# Title"),
                   new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                   new_markdown_cell("Some text."),
                   new_code_cell("x + 1"),
                   new_raw_cell("raw"))


def test_new_text_goes_in_and_every_output_stays(tmp_path):
    before = _base()
    executed = _write(tmp_path, "ran.ipynb", _executed(before))
    after = _base()
    after.cells[2].source = "Other text."
    after.cells.insert(4, new_markdown_cell("A new paragraph.", id="new"))
    del after.cells[0]  # the title goes
    target = tmp_path / "out.ipynb"
    assert with_new_text(_write(tmp_path, "src.ipynb", after), executed, target)
    got = nbformat.read(target, as_version=4)
    old = nbformat.read(executed, as_version=4)
    assert [c.source for c in got.cells] == [
        "x = 1", 'as_of = "2023-09-15"', "Other text.", "x + 1", "A new paragraph.", "raw"]
    assert [c.outputs for c in got.cells if c.cell_type == "code"] == \
        [c.outputs for c in old.cells if c.cell_type == "code"]
    assert got.metadata == old.metadata
    # a text cell that was there keeps papermill's record of it; every one gets its tags
    assert got.cells[2].metadata == {"tags": [], "papermill": {"status": "completed",
                                                               "duration": 0.30000000000000004}}
    assert got.cells[4].metadata == {"tags": []}


def test_the_injected_parameters_stay_first_without_a_parameters_cell(tmp_path):
    source = _source(new_code_cell("y = 2"), new_markdown_cell("Text."))
    executed = _write(tmp_path, "ran.ipynb", _executed(source, injected_at=None))
    source.cells.insert(0, new_markdown_cell("Intro.", id="intro"))
    target = tmp_path / "out.ipynb"
    assert with_new_text(_write(tmp_path, "src.ipynb", source), executed, target)
    got = nbformat.read(target, as_version=4)
    assert [c.source for c in got.cells] == ['as_of = "2023-09-15"', "Intro.", "y = 2", "Text."]


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_code_that_does_not_match_is_refused_and_nothing_written(tmp_path, change):
    executed = _write(tmp_path, "ran.ipynb", _executed(_base()))
    after = _base()
    if change == "edited":
        after.cells[3].source = "x + 2"
    elif change == "added":
        after.cells.append(new_code_cell("print(x)"))
    else:
        del after.cells[3]
    target = tmp_path / "out.ipynb"
    assert not with_new_text(_write(tmp_path, "src.ipynb", after), executed, target)
    assert not target.exists()


def _hashes(tmp_path, nb):
    path = _write(tmp_path, "nb.ipynb", nb)
    return (input_hash(path, VALUES, DATA, LIBRARY), code_hash(path, VALUES, DATA, LIBRARY))


def test_the_code_hash_ignores_text_and_nothing_else(tmp_path):
    first = _hashes(tmp_path, _base())
    text = _base()
    text.cells[2].source = "Other text."
    text.cells[4].source = "other raw"
    text.cells.append(new_markdown_cell("More."))
    changed = _hashes(tmp_path, text)
    assert changed[0] != first[0] and changed[1] == first[1]
    code = _base()
    code.cells[3].source = "x + 1  # a comment"
    tagged = _base()
    tagged.cells[3].metadata["tags"] = ["remove-input"]
    kernel = _base()
    kernel.metadata["kernelspec"] = {"name": "y", "display_name": "X"}
    for other in (code, tagged, kernel):
        assert _hashes(tmp_path, other)[1] != first[1]
    path = _write(tmp_path, "nb.ipynb", _base())
    for values, data, library in (({"as_of": "2021-01-01"}, DATA, LIBRARY),
                                  (VALUES, {"data/a.csv": "sha256:2"}, LIBRARY),
                                  (VALUES, DATA, "lib2")):
        assert code_hash(path, values, data, library) != first[1]


def test_a_file_that_is_not_a_notebook_has_no_code_hash(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text('{"cells": [<<<<<<< HEAD', encoding="utf-8")
    assert code_hash(broken, VALUES, DATA, LIBRARY) is None
    broken.write_text("[1, 2]", encoding="utf-8")
    assert code_hash(broken, VALUES, DATA, LIBRARY) is None


def test_a_section_whose_text_cannot_be_spliced_runs(tmp_path):
    """The build's planning: text-only sections are settled before any kernel starts; one whose
    splice fails (or whose notebook is unreadable) is left to run, with nothing written."""
    from analysis.build import _without_kernel
    from analysis.sections import SECTIONS

    spec = SECTIONS[2]
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    (previous / "notebooks").mkdir(parents=True)
    (staging / "notebooks").mkdir(parents=True)
    nbformat.write(_executed(_base()), previous / "notebooks" / spec.notebook)
    target = staging / "notebooks" / spec.notebook
    # the real notebook's code is not the previous one's: refused, so it runs
    assert _without_kernel(spec, previous, ("old", "same"), "new", "same", staging,
                           False) is None
    assert not target.exists()
    # unchanged inputs: copied
    done = _without_kernel(spec, previous, ("same", "x"), "same", "x", staging, False)
    assert done.status == "cached" and target.exists()
    target.unlink()
    # forced, or no code hash (a notebook that is not JSON): runs
    assert _without_kernel(spec, previous, ("same", "x"), "same", "x", staging, True) is None
    assert _without_kernel(spec, previous, ("a", None), "b", None, staging, False) is None
