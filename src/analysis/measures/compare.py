"""Comparisons of two yearly series: "higher in N of M years since Y"."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
