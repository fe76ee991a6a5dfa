"""Where things live. The one place that knows the project's folders."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: src/analysis/paths.py -> ../../
ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
#: the locator map's boundaries and places (the map is the same for every evidence base)
MAP_DIR = DATA_DIR / "map"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
DESCRIPTOR_NAME = "datapackage.json"
KERNEL_NAME = "tightrope"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """The evidence base folder: an explicit override, $TIGHTROPE_DATA_DIR, or the repo's data/."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("TIGHTROPE_DATA_DIR")
    return Path(env).expanduser().resolve() if env else DATA_DIR
