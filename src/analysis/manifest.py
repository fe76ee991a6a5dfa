"""How a report was made: parameters, input hashes, versions, commit, timings."""

from __future__ import annotations

import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from . import paths
from .datafiles import map_hashes, sha256_of

PACKAGES = ("tightrope", "pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert",
            "nbformat", "ipykernel", "typst")


#: names shown for packages whose own name could be read as something else: the typst package
#: is the Python binding, whose version is not the Typst compiler's (the colophon gives that)
SHOWN_AS = {"typst": "typst (Python binding)"}


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[SHOWN_AS.get(name, name)] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[SHOWN_AS.get(name, name)] = "not installed"
    return versions


def git_revision() -> tuple[str, str | None]:
    """(short commit, with '-dirty' when the work tree has changes; the commit's date,
    YYYY-MM-DD) of the project; ('unknown', None) without git. The date is the year a citation
    gives and the PDF's date: the same for every build of one revision, unlike the build's day."""
    try:
        head = subprocess.run(["git", "log", "-1", "--format=%h%n%cs", "--abbrev=12", "HEAD"],
                              cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.split()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=paths.ROOT, check=False, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown", None
    if len(head) != 2:
        return "unknown", None
    return head[0] + ("-dirty" if dirty else ""), head[1]


def colophon(commit: str, data_hashes: dict[str, str], versions: dict[str, str],
             commit_date: str | None = None) -> dict:
    """The colophon's facts; the locator map's files are listed with the data tables."""
    return {"commit": commit, **({"commit_date": commit_date} if commit_date else {}),
            "data_hashes": {**data_hashes, **map_hashes()},
            "versions": versions,
            "note": "Built from the Tightrope evidence base with papermill and nbconvert; the PDF "
                    "is typeset with Typst. Every figure is computed from the files listed "
                    "below, identified by their SHA-256 (the locator map from the two map/ "
                    "files). The software versions are those of the build, which may be later "
                    "than the edition's date."}


def write_manifest(path: Path, p, results, data_hashes, versions, commit, timings, outputs,
                   specs, kept: tuple[str, ...] = ()) -> None:
    """``kept``: output formats carried over unchanged from the previous build."""
    manifest = {
        "slug": p.slug,
        "parameters": p.to_display(),
        "commit": commit,
        "inputs": {
            "data": data_hashes,
            "notebooks": {s.notebook: sha256_of(s.path) for s in specs},
        },
        "versions": versions,
        "sections": [{"key": r.spec.key, "notebook": r.spec.notebook, "title": r.spec.title,
                      "status": r.status, "seconds": round(r.seconds, 2),
                      "input_hash": r.input_hash,
                      **({"code_hash": r.code_hash} if r.code_hash else {})} for r in results],
        "timings_s": {k: round(v, 2) for k, v in timings.items()},
        "outputs": {k: {"file": v.name, "bytes": v.stat().st_size, "sha256": sha256_of(v),
                        **({"kept_from_previous_build": True} if k in kept else {})}
                    for k, v in outputs.items()},
    }
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
