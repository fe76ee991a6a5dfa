"""Foreign security presence: which deployments were running on a day, and how many people they
published."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .result import Measure, weakest


def _of(deployments: pd.DataFrame, deployers, host: str | None = None) -> pd.DataFrame:
    """The deployments by ``deployers`` (in ``host`` when given)."""
    rows = deployments[deployments["deployer"].isin(list(deployers))]
    return rows if host is None else rows[rows["host"] == host]


def last_change(deployments: pd.DataFrame, deployers, as_of, host: str | None = None):
    """The latest day up to ``as_of`` on which a deployment by ``deployers`` began or had its
    last day (before ``as_of``: one ending on it still runs), or None."""
    rows = _of(deployments, deployers, host)
    day = pd.Timestamp(as_of)
    days = [d for d in rows["start_date"] if d <= day]
    days += [d for d in rows["end_date"].dropna() if d < day]
    return max(days) if days else None


def peacekeepers(deployments: pd.DataFrame, hosts, deployer: str | None = None) -> pd.DataFrame:
    """The peacekeeping deployments in any of ``hosts`` (by ``deployer`` when given)."""
    rows = deployments[(deployments["kind"] == "peacekeeping")
                       & deployments["host"].isin(list(hosts))]
    return rows if deployer is None else rows[rows["deployer"] == deployer]


#: a training exercise: listed beside the deployments, but not counted as a standing one (the
#: key findings and the watch table count the same way)
EXERCISE = "exercise"


def standing(deployments: pd.DataFrame) -> list[str]:
    """The kinds of deployment counted as a standing presence: every kind but exercises."""
    return [k for k in deployments["kind"].dropna().unique() if k != EXERCISE]


def active_on(deployments: pd.DataFrame, deployers, day, host: str | None = None,
              kinds=None) -> pd.DataFrame:
    """Deployments by ``deployers`` running on ``day`` (started, not yet ended)."""
    day = pd.Timestamp(day)
    rows = _of(deployments, deployers, host)
    if kinds is not None:
        rows = rows[rows["kind"].isin(list(kinds))]
    running = (rows["start_date"] <= day) & (rows["end_date"].isna() | (rows["end_date"] >= day))
    return rows[running]


def changes_between(deployments: pd.DataFrame, deployers, start, end,
                    host: str | None = None) -> tuple[list[str], list[str]]:
    """Names of the deployments by ``deployers`` that ended, and that began, after ``start`` up
    to ``end`` (a deployment that began and ended in between counts in both), sorted."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    rows = _of(deployments, deployers, host)
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


def undated_counts(rows: pd.DataFrame, published: pd.Series) -> pd.Series:
    """Per deployment row: its headcount's source (a later count's, else the deployment's own)
    gives no date, so the figure may be years old (the one rule; Table 1.1 marks them n.d.).
    ``published``: each source's ``date_published``, indexed by ``source_id``."""
    ids = (rows["personnel_source_id"].fillna(rows["source_id"])
           if "personnel_source_id" in rows else rows["source_id"])
    known = ids.isin(published.index)
    undated = pd.Series(False, index=rows.index)
    undated[known] = published.reindex(ids[known]).isna().to_numpy()
    return undated & rows["personnel_persons"].notna()


@dataclass(frozen=True)
class Headcounts:
    """What the headcounts :func:`presence` adds up for a day are: how many are undated
    (Table 1.1's n.d.), which are not counts and their weakest confidence (the mark goes on the
    personnel figure, not only on the count of deployments)."""

    undated: int = 0
    confidence: str = "high"  # of the counts, if any (else of every figure)
    #: the figures that are not counts, as (basis, persons, undated, confidence), sorted by
    #: basis ('authorised', 'ceiling'): beside counts they are said apart, never added to them
    apart: tuple[tuple[str, float, bool, str], ...] = ()
    #: the deployment's name when it is the only one of several running that publishes a
    #: headcount: its figure is then said as its own, not as the deployments' (an outside
    #: reader took the Gyumri base's count for Russia's total), else ''
    alone: str = ""


def headcounts(deployments: pd.DataFrame, published: pd.Series, deployers, day,
               host: str | None = None, kinds=None) -> Headcounts:
    """:class:`Headcounts` of the deployments by ``deployers`` running on ``day``."""
    rows = active_on(deployments, deployers, day, host, kinds)
    counted = rows[rows["personnel_persons"].notna()]
    undated = undated_counts(rows, published)
    counted = counted.assign(basis=counted["personnel_basis"].fillna("count")
                             if "personnel_basis" in counted else "count")
    others = counted[counted["basis"] != "count"].sort_values(["basis", "personnel_persons"])
    counts = counted[counted["basis"] == "count"]
    return Headcounts(int(undated.sum()),
                      weakest((counts if not counts.empty else counted).get("confidence", ())),
                      tuple((str(r["basis"]), float(r["personnel_persons"]),
                             bool(undated[i]), str(r.get("confidence", "high")))
                            for i, r in others.iterrows()),
                      str(counted["name"].iloc[0]) if len(counted) == 1 < len(rows) else "")


def undated_in_presence(deployments: pd.DataFrame, published: pd.Series, deployers, day,
                        host: str | None = None, kinds=None) -> int:
    """How many of the headcounts :func:`presence` adds up for ``day`` are undated."""
    return headcounts(deployments, published, deployers, day, host, kinds).undated
