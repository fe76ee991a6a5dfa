"""Golden-master snapshots of every section's displayed text, for two editions.

Each notebook's code cells are executed in-process (the parameters cell first, then the edition's
overrides, as papermill would inject them), and the text of every displayed object is collected:
Prose markdown, Figure caption/alt/source/note, Table caption/columns/cells/source/note. The
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


def run_notebook(spec, overrides: dict) -> list:
    """Execute the notebook's code cells in one fresh namespace; return what they display."""
    import nbformat

    nb = nbformat.read(spec.path, as_version=4)
    namespace: dict = {"__name__": "__main__"}
    shown: list = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = tree.body[:-1] if last is not None else tree.body
        exec(compile(ast.Module(body=body, type_ignores=[]), spec.notebook, "exec"),  # noqa: S102
             namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), spec.notebook, "eval"), namespace)
            text = displayed_text(value)
            if text is not None:
                shown.append(text)
        if "parameters" in cell.metadata.get("tags", []):
            namespace.update(overrides)
    return shown


@pytest.mark.parametrize("edition", list(EDITIONS))
@pytest.mark.parametrize("spec", SECTIONS, ids=[s.key for s in SECTIONS])
def test_section_text(spec, edition, snapshot):
    assert run_notebook(spec, EDITIONS[edition]) == snapshot
