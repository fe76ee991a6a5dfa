"""The code base stays clean under the linter the project pins (ruff, settings in pyproject.toml)."""
import subprocess
import sys

from analysis import paths


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format",
                          "concise", "src", "tests", "bench"],
                         cwd=paths.ROOT, check=False, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
