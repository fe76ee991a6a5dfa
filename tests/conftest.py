import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the evidence base."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture
def tightrope_bin() -> str:
    return str(Path(sys.executable).parent / "tightrope")
