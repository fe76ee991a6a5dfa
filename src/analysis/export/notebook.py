"""What both exporters need to know about a notebook before rendering it."""

from __future__ import annotations

import nbformat

__all__ = ["InvalidNotebookError", "check_notebook", "notebook_title"]


class InvalidNotebookError(ValueError):
    """The notebook does not follow the nbformat schema (message: nbformat's own)."""


def check_notebook(nb, name: str = "") -> None:
    """Raise :class:`InvalidNotebookError` with nbformat's validation message."""
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        where = "/".join(str(p) for p in getattr(exc, "absolute_path", []) or [])
        message = getattr(exc, "message", None) or str(exc).splitlines()[0]
        raise InvalidNotebookError(
            f"{name or 'notebook'} is not a valid notebook: {message}"
            + (f" (at {where})" if where else "")
            + ". Fix the file or re-save it from Jupyter.") from None


def notebook_title(nb, resources: dict | None = None) -> str:
    """metadata.tightrope.title, else metadata.title, else the file name, else "Notebook"."""
    meta = nb.metadata.get("tightrope", {}) or {}
    name = ((resources or {}).get("metadata") or {}).get("name") or ""
    return str(meta.get("title") or nb.metadata.get("title") or name or "Notebook")
