"""What both exporters need to know about a notebook before rendering it."""

from __future__ import annotations

import nbformat

__all__ = ["InvalidNotebookError", "check_notebook", "is_report", "notebook_title",
           "param_pairs", "tightrope_meta"]


class InvalidNotebookError(ValueError):
    """The notebook does not follow the nbformat schema (message: nbformat's own)."""


def check_notebook(nb, name: str = "") -> None:
    """Raise :class:`InvalidNotebookError` with nbformat's validation message."""
    try:
        # as nbconvert checks: properties the schema does not name are tolerated
        nbformat.validate(nb, relax_add_props=True)
    except nbformat.ValidationError as exc:
        where = "/".join(str(p) for p in getattr(exc, "absolute_path", []) or [])
        message = getattr(exc, "message", None) or str(exc).splitlines()[0]
        raise InvalidNotebookError(
            f"{name or 'notebook'} is not a valid notebook: {message}"
            + (f" (at {where})" if where else "")
            + ". Fix the file or re-save it from Jupyter.") from None


def is_report(nb) -> bool:
    """Whether ``nb`` is a Tightrope report (its metadata holds a ``tightrope`` table), not
    someone else's notebook that happens to use the key."""
    return isinstance((nb.metadata or {}).get("tightrope"), dict)


def tightrope_meta(metadata) -> dict:
    """A notebook's or a cell's ``tightrope`` metadata as a dict: anything else (someone's own
    use of the key) reads as none; ``keywords`` is a list of strings."""
    meta = (metadata or {}).get("tightrope") if isinstance(metadata, dict) else None
    if not isinstance(meta, dict):
        return {}
    meta = dict(meta)
    for key in ("anchor", "section", "title", "subtitle", "author"):
        if meta.get(key) is not None and not isinstance(meta[key], str):
            meta[key] = str(meta[key])
    colophon = meta.get("colophon")
    if colophon is not None:
        if isinstance(colophon, dict):
            colophon = dict(colophon)
            for key in ("versions", "data_hashes"):  # name -> text tables
                table = colophon.get(key)
                colophon[key] = ({str(k): str(v) for k, v in table.items()}
                                 if isinstance(table, dict) else {})
            for key in ("note", "commit", "commit_date"):
                if colophon.get(key) is not None:
                    colophon[key] = str(colophon[key])
            meta["colophon"] = colophon
        else:
            del meta["colophon"]
    keywords = meta.get("keywords")
    if keywords is not None:
        meta["keywords"] = ([str(keywords)] if isinstance(keywords, str) else
                            [str(k) for k in keywords] if isinstance(keywords, list) else [])
    return meta


def param_pairs(value) -> list[tuple[str, str]]:
    """Parameters as ordered (name, value) pairs: a dict, or a list of [name, value] pairs (or
    of {name, value}); anything else reads as none.

    (nbformat writes metadata with sorted keys, so a dict loses its declaration order in a
    saved notebook; a list of pairs keeps it.)
    """
    if isinstance(value, dict):
        return [(str(k), "" if v is None else str(v)) for k, v in value.items()]
    if not isinstance(value, list):
        return []
    pairs = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            pairs.append((str(item[0]), "" if item[1] is None else str(item[1])))
        elif isinstance(item, dict) and "name" in item:
            pairs.append((str(item["name"]), str(item.get("value", ""))))
    return pairs


def notebook_title(nb, resources: dict | None = None) -> str:
    """metadata.tightrope.title, else metadata.title, else the file name, else "Notebook"."""
    meta = tightrope_meta(nb.metadata)
    name = ((resources or {}).get("metadata") or {}).get("name") or ""
    return str(meta.get("title") or nb.metadata.get("title") or name or "Notebook")
