"""Notebooks: committed clean, parameters cell matching the declaration, and each one executes
under papermill with the defaults and with edge parameters."""

import ast
import json

import nbformat
import pytest

from analysis import params, sections
from analysis.sections import SECTIONS
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_every_section_has_its_notebook():
    assert [p.name for p in NOTEBOOKS] == [s.notebook for s in SECTIONS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"][:60]


@pytest.mark.parametrize("spec", [s for s in SECTIONS if s.label and not s.appendix],
                         ids=lambda s: s.key)
def test_every_numbered_section_ends_with_what_the_data_say_and_do_not(spec):
    """The editorial guide: each section opens with its question and ends with its answer, 'what
    the data say and what they do not'. Sections 1, 4, 5 and 7 ended without one (an outside
    reader); the box is the section's last cell, under its own heading, from its builder."""
    cells = nbformat.read(ROOT / "notebooks" / spec.notebook, as_version=4).cells
    assert cells[-2].cell_type == "markdown"
    assert cells[-2].source == "## What the data say, and what they do not"
    assert cells[-1].cell_type == "code" and cells[-1].source.endswith("(s)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_matches_the_declaration(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.AnnAssign), "name: type = default  # help"
        values[node.target.id] = ast.literal_eval(node.value)
    assert values == params.notebook_defaults()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_is_the_section_heading(path):
    nb = nbformat.read(path, as_version=4)
    spec = next(s for s in SECTIONS if s.notebook == path.name)
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.splitlines()[0] == f"# {spec.title}"


EDGE_DATES = {"2023-09-15": "the article's date", "2021-01-01": "an early date"}


@pytest.fixture(scope="module", params=sorted(EDGE_DATES))
def edition(request, shared_build):
    """Every notebook executed by papermill (through the build) at an edge date; the defaults
    run in the full build the output tests share."""
    if request.param == "2023-09-15":
        return request.param, request.getfixturevalue("article_edition").folder
    return request.param, shared_build("--as-of", request.param, "--format", "html").folder


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executes_with_edge_parameters(path, edition):
    as_of, folder = edition
    nb = nbformat.read(folder / "notebooks" / path.name, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and f'as_of = "{as_of}"' in injected[0].source
    kinds = [o.get("output_type") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert "error" not in kinds
    rendered = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                if o.get("output_type") in ("display_data", "execute_result")]
    assert rendered, "the notebook shows something"


@pytest.mark.parametrize(("as_of", "start_year"), [
    ("2000-01-01", 2000), ("2010-06-01", 1995), *[(d, 2000) for d in sorted(EDGE_DATES)]])
@pytest.mark.parametrize("spec", SECTIONS, ids=lambda s: s.key)
def test_no_section_warns_at_an_edge_date(spec, as_of, start_year):
    """A warning a cell prints reaches the report only as 'stderr output of cell N not shown'
    (a pandas FutureWarning in section 06 did at 2021-01-01): none at the edge dates.
    In-process with warnings as errors (a kernel forked under pytest inherits its warning
    capture, so a build here would not show it); figures not rendered. 2010-06-01 is before the
    first recorded UN vote, survey wave or peacekeeping mission (validation accepts dates from
    1988): each section says what it lacks instead of failing (section 05 once raised KeyError
    on an empty votes table)."""
    import warnings

    from test_golden import run_notebook

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # not the section's: objects of earlier tests collected meanwhile (unclosed sockets)
        warnings.simplefilter("ignore", ResourceWarning)
        shown = run_notebook(spec, {"as_of": as_of, "start_year": start_year})
    assert shown, "the section shows something"


@pytest.mark.parametrize("key", ["02", "04", "06"])
def test_a_one_year_window_names_its_year_once(key):
    """start_year = end_year: captions say '2024', not '2024–2024'."""
    from test_golden import run_notebook

    shown = run_notebook(sections.get(key), {"start_year": 2024, "end_year": 2024})
    captions = [t["caption"] for t in shown if isinstance(t, dict) and "caption" in t]
    assert captions and not [c for c in captions if "2024–2024" in c], captions


@pytest.mark.slow
def test_a_parameter_mistake_shows_the_cell_line_and_the_message_not_library_frames(tmp_path):
    """What an analyst sees under the cell (papermill, a real kernel): where in the notebook the
    mistake surfaced and the one line saying what is wrong; no frames of the library."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        pm.execute_notebook(str(ROOT / "notebooks" / "01_frustrated_ally.ipynb"),
                            str(tmp_path / "out.ipynb"), parameters={"rival": "Armenia"},
                            engine_name="tightrope", progress_bar=False)
    assert info.value.ename == "ParameterError"
    shown = info.value.traceback
    assert shown[0].startswith("Cell In[") and ", line " in shown[0]
    assert shown[1].startswith("----> ") and "start_section(" in shown[1]
    assert shown[2] == f"ParameterError: {info.value.evalue}"
    assert "focus and rival are both Armenia" in shown[2] and len(shown) == 3


def test_a_project_error_renders_as_the_cell_line_and_its_message(monkeypatch):
    """IPython's hook, without a kernel: the innermost notebook cell among the frames gives
    'Cell In[5], line 2' and its line; a bug (any other exception) has no such hook."""
    import linecache
    import sys
    import types

    from analysis.errors import ParameterError

    cell = "<ipython-input-5>"
    source = "x = 1\nraise_it()\n"
    linecache.cache[cell] = (len(source), None, source.splitlines(True), cell)
    shell = types.SimpleNamespace(compile=types.SimpleNamespace(
        format_code_name=lambda name: ("Cell", "In[5]") if name == cell else None))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))

    def raise_it():
        raise ParameterError("as_of: '2023-02-30' is not a day of the calendar")

    try:
        exec(compile(source, cell, "exec"), {"raise_it": raise_it})  # noqa: S102 - a cell
    except ParameterError as exc:
        shown = exc._render_traceback_()
    assert shown == ["Cell In[5], line 2", "----> 2 raise_it()",
                     "ParameterError: as_of: '2023-02-30' is not a day of the calendar"]
    assert not hasattr(ValueError("a bug"), "_render_traceback_")
