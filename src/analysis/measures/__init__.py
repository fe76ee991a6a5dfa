"""Measures: pure pandas in, small frozen results out.

Each indicator the report states has ONE definition here, used by every section (and by the
key-findings summary) that mentions it:

- :mod:`.result`   the :class:`Measure` result type, weakest confidence, direction of change;
- :mod:`.windows`  the one window convention (latest complete five-year window and the one ten
  years earlier);
- :mod:`.shares`   the patron's share of arms imports, trade, gas and money transfers;
- :mod:`.suppliers` supplier shares, the leading supplier and concentration (HHI) of arms imports;
- :mod:`.compare`  "higher in N of M years since Y" comparisons of two yearly series;
- :mod:`.presence` foreign deployments active on a day.
"""

from .result import Change, Measure, change, weakest
from .windows import GAP, WINDOW, Window, window_pair

__all__ = ["GAP", "WINDOW", "Change", "Measure", "Window", "change", "weakest", "window_pair"]
