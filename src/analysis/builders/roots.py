"""Section 2, the roots of discontent: the conflict since 1988, the 2020 war, the military balance."""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from .. import charts, indicators, theme
from .. import phrasing as ph
from ..measures import suppliers
from ..prose import date, listing, md, month, num, pct, ratio, span, year_runs
from ..sections import label, number_of
from ._common import (
    UNITS_NOTE,
    count_word,
    country,
    figure_events,
    losses_table,
    units_cells,
)

DRONE_WORDS = "UAV|loitering|drone"


def intro(s):
    """The section's question; the 2020 war only once the edition has reached it."""
    war = s.ev.anchor("war_2020_start")
    if war:
        return s.text(
            f"How did a conflict older than independent {md(s.p.focus)} turn into the war of "
            f"{war.date.year}, and did the military balance foretell its outcome? This section "
            "follows the Nagorno-Karabakh conflict from the Karabakh movement of 1988 and "
            "measures the balance before the fighting: what each side spent on its armed "
            "forces, and who supplied its weapons.")
    return s.text(
        f"How did a conflict older than independent {md(s.p.focus)} shape the military balance "
        f"between {md(s.p.focus)} and {md(s.p.rival)}? This section follows the "
        "Nagorno-Karabakh conflict from the Karabakh movement of 1988 and measures that "
        "balance: what each side spent on its armed forces, and who supplied its weapons.")


def suppliers_intro(s):
    war = s.ev.anchor("war_2020_start")
    text = f"The chart and table below show who supplied {md(s.p.rival)}'s arsenal"
    if war:
        text += (", including the armed drones and loitering munitions that drew wide "
                 f"attention in {war.date.year}; what part they played in the outcome is a "
                 "judgement the delivery data cannot settle.")
    else:
        text += ", including armed drones and loitering munitions where it received any."
    return s.text(text)


def _conflict_events(s) -> tuple[pd.DataFrame, bool]:
    """The events Figure 2.1 places, and whether they are the conflict over Nagorno-Karabakh
    (the anchor involves the cast's rival) or only the events involving both countries."""
    ev = s.ev.events
    conflict = ev[ev["section"].isin([2, 3]) | ev["category"].isin(["conflict", "ceasefire"])]
    start = s.ev.anchor("conflict_start")
    covered = bool(start) and _covers_rival(s, start)
    names = conflict["actors"].fillna("").str.split(";")
    if covered:
        # fighting and ceasefires that involve either country (not Russia's war on Ukraine,
        # which an outside reader found listed as an event of this conflict)
        return conflict[names.map(lambda a: s.p.rival in a)
                        | (conflict["category"].isin(["conflict", "ceasefire"])
                           & names.map(lambda a: s.p.focus in a or s.p.rival in a))], True
    # another rival: only the events that involve both countries of the cast
    return conflict[_involve_both(conflict, s)], False


def _involve_both(events: pd.DataFrame, s) -> pd.Series:
    """Which ``events`` name both the focus and the rival among their actors."""
    return events["actors"].fillna("").str.split(";").map(
        lambda a: s.p.focus in a and s.p.rival in a).astype(bool)


def conflict_intro(s):
    """What the timeline places and where it ends; what followed is section 7's."""
    conflict, covered = _conflict_events(s)
    if conflict.empty:
        return s.text("")  # the timeline's place says what there is
    text = ("The timeline below places the dated events of the conflict itself: the fighting, "
            "the ceasefires and the steps around them" if covered else
            f"The timeline below places the dated events involving both {md(s.p.focus)} and "
            f"{md(s.p.rival)}")
    end = conflict["date"].max()
    text += f". It ends on {date(end)}"
    ev = s.ev.events
    later = ev[_involve_both(ev, s) & (ev["date"] > end) & (ev["section"] == 7)]
    if not later.empty:
        # the span, not a count: section 7's table has no column of actors, so a reader could
        # not pick out the events between the two (an outside reader)
        text += (f"; what followed between {md(s.p.focus)} and {md(s.p.rival)}, from "
                 f"{month(later['date'].min())} to {month(later['date'].max())}, is in section 7")
    return s.text(text + ".")


def conflict_timeline(s):
    conflict, covered = _conflict_events(s)
    if conflict.empty and not covered:
        return s.text(f"The evidence base records no dated conflict events involving both "
                      f"{md(s.p.focus)} and {md(s.p.rival)}.")
    labels = conflict[conflict["category"].isin(["conflict", "ceasefire"])]
    labels = labels.sort_values("date").groupby(labels["date"].dt.year // 4).head(1)
    fig = charts.timeline(conflict, label_ids=labels["event_id"].head(9))
    first, last = conflict["date"].min(), conflict["date"].max()
    return s.figure(
        fig,
        caption=((f"The conflict over Nagorno-Karabakh, {span(f'{first:%Y}', f'{last:%Y}')}: "
                  if covered else f"Events involving {s.p.focus} and {s.p.rival}, "
                  f"{span(f'{first:%Y}', f'{last:%Y}')}: ")
                 + f"{len(conflict)} dated events by kind"), key="conflict_timeline",
        alt=(f"Timeline chart of {len(conflict)} events from {first:%B %Y} to {last:%B %Y}, "
             "one lane per kind of event (conflict, ceasefire, diplomacy and others); "
             "selected wars and ceasefires are labelled."),
        note=f"{label('table', 'conflict_events')} lists every event.",
        data=[conflict])


def conflict_events(s):
    """Every event of Figure 2.1, one per row (the figure labels a few)."""
    return figure_events(s, _conflict_events(s)[0], "events", "conflict_timeline",
                         "conflict_events")


def _covers_rival(s, found) -> bool:
    """Whether an anchor event involves the report's focus and rival (the cast parameters)."""
    actors = str(found["actors"]).split(";")
    return s.p.focus in actors and s.p.rival in actors


def war_summary(s):
    start = s.ev.anchor("war_2020_start")
    if not start:
        return s.text(start.sentence())
    if not _covers_rival(s, start):
        return s.text(f"The evidence base records no war between {md(s.p.focus)} and "
                      f"{md(s.p.rival)}, so the account of the 2020 war is left out of this "
                      "edition.")
    truce = s.ev.anchor("ceasefire_2020")
    text = [f"The second war over Nagorno-Karabakh began on {date(start.date)}"]
    if truce:
        days = indicators.days_between(start.date, truce.date)
        text.append(f" and lasted {days} days, until a ceasefire took effect on "
                    f"{date(truce.date)}.")
    else:
        text.append(f"; by {date(s.p.as_of)} no ceasefire had taken effect.")
    text.append(" Each side published its own count of its dead. "
                f"{label('table', 'war_losses')} keeps every count on its own row, with who made it, and never adds one side's count to the other's: neither side's figure "
                "has been independently verified.")
    return s.text("".join(text))


def war_losses(s):
    truce = s.ev.anchor("ceasefire_2020")
    if not truce or not _covers_rival(s, truce):
        return s.text("")  # war_summary has said why
    cas = s.ev.casualties
    war = cas[cas["conflict"] == "2020 war"]
    if war.empty:
        return s.text(f"No count of the losses of the 2020 war dated on or before "
                      f"{date(s.p.as_of)} is in the evidence base.")
    return losses_table(s, war, "Losses in the 2020 war, as each source reported them",
                        "war_losses")


#: the wars marked on the yearly spending chart: anchor -> short label
WAR_MARKS = {"four_day_war": "four-day war", "war_2020_start": "2020 war"}


def spending(s):
    milex = s.ev.military_expenditure
    pair = [s.p.focus, s.p.rival]
    rows = milex[(milex["measure"] == "share_of_gdp_pct") & milex["country"].isin(pair)]
    rows = rows.rename(columns={"value": "share"})
    if rows.empty:
        return s.text(f"No SIPRI spending figures for {listing(pair)} fall in this window.")
    marks = {}
    for key, short in WAR_MARKS.items():  # each where it began within its year, from the data
        war = s.ev.anchor(key)
        if war and rows["year"].min() <= war.date.year <= rows["year"].max():
            marks[war.date.year + (war.date.dayofyear - 1) / 365.25] = short
    fig = charts.lines(rows, "year", "share", "country", "% of GDP", marks=marks)
    first, last = int(rows["year"].min()), int(rows["year"].max())
    return s.figure(
        fig, caption=f"Military spending as a share of GDP, {listing(pair)}, {span(first, last)}",
        note=series_notes(rows),
        alt=(f"Line chart of military expenditure as a percentage of GDP for {' and '.join(pair)}"
             f" from {first} to {last}"
             + (", with " + " and ".join(f"the {v}" if v.endswith("war") else v
                                          for v in marks.values()) + " marked."
                if marks else ".")
             # the values at the right-hand end, not the chart's kind alone (a reader)
             + f" In {last}: " + ", ".join(
                 f"{r.country} {num(r.share, 1)}%" for r in rows[rows["year"] == last]
                 .sort_values("country").itertuples()) + "."),
        data=[rows], key="military_burden")


def spending_gap(s):
    milex = s.ev.military_expenditure
    gap = indicators.spending_ratio(milex, s.p.rival, s.p.focus)
    if gap.empty:
        return s.text(f"No constant-price spending figures for both {md(s.p.rival)} and "
                      f"{md(s.p.focus)} fall in this window.")
    measure, base = indicators.constant_measure(milex)  # a ratio exists: so does the measure
    used = milex[(milex["measure"] == measure) & milex["country"].isin([s.p.focus, s.p.rival])
                 & milex["year"].isin(gap["year"])]
    gap = gap.assign(country=f"{s.p.rival} ÷ {s.p.focus}")
    fig, ax = theme.new_figure(size=(6.6, 3.0))  # (a little lower: the section's pages fit)
    ax.fill_between(gap["year"], 1, gap["ratio"], color=theme.colour(s.p.rival), alpha=0.25)
    ax.plot(gap["year"], gap["ratio"], color=theme.colour(s.p.rival))
    estimated = [y for y in gap["year"] if _flagged(used, y, (s.p.focus, s.p.rival))]
    est = gap[gap["year"].isin(estimated)]  # a ratio resting on an estimate: an open circle
    ax.scatter(est["year"], est["ratio"], s=12, facecolor="white",
               edgecolor=theme.colour(s.p.rival), lw=0.9, zorder=3)
    ax.axhline(1, color=theme.MUTED, lw=0.8)
    ax.set_ylabel(f"{s.p.rival} spending ÷ {s.p.focus} spending")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    peak = gap.loc[gap["ratio"].idxmax()]
    ax.annotate(f"{num(peak['ratio'], 1)}× in {int(peak['year'])}", (peak["year"], peak["ratio"]),
                xytext=(6, 4), textcoords="offset points", fontsize=7)
    first, last = int(gap["year"].min()), int(gap["year"].max())
    return s.figure(
        # a price base a later release set is not named in an edition that could not know it
        # (the multiple is the same in any base; the source line names the later release)
        fig, caption=(f"{s.p.rival}'s military spending as a multiple of {s.p.focus}'s, "
                      f"{span(first, last)} (constant "
                      f"{'' if s.from_later_release(used) else f'{base} '}US dollars)"),
        alt=(f"Area chart of the ratio of {s.p.rival}'s to {s.p.focus}'s military spending "
             f"from {first} to {last}; it peaks at {num(peak['ratio'], 1)} in {int(peak['year'])}."),
        data=[used], key="spending_gap",
        note=series_notes(used))


def series_notes(rows: pd.DataFrame) -> str | None:
    """What a chart's note says about the spending figures it draws: which are the publisher's
    estimates, and what its footnotes say some years count (plain text, one sentence each)."""
    said = []
    estimates = rows[_estimated(rows)]
    if len(estimates):
        said.append("SIPRI estimates (open circles): " + "; ".join(
            f"{c} {year_runs(g['year'])}" for c, g in estimates.groupby("country")) + ".")
    noted = rows[rows["note"].notna() & (rows["note"] != "")]
    for (who, note), g in noted.groupby(["country", "note"]):
        said.append(f"{who}, {year_runs(g['year'])}: {note}.")
    return " ".join(said) or None


def _estimated(rows: pd.DataFrame) -> pd.Series:
    """Which rows hold the publisher's estimates (a blank flag is not one)."""
    return rows["estimate"].astype("boolean").fillna(False).astype(bool)


def _flagged(milex: pd.DataFrame, year: int, countries) -> str:
    """" (Azerbaijan's figure is a SIPRI estimate)" when a figure behind a year's ratio is the
    publisher's estimate."""
    rows = milex[(milex["year"] == year) & milex["country"].isin(countries)]
    who = list(rows.loc[_estimated(rows), "country"])
    if not who:
        return ""
    return (f" ({md(who[0])}'s figure is a SIPRI estimate)" if len(who) == 1 else
            " (both figures are SIPRI estimates)")


def _last_full_year(as_of) -> int:
    """The last calendar year complete on ``as_of`` (annual figures are dated 31 December)."""
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def gdp_share_comparison(milex, focus: str, rival: str) -> dict | None:
    """In how many years the focus country spent a larger share of GDP than the rival: years
    compared, years higher, the first and last year, and the first year of the current run."""
    rows = milex[(milex["measure"] == "share_of_gdp_pct") & milex["country"].isin([focus, rival])]
    wide = rows.pivot_table(index="year", columns="country", values="value").dropna()
    if wide.empty or focus not in wide or rival not in wide:
        return None
    higher = wide[focus] > wide[rival]
    years = [int(y) for y in wide.index]
    run_from = None
    for year, above in zip(reversed(years), reversed(list(higher)), strict=True):
        if bool(above) != bool(higher.iloc[-1]):
            break
        run_from = year
    return {"years": len(years), "higher": int(higher.sum()), "first": years[0],
            "last": years[-1], "run_from": run_from, "higher_now": bool(higher.iloc[-1])}


def balance_text(s):
    milex = s.ev.military_expenditure
    gap = indicators.spending_ratio(milex, s.p.rival, s.p.focus)
    share = gdp_share_comparison(milex, s.p.focus, s.p.rival)
    text = []
    if not gap.empty:
        first, last = gap.iloc[0], gap.iloc[-1]
        peak = gap.loc[gap["ratio"].idxmax()]
        whose = f"{md(s.p.focus)}'s"
        measure, _ = indicators.constant_measure(milex)
        const = milex[milex["measure"] == measure]
        pair = (s.p.focus, s.p.rival)
        peak_year = int(peak["year"])
        counted = const[(const["year"] == peak_year) & (const["country"] == s.p.rival)
                        & const["note"].notna() & (const["note"] != "")]
        years = year_runs(const.loc[(const["country"] == s.p.rival)
                                    & (const["note"].isin(counted["note"])), "year"])
        why = (f" (SIPRI's figures for {md(s.p.rival)} in {years} count more than its main "
               f"defence budget: see the note to "
               f"{s.note_printed_by('Figure ' + number_of('figure', 'spending_gap'))})"
               if len(counted) else "")
        text.append(
            f"In constant dollars, {md(s.p.rival)}'s spending on its armed forces was "
            f"{ratio(first['ratio'], whose)} in {int(first['year'])}"
            f"{_flagged(const, int(first['year']), pair)}, "
            f"{ratio(peak['ratio'])} at the peak in {peak_year}{why}, and "
            f"{ratio(last['ratio'])} in {int(last['year'])}, "
            + ("the last complete year before the edition's date"
               if int(last["year"]) == _last_full_year(s.p.as_of) else
               "the last year of SIPRI's constant-price series in this evidence base")
            + f" ({label('figure', 'spending_gap')}).")
    if share:
        run = ""
        if share["run_from"] is not None and share["last"] - share["run_from"] >= 2 \
                and share["run_from"] > share["first"]:
            who = "it" if share["higher_now"] else md(s.p.rival)
            run = (f", and {who} spent the larger share in each year from {share['run_from']} "
                   f"to {share['last']}")
        text.append(
            f" Measured against the size of each economy the picture is mixed: {md(s.p.focus)} "
            f"spent a larger share of GDP than {md(s.p.rival)} in {share['higher']} of the "
            f"{share['years']} years from {share['first']} to {share['last']}{run} "
            f"({label('figure', 'military_burden')}).")
    return s.text("".join(text).strip())




def _period_note(rows) -> str:
    """What the chart's periods span: five calendar years, and the last one as far as the
    register goes (said so when it is shorter)."""
    first_of_last, last = suppliers.last_period(rows)
    years = last - first_of_last + 1
    if years == suppliers.PERIOD:
        return "Periods are five calendar years."
    return (f"Periods are five calendar years; the last, {span(first_of_last, last)}, has "
            f"{count_word(years)} year{'s' if years != 1 else ''}, up to the last year of SIPRI "
            f"data in this edition ({last}).")


def arms_suppliers(s):
    rows = suppliers.supplier_periods(s.ev.arms_imports, s.p.rival)
    if rows.empty:
        return s.text(f"No SIPRI arms deliveries to {md(s.p.rival)} fall in this window.")
    thin = suppliers.thin_last_period(rows)
    fig = charts.stacked_shares(rows, "period", "supplier", "tiv_m",
                                f"% of {s.p.rival}'s arms imports (TIV)",
                                weak=thin["period"] if thin else None)
    first = int(rows["year"].min()) // suppliers.PERIOD * suppliers.PERIOD  # the first bar's
    return s.figure(
        fig, caption=(f"Who armed {s.p.rival}: supplier shares of arms deliveries by five-year "
                      f"period, {span(first, suppliers.last_period(rows)[1])}"),
        alt=(f"Stacked bar chart of the shares of {s.p.rival}'s major arms imports by supplier for "
             "each five-year period, measured in SIPRI trend-indicator values. "
             + _leaders_alt(rows, thin)),
        data=[rows], key="rival_suppliers",
        note="TIV is SIPRI's trend-indicator value, a measure of military capability "
             "transferred, not of money paid. " + _period_note(rows)
             + (f" The {thin['period']} bar (hatched: incomplete data) rests on "
                f"{num(thin['tiv'])} TIV million, against {num(thin['before_tiv'])} million in "
                f"{thin['before']}: {ph.unrecorded(s.p.rival, thin['period'])}."
                if thin else "")
             + _published_beside(s, suppliers.period_shares(rows).drop(
                 index=[thin["period"]] if thin else [])))


def _leaders_alt(rows: pd.DataFrame, thin: dict | None) -> str:
    """'Largest supplier: Georgia 72% in 2000–04; ...': each full period's leader and share
    (Figure 2.4's alt text, which had named only the chart's kind: a reader); a thin last
    period is said to rest on too little."""
    shares = suppliers.period_shares(rows).drop(columns="total")
    periods = [p for p in shares.index if not thin or p != thin["period"]]
    leaders = "; ".join(f"{shares.loc[p].idxmax()} {pct(shares.loc[p].max())} in {p}"
                        for p in periods)
    return (f"Largest supplier: {leaders}." if leaders else "") + (
        f" The {thin['period']} bar rests on incomplete data." if thin else "")


def rival_suppliers_text(s):
    """What Figure 2.4 shows, in words: whether the patron armed the rival too, in which period
    its share peaked, and who led in the last period the register covers fully."""
    rows = suppliers.supplier_periods(s.ev.arms_imports, s.p.rival)
    if rows.empty:
        return s.text("")
    thin = suppliers.thin_last_period(rows)
    shares = suppliers.period_shares(rows)
    if thin:  # too few rows to say who supplied it (the figure's note says so)
        shares = shares.drop(index=thin["period"])
    if shares.empty:
        return s.text("")
    by_supplier = shares.drop(columns="total")
    last = shares.index[-1]
    leader = by_supplier.loc[last].idxmax()
    patron = s.p.patron
    mine = by_supplier.get(patron)
    text = []
    if mine is None or not (mine > 0).any():
        text.append(f"{md(patron)} does not appear among {md(s.p.rival)}'s suppliers in the "
                    "register.")
    else:
        peak = mine.idxmax()
        led = by_supplier.loc[peak].idxmax() == patron
        biggest = (f", in the period of {md(s.p.rival)}'s largest recorded imports "
                   f"({num(shares.loc[peak, 'total'])} TIV million)"
                   if shares["total"].idxmax() == peak else "")
        text.append(
            f"{md(patron)} armed {md(s.p.rival)} too: "
            + (f"it was the largest supplier in {peak}, with {pct(mine[peak])} of deliveries by "
               f"SIPRI trend-indicator value{biggest}." if led else
               f"its share of deliveries by SIPRI trend-indicator value peaked at "
               f"{pct(mine[peak])} in {peak}{biggest}."))
        if last != peak:
            text.append(f" In {last} {md(country(leader))} led with "
                        f"{pct(by_supplier.loc[last, leader])}"
                        + (f", and {md(patron)}'s share was {pct(mine[last])}."
                           if leader != patron and mine[last] > 0 else
                           f"; {md(patron)} delivered nothing." if leader != patron else "."))
    return s.text("".join(text))


def _published_beside(s, shares: pd.DataFrame) -> str:
    """' The bars are sums of SIPRI's current register; its fact sheets of the time gave Russia
    85% in 2010–14 and 31% in 2015–19.': the published five-year shares beside the register's
    sums the chart draws (``shares``: periods by supplier, %), where they differ by a whole point
    as printed (an audit held the fact sheets' 85% and 31% against the text's 80% and 29%);
    '' where none differ."""
    published = s.ev.arms_import_shares
    rows = published[(published["recipient"] == s.p.rival)
                      & (published["supplier"] == s.p.patron)]
    given = {p: (v, c) for p, v, c in zip(rows["period"], rows["share_pct"], rows["confidence"],
                                          strict=True)}
    ours = shares.get(s.p.patron, pd.Series(dtype=float))
    differ = []
    for period, value in ours.items():
        first, last = suppliers.period_start(period), suppliers.period_end(period)
        theirs, confidence = given.get(f"{first}-{last}", (None, None))
        if theirs is not None and pct(theirs) != pct(value):
            # read in news copies of the fact sheets: medium, marked as the notes mark it
            differ.append(f"{pct(theirs)}{ph.mark(confidence)} in {period}")
    # plain text (a note), not Markdown: no escaping
    return (f" The bars are sums of SIPRI's current register; its fact sheets of the time gave "
            f"{s.p.patron} {listing(differ, escape=False)}." if differ else "")


def drones(s):
    deliveries = s.ev.arms_deliveries
    found = deliveries[(deliveries["recipient"] == s.p.rival)
                       & deliveries["description"].str.contains(DRONE_WORDS, case=False,
                                                                na=False)]
    if found.empty:
        return s.text(f"SIPRI records no deliveries of drones or loitering munitions to "
                      f"{md(s.p.rival)} in this window.")
    grouped = (found.groupby(["supplier", "designation", "description"], as_index=False)
               .agg(first=("delivery_year", "min"), years=("delivery_year", year_runs),
                    units=("units_delivered", "sum"), estimate=("units_is_estimate", "any")))
    grouped = grouped.sort_values(["first", "supplier"])
    table = pd.DataFrame({
        "Supplier": grouped["supplier"],
        "Weapon": grouped["designation"],
        "Type": grouped["description"],
        "Delivered": grouped["years"],
        "Units": units_cells(grouped["units"], grouped["estimate"]),
    })
    return s.table(table, f"Drones and loitering munitions delivered to {s.p.rival} (SIPRI)",
                   data=[found], note=UNITS_NOTE,
                   key="rival_drones")


def _counted_apart(s, years) -> list[int]:
    """Those of ``years`` whose constant-price figure of either country carries one of SIPRI's
    footnotes on what it counts (Azerbaijan's 2011–2015 special allocations): a multiple of
    such a year is not set against the years counted without them."""
    milex = s.ev.military_expenditure
    measure, _ = indicators.constant_measure(milex)
    rows = milex[(milex["measure"] == measure) & milex["country"].isin([s.p.focus, s.p.rival])
                 & milex["note"].notna() & (milex["note"] != "")]
    return sorted(set(rows["year"].astype(int)) & {int(y) for y in years})


def _eve_of_war(s, gap: pd.DataFrame) -> str:
    """The section's question, whether the balance foretold the 2020 war, answered from the
    spending gap: its multiple in the last full year before the war, against the years before
    that SIPRI counts the same way (a footnoted run, such as Azerbaijan's 2011–2015 special
    allocations, would otherwise make a narrowing of its own: an outside reader); '' when the
    war is not yet known, the year is missing or the gap had not narrowed."""
    war = s.ev.anchor("war_2020_start")
    if not war:
        return ""
    eve = war.date.year - 1
    row = gap[gap["year"] == eve]
    if row.empty or float(row["ratio"].iloc[0]) <= 1:
        return ""
    r = float(row["ratio"].iloc[0])
    before = gap[gap["year"] < eve]
    apart = _counted_apart(s, before["year"])
    if apart:
        before = before[before["year"] > apart[-1]]
    if before.empty:
        return ""
    whose = f"{md(s.p.focus)}'s"
    said = (f"in {eve}, the last year before the war of {war.date.year}, {md(s.p.rival)} spent "
            f"{ratio(r, whose)}")
    if apart:
        top = before.loc[before["ratio"].idxmax()]
        if float(top["ratio"]) <= r or int(top["year"]) >= eve - 1:
            return ""  # no narrowing over the comparable years
        said += f", down from {ratio(float(top['ratio']))} in {int(top['year'])}"
        # why the years before are left out is said under the figure (SIPRI's footnotes)
        # the reason in words, not 'the years SIPRI counts alike' (jargon: an outside reader)
        # (the years before those are left out too: the comparison starts after the last; the
        # note that explains them is the one under the share-of-GDP chart)
        left_out = (f" (from {apart[-1] + 1} on, after the years SIPRI counts differently, "
                    f"{year_runs(apart)}; see the note to {label('figure', 'military_burden')})")
    else:
        left_out = ""
        lower = before.loc[before["ratio"] <= r, "year"]
        if not lower.empty and int(lower.max()) >= eve - 2:
            return ""  # it was as low a year or two earlier
        said += (f", the smallest multiple since {int(lower.max())}" if not lower.empty
                 else f", the smallest multiple of the series, which starts in "
                      f"{int(before['year'].min())}")
    return f"{said}: its lead had narrowed in the years just before the war{left_out}"


def _burden_beside(s, burden: dict | None, years: tuple[int, int, int]) -> str:
    """The section's other measure, said beside the constant-dollar one it may contradict (an
    outside reader: the box gave only the one): ', though as a share of GDP Armenia spent more
    in 17 of them (Figure 2.2)'; its own years when they are not the same (``years``: first,
    last, how many)."""
    if not burden or not burden["higher"]:
        return ""
    of = ("them" if (burden["first"], burden["last"], burden["years"]) == years else
          f"the {burden['years']} years from {burden['first']} to {burden['last']}")
    return (f", though as a share of GDP {md(s.p.focus)} spent more in {burden['higher']} of "
            f"{of} ({label('figure', 'military_burden')})")


def takeaway(s):
    """What the section's data say and do not say."""
    milex = s.ev.military_expenditure
    gap = indicators.spending_ratio(milex, s.p.rival, s.p.focus)
    says = []
    if not gap.empty:
        more = int((gap["ratio"] > 1).sum())
        share = (f"every one of the {len(gap)} years" if more == len(gap) else
                 f"{more} of the {len(gap)} years")
        first, last = int(gap["year"].min()), int(gap["year"].max())
        says.append(f"in constant dollars {md(s.p.rival)} outspent {md(s.p.focus)} in {share} "
                    f"from {first} to {last}"
                    + _burden_beside(s, gdp_share_comparison(milex, s.p.focus, s.p.rival),
                                     (first, last, len(gap))))
        eve = _eve_of_war(s, gap)
        if eve:
            says.append(eve)
    rows = suppliers.supplier_periods(s.ev.arms_imports, s.p.rival)
    thin = suppliers.thin_last_period(rows) if not rows.empty else None
    if not rows.empty:
        # the last period the chart shows with a full record; a thin last one is named apart
        periods = sorted(rows["period"].unique())
        period = thin["before"] if thin else periods[-1]
        top = rows[rows["period"] == period].groupby("supplier")["tiv_m"].sum()
        top = top[top > 0].sort_values(ascending=False)
        if len(top):
            lead = listing(country(n) for n in top.index[:2])
            says.append(f"in {period} its major arms came mostly from {lead}")
        if thin:
            # its total is in the chart's note: not again here
            says.append(f"the {thin['period']} record is too thin to compare (the hatched bar)")
    if not says:
        return s.text("")
    return s.text(
        # the trend-indicator value is defined under Figure 2.4, what drones decided is said
        # beside them, and whose counts the losses are beside Table 2.2: not again here (an
        # outside reader counted the repeats)
        "What the data say: " + "; ".join(says) + ". What they do not say: how well either army "
        "used what it received, drones included.")
