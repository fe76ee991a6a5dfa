"""The reports folder: checked before a build, and recovered after a build that was killed.

A build works in ``<out>/.<slug>.partial-<pid>`` and swaps it into ``<out>/<slug>`` with two
renames: ``<slug>`` -> ``.<slug>.old-<pid>``, then staging -> ``<slug>``. A build killed at any
moment leaves either the old report in place, or the old report as ``.old-<pid>`` (killed
between the renames). :func:`recover` (run first by every build, and by the CLI before it looks
for an up-to-date report) restores the latter and sweeps the folders of builds that are no
longer running. Light on purpose: no pandas, no nbformat.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from . import paths
from .errors import OutputError, ParameterError

LEFTOVER = re.compile(r"^\.(?P<slug>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)$")


def out_folder(out_root: str | os.PathLike | None) -> Path:
    """The reports folder, checked: created if missing; a clear error if it cannot be used."""
    if out_root is None:
        folder = paths.REPORTS_DIR
    else:
        text = os.fspath(out_root)
        if not str(text).strip():
            raise ParameterError("--out is empty; name a reports folder (omit --out for "
                                 f"{paths.REPORTS_DIR})")
        try:
            folder = Path(text).expanduser()
        except RuntimeError:
            raise ParameterError(f"--out {text}: names a home folder that does not exist; give "
                                 "the full path") from None
    folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise ParameterError(f"--out {folder} is a file, not a folder; name a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the reports folder {folder}: {exc.strerror}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"the reports folder {folder} is not writable; choose another --out "
                          "or fix its permissions")
    return folder


def _ours(entry: Path, kind: str) -> bool:
    """Whether a folder named like a build's leftover is one: a retired report holds its
    manifest, a staging folder its notebooks folder (made first). Anything else in the reports
    folder that happens to match the pattern is someone else's and left alone."""
    if kind == "old":
        return (entry / "manifest.json").is_file()
    return (entry / "notebooks").is_dir()


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out_root: Path, progress: Callable[[str], None] = print) -> list[str]:
    """Restore reports left as ``.old-<pid>`` by a killed build and remove the staging folders
    of builds no longer running. Returns what was done, one line per folder."""
    done = []
    for entry in sorted(out_root.iterdir()):
        m = LEFTOVER.match(entry.name)
        if not m or not entry.is_dir() or not _ours(entry, m["kind"]) or \
                pid_alive(int(m["pid"])):
            continue
        final = out_root / m["slug"]
        if m["kind"] == "old" and not final.exists():
            entry.rename(final)
            done.append(f"restored the last good report {final} (a build was killed while "
                        "replacing it)")
        else:
            shutil.rmtree(entry, ignore_errors=True)
            what = "staging" if m["kind"] == "partial" else "retired report"
            done.append(f"removed the {what} folder {entry.name} of a build that was killed")
    for line in done:
        progress(f"  {line}")
    return done
