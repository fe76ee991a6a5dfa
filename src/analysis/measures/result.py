"""The result every measure returns, and the rules shared by all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

_RANK = {"low": 0, "medium": 1, "high": 2}
#: a change smaller than this (in the measure's unit) reads as "about the same"
TOLERANCE = 0.5


def weakest(confidences: Iterable) -> str:
    """The lowest confidence among rows used: low < medium < high ("high" when none given)."""
    values = [c for c in confidences if isinstance(c, str) and c in _RANK]
    return min(values, key=_RANK.get) if values else "high"


@dataclass(frozen=True)
class Measure:
    """One computed value with what it rests on."""

    key: str  # e.g. "patron_share.arms"
    label: str  # what it measures, e.g. "Arms imports"
    value: float | None  # None: no data for this window
    unit: str  # "%", "HHI", "count", "persons", "years"
    window: str  # "2020–2024", "2024" or a date
    rows: int  # evidence rows used
    source_ids: tuple[str, ...] = ()
    confidence: str = "high"  # the weakest of the rows used
    part: float | None = None  # numerator, where the value is a share
    total: float | None = None  # denominator, where the value is a share

    @property
    def known(self) -> bool:
        return self.value is not None and not pd.isna(self.value)

    @property
    def unconfirmed(self) -> bool:
        return self.confidence == "low"

    @classmethod
    def of_rows(cls, key: str, label: str, value, unit: str, window: str,
                rows: pd.DataFrame, **extra) -> Measure:
        """A measure whose provenance is the evidence ``rows`` it was computed from."""
        ids = tuple(dict.fromkeys(rows["source_id"].dropna())) if "source_id" in rows else ()
        conf = weakest(rows["confidence"]) if "confidence" in rows else "high"
        value = None if value is None or pd.isna(value) else float(value)
        return cls(key, label, value, unit, window, len(rows), ids, conf, **extra)


@dataclass(frozen=True)
class Change:
    """Two readings of one indicator and the direction between them."""

    earlier: Measure
    latest: Measure

    @property
    def delta(self) -> float | None:
        if not (self.earlier.known and self.latest.known):
            return None
        return self.latest.value - self.earlier.value

    @property
    def direction(self) -> str:
        """'up', 'down', 'about the same' or 'n/a'."""
        return direction(self.delta)

    @property
    def confidence(self) -> str:
        return weakest([self.earlier.confidence, self.latest.confidence])

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.earlier.source_ids, *self.latest.source_ids]))


def direction(delta: float | None, tolerance: float = TOLERANCE) -> str:
    """The one rule for the direction of a change."""
    if delta is None or pd.isna(delta):
        return "n/a"
    if delta >= tolerance:
        return "up"
    if delta <= -tolerance:
        return "down"
    return "about the same"


def change(earlier: Measure, latest: Measure) -> Change:
    return Change(earlier, latest)
