"""The environment variables a run reads, checked once before any work: a bad value is one line
and exit 2 (a user's mistake), not a traceback from deep inside a kernel or one complaint per
table. What each variable does is documented where it is read."""

from __future__ import annotations

import os
import re


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org: whole seconds since 1970, as ``date +%s``
    prints them) when set to such a number; None when unset or not one."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(raw) if re.fullmatch(r"[0-9]+", raw) else None


def check() -> None:
    """Raise ParameterError naming the first variable set to a value no run can use."""
    from .cells import max_table_bytes, show
    from .engine import check_engine
    from .errors import ParameterError

    check_engine()
    max_table_bytes()
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw and source_date_epoch() is None:
        # matplotlib reads it too, when it saves a chart, and stops on a value it cannot read
        raise ParameterError(f"SOURCE_DATE_EPOCH={show(raw)} is not a whole number of seconds "
                             "since 1970 (as `date +%s` prints); unset it or give such a number")
