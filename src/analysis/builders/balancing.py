"""Section 5, a delicate balancing act: supplier concentration of arms imports, new partners,
the West's presence on the ground and votes at the UN General Assembly."""

from __future__ import annotations

import re

import pandas as pd

from .. import charts, sections, theme
from .. import phrasing as ph
from ..evidence_refs import in_date_order, order_note
from ..findings import MIN_BREAK_STEPS
from ..measures import suppliers
from ..measures.windows import Window
from ..prose import date, listing, md, num, span, unconfirmed, year_runs
from . import ledger
from ._common import UNITS_NOTE, count_word, plural, sentence_start, times, units_cells

WINDOW = 5  # years per concentration window
#: kinds of events that are not steps of diversification
NOT_DIVERSIFICATION = ("conflict", "ceasefire", "humanitarian")
VOTE_WORDS = {"yes": "voted yes", "abstain": "abstained", "no": "voted no",
              "absent": "did not vote"}
#: a vote as one record gives it: "one published record has it abstaining"
VOTE_READINGS = {"yes": "voting yes", "abstain": "abstaining", "no": "voting no",
                 "absent": "not voting"}


# ---------------------------------------------------------------------- pure computations
def concentration(arms: pd.DataFrame, recipients, window: int = WINDOW) -> pd.DataFrame:
    """Rolling HHI per recipient (measures.suppliers): year, country, hhi, suppliers, tiv_m,
    confidence."""
    out = [suppliers.rolling_concentration(arms, c, window).assign(country=c)
           for c in dict.fromkeys(recipients)]
    out = [o for o in out if not o.empty]
    if not out:
        return pd.DataFrame(columns=["year", "hhi", "suppliers", "tiv_m", "confidence",
                                     "country"])
    return pd.concat(out, ignore_index=True)


def supplier_windows(arms: pd.DataFrame, recipient: str, patron: str, partners,
                     latest: Window, other: str = "Other suppliers") -> pd.DataFrame:
    """Deliveries to the recipient in consecutive five-year windows ending with ``latest``
    (the same windows the findings use), suppliers grouped: the patron, each partner, others."""
    rows = arms[arms["recipient"] == recipient]
    first = int(arms["year"].min()) if not arms.empty else latest.start
    frames = []
    w = latest
    while w.start >= first:
        part = rows[rows["year"].between(w.start, w.end)]
        frames.append(part.assign(period=w.label))
        w = w.shifted(-WINDOW)
    if not frames:
        return rows.assign(group=[], period=[])
    out = pd.concat(frames[::-1], ignore_index=True)
    keep = {patron, *partners}
    return out.assign(group=out["supplier"].where(out["supplier"].isin(keep), other))


#: a separate vote on one paragraph of a resolution ("A/RES/77/284 ¶9"), not a resolution
PARAGRAPH_VOTE = re.compile(r"\u00b6\s*\d+")


def is_paragraph_vote(resolution) -> bool:
    """True for the separate vote on a paragraph of a resolution (its symbol carries '¶N')."""
    return bool(PARAGRAPH_VOTE.search(str(resolution)))


def topic_votes(votes: pd.DataFrame, topic: str = "ukraine") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(votes on whole resolutions, separate votes on paragraphs) of ``topic``."""
    rows = votes[votes["topic"] == topic]
    # boolean even when empty: an empty object mask would select columns, not rows
    para = (rows["resolution"].map(is_paragraph_vote) if "resolution" in rows else
            pd.Series(False, index=rows.index)).astype(bool)
    return rows[~para], rows[para]


def contested_votes(votes: pd.DataFrame, country: str, topic: str = "ukraine") -> pd.DataFrame:
    """``country``'s votes on resolutions of ``topic`` on which published records disagree
    (``vote_contested``: another record's reading; the row's own vote is the one counted)."""
    whole, _ = topic_votes(votes, topic)
    rows = whole[whole["country"] == country]
    if "vote_contested" not in rows:
        return rows.iloc[0:0]
    return rows[rows["vote_contested"].notna()]


def unconfirmed_votes(votes: pd.DataFrame, country: str, topic: str = "ukraine") -> int:
    """How many of ``country``'s votes on resolutions of ``topic`` (as :func:`vote_counts`
    counts them) could not be confirmed in a published record (low confidence; a vote the
    records disagree on is said as such, :func:`contested_votes`, not counted here)."""
    whole, _ = topic_votes(votes, topic)
    rows = whole[whole["country"] == country]
    contested = contested_votes(votes, country, topic).index
    return int((rows.drop(index=contested)["confidence"] == "low").sum())


def contested_clause(votes: pd.DataFrame, country: str) -> str:
    """'one record has it not voting on ..., another abstaining; it is counted as not voting' for
    each vote of ``country`` the published records disagree on ('' if none); a counted reading
    of low confidence says it is not confirmed, as its cell in the grid does ('?')."""
    return "; ".join(
        f"one record has it {VOTE_READINGS[r.vote]}"
        + (" (not confirmed)" if r.confidence == "low" else "") + " on "
        f"{_plain_title(r.title_short)} ({r.date:%B %Y}), another "
        f"{VOTE_READINGS[r.vote_contested]}; it is counted as {VOTE_READINGS[r.vote]}"
        for r in contested_votes(votes, country).sort_values("date").itertuples())


def vote_counts(votes: pd.DataFrame, country: str, topic: str = "ukraine") -> dict[str, int]:
    """How often ``country`` voted yes / abstain / no / absent on resolutions of ``topic``
    (separate votes on a paragraph are not resolutions and are not counted)."""
    whole, _ = topic_votes(votes, topic)
    rows = whole[whole["country"] == country]
    counts = rows["vote"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VOTE_WORDS}


# ---------------------------------------------------------------------- narration
def intro(s):
    """The section's question and what it measures, naming the cast from the parameters."""
    votes, _ = topic_votes(s.ev.un_votes[s.ev.un_votes["country"] == s.p.focus])
    return s.text(
        f"Has {md(s.p.focus)} added partners beside {md(s.p.patron)}, and how far has it gone? "
        f"This section measures that diversification: how concentrated {md(s.p.focus)}'s arms "
        f"imports are and who supplies them; which steps were taken between {md(s.p.focus)} "
        f"and {md(ph.names(s.p.partners))}, by either side or both, and when"
        + ("; and how it voted at the UN General Assembly on Ukraine." if not votes.empty
           else "."))


def concentration_intro(s):
    return s.text(
        "A country that receives nearly all its weapons from one supplier depends on that "
        "supplier's goodwill and deliveries. The chart tracks concentration over rolling "
        f"{count_word(WINDOW)}-year windows for {md(s.p.focus)} and, for comparison, for "
        f"{md(s.p.rival)}.")


def suppliers_intro(s):
    return s.text(
        f"The bars show the share of {md(s.p.focus)}'s arms deliveries that came from "
        f"{md(s.p.patron)}, from each partner the register records as a supplier and from all "
        "others, in each five-year window up to the latest year of SIPRI data; the table lists "
        "what the partners delivered.")


def steps_intro(s):
    return s.text(
        # the kinds are not listed: an edition's rows may hold some of them only (the 2023
        # edition has no statement or law; an outside reader)
        f"Diversification is more than arms. The timeline gathers every dated step between "
        f"{md(s.p.focus)} and {md(ph.names(s.p.partners))}, whether taken by one side or "
        f"both; steps in which {md(s.p.patron)} or {md(s.p.rival)} also took part are left "
        "out.")


def _vote_countries(s) -> tuple[pd.DataFrame, list[str]]:
    """Votes on Ukraine and the countries the grid shows: the focus, the rival, the others."""
    votes = s.ev.un_votes
    votes = votes[votes["topic"] == "ukraine"]
    countries = list(dict.fromkeys([s.p.focus, s.p.rival,
                                    *sorted(set(votes["country"]) - {s.p.focus, s.p.rival})]))
    return votes, [c for c in countries if c in set(votes["country"])]


def _vote_selection(votes: pd.DataFrame) -> str:
    """Which resolutions the grid covers, said from the edition's own rows (a kind shows only
    once the edition holds a vote of that kind), and which it leaves out."""
    symbols = votes["resolution"].astype(str)
    titles = votes["title_short"].astype(str)
    kinds = []
    early = votes[titles.str.contains("Territorial integrity", regex=False)
                  & ~symbols.str.contains("ES-11", regex=False)]
    if not early.empty:
        kinds.append(f"the one of {pd.Timestamp(early['date'].min()):%B %Y} on Ukraine's "
                     "territorial integrity")
    special = votes[symbols.str.contains("ES-11", regex=False)]
    if not special.empty:
        n = special["resolution"].nunique()
        kinds.append(f"{'the one' if n == 1 else count_word(n)} adopted at the emergency "
                     f"special session on Ukraine {'in' if n == 1 else 'since'} "
                     f"{pd.Timestamp(special['date'].min()).year}")
    europe = symbols[titles.str.contains("Council of Europe", regex=False)
                     & ~symbols.map(is_paragraph_vote).astype(bool)].nunique()
    if europe:
        kinds.append(("the one" if europe == 1 else "those") + " on cooperation with the "
                     f"Council of Europe that name{'s' if europe == 1 else ''} Russia's "
                     "aggression")
    if not kinds:
        return ""
    return (f" It covers the resolutions in the evidence base that bear on the war: "
            f"{listing(kinds)}. Other General Assembly texts that name Russia or Ukraine are "
            "not in the evidence base, so votes on them are not counted.")


def votes_intro(s):
    votes, shown = _vote_countries(s)
    if s.p.focus not in shown:
        return s.text("")  # the chart's place says there are none
    others = [c for c in shown if c != s.p.focus]
    # on the record of the war, not 'a test of alignment' with the West: from 2025 the United
    # States voted against texts Armenia's European partners backed (an outside reader)
    stand = ("Votes at the UN General Assembly on Ukraine put on record where each state "
             "stands on the war.")
    return s.text(
        (f"{stand} The grid compares {md(s.p.focus)}'s votes with those of "
         f"{md(ph.names(others))}." if others else stand)
        + _vote_selection(votes))


# ---------------------------------------------------------------------- builders
def concentration_chart(s):
    pair = [s.p.focus, s.p.rival]
    series = concentration(s.ev.arms_imports, pair)
    if series.empty:
        return s.text(f"SIPRI records no arms deliveries to {listing(pair)} in this window, "
                      "so there is no supplier concentration to measure.")
    shown = [c for c in pair if c in set(series["country"])]
    one = suppliers.HHI_ONE_SUPPLIER
    thin = s.findings.rival_arms_thin  # windows holding those years are not compared
    weak_from = suppliers.period_start(thin) if thin else None
    fig = charts.lines(series, "year", "hhi", "country",
                       f"HHI, {WINDOW}-year windows ({num(one)} = one supplier)",
                       ylim=(0, one * 1.05), value_format="{:,.0f}",
                       dashed_from={s.p.rival: weak_from} if thin else None)
    first, last = int(series["year"].min()), int(series["year"].max())
    latest = series.sort_values("year").groupby("country").tail(1).set_index("country")
    finding = "; ".join(f"{c} at {num(latest.loc[c, 'hhi'])} in "
                        f"{int(latest.loc[c, 'year']) - WINDOW + 1}–{int(latest.loc[c, 'year'])}"
                        + (" (not comparable)" if c == s.p.rival and weak_from is not None
                           and latest.loc[c, "year"] >= weak_from else "")
                        for c in shown)
    used = s.ev.arms_imports[s.ev.arms_imports["recipient"].isin(shown)]
    missing = [c for c in pair if c not in shown]
    earlier = s.findings.arms_earlier
    if earlier is not None and earlier.concentration.known:
        finding += (f". {s.p.focus} in {earlier.window}: "
                    f"{ph.value(earlier.concentration)}")
    return s.figure(
        fig, key="concentration",
        caption=(f"Supplier concentration of arms imports, {listing(shown)}: "
                 f"Herfindahl–Hirschman index over the {WINDOW} years ending in each year, "
                 f"{span(first, last)}"),
        alt=(f"Line chart of the Herfindahl–Hirschman index of arms-import suppliers for "
             f"{' and '.join(shown)}, each point covering the {WINDOW} years to that year, "
             f"ending {span(first, last)}. Latest windows: {finding}."),
        data=[used],
        note=("Computed from SIPRI trend-indicator values of deliveries. A window with no "
              "deliveries has no value." + (f" No complete {WINDOW}-year window of deliveries "
                                            f"to {', '.join(missing)} in this period."
                                            if missing else "")
              + (f" {ph.unrecorded(s.p.rival, thin)}: its line is dashed from "
                 "the first window that holds those years."
                 if thin and s.p.rival in shown else "")))


def concentration_text(s):
    f = s.findings
    one = num(suppliers.HHI_ONE_SUPPLIER)
    intro = (f"The Herfindahl–Hirschman index adds up the squared percentage shares of each "
             f"supplier: {one} means a single supplier, and the lower the figure, the more "
             "evenly deliveries are spread.")
    latest, earlier = f.arms_latest, f.arms_earlier
    if latest is None or not latest.concentration.known:
        return s.text(intro + f" The evidence base holds too few years of deliveries to "
                      f"{md(s.p.focus)} in this window for a {WINDOW}-year index.")
    fig = sections.number_of("figure", "concentration")
    text = f"{intro} For {md(s.p.focus)} it stood at {ph.value(latest.concentration)} in " \
           f"{latest.window}"
    if earlier is not None and earlier.concentration.known:
        text += f", against {ph.value(earlier.concentration)} in {earlier.window}"
    text += f", with {plural(len(latest.shares), 'supplier')} delivering in the latest window"
    rival = f.rival_arms_latest
    if rival is not None and rival.concentration.known:
        if f.rival_arms_thin:  # as the key findings say it (and Figure 2.4's note)
            text += (f". {md(s.p.rival)}'s index for the same years is not comparable: "
                     f"{ph.unrecorded(md(s.p.rival), f.rival_arms_thin)} "
                     f"(dashed in Figure {fig})")
            return s.text(text + ".")
        text += (f"; {md(s.p.rival)}'s index was {ph.value(rival.concentration)} over the same "
                 "years")
    return s.text(text + f" (Figure {fig}).")


def partner_shares(s):
    f = s.findings
    latest = f.arms_latest
    if latest is None or not latest.shares:
        return s.text(f"SIPRI records no arms deliveries to {md(s.p.focus)} in this window.")
    groups = supplier_windows(s.ev.arms_imports, s.p.focus, s.p.patron, s.p.partners,
                              latest.window)
    order = [g for g in [s.p.patron, *s.p.partners, "Other suppliers"]
             if g in set(groups["group"])]
    periods = list(dict.fromkeys(groups["period"]))
    fig = charts.stacked_shares(groups, "period", "group", "tiv_m",
                                f"% of {s.p.focus}'s arms imports (TIV)", top=len(order),
                                order=periods)
    partners_seen = [p for p in s.p.partners if p in set(groups["group"])]
    shares = "; ".join(f"{m.label} {ph.value(m)}" for m in latest.shares)
    if f.arms_earlier is not None and f.arms_earlier.shares:
        shares += (f". In {f.arms_earlier.window}: "
                   + "; ".join(f"{m.label} {ph.value(m)}" for m in f.arms_earlier.shares))
    return s.figure(
        fig, key="suppliers",
        caption=(f"Who supplied {s.p.focus}'s major arms: shares of {s.p.patron}, the partners "
                 f"and others in five-year windows, {periods[0]} to {periods[-1]}"),
        alt=(f"Stacked bar chart of the shares of {s.p.focus}'s arms imports from "
             f"{', '.join([s.p.patron, *partners_seen])} and other suppliers in each five-year "
             f"window from {periods[0]} to {periods[-1]}, in SIPRI trend-indicator values. "
             f"In {latest.window}: {shares}."),
        data=[groups],
        note=("TIV measures military capability transferred, not money paid. Windows end with "
              f"{latest.window.end}, the last year of SIPRI data in this edition; a window "
              "without deliveries has no bar." + _others_note(s, latest) + _thin_note(latest)))


def _thin_note(latest) -> str:
    """' Too thin to label in 2019–2023: France 1%.': a supplier whose segment of the latest bar
    the eye cannot find at print size, named with its share."""
    thin = [m for m in latest.shares if m.value is not None
            and 0 < m.value < charts.SHARE_VISIBLE_MIN]
    if not thin:
        return ""
    return (f" Too thin to label in {latest.window}: "
            + ", ".join(f"{m.label} {ph.value(m)}" for m in thin) + ".")


def _others_note(s, latest) -> str:
    """' Other suppliers in 2018–2022: Jordan 7%.': who the latest bar's grey part is (the text
    names them; the chart pools them)."""
    others = [m for m in latest.shares if m.label not in (s.p.patron, *s.p.partners)]
    if not others:
        return ""
    return (f" Other suppliers in {latest.window}: "
            + ", ".join(f"{m.label} {ph.value(m)}" for m in others) + ".")


def suppliers_text(s):
    """Who supplies the focus country's arms now, in one paragraph that makes the chart's point."""
    f = s.findings
    latest, earlier = f.arms_latest, f.arms_earlier
    if latest is None or not latest.shares:
        return s.text("")
    fig = sections.number_of("figure", "suppliers")
    mine = latest.of(s.p.patron)
    leader = f.new_leader
    if leader is not None:
        text = (f"{md(leader.label)} overtook {md(s.p.patron)} as {md(s.p.focus)}'s largest "
                f"supplier of major arms in {latest.window}, with {ph.value(leader)} of "
                f"deliveries against {md(s.p.patron)}'s {ph.value(mine)} (Figure {fig}).")
    else:
        others = [m for m in latest.shares if m.label != s.p.patron]
        text = (f"{md(s.p.patron)} remained {md(s.p.focus)}'s largest supplier of major arms in "
                f"{latest.window}, with {ph.value(mine)} of deliveries (Figure {fig})")
        text += (f"; {listing(f'{m.label} ({ph.value(m)})' for m in others)} shared the rest."
                 if others else ".")
    if earlier is not None and earlier.of(s.p.patron).known:
        text += (f" Ten years earlier, in {earlier.window}, {md(s.p.patron)}'s share was "
                 f"{ph.value(earlier.of(s.p.patron))}.")
    if f.suppliers_since and f.patron_last_delivery is not None:
        text += (f" The register records no delivery from {md(s.p.patron)} after "
                 f"{f.patron_last_delivery}; later deliveries came from "
                 f"{listing(f.suppliers_since)}.")
    absent = [p for p in s.p.partners if latest.rank(p) is None
              and (earlier is None or earlier.rank(p) is None)]
    states = [p for p in absent if p not in ph.BLOCS]
    blocs = [p for p in absent if p in ph.BLOCS]
    if states:
        windows = (f"{earlier.window} or {latest.window}" if earlier is not None
                   else latest.window)
        text += (f" The register records no deliveries from {md(ph.names(states, 'or'))} in "
                 f"{windows}.")
    if blocs:  # not "no deliveries from the European Union" beside France's share
        text += (f" SIPRI's register records suppliers state by state, so {md(ph.names(blocs))} "
                 f"{'does' if len(blocs) == 1 else 'do'} not appear as "
                 f"{'a supplier' if len(blocs) == 1 else 'suppliers'}.")
    if f.suppliers_since and f.patron_last_delivery is not None:
        text += " These figures leave out deals not yet delivered."
    contracts = s.ev.anchor("arms_contracts_share")
    if contracts:  # deliveries lag contracts: an official count of the contracts, said apart
        # last, after what the register records, dated first (it broke into the register's
        # account, and said 'official statement' twice: an outside reader)
        text += (f" In {ph.when(contracts.date, contracts['date_precision'])}, "
                 f"{md(str(contracts['description']).rstrip('.'))}: a statement"
                 + (" known only from news reports of it" if contracts["confidence"] != "high"
                    else "") + ", not register data.")
    return s.text(text)


def new_partners(s):
    d = s.ev.arms_deliveries
    rows = d[(d["recipient"] == s.p.focus) & d["supplier"].isin(s.p.partners)]
    if rows.empty:
        return s.text(f"SIPRI records no deliveries of major arms from {listing(s.p.partners)} "
                      f"to {md(s.p.focus)} in this window.")
    grouped = (rows.groupby(["supplier", "designation", "description"], as_index=False)
               .agg(ordered=("order_year", year_runs), first=("delivery_year", "min"),
                    years=("delivery_year", year_runs), units=("units_delivered", "sum"),
                    estimate=("units_is_estimate", "max"), tiv=("tiv_delivered_m", "sum"),
                    low=("confidence", lambda c: (c == "low").any())))
    grouped = grouped.sort_values(["first", "supplier"])
    table = pd.DataFrame({
        "Supplier": grouped["supplier"],
        "Weapon": grouped["designation"] + grouped["low"].map(lambda x: unconfirmed(
            "low" if x else "high")),
        "Type": grouped["description"],
        "Ordered": grouped["ordered"],
        "Delivered": grouped["years"],
        "Units": units_cells(grouped["units"], grouped["estimate"], missing=""),
        "TIV (m)": grouped["tiv"].map(lambda v: num(v, 1)),
    })
    # the caption names the partners that delivered; the note, those that did not
    came = [p for p in s.p.partners if p in set(grouped["supplier"])]
    absent = [p for p in s.p.partners if p not in came]
    return s.table(table, f"Major arms delivered to {s.p.focus} by {ph.names(came)} "
                          "(SIPRI register)", data=[rows], key="partner_systems",
                   note=(f"None recorded from {ph.names(absent, 'or')}. " if absent else "")
                   + f"{UNITS_NOTE} Ordered: the year of the order as "
                        "SIPRI's register dates it, which can differ from the year a deal was "
                        "first reported in the press.")


def diversification_steps(events: pd.DataFrame, deployments: pd.DataFrame, focus: str,
                          rival: str, patron: str, partners, sections=(5, 6, 7)) -> pd.DataFrame:
    """Events and deployments that tie ``focus`` to a partner, without the rival or the patron.

    Events of the report's later sections only (the diversification story); a partner's
    deployment in ``focus`` replaces the event that reports its start (it carries its duration).
    """
    cols = ["event_id", "date", "end_date", "date_precision", "category", "title", "partner",
            "source_id", "confidence"]
    actors = events["actors"].fillna("").str.split(";")
    keep = actors.map(lambda a: focus in a and any(p in a for p in partners)
                      and rival not in a and patron not in a)
    steps = events[keep & ~events["category"].isin(NOT_DIVERSIFICATION)
                   & events["section"].isin(list(sections))]
    steps = steps.assign(partner=steps["actors"].str.split(";").map(
        lambda a: next(p for p in partners if p in a)))
    dep = deployments[(deployments["host"] == focus) & deployments["deployer"].isin(partners)]
    dep = pd.DataFrame({
        "event_id": dep["deployment_id"], "date": dep["start_date"], "end_date": dep["end_date"],
        "date_precision": "day", "category": "security",
        # a step, not a name: 'EU Mission in Armenia (EUMA) begins work'
        "title": dep["name"] + (dep["kind"] if "kind" in dep else pd.Series("", dep.index)).map(
            lambda k: " begins work" if "mission" in str(k) else " begins"),
        "partner": dep["deployer"],
        "source_id": dep["source_id"], "confidence": dep["confidence"]})
    if not dep.empty and not steps.empty:
        starts = set(zip(dep["date"], dep["partner"], strict=True))
        steps = steps[[(d, p) not in starts for d, p in
                       zip(steps["date"], steps["partner"], strict=True)]]
    frames = [f[cols] for f in (steps, dep) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = in_date_order(pd.concat(frames, ignore_index=True))
    return out.reset_index(drop=True).assign(no=lambda f: range(1, len(f) + 1))


def _steps(s) -> pd.DataFrame:
    return diversification_steps(s.ev.events, s.ev.deployments, s.p.focus, s.p.rival,
                                 s.p.patron, s.p.partners)


def diversification_chart(s):
    steps = _steps(s)
    if steps.empty:
        return s.text(f"By {date(s.p.as_of)} the evidence base records no step between "
                      f"{md(s.p.focus)} and {md(ph.names(s.p.partners, 'or'))} without "
                      f"{md(s.p.patron)} or {md(s.p.rival)}.")
    lanes = [p for p in s.p.partners if p in set(steps["partner"])]
    fig, ax = theme.new_figure((6.6, 1.2 + 0.6 * len(lanes)))
    lane_y = {p: i for i, p in enumerate(reversed(lanes))}
    limit = pd.Timestamp(s.p.as_of)
    for _, ev in steps.iterrows():
        y, colour = lane_y[ev["partner"]], theme.colour(ev["partner"])
        ongoing = pd.isna(ev["end_date"]) and str(ev["event_id"]).startswith("D")
        end = limit if ongoing else ev["end_date"]
        if pd.notna(end) and end > ev["date"]:
            ax.plot([ev["date"], end], [y, y], color=colour, lw=6, alpha=0.3,
                    solid_capstyle="butt")
        charts.event_mark(ax, ev["date"], ev["date_precision"], y, colour,
                          ev["confidence"] == "low", size=26, until=limit)
    # numbers (keyed in the table that follows): above the dot, else below it, else further out,
    # whichever slot has no number within 150 days (two numbers never run together)
    slots = (10, -10, 17, -17)
    for _, rows in steps.groupby("partner"):
        last_at: dict[int, pd.Timestamp] = {}
        for _, ev in rows.iterrows():
            free = [o for o in slots
                    if o not in last_at or (ev["date"] - last_at[o]).days >= 150]
            at = free[0] if free else min(slots, key=lambda o: last_at[o])
            ax.annotate(str(ev["no"]), (charts.event_x(ev["date"], ev["date_precision"], limit),
                                        lane_y[ev["partner"]]),
                        xytext=(0, at), textcoords="offset points",
                        ha="center", va="center", fontsize=6.5, color=theme.INK)
            last_at[at] = ev["date"]
    ax.set_yticks(list(lane_y.values()), list(lane_y))
    ax.set_ylim(-0.6, len(lanes) - 0.4)
    pad = pd.Timedelta(days=120)
    ax.set_xlim(steps["date"].min() - pad, max(steps["date"].max(), limit) + pad)
    ax.grid(axis="y", visible=False)
    if steps["date_precision"].map(charts.coarse).any():
        ax.text(1.0, 1.02, charts.COARSE_NOTE, transform=ax.transAxes, ha="right", va="bottom",
                fontsize=6.5, color=theme.MUTED)
    first, last = steps["date"].min(), steps["date"].max()
    return s.figure(
        fig, key="diversification",
        # 'between', 'by either side or both', not 'tied' or 'toward each other': some steps
        # are one side's own (a law, a sale; readers)
        caption=(f"Steps between {s.p.focus} and {ph.names(lanes)}, by either side or both, "
                 f"{span(f'{first:%Y}', f'{last:%Y}')} (numbers as in the table below)"),
        alt=(f"Timeline with one lane per partner ({', '.join(lanes)}) showing {len(steps)} "
             f"dated steps from {first:%B %Y} to {last:%B %Y}; missions and exercises are "
             "drawn as bars for as long as they ran."),
        data=[steps],
        note="Bars: missions and exercises for as long as they ran (to the as-of date if "
             "still running)."
             + charts.hollow_note(steps)
             + (f" No step with {ph.names([p for p in s.p.partners if p not in lanes], 'or')} "
                "is recorded in this window." if len(lanes) < len(s.p.partners) else ""))


def diversification_table(s):
    steps = _steps(s)
    if steps.empty:
        return s.text("")
    table = pd.DataFrame({
        "No.": steps["no"].astype(str),
        "Date": [ph.when(d, p) for d, p in zip(steps["date"], steps["date_precision"],
                                                  strict=True)],
        "Partner": steps["partner"],
        "Step": steps["title"] + steps["confidence"].map(unconfirmed),
    })
    if len(table) > 25:
        table = table.tail(25)
    return s.table(table, f"Steps between {s.p.focus} and its partners, by either side or both, in date order",
                   data=[steps], key="diversification_steps",
                   note=(("Only the 25 latest steps are listed." if len(steps) > 25 else "")
                         + order_note(steps)).strip() or None)


def votes_chart(s):
    votes, shown = _vote_countries(s)
    if votes.empty or s.p.focus not in shown:
        return s.text(f"By {date(s.p.as_of)} the evidence base records no vote of "
                      f"{md(s.p.focus)} at the UN General Assembly on Ukraine.")
    fig = charts.vote_grid(votes, shown, size=(6.6, 0.75 + 0.55 * len(shown)))
    first, last = votes["date"].min(), votes["date"].max()
    whole, para = topic_votes(votes)
    n, k = whole["resolution"].nunique(), para["resolution"].nunique()
    what = plural(n, "UN General Assembly resolution") + (
        f" and {plural(k, 'separate vote')} on a paragraph (marked \u00b6)" if k else "")
    return s.figure(
        fig, key="votes",
        caption=(f"Votes of {listing(shown)} on {what} on Ukraine, "
                 + (f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}")),
        alt=(f"Grid of {len(shown)} countries by {num(n + k)} votes, on {what}. Each cell shows "
             f"the country's vote (yes, no, abstain or absent). {s.p.focus} on the "
             f"resolutions: "
             + ", ".join(f"{k} {v}" for k, v in vote_counts(votes, s.p.focus).items() if v)
             + "."),
        data=[votes], keys_unconfirmed=True,
        note="'?' = vote not confirmed in a published record; hatched = no vote recorded "
             "in the evidence base." + _contested_note(votes))


def _contested_note(votes: pd.DataFrame) -> str:
    """What a cell with two votes means, by the first such cell ('' if there is none)."""
    both = votes[votes["vote_contested"].notna()] if "vote_contested" in votes else votes[:0]
    if both.empty:
        return ""
    first = both.sort_values("date").iloc[0]
    cell = charts.vote_label(first["vote"], first["confidence"] == "low", first["vote_contested"])
    return (f" Two votes in one cell ('{cell.replace(chr(10), ' ')}'): the published records "
            "disagree; the first is the one counted in the text.")


def _plain_title(title: str) -> str:
    """A vote's short title without its bracketed note: 'UN-Council of Europe cooperation'."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(title)).replace("UN-", "UN\u2013")


def _votes_in_favour(yes: pd.DataFrame) -> str:
    """The sentence naming what the focus country voted for, each subject once with its months
    ('UN–Council of Europe cooperation (April 2023 and April 2025)'); '' if it never did."""
    if yes.empty:
        return ""
    yes = yes.sort_values("date")
    by_title: dict[str, list[str]] = {}
    for title, day in zip(yes["title_short"], yes["date"], strict=True):
        by_title.setdefault(_plain_title(title), []).append(f"{pd.Timestamp(day):%B %Y}")
    subjects = [f"{t} ({listing(months, escape=False)})" for t, months in by_title.items()]
    if len(yes) > 1 and len(by_title) == 1:
        return (f" {'Both' if len(yes) == 2 else 'All ' + count_word(len(yes))} of its votes in "
                f"favour were on the same subject, {md(subjects[0])}, rather than on the war "
                "itself.")
    return (f" Its {'only vote' if len(yes) == 1 else 'votes'} in favour "
            f"{'was' if len(yes) == 1 else 'were'} on {listing(subjects)}.")


def votes_text(s):
    votes = s.ev.un_votes
    counts = vote_counts(votes, s.p.focus)
    total = sum(counts.values())
    if total == 0:  # the chart's place already says so
        return s.text("")
    whole, para = topic_votes(votes[votes["country"] == s.p.focus])
    low = unconfirmed_votes(votes, s.p.focus)
    parts = [f"{VOTE_WORDS[v]} {times(c)}" for v, c in counts.items() if c]
    text = (f"On the {plural(total, 'resolution')} bearing on Ukraine recorded here, "
            f"{md(s.p.focus)} {listing(parts)}")
    disputed = contested_clause(votes, s.p.focus)
    text += (f" ({count_word(low)} of these votes could not be confirmed in a published "
             "record)."
             if low else ".")
    if disputed:
        n = len(contested_votes(votes, s.p.focus))
        text += (f" On {'one of these votes' if n == 1 else count_word(n) + ' of them'} the "
                 f"published records disagree: {md(disputed)}.")
    text += _votes_in_favour(whole[whole["vote"] == "yes"])
    for r in para.sort_values("date").itertuples():
        base = PARAGRAPH_VOTE.sub("", r.resolution).strip()
        on_base = whole.loc[whole["resolution"] == base, "vote"]
        differs = not on_base.empty and on_base.iloc[0] != r.vote
        text += (f" In a separate vote on one paragraph of the {r.date:%B %Y} resolution, not "
                 f"counted above, it {VOTE_WORDS[r.vote]}"
                 + (f", although it {VOTE_WORDS[on_base.iloc[0]]} on the resolution as a whole."
                    if differs else "."))
    compare, disputes = [], []
    for c in [c for c in dict.fromkeys(votes["country"]) if c != s.p.focus]:
        oc = vote_counts(votes, c)
        if sum(oc.values()):  # every way it voted: an absence is not a vote against
            theirs, clause = unconfirmed_votes(votes, c), contested_clause(votes, c)
            compare.append(f"{md(c)} " + listing(f"{VOTE_WORDS[v]} {times(n)}"
                                                 for v, n in oc.items() if n)
                           + f" (of {plural(sum(oc.values()), 'resolution')} recorded for it"
                           + (f"; {'its vote' if theirs == 1 else 'its votes'} on "
                              f"{count_word(theirs)} could not be confirmed" if theirs else "")
                           + ")")
            if clause:  # a sentence of its own after the comparison, not a third clause in it
                disputes.append(f" On one of {md(c)}'s votes the published records "
                                f"disagree: {md(clause)}.")
    away, sided = counts["abstain"] + counts["absent"], counts["yes"] + counts["no"]
    if away > sided:  # before the comparison, so that "its" is still the focus country's
        text += (f" Abstentions and absences outnumbered its yes and no votes, {num(away)} to "
                 f"{num(sided)}: on most of these resolutions {md(s.p.focus)} took neither side.")
    text += _since_the_shift(s, votes)
    if compare:
        text += " For comparison, " + "; ".join(compare) + "." + "".join(disputes)
    return s.text(text)


def _since_the_shift(s, votes: pd.DataFrame) -> str:
    """The focus country's votes before and from the first change of the shift the key findings
    name (when the edition knows one): whether its votes moved with it."""
    steps = s.findings.break_steps
    if len(steps) < MIN_BREAK_STEPS:
        return ""
    start = pd.Timestamp(steps[0][0])
    mine = votes[votes["country"] == s.p.focus]
    after, before = (vote_counts(mine[mine["date"] >= start], s.p.focus),
                     vote_counts(mine[mine["date"] < start], s.p.focus))
    if not sum(after.values()) or not sum(before.values()):
        return ""
    said = listing([f"{VOTE_WORDS[v]} {times(n)}" for v, n in after.items() if n])
    most = max(VOTE_WORDS, key=lambda v: after[v])
    kept = most == max(VOTE_WORDS, key=lambda v: before[v])
    return (f" Since the {md(steps[0][1])} on {date(start)}, it {said} in "
            f"{plural(sum(after.values()), 'resolution')}; in the "
            f"{plural(sum(before.values()), 'resolution')} before, it had voted yes "
            f"{times(before['yes'])}."
            + (f" {sentence_start(VOTE_READINGS[most])} stayed its most common vote." if kept
               else ""))


# ---------------------------------------------------------------------------- the answer

def takeaway(s):
    """What the section's data say and do not say: who supplies the arms now, the steps with
    the partners and the votes, each from the part of the section that shows it."""
    f, says = s.findings, []
    latest, change = f.arms_latest, f.share("arms")
    if latest is not None and latest.shares:
        fig = sections.label("figure", "suppliers")
        if f.new_leader is not None:
            says.append(f"{md(f.new_leader.label)} overtook {md(s.p.patron)} as "
                        f"{md(s.p.focus)}'s largest supplier of major arms in {latest.window} "
                        f"({fig})")
        elif change is not None and change.earlier.known and change.direction == "down":
            says.append(f"{md(s.p.patron)} still supplied most of {md(s.p.focus)}'s major "
                        f"arms in {latest.window}, though a smaller share than ten years before "
                        f"({fig})"
                        if (latest.of(s.p.patron).value or 0) > 50 else
                        f"{md(s.p.patron)}'s share of its major arms fell from "
                        f"{change.earlier.window} to {latest.window} ({fig})")
    steps = _steps(s)
    if not steps.empty:
        # in the order the report names the partners everywhere (parameters), those with steps
        partners = [p for p in s.p.partners if p in set(steps["partner"])]
        # taken by either side: some are the focus country's own acts, such as a law on joining
        # the EU, some the partners', such as a mission's start (outside readers)
        says.append(f"the evidence base records {plural(len(steps), 'step')} between "
                    f"{md(s.p.focus)} and {md(ph.names(partners))} from "
                    f"{steps['date'].min().year} on, by one side or both "
                    f"({sections.label('table', 'diversification_steps')})")
    counts = vote_counts(s.ev.un_votes, s.p.focus)
    away, sided = counts["abstain"] + counts["absent"], counts["yes"] + counts["no"]
    if away > sided:
        says.append("at the UN General Assembly it took neither side on most resolutions on "
                    f"Ukraine ({sections.label('figure', 'votes')})")
    if not says:
        return s.text("")
    text = (f"What the data say: {md(s.p.focus)} has added partners beside {md(s.p.patron)}: "
            + listing(says, escape=False, clauses=True) + ". What they do not say: what any "
            f"partner would do if {md(s.p.focus)} were attacked. None of the steps is a "
            "commitment to its defence, and arms ordered but not yet delivered do not show in "
            "the register.")
    rated = ledger.ratings_of(s, 5, list(steps["event_id"]))
    claims = s.ev.claims
    ours = claims.loc[claims["section"] == 5, "claim"].map(  # the article's cast, not another
        lambda c: s.p.focus in c and s.p.patron in c)
    if rated and ours.any():
        text += (" The claim ledger (Appendix A) rates the article's claim on diversification "
                 f"{rated}.")
    return s.text(text)
