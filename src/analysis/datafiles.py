"""The files an evidence base consists of, and their hashes: the descriptor and exactly the
files it names, whatever their sub-folder (nothing else in the folder counts). Light: no pandas,
so the up-to-date check can use it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import paths
from .cells import table_path
from .schema import load_descriptor


def described_files(data_dir: Path | str | None = None) -> list[Path]:
    """The descriptor and every table file it names (checked by cells.table_path), in order."""
    folder = paths.data_dir(data_dir)
    files = [folder / paths.DESCRIPTOR_NAME]
    for spec in sorted(load_descriptor(folder).values(), key=lambda s: s.path):
        files.append(table_path(folder, spec.path))
    return files


def map_files() -> list[Path]:
    """The locator map's boundaries and places (the same for every evidence base)."""
    return sorted(p for p in paths.MAP_DIR.glob("*")
                  if p.is_file() and p.suffix in (".csv", ".geojson"))


def map_hashes() -> dict[str, str]:
    """sha256 of each of :func:`map_files`, keyed ``map/<name>`` (for the colophon)."""
    return {f"map/{p.name}": sha256_of(p) for p in map_files()}


def sha256_of(path: Path) -> str:
    """'sha256:<hex>' of a file (read in chunks)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def file_hashes(data_dir: Path | str | None = None) -> dict[str, str]:
    """sha256 of each of :func:`described_files`, keyed by its path inside the data folder."""
    folder = paths.data_dir(data_dir)
    root = folder.resolve()
    hashes = {}
    for path in described_files(folder):
        hashes[path.resolve().relative_to(root).as_posix()] = sha256_of(path)
    return dict(sorted(hashes.items()))


def data_digest(data_dir: Path | str | None = None, hashes: dict[str, str] | None = None) -> str:
    """One hash of the whole evidence base (every file's sha256): what a build validated.
    ``hashes``: :func:`file_hashes` of ``data_dir`` when the caller has them already."""
    hashes = file_hashes(data_dir) if hashes is None else hashes
    return "sha256:" + hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()
