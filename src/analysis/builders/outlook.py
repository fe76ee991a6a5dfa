"""Section 7, outlook: the indicators to watch (where each stands, its trend, what a further move
would signal), how opinion moved, and what happened after the article, up to the as-of date."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .. import charts, sections, theme
from .. import phrasing as ph
from ..evidence import conflict_ended_by, memo
from ..evidence_refs import in_date_order
from ..findings import MIN_BREAK_STEPS
from ..measures import shares
from ..measures.compare import turned_back
from ..measures.presence import active_on, changes_between, last_change, standing
from ..prose import date, listing, md, month, num, pct, span
from ._common import (
    count_word,
    event_table,
    events_matching,
    how_many,
    losses_table,
    mid_sentence,
    plural,
    sentence_start,
)
from .consequences import flow_shares
from .summary import shift_pointer

#: two answers closer than this (in points) are read as "about as often" (sampling error)
CLOSE_POINTS = 3
#: the markers of a panel's lines, in order (one colour can draw several lines)
MARKERS = ("o", "s", "^", "D")
SURVEY_SHORT = {"CRRC Caucasus Barometer": "CRRC", "IRI Public Opinion Survey": "IRI"}
#: what a further move of each indicator would signal: (if it moves toward the partners,
#: if it moves back toward the patron); {patron} is filled in by :func:`signals`
SIGNALS = {
    "arms": ("drift toward the partners, as new suppliers replace {patron}'s arms",
             "re-alignment, with more of the arms coming from {patron} again"),
    "trade": ("drift toward the partners, with less exposure to {patron}'s market",
              "re-alignment, with more of the trade tied to {patron}'s market"),
    "gas": ("less dependence on {patron}, through a second supplier or route",
            "deeper dependence on one supplier for most gas"),
    "remittances": ("less exposure to {patron}'s economy through the money sent from it",
                    "more exposure to {patron}'s economy through the money sent from it"),
    "patron_presence": ("drift toward the partners, with fewer of {patron}'s forces on the ground",
                        "re-alignment, with new or returning deployments"),
    "partner_presence": ("drift toward the partners, with more partner missions on the ground",
                         "re-alignment, as partner missions end"),
    "threat": ("drift toward the partners, as the public comes to see {patron} as a threat",
               "re-alignment, as the public's view of {patron} recovers"),
}


def signals(key: str, patron: str) -> tuple[str, str]:
    """What a further move of indicator ``key`` would signal, naming the patron (plain text)."""
    west, east = SIGNALS[key]
    return west.format(patron=patron), east.format(patron=patron)


def _signal(patron: str, key: str, down_word: str = "falls", up_word: str = "rises") -> str:
    west, east = signals(key, patron)
    return f"If it {down_word}: {west}. If it {up_word}: {east}."


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def after(events: pd.DataFrame, day) -> pd.DataFrame:
    """Events dated strictly after ``day``."""
    return in_date_order(events[events["date"] > pd.Timestamp(day)])


def _article(s):
    """The article's date (anchor ``article_date``): an Anchor, or a NotYet before it."""
    return s.ev.anchor("article_date")


def events_after_article(s) -> pd.DataFrame:
    """Events dated after the article, as cut at as_of (none before the article)."""
    article = _article(s)
    return after(s.ev.events, article.date) if article else s.ev.events.iloc[0:0]


when = ph.when


# ---------------------------------------------------------------------- narration
def intro(s):
    """The section's question, naming the cast from the parameters; the article's date only
    once the edition has reached it."""
    article = _article(s)
    return s.text(
        # it sets out what to watch; it makes no forecast of its own (an outside reader)
        "This section takes stock on " + date(s.p.as_of) + " and sets out what to watch. It "
        "asks which indicators "
        f"would show {md(s.p.focus)} drifting toward its partners "
        f"({md(ph.names(s.p.partners))}), re-aligning with {md(s.p.patron)} or caught between "
        f"them; where each stands and which way it has moved; and how public opinion of "
        f"{md(s.p.patron)} moved"
        + (f". Then it follows what happened after {date(article.date)}, the date of the news "
           "analysis whose claims Appendix A checks, up to the edition's date"
           if article and article.date < pd.Timestamp(s.p.as_of) else "")
        + f". Last, it sets out, by date and without assigning causes, the setbacks for "
          f"{md(s.p.focus)} and what came from {md(s.p.patron)} as {md(s.p.focus)} took steps "
          "toward other partners.")


def opinion_intro(s):
    rows = opinion_series(s.ev.opinion, s.p.patron, s.p.partners)
    surveys = list(dict.fromkeys(rows["survey"]))
    if not surveys:
        return s.text("")  # the chart's place says there is no survey wave
    if len(surveys) == 1:
        return s.text(f"One survey series asks people in {md(s.p.focus)} about "
                      f"{md(s.p.patron)}; it is read only against its own earlier waves.")
    return s.text(f"{count_word(len(surveys), capital=True)} survey series ask people in "
                  f"{md(s.p.focus)} about {md(s.p.patron)} in different ways. They are shown "
                  "side by side, never joined, because their questions and answer rules differ.")


# ---------------------------------------------------------------------- indicators to watch
@dataclass(frozen=True)
class Watch:
    indicator: str  # plain text
    short: str  # plain text, lower case: "trade"
    stands: str  # plain text: where it stands now
    trend: str  # plain text: direction over the windows, with a reference
    signal: str  # plain text: what a further move would signal
    toward: str  # "partners", "patron", "flat", "mixed" (turned back) or "" (unknown)
    source_ids: tuple[str, ...] = ()
    confidence: str = "high"
    #: plain text: how far the latest reading went back, for an indicator still counted on its
    #: side ('which rose from 15% in Nov-Dec 2021 to 40% in Dec 2023, though it was 29% in Feb
    #: 2026'), said after its short name; else ''
    partly: str = ""
    #: plain text: why an indicator that moved neither way shows no direction, when it is not
    #: the shares' 'little or no change' (a flat share) or 'no comparable earlier window'
    still: str = ""
    #: plain text: where the latest reading of a share that turned back stands ('midway between
    #: its 2013–2017 and 2020–2024 levels', 'above its 2013–2017 level'), else ''
    position: str = ""


def _share_watch(s, key: str) -> Watch | None:
    f = s.findings
    c = f.share(key)
    if c is None:
        return None
    figure = sections.number_of("figure", "dependence")
    year = s.share_series(key)
    turned = f.turned(key)  # the latest year, when it undid half the move or more
    stands, rel, position = "", "", ""
    if key != "arms" and not year.empty:
        last = year.iloc[-1]
        avg = c.latest.value
        rel = ("above" if last["share_pct"] > avg + 0.5 else "below"
               if last["share_pct"] < avg - 0.5 else "at")
        yearly = sections.number_of("figure", "dependence_over_time")  # the yearly shares
        stands = (f"{pct(last['share_pct'])} in {int(last['year'])} (Figure {yearly}), {rel} "
                  f"its share over {c.latest.window}")
        if key == "trade":  # one share of two flows that can move apart: each said (section 6)
            flows = flow_shares(s)
            flows = flows[flows["year"] == last["year"]].set_index("flow")["share_pct"]
            if {"exports", "imports"} <= set(flows.index):
                stands += (f"; {pct(flows['exports'])} of exports, {pct(flows['imports'])} of "
                           "imports (section 6)")
    elif key == "arms" and f.patron_last_delivery is not None:
        ends = int(s.ev.arms_imports["year"].max())
        stands = (f"{pct(c.latest.value)} in {c.latest.window} (Figure {figure}); "
                  # the edition's cut of the register, not the export's own last year (the
                  # 2023 edition reads an export holding 2023: an outside reader)
                  + (f"last recorded delivery in {f.patron_last_delivery}, the last year of "
                     "SIPRI data in this edition" if ends == f.patron_last_delivery
                     else f"no delivery from {f.patron} recorded after "
                     f"{f.patron_last_delivery}; SIPRI data in this edition run to {ends}")
                  + (ph.NEWER_REGISTER if f.register_newer else ""))
    trend = f"{c.direction}, {c.earlier.window} to {c.latest.window} (Figure {figure})"
    if c.direction == "n/a":
        since = f.gapless_from.get(key)
        trend = (f"{ph.no_earlier(since)} (Figure {figure})" if since is not None
                 else f"one window only (Figure {figure})")
    toward = {"down": "partners", "up": "patron", "about the same": "flat"}.get(c.direction, "")
    # a share that turned back counts on neither side; the latest year itself is where it
    # stands (one column says it): the trend gives the two averages and how far it went back,
    # in key finding 5's words (whole points, as Figure 1.2 prints them)
    if turned:
        toward = "mixed"
        last = turned[1]
        before = ph.year_before(c, s.findings.prior_year.get(key), last)
        position = ph.undone(c, last)
        trend = (f"{c.direction}, {c.earlier.window} to {c.latest.window} "
                 f"({pct(c.earlier.value)} to {pct(c.latest.value)}; Figure {figure}); the "
                 f"latest year is {position}{before}")
    label = shares.LABELS[key].lower()
    return Watch(f"{s.p.patron}'s share of {s.p.focus}'s {label}", label,
                 stands or f"see Figure {figure}", trend, _signal(s.p.patron, key), toward,
                 c.source_ids, c.confidence, position=position)


def _named(names: list[str]) -> str:
    """Deployments in a table cell: a few are named, more are counted (plain text)."""
    return listing(names, escape=False) if len(names) <= 3 else count_word(len(names))


def _presence_since(s) -> tuple[pd.Timestamp, str]:
    """From when the deployment rows count changes, and how the trend says it: the article's
    date once the edition is past it (the report follows it), else a year before the edition's
    date."""
    article = _article(s)
    if article and article.date < pd.Timestamp(s.p.as_of):
        return article.date, f"after the article of {date(article.date)}"
    return pd.Timestamp(s.p.as_of) - pd.DateOffset(years=1), "in the last year"


def _presence_watch(s) -> list[Watch]:
    table = sections.number_of("table", "presence")
    dep = s.ev.deployments
    since, period = _presence_since(s)
    # counted: what stays on the ground; an exercise is named, not counted (one running on
    # either day would move the count for a few days)
    lasting = standing(dep)
    out = []
    for key, deployers, host, label in (
            ("patron_presence", [s.p.patron], None, (f"{s.p.patron}'s deployments in and around "
             f"{s.p.focus}")),
            ("partner_presence", list(s.p.partners), s.p.focus, (f"Partners' deployments in "
             f"{s.p.focus}"))):
        now = active_on(dep, deployers, s.p.as_of, host)
        kept = dep["kind"].isin(list(lasting))
        moves, drills = (_moves(dep[kept], deployers, since, s.p.as_of, host),
                         _moves(dep[~kept], deployers, since, s.p.as_of, host))
        if moves:  # a table cell: plain text
            trend = f"{period[0].upper()}{period[1:]}: {'; '.join(moves)}"
        else:  # when the last change came: a quiet year can follow a break
            last = last_change(dep[kept], deployers, s.p.as_of, host)
            # 'none began or ended', not 'no change': a deployment may change in scope or
            # strength meanwhile (the timeline lists such steps)
            trend = (f"none has begun or ended since {month(last)}" if last is not None else
                     f"none began or ended {period}")
        if drills:  # exercises: listed, not counted (the table's note says so)
            trend += f"; exercises{'' if moves else ' ' + period}: {'; '.join(drills)}"
        trend += f" (Table {table})"
        counted = [len(active_on(dep, deployers, day, host, kinds=lasting))
                   for day in (since, s.p.as_of)]
        fewer, more = counted[1] < counted[0], counted[1] > counted[0]
        if key == "patron_presence":
            toward = "partners" if fewer else "patron" if more else "flat"
            signal = _signal(s.p.patron, key, "shrinks", "grows")
            short = f"{s.p.patron}'s deployments"
        else:
            toward = "partners" if more else "patron" if fewer else "flat"
            west, east = signals(key, s.p.patron)
            signal = f"If it grows: {west}. If it shrinks: {east}."
            short = "partners' deployments"
        # the two counts the direction rests on, not a pointer alone (an outside reader)
        stands = (f"{how_many(counted[1])} in place on {date(s.p.as_of)}, against "
                  f"{how_many(counted[0])} on {date(since)}")
        if host is None:  # 'in and around': the count on the focus country's own soil too, when
            # a deployment abroad moves it (an outside reader counted the peacekeepers' exit
            # from Azerbaijan as the focus country's step)
            home = [len(active_on(dep, deployers, day, s.p.focus, kinds=lasting))
                    for day in (since, s.p.as_of)]
            if counted[0] - home[0] != counted[1] - home[1]:
                stands += (f"; in {ph.the(s.p.focus)} itself, {how_many(home[1])} against "
                           f"{how_many(home[0])}")
        stands += f" (Table {table})"
        out.append(Watch(label, short, stands, trend, signal, toward,
                         tuple(dict.fromkeys(now["source_id"])), ph_weakest(now),
                         # a change in size not counted: said once, in the table's note
                         still="the same number in place"))
    return out


def _moves(rows: pd.DataFrame, deployers, since, until, host) -> list[str]:
    """'X ended and Y began', 'Z began and ended': the deployments of ``rows`` by
    ``deployers`` that changed after ``since`` up to ``until`` (plain text, for a table cell)."""
    ended, started = changes_between(rows, deployers, since, until, host)
    # one that began and ended within the period (a short exercise) is said once
    both = sorted(set(ended) & set(started))
    ended = [n for n in ended if n not in both]
    started = [n for n in started if n not in both]
    moves = ([f"{_named(ended)} ended"] if ended else []) + (
        [f"{_named(started)} began"] if started else [])
    return ([" and ".join(moves)] if moves else []) + (
        [f"{listing(both, escape=False)} began and ended"] if both else [])


def ph_weakest(rows: pd.DataFrame) -> str:
    from ..measures.result import weakest

    return weakest(rows["confidence"]) if "confidence" in rows else "high"


def _partner_in_last_wave(op: pd.DataFrame, survey: str, last, patron: str) -> str:
    """'; from Dec 2023 to Feb 2026, the share naming Russia a top political partner went from
    34% to 43%' (the waves named: 'from the wave before to that one' puzzled a reader):
    the same survey's partner question in the threat series' latest wave against the wave before
    it, when both were asked (a reader asked why the row follows one question of two that
    moved back together), else ''."""
    rows = op[(op["survey"] == survey) & (op["question_id"] == "top_political_partner")
              & (op["answer"] == patron)].sort_values("fieldwork_date")
    if len(rows) < 2 or rows.iloc[-1]["wave"] != last["wave"]:
        return ""
    before, now = rows.iloc[-2], rows.iloc[-1]
    return (f"; from {before['wave']} to {now['wave']}, the share naming {patron} a top "
            f"political partner went from {pct(before['share_pct'])} to {pct(now['share_pct'])}")


def _threat_watch(s) -> Watch | None:
    op = s.ev.opinion
    rows = op[(op["question_id"] == "top_political_threat") & (op["answer"] == s.p.patron)]
    if rows.empty:
        return None
    newest = rows.sort_values("fieldwork_date").iloc[-1]["survey"]
    rows = rows[rows["survey"] == newest].sort_values("fieldwork_date")  # one survey only
    first, last = rows.iloc[0], rows.iloc[-1]
    survey = SURVEY_SHORT.get(newest, newest)
    delta = last["share_pct"] - first["share_pct"]
    direction = "up" if delta >= 0.5 else "down" if delta <= -0.5 else "about the same"
    trend = (f"{direction}, {first['wave']} to {last['wave']} ({survey})"
             if len(rows) > 1 else "one wave only")
    m = movement(rows) if len(rows) > 1 else None
    turned, partly = False, ""
    if m is not None and m["turn"] is not None:
        # the latest waves went back: said so; counted as mixed by the shares' rule, when the
        # last wave has undone at least half of the move from the first wave to the turn
        trend = f"{_moved(m, numbers=False)} ({survey})"  # the numbers: in the text below
        to_turn = "up" if m["turn"]["share_pct"] > first["share_pct"] else "down"
        turned = turned_back(to_turn, last["share_pct"], first["share_pct"],
                             m["turn"]["share_pct"])
        # how much of the move the latest wave undid: the rule's margin, said (half decides)
        moved = m["turn"]["share_pct"] - first["share_pct"]
        if abs(moved) >= 0.5:
            undone = 100 * (m["turn"]["share_pct"] - last["share_pct"]) / moved
            trend += (f"; the latest wave has undone {pct(undone)} of the "
                      f"{'rise' if to_turn == 'up' else 'fall'}")
            if not turned:  # in numbers, not the rule's margin (Table 7.1 gives that)
                mk = ph.mark(ph_weakest(rows))
                partly = (f"which {'rose' if to_turn == 'up' else 'fell'} from "
                          f"{pct(first['share_pct'])}{mk} in {first['wave']} to "
                          f"{pct(m['turn']['share_pct'])}{mk} in {m['turn']['wave']}, though "
                          f"it was {pct(last['share_pct'])}{mk} in {last['wave']}")
    if m is not None and m["turn"] is not None:
        trend += _partner_in_last_wave(op, newest, last, s.p.patron)
    west, east = signals("threat", s.p.patron)
    return Watch(f"Share of {s.p.focus}'s public naming {s.p.patron} a top threat",
                 # the share is what moves, not the respondents (an outside reader)
                 f"the share of respondents naming {s.p.patron} a top threat",
                 # where the latest wave stands (the text below the chart gives the path)
                 f"{pct(last['share_pct'])} in {last['wave']} ({survey}; Figure "
                 f"{sections.number_of('figure', 'opinion')})", trend,
                 f"If it rises: {west}. If it falls: {east}.",
                 {"up": "partners", "down": "patron", "about the same": "flat"}[direction]
                 if len(rows) > 1 and not turned else "mixed" if turned else "",
                 tuple(rows["source_id"]),
                 ph_weakest(rows), partly)


def watch_list(s) -> list[Watch]:
    items = [_share_watch(s, k) for k in shares.INDICATORS]
    items += _presence_watch(s)
    items.append(_threat_watch(s))
    return [w for w in items if w is not None]


def indicators_to_watch(s):
    items = watch_list(s)
    table = pd.DataFrame({
        "Indicator": [w.indicator + (" (unconfirmed)" if w.confidence == "low" else "")
                      for w in items],
        "Where it stands": [w.stands for w in items],
        "Trend": [w.trend for w in items],
        "A further move would signal": [w.signal for w in items],
    })
    used = pd.DataFrame([(i, w.confidence) for w in items for i in w.source_ids],
                        columns=["source_id", "confidence"])
    return s.table(table, f"Indicators to watch: {s.p.focus} between {s.p.patron} and its "
                          f"partners, as of {date(s.p.as_of)}", data=[used], key="watch",
                   note=("Shares: the latest complete five-year window against an earlier "
                         "one, as in the figure named. 'Where it stands' sets the latest year "
                         "beside the latest window's share; for arms, whose single years swing "
                         "on a few deliveries, it gives the window's share and the last year "
                         f"{s.p.patron} delivered major arms. A share counts as turned back when "
                         "its latest year has undone half or more of the move between the "
                         "windows. "
                         f"Deployments: the number in place on {date(_presence_since(s)[0])} "
                         f"against the number on {date(s.p.as_of)}; "
                         "if nothing changed in that time, the indicator shows no direction and its "
                         "row names the last change. Exercises are listed but not counted, and "
                         "a change in a deployment's size is not counted. Opinion: one survey, "
                         "compared only with its own earlier waves; a turn counts by the same "
                         "half-way rule, from the first wave to the peak or low."))


@dataclass(frozen=True)
class Tally:
    """The indicators of the watch table by where they point (plain-text short names)."""

    total: int
    away: tuple[str, ...]  # moved away from the patron over their windows
    toward: tuple[str, ...]  # moved toward it
    mixed: tuple[str, ...]  # turned back in their latest readings
    unplaced: tuple[str, ...]  # no comparable earlier window, or no change to read
    #: (short name, why it shows no direction) for each of ``unplaced``
    why: tuple[tuple[str, str], ...] = ()
    #: (short name, how far its latest reading went back) for those counted on a side anyway
    partly: tuple[tuple[str, str], ...] = ()
    #: (short name, where its latest reading stands) for each of ``mixed``
    positions: tuple[tuple[str, str], ...] = ()


def tally(s) -> Tally:
    """Where the watch table's indicators point: the one count the section's text, its closing
    box, the cost account and the key findings give (computed once per edition and cast)."""
    return memo(s.ev, ("tally", s.p.focus, s.p.patron, s.p.rival, tuple(s.p.partners)),
                lambda: _tally(s))


def _tally(s) -> Tally:
    items = watch_list(s)
    kinds = {"partners": "away", "patron": "toward", "mixed": "mixed"}
    groups = {k: tuple(w.short for w in items if kinds.get(w.toward, "unplaced") == k)
              for k in ("away", "toward", "mixed", "unplaced")}
    why = tuple((w.short, w.still or ("little or no change" if w.toward == "flat" else
                                      "no comparable earlier window"))
                for w in items if w.short in groups["unplaced"])
    return Tally(len(items), **groups, why=why,
                 partly=tuple((w.short, w.partly) for w in items if w.partly),
                 positions=tuple((w.short, w.position) for w in items
                                 if w.short in groups["mixed"]))


def watch_text(s):
    """What the indicators say together: a count, not a verdict."""
    t = tally(s)
    west, east, mixed, unplaced = t.away, t.toward, t.mixed, t.unplaced
    if not t.total:
        return s.text("")
    table = sections.number_of("table", "watch")
    # which ones, beside the count (that they pull both ways is said once, in the closing box:
    # an outside reader found it said twice)
    text = (f"Of the {count_word(t.total)} indicators in Table {table}, "
            # 'windows' fitted the shares, not deployments or survey waves (an outside reader)
            f"{count_word(len(west))} moved away from {md(s.p.patron)} over the "
            f"{'period' if len(west) == 1 else 'periods'} compared"
            + (f" ({listing(west)})" if west else "")
            + f" and {count_word(len(east))} toward it" + (f" ({listing(east)})" if east else "")
            + ".")
    if west and east:
        if shares.LABELS["trade"].lower() in east:
            # the one indicator toward the patron counts gross flows: said beside the count
            # (an outside reader read the 2024 rise as re-alignment, section 6 as transit)
            # (each indicator is named once in the count: "the one toward", not its name)
            text += (f" The one toward {md(s.p.patron)} counts gross flows, re-exports included, "
                     f"so its rise may reflect goods passing through {md(s.p.focus)} as much as "
                     f"closer ties with {md(s.p.patron)} (section 6).")
    elif west:
        text += f" So far the data point one way: a drift away from {md(s.p.patron)}."
    elif east:
        text += f" So far the data point one way: toward {md(s.p.patron)}."
    if mixed:
        one = len(mixed) == 1
        # where each latest reading stands, as its row of the table says (not a rule for all)
        where = (f"its latest reading stands {md(t.positions[0][1])}" if one else
                 "; ".join(f"the latest reading of {md(name)} stands {md(position)}"
                           for name, position in t.positions))
        text += (f" {count_word(len(mixed), True)}, {listing(mixed)}, "
                 f"{'points' if one else 'point'} neither way for now: {where}.")
    if unplaced:  # every indicator accounted for: those the count leaves out, named
        why = [f"{md(name)} ({md(reason)})" for name, reason in t.why]
        text += (f" {count_word(len(unplaced), True)} "
                 f"{'shows' if len(unplaced) == 1 else 'show'} no direction yet: "
                 f"{listing(why, escape=False, clauses=True)}.")
    return s.text(text)


# ---------------------------------------------------------------------- what came after
def _nothing_after(s) -> str:
    article = _article(s)
    if not article:
        return article.sentence()
    from ..figures import NothingText

    return NothingText(f"This edition is dated {date(s.p.as_of)}, the day of the article: "
                       "nothing dated later is used, so this part stays empty.")


#: how many events the post-article timeline labels (the security steps first, then the rest)
MAX_TIMELINE_LABELS = 8


def _months(first, last) -> str:
    """'from September 2023 to February 2026', or 'in September 2023' for one month."""
    return (f"in {month(first)}" if month(first) == month(last) else
            f"from {month(first)} to {month(last)}")


def after_article_timeline(s):
    later = events_after_article(s)
    if later.empty:
        return s.text(_nothing_after(s))
    # the changes of the shift the key findings name come first (the reader looks for them),
    # then the fighting, then the security steps involving the patron, by date, then the rest
    f = s.findings
    named = f.break_events if len(f.break_steps) >= MIN_BREAK_STEPS else ()
    shift = later["event_id"].isin(named)
    fighting = later["category"] == "conflict"
    security = (later["category"] == "security") & later["actors"].fillna("").str.contains(
        s.p.patron)
    rank = later.assign(r=3 - 3 * shift - 2 * (fighting & ~shift) - (security & ~shift))
    label = list(rank.sort_values(["r", "date"])["event_id"].head(MAX_TIMELINE_LABELS))
    chosen = later["event_id"].isin(label)

    def some(rows: pd.Series, one: str, many: str) -> list[str]:
        """'the three security steps involving Russia', or 'the two earliest of the ten ...'
        (the labels go to the earliest of a kind)."""
        total, shown = int(rows.sum()), int((rows & chosen).sum())
        if not shown:
            return []
        if total == 1:
            return [f"the {one}"]
        which = ("the" if shown == total else
                 f"the {'earliest' if shown == 1 else count_word(shown) + ' earliest'} of the")
        return [f"{which} {count_word(total)} {many}"]

    parts = some(shift, "change of the shift named in the key findings",
                 "changes of the shift named in the key findings")
    other = "other " if parts else ""  # than the changes of the shift
    parts += some(fighting & ~shift, "fighting", "events of the fighting")
    # 'events', not 'steps': among them a deadly incident and statements (a reader)
    parts += some(security & ~shift, f"{other}security event involving {ph.the(s.p.patron)}",
                  f"{other}security events involving {ph.the(s.p.patron)}")
    rest = len(label) - int((chosen & (shift | fighting | security)).sum())
    if rest:
        parts.append(plural(rest, "other event"))
    fig = charts.labelled_timeline(later, label_ids=label, wrap=22, max_levels=4)
    first, last = later["date"].min(), later["date"].max()
    table = sections.number_of("table", "after_article")
    return s.figure(
        fig, key="after_article",
        caption=f"After the article: {len(later)} dated events {_months(first, last)}, by kind",
        alt=(f"Timeline of {len(later)} events dated after {date(_article(s).date)}, "
             f"{_months(first, last)}, coloured by kind; labelled: "
             + "; ".join(f"{when(d, p)}, {t}" for d, p, t in zip(
                 later.set_index("event_id").loc[label, "date"],
                 later.set_index("event_id").loc[label, "date_precision"],
                 later.set_index("event_id").loc[label, "title"], strict=True))
             + f". Table {table} lists every event."),
        note=(f"Labelled: {listing(parts, escape=False)}. Table {table} lists every event."),
        data=[later])


def after_article(s):
    later = events_after_article(s)
    if later.empty:
        return s.text("")  # the timeline's place has said so
    first, last = later["date"].min(), later["date"].max()
    return event_table(s, later, "after_article", f"After the article: {len(later)} dated "
                                                  f"events {_months(first, last)}")


def _ended_abroad(s, ended: pd.DataFrame) -> str:
    """', one of them in Azerbaijan': how many of the deployments that ended stood outside the
    focus country, and where (an ending there is not a step the focus country took on its own
    soil; an outside reader counted the peacekeepers' departure as Armenia's). Which they were
    and when each ended, the tables pointed to say (an outside reader found them said twice)."""
    hosts = ended.loc[ended["host"] != s.p.focus, "host"].value_counts(sort=False)
    if hosts.empty:
        return ""
    return ", " + listing((f"{count_word(n)} of them in {md(host)}" for host, n in hosts.items()),
                          escape=False)


def after_article_text(s):
    """What came after the article, before its figure and table: its first sentence says the
    span, from the article to the edition's date (a sentence of its own before it said the same:
    an outside reader)."""
    later = events_after_article(s)
    if later.empty:
        return s.text("")
    by_kind = later["category"].value_counts()
    kinds = listing(f"{k} ({num(n)})" for k, n in by_kind.head(3).items())
    table = sections.number_of("table", "after_article")
    text = (f"Between the article and {date(s.p.as_of)} the evidence base records "
            f"{num(len(later))} events (Table {table}); the largest groups are {kinds}.")
    dep = s.ev.deployments
    ended = dep[dep["end_date"].notna() & (dep["end_date"] > _article(s).date)
                & (dep["deployer"] == s.p.patron)].sort_values("end_date")
    if not ended.empty:
        text += (f" Over the same period {count_word(len(ended))} of {md(s.p.patron)}'s deployments "
                 f"ended (Table {sections.number_of('table', 'presence')})"
                 f"{_ended_abroad(s, ended)}, the last in {month(ended['end_date'].max())}.")
    if len(s.findings.break_steps) >= MIN_BREAK_STEPS:
        # the key finding's reading, argued where its events are: each change is labelled in
        # the timeline, and the indicators above say how far the measured ties followed
        figure = sections.number_of("figure", "after_article")
        # the key finding gives the reading and lists the changes with their dates; here they
        # are labelled in the figure and dated in the table below: pointed to, not said again
        text += (f" {shift_pointer(s.findings)}; each is labelled in Figure {figure} and dated "
                 f"in Table {sections.number_of('table', 'after_article')}. The "
                 f"{count_word(len(s.findings.break_steps))} are this report's choice, not the "
                 "result of a rule; a reader may weigh other steps of the table instead.")
        # (an outside reader asked by what rule they were chosen: there is none, said so)
        # what did not change weighs against the reading: said beside it
        stayed = active_on(dep, [s.p.patron], s.p.as_of, kinds=standing(dep))
        if not stayed.empty:
            presence = sections.number_of("table", "presence")
            names = (f"the {n}" for n in stayed.sort_values("start_date")["name"])
            # the patron-led unions the focus country stayed in weigh against it too (an
            # outside reader found the counterweight thin): said as what the data record
            unions = [label for key, label in (("eaeu_membership", "the EAEU"),
                                               ("csto_treaty", "the CSTO"))
                      if (a := s.ev.anchor(key)) and s.p.patron in str(a["actors"]).split(";")]
            # top-level contact went on too (an outside reader: the counterweight named only
            # forces that stayed): the focus country's leader in the patron's capital
            contact = s.ev.anchor("leaders_contact")
            met = (f"in {month(contact.date)} {md(str(contact['description']).rstrip('.'))} "
                   f"(Table {sections.number_of('table', 'after_article')})"
                   if contact and {s.p.focus, s.p.patron} <= set(str(contact["actors"]).split(";"))
                   else "")
            exit_ = (f"the evidence base records no formal exit by {md(s.p.focus)} from "
                     f"{' or '.join(unions)}" if unions else "")
            parts = [f"{listing(names)} remained in place on {date(s.p.as_of)} (Table {presence})",
                     *(p for p in (met, exit_) if p)]
            # one clause each, semicolons between: three clauses ran on with commas (a review)
            text += (" Against that reading, " + "; ".join(parts[:-1])
                     + ("; and " if len(parts) > 1 else "") + parts[-1] + ".")
    # that the changes are events, not measurements, the section's closing box says
    return s.text(text)


def _toll(s) -> pd.DataFrame:
    """casualties.csv's counts for the offensive after the article (cut at as_of), when the
    story has reached it and it is fought between the report's focus and rival."""
    offensive = s.ev.anchor("offensive_2023")
    if not offensive or not {s.p.focus, s.p.rival} <= set(str(offensive["actors"]).split(";")):
        return s.ev.casualties.iloc[0:0]
    cas = s.ev.casualties
    return cas[cas["conflict"] == conflict_ended_by("offensive_2023")]


#: the exodus, named after the offensive once a count of it is known
FLIGHT = " and the flight from Nagorno-Karabakh that followed"


def _fled(rows: pd.DataFrame) -> bool:
    """Whether the offensive's counts include one of the people who left (the flight)."""
    return bool((rows["measure"] == "displaced").any())


def toll_intro(s):
    rows = _toll(s)
    if rows.empty:
        return s.text("")
    offensive = s.ev.anchor("offensive_2023")
    fled = _fled(rows)
    # the first and gravest of the events, given before the list of them all (an outside
    # reader found the toll after a two-page table)
    later = events_after_article(s)
    first = later["date"].min() >= offensive.date
    return s.text((f"The {num(len(later))} events begin with " if first else
                   f"Among these events {'are' if fled else 'is'} ")
                  + f"{md(s.p.rival)}'s offensive of {date(offensive.date)}"
                  f"{FLIGHT if fled else ''}. Table "
                  f"{sections.number_of('table', 'offensive_toll')} counts what "
                  f"{'the offensive and the flight' if fled else 'the offensive'} cost as each "
                  "source reported it, none independently verified.")


def offensive_toll(s):
    rows = _toll(s)
    if rows.empty:
        return s.text("")  # before the offensive, or another cast: nothing to count
    offensive = s.ev.anchor("offensive_2023")
    # which explosion its row means, the note says: the table reads on its own (an outside
    # reader found 'Killed in an explosion' vague without the paragraph before it)
    # and that nothing here says what caused it (counted with the flight, it read as charged
    # to the offensive: a second reader)
    blast, fled = s.ev.anchor("fuel_depot_2023"), s.ev.anchor("exodus_start")
    during = (", during the flight" if _fled(rows) and fled and blast
              and blast.date >= fled.date else "")
    which = (f"The explosion: the {mid_sentence(str(blast['title']))}, {date(blast.date)}"
             f"{during} (Table {sections.number_of('table', 'after_article')}); the evidence "
             "base records no cause."
             if blast and (rows["measure"] == "killed_in_explosion").any() else "")
    return losses_table(s, rows, (f"Losses in {s.p.rival}'s offensive of "
                                  f"{offensive.date:%B %Y}{FLIGHT if _fled(rows) else ''}, as "
                                  "each source reported them"), "offensive_toll", which)


# ---------------------------------------------------------------------- opinion
def opinion_series(opinion: pd.DataFrame, patron: str, partners) -> pd.DataFrame:
    """The survey lines the section draws: survey, series label, date, share, confidence."""
    p = _slug(patron)
    wanted = [  # (question_id, answers, label template)
        ("main_friend", [patron, *partners], "{a} named main friend"),
        (f"relations_{p}_good", ["Good"], f"Relations with {patron} rated good"),
        ("top_political_threat", [patron], "{a} among top threats"),
        ("top_political_partner", [patron], "{a} among top political partners"),
    ]
    frames = []
    for qid, answers, label in wanted:
        rows = opinion[(opinion["question_id"] == qid) & opinion["answer"].isin(answers)]
        if rows.empty:
            continue
        frames.append(rows.assign(series=rows["answer"].map(lambda a, lab=label: lab.format(a=a)),
                                  actor=rows["answer"].where(rows["answer"] != "Good", patron)))
    if not frames:
        return pd.DataFrame(columns=[*opinion.columns, "series", "actor"])
    return pd.concat(frames, ignore_index=True).sort_values("fieldwork_date")


def opinion_chart(s):
    rows = opinion_series(s.ev.opinion, s.p.patron, s.p.partners)
    if rows.empty:
        return s.text(f"No survey wave on views of {md(s.p.patron)} is dated on or before "
                      f"{date(s.p.as_of)}.")
    surveys = list(dict.fromkeys(rows.sort_values("survey")["survey"]))
    fig, axes = theme.new_figure((6.6, 3.4), ncols=len(surveys), sharey=True, squeeze=False)
    styles = ["-", "--", ":", "-."]
    stops_early = False  # a question without the panel's last wave (the note says so)
    gaps = False  # a wave of the question without this answer: the line breaks there
    for ax, survey in zip(axes[0], surveys, strict=True):
        part = rows[rows["survey"] == survey]
        ends, inner = [], []
        for i, (series, line) in enumerate(part.groupby("series", sort=False)):
            colour = theme.colour(line["actor"].iloc[0])
            ls = styles[i % len(styles)] if line["actor"].iloc[0] == s.p.patron else "-"
            # lines of one colour told apart by their dashes and their markers (the legend
            # shows both), so that a label beside a point can be matched to its line
            marker = MARKERS[i % len(MARKERS)]
            drawn = _with_gaps(line, part)
            gaps |= bool(drawn["share_pct"].isna().any())
            ax.plot(drawn["fieldwork_date"], drawn["share_pct"], color=colour, ls=ls, lw=1.5,
                    label=series, marker=marker, markersize=4)
            low = line["confidence"] == "low"
            ax.scatter(line.loc[low, "fieldwork_date"], line.loc[low, "share_pct"], s=22,
                       marker=marker, facecolor="white", edgecolor=colour, zorder=3)
            end = line.iloc[-1]
            early = end["fieldwork_date"] < part["fieldwork_date"].max()
            (inner if early else ends).append((end["fieldwork_date"], end["share_pct"], colour))
            stops_early |= early
            turn = movement(line)["turn"]  # the peak or low the text names, labelled too
            if turn is not None:
                inner.append((turn["fieldwork_date"], turn["share_pct"], colour))
        ax.set_ylim(0, 100)
        charts.label_ends(ax, ends, "{:.0f}%", fontsize=6.5)
        charts.label_points(ax, inner, "{:.0f}%", fontsize=6.5)
        ax.set_title(SURVEY_SHORT.get(survey, survey), fontsize=9)
        ax.set_ylim(0, 100)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=1, fontsize=6.5)
        ax.set_xlim(part["fieldwork_date"].min() - pd.Timedelta(days=150),
                    part["fieldwork_date"].max() + pd.Timedelta(days=300))
        ax.tick_params(axis="x", labelsize=7)
    axes[0][0].set_ylabel("% of respondents")
    first, last = rows["fieldwork_date"].min(), rows["fieldwork_date"].max()
    waves = rows.drop_duplicates(["survey", "wave"])
    return s.figure(
        fig, key="opinion",
        caption=(f"How views of {s.p.patron} moved, "
                 + span(f"{first:%Y}", f"{last:%Y}") + ": "
                 f"{len(waves)} survey waves, one panel per survey"),
        alt=(f"Two-panel line chart of survey shares from {first:%Y} to {last:%Y}. "
             + " ".join(_trend(sr, g) for sr, g in rows.groupby("series", sort=False))),
        data=[rows],
        note=("The panels are different surveys with different questions: CRRC asks for one "
              "'main friend', IRI allows several answers, so levels are not comparable across "
              "panels and the lines are never joined."
              + (" A line that stops before its panel's last wave: the evidence base holds no "
                 "later wave of that question." if stops_early else "")
              + (" A line breaks at a wave whose published figures leave that answer out."
                 if gaps else "")
              + mode_note(rows)
              + charts.hollow_note(rows)))


def _with_gaps(line: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """One answer's points with an empty point at each wave of its question, between its first
    and last, that gives no figure for it: the line breaks there instead of bridging the wave
    (CRRC's 2015 wave has Russia, not France: a line straight from 2013 to 2017 had passed it
    without a mark, an outside reader)."""
    asked = part.loc[part["question_id"] == line["question_id"].iloc[0], "fieldwork_date"]
    first, last = line["fieldwork_date"].min(), line["fieldwork_date"].max()
    missing = sorted(set(asked[(asked > first) & (asked < last)]) - set(line["fieldwork_date"]))
    if not missing:
        return line
    holes = pd.DataFrame({"fieldwork_date": missing, "share_pct": float("nan")})
    return pd.concat([line[["fieldwork_date", "share_pct"]], holes]).sort_values(
        "fieldwork_date")


#: how a wave's interviews were done (opinion.csv ``mode``), as a sentence says it
_MODES = {"phone": "by phone", "face-to-face": "face to face"}


def mode_note(rows: pd.DataFrame) -> str:
    """' IRI's waves were not all done the same way: by phone in Nov-Dec 2021 and Feb 2026, face
    to face in Jan-Mar 2023 (the others' mode is not recorded here); a change of mode can move
    the shares by itself.' for each survey whose drawn waves record more than one mode."""
    if "mode" not in rows:
        return ""
    said = []
    for survey, part in rows.groupby("survey", sort=False):
        waves = part.sort_values("fieldwork_date").drop_duplicates("wave")
        known = waves[waves["mode"].notna()]  # (an empty cell is read as missing)
        if known["mode"].nunique() < 2:
            continue
        ways = [f"{_MODES[mode]} in {listing(list(group['wave']), escape=False)}"
                for mode, group in known.groupby("mode", sort=False)]
        said.append(f" {SURVEY_SHORT.get(survey, survey)}'s waves were not all done the same "
                    f"way: {', '.join(ways)}"
                    + (" (the others' mode is not recorded here)" if len(known) < len(waves)
                       else "")
                    + "; a change of mode can move the shares by itself.")
    return "".join(said)


def _trend(series: str, line: pd.DataFrame) -> str:
    """'Russia among top threats: 15% in Nov-Dec 2021, 40% at its peak in Dec 2023, 29% in Feb
    2026.': a line of Figure 7.1 in its alt text, with the peak or low the chart labels (the
    alt text had left out the peak key finding 1 rests on: a reader)."""
    a, b = line.iloc[0], line.iloc[-1]
    if len(line) == 1:
        return f"{series}: {pct(a['share_pct'])} in {a['wave']} (one wave)."
    turn = movement(line)["turn"]
    between = "" if turn is None else (
        f", {pct(turn['share_pct'])} at its "
        f"{'peak' if turn['share_pct'] > b['share_pct'] else 'low'} in {turn['wave']},")
    return (f"{series}: {pct(a['share_pct'])} in {a['wave']}{between or ' to'} "
            f"{pct(b['share_pct'])} in {b['wave']}.")


#: how a survey question reads in a sentence ({a}: the country named), in the words of the
#: chart's legend and Table 7.1 (a reader found three wordings of one question)
_QUESTION_PHRASES = {
    "main_friend": "naming {a} the country's main friend",
    "top_political_threat": "counting {a} among the top threats",
    "top_political_partner": "counting {a} among the top political partners",
}


def _phrase(qid: str, answer: str, patron: str) -> str:
    if qid.startswith("relations_"):
        return f"rating relations with {patron} good"
    return _QUESTION_PHRASES.get(qid, "naming {a}").format(a=answer)


def movement(line: pd.DataFrame) -> dict:
    """How one survey line moved: first, last, the previous wave, and an interior peak or low
    that the last wave turned back from (at least CLOSE_POINTS away from it), if any."""
    line = line.sort_values("fieldwork_date")
    first, last = line.iloc[0], line.iloc[-1]
    inner = line.iloc[1:-1]
    turn = None
    if not inner.empty:
        up = last["share_pct"] >= first["share_pct"]
        cand = inner.loc[inner["share_pct"].idxmax() if up else inner["share_pct"].idxmin()]
        beyond = (cand["share_pct"] - last["share_pct"]) if up else \
            (last["share_pct"] - cand["share_pct"])
        if beyond >= CLOSE_POINTS:
            turn = cand
    previous = line.iloc[-2] if len(line) > 1 else None
    return {"first": first, "last": last, "turn": turn, "previous": previous}


def _moved(m: dict, numbers: bool = True) -> str:
    """'rose from 15% in Nov-Dec 2021 to a peak of 40% in Dec 2023, then fell back to 29% in
    Feb 2026' (plain text). ``numbers=False``, where the text beside states them: 'rose from
    Nov-Dec 2021 to a peak in Dec 2023, then fell back by Feb 2026'."""
    a, b, turn = m["first"], m["last"], m["turn"]
    def at(r):
        return f"{pct(r['share_pct'])} in {r['wave']}"
    if turn is not None:
        up = turn["share_pct"] > a["share_pct"]
        if not numbers:
            return (f"{'rose' if up else 'fell'} from {a['wave']} to a {'peak' if up else 'low'} "
                    f"in {turn['wave']}, then {'fell back' if up else 'recovered'} by "
                    f"{b['wave']}")
        return (f"{'rose' if up else 'fell'} from {at(a)} to a {'peak' if up else 'low'} of "
                f"{at(turn)}, then {'fell back' if up else 'recovered'} to {at(b)}")
    delta = b["share_pct"] - a["share_pct"]
    verb = "rose" if delta >= 0.5 else "fell" if delta <= -0.5 else "held at about"
    if verb == "held at about":
        return f"held at about {pct(b['share_pct'])} from {a['wave']} to {b['wave']}"
    return f"{verb} from {at(a)} to {at(b)}"


#: the question whose answers set the patron beside other countries (several answers allowed)
PARTNER_QUESTION = "top_political_partner"


def _partner_standing(s, survey: str, turn_wave: str | None) -> str:
    """' In Feb 2026 about as many respondents counted the United States as Russia among the
    top political partners (42% and 43%); in Dec 2023 fewer had counted Russia than France, the
    United States and Iran.': the patron beside the other countries the evidence base holds for
    the question, in the latest wave that has them and in the wave its line turned at (else the
    one before); '' when fewer than two waves have them. No rank is claimed: the reports read
    name some answers only."""
    rows = s.ev.opinion[(s.ev.opinion["survey"] == survey)
                        & (s.ev.opinion["question_id"] == PARTNER_QUESTION)]
    waves = [w for w, g in rows.sort_values("fieldwork_date").groupby("wave", sort=False)
             if len(g) >= 2 and s.p.patron in set(g["answer"])]
    if len(waves) < 2:
        return ""
    latest = waves[-1]
    earlier = turn_wave if turn_wave in waves[:-1] else waves[-2]

    def beside(wave) -> tuple[list[str], list[str], pd.Series]:
        """(countries named more often than the patron, the others, shares by country)"""
        g = rows[rows["wave"] == wave]
        share = g.set_index("answer")["share_pct"]
        others = g[g["answer"] != s.p.patron].sort_values("share_pct", ascending=False,
                                                         kind="stable")
        ahead = [a for a in others["answer"] if share[a] > share[s.p.patron]]
        return ahead, [a for a in others["answer"] if a not in ahead], share

    def the_all(names):
        return listing(ph.the(n) for n in names)

    patron = md(s.p.patron)
    ahead, behind, share = beside(latest)
    if not ahead and share[s.p.patron] - share[behind[0]] < CLOSE_POINTS:
        text = (f" In {md(latest)} about as many respondents counted {md(ph.the(behind[0]))} as "
                f"{patron} among the top political partners ({pct(share[behind[0]])} and "
                f"{pct(share[s.p.patron])})")
    elif not ahead:
        text = (f" In {md(latest)} {patron} was counted among the top political partners more "
                f"often than {the_all(behind)} ({pct(share[s.p.patron])} against "
                f"{pct(share[behind[0]])} for {md(ph.the(behind[0]))})")
    else:
        text = (f" In {md(latest)} fewer respondents counted {patron} among the top political "
                f"partners than {the_all(ahead)}")
    ahead, behind, _ = beside(earlier)
    text += (f"; in {md(earlier)} fewer had counted {patron} than {the_all(ahead)}" if ahead
             else f"; in {md(earlier)} {patron} had been counted more often than "
             f"{the_all(behind)}")
    return text + "."


def opinion_text(s):
    rows = opinion_series(s.ev.opinion, s.p.patron, s.p.partners)
    if rows.empty:
        return s.text("")
    sentences = []
    for survey, part in rows.groupby("survey", sort=False):
        moves, asked, partner_turn = [], set(), None
        for (qid, answer), line in part.groupby(["question_id", "answer"], sort=False):
            if len(line) < 2:
                continue
            who = s.p.patron if answer == "Good" else answer
            # a second answer to the same question: 'and the share naming France rose ...'
            what = f"naming {who}" if qid in asked else _phrase(qid, who, s.p.patron)
            asked.add(qid)
            moved = movement(line)
            moves.append(f"the share {md(what)} {md(_moved(moved))}")
            if (qid, answer) == (PARTNER_QUESTION, s.p.patron) and moved["turn"] is not None:
                partner_turn = moved["turn"]["wave"]
        if not moves:
            continue
        name = md(SURVEY_SHORT.get(survey, survey))
        text = f"In the {name} survey, {moves[0]}"
        rest = moves[1:]
        if rest and rest[0].startswith("the share naming ") and "main friend" in moves[0]:
            text += f", while {rest.pop(0)}"
        text += "."
        if rest:
            text += " " + sentence_start(rest[0]) + "".join(f"; {m}" for m in rest[1:])
            text += "."
        friend = part[part["question_id"] == "main_friend"]
        if not friend.empty:
            wave = friend.sort_values("fieldwork_date").iloc[-1]["wave"]
            latest = friend[friend["wave"] == wave].sort_values("share_pct", ascending=False)
            leader = latest.iloc[0]["answer"]
            share = latest.set_index("answer")["share_pct"]
            if leader != s.p.patron and s.p.patron in share and (
                    share[leader] - share[s.p.patron] < CLOSE_POINTS):
                text += (f" In {md(wave)} {md(ph.the(leader))} was named the country's main "
                         f"friend about as often as {md(s.p.patron)}.")
            elif leader != s.p.patron and s.p.patron in share:
                text += (f" In {md(wave)} more respondents named {md(ph.the(leader))} than "
                         f"{md(s.p.patron)} as the country's main friend.")
            elif leader == s.p.patron and len(latest) > 1:
                text += (f" In {md(wave)} {md(s.p.patron)} was still named main friend more "
                         "often than any partner.")
        text += _partner_standing(s, survey, partner_turn)
        sentences.append(text)
    if not sentences:
        return s.text("Too few survey waves fall in this window to show a trend.")
    # that each survey is read against its own waves only is said before the chart and in its
    # note (a third time here was one too many)
    return s.text(" ".join(sentences))


# ---------------------------------------------------------------------- the answer
def takeaway(s):
    """The section's answer to its question, caught in the middle: the changes the evidence
    base dates (which key finding 1 reads as a shift: a reading, said as one) beside the
    indicators of the watch table, and how far the indicators' series reach."""
    t, f = tally(s), s.findings
    steps = f.break_steps if len(f.break_steps) >= MIN_BREAK_STEPS else ()
    shift = (f"the evidence base dates {count_word(len(steps))} changes in "
             f"{span(steps[0][0].year, steps[-1][0].year)}, not all of them "
             f"{md(s.p.focus)}'s own acts, that this report reads as a shift in "
             f"{md(s.p.focus)}'s alignment (key finding 1)" if steps else "")
    watch = sections.label("table", "watch")
    ties = _ties(s, t, watch)
    if not shift and not ties:
        return s.text("")
    # how far the measured ties reach: the share series end before the last change (an outside
    # reader: the real limit, not a forecast)
    # where the series end, said plainly ('before the last of them' read two ways: an outside
    # reader); the changes' years are in the sentence before
    # whether hedging has had an economic price: always said here, where the cost account
    # before the box would otherwise have said it (once: the two had repeated each other)
    ends = _series_end(f)
    # 'the flows': the survey's latest wave came after the changes (an outside reader)
    limit = _restrictions_limit(s)
    reach = (f"whether the flows measured here moved after those changes, or whether hedging had "
             f"an economic price: {series_reach(f, named=False)}, and {limit}."
             if series_lag(f) else
             f"where {md(s.p.focus)} will stand next ({watch} says what a further move of each "
             "indicator would signal), or whether hedging has had an economic price: the share "
             f"series end in {span(*ends)}, and {limit}."
             if ends else
             f"where {md(s.p.focus)} will stand next; {watch} says what a further move of each "
             "indicator would signal.")
    return s.text("What the data say: " + ", yet ".join(p for p in (shift, ties) if p)
                  + f". What they do not say: {reach}")


def _ties(s, t: Tally, watch: str) -> str:
    """Where the watch table's indicators point together, as the closing box says it."""
    return ("" if not t.total or not (t.away or t.toward) else
            # the count itself is given beside the table; no more than that they pull both
            # ways ('a split that fits being caught in the middle' fitted any split: an outside
            # reader)
            f"the indicators of {watch} pull both ways" if t.away and t.toward else
            f"the indicators of {watch} point one way, "
            f"{'away from' if t.away else 'toward'} {md(s.p.patron)}")


def answered(s) -> bool:
    """Whether the section's closing box has something to say (the changes of the shift, or
    where the indicators point): then it also says what the data cannot show."""
    return len(s.findings.break_steps) >= MIN_BREAK_STEPS or bool(
        _ties(s, tally(s), sections.label("table", "watch")))


def series_reach(f, named: bool = True) -> str:
    """"Russia's shares of trade and money transfers end in 2024, the year of the first three
    changes, and of arms imports and gas imports in 2023 and 2022, before any of them": where
    each share series ends against the dated changes (before, 'end by 2024' let a reader take
    all four to reach 2024, and 'no share series' took in the survey's, which runs past the
    changes: outside readers). ``named`` false: 'the shares of …' (after 'the flows measured
    here'). Years are paired with their series; one year of several series is said apart."""
    steps = [day.year for day, _, _ in f.break_steps]
    first = min(steps) if steps else None
    groups = sorted(_series_ends(f).items(), reverse=True)
    post = [(y, n) for y, n in groups if first is None or y >= first]
    pre = [(y, n) for y, n in groups if first is not None and y < first]
    parts = []
    for year, names in post:
        at = steps.count(year) if year == first else 0
        parts.append(f"of {listing(names)} end in {year}" if not parts else
                     f"of {listing(names)} in {year}")
        if at:
            parts[-1] += (f", the year of the first {count_word(at)} changes" if at > 1 else
                          ", the year of the first change")
    if pre:
        if all(len(n) == 1 for _, n in pre):  # one series a year: 'of a and b in 2023 and 2022'
            said = (f"of {listing(n[0] for _, n in pre)} "
                    + ("end " if not parts else "") + f"in {listing(str(y) for y, _ in pre)}")
        else:
            said = listing([f"of {listing(n)} " + ("end " if not parts and k == 0 else "")
                            + f"in {y}" for k, (y, n) in enumerate(pre)])
        mentioned = any("change" in p_ for p_ in parts)
        parts.append(said + (", before any of them" if mentioned else
                             ", before any of the changes"))
    whose = f"{md(f.patron)}'s" if named else "the"
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]
    return f"{whose} shares {text}"


def _series_ends(f) -> dict[int, list[str]]:
    """The patron's shares by the year in which their latest window ends: {2024: ['trade',
    'money transfers'], 2023: ['arms imports'], …}, in the indicators' order."""
    ends: dict[int, list[str]] = {}
    for key in shares.INDICATORS:
        c = f.dependence.get(key)
        if c is not None and c.latest.known and str(c.latest.window)[-4:].isdigit():
            ends.setdefault(int(str(c.latest.window)[-4:]), []).append(
                shares.LABELS[key].lower())
    return ends


def series_lag(f) -> bool:
    """Whether the share series end before the last change of the shift (then the closing box
    says so, and what that leaves unsaid)."""
    steps, ends = f.break_steps, _series_end(f)
    return bool(len(steps) >= MIN_BREAK_STEPS and ends and ends[1] < steps[-1][0].year)


def _series_end(f) -> tuple[int, int] | None:
    """The first and last year in which the latest windows of the patron's shares end (the
    closing box and the cost account say how far the measured ties reach), else None."""
    ends = _series_ends(f)
    return (min(ends), max(ends)) if ends else None


# ---------------------------------------------------------------------- the cost so far
def _setbacks(s) -> list[str]:
    """Setbacks for the focus country the evidence base dates while the patron was its ally
    (its alliance answered the call for help), each a noun phrase pointing to where it is
    shown, in date order."""
    said: list[tuple[pd.Timestamp, str]] = []
    test = s.findings.alliance_test
    called = s.ev.anchor("csto_request_2022")  # the patron's alliance, not any alliance
    if test is None or test.answer is None or not called \
            or s.p.patron not in str(called["actors"]).split(";"):
        return []
    said.append((test.request,
                 (f"no allied troops when it called on its alliance in "
                  f"{month(test.request)}"
                  + (f", and the blockade of the road {md(s.p.patron)}'s peacekeepers held, "
                     f"from {month(test.blockade)}" if test.blockade is not None else "")
                  + " (section 3)")))
    paid = s.ev.anchor("undelivered_arms")
    if paid and s.p.patron in str(paid["actors"]).split(";"):
        # and what its government said later, once it is known (an outside reader found the
        # setback listed as if nothing had been settled)
        settled = s.ev.anchor("arms_issues_settled")
        later = (f", though in {month(settled.date)} its defence ministry called most problems "
                 "settled"
                 if settled and settled.date > paid.date
                 and s.p.patron in str(settled["actors"]).split(";") else "")
        said.append((paid.date,
                     (f"arms paid for and not received, by its government's account{later} "
                      "(section 4)")))
    if test.offensive is not None and test.fled:
        said.append((test.offensive,
                     (f"{md(s.p.rival)}'s offensive of {month(test.offensive)} and the flight "
                      f"that followed ({sections.label('table', 'offensive_toll')})")))
    return [text for _, text in sorted(said, key=lambda pair: pair[0])]


def _from_patron(s) -> list[str]:
    """What came from the patron while the focus country took steps toward other partners: a
    change in its gas price before the turn whose source gives no new price (a rise or a cut by
    its sign), and whether the price after the turn was lower than that change implies (Table
    4.1), and its public reactions to the focus country (as Figure 6.1 counts them: diplomatic events it led),
    with where they are shown."""
    from .consequences import icc_steps, patron_reactions, patron_restrictions
    from .loyalty import (
        WEST_WORDS,
        change_word,
        gas_after_turn,
        price_date,
        turn_event,
        turn_events,
    )

    said = []
    gas = gas_after_turn(s)
    if gas is not None and not gas["unstated"].empty:
        rise, turn = gas["unstated"].iloc[0], turn_event(s)
        later = ("later that year" if rise["effective_from"].year == turn["date"].year
                 else f"of {turn['date'].year}")
        # 'during the talks' only between the focus country's first and last EU step before
        # the turn (section 4's timeline)
        west = events_matching(turn_events(s), *WEST_WORDS)["date"]
        talks = ((west < rise["effective_from"]).any()
                 and ((west >= rise["effective_from"]) & (west < turn["date"])).any())
        implied = gas["implied"]
        said.append(f"a {change_word(rise)} in the price of {md(s.p.patron)}'s gas in "
                    f"{price_date(rise)}, "
                    + (f"during {md(s.p.focus)}'s talks with the EU, " if talks else "")
                    + f"before the turn {later} ("
                    # lower than the price that change implies (section 4 gives both)
                    + ("lower after the turn; " if implied and implied["way"] == "down"
                       else "")
                    + f"{sections.label('table', 'gas_price')})")
    restrictions = patron_restrictions(s)
    if not restrictions.empty:
        first, last = restrictions["date"].min(), restrictions["date"].max()
        said.append(
            (f"{plural(len(restrictions), 'announced restriction')} on {md(s.p.focus)}'s goods, "
             + (f"from {month(first)} to {month(last)}" if month(first) != month(last) else
                f"in {month(first)}") if len(restrictions) > 1 else
             f"an announced restriction on {md(s.p.focus)}'s goods in {month(first)}")
            + f" ({sections.label('table', 'trade_restrictions')})")
    reactions = patron_reactions(s, pd.Timestamp.min, pd.Timestamp(s.p.as_of))
    if not reactions.empty:
        icc, article, where = icc_steps(s), _article(s), []
        if icc["warrant"] is not None:
            steps = icc["steps"]
            until = (steps["date"].max() if icc["in_force"] is not None
                     else pd.Timestamp(s.p.as_of))
            if reactions["date"].between(icc["warrant"]["date"], until).any():
                where.append("section 6")
        if article and (reactions["date"] > article.date).any():
            where.append(sections.label("table", "after_article"))
        first, last = reactions["date"].min(), reactions["date"].max()
        # what counts as a reaction (Figure 6.1's rule), and that the count is the evidence
        # base's, not a census (an outside reader)
        # 'diplomatic': the rule that counts them (a security statement, the FSB's on its
        # border guards, is not one; a reader counted it in)
        said.append(f"{plural(len(reactions), 'diplomatic reaction')} by {md(s.p.patron)} to "
                    f"{md(s.p.focus)}'s steps in the evidence base, from "
                    f"{month(first)} to {date(last)}"
                    + (f" ({'; '.join(where)})" if where else ""))
    return said


def _restrictions_limit(s) -> str:
    """'the evidence base records trade restrictions, not their cost' (Table 6.1), or, where it
    records none by the patron by the edition's date, that it records none."""
    from .consequences import patron_restrictions

    if patron_restrictions(s).empty:
        # it records some (Table 6.1), none of them this patron's by this date (a review)
        return (f"the evidence base records no trade restriction by {md(s.p.patron)} on "
                f"{md(s.p.focus)}'s goods by {date(s.p.as_of)}")
    return "the evidence base records trade restrictions, not their cost"


def costs(s):
    """What the evidence base records on the report's question of cost, by date and not by
    cause (the title promises a cost that no section had set out: an outside reader): the
    setbacks while the patron was the focus country's ally, and what came from the patron while
    the focus country took steps toward other partners; the paragraph says neither list gives a
    cause; whether hedging has had an economic price the flows cannot yet show (said
    in the closing box, or here when there is no box)."""
    setbacks, from_patron = _setbacks(s), _from_patron(s)
    if not setbacks and not from_patron:
        return s.text("")
    text = []
    # each list dated by its own first and last entry, not by a period named after a course
    # ('while Russia was Armenia's ally' said the alliance had ended: an outside reader)
    if setbacks:
        text.append(f"The evidence base dates these setbacks for {md(s.p.focus)}: "
                    + listing(setbacks, escape=False, clauses=True) + ".")
    if from_patron:
        text.append(f"It also dates what came from {md(s.p.patron)} as {md(s.p.focus)} took "
                    "steps toward other partners: "
                    + listing(from_patron, escape=False, clauses=True) + ".")
    if setbacks and from_patron:
        # (not 'the two lists overlap in time': the gas rise of 2013 overlaps nothing, an
        # outside reader)
        text.append("Neither list says what caused what.")
    ends = _series_end(s.findings)
    if ends and not answered(s):
        # the closing box says how far the series reach, when it is there to say it
        text.append(f"{sentence_start(_restrictions_limit(s))}, and its share series "
                    f"end in {span(*ends)}, so they cannot yet show whether hedging has had an "
                    f"economic price ({sections.label('table', 'watch')}).")
    if not (setbacks and from_patron):
        text.append("None of this says what caused what.")
    return s.text(" ".join(text))
