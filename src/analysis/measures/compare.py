"""Comparisons of two yearly series: "higher in N of M years since Y"."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .result import direction as direction_of
from .result import weakest


@dataclass(frozen=True)
class YearsHigher:
    """In how many of the years both series cover the first was higher than the second."""

    higher: int  # years where a > b
    of: int  # years both cover
    first: int | None
    last: int | None
    years_higher: tuple[int, ...]
    years_lower: tuple[int, ...]
    confidence: str = "high"

    @property
    def always(self) -> bool:
        return self.of > 0 and self.higher == self.of

    @property
    def never(self) -> bool:
        return self.of > 0 and self.higher == 0

    @property
    def window(self) -> str:
        if self.first is None:
            return ""
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def higher_in(a: pd.DataFrame, b: pd.DataFrame, value: str = "value",
              year: str = "year") -> YearsHigher:
    """Compare two frames with ``year`` and ``value`` columns (and optional ``confidence``)
    year by year, over the years both have."""
    left = a.set_index(year)[value].astype(float)
    right = b.set_index(year)[value].astype(float)
    common = sorted(set(left.dropna().index) & set(right.dropna().index))
    up = tuple(int(y) for y in common if left[y] > right[y])
    down = tuple(int(y) for y in common if left[y] <= right[y])
    conf = weakest([*a.get("confidence", []), *b.get("confidence", [])])
    return YearsHigher(len(up), len(common), int(common[0]) if common else None,
                       int(common[-1]) if common else None, up, down, conf)


def runs(years) -> list[tuple[int, int]]:
    """Consecutive runs of years: [2011, 2012, 2013, 2020] -> [(2011, 2013), (2020, 2020)]."""
    out: list[tuple[int, int]] = []
    for y in sorted(years):
        if out and y == out[-1][1] + 1:
            out[-1] = (out[-1][0], y)
        else:
            out.append((y, y))
    return out


def turned_back(direction: str, latest_year: float, earlier_average: float,
                latest_average: float) -> bool:
    """A share whose windows moved ``direction`` ("down"/"up") has turned back when its latest
    single year has undone at least half of that move: it stands at least as close to the
    earlier window's average as to the latest window's (or past the earlier one). A latest
    window's average can hide a turn: money transfers from Russia fell to 41% of the total in
    2021 and were back at 65% in 2024, while 2020-2024 still averaged less than 2013-2017."""
    if direction not in ("down", "up"):
        return False
    return abs(latest_year - earlier_average) <= abs(latest_year - latest_average)


def turn_position(direction: str, latest_year: float, earlier_average: float) -> str:
    """Where the latest year stands against the earlier window's average, for a share that
    turned back: 'back at' it (within half a point: the one rule for a direction), 'past' it,
    or 'nearer' it than the latest window's (a position, not a move: the year before may
    stand further back still)."""
    moved = direction_of(latest_year - earlier_average)
    return ("back at" if moved == "about the same" else "nearer" if moved == direction
            else "past")
