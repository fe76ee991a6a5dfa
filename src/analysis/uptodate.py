"""Is the report already built from exactly these inputs? Answered without pandas or a kernel.

A build records a *fingerprint* in its manifest: the request as typed (parameters, sections,
formats), the sha256 of every data file, of every notebook and of the library's sources. When
``tightrope build`` is asked for the same thing again, :func:`find_current` recomputes the
fingerprint (hashing a few megabytes) and, if a report in the output folder carries the same one
and its files still match the hashes in its manifest, the build stops there and says so.
Anything else - a changed input, a missing or edited output, ``--force`` - builds as usual, and the
per-section input hashes then decide which sections run again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import paths
from .datafiles import map_files, sha256_of

_LIBRARY_SUFFIXES = (".py", ".j2", ".css", ".typ", ".json")


def library_hash() -> str:
    """sha256 over the library's sources and templates and the locator map's files (any
    change re-runs every section)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.is_file() and path.suffix in _LIBRARY_SUFFIXES:
            digest.update(path.name.encode() + path.read_bytes())
    for path in map_files():
        digest.update(b"map/" + path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def fingerprint(raw_params: dict[str, str], sections: list[str] | None,
                formats: tuple[str, ...], keep_typ: bool) -> dict:
    """Everything a build's output depends on, as hashes (raw parameters as the user gave them:
    defaults such as ``as_of`` are derived from the data, whose hash is included)."""
    from .datafiles import file_hashes

    data = paths.data_dir(raw_params.get("data_dir"))
    return {
        "request": {"params": dict(sorted(raw_params.items())),
                    "sections": sorted(sections) if sections else None,
                    "formats": sorted(formats), "keep_typ": keep_typ},
        "data": file_hashes(data),  # the descriptor and exactly the files it names
        "notebooks": {p.name: sha256_of(p) for p in sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))},
        "library": library_hash(),
        "env_data_dir": os.environ.get("TIGHTROPE_DATA_DIR"),
    }


def _outputs_intact(folder: Path, manifest: dict, formats: tuple[str, ...]) -> bool:
    outputs = manifest.get("outputs") or {}
    for kind in formats:
        entry = outputs.get(kind)
        if not entry:
            return False
        path = folder / entry["file"]
        if not path.is_file() or sha256_of(path) != entry.get("sha256"):
            return False
    return True


def find_current(out_root: Path, fp: dict) -> Path | None:
    """The report folder in ``out_root`` built from exactly ``fp`` with its outputs intact."""
    if not out_root.is_dir():
        return None
    for manifest_path in sorted(out_root.glob("*/manifest.json")):
        if manifest_path.parent.name.startswith("."):  # another build's staging or retired copy
            continue
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if manifest.get("fingerprint") == fp and _outputs_intact(
                manifest_path.parent, manifest, tuple(fp["request"]["formats"])):
            return manifest_path.parent
    return None


def record(folder: Path, fp: dict) -> None:
    """Add the fingerprint of the build that just made ``folder`` to its manifest."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["fingerprint"] = fp
    tmp = path.with_name(".manifest.json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
