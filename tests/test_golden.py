"""Golden-master snapshots of every section's displayed text, for two editions.

The text of every object a section displays is collected: Prose markdown, Figure
caption/alt/source/note, Table caption/columns/cells/source/note. The snapshots are taken from
the notebooks the shared builds executed (``built_report``: the defaults, ``article_edition``:
2023-09-15; :func:`shown_in`); :func:`run_notebook` gets the same text by executing a notebook's
code cells in-process (the parameters cell first, then the overrides, as papermill injects them),
for editions no shared build makes (test_findings.py), and a test checks that both agree. The
snapshots live in ``tests/__snapshots__/test_golden.ambr``; when a change to data or prose alters
them on purpose, read the diff, then run ``pytest tests/test_golden.py --snapshot-update``.
"""

from __future__ import annotations

import ast
import json

import matplotlib
import pytest

from analysis import sections

matplotlib.use("Agg")

EDITIONS = {"default": {}, "2023-09-15": {"as_of": "2023-09-15"}}
SECTIONS = [s for s in sections.SECTIONS]


def displayed_text(obj) -> dict | str | None:
    """The reader-visible text of one displayed object."""
    from analysis.figures import Figure, Prose, Table

    if obj is None:
        return None
    if isinstance(obj, Prose):
        return obj.markdown
    if isinstance(obj, Figure):
        return {"figure": obj.number, "caption": obj.caption, "alt": obj.alt,
                "source": obj.source, "note": obj.note}
    if isinstance(obj, Table):
        return {"table": obj.number, "caption": obj.caption, "columns": obj.columns,
                "rows": obj.rows, "source": obj.source, "note": obj.note}
    bundle = getattr(obj, "_repr_mimebundle_", None)
    if bundle is not None:  # other project display objects (claims, bibliography, ...)
        data = bundle()
        for mime, value in data.items():
            if mime.startswith("application/vnd.tightrope."):
                return {mime.rsplit(".", 1)[-1]: json.loads(json.dumps(value))}
        return data.get("text/markdown") or data.get("text/plain")
    markdown = getattr(obj, "_repr_markdown_", None)
    if markdown is not None:
        return markdown()
    return repr(obj)


def _no_svg(fig) -> str:
    """Instead of figures.svg_of in :func:`run_notebook`: the text it collects holds no SVG, and
    the builds render every figure."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return ""


def run_notebook(spec, overrides: dict) -> list:
    """Execute the notebook's code cells in one fresh namespace; return what they display
    (figures are drawn but not rendered to SVG)."""
    from unittest import mock

    import nbformat

    nb = nbformat.read(spec.path, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    shown: list = []
    with mock.patch("analysis.report.svg_of", _no_svg):
        for cell in nb.cells:
            _run_cell(cell, namespace, shown, overrides, spec.notebook)
    return shown


def _run_cell(cell, namespace: dict, shown: list, overrides: dict, name: str) -> None:
    if cell.cell_type != "code":
        return
    tree = ast.parse(cell.source)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = tree.body[:-1] if last is not None else tree.body
    exec(compile(ast.Module(body=body, type_ignores=[]), name, "exec"),  # noqa: S102
         namespace)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
        text = displayed_text(value)
        if text is not None:
            shown.append(text)
    if "parameters" in cell.metadata.get("tags", []):
        namespace.update(overrides)


def shown_in(path) -> list:
    """What :func:`run_notebook` returns, read from a notebook executed by the build: the value
    of each code cell's last expression is its ``execute_result`` output, whose MIME bundle holds
    the same text (the project's JSON payloads, Markdown, or plain text)."""
    import nbformat

    from analysis.figures import FIGURE_MIME, TABLE_MIME

    shown: list = []
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") != "execute_result":
                continue
            data = output["data"]
            if FIGURE_MIME in data:
                p = data[FIGURE_MIME]
                shown.append({"figure": p["number"], "caption": p["caption"], "alt": p["alt"],
                              "source": p["source"], "note": p["note"]})
            elif TABLE_MIME in data:
                p = data[TABLE_MIME]
                shown.append({"table": p["number"], "caption": p["caption"],
                              "columns": p["columns"], "rows": p["rows"], "source": p["source"],
                              "note": p["note"]})
            elif own := [m for m in data if m.startswith("application/vnd.tightrope.")]:
                shown.append({own[0].rsplit(".", 1)[-1]: data[own[0]]})
            else:
                shown.append(data.get("text/markdown") or data.get("text/plain"))
    return shown


@pytest.fixture(scope="module")
def built_editions(request):
    """The folder of each edition's shared build (see conftest.py)."""
    return {"default": request.getfixturevalue("built_report"),
            "2023-09-15": request.getfixturevalue("article_edition").folder}


@pytest.mark.slow
@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("spec", SECTIONS, ids=[s.key for s in SECTIONS])
def test_section_text(spec, edition, snapshot, built_editions):
    assert shown_in(built_editions[edition] / "notebooks" / spec.notebook) == snapshot


@pytest.mark.slow
def test_in_process_run_shows_what_the_build_shows(built_editions):
    """run_notebook (in-process, used for editions no shared build makes) and the build's
    kernel agree on what a section displays (section 3: prose, figures and tables)."""
    spec = sections.get("03")
    assert run_notebook(spec, {}) == shown_in(built_editions["default"] / "notebooks" /
                                              spec.notebook)
