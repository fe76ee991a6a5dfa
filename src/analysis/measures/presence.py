"""Foreign security presence: which deployments were running on a day, and how many people they
published."""

from __future__ import annotations

import pandas as pd

from .result import Measure


def active_on(deployments: pd.DataFrame, deployers, day, host: str | None = None,
              kinds=None) -> pd.DataFrame:
    """Deployments by ``deployers`` running on ``day`` (started, not yet ended)."""
    day = pd.Timestamp(day)
    rows = deployments[deployments["deployer"].isin(list(deployers))]
    if host is not None:
        rows = rows[rows["host"] == host]
    if kinds is not None:
        rows = rows[rows["kind"].isin(list(kinds))]
    running = (rows["start_date"] <= day) & (rows["end_date"].isna() | (rows["end_date"] >= day))
    return rows[running]


def changes_between(deployments: pd.DataFrame, deployers, start, end,
                    host: str | None = None) -> tuple[list[str], list[str]]:
    """Names of the deployments by ``deployers`` that ended, and that began, after ``start`` up
    to ``end`` (a deployment that began and ended in between counts in both), sorted."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = deployments[deployments["deployer"].isin(list(deployers))]
    if host is not None:
        rows = rows[rows["host"] == host]
    rows = rows[rows["start_date"] <= end]
    # active_on counts a deployment as running on its last day: it has ended the day after
    ended = rows[(rows["end_date"] >= start) & (rows["end_date"] < end)]
    began = rows[rows["start_date"] > start]
    return sorted(ended["name"]), sorted(began["name"])


def presence(deployments: pd.DataFrame, deployers, day, label: str, host: str | None = None,
             kinds=None) -> Measure:
    """Deployments running on ``day``: value = how many; part = published personnel (sum of
    the known headcounts); total = how many publish no headcount."""
    rows = active_on(deployments, deployers, day, host, kinds)
    people = rows["personnel_persons"]
    return Measure.of_rows(f"presence.{label}", label, len(rows), "deployments",
                           f"{pd.Timestamp(day).day} {pd.Timestamp(day):%B %Y}", rows,
                           part=float(people.dropna().sum()), total=float(people.isna().sum()))
