"""Section 2, the roots of discontent: the conflict since 1988, the 2020 war, the military balance."""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import MaxNLocator

from .. import charts, indicators, theme
from ..prose import date, listing, md, num, ratio

DRONE_WORDS = "UAV|loitering|drone"


def conflict_timeline(s):
    ev = s.ev.events
    conflict = ev[ev["section"].isin([2, 3]) | ev["category"].isin(["conflict", "ceasefire"])]
    conflict = conflict[conflict["actors"].str.contains(s.p.rival, na=False)
                        | conflict["category"].isin(["conflict", "ceasefire"])]
    labels = conflict[conflict["category"].isin(["conflict", "ceasefire"])]
    labels = labels.sort_values("date").groupby(labels["date"].dt.year // 4).head(1)
    fig = charts.timeline(conflict, label_ids=labels["event_id"].head(9))
    first, last = conflict["date"].min(), conflict["date"].max()
    return s.figure(
        fig,
        caption=(f"The conflict over Nagorno-Karabakh, {first:%Y}–{last:%Y}: "
                 f"{len(conflict)} dated events by kind"),
        alt=(f"Timeline chart of {len(conflict)} events from {first:%B %Y} to {last:%B %Y}, "
             "one lane per kind of event (conflict, ceasefire, diplomacy and others); "
             "selected wars and ceasefires are labelled."),
        data=[conflict])


def war_summary(s):
    cas = s.ev.casualties
    start = s.ev.anchor("war_2020_start")
    if not start:
        return s.text(start.sentence())
    truce = s.ev.anchor("ceasefire_2020")
    end = truce.date if truce else None
    war = cas[(cas["conflict"] == "2020 war") & (cas["measure"] == "military_killed")]
    text = [f"The second war began on {date(start['date'])}"]
    if end is not None:
        days = indicators.days_between(start["date"], end)
        text.append(f" and ended with the ceasefire that took effect on {date(end)}, "
                    f"{days} days later.")
    else:
        text.append("; by the as-of date no ceasefire had been agreed.")
    official = war[war["is_official"].astype(bool)]
    if not official.empty:
        parts = [f"{num(r.count_persons)} military dead on the {md(r.side)} side according to "
                 f"{md(r.reported_by)}{' (unconfirmed)' if r.confidence == 'low' else ''}"
                 for r in official.itertuples()]
        text.append(" Each side counts its own military dead, and neither count is "
                    "independently verified: " + "; ".join(parts) + ".")
    return s.text("".join(text))


def war_losses(s):
    truce = s.ev.anchor("ceasefire_2020")
    if not truce:
        return s.text("")  # war_summary has said the story had not got there
    cas = s.ev.casualties
    war = cas[cas["conflict"] == "2020 war"]
    if war.empty:
        return s.text(f"No count of the losses of the 2020 war dated on or before "
                      f"{date(s.p.as_of)} is in the evidence base.")
    table = pd.DataFrame({
        "Side": war["side"],
        "Measure": war["measure"].str.replace("_", " ").str.capitalize(),
        "People": war["count_persons"].map(lambda v: num(v)),
        "Counted by": war["reported_by"],
        "Official": war["is_official"].map({True: "yes", False: "no"}),
    })
    return s.table(table, "Losses in the 2020 war, by who counted them (never merged)",
                   data=[war])


def spending(s):
    milex = s.ev.military_expenditure
    pair = [s.p.focus, s.p.rival]
    rows = milex[(milex["measure"] == "share_of_gdp_pct") & milex["country"].isin(pair)]
    rows = rows.rename(columns={"value": "share"})
    if rows.empty:
        return s.text(f"The evidence base has no SIPRI spending series for {listing(pair)}.")
    marks = {2016: "2016", 2020: "2020 war"}
    marks = {k: v for k, v in marks.items() if rows["year"].min() <= k <= rows["year"].max()}
    fig = charts.lines(rows, "year", "share", "country", "% of GDP", marks=marks)
    first, last = int(rows["year"].min()), int(rows["year"].max())
    return s.figure(
        fig, caption=f"Military spending as a share of GDP, {listing(pair)}, {first}–{last}",
        alt=(f"Line chart of military expenditure as a percentage of GDP for {' and '.join(pair)}"
             f" from {first} to {last}, with the 2020 war marked."),
        data=[rows])


def spending_gap(s):
    milex = s.ev.military_expenditure
    gap = indicators.spending_ratio(milex, s.p.rival, s.p.focus)
    if gap.empty:
        return s.text(f"No constant-price spending figures for both {md(s.p.rival)} and "
                      f"{md(s.p.focus)} fall in this window.")
    gap = gap.assign(country=f"{s.p.rival} ÷ {s.p.focus}")
    fig, ax = theme.new_figure()
    ax.fill_between(gap["year"], 1, gap["ratio"], color=theme.colour(s.p.rival), alpha=0.25)
    ax.plot(gap["year"], gap["ratio"], color=theme.colour(s.p.rival))
    ax.axhline(1, color=theme.MUTED, lw=0.8)
    ax.set_ylabel(f"{s.p.rival} spending ÷ {s.p.focus} spending")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    peak = gap.loc[gap["ratio"].idxmax()]
    ax.annotate(f"{peak['ratio']:.1f}× in {int(peak['year'])}", (peak["year"], peak["ratio"]),
                xytext=(6, 4), textcoords="offset points", fontsize=7)
    first, last = int(gap["year"].min()), int(gap["year"].max())
    used = milex[(milex["measure"] == "spend_const2019_usd_m")
                 & milex["country"].isin([s.p.focus, s.p.rival])]
    return s.figure(
        fig, caption=(f"How many times {s.p.focus}'s military budget {s.p.rival} spent, "
                      f"{first}–{last} (constant 2019 US dollars)"),
        alt=(f"Area chart of the ratio of {s.p.rival}'s to {s.p.focus}'s military spending "
             f"from {first} to {last}; it peaks at {peak['ratio']:.1f} in {int(peak['year'])}."),
        data=[used],
        note="SIPRI's constant-dollar series in this evidence base ends in 2020.")


def balance_text(s):
    gap = indicators.spending_ratio(s.ev.military_expenditure, s.p.rival, s.p.focus)
    if gap.empty:
        return s.text("")
    first, last = gap.iloc[0], gap.iloc[-1]
    peak = gap.loc[gap["ratio"].idxmax()]
    return s.text(
        f"In {int(first['year'])} {md(s.p.rival)} spent {ratio(first['ratio'])} what "
        f"{md(s.p.focus)} did on its armed forces; the gap peaked at {ratio(peak['ratio'])} in "
        f"{int(peak['year'])} and stood at {ratio(last['ratio'])} in {int(last['year'])}, the "
        "last year of SIPRI's constant-price series here. Shares of GDP tell a different story: "
        f"{md(s.p.focus)} has long spent a larger share of a much smaller economy, so the burden "
        "is heavier while the budget is smaller.")


def arms_suppliers(s):
    arms = s.ev.arms_imports
    rows = arms[arms["recipient"] == s.p.rival]
    if rows.empty:
        return s.text(f"No SIPRI arms deliveries to {md(s.p.rival)} fall in this window.")
    rows = rows.assign(period=(rows["year"] // 5 * 5).astype(int))
    rows = rows.assign(period=rows["period"].map(lambda y: f"{y}–{str(y + 4)[2:]}"))
    fig = charts.stacked_shares(rows, "period", "supplier", "tiv_m",
                                f"% of {s.p.rival}'s arms imports (TIV)")
    return s.figure(
        fig, caption=f"Who armed {s.p.rival}: supplier shares of arms deliveries by five-year period",
        alt=(f"Stacked bar chart of the shares of {s.p.rival}'s major arms imports by supplier for "
             "each five-year period, measured in SIPRI trend-indicator values."),
        data=[rows],
        note="TIV is SIPRI's trend-indicator value, a measure of military capability "
             "transferred, not of money paid. The latest period may be incomplete.")


def drones(s):
    deliveries = s.ev.arms_deliveries
    found = deliveries[(deliveries["recipient"] == s.p.rival)
                       & deliveries["description"].str.contains(DRONE_WORDS, case=False,
                                                                na=False)]
    if found.empty:
        return s.text(f"SIPRI records no deliveries of drones or loitering munitions to "
                      f"{md(s.p.rival)} in this window.")
    grouped = (found.groupby(["supplier", "designation", "description"], as_index=False)
               .agg(first=("delivery_year", "min"), last=("delivery_year", "max"),
                    units=("units_delivered", "sum")))
    grouped = grouped.sort_values(["first", "supplier"])
    table = pd.DataFrame({
        "Supplier": grouped["supplier"],
        "Weapon": grouped["designation"],
        "Type": grouped["description"],
        "Delivered": [f"{a}" if a == b else f"{a}–{b}" for a, b in
                      zip(grouped["first"], grouped["last"], strict=True)],
        "Units": grouped["units"].map(lambda v: num(v) if pd.notna(v) else "n/a"),
    })
    return s.table(table, f"Drones and loitering munitions delivered to {s.p.rival} (SIPRI)",
                   data=[found], note="Unit numbers are partly SIPRI estimates.")
