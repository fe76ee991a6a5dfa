"""Section 3, Russian involvement and its limits: the ceasefire the patron brokered, its
peacekeepers, the Lachin corridor from open road to blockade, and the alliance that did not come
when the rival attacked the focus country's own territory.

Pure computations (day counts, corridor phases) are small functions at the top so that they can
be tested without a kernel; the builders below them return one display object each.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.patches import Patch

from .. import charts, indicators, theme
from ..evidence_refs import LOSS_MEASURES, at_precision, in_date_order
from ..measures.presence import peacekeepers
from ..phrasing import names
from ..prose import date, listing, md, month, num
from ..sections import label
from . import ledger
from ._common import BASIS_WORDS, count_word, events_matching, loss_cells, mid_sentence

SEPT_2022_CONFLICT = "September 2022 clashes"  # the attack's label in casualties.csv
#: the alliance's later steps after the request and the response are found by this title word
ALLIANCE_WORDS = "CSTO"
#: what the alliance sent when asked for help (event E053), said alike in section 3 and the key
#: findings
ANSWER = "a fact-finding mission, not troops"
#: anchors (data/anchors.csv) dated on the corridor that are not phase boundaries
CORRIDOR_MARKS = ("icj_lachin_order", "lachin_closure_2023")


# ---------------------------------------------------------------------------- pure computations
def involves(events: pd.DataFrame, *actors: str) -> pd.DataFrame:
    """Events whose semicolon-separated ``actors`` include every name given."""
    if events.empty:
        return events
    names = events["actors"].fillna("").str.split(";")
    mask = names.map(lambda found: all(a in found for a in actors))
    return events[mask.astype(bool)]


def elapsed(start, end, as_of) -> tuple[int, pd.Timestamp, bool]:
    """Days from ``start`` to ``min(end, as_of)`` (end missing = still running at ``as_of``).

    Returns (days, the end used, ongoing). Days are elapsed days (end - start), never negative.
    """
    start, limit = pd.Timestamp(start), pd.Timestamp(as_of)
    ongoing = end is None or pd.isna(end) or pd.Timestamp(end) > limit
    stop = limit if ongoing else pd.Timestamp(end)
    return max(0, (stop - start).days), stop, bool(ongoing)


def corridor_phases(as_of, open_from=None, blockade_start=None, checkpoint=None,
                    blockade_end=None, rival: str = "rival", patron: str = "patron"
                    ) -> pd.DataFrame:
    """Consecutive phases of the corridor, each ending where the next begins or at ``as_of``.

    Columns: phase, start, end, days, ongoing. A phase that had not begun by ``as_of`` is left
    out; so is the checkpoint phase when the checkpoint came after the blockade ended.
    """
    limit = pd.Timestamp(as_of)
    marks = []
    if open_from is not None and pd.notna(open_from):
        marks.append((f"Open, watched by {patron}'s peacekeepers", pd.Timestamp(open_from)))
    if blockade_start is not None and pd.notna(blockade_start):
        marks.append(("Blocked", pd.Timestamp(blockade_start)))
        if checkpoint is not None and pd.notna(checkpoint) and (
                blockade_end is None or pd.isna(blockade_end)
                or pd.Timestamp(checkpoint) < pd.Timestamp(blockade_end)):
            marks.append((f"Blocked, {rival} checkpoint in place", pd.Timestamp(checkpoint)))
    marks = [(name, at) for name, at in sorted(marks, key=lambda m: m[1]) if at <= limit]
    rows = []
    for i, (name, start) in enumerate(marks):
        if i + 1 < len(marks):
            end = marks[i + 1][1]
        else:  # the last phase: a blockade ends at its end date; an open road runs on
            end = blockade_end if name.startswith("Blocked") else None
        days, stop, ongoing = elapsed(start, end, limit)
        rows.append({"phase": name, "start": start, "end": stop, "days": days,
                     "ongoing": ongoing})
    return pd.DataFrame(rows, columns=["phase", "start", "end", "days", "ongoing"])


def blockade_days(phases: pd.DataFrame) -> int:
    """Days the corridor was blocked: the sum of the blocked phases."""
    if phases.empty:
        return 0
    return int(phases.loc[phases["phase"].str.startswith("Blocked"), "days"].sum())


def span_text(days: int) -> str:
    """A span at the precision a reader needs: '9 days', '14 months', '3 years and 7 months'
    (as the text says it: :func:`years_and_months`), '33 years' (whole years completed: 33
    years and 7 months 'so far' read as '34 years so far' overstated it, to an outside
    reader)."""
    if days < 120:
        return f"{num(days)} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{_whole_months(days)} months"
    years = days / 365.25
    return years_and_months(days).removeprefix("about ") if years < 10 else f"{int(years)} years"


def presence_text(days: int) -> str:
    """How long a force or mission was present, from :func:`elapsed`'s ``days``: the calendar
    days on which it was there, both ends counted (an exercise of 11-20 September: '10 days')."""
    return span_text(days + 1)


def _whole_months(days: int) -> int:
    """Whole months of 30.44 days in ``days``, counting a span a day short of one as one."""
    return int((days + 1) / 30.44)


def years_and_months(days: int) -> str:
    """1,310 days -> 'about 3 years and 7 months': whole months of 30.44 days, within a day (a
    span 'so far' is never rounded up, and every span is counted the same way; 365 days is a
    year)."""
    months = _whole_months(days)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months or not parts:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return "about " + " and ".join(parts)


# ---------------------------------------------------------------------------- finding events
def _ceasefire(s):
    """The ceasefire anchor (an Anchor, or a falsy NotYet)."""
    return s.ev.anchor("ceasefire_2020")


def _all_peacekeepers(s) -> pd.DataFrame:
    """Peacekeeping deployments in the focus or the rival country, whoever sent them."""
    return peacekeepers(s.ev.deployments, (s.p.focus, s.p.rival))


def _keeper(s) -> str:
    """Whose peacekeepers held the corridor, from the deployments (the patron's by default):
    the story names them by the data, not by the edition's choice of patron."""
    found = _all_peacekeepers(s)
    return str(found["deployer"].iloc[0]) if not found.empty else s.p.patron


def _peacekeepers(s) -> pd.DataFrame:
    found = _all_peacekeepers(s)
    return found[found["deployer"] == s.p.patron]


def _corridor(s) -> dict:
    """The corridor's anchors known at as_of: blockade, checkpoint (None when not yet), and the
    corridor's events (the anchors plus the dated marks such as the court order)."""
    blockade, checkpoint = s.ev.anchor("blockade_start"), s.ev.anchor("lachin_checkpoint")
    known = [a for a in (blockade, checkpoint, *(s.ev.anchor(k) for k in CORRIDOR_MARKS)) if a]
    events = (pd.concat([a.frame() for a in known]) if known
              else s.ev.events.iloc[0:0])
    return {"events": events, "blockade": blockade.row if blockade else None,
            "checkpoint": checkpoint.row if checkpoint else None,
            "not_yet": None if blockade else blockade}


def _phases(s, corridor: dict) -> pd.DataFrame:
    keepers = _peacekeepers(s)
    open_from = keepers["start_date"].min() if not keepers.empty else None
    b, c = corridor["blockade"], corridor["checkpoint"]
    return corridor_phases(s.p.as_of, open_from=open_from,
                           blockade_start=None if b is None else b["date"],
                           checkpoint=None if c is None else c["date"],
                           blockade_end=None if b is None else b["end_date"],
                           rival=s.p.rival, patron=s.p.patron)


def _attack(s):
    """The September 2022 attack anchor (an Anchor, or a falsy NotYet)."""
    return s.ev.anchor("attack_sept_2022")


def _alliance_thread(s, since) -> pd.DataFrame:
    """The request for help, the alliance's response and its later steps known at as_of."""
    known = [a.frame() for a in (s.ev.anchor("csto_request_2022"),
                                 s.ev.anchor("csto_response_2022")) if a]
    ev = involves(s.ev.events, s.p.focus)
    later = events_matching(ev, ALLIANCE_WORDS)
    rows = pd.concat([*known, later]) if known else later.iloc[0:0]
    rows = rows.drop_duplicates("event_id").assign(date=lambda f: pd.to_datetime(f["date"]))
    return in_date_order(rows[rows["date"] >= pd.Timestamp(since)])


# ---------------------------------------------------------------------------- a bespoke chart
def event_ladder(rows: pd.DataFrame, group_of, colours: dict, size=theme.TALL,
                 label_of=None, max_chars: int = 52, day_axis: bool = False):
    """One event per row, earliest on top: a dot at its date and its label beside it.

    ``group_of(row)`` names the legend group (coloured by ``colours``); ``label_of(row)`` gives
    (title, suffix): the title is wrapped onto a second line when long (never cut), the suffix
    kept. Labels sit right of the
    dot in the left half of the axis and left of it in the right half, so none leave the frame.
    Low-confidence events are drawn hollow.
    """
    if rows.empty:
        return charts.empty("No events in the evidence base fall in this window.", size)
    rows = rows.sort_values(["date", "event_id"]).reset_index(drop=True)
    fig, ax = theme.new_figure(size)
    first, last = rows["date"].min(), rows["date"].max()
    pad = max(pd.Timedelta(days=20), (last - first) * 0.04)
    ax.set_xlim(first - pad, last + pad)
    middle = first + (last - first) / 2
    seen = set()
    for i, row in rows.iterrows():
        y = len(rows) - 1 - i
        group = group_of(row)
        colour = colours.get(group, theme.OTHER)
        low = row["confidence"] == "low"
        ax.axhline(y, color="#F0F0F0", lw=0.6, zorder=0)
        ax.scatter([row["date"]], [y], s=34, color="white" if low else colour, edgecolor=colour,
                   linewidth=1.3, zorder=3, label=None if group in seen else group)
        seen.add(group)
        title, suffix = label_of(row) if label_of else (row["title"], "")
        when = at_precision(row["date"], row.get("date_precision", "day"))
        right = row["date"] <= middle
        # wrapped to the room on its side (7-point text is about 3.9 points a character; the
        # axes span the figure's width but for about half an inch of margins), so that a long
        # label near the middle stays inside the frame; the suffix (e.g. " (+2 d)") is never
        # broken across lines
        xmin, xmax = ax.get_xlim()
        at = mdates.date2num(row["date"])
        room = (xmax - at if right else at - xmin) / (xmax - xmin)
        fits = int(room * (fig.get_figwidth() - 0.5) * 72 / 3.9) - 4
        text = textwrap.fill(f"{when}  {title}{suffix.replace(' ', chr(0xA0))}",
                             max(24, min(max_chars, fits)))
        ax.annotate(text, (row["date"], y), xytext=(6 if right else -6, 0),
                    textcoords="offset points", ha="left" if right else "right", va="center",
                    fontsize=7, color=theme.INK,  # on white: the row rules and the date grid
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.9})
    ax.set_yticks([])
    ax.set_ylim(-0.8, len(rows) - 0.2)
    ax.grid(axis="y", visible=False)
    ax.spines["left"].set_visible(False)
    date_axis(ax, first, last)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(3, len(seen)),
              handletextpad=0.3)
    if (rows["confidence"] == "low").any():
        ax.text(1.0, -0.1, charts.HOLLOW_NOTE, ha="right",
                transform=ax.transAxes, fontsize=6.5, color=theme.MUTED)
    return fig


def date_axis(ax, first, last) -> None:
    """Readable date ticks for a span from ``first`` to ``last`` (years, half-years or months)."""
    days = (pd.Timestamp(last) - pd.Timestamp(first)).days
    if days > 12 * 365:
        locator = mdates.YearLocator(5)
    elif days > 6 * 365:
        locator = mdates.YearLocator(2)
    elif days > 2.5 * 365:
        locator = mdates.YearLocator()
    elif days > 400:
        locator = mdates.MonthLocator(bymonth=(1, 7))
    elif days > 120:
        locator = mdates.MonthLocator(bymonth=(1, 4, 7, 10))
    else:
        locator = mdates.MonthLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y" if days > 2.5 * 365 else "%b %Y"))


def _gantt(ax, y, start, end, colour, ongoing=False, hollow=False, height=0.56):
    ax.barh(y, (end - start).days, left=start, height=height,
            color="white" if hollow else colour, edgecolor=colour, linewidth=1.0)
    if ongoing:
        ax.annotate("", (end + pd.Timedelta(days=25), y), (end, y),
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.0})


# ---------------------------------------------------------------------------- builders
def _in_cast(s, found, *names) -> bool:
    """Whether an anchor event involves every named country of the cast."""
    actors = str(found["actors"]).split(";")
    return all(n in actors for n in names)


def _not_covered(s, what: str):
    cast = listing([s.p.focus, s.p.rival, s.p.patron])
    return s.text(f"The evidence base records no {what} involving {cast}, so this part of the "
                  "section is left out.")


def intro(s):
    """The section's question; each later turn of the story only once the edition has reached
    it (anchors: the 2020 ceasefire, the blockade, the 2022 attack)."""
    truce = _ceasefire(s)
    if not truce or not _in_cast(s, truce, s.p.patron):  # the broker's story is the patron's
        return s.text(
            f"What did {md(s.p.patron)}'s role as broker and security guarantor in the conflict "
            f"amount to? This section measures {md(s.p.patron)}'s forces in and around "
            f"{md(s.p.focus)} and the road between {md(s.p.focus)} and Nagorno-Karabakh, as far "
            f"as the evidence base records them by {date(s.p.as_of)}.")
    parts = ["how long the peacekeepers stayed" if s.ev.anchor("peacekeepers_withdrawn")
             else "how long the peacekeepers have been there so far"]
    blockade = s.ev.anchor("blockade_start")
    if blockade:
        over = blockade.end_date is not None and blockade.end_date <= pd.Timestamp(s.p.as_of)
        parts.append("how long the road was blocked while it was in their care" if over
                     else "how long the road has been blocked while in their care")
    if _attack(s):
        parts.append(f"what {md(s.p.focus)}'s treaty allies did when its own territory came "
                     "under attack")
    return s.text(
        f"Did {md(s.p.patron)}'s role after the {truce.date.year} war protect {md(s.p.focus)}? "
        f"{md(s.p.patron)} ended the war as its broker, with peacekeepers on the ground and the "
        f"only road between {md(s.p.focus)} and Nagorno-Karabakh in their care. This section "
        f"measures what that presence amounted to: {listing(parts)}.")


def presence_note(s):
    truce = _ceasefire(s)
    if not truce:
        return s.text("")
    dep = s.ev.deployments
    partners = dep[dep["deployer"].isin(s.p.partners) & (dep["host"] == s.p.focus)]
    older = dep[(dep["deployer"] == s.p.patron) & (dep["host"] == s.p.focus)
                & (dep["start_date"] < truce.date)]
    beside = []
    if not older.empty:
        beside.append(f"{md(s.p.patron)}'s older presence in {md(s.p.focus)}")
    if not partners.empty:
        beside.append(f"the smaller missions of "
                      f"{md(names(dict.fromkeys(partners['deployer'])))} that arrived later")
    return s.text(
        "The chart sets the peacekeepers"
        + (" beside " + " and beside ".join(beside) if beside else "") + ".")


def corridor_intro(s):
    if not _ceasefire(s):
        return s.text("")
    return s.text(
        f"After the war a single road linked Nagorno-Karabakh to {md(s.p.focus)}, and the "
        f"ceasefire statement placed it under {md(_keeper(s))}'s peacekeepers. The chart below "
        "divides the road's recent history into phases and counts the days of each.")


def ceasefire_summary(s):
    """Who ended the 2020 war, and how long the patron's peacekeepers stayed."""
    truce = _ceasefire(s)
    if not truce:
        return s.text(truce.sentence())
    if not _in_cast(s, truce, s.p.focus, s.p.rival, s.p.patron):
        return _not_covered(s, "ceasefire")
    text = [(f"The war of {truce.date.year} ended with a statement signed by the leaders of "
            f"{md(s.p.focus)}, {md(s.p.rival)} and {md(s.p.patron)}, which took effect on "
            f"{date(truce.date)}. By signing it, {md(s.p.patron)} became a party to the "
            "settlement rather than a bystander.")]
    keepers = _peacekeepers(s)
    if keepers.empty:
        text.append(f" The evidence base records no peacekeeping deployment by "
                    f"{md(s.p.patron)} at this date.")
        return s.text("".join(text))
    k = keepers.sort_values("start_date").iloc[0]
    days, stop, ongoing = elapsed(k["start_date"], k["end_date"], s.p.as_of)
    same_day = pd.Timestamp(k["start_date"]) == truce.date
    when = "the same day" if same_day else "from " + date(k["start_date"])
    # what the figure gives of their numbers, as the data call it (a mandate's ceiling was
    # read as a count: an outside reader)
    figure = label("figure", "peacekeepers")
    numbers = (f"{figure} shows them" if pd.isna(k.get("personnel_persons")) else
               {"ceiling": "the ceiling on their numbers is",
                "authorised": "their authorised strength is"}.get(
                   str(k.get("personnel_basis")), "their numbers are") + f" in {figure}")
    text.append(f" Its peacekeepers deployed {when} ({numbers})")
    if ongoing:
        text.append(f" and were still there {years_and_months(days)} later, on "
                    f"{date(s.p.as_of)}.")
    else:
        text.append(f"; the last of them left on {date(stop)}, {years_and_months(days)} "
                    "after they arrived.")
    # the section's question at its hardest test: the offensive that took the area they held
    # (an outside reader found it only in section 7's tables)
    offensive, fired_on = s.ev.anchor("offensive_2023"), s.ev.anchor("peacekeepers_fired_on_2023")
    if offensive and fired_on and s.p.patron in str(fired_on["actors"]).split(";"):
        text.append(f" {md(s.p.rival)}'s offensive of {date(offensive.date)} took the region "
                    f"they were deployed in: on {date(fired_on.date)} "
                    f"{md(mid_sentence(str(fired_on['description'])))}")
    return s.text("".join(text))


def presence_chart(s):
    """Gantt of the patron's forces and the partners' missions in and around the focus country."""
    dep = s.ev.deployments
    rows = dep[((dep["host"] == s.p.focus) | (dep["deployer"] == s.p.patron))
               & (dep["deployer"] != s.p.focus)]
    if rows.empty:
        return s.text(f"The evidence base records no foreign deployment in {md(s.p.focus)} "
                      f"by {date(s.p.as_of)}.")
    truce = _ceasefire(s)
    limit = pd.Timestamp(s.p.as_of)
    view_from = pd.Timestamp(f"{truce.date.year if truce else limit.year - 5}-01-01")
    view_from = max(min(view_from, rows["start_date"].max() - pd.Timedelta(days=90)),
                    pd.Timestamp(f"{s.p.start_year}-01-01"))
    # at least a year in view (an edition dated early in its start year left none)
    view_from = min(view_from, limit - pd.Timedelta(days=365))
    rows = rows.assign(_end=rows["end_date"].fillna(limit))
    rows = rows[rows["_end"] >= view_from].sort_values(["start_date", "deployment_id"])
    fig, ax = theme.new_figure(theme.TALL)
    labels = []
    whole = (limit - view_from).days

    def fits(text: str, days: float) -> bool:
        """Whether a bar label fits in ``days`` of the axis: a 6.5-pt character takes about
        1.1% of its width."""
        return len(text) * 0.011 < days / whole

    for i, r in enumerate(rows.itertuples()):
        y = len(rows) - 1 - i
        start = max(r.start_date, view_from)
        colour = theme.colour(r.deployer)
        days, stop, ongoing = elapsed(r.start_date, r.end_date, limit)
        _gantt(ax, y, start, stop, colour, ongoing=ongoing, hollow=r.confidence == "low")
        if r.start_date < view_from:
            ax.text(view_from, y + 0.36, f"from {r.start_date:%Y}", fontsize=6.5,
                    color=theme.MUTED, va="bottom")
        basis = str(getattr(r, "personnel_basis", ""))  # a ceiling is not a headcount
        people = (f"{num(r.personnel_persons)} personnel"
                  + (f" ({basis})" if basis in BASIS_WORDS else "")
                  if pd.notna(r.personnel_persons) else "headcount not published")
        label = f"{people}, {presence_text(days)}" + (" so far" if ongoing else "")
        # a label that would overrun its bar goes beside it, on two lines where one would
        # overrun the space there ('209 personnel (authorised), …' was cut at both ends)
        if (stop - start).days > whole * 0.45 and fits(label, (stop - start).days):
            at, ha, ink = start + (stop - start) / 2, "center", "white"  # inside a long bar
        elif (limit - stop).days > whole * 0.4:  # right of a bar that ended early
            at, ha, ink = stop + pd.Timedelta(days=whole * 0.012), "left", theme.INK
        else:  # left of a bar near the as-of date
            at, ha, ink = start - pd.Timedelta(days=whole * 0.012), "right", theme.INK
        room = (limit - stop).days if ha == "left" else (start - view_from).days
        if ha != "center" and not fits(label, room * 0.95):
            label = f"{people},\n{label.removeprefix(people + ', ')}"  # headcount; time
        ax.text(at, y, label, fontsize=6.5, va="center", ha=ha, linespacing=1.1,
                color=theme.INK if r.confidence == "low" else ink)
        labels.append(textwrap.fill(r.name, 34))
    ax.set_yticks(range(len(rows))[::-1], labels, fontsize=6.8)
    ax.set_ylim(-0.6, len(rows) - 0.3)
    ax.set_xlim(view_from, limit + (limit - view_from) * 0.06)
    ax.axvline(limit, color=theme.MUTED, lw=0.8, ls=":")
    ax.text(limit, 1.01, f"as of {limit:%d %b %Y}", transform=ax.get_xaxis_transform(),
            fontsize=6.5, color=theme.MUTED, va="bottom", ha="right")
    ax.grid(axis="y", visible=False)
    date_axis(ax, view_from, limit)
    handles = [Patch(color=theme.colour(d), label=d) for d in dict.fromkeys(rows["deployer"])]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.02),
              ncols=len(handles), borderaxespad=0)
    keepers = _peacekeepers(s)
    main = ""
    if not keepers.empty:
        k = keepers.iloc[0]
        d, _, on = elapsed(k["start_date"], k["end_date"], limit)
        cap = "up to " if str(k.get("personnel_basis")) == "ceiling" else ""  # not a count
        size = (cap + num(k["personnel_persons"]) if pd.notna(k["personnel_persons"])
                else "unknown")
        main = (f" {s.p.patron}'s peacekeeping contingent of {size}"
                f" personnel {'has been present for' if on else 'was present for'} {presence_text(d)}"
                f"{' so far' if on else ''}.")
    return s.figure(
        fig,
        caption=(f"Foreign forces and missions in and around {s.p.focus}, "
                 f"{view_from:%Y}–{limit:%Y}: who was present, with how many personnel, and for "
                 "how long"),
        alt=(f"Gantt chart of {len(rows)} deployments by {listing(dict.fromkeys(rows['deployer']))}"
             f" from {view_from:%B %Y} to {limit:%B %Y}, one bar per deployment, labelled with "
             f"personnel and time present; arrows mark deployments still running.{main}"),
        data=[rows.drop(columns="_end")], key="peacekeepers",
        note="Time present counts the calendar days from the start date to the end date or, "
             "for a deployment still running, to the as-of date, both included, in whole "
             "months or years (never rounded up). Bars that began earlier are cut at the left "
             "edge.")


def corridor_chart(s):
    """Phases of the Lachin corridor as a Gantt: open, blocked, blocked with a checkpoint."""
    c = _corridor(s)
    if c["blockade"] is None:
        return s.text(c["not_yet"].sentence())
    if not _in_cast(s, c["blockade"], s.p.focus, s.p.rival):
        return s.text(f"The evidence base records no blockade between {md(s.p.focus)} and "
                      f"{md(s.p.rival)}, so the corridor's story is left out of this edition.")
    phases = _phases(s, c)
    first, last = phases["start"].min(), phases["end"].max()
    span = max((last - first).days, 1)
    # dated points of the corridor's story that are not phase boundaries (a court order, the
    # handover of the district) and the fighting that ended the blockade
    ev = involves(s.ev.events, s.p.focus, s.p.rival)
    first_blocked = phases.loc[phases["phase"].str.startswith("Blocked"), "start"].min()
    fighting = ev[(ev["category"] == "conflict") & (ev["date"] > first_blocked)]
    marks = pd.concat([c["events"][~c["events"]["date"].isin(set(phases["start"]))], fighting])
    marks = marks[marks["date"].between(first - pd.Timedelta(days=60), last)]
    marks = marks.drop_duplicates("event_id").sort_values("date")
    n = len(phases)
    # the "other dated events" row gets a line of its own per label (read from top to bottom)
    fig, ax = theme.new_figure((6.6, 1.2 + 0.62 * (n + (1 if len(marks) else 0))
                                + 0.16 * max(0, len(marks) - 2)))
    shades = ["#56B4E9", theme.colour(s.p.rival), "#8C2D04"]
    if not phases.iloc[0]["phase"].startswith("Open"):
        shades = shades[1:]
    outside = []
    for i, p in phases.iterrows():
        y = n - i
        colour = shades[min(i, len(shades) - 1)]
        _gantt(ax, y, p["start"], p["end"], colour, ongoing=p["ongoing"])
        text = f"{num(p['days'])} days" + (" so far" if p["ongoing"] else "")
        inside = (p["end"] - p["start"]).days > span * 0.2
        at = p["start"] + (p["end"] - p["start"]) / 2 if inside else \
            p["end"] + pd.Timedelta(days=span * 0.015 + (25 if p["ongoing"] else 0))
        outside.append(ax.text(at, y, text, ha="center" if inside else "left", va="center",
                               fontsize=7, color="white" if inside else theme.INK, zorder=4,
                               bbox=None if inside else {"facecolor": "white",
                                                         "edgecolor": "none", "pad": 1}))
    ticks, names = list(range(n, 0, -1)), list(phases["phase"])
    leaders = []
    if len(marks):
        # one label per line, stacked in the row left of the earliest mark (where the row is
        # empty), each joined to its mark by a thin leader: labels never run into each other
        k = len(marks)
        label_x = marks["date"].min() - pd.Timedelta(days=span * 0.03)
        for j, (_, m) in enumerate(marks.iterrows()):
            ax.axvline(m["date"], color="#BBBBBB", lw=0.6, ls="--", zorder=0)
            ax.scatter([m["date"]], [0], marker="D", s=18, zorder=3,
                       color="white" if m["confidence"] == "low" else theme.MUTED,
                       edgecolor=theme.MUTED)
            level = 0.0 if k == 1 else 0.32 - j * (0.87 + 0.26 * max(0, k - 2)) / (k - 1)
            leaders.append(ax.annotate(f"{at_precision(m['date'], m['date_precision'])} {m['title']}",
                        (m["date"], 0), xytext=(label_x, level), textcoords="data",
                        va="center", ha="right", fontsize=6, color=theme.INK,
                        # the leader leaves from the label's end, not its middle: leaders
                        # of long labels then never cross each other or other labels
                        arrowprops={"arrowstyle": "-", "color": "#999999", "lw": 0.5,
                                    "shrinkA": 2, "shrinkB": 3, "relpos": (1, 0.5)}))
        ticks.append(0)
        names.append("Other dated events")
    ax.set_yticks(ticks, names, fontsize=7.5)
    low = -0.7 - 0.26 * max(0, len(marks) - 2)
    ax.set_ylim(low, n + 0.6)
    ax.set_xlim(first - pd.Timedelta(days=max(30, span * 0.03)),
                last + pd.Timedelta(days=span * (0.2 if phases["ongoing"].iloc[-1] else 0.15)))
    # a phase label right of its bar ("145 days so far") is never cut by the frame: widen the
    # axis to its end
    theme.fit(fig)
    renderer = fig.canvas.get_renderer()
    right = max((t.get_window_extent(renderer).x1 for t in outside), default=0)
    frame = ax.get_window_extent(renderer)
    if right > frame.x1 - 4:
        lo, hi = ax.get_xlim()
        ax.set_xlim(lo, hi + (right - frame.x1 + 8) * (hi - lo) / frame.width)
    for leader in leaders:
        # a label longer than the room left of the marks (at the final limits) is wrapped, not
        # run past the axis
        box = leader.get_window_extent(renderer)
        if box.x0 < frame.x0 + 2:
            text = leader.get_text()
            leader.set_text(textwrap.fill(text, max(20, int(len(text) * (box.x1 - frame.x0 - 6)
                                                           / box.width))))
    ax.grid(axis="y", visible=False)
    date_axis(ax, first, last)
    total = blockade_days(phases)
    ongoing = bool(phases["ongoing"].iloc[-1])
    ax.text(0.99, 0.97, f"Road blocked: {num(total)} days{' so far' if ongoing else ' in all'}",
            transform=ax.transAxes, ha="right", va="top", fontsize=8, fontweight="bold",
            color=theme.colour(s.p.rival), zorder=4,  # over the marks' rules, on white
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    used = pd.concat([c["events"], marks]).drop_duplicates("event_id")
    return s.figure(
        fig,
        caption=(f"The Lachin corridor between {s.p.focus} and Nagorno-Karabakh, "
                 f"{first:%B %Y}–{last:%B %Y}: from open road to blockade"),
        alt=(f"Gantt chart of {n} phases of the Lachin corridor from {first:%B %Y} to "
             f"{last:%B %Y}: {listing(mid_sentence(p) for p in phases['phase'])}. The road was blocked for "
             f"{total} days{' by the as-of date, and still blocked' if ongoing else ''}; "
             "diamonds mark other dated events."),
        data=[used, _peacekeepers(s)], key="corridor",
        note=("Days are elapsed days from the start of each phase to the start of the next, "
              + ("and from the start of the last to the as-of date (the blockade had not ended)."
                 if ongoing else "and for the last phase to the end of the blockade.")))


def corridor_summary(s):
    c = _corridor(s)
    if c["blockade"] is None or not _in_cast(s, c["blockade"], s.p.focus, s.p.rival):
        return s.text("")  # corridor_chart has said why
    phases = _phases(s, c)
    b = c["blockade"]
    ongoing = bool(phases["ongoing"].iloc[-1])
    total = blockade_days(phases)
    text = [(f"The road was blocked from {date(b['date'])}, when people presenting themselves as "
            "environmental protesters stopped traffic on it.")]
    cp = c["checkpoint"]
    if cp is not None:
        before = phases[phases["phase"] == "Blocked"]
        text.append(f" On {date(cp['date'])}, {years_and_months(int(before['days'].iloc[0]))} "
                    f"into the blockade, {md(s.p.rival)} set up a checkpoint at the corridor's "
                    f"entry, near a post of {md(_keeper(s))}'s peacekeepers.")
    closure = s.ev.anchor("lachin_closure_2023")
    if closure:
        text.append(f" On {date(closure.date)} humanitarian traffic was stopped too, including "
                    f"convoys of the Red Cross and of {md(_keeper(s))}'s peacekeepers.")
    if ongoing:
        text.append(f" On {date(s.p.as_of)} the blockade had lasted "
                    f"{years_and_months(total)} and was still in place "
                    f"({label('figure', 'corridor')}).")
    else:
        end = phases["end"].max()
        offensive, exodus = s.ev.anchor("offensive_2023"), s.ev.anchor("exodus_start")
        after = ""
        if offensive and offensive.date <= end:
            after = (f", when the road opened for the region's people to flee to "
                     f"{md(s.p.focus)} after {md(s.p.rival)}'s offensive of "
                     f"{date(offensive.date)}" if exodus and exodus.date == end else
                     f", after {md(s.p.rival)}'s offensive of {date(offensive.date)}: by then "
                     f"the road had become the route by which the region's people fled to "
                     f"{md(s.p.focus)}")
        text.append(f" The blockade lasted {years_and_months(total)} in all; the evidence base "
                    f"dates its end to {date(end)}{after} ({label('figure', 'corridor')}; what "
                    "followed is in section 7).")
    if not _peacekeepers(s).empty:
        text.append(f" All of this happened in the zone {md(_keeper(s))}'s peacekeepers were "
                    "sent to control; the data do not record what orders they had.")
    return s.text("".join(text))


def _official_losses(s) -> pd.DataFrame:
    """Each side's official counts of the September 2022 losses known at as_of."""
    cas = s.ev.casualties
    return cas[(cas["conflict"] == SEPT_2022_CONFLICT) & cas["side"].isin([s.p.focus, s.p.rival])
               & cas["is_official"].fillna(False).astype(bool)]


def attack_losses(s):
    """Each side's official count of the September 2022 losses, side by side, never merged."""
    attack = _attack(s)
    if not attack:
        return s.text(attack.sentence())
    if not _in_cast(s, attack, s.p.focus, s.p.rival):
        return s.text(f"The evidence base records no attack by {md(s.p.rival)} on "
                      f"{md(s.p.focus)}'s own territory, so this part of the section is left "
                      "out.")
    rows = _official_losses(s)
    if rows.empty:
        return s.text(f"The evidence base holds no official casualty count for the fighting "
                      f"of {date(attack['date'])} dated on or before {date(s.p.as_of)}.")
    rows = rows.sort_values(["side", "measure"], key=lambda col: col.map(
        {s.p.focus: 0, s.p.rival: 1, **{m: i for i, m in enumerate(LOSS_MEASURES)}}).fillna(9))
    table = pd.DataFrame({
        **loss_cells(rows),  # as in the other loss tables: a count read in a copy marked
        "Reported by": rows["reported_by"],
        "Note": rows["note"].fillna("") + rows["confidence"].map(
            lambda c: " (unconfirmed)" if c == "low" else ""),
    })
    missing = [side for side in (s.p.focus, s.p.rival) if side not in set(rows["side"])]
    note = ("Each side counts its own losses; the figures are not independently verified and "
            "are not added together.")
    if missing:
        note += (f" No official count by {listing(missing)} dated on or before "
                 f"{date(s.p.as_of)} is in the evidence base.")
    return s.table(table, (f"Losses in the fighting of {attack['date']:%B %Y}, as each side "
                           "officially reported them"), data=[rows], note=note,
                   key="attack_losses")


def _own_step(row, exchange: set, focus: str) -> bool:
    """Whether an event of the alliance thread is one of the focus country's own later steps
    (its first actor, outside the request and the response), not the alliance's or its members'
    answer: the chart colours these and the text counts them (the text had counted the Kremlin's
    answer to the freeze as a step of Armenia's: a review)."""
    return row["event_id"] not in exchange and str(row["actors"]).split(";")[0] == focus


def alliance_chart(s):
    """The request to the alliance and what followed, one event per row."""
    attack = _attack(s)
    if not attack or not _in_cast(s, attack, s.p.focus, s.p.rival):
        return s.text("")  # attack_losses has said why
    thread = _alliance_thread(s, attack["date"])
    rows = pd.concat([attack.frame(), thread]).drop_duplicates("event_id")
    rows["date"] = pd.to_datetime(rows["date"])
    if thread.empty:
        return s.text(f"After the attack of {date(attack['date'])}, the evidence base records "
                      f"no exchange between {md(s.p.focus)} and the alliance by "
                      f"{date(s.p.as_of)}.")
    request = thread.iloc[0]["date"]

    def by_month(row) -> bool:  # the request or the event dated to the month: no day count
        return "day" != row.get("date_precision", "day") or \
            "day" != thread.iloc[0].get("date_precision", "day")

    def label(row):
        days = indicators.days_between(request, row["date"])
        if days <= 0:
            return row["title"], ""
        if by_month(row):
            # 'c.', not '~': at label size the tilde read as a minus ('+−20 mo')
            return row["title"], f" (c. +{indicators.months_between(request, row['date'])} mo)"
        return row["title"], f" (+{days} d)"

    months = any(by_month(row) for _, row in rows[rows["date"] > request].iterrows())

    # the focus's own later steps away from the alliance are not part of the exchange: a colour
    # of their own (the first actor of an event is the one who took the step)
    exchange = {a.event_id for a in (s.ev.anchor("csto_request_2022"),
                                     s.ev.anchor("csto_response_2022")) if a}
    # the attack as the text gives it: by the focus country's account
    groups = {"attack": f"Attack, by {s.p.focus}'s account", "alliance": "Request and response",
              "own": f"{s.p.focus}'s later steps", "answers": "Allies' later answers"}

    def group(r) -> str:
        if r["event_id"] == attack["event_id"]:
            return groups["attack"]
        if r["event_id"] in exchange:
            return groups["alliance"]
        # an ally's answer to a later step (the Kremlin's to the freeze) is neither the request
        # nor the response (a review: the legend had called it so)
        return groups["own"] if _own_step(r, exchange, s.p.focus) else groups["answers"]

    colours = {groups["attack"]: theme.colour(s.p.rival),
               groups["alliance"]: theme.colour(s.p.patron),
               groups["own"]: theme.colour(s.p.focus), groups["answers"]: theme.MUTED}
    shown = {group(r) for _, r in rows.iterrows()}
    fig = event_ladder(rows, group, {k: v for k, v in colours.items() if k in shown},
                       size=(6.6, max(2.6, 0.28 * len(rows) + 1.2)), label_of=label,
                       max_chars=64)
    last = rows["date"].max()
    return s.figure(
        fig,
        caption=(f"{s.p.focus} and its treaty allies ({ALLIANCE_WORDS}) after the attack of "
                 f"{attack['date']:%B %Y}: request, response and later steps, "
                 f"{attack['date']:%b %Y}–{last:%b %Y}"),
        alt=(f"Event chart of {len(rows)} dated events from {date(attack['date'])} to "
             f"{date(last)}: the attack by {s.p.focus}'s account, its request for help under the "
             "alliance treaty and what followed, each labelled with the time since the "
             "request."),
        data=[rows], key="alliance",
        note=("Days (+d) are counted from the request for help"
              + ("; an event dated only to the month shows approximate months (c. +mo)." if months
                 else ".")))


def alliance_summary(s):
    attack = _attack(s)
    if not attack:
        return s.text("")  # attack_losses has said the story had not got there
    if not _in_cast(s, attack, s.p.focus, s.p.rival):
        return s.text("")
    attacker, *attacked = str(attack["actors"]).split(";")
    if (attacker, attacked[:1]) != (s.p.rival, [s.p.focus]):
        return s.text("")  # the data record this attack the other way round
    request, response = s.ev.anchor("csto_request_2022"), s.ev.anchor("csto_response_2022")
    text = [(f"On {date(attack.date)}, by {md(s.p.focus)}'s account, {md(s.p.rival)} attacked "
             f"{md(s.p.focus)}'s internationally recognised territory on a large scale"
             # the text comes first (it introduces the table and the chart below it)
             + (f"; each side's count of its own losses is in {label('table', 'attack_losses')}."
                if not _official_losses(s).empty else "."))]
    if request:
        gap = indicators.days_between(attack.date, request.date)
        when = "The same day" if gap == 0 else f"{count_word(gap, True)} days later"
        text.append(f" {when} {md(s.p.focus)} invoked Article 4 of the Collective Security "
                    "Treaty, the CSTO's mutual-defence clause, and asked its allies for help, "
                    "military aid included.")
    if request and response:
        wait = indicators.days_between(request.date, response.date)
        text.append(f" {count_word(wait, True)} days later the alliance answered with {ANSWER}.")
        # what the alliance offered later and why it was turned down (an outside reader: 'not
        # troops' beside a declined aid package, with no reason given, read as one-sided)
        offer = s.ev.anchor("csto_offer_declined")
        if offer and s.p.focus in str(offer["actors"]).split(";"):
            text.append(f" {md(str(offer['description']).rstrip('.'))} ({date(offer.date)}).")
    thread = _alliance_thread(s, attack.date)
    known = {a.event_id for a in (request, response) if a}
    later = thread[[_own_step(r, known, s.p.focus) for _, r in thread.iterrows()]]
    if not later.empty:
        last = pd.Timestamp(later["date"].max())
        text.append(f" By {date(s.p.as_of)} {md(s.p.focus)} had taken {count_word(len(later))} further "
                    f"step{'s' if len(later) != 1 else ''} away from the alliance, the last in "
                    f"{last:%B %Y} ({label('figure', 'alliance')}).")
    return s.text("".join(text))


def takeaway(s):
    """What the section's data say and do not say."""
    truce, blockade, attack = _ceasefire(s), s.ev.anchor("blockade_start"), _attack(s)
    if not truce or not _in_cast(s, truce, s.p.focus, s.p.rival, s.p.patron):
        return s.text("")
    says = [f"{md(s.p.patron)} brokered the {truce.date.year} ceasefire and sent peacekeepers"]
    offensive, exodus = s.ev.anchor("offensive_2023"), s.ev.anchor("exodus_start")
    if blockade:
        # how the blockade ended and when the peacekeepers left, once the edition knows (the
        # box had stayed as the 2023 edition's: an outside reader)
        # the statement put the road under the peacekeepers' control and made the rival
        # guarantor of safe passage (the ledger says so; an outside reader found 'there to
        # keep open' stronger than the mandate)
        says.append(f"the one road placed under the control of {md(s.p.patron)}'s "
                    "peacekeepers was blocked all the same"
                    + (f", until it opened for the region's people to flee after "
                       f"{md(s.p.rival)}'s offensive of {date(offensive.date)}"
                       if offensive and exodus else ""))
    if attack and s.ev.anchor("csto_response_2022"):
        # the answer's words are the narrative's and key finding 2's: said otherwise here
        says.append(f"when {md(s.p.focus)} reported an attack on its own territory and asked "
                    f"its alliance for help, none of {md(s.p.focus)}'s allies sent troops")
    withdrawn = s.ev.anchor("peacekeepers_withdrawn")
    if withdrawn and s.p.patron in str(withdrawn["actors"]).split(";"):
        says.append(f"the peacekeepers had left by {month(withdrawn.date)}")
    text = ("What the data say: " + "; ".join(says) + ". What they do not say: why. The "
            "evidence base records dates, deployments and requests, not the orders given to "
            f"{md(_keeper(s))}'s peacekeepers or the deliberations of {md(s.p.focus)}'s allies.")
    corridor = _corridor(s)  # the claims on the corridor: their verdicts, said once, here
    rated = ledger.ratings_of(s, 3, [e["event_id"] for e in (corridor["blockade"],
                                                             corridor["checkpoint"])
                                     if e is not None])
    if rated:
        text += (" The claim ledger (Appendix A) rates each of the article's claims on the "
                 f"corridor: {rated}.")
    return s.text(text)
