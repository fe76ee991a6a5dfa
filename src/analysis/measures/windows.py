"""The one window convention: every share is stated for the latest complete five-year window and
compared with the five-year window ten years earlier (e.g. 2020–2024 against 2010–2014)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WINDOW = 5  # years per window
GAP = 10  # years between the compared windows' ends


@dataclass(frozen=True, order=True)
class Window:
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    def shifted(self, years: int) -> Window:
        return Window(self.start + years, self.end + years)

    def __str__(self) -> str:
        return self.label


def latest_complete(complete_years: Iterable[int], width: int = WINDOW) -> Window | None:
    """The latest run of ``width`` consecutive years all of which are complete."""
    years = {int(y) for y in complete_years}
    for end in sorted(years, reverse=True):
        if all(y in years for y in range(end - width + 1, end + 1)):
            return Window(end - width + 1, end)
    return None


def window_pair(complete_years: Iterable[int], width: int = WINDOW,
                gap: int = GAP) -> tuple[Window | None, Window | None]:
    """(earlier, latest): the latest complete window and the one ``gap`` years before it.

    Where the data start too late for that, the earliest complete window that ends before the
    latest one starts is used instead (the window's label says which years it is). A window that
    shares years with the latest one is never used: the two readings would count the same years
    twice. None when there is no such window.
    """
    years = {int(y) for y in complete_years}
    latest = latest_complete(years, width)
    if latest is None:
        return None, None
    earlier = latest.shifted(-gap)
    if all(y in years for y in earlier.years):
        return earlier, latest
    candidates = [Window(end - width + 1, end) for end in sorted(years)
                  if end < latest.end and all(y in years for y in range(end - width + 1, end + 1))]
    apart = [w for w in candidates if w.end < latest.start]
    return (apart[0] if apart else None), latest


def gapless_from(complete_years: Iterable[int], latest: Window) -> int:
    """The first year of the unbroken run of complete years that ends with ``latest``: the
    reason a series has no earlier window to compare ("complete without a gap only from ...")."""
    years = {int(y) for y in complete_years}
    start = latest.start
    while start - 1 in years:
        start -= 1
    return start
