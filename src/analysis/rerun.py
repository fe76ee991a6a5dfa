"""Which sections need a kernel again: a section's two hashes, and text edits without a kernel.

A section's *input hash* covers everything its executed notebook depends on: the whole notebook
file, the edition's parameters, the data files and the library. If it matches the previous
build's, the executed notebook is reused as it is.

Its *code hash* leaves out the Markdown and raw cells: code cells (source and metadata, in
order), the notebook's metadata, the parameters, the data and the library. When only the text
changed (the input hash differs, the code hash does not), the section's outputs cannot have
changed either, since no code reads the notebook's text: :func:`with_new_text` then puts the new
text cells into the previous executed notebook instead of running a kernel (as jupyter-cache, the
cache of Jupyter Book, keys executed notebooks on their code alone).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import nbformat

INJECTED = "injected-parameters"  # papermill's tag on the cell it adds after the parameters cell


def _common(digest, values: dict, data_hashes: dict[str, str], library: str) -> str:
    digest.update(json.dumps(values, sort_keys=True).encode())
    digest.update(json.dumps(data_hashes, sort_keys=True).encode())
    digest.update(library.encode())
    return "sha256:" + digest.hexdigest()


def input_hash(notebook: Path, values: dict, data_hashes: dict[str, str], library: str) -> str:
    """Of the notebook file's bytes, the parameters as the notebook gets them
    (:meth:`~analysis.params.ReportParams.to_notebook`), the data files' hashes and the library's."""
    digest = hashlib.sha256()
    digest.update(notebook.read_bytes())
    return _common(digest, values, data_hashes, library)


def _joined(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source or "")


def code_hash(notebook: Path, values: dict, data_hashes: dict[str, str],
              library: str) -> str | None:
    """As :func:`input_hash`, but of the notebook's code cells (source and metadata, in order)
    and its metadata only: a change to Markdown or raw cells leaves it as it was. None for a
    file that is not a notebook's JSON (the section then runs, and papermill names the problem)."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        code = [[_joined(c.get("source")), c.get("metadata", {})]
                for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError, TypeError):
        return None
    digest = hashlib.sha256()
    digest.update(json.dumps({"code": code, "metadata": nb.get("metadata", {}),
                              "nbformat": [nb.get("nbformat"), nb.get("nbformat_minor")]},
                             sort_keys=True).encode())
    return _common(digest, values, data_hashes, library)


def _is_injected(cell) -> bool:
    return INJECTED in cell.metadata.get("tags", [])


def with_new_text(source: Path, executed: Path, target: Path) -> bool:
    """Write to ``target`` the executed notebook ``executed`` with the Markdown and raw cells of
    ``source`` (its code cells, outputs and papermill's injected parameters kept as they were).
    False, and nothing written, if the code cells of the two do not match one to one."""
    new = nbformat.read(source, as_version=4)
    old = nbformat.read(executed, as_version=4)
    ran = [c for c in old.cells if c.cell_type == "code"]
    texts = {c.get("id"): c for c in old.cells if c.cell_type != "code" and c.get("id")}
    cells, at = [], 0

    def injected_next() -> None:
        nonlocal at
        while at < len(ran) and _is_injected(ran[at]):
            cells.append(ran[at])
            at += 1

    injected_next()  # papermill puts it first when the notebook has no parameters cell
    for cell in new.cells:
        if cell.cell_type == "code":
            if at >= len(ran) or ran[at].source != cell.source:
                return False
            cells.append(ran[at])
            at += 1
            injected_next()
            continue
        text = copy.deepcopy(cell)
        text.metadata.setdefault("tags", [])  # as papermill leaves every cell it passed
        before = texts.get(cell.get("id"))
        if before is not None and "papermill" in before.metadata:
            text.metadata["papermill"] = before.metadata["papermill"]
        cells.append(text)
    if at != len(ran):
        return False
    old.cells = cells
    nbformat.write(old, target)
    return True
