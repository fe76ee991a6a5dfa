"""Key findings: the summary before section 1, phrased from the same findings the sections draw.

Each finding is one sentence that states its number, names its window and points to the figure
or table that shows it (numbers from the registry in :mod:`analysis.sections`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import indicators, sections
from .. import phrasing as ph
from ..appendix import exceptions_text
from ..findings import MIN_BREAK_STEPS, Findings
from ..measures.result import Change, Measure
from ..measures.shares import LABELS
from ..prose import added_up, date, listing, md, num, pct, span
from ..report import MEDIUM_NOTE
from ..sections import number_of, ref
from ._common import count_word, headcount, sentence_start
from .involvement import ALLIANCE_WORDS, ANSWER


@dataclass(frozen=True)
class KeyFinding:
    text: str  # Markdown, data escaped
    measures: tuple[Measure, ...]  # the values it states
    ref: str  # "Figure 5.2, section 5"
    changes: tuple[Change, ...] = ()  # the changes it states in points


def _cited(text: str, where: str) -> str:
    """'text (where).' with one bracket at the end: a text that already ends in one takes the
    reference inside it ('... (an authorised strength; Table 1.1, section 1).')."""
    return f"{text[:-1]}; {where})." if text.endswith(")") else f"{text} ({where})."


def _where(primary: tuple[str, str], *more: tuple[str, str]) -> str:
    """'Figure 5.2 and Table 5.1, section 5': every figure or table a finding rests on, numbered
    from the registry; each section named once, after its own ('Figure 3.2 and Figure 3.3,
    section 3; Table 7.3, section 7')."""
    by_section: dict[str, list[str]] = {}
    for kind, key in (primary, *more):
        number = number_of(kind, key)
        by_section.setdefault(number.split(".")[0], []).append(f"{kind.capitalize()} {number}")
    return "; ".join(f"{' and '.join(items)}, section {section}"
                     for section, items in by_section.items())


def _arms(f: Findings) -> KeyFinding | None:
    latest, earlier = f.arms_latest, f.arms_earlier
    if latest is None or not latest.shares:
        return None
    where = ref("figure", "suppliers")
    mine = latest.of(f.patron)
    before = earlier.of(f.patron) if earlier is not None else None
    had = before is not None and before.known
    leader = f.new_leader
    if leader is not None:
        text = (f"{md(leader.label)} overtook {md(f.patron)} as {md(f.focus)}'s largest supplier "
                f"of major arms: in {latest.window} it delivered {ph.value(leader, True)} of them by "
                f"SIPRI trend-indicator value, against {md(f.patron)}'s {ph.value(mine, True)}"
                + (f", which had been {ph.value(before, True)} in {before.window}" if had else ""))
        used = (leader, mine, *((before,) if had else ()))
    else:
        others = [m for m in latest.shares if m.label != f.patron]
        # "still" only while the register is the newest the edition knows of
        text = (f"{md(f.patron)} {'supplied' if f.register_newer else 'still supplied'} "
                f"{ph.value(mine, True)} of {md(f.focus)}'s major arms imports in "
                f"{latest.window} by SIPRI trend-indicator value"
                + (f", against {ph.value(before, True)} in {before.window}" if had else ""))
        used = (mine, *((before,) if had else ()))
        if others:
            text += f", and {md(others[0].label)} came next with {ph.value(others[0], True)}"
            used += (others[0],)
        if f.suppliers_since and f.patron_last_delivery is not None:
            # one sentence per finding (house style): joined, not a second sentence
            after = span(f.patron_last_delivery + 1, f.register_last)
            newer = ph.NEWER_REGISTER if f.register_newer else ""
            text += ((f"; in {after}, the last year of the register used here{newer}, "
                      if after == str(f.register_last) else
                      f"; in {after}, up to the end of the register used here{newer}, ")
                     + f"it records deliveries only from {listing(f.suppliers_since)}, none "
                     f"from {md(f.patron)}")
    shown = _where(("figure", "suppliers"), ("table", "partner_systems")) \
        if f.suppliers_since and f.patron_last_delivery is not None and leader is None else where
    return KeyFinding(_cited(text, shown), used, where)


def _trade(f: Findings) -> KeyFinding | None:
    share, volume = f.share("trade"), f.trade_with_patron
    if share is None:
        return None
    where = ref("figure", "dependence")
    text = f"{md(f.patron)}'s share of {md(f.focus)}'s goods trade went {ph.from_to(share, True)}"
    used = (share.earlier, share.latest)
    if f.trade_flows_latest is not None:  # the two directions apart (section 6's last year)
        year, out, into, confidence = f.trade_flows_latest
        mark = ph.mark(confidence)
        text += (f" (in {year} it supplied {pct(into)}{mark} of {md(f.focus)}'s imports and "
                 f"took {pct(out)}{mark} of its exports)")
    if volume is not None and ph.times(volume):
        before, now = ph.yearly_amounts(volume, True)
        text = (f"Trade with {md(f.patron)} boomed: turnover, in current dollars, averaged "
                f"{now} in {volume.latest.window}, {ph.times(volume)} the {before} of "
                f"{volume.earlier.window}, and {text}")
        used += (volume.earlier, volume.latest)
    # the limit section 6 states, said beside the headline: the table records partners, not
    # where goods were made or used
    text += (", although the trade records cannot tell goods made or used in "
             f"{md(f.focus)} from goods passing through it")
    limits = sections.get("unintended_consequences").number  # where the limit is stated
    return KeyFinding(_cited(text, f"{where}; section {limits}"), used, where)


def _paradox(f: Findings, stated: tuple[int, int] | None = None) -> KeyFinding | None:
    """The two shares moving apart; ``stated``: the numbers of the findings that already give
    both shares over the same windows (their figures are then not repeated)."""
    trade, arms = f.share("trade"), f.share("arms")
    if not f.paradox or trade is None or arms is None:
        return None
    where = ref("figure", "dependence")
    same = (trade.earlier.window, trade.latest.window) == (arms.earlier.window,
                                                           arms.latest.window)
    # what moved apart is Russia's weight in each, as shares measure it, not the ties as such
    weights = (f"{md(f.patron)}'s weight in {md(f.focus)}'s trade and in its arms imports moved "
               "in opposite directions")
    opening = f"By these shares {weights}"
    if stated:
        text = f"By these shares (findings {stated[0]} and {stated[1]}), {weights}"
    elif same:
        text = (f"{opening}: from {trade.earlier.window} to {trade.latest.window} "
                f"{md(f.patron)}'s share of trade went {ph.points(trade, True)} while its share "
                f"of arms imports went {ph.points(arms, True)}")
    else:
        text = (f"{opening}: {md(f.patron)}'s share of trade went {ph.points(trade, True)} from "
                f"{trade.earlier.window} to {trade.latest.window}, while its share of arms "
                f"imports went {ph.points(arms, True)} from {arms.earlier.window} to "
                f"{arms.latest.window}")
    shown = where
    volume = _patron_volume(f, arms)
    if volume:  # a share can fall while the patron delivers more: say so beside it
        # what came after a peak year: a rise made by one year reads as a trend without it (an
        # outside reader)
        after = f.patron_after_peak
        years = ("" if after is None else
                 f"{count_word(after[0])} years" if after[0] > 1 else "year")
        # nothing delivered before the peak in the window: what the other years brought, said
        # as the rest of the total (228 and 29 rounded apart did not add up to 256: a reader)
        # the rest's year, when it came in one (a flow over 'the four years after it' was
        # one delivery: an outside reader)
        rest = ("" if after is None else f"in {after[2][0]}" if len(after[2]) == 1 else
                f"in the {years} after it")
        peak = ("" if not f.patron_peak else
                f" (all but {num(after[1])} of them in {f.patron_peak[0]} alone, the rest {rest})"
                if after is not None and after[1] > 0
                and abs(volume[1] - f.patron_peak[1] - after[1]) < 0.05 else
                f" ({num(f.patron_peak[1])} of them in {f.patron_peak[0]} alone"
                + ("" if after is None else
                   f", and {'none' if after[1] == 0 else num(after[1])} in the {years} after it")
                + ")")
        # a sentence of its own (it hung on the shares' sentence by 'although': a reader)
        text += (f". {md(f.patron)}'s arms share fell even as the arms it delivered rose in "
                 f"volume, from {num(volume[0])} TIV million in {arms.earlier.window} to "
                 f"{num(volume[1])} million in {arms.latest.window}{peak}: other suppliers' "
                 "deliveries grew faster")
        shown = _where(("figure", "dependence"), ("figure", "patron_deliveries"))
    if f.patron_ended and len(f.break_steps) < 2:  # else the break finding names them
        text += f". {md(f.patron)}'s {listing(_short(n) for n in f.patron_ended)} left"
        shown = _where(("figure", "dependence"), ("table", "presence"))
    return KeyFinding(_cited(text, shown), (), where, () if stated else (trade, arms))


def _stated_shares(f: Findings, found: dict) -> tuple[int, int] | None:
    """The numbers of the arms and the trade findings when both are listed and give the
    windows the paradox compares (the arms finding its earlier window too), else None."""
    arms, arms_k, trade_k = f.share("arms"), found.get(_arms), found.get(_trade)
    if arms is None or arms_k is None or trade_k is None or f.new_leader is not None:
        return None
    early, late = f.arms_earlier, f.arms_latest
    if early is None or late is None or not early.of(f.patron).known \
            or (early.window.label, late.window.label) != (arms.earlier.window,
                                                           arms.latest.window):
        return None
    return arms_k, trade_k


def _patron_volume(f: Findings, arms: Change) -> tuple[float, float] | None:
    """The patron's deliveries (TIV million) in the two windows of its arms share, when they
    rose by a tenth or more while the share fell; else None."""
    early, late = f.arms_earlier, f.arms_latest
    if early is None or late is None or arms.direction != "down" \
            or (early.window.label, late.window.label) != (arms.earlier.window,
                                                           arms.latest.window):
        return None
    before, after = early.of(f.patron).part or 0.0, late.of(f.patron).part or 0.0
    return (before, after) if before > 0 and after >= 1.1 * before else None


def _short(name: str) -> str:
    """'Russian border guards at Zvartnots airport' -> 'border guards at Zvartnots airport'."""
    first, _, rest = name.partition(" ")
    return rest if first.endswith("n") and first[:1].isupper() and rest else name


def _gas_transfers(f: Findings) -> KeyFinding | None:
    gas, rem = f.share("gas"), f.share("remittances")
    parts, used = [], ()

    def share(key: str, c: Change, what: str) -> str:
        """'its share of … went from A in W1 to B in W2', or 'was B in W2 (why no earlier)'."""
        nonlocal used
        if c.earlier.known:
            used += (c.earlier, c.latest)
            return f"its share of {what} went {ph.from_to(c, True)}"
        used += (c.latest,)
        why = f" ({ph.no_earlier(f.gapless_from[key])})" if f.gapless_from.get(key) else ""
        return f"its share of {what} was {ph.from_to(c, True)}{why}"

    if gas is not None:
        parts.append(share("gas", gas, f"{md(f.focus)}'s gas imports by weight"))
    turned = f.turned("remittances")
    if rem is not None:  # all transfers, commercial ones too: not migrants' money alone
        # commercial payments said beside it: 'money transfers' alone reads as remittances,
        # which section 6 follows apart (an outside reader)
        parts.append(share("remittances", rem, "all money transfers received through banks, "
                           "commercial payments included,")
                     # a latest year that undid half the move: said beside the windows (Table
                     # 7.1 counts the share on neither side)
                     + (f", though in {turned[0]} alone it was {pct(turned[1])}"
                        f"{ph.mark(rem.latest.confidence)}, {ph.undone(rem, turned[1])}"
                        + ph.year_before(rem, f.prior_year.get("remittances"), turned[1],
                                         ph.mark(rem.latest.confidence))
                        if turned else ""))
    if not parts:
        return None
    where = (_where(("figure", "dependence"), ("figure", "dependence_over_time")) if turned
             else ref("figure", "dependence"))
    return KeyFinding(_cited(f"{md(f.patron)} stayed the main source of "
                             + ("gas and of money transfers" if gas is not None
                                and rem is not None else "gas" if gas is not None
                                else "money transfers") + f": {'; '.join(parts)}", where),
                      used, where)


def _people(m, undated: int, whose: str, confidence: str = "high",
            apart: tuple = (), alone: str = "") -> str:
    """', with 3,083 personnel by the latest published figure (undated; not every deployment
    published one)': the headcounts a presence measure adds up (rows less those without one),
    which of them are ceilings or authorised strengths (``apart``) and how many are undated
    (Table 1.1's marks), and whether some deployments published none. '' when none published
    a figure. ``alone``: the one deployment with a published figure, named as its own (an
    outside reader took the Gyumri base's count for Russia's total): ', of which only the
    Russian 102nd military base (Gyumri) has a published headcount: 3,083 personnel
    (undated)'."""
    if not m.part:
        return ""
    mark = ph.mark(confidence)
    figures, said = headcount(m.part, m.rows - int(m.total or 0), undated, whose, mark, apart)
    if alone:
        if not apart:  # a count: its number, not 'by its latest published figure' again
            figures = f"{num(m.part)}{mark} personnel"
        return (f", of which only the {md(alone)} has a published headcount: {figures}"
                + (f" ({said})" if said else ""))
    notes = [n for n in (said, "not every deployment published a figure" if m.total else "")
             if n]
    return ", with " + figures + (f" ({'; '.join(notes)})" if notes else "")


def _presence(f: Findings) -> KeyFinding | None:
    mine, theirs = f.patron_presence, f.partner_presence
    if mine is None:
        return None
    where = ref("table", "presence")
    # not a total (some deployments publish no count): the published counts added up, said
    # so; a ceiling or an authorised strength named beside them, not added
    # a floor when Table 1.1 leaves some of the patron's posts out (its note says why; here,
    # what 'at least' stands for, beside the count it qualifies: outside readers)
    left_out = (f" ({md(f.patron)}'s temporary border posts are left out)"
                if f.patron_posts_left_out else "")
    people = _people(mine, f.patron_presence_undated, "the", f.patron_people_confidence,
                     f.patron_presence_apart, f.patron_presence_alone)
    text = (f"On {date(f.as_of)} {md(f.patron)} kept "
            f"{'at least ' if f.patron_posts_left_out else ''}{ph.value(mine, True)} "
            f"{'in and around' if f.patron_presence_abroad else 'in'} {md(f.focus)}{left_out}"
            f"{people}")
    used = (mine,)
    if theirs is not None and theirs.value:
        # one deployment's figure is its own, not the partners' (an outside reader)
        text += (f"; {md(f.focus)}'s partners had {ph.value(theirs, True)} in the country"
                 + _people(theirs, f.partner_presence_undated,
                           "its" if theirs.value == 1 else "their",
                           f.partner_people_confidence, f.partner_presence_apart,
                           alone=f.partner_presence_alone))
        used += (theirs,)
    else:
        text += (f"; none of {md(ph.names(f.partners, 'or'))} had a standing deployment in the "
                 "country on that day")
    drills = f.partner_exercises
    if drills is not None and drills.value:  # listed apart, as Table 7.1 counts them
        n = int(drills.value)
        # the partners' own personnel, marked as Table 1.1 marks it (an outside reader read
        # '85 personnel' as the whole exercise, which the next page gives as 85 and 175)
        text += (f", and {'a joint exercise' if n == 1 else f'{count_word(n)} joint exercises'}"
                 + (f" with {added_up(drills.part, drills.rows - int(drills.total or 0))}"
                    f"{ph.mark(drills.confidence)} of their personnel" if drills.part else "")
                 + f" {'was' if n == 1 else 'were'} under way")
        used += (drills,)
    return KeyFinding(_cited(text, where), used, where)


def _alliance(f: Findings) -> KeyFinding | None:
    """What reliance brought when it was tested (section 3): the alliance's answer to the call
    for help, and the blockade of the road the patron's peacekeepers held; once the road opened
    for the region's people to flee, how many of them had arrived (the cost, counted: Table
    7.3). Otherwise dates only: the losses and the days stay in the sections' tables and charts."""
    t = f.alliance_test
    if t is None or t.request is None or t.answer is None:
        return None
    gap = indicators.days_between(t.attack, t.request)
    # the request dated first: 'when Armenia reported an attack … on 13 September' could be
    # read as dating the report, not the attack (an outside reader)
    when = "the day" if gap == 0 else f"{count_word(gap)} days after"
    text = (f"On {date(t.request)}, {when} {md(f.focus)} reported an attack by {md(f.rival)} "
            f"on its own territory, it invoked the {ALLIANCE_WORDS}'s mutual-defence clause, and "
            f"{count_word(indicators.days_between(t.request, t.answer))} days later the "
            f"alliance answered with {ANSWER}")
    where = ref("figure", "alliance")
    shown, measures = where, ()
    if t.blockade is not None:
        # sentences of their own: the finding ran as one sentence of five clauses
        road = (f". The only road between Nagorno-Karabakh and {md(f.focus)}, in the care of "
                f"{md(f.patron)}'s peacekeepers,")
        shown = [("figure", "corridor"), ("figure", "alliance")]
        if t.blockade_end is None:
            text += (f"{road} was still blocked on {date(f.as_of)}, as it had been since "
                     f"{date(t.blockade)}")
        else:
            text += f"{road} was blocked from {date(t.blockade)} until {date(t.blockade_end)}"
            if t.fled and t.offensive is not None:
                text += (f", when it opened for the region's people to flee to {md(f.focus)} "
                         f"after {md(f.rival)}'s offensive of {date(t.offensive)}")
                if t.displaced is not None and t.displaced.known:
                    # the cost, counted (the table in section 7 gives every count)
                    text += (f". By {t.displaced.window}, "
                             f"{ph.value(t.displaced, marked=True)} of them had arrived, by "
                             f"the count of {_counter(t.displaced_by, f.focus)}")
                    shown.append(("table", "offensive_toll"))
                    measures, where = (t.displaced,), ref("table", "offensive_toll")
        shown = _where(*shown)
    return KeyFinding(_cited(text, shown), measures, where)


def _counter(reported_by: str, focus: str) -> str:
    """Who made a count, short: "Armenia's government" for the Government of the Republic of
    Armenia, else as the data name it."""
    if reported_by.startswith("Government of") and reported_by.endswith(focus):
        return f"{md(focus)}'s government"
    return md(reported_by)


def _break(f: Findings) -> KeyFinding | None:
    """The shift of the latest years, from the anchored changes known at as_of."""
    steps = f.break_steps
    if len(steps) < MIN_BREAK_STEPS:
        return None
    where = ref("table", "after_article")
    return KeyFinding(_cited(shift_reading(f), where), (), where)


def shift_reading(f: Findings) -> str:
    """'In our reading Armenia's alignment shifted in 2024–2025. Five changes mark the shift,
    ...: in its ties with Russia, the freeze ... on 22 February 2024, ...' (no closing stop): the
    key finding's words (:func:`shift_headline` and the changes). Needs :data:`MIN_BREAK_STEPS`
    steps."""
    steps = f.break_steps
    own = [f"the {m} on {date(d)}" for d, m, with_patron in steps if with_patron]
    other = [f"the {m} on {date(d)}" for d, m, with_patron in steps if not with_patron]
    parts = []
    if own:
        parts.append(f"in its ties with {md(f.patron)}, {listing(own)}")
    if other:
        parts.append(f"in {md(f.focus)}'s other ties, {listing(other)}" if own else
                     listing(other))
    return f"{shift_headline(f)}: {'; '.join(parts)}"


def shift_headline(f: Findings) -> str:
    """'In our reading Armenia's alignment shifted in 2024–2025. Five changes mark the shift,
    not all of them Armenia's own acts' (no closing stop): the reading without its list of
    changes (section 7, where the changes are labelled in a figure, says it so)."""
    steps = f.break_steps
    years = span(steps[0][0].year, steps[-1][0].year)
    # that these changes make the shift is a reading, and is marked as one; "changes", not
    # "steps": not all are the focus country's own acts (a withdrawal is the patron's)
    return (f"In our reading {md(f.focus)}'s alignment shifted in {years}. "
            f"{count_word(len(steps), capital=True)} changes mark the shift, not all of them "
            f"{md(f.focus)}'s own acts")


def shift_pointer(f: Findings) -> str:
    """'Key finding 1 reads five of these events as the changes that mark a shift in Armenia's
    alignment in 2024–2025' (no closing stop): where section 7, beside the events, points back to the
    reading instead of saying it again in the key finding's words (an outside reader). The
    shift is always key finding 1 (the first of :data:`FINDERS`)."""
    steps = f.break_steps
    years = span(steps[0][0].year, steps[-1][0].year)
    return (f"Key finding 1 reads {count_word(len(steps))} of these events as the changes that "
            f"mark a shift in {md(f.focus)}'s alignment in {years}")


#: the reading first (a reader may stop after it), then what tested reliance, then the measures
FINDERS = (_break, _alliance, _arms, _trade, _paradox, _gas_transfers, _presence)


def key_findings(f: Findings) -> list[KeyFinding]:
    found: list[KeyFinding] = []
    number: dict = {}  # finder -> its finding's number
    for find in FINDERS:
        k = _paradox(f, _stated_shares(f, number)) if find is _paradox else find(f)
        if k is not None:
            found.append(k)
            number[find] = len(found)
    return found


def measured(t, f: Findings, stated: dict[str, int] | None = None) -> str:
    """What the indicators of the watch table say beside the changes of the break finding: the
    changes are events, the indicators measure ties, and the two need not agree. Every
    indicator is named with where it points. ``stated``: the number of the finding that states
    a measure, by its key (a share counted on neither side then refers to it)."""
    stated = stated or {}
    own = f"{f.patron}'s deployments"
    departures = any(with_patron for _, _, with_patron in f.break_steps)
    ended, partly = len(f.patron_ended), dict(t.partly)

    def item(name: str, away: bool) -> str:
        """An indicator with what qualifies it: the patron's deployments that ended, or how
        far a reading counted on a side went back."""
        if name == own and departures and ended and away:
            home = f.patron_ended_at_home  # an ending abroad is not the focus country's step
            focus = md(ph.the(f.focus))
            where = ("" if home == ended else f", outside {focus}" if not home else
                     f", {count_word(home)} of them in {focus} itself")
            return name + (f", {count_word(ended)} of which ended" if ended > 1 else
                           ", one of which ended") + where
        # a share counted on neither side: where its latest year stands, as its finding says
        key = next((k for k, label in LABELS.items() if label.lower() == name), None)
        turned = f.turned(key) if key is not None and not away else None
        if turned:
            c = f.share(key)
            if c.latest.key in stated:  # said there already, with its windows
                return f"{name}, see finding {stated[c.latest.key]}"
            return (f"{name}: {pct(turned[1])}{ph.mark(c.latest.confidence)} in {turned[0]}, "
                    f"{ph.undone(c, turned[1])}")
        return name + (f", {partly[name]}" if name in partly else "")

    groups = []
    for names, how in ((t.away, f"moved away from {md(f.patron)}"),
                       (t.toward, ("moved toward it", f"moved toward {md(f.patron)}")),
                       # where the latest year stands is said in the item (ph.undone)
                       (t.mixed, ("points neither way for now", "point neither way for now")),
                       (t.unplaced, "show no direction yet")):
        if names:
            items = [item(n, names is t.away) for n in names]
            listed = listing(items, clauses=True)  # an item's own clause: semicolons between
            if names is t.toward:  # 'it' is the patron only after the group that names it
                how = how[0] if t.away else how[1]
            elif isinstance(how, tuple):
                how = how[0] if len(names) == 1 else how[1]
            groups.append((count_word(len(names)), how, listed))
    table = number_of("table", "watch")
    # the reference up front; the first group's list after a colon, in a sentence of its own
    # (it was a bracket holding clauses and a bracket of their own: an outside reader), the
    # others with their lists in brackets
    from .outlook import series_lag, series_reach

    # that the share series trail the changes is said where the changes are read (the closing
    # box said it alone: an outside reader took the indicators for a test of the reading); the
    # share series only: deployments and the latest survey wave are counted to the edition's
    # date (a review)
    text = (f"The {count_word(t.total)} indicators of Table {table}, section "
            f"{table.split('.')[0]}, give a more mixed picture"
            + (f", and {series_reach(f)}" if series_lag(f) else "")
            + ".")
    if groups:
        (n, how, listed), *rest = groups
        text += f" {sentence_start(n)} {how}: {listed}."
        if rest:
            others = "; ".join(f"{n} {how} ({listed})" for n, how, listed in rest)
            text += f" {sentence_start(others)}."
    return text


def summary(s):
    from .outlook import tally

    found = key_findings(s.findings)
    stated = {m.key: i for i, k in enumerate(found, 1) for m in k.measures}
    found = [replace(k, text=f"{k.text} {measured(tally(s), s.findings, stated)}")
             if k.ref == ref("table", "after_article") else k for k in found]
    if not found:
        return s.text(f"The evidence base holds too little on {md(s.p.focus)} in this window "
                      "to state key findings.")
    lines = [f"{i}. {k.text}" for i, k in enumerate(found, 1)]
    return s.text("\n".join(lines))


def marked(found: list[KeyFinding], level: str = "medium") -> bool:
    """Whether any value a key finding states is of confidence ``level`` (medium: the marker;
    low: 'unconfirmed')."""
    return any(m.confidence == level for k in found
               for m in (*k.measures, *(x for c in k.changes for x in (c.earlier, c.latest))))


def conventions(s):
    """How to read the numbers above: the medium-confidence marker, the window convention and
    the edition's date."""
    found = key_findings(s.findings)
    # each mark explained where the page carries it, and only there
    note = ((MEDIUM_NOTE + " " if marked(found) else "")
            + ("Low-confidence figures read \u201cunconfirmed\u201d. " if marked(found, "low")
               else ""))
    return s.text(note +
        "Shares are computed over five-year windows, so that one year weighs less than it "
        + (f"would alone (the note to Figure {number_of('figure', 'dependence')} says how the "
           "windows are chosen)" if s.findings.dependence else
           "would alone: the latest complete one is set against the window ten years earlier (or, "
           "where a series starts later, the earliest complete window that shares no year with "
           "the latest)")
        # (that a few deliveries can decide an arms share is finding 5's own point)
        + ". "
        f"This edition uses only what was published by {date(s.p.as_of)}"
        + (f", except {but}." if (but := exceptions_text(s.revised_series, s.later_copies))
           else "."))
