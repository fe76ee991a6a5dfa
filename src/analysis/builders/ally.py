"""Section 1, a frustrated ally: dependence at a glance, who guards the focus country, and the
signals of September 2023."""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd

from .. import charts, sections, theme
from .. import phrasing as ph
from ..evidence import memo
from ..evidence_refs import in_date_order
from ..findings import MIN_BREAK_STEPS, posts_left_out, seen_from
from ..measures import shares
from ..measures.presence import EXERCISE
from ..prose import date, date_range, listing, md, month, num, pct, whole
from . import dependence as dep
from ._common import (
    BASIS_WORDS,
    count_word,
    figure_events,
    headcount,
    personnel_cells,
    plural,
    sentence_start,
)

KIND_LABELS = {"base": "Military base", "peacekeeping": "Peacekeepers",
               "border_guards": "Border guards", "monitoring_mission": "Monitoring mission",
               "exercise": "Exercise"}
#: several deployments of one kind, named together
KIND_PLURALS = {"base": "military bases", "peacekeeping": "peacekeeping contingents",
                "border_guards": "deployments of border guards",
                "monitoring_mission": "monitoring missions", "exercise": "exercises"}
#: how far back the context timeline reaches before the year of the signals
CONTEXT_YEARS = 1
MAX_LABELS = 7
#: the kinds of event the road to September draws, as its alt text names them
CONTEXT_KINDS = {"security": "security", "diplomacy": "diplomatic", "legal": "legal",
                 "humanitarian": "humanitarian"}


# ---------------------------------------------------------------------------- narration
def _exercise_partner(s):
    """The exercise of the signals month (anchor ``eagle_partner_2023``) and the edition's
    partner that held it, once the edition has reached it; else (the anchor, None)."""
    exercise = s.ev.anchor("eagle_partner_2023")
    return exercise, next((a for a in str(exercise["actors"]).split(";") if a in s.p.partners),
                          None) if exercise else None


def _patron_steps(s, signals: pd.DataFrame) -> pd.DataFrame:
    """Those of the month's ``signals`` that the patron took (its name first among the actors)."""
    return signals[signals["actors"].str.split(";").str[0] == s.p.patron] \
        if not signals.empty else signals


def intro(s):
    """The section's opening: the cast from the parameters, the exercise of the signals month
    only once the edition has reached it (anchor ``eagle_partner_2023``)."""
    exercise, partner = _exercise_partner(s)
    text = (f"Since independence {md(s.p.focus)} has looked to {md(s.p.patron)} for its "
            "security: arms, a military base, border guards and an alliance.")
    if exercise and partner:
        text += (f" In {month(exercise.date)} a small joint exercise with "
                 f"{md(ph.the(partner))} drew a sharp public reaction from {md(s.p.patron)}, "
                 f"at a time when the strain between {md(s.p.focus)} and {md(s.p.patron)} was "
                 "already in the open.")
    text += (" This section measures the dependence at a glance, lists who keeps forces in and "
             "around the country, and follows "
             + ("the signals of that month day by day." if exercise and partner else
                f"the public signals of strain between {md(s.p.focus)} and {md(s.p.patron)}, "
                "where the evidence base records any."))
    # the map is always drawn; no sentence pointed to it (an outside reader)
    text += f" {sections.label('figure', 'region_map')} maps the main places the report names."
    article = s.ev.anchor("article_date")
    if article:  # the text the report follows, named where the report begins (an outside reader
        # met 'the article' first in section 3)
        text += (f" The report follows the themes of a news analysis published on "
                 f"{date(article.date)}; Appendix A restates its factual claims in our own words "
                 "and checks each.")
    return s.text(text)


def dependence_intro(s):
    return s.text(
        # shares of flows with the patron, not through it ('passes through' read as transit:
        # an outside reader)
        f"Several flows show how much of {md(s.p.focus)}'s dealings with the world are with "
        f"{md(s.p.patron)}: the weapons it imports, its goods trade, the gas it burns and the "
        "money transferred to it through banks (commercial payments as well as migrants' "
        "remittances). Each is shown as "
        f"{md(s.p.patron)}'s share over the latest complete five-year window, against the "
        "window ten years earlier (where a series starts later, the earliest complete window "
        "that shares no year with the latest; a series without one is shown without a "
        "comparison).")


def signals_intro(s):
    signals, context = _road(s)
    if signals.empty:
        return s.text("")  # road_to_september says so
    after = (context["date"] > signals["date"].max()).any()
    return s.text(
        f"The signals of {month(signals['date'].max())} did not come out of nowhere. The first "
        "chart places them among the other dated steps before "
        f"{'and after ' if after else ''}them; the second zooms in on the days themselves.")


# ---------------------------------------------------------------------------- dependence

def _and(items) -> str:
    """Plain-text 'a, b and c' (for captions and alt text, which are escaped on output)."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def dependence_dashboard(s):
    f = s.findings
    if not f.dependence:
        return s.text(f"The evidence base holds no complete five-year window of "
                      f"{md(s.p.focus)}'s dependence on {md(s.p.patron)}.")
    fig = charts.dumbbell(dep.dumbbell_rows(f), f"{s.p.patron}'s share, %",
                          colour=theme.colour(s.p.patron))
    ups = [c.latest.label.lower() for c in f.dependence.values() if c.direction == "up"]
    downs = [c.latest.label.lower() for c in f.dependence.values() if c.direction == "down"]
    moves = ([f"rose for {_and(ups)}"] if ups else []) + ([f"fell for {_and(downs)}"]
                                                         if downs else [])
    values = "; ".join(f"{c.latest.label}: {ph.from_to(c)}" for c in f.dependence.values())
    notes = [n for n in (dep.missing_note(f),) if n]
    volume = f.trade_with_patron
    if volume is not None and volume.earlier.known and volume.latest.known:
        before, now = ph.yearly_amounts(volume)  # as the key findings print them
        notes.append(f"Goods turnover with {s.p.patron} averaged {now} in "
                     f"{volume.latest.window}, against {before} in {volume.earlier.window}.")
    notes.append("Each value is the share over a five-year window (the sum of the partner's "
                 "values over the sum of the totals); the latest complete window is set against "
                 "the one ten years earlier or, where a series starts later, the earliest "
                 "complete one that shares no year with it. Arms: SIPRI trend-indicator values (TIV) of deliveries; trade: goods "
                 "exports plus imports; gas: net weight; transfers: through banks.")
    return s.figure(
        fig, key="dependence",
        caption=(f"{s.p.patron}'s share of {s.p.focus}'s arms imports, trade, gas imports and "
                 f"money transfers: the latest complete five-year window against an earlier "
                 f"one"),
        alt=(f"Dumbbell chart, one row per indicator, from the earlier to the latest five-year "
             f"share; the share {' and '.join(moves) if moves else 'barely moved'}. "
             f"{values}."),
        data=dep.rows_used(s), note=" ".join(notes))


def dependence_text(s):
    f = s.findings
    if not f.dependence:
        return s.text("")
    figure = sections.number_of("figure", "dependence")
    ups = [c.latest.label.lower() for c in f.dependence.values() if c.direction == "up"]
    downs = [c.latest.label.lower() for c in f.dependence.values() if c.direction == "down"]
    moves = ([f"rose for {listing(ups)}"] if ups else []) + ([f"fell for {listing(downs)}"]
                                                            if downs else [])
    text = (f"Between the two windows {md(s.p.patron)}'s share "
            f"{' and '.join(moves) if moves else 'barely moved'} (Figure {figure}).")
    moved = {k: c for k, c in f.dependence.items() if c.delta is not None}
    # as the text states them: moves that round to the same points are tied
    top = max((whole(abs(c.delta)) for c in moved.values()), default=0)
    tied_keys = [k for k, c in moved.items() if whole(abs(c.delta)) == top]
    tied = [moved[k] for k in tied_keys]
    if top:
        if len(tied) == 1:
            text += (f" The largest move was in {md(tied[0].latest.label.lower())}: "
                     f"{ph.points(tied[0])}, {ph.from_to(tied[0])}.")
        else:
            moves = listing(f"{c.latest.label.lower()} ({c.direction}, {ph.from_to(c)})"
                            for c in tied)
            text += (f" The largest moves, {num(top)} point{'' if top == 1 else 's'} each, "
                     f"were in {moves}.")
    # any move its latest year undid by half (not the largest alone: money transfers' fall
    # read as lasting, an outside reader), as Table 7.1 counts it
    for key, c in moved.items():
        turned = f.turned(key)
        if turned:
            # the year is the window's last (a turn inside it, not after it), the window named
            # ('its latest window', after another share's move, read as that share's: a review)
            text += (f" In {turned[0]}, the last year of the {c.latest.window} window, "
                     f"{md(s.p.patron)}'s share of {md(c.latest.label.lower())} was "
                     f"{pct(turned[1])}, {ph.undone(c, turned[1])}"
                     f"{ph.year_before(c, f.prior_year.get(key), turned[1])} "
                     f"(Figure {sections.number_of('figure', 'dependence_over_time')}).")
    if f.missing:
        text += " " + md(dep.missing_note(f))
    return s.text(text)


# ---------------------------------------------------------------------------- presence

def _period(start, end) -> str:
    since = f"{start:%b %Y}"
    if pd.isna(end):
        return f"since {since}"
    return since if f"{end:%b %Y}" == since else f"{since} – {end:%b %Y}"


def security_presence(s):
    rows = dep.presence(s.ev.deployments, s.p.patron, s.p.partners, s.p.focus)
    if rows.empty or not seen_from(s.p.data_dir, "deployments", s.p.focus):
        return s.text(f"The evidence base records no deployments by {md(s.p.patron)} or by "
                      f"{listing(s.p.partners)} in or around {md(s.p.focus)} by "
                      f"{date(s.p.as_of)}.")
    flag = rows["confidence"].map(lambda c: " (unconfirmed)" if c == "low" else "")
    table = pd.DataFrame({
        "Deployed by": rows["deployer"],
        "What": rows["name"] + flag,
        "Kind": rows["kind"].map(KIND_LABELS).fillna(rows["kind"]),
        "In": rows["host"],
        "When": [_period(a, b) for a, b in zip(rows["start_date"], rows["end_date"],
                                               strict=True)],
        "Personnel": personnel_cells(s.ev, rows),
    })
    partners_present = sorted(set(rows.loc[rows["side"] == "partners", "deployer"]))
    cast = ph.names([s.p.patron, *partners_present]) if partners_present else (
        f"{s.p.patron} and its partners")
    caption = f"Foreign security presence in and around {s.p.focus}: {cast}, as of {date(s.p.as_of)}"
    left_out, cited = _posts_not_counted(s)
    return s.table(table, caption, data=[rows, *cited], key="presence",
                   note="Personnel: the latest figure published by the as-of date, a count "
                        "unless marked as a mandate's ceiling or an authorised strength (n.d. = "
                        "the source gives no date); 'since' = still in place at the as-of "
                        "date." + left_out)


def _posts_not_counted(s) -> tuple[str, list[pd.DataFrame]]:
    """What the table leaves out and why, with the rows that say so (for its source line): the
    patron's temporary border posts on the line with the rival, from the anchor that dates them
    (none before it; their end once decided)."""
    if not posts_left_out(s.ev.tables, s.p.focus, s.p.patron, s.p.rival):
        return "", []  # none known yet, or another cast: not its posts or not its rival's border
    start, end = s.ev.anchor("border_posts_start"), s.ev.anchor("border_posts_end")
    return (f" Not listed: the temporary posts that {s.p.patron}'s border guards set up on "
            f"{s.p.focus}'s border with {s.p.rival} from {month(start.date)}"
            + (f", which they were to leave under a decision announced in {month(end.date)}"
               if end else "")
            + ". The evidence base holds no count of their personnel"
            + (" and no date of their departure." if end else "."),
            [a.frame() for a in (start, end) if a])


def _own_figures(s, mine: pd.DataFrame) -> list[str]:
    """Each standing deployment still in place with its own published figure: 'the Russian
    102nd military base (Gyumri), 3,083 personnel (undated)', 'the Russian peacekeeping
    contingent in Nagorno-Karabakh, a mandate's ceiling of 1,960' (added up, a count and a
    ceiling read as one total of unnamed deployments: an outside reader)."""
    from ..measures.presence import undated_counts

    running = mine[mine["end_date"].isna() & (mine["kind"] != EXERCISE)
                   & mine["personnel_persons"].notna()]
    undated = undated_counts(running, s.ev.sources.set_index("source_id")["date_published"])
    out = []
    for i, r in running.iterrows():
        basis = r.get("personnel_basis")
        value = num(r["personnel_persons"])
        figure = (f"{BASIS_WORDS[basis][0]} of {value}" if basis in BASIS_WORDS
                  else f"{value} personnel")
        out.append(f"the {md(r['name'])}, {figure}" + (" (undated)" if undated[i] else ""))
    return out


def _with_notes(figures: str, notes: str) -> str:
    return figures + (f" ({notes})" if notes else "")


def presence_text(s):
    rows = dep.presence(s.ev.deployments, s.p.patron, s.p.partners, s.p.focus)
    if rows.empty or not seen_from(s.p.data_dir, "deployments", s.p.focus):
        return s.text("")
    counts = dep.presence_counts(rows).set_index("side")
    text = []
    if "patron" in counts.index:
        c = counts.loc["patron"]
        kinds = listing(dict.fromkeys(
            rows.loc[rows["side"] == "patron", "kind"].map(KIND_LABELS).str.lower()))
        mine = rows[rows["side"] == "patron"]
        oldest = mine[mine["start_date"] == mine["start_date"].min()]
        total, ongoing = int(c["deployments"]), int(c["ongoing"])
        since = f"{oldest['start_date'].iloc[0]:%Y}"
        if total == 1:
            still = "still in place" if ongoing else "no longer in place"
            first = f"it dates from {since}"
        else:
            still = ("both still in place" if ongoing == total == 2 else
                     f"all {count_word(total)} still in place" if ongoing == total else
                     f"{count_word(ongoing)} of them still in place")
            same_kind = oldest["kind"].nunique() == 1
            first = (f"the oldest, {md(oldest['name'].iloc[0])}, dates from {since}"
                     if len(oldest) == 1 else
                     f"the oldest, {listing(oldest['name'])}, date from {since}"
                     if len(oldest) == 2 or not same_kind else
                     # three names in a row read as a list of their own: said by their kind
                     f"the oldest, the {count_word(len(oldest))} "
                     f"{KIND_PLURALS.get(oldest['kind'].iloc[0], 'deployments')}, date "
                     f"from {since}")
        text.append(
            f"The data list {plural(total, 'deployment')} by {md(s.p.patron)} ({kinds}), "
            f"{still} on {date(s.p.as_of)}; {first}.")
        alone = s.findings.patron_presence_alone
        if c["personnel_now"] > 0 and alone:
            # one figure among several: the deployment's own, not the deployments' (an outside
            # reader took the Gyumri base's count for Russia's total)
            figures, undated = headcount(c["personnel_now"], 1,
                                         s.findings.patron_presence_undated, "its",
                                         apart=s.findings.patron_presence_apart)
            if not s.findings.patron_presence_apart:  # a count: not 'published' twice
                figures = f"{num(c['personnel_now'])} personnel"
            text.append(f" Of those still in place only the {md(alone)} has a published "
                        f"headcount: {_with_notes(figures, undated)}.")
        elif c["personnel_now"] > 0:
            figures, undated = headcount(c["personnel_now"], c["figures_now"],
                                         s.findings.patron_presence_undated,
                                         apart=s.findings.patron_presence_apart)
            # of those still in place, how many have a figure: 'account for' read as a total
            # of all of them (an outside reader)
            have, ongoing = int(c["figures_now"]), int(c["ongoing"])
            if have == ongoing:
                text.append(f" Those still in place account for {_with_notes(figures, undated)}.")
            else:  # some figures among silent deployments: each named with its own figure
                text.append(f" {count_word(have, True)} of the {count_word(ongoing)}"
                            + (" still in place" if ongoing < total else "")
                            + f" {'has' if have == 1 else 'have'} a published figure: "
                            + listing(_own_figures(s, mine), escape=False, clauses=True) + ".")
    else:
        text.append(f"The data list no {md(s.p.patron)} deployments in this window.")
    if "partners" in counts.index:
        c = counts.loc["partners"]
        part = rows[rows["side"] == "partners"]
        first = part.sort_values("start_date").iloc[0]
        deployers = list(dict.fromkeys(part["deployer"]))
        ongoing, drills = int(c["ongoing"]), int(c["exercises_now"])
        # standing deployments and joint exercises told apart, as Table 7.1 counts them
        lasting = part[part["kind"] != EXERCISE]
        n = len(lasting)

        def did(rows: pd.DataFrame) -> str:
            """'sent two deployments (monitoring missions) and held three joint exercises'."""
            mine, drilled = rows[rows["kind"] != EXERCISE], int((rows["kind"] == EXERCISE).sum())
            counted = []
            if len(mine):
                per_kind = mine["kind"].value_counts(sort=False)
                kinds = listing(KIND_PLURALS.get(k, k) if m > 1 else KIND_LABELS.get(k, k).lower()
                                for k, m in per_kind.items())
                counted.append(f"sent {plural(len(mine), 'deployment')} ({kinds})")
            if drilled:
                counted.append(f"held {plural(drilled, 'joint exercise')}")
            return " and ".join(counted)
        now = []
        if n:
            # the one still in place named ('One of the deployments', after a sentence naming
            # two partners, left the reader to guess whose: an outside reader)
            left = lasting[lasting["end_date"].isna()
                           | (lasting["end_date"] > pd.Timestamp(s.p.as_of))]
            now.append((("the deployment is still in place" if ongoing else
                         "the deployment has ended") if n == 1 else
                        f"the {left['name'].iloc[0]} is still in place" if ongoing == 1 == len(left)
                        else f"{count_word(ongoing, True) if ongoing else 'None'} of the "
                             f"deployments {'is' if ongoing <= 1 else 'are'} still in place")
                       + (", with " + _with_notes(*headcount(
                           c["personnel_now"], c["figures_now"],
                           s.findings.partner_presence_undated,
                           apart=s.findings.partner_presence_apart))
                          if ongoing and c["personnel_now"] else ""))
        if drills:  # under way on the edition's date
            people = c["exercise_personnel_now"]
            drilling = list(dict.fromkeys(part.loc[part["kind"] == EXERCISE, "deployer"]))
            # whose personnel the figure counts (an outside reader read '85 personnel' as the
            # whole exercise, which the next page gives as 85 and 175)
            now.append(("a joint exercise" if drills == 1 else
                        f"{count_word(drills)} joint exercises")
                       + (f" with {num(people)} personnel"
                          + (f" from {md(ph.the(drilling[0]))}" if len(drilling) == 1 else "")
                          if people else "")
                       + f" {'is' if drills == 1 else 'are'} under way")
        # each partner with what it did: 'two of Armenia's partners, the EU and the US, have
        # sent two deployments and held three exercises' read as if both had done both (an
        # outside reader)
        each = [f"{md(ph.the(d))} has {did(part[part['deployer'] == d])}" for d in deployers]
        text.append(
            f" Since {date(first['start_date'])} " + listing(each, escape=False, clauses=True)
            + (f". {sentence_start(', and '.join(now))}" if now else "") + ".")
        text.append(" The comparison is of presence, not of military weight: monitors and "
                    "trainers are not a garrison.")
    else:
        text.append(f" None of {md(ph.names(s.p.partners, 'or'))} had a mission, exercise or "
                    "base in the data by this date.")
    return s.text("".join(text))


# ---------------------------------------------------------------------------- signals

def _context_events(s, signals: pd.DataFrame) -> pd.DataFrame:
    """The steps around the signals: up to the article's date once the edition has reached it
    (what followed is section 7's: Figure 1.3 ran on to November 2023 and repeated six rows
    of its table, an outside reader found)."""
    ev = s.ev.events
    article = s.ev.anchor("article_date")
    if article:
        ev = ev[ev["date"] <= article.date]
    year = int(signals["date"].max().year)
    actors = [s.p.patron, *s.p.partners]
    pattern = "|".join(actors)
    mask = (ev["date"].dt.year.between(year - CONTEXT_YEARS, year)
            & ev["actors"].str.contains(s.p.focus, na=False)
            & (ev["actors"].str.contains(pattern, na=False) | (ev["section"] == 1))
            & ev["category"].isin(list(CONTEXT_KINDS)))
    return ev[mask]


def _road(s) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The signals of the last month of strain and the steps Figure 1.3 places around them
    (both empty before there are any): once per edition for the intro, the figure and its
    table (:func:`~analysis.evidence.memo`)."""
    return memo(s.ev, ("road", s.p.focus, s.p.patron, tuple(s.p.partners)),
                lambda: _road_now(s))


def _road_now(s) -> tuple[pd.DataFrame, pd.DataFrame]:
    signals = dep.signal_window(s.ev.events, actor=s.p.focus)
    if signals.empty:
        return signals, signals
    context = _context_events(s, signals)
    # in the order its table lists them: the figure's source line then names the same
    # publishers as the table's (an outside reader found the two differ)
    return signals, in_date_order(pd.concat([context, signals]).drop_duplicates("event_id"))


def road_to_september(s):
    signals, context = _road(s)
    if signals.empty:
        exercise = s.ev.anchor("eagle_partner_2023")
        return s.text(exercise.sentence() if not exercise else
                      f"The evidence base records no public signal of strain between "
                      f"{md(s.p.focus)} and {md(s.p.patron)} by {date(s.p.as_of)}.")
    # label the context, not the crowded cluster: the next figure zooms in on it
    before = context[context["date"] < signals["date"].min()]
    label = list(before["event_id"])
    if len(label) > MAX_LABELS:  # keep labels readable: a bar first (unlabelled, it cannot be
        # told from the others), then security steps, section 1 first
        rank = before.assign(r=before["category"].map({"security": 0, "legal": 1}).fillna(2)
                             - (before["section"] == 1)
                             - 3 * (before["end_date"] > before["date"]))
        label = list(rank.sort_values(["r", "date"])["event_id"].head(MAX_LABELS))
    label.append(signals.iloc[0]["event_id"])
    first, last = context["date"].min(), context["date"].max()
    fig = charts.labelled_timeline(context, label_ids=label, wrap=24,
                                start=pd.Timestamp(first.year, 1, 1), end=last)
    cluster_end = signals["date"].max()
    ax = fig.axes[0]
    ax.axvspan(signals["date"].min() - pd.Timedelta(days=4), cluster_end + pd.Timedelta(days=4),
               color=theme.colour(s.p.patron), alpha=0.08, zorder=0)
    # the context may run past the signals (the offensive that followed): the title says so
    road = f"The road to {cluster_end:%B %Y}"
    if (last.year, last.month) > (cluster_end.year, cluster_end.month):
        road += " and what followed"
    return s.figure(
        fig, key="road_to_september",
        caption=(f"{road}: {len(context)} steps involving "
                 f"{s.p.focus}, {s.p.patron} and {s.p.focus}'s partners, "
                 f"{first:%B %Y}–{last:%B %Y}"),
        # the kinds the chart holds (it named 'legal' where none was: an outside reader)
        alt=(f"Timeline of {len(context)} "
             f"{listing([k for c, k in CONTEXT_KINDS.items() if c in set(context['category'])])}"
             " events "
             f"from {first:%B %Y} to {last:%B %Y}; the shaded band marks the "
             f"{len(signals)} signals of {cluster_end:%B %Y}, shown in detail in the next "
             "figure."),
        note=(f"The shaded band marks the {plural(len(signals), 'signal')} of "
              f"{cluster_end:%B %Y}, shown day by day in the next figure"
              + ("; a bar runs from an event's start to its end" if
                 context["end_date"].notna().any() else "")
              + (", or to the chart's last day while it is still under way" if
                 charts.any_under_way(context) else "")
              + f". {sections.label('table', 'road_steps')} lists every step"
              + (f"; {sections.label('figure', 'after_article')} shows what followed the "
                 "article" if _after_article_known(s) else "") + "."),
        data=[context])


def _after_article_known(s) -> bool:
    """Whether the edition knows events after the article (section 7 shows them)."""
    from .outlook import events_after_article

    return not events_after_article(s).empty


def road_steps(s):
    """Every step of Figure 1.3, one per row (the figure labels a few)."""
    return figure_events(s, _road(s)[1], "steps", "road_to_september", "road_steps")


def signals_chart(s):
    signals = dep.signal_window(s.ev.events, actor=s.p.focus)
    if signals.empty:
        return s.text("")  # road_to_september has said the story had not got here
    signals = signals.sort_values(["date", "event_id"]).reset_index(drop=True)
    fig, ax = theme.new_figure((6.6, 0.38 * len(signals) + 1.0))
    ys = list(range(len(signals)))[::-1]
    lo = signals["date"].min() - pd.Timedelta(days=1)
    day = pd.Timestamp(s.p.as_of)
    under_way = charts.any_under_way(signals)
    hi_all = [signals["date"].max(), *signals["end_date"].dropna(), *([day] if under_way else [])]
    hi = max(hi_all) + pd.Timedelta(days=1)
    span_days = (hi - lo).days
    bars = False
    for y, ev in zip(ys, signals.itertuples(), strict=True):
        colour = theme.CATEGORY_COLOURS.get(ev.category, theme.OTHER)
        # an event still under way on the edition's date runs to that date
        end = (ev.end_date if pd.notna(ev.end_date) and ev.end_date > ev.date else
               day if charts.under_way(ev) and day > ev.date else None)
        if end is not None:
            bars = True
            ax.plot([ev.date, end], [y, y], color=colour, lw=6, alpha=0.45,
                    solid_capstyle="butt")
        ax.scatter([ev.date], [y], s=34, color="white" if ev.confidence == "low" else colour,
                   edgecolor=colour, linewidth=1.2, zorder=3)
        title = textwrap.fill(ev.title + (" (unconfirmed)" if ev.confidence == "low"
                                          else ""), 48)
        anchor = end if end is not None else ev.date
        right = (anchor - lo).days < 0.55 * span_days
        x = anchor if right else ev.date
        ax.annotate(title, (x, y), xytext=(6 if right else -6, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=7)
    ax.set_yticks(ys, [f"{d:%d %b}".lstrip("0") for d in signals["date"]])
    ax.set_ylim(-0.6, len(signals) - 0.4)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=max(1, -(-span_days // 8))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(axis="y", visible=False)
    first, last = signals["date"].min(), signals["date"].max()
    colours = f"Colours by kind of event, as in {sections.label('figure', 'road_to_september')}."
    # the dates, not a count of days: elsewhere a span counts elapsed days (a deployment of
    # 11-20 September lasts 9), which would make 3-11 September 8 days
    return s.figure(
        fig, key="signals",
        caption=(f"The signals of {last:%B %Y}, day by day: {len(signals)} events, "
                 f"{date_range(first, last)}"),
        alt=(f"Chart with one row per event from {date(first)} to {date(last)}: "
             + "; ".join(f"{d:%d %B}: {t}" for d, t in zip(signals["date"], signals["title"],
                                                            strict=True)) + "."),
        # every bar explained, and the colours (a reader found the bar of an exercise that had
        # ended, and the dots' colours, without a key)
        note=("A bar runs from an event's start to its end"
              + (f", or to {date(day)}, the edition's date, while the event is still under way"
                 if under_way else "") + f". {colours}" if bars else colours),
        data=[signals])


def signals_text(s):
    signals = dep.signal_window(s.ev.events, actor=s.p.focus)
    if signals.empty:
        return s.text("")  # road_to_september has said the story had not got here
    signals = signals.sort_values("date")
    first, last = signals.iloc[0]["date"], signals.iloc[-1]["date"]
    figure = sections.number_of("figure", "signals")
    text = [(f"The evidence base holds {plural(len(signals), 'signal')} dated "
             f"{date_range(first, last)} (Figure {figure}).")]
    dep_rows = s.ev.deployments
    found = dep_rows[(dep_rows["kind"] == "exercise") & dep_rows["deployer"].isin(s.p.partners)
                     & (dep_rows["start_date"] >= first)]
    ex = found.iloc[0] if not found.empty else None
    if ex is not None:
        own = dep_rows[(dep_rows["kind"] == "exercise") & (dep_rows["deployer"] == s.p.focus)
                       & (dep_rows["start_date"] == ex["start_date"])]
        who = md(ph.the(ex["deployer"]))
        size = (f"{num(ex['personnel_persons'])} soldiers from {who}"
                if pd.notna(ex["personnel_persons"]) else f"soldiers from {who}")
        if not own.empty and pd.notna(own.iloc[0]["personnel_persons"]):
            size += f" and {num(own.iloc[0]['personnel_persons'])} from {md(s.p.focus)}"
        # where the exercise falls among the signals, from the dates (not "at their centre")
        place = ("The last of them, the exercise " if ex["start_date"] == last else
                 "The first of them, the exercise " if ex["start_date"] == first else
                 "The exercise ")
        # a count given before the exercise began is what was announced, not who came (an
        # outside reader: 'brought together 85' stated an announcement as a fact)
        announced = (pd.notna(ex.get("personnel_date"))
                     and ex["personnel_date"] < ex["start_date"])
        text.append(f" {place}{md(ex['name'])}, starting on "
                    f"{date(ex['start_date'])}, "
                    + ("was announced to bring together" if announced else "brought together")
                    + f" {size}{' (unconfirmed)' if ex['confidence'] == 'low' else ''}.")
    patron_steps = _patron_steps(s, signals)
    if not patron_steps.empty:
        # steps that all came before the exercise are said to, not read as a reply to it
        before = ex is not None and patron_steps["date"].max() < ex["start_date"]
        text.append(f" {md(s.p.patron)} took {plural(len(patron_steps), 'public step')} in "
                    f"the same days, on "
                    f"{date_range(patron_steps['date'].min(), patron_steps['date'].max())}"
                    + (", before the exercise began." if before else "."))

    return s.text("".join(text))


# ---------------------------------------------------------------------------- the answer

def takeaway(s):
    """What the section's data say and do not say: where the patron still leads the flows of
    Figure 1.2, whose forces outnumber whose in Table 1.1, and the month of the signals."""
    f, says = s.findings, []
    # each with its window: 'still' read as the edition's day (an outside reader)
    most = [f"{shares.LABELS[k].lower()} ({c.latest.window})" for k, c in f.dependence.items()
            if c.latest.known and (c.latest.value or 0) > 50]
    if most:
        says.append(f"{md(s.p.patron)} accounted for most of {md(s.p.focus)}'s "
                    f"{listing(most)} ({sections.label('figure', 'dependence')})")
    mine, theirs = f.patron_presence, f.partner_presence
    if mine is not None and mine.value:
        partners = 0 if theirs is None or not theirs.value else theirs.value
        says.append(f"it kept more deployments in and around the country than "
                    f"{md(s.p.focus)}'s partners did ({sections.label('table', 'presence')})"
                    if mine.value > partners else
                    f"{md(s.p.focus)}'s partners kept as many deployments in the country as "
                    f"{md(s.p.patron)} or more ({sections.label('table', 'presence')})")
    # the patron's own steps among the signals, as signals_text counts them (not the
    # exercise alone: it called a series of steps unfriendly)
    steps = _patron_steps(s, dep.signal_window(s.ev.events, actor=s.p.focus))
    strain = _exercise_partner(s)[1] is not None and not steps.empty
    if strain:
        says.append(f"by {month(steps['date'].max())} the strain was public "
                    f"({sections.label('figure', 'signals')})")
    if not says:
        return s.text("")
    # whether the signals amount to a break is interpretation: said here, once (an edition
    # that knows what followed points to its own reading, marked as one)
    reading = (" (section 7 gives this report's reading)"
               if len(f.break_steps) >= MIN_BREAK_STEPS else "")
    return s.text(
        "What the data say: " + listing(says, escape=False, clauses=True) + ". What they do "
        "not say: "
        + (f"whether that strain marked a break or pressure within an alliance{reading}; or "
           if strain else "")
        + f"whether these ties kept {md(s.p.focus)} safe: they count flows and people, not "
        "what either side would do in a crisis.")
