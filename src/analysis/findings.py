"""The report's findings: every measure the sections and the key-findings summary state, computed
once per edition from the evidence cut to ``as_of``.

Sections draw and phrase these objects; the summary (section "00") phrases the same objects, so a
number in the summary can never disagree with the chart it points to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .anchors import event_of
from .evidence import cited_ids, conflict_ended_by, newer_releases
from .measures import shares, suppliers
from .measures.compare import turned_back
from .measures.presence import (
    EXERCISE,
    active_on,
    headcounts,
    peacekeepers,
    presence,
    standing,
)
from .measures.result import Change, Measure, weakest
from .measures.suppliers import SupplierShares
from .measures.windows import Window, gapless_from
from .prose import date
from .schema import load_descriptor

#: the tables behind the bilateral indicators have no reporter column: the descriptor's
#: description names the country they are seen from
BILATERAL_TABLES = ("trade", "energy", "remittances")


@dataclass(frozen=True)
class AllianceTest:
    """Section 3's test of reliance, as a key finding states it: the attack on the focus
    country's territory (by its account), its call on the alliance's mutual-defence clause and
    the alliance's answer; and the blockade of the corridor the patron's peacekeepers held. Dates
    from the story's anchors (data/anchors.csv), known at as_of."""

    attack: pd.Timestamp
    request: pd.Timestamp | None = None
    answer: pd.Timestamp | None = None  # only with a request
    #: the blockade, when the patron's peacekeepers held the corridor; its end (None while it
    #: was in place on as_of) and whether the road then opened for the region's people to flee
    blockade: pd.Timestamp | None = None
    blockade_end: pd.Timestamp | None = None
    offensive: pd.Timestamp | None = None  # the rival's offensive before the blockade ended
    fled: bool = False
    #: when the region's people fled: the latest count of those who left (casualties.csv) and
    #: who made it
    displaced: Measure | None = None
    displaced_by: str | None = None


@dataclass(frozen=True)
class Findings:
    focus: str
    patron: str
    rival: str
    partners: tuple[str, ...]
    as_of: pd.Timestamp
    #: the patron's share per indicator: latest complete five-year window vs ten years earlier
    dependence: dict[str, Change] = field(default_factory=dict)
    #: indicators left out and why (e.g. tables not seen from the focus country)
    missing: dict[str, str] = field(default_factory=dict)
    #: indicators with no comparable earlier window: the first year from which the series is
    #: complete without a gap (why no earlier five-year window can be set against the latest)
    gapless_from: dict[str, int] = field(default_factory=dict)
    #: arms suppliers of the focus country in the latest and the earlier window
    arms_latest: SupplierShares | None = None
    arms_earlier: SupplierShares | None = None
    #: the rival's supplier concentration in the latest window
    rival_arms_latest: SupplierShares | None = None
    #: the rival's last five-year period when the register records little for it beside the
    #: period before (likely incomplete; Figure 2.4's note says so): e.g. "2020–23", else None
    rival_arms_thin: str | None = None
    #: deployments running on as_of: the patron's (anywhere in the region) and the partners'
    #: (in the focus country)
    patron_presence: Measure | None = None
    partner_presence: Measure | None = None
    #: the partners' exercises under way on as_of (listed apart: not standing deployments)
    partner_exercises: Measure | None = None
    #: how many of the headcounts each presence adds up are undated (n.d. in Table 1.1)
    patron_presence_undated: int = 0
    partner_presence_undated: int = 0
    #: those headcounts that are not counts (a mandate's ceiling, an authorised strength), as
    #: (basis, persons, undated, confidence): said apart from the counts, never added to them
    #: (:class:`~analysis.measures.presence.Headcounts`)
    patron_presence_apart: tuple[tuple[str, float, bool, str], ...] = ()
    partner_presence_apart: tuple[tuple[str, float, bool, str], ...] = ()
    #: the one deployment that publishes a headcount when the others running publish none
    #: (``Headcounts.alone``), else ''
    patron_presence_alone: str = ""
    partner_presence_alone: str = ""
    #: whether any of the patron's deployments running on as_of is outside the focus country
    #: ('in and around' it, else 'in' it: an outside reader)
    patron_presence_abroad: bool = True
    #: the weakest confidence of those headcounts (their figure carries the mark)
    patron_people_confidence: str = "high"
    partner_people_confidence: str = "high"
    #: average yearly trade turnover with the patron, earlier and latest window (US$ million)
    trade_with_patron: Change | None = None
    #: the patron's share of the focus country's exports and of its imports in the latest year
    #: both are known, as (year, exports %, imports %, confidence): Figure 6.4's last year
    trade_flows_latest: tuple[int, float, float, str] | None = None
    #: the last year the patron delivered major arms, and who delivered after it
    patron_last_delivery: int | None = None
    suppliers_since: tuple[str, ...] = ()
    #: each share's latest single year (not arms: its years are trailing windows), as
    #: (year, share %): where the share stands beside its windows' averages
    latest_year: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: the year before each latest year, and its share (where a turned-back share came from)
    prior_year: dict[str, tuple[int, float]] = field(default_factory=dict)
    #: the patron's largest single year of deliveries in the latest window and its TIV (million),
    #: when that one year is more than half of the patron's deliveries in the window, else None
    patron_peak: tuple[int, float] | None = None
    #: with a peak, the years of the window after it, what the patron delivered in them (TIV
    #: million) and the years it delivered in: a rise in volume made by one year, and what came
    #: after it
    patron_after_peak: tuple[int, float, tuple[int, ...]] | None = None
    register_last: int | None = None  # the last year of the focus country's register rows
    register_newer: bool = False  # a newer release of that register is known at as_of
    #: the patron's deployments that ended from the start of the latest window to as_of
    patron_ended: tuple[str, ...] = ()
    #: how many of them stood in the focus country itself (the rest ended abroad)
    patron_ended_at_home: int = 0
    #: whether the patron also holds posts Table 1.1 leaves out (:func:`posts_left_out`): its
    #: count of deployments is then a floor
    patron_posts_left_out: bool = False
    #: the break: the anchored steps of BREAK_ANCHORS dated on or before as_of, in date order,
    #: as (date, meaning from anchors.csv, whether the patron is an actor)
    break_steps: tuple[tuple[pd.Timestamp, str, bool], ...] = ()
    #: their event ids, in the same order
    break_events: tuple[str, ...] = ()
    #: the alliance and the patron's peacekeepers put to the test (None before the attack)
    alliance_test: AllianceTest | None = None

    # -------------------------------------------------------------- derived readings
    def turned(self, key: str) -> tuple[int, float] | None:
        """The latest year and share of ``key`` when that year has undone at least half of
        the move between its windows (:func:`~analysis.measures.compare.turned_back`), else
        None: Table 7.1 counts such a share on neither side."""
        c, year = self.dependence.get(key), self.latest_year.get(key)
        if c is None or year is None or not c.earlier.known:
            return None
        return year if turned_back(c.direction, year[1], c.earlier.value, c.latest.value) \
            else None

    @property
    def new_leader(self) -> Measure | None:
        """The supplier that overtook the patron in the latest window, if one did."""
        if self.arms_latest is None or self.arms_latest.leader is None:
            return None
        leader = self.arms_latest.leader
        return leader if leader.label != self.patron else None

    def share(self, key: str) -> Change | None:
        return self.dependence.get(key)

    @property
    def paradox(self) -> bool:
        """Trade with the patron grew while its share of arms imports fell."""
        trade, arms = self.trade_with_patron, self.share("arms")
        return bool(trade and arms and trade.direction == "up" and arms.direction == "down")


#: the anchors of the break between the focus country and its patron (analysis.anchors.KEYS)
BREAK_ANCHORS = ("csto_freeze", "peacekeepers_withdrawn", "border_guards_leave",
                 "eu_accession_law", "washington_declaration")


#: a key finding names the break only when at least this many of its steps are known
MIN_BREAK_STEPS = 2


def anchored(tables, key: str) -> pd.Series | None:
    """The event row of anchor ``key`` in ``tables`` (events already cut at as_of), else None."""
    anchors = tables["anchors"].set_index("anchor")
    return event_of(anchors.loc[key, "event_id"], tables["events"]) if key in anchors.index \
        else None


def alliance_test(tables, focus: str, patron: str, rival: str) -> AllianceTest | None:
    """What section 3 tells of the alliance and the corridor, as dates (None before the attack,
    or when the data record it between other countries)."""
    attack = anchored(tables, "attack_sept_2022")
    if attack is None or str(attack["actors"]).split(";")[:2] != [rival, focus]:
        return None
    def day(key: str) -> pd.Timestamp | None:
        row = anchored(tables, key)
        return None if row is None else pd.Timestamp(row["date"])

    request = day("csto_request_2022")
    test = AllianceTest(pd.Timestamp(attack["date"]), request,
                        day("csto_response_2022") if request is not None else None)
    blockade = anchored(tables, "blockade_start")
    if blockade is None or not {focus, rival} <= set(str(blockade["actors"]).split(";")) \
            or peacekeepers(tables["deployments"], (focus, rival), patron).empty:
        return test
    end = blockade["end_date"]
    end = None if pd.isna(end) else pd.Timestamp(end)
    offensive, exodus = day("offensive_2023"), day("exodus_start")
    fled = end is not None and exodus == end
    return replace(test, blockade=pd.Timestamp(blockade["date"]), blockade_end=end,
                   offensive=offensive if end is not None and offensive is not None
                   and offensive <= end else None,
                   fled=fled, **(displaced(tables, "offensive_2023") if fled else {}))


def posts_left_out(tables, focus: str, patron: str, rival: str) -> bool:
    """Whether the evidence base knows, at as_of, of the patron's temporary posts on the focus
    country's border with the rival (anchor ``border_posts_start``): Table 1.1 leaves them out,
    with no headcount and no date of their departure (its note says so), so a count of the
    patron's deployments is a floor."""
    start = anchored(tables, "border_posts_start")
    if start is None:
        return False
    actors = str(start["actors"]).split(";")
    return focus in actors and patron in actors and rival in str(start["title"])


def displaced(tables, anchor: str) -> dict:
    """The latest count of the people the fighting an anchor ends displaced (casualties.csv,
    cut at as_of) and who made it, as AllianceTest's ``displaced`` and ``displaced_by``; empty
    when there is none."""
    cas = tables["casualties"]
    rows = cas[(cas["conflict"] == conflict_ended_by(anchor)) & (cas["measure"] == "displaced")
               & cas["reported_on"].notna()]
    if rows.empty:
        return {}
    latest = rows.sort_values("reported_on").tail(1)
    day = latest["reported_on"].iloc[0]
    return {"displaced": Measure.of_rows(f"displaced.{anchor}", "people displaced",
                                         latest["count_persons"].iloc[0], "persons", date(day),
                                         latest),
            "displaced_by": str(latest["reported_by"].iloc[0])}


def _break_rows(tables, cast=()) -> list[tuple[str, pd.Series, str]]:
    """(event id, event row, meaning) of each anchored step of the break known in ``tables``
    (events already cut at as_of), in date order; with ``cast``, only steps whose actors are
    all in it (so that another rival or other partners never bring in a step about countries
    the report is not about)."""
    meaning = tables["anchors"].set_index("anchor")["meaning"]
    out = []
    for key in BREAK_ANCHORS:
        row = anchored(tables, key)
        if row is None or cast and not set(str(row["actors"]).split(";")) <= set(cast):
            continue
        out.append((str(row["event_id"]), row, str(meaning[key])))
    return sorted(out, key=lambda step: pd.Timestamp(step[1]["date"]))


def break_steps(tables, patron: str, cast=()) -> tuple[tuple, tuple[str, ...]]:
    """The anchored steps of the break, as (date, meaning, whether the patron is an actor), and
    their event ids in the same order (read once for both)."""
    rows = _break_rows(tables, cast)
    return (tuple((pd.Timestamp(row["date"]), meaning, patron in str(row["actors"]).split(";"))
                  for _, row, meaning in rows),
            tuple(event for event, _, _ in rows))


def seen_from(data_dir, table: str, focus: str) -> bool:
    """True when the descriptor says ``table`` is seen from the focus country."""
    try:
        description = load_descriptor(data_dir)[table].description
    except KeyError:
        return False
    return focus in description


def _trade_volume(tables, focus: str, patron: str, window: Window | None) -> Measure:
    """Average yearly goods turnover with the patron over ``window`` (US$ million)."""
    b = shares.basis("trade", tables, focus, patron)
    if window is None:
        return Measure("trade_with_patron", f"Trade with {patron}", None, "US$ m a year", "", 0)
    rows = b.part[b.part["year"].between(window.start, window.end)]
    inside = all(y in b.complete for y in window.years)
    value = float(rows[b.value].sum()) / len(window.years) if inside else None
    return Measure.of_rows("trade_with_patron", f"Trade with {patron}", value, "US$ m a year",
                           window.label, rows)


def _latest_flows(flows: pd.DataFrame) -> tuple[int, float, float, str] | None:
    """(year, exports %, imports %, weakest confidence) of the last year with both flows in
    :func:`~analysis.measures.shares.flow_series`, else None."""
    wide = flows.pivot(index="year", columns="flow", values="share_pct").dropna() \
        if not flows.empty else flows
    if wide.empty or not {"exports", "imports"} <= set(wide.columns):
        return None
    year = int(wide.index.max())
    return (year, float(wide.loc[year, "exports"]), float(wide.loc[year, "imports"]),
            weakest(flows.loc[flows["year"] == year, "confidence"]))


def compute(tables: dict[str, pd.DataFrame], p, series=None) -> Findings:
    """All findings of one edition (``tables`` already cut to ``p.as_of``). ``series(key)``: the
    patron's share of indicator ``key`` year by year (default :func:`analysis.measures.shares.
    series`; an edition's sections pass their one shared computation of it)."""
    focus, patron = p.focus, p.patron
    if series is None:
        def series(key):
            return shares.series(key, tables, focus, patron)
    bilateral = all(seen_from(p.data_dir, t, focus) for t in BILATERAL_TABLES)
    dependence, missing, gapless, latest_year, prior_year = {}, {}, {}, {}, {}
    for key in shares.INDICATORS:
        if key != "arms" and not bilateral:
            missing[key] = f"the trade, gas and transfer tables are not seen from {focus}"
            continue
        change = shares.compare(key, tables, focus, patron)
        if change.latest.known:
            dependence[key] = change
            yearly = series(key) if key != "arms" else None
            if yearly is not None and not yearly.empty:
                latest_year[key] = (int(yearly["year"].iloc[-1]),
                                    float(yearly["share_pct"].iloc[-1]))
                if len(yearly) > 1:
                    prior_year[key] = (int(yearly["year"].iloc[-2]),
                                       float(yearly["share_pct"].iloc[-2]))
            if not change.earlier.known:
                complete = shares.basis(key, tables, focus, patron).complete
                gapless[key] = gapless_from(complete, shares.windows(key, tables, focus,
                                                                     patron)[1])
        else:
            missing[key] = "the evidence base has no complete five-year window of it"
    arms = tables["arms_imports"]
    earlier, latest = suppliers.windows(arms)
    arms_latest = suppliers.supplier_shares(arms, focus, latest) if latest else None
    arms_earlier = suppliers.supplier_shares(arms, focus, earlier) if earlier else None
    rival_latest = suppliers.supplier_shares(arms, p.rival, latest) if latest else None
    thin = suppliers.thin_last_period(suppliers.supplier_periods(arms, p.rival))
    day = pd.Timestamp(p.as_of)
    dep = tables["deployments"]
    kinds = standing(dep)  # exercises are listed, not counted as standing deployments
    patron_presence = presence(dep, [patron], day, f"{patron}'s deployments", kinds=kinds)
    partner_presence = presence(dep, list(p.partners), day, "partners' deployments", host=focus,
                                kinds=kinds)
    partner_exercises = presence(dep, list(p.partners), day, "partners' exercises", host=focus,
                                 kinds=[EXERCISE])
    published = tables["sources"].set_index("source_id")["date_published"]
    mine_counts = headcounts(dep, published, [patron], day, kinds=kinds)
    theirs_counts = headcounts(dep, published, list(p.partners), day, host=focus, kinds=kinds)
    trade_volume = flows = None
    if bilateral and "trade" in dependence:
        t_early, t_late = shares.windows("trade", tables, focus, patron)
        trade_volume = Change(_trade_volume(tables, focus, patron, t_early),
                              _trade_volume(tables, focus, patron, t_late))
        flows = _latest_flows(shares.flow_series(tables, focus, patron))
    mine = arms[(arms["recipient"] == focus) & (arms["tiv_m"] > 0)]
    from_patron = mine[mine["supplier"] == patron]
    last_delivery = int(from_patron["year"].max()) if not from_patron.empty else None
    since = tuple(dict.fromkeys(
        mine[mine["year"] > last_delivery].sort_values("tiv_m", ascending=False)["supplier"]))\
        if last_delivery is not None else ()
    peak = after_peak = None
    if latest is not None:
        yearly = from_patron[from_patron["year"].between(latest.start, latest.end)].groupby(
            "year")["tiv_m"].sum()
        if not yearly.empty and yearly.max() > yearly.sum() / 2:
            peak = (int(yearly.idxmax()), float(yearly.max()))
            if peak[0] < latest.end:
                later = yearly[(yearly.index > peak[0]) & (yearly > 0)]
                after_peak = (latest.end - peak[0], float(later.sum()),
                              tuple(int(y) for y in later.index))
    # counted as the watch table counts them: standing deployments, not exercises
    ended = dep[(dep["deployer"] == patron) & dep["end_date"].notna()
                & dep["kind"].isin(standing(dep))]
    if latest is not None:
        ended = ended[(ended["end_date"] >= pd.Timestamp(latest.start, 1, 1))
                      & (ended["end_date"] <= day)]
    steps, step_events = break_steps(tables, patron, (focus, patron, p.rival, *p.partners))
    return Findings(focus=focus, patron=patron, rival=p.rival, partners=tuple(p.partners),
                    as_of=day, dependence=dependence, missing=missing,
                    gapless_from=gapless, arms_latest=arms_latest,
                    arms_earlier=arms_earlier, rival_arms_latest=rival_latest,
                    rival_arms_thin=thin["period"] if thin else None,
                    patron_presence=patron_presence, partner_presence=partner_presence,
                    partner_exercises=partner_exercises,
                    patron_presence_undated=mine_counts.undated,
                    partner_presence_undated=theirs_counts.undated,
                    patron_presence_apart=mine_counts.apart,
                    partner_presence_apart=theirs_counts.apart,
                    patron_presence_alone=mine_counts.alone,
                    patron_presence_abroad=bool(
                        (active_on(dep, [patron], day, kinds=kinds)["host"] != focus).any()),
                    partner_presence_alone=theirs_counts.alone,
                    patron_people_confidence=mine_counts.confidence,
                    partner_people_confidence=theirs_counts.confidence,
                    trade_with_patron=trade_volume, trade_flows_latest=flows,
                    patron_last_delivery=last_delivery,
                    suppliers_since=since, patron_peak=peak, patron_after_peak=after_peak,
                    latest_year=latest_year, prior_year=prior_year,
                    register_last=int(mine["year"].max()) if not mine.empty else None,
                    register_newer=bool(set(mine["source_id"]) & set(newer_releases(
                        tables, p.as_of, cited_ids(tables))["supersedes"])),
                    patron_ended=tuple(ended.sort_values("end_date")["name"]),
                    patron_ended_at_home=int((ended["host"] == focus).sum()),
                    patron_posts_left_out=posts_left_out(tables, focus, patron, p.rival),
                    break_steps=steps, break_events=step_events,
                    alliance_test=alliance_test(tables, focus, patron, p.rival))
