"""Section 4, the price of loyalty: the 2013 turn to the Russian-led bloc, dependence over time,
the patron's arms deliveries, weapons paid for and not delivered, and the patron's base."""

from __future__ import annotations

import itertools

import pandas as pd
from matplotlib.ticker import MaxNLocator

from .. import charts, indicators, sections, theme
from .. import phrasing as ph
from ..charttext import plain
from ..evidence_refs import in_date_order
from ..measures import compare, shares
from ..measures.result import direction
from ..measures.windows import WINDOW
from ..prose import date, listing, md, month, num, pct, span, unconfirmed
from . import dependence as dep
from . import ledger
from ._common import (
    UNITS_NOTE,
    count_word,
    events_matching,
    personnel_cells,
    sentence_start,
    units_cells,
)
from .involvement import involves

BLOC_WORDS = ("EAEU", "Customs Union")
WEST_WORDS = ("CEPA", "Association Agreement")
UNDELIVERED_WORDS = ("not delivered", "paid for", "undelivered")


def turn_events(s) -> pd.DataFrame:
    """The focus country's own steps toward either bloc: events it leads (its actors list it
    first) whose title names an agreement or a union; another's words about them, such as the
    patron's warnings on the EAEU, are not its steps."""
    ev = s.ev.events
    ev = ev[ev["actors"].str.split(";").str[0] == s.p.focus]
    bloc = events_matching(ev, *BLOC_WORDS)
    west = events_matching(ev, *WEST_WORDS)
    return pd.concat([bloc, west]).drop_duplicates("event_id").sort_values("date")


def turn_timeline(s):
    rows = turn_events(s)
    if rows.empty:
        turn = s.ev.anchor("customs_union_turn")
        return s.text(turn.sentence() if not turn else
                      f"The evidence base records no step of {md(s.p.focus)} toward the EU or "
                      f"the customs union led by {md(s.p.patron)} by {date(s.p.as_of)}.")
    first, last = rows["date"].min(), rows["date"].max()
    period = span(f"{first:%Y}", f"{last:%Y}")
    west = set(events_matching(rows, *WEST_WORDS)["event_id"])
    tracks = {"Toward the EU": theme.colour("European Union"),
              f"Toward the customs union led by {s.p.patron}": theme.colour(s.p.patron)}
    names = list(tracks)
    fig = charts.labelled_timeline(rows, wrap=24,
                                   start=pd.Timestamp(first.year, 1, 1), end=last,
                                   group_of=lambda ev: names[0] if ev.event_id in west
                                   else names[1], colours=tracks)
    turn = turn_event(s)
    if turn is not None:
        fig.axes[0].axvline(turn["date"], color=theme.colour(s.p.patron), lw=0.8, ls="--",
                            zorder=0)
    n_bloc = len(events_matching(rows, *BLOC_WORDS))
    n_west = len(events_matching(rows, *WEST_WORDS))
    return s.figure(
        fig, key="turn",
        caption=(f"Between two blocs: {s.p.focus}'s steps toward the EU and toward the "
                 f"customs union led by {s.p.patron}, {period}"),
        alt=(f"Timeline of {len(rows)} event{'s' if len(rows) != 1 else ''} from {first:%B %Y} to {last:%B %Y}: "
             f"{n_west} on the agreements with the EU and {n_bloc} on the customs union and "
             "Eurasian Economic Union, with the turn of September 2013 marked by a dashed line."
             if turn is not None else
             f"Timeline of {len(rows)} events from {first:%B %Y} to {last:%B %Y}: {n_west} on "
             f"agreements with the EU and {n_bloc} on the customs union."),
        data=[rows])


def turn_event(s):
    """The turn (anchor ``customs_union_turn``), when known and involving the focus country and
    the patron; else None."""
    turn = s.ev.anchor("customs_union_turn")
    actors = str(turn["actors"]).split(";") if turn else []
    if not turn or s.p.focus not in actors or s.p.patron not in actors:
        return None
    return turn


def _link_kept(s, turn) -> pd.Series | None:
    """The first agreement with the EU signed after the turn (its event row), if any."""
    west = events_matching(turn_events(s), *WEST_WORDS)
    later = west[west["date"] > turn["date"]].sort_values("date")
    return later.iloc[0] if not later.empty else None


def turn_text(s):
    turn = turn_event(s)
    if turn is None:
        if turn_events(s).empty:
            return s.text("")  # the timeline's place has said so
        known = s.ev.anchor("customs_union_turn")
        return s.text(known.sentence() if not known else
                      f"The turn of {month(known.date)} did not involve both {md(s.p.focus)} "
                      f"and {md(s.p.patron)}, so this part of the section has nothing to show "
                      "for this cast.")
    rows = turn_events(s)
    figure = sections.number_of("figure", "turn")
    text = [f"The turn came on {date(turn['date'])} (Figure {figure})."]
    # the reason the focus country's president gave, beside the question of pressure the
    # ledger weighs (an outside reader: the report left his stated rationale unused)
    reason = s.ev.anchor("customs_union_reason")
    if reason and s.p.focus in str(reason["actors"]).split(";"):
        text.append(f" {md(str(reason['description']))}")
    west = events_matching(rows, *WEST_WORDS)
    before = west[west["date"] < turn["date"]].sort_values("date")
    if not before.empty:
        last_step = before.iloc[-1]
        # a date known only to the month (stored on its first day) cannot give a day count
        if "day" == last_step.get("date_precision", "day") == turn.get("date_precision", "day"):
            gap = f"{num(indicators.days_between(last_step['date'], turn['date']))} days"
        else:
            months = indicators.months_between(last_step["date"], turn["date"])
            gap = f"about {count_word(months)} month{'s' if months > 1 else ''}"
        text.append(f" The last step toward the EU recorded before it had come {gap} earlier, "
                    f"in {month(last_step['date'])}.")
    member = s.ev.anchor("eaeu_membership")
    if member and member.date > turn["date"]:
        months = round(indicators.days_between(turn['date'], member.date) / 30.44)
        text.append(f" EAEU membership followed in {month(member.date)}, "
                    f"{count_word(months)} months after the announcement.")
    else:  # not yet a member: the latest step toward the bloc, as the data name it
        bloc = events_matching(rows, *BLOC_WORDS)
        after = bloc[bloc["date"] > turn["date"]].sort_values("date")
        if not after.empty:
            step = after.iloc[-1]
            text.append(f" The latest step toward the bloc by {date(s.p.as_of)}: "
                        f"{md(str(step['title']))} ({month(step['date'])}).")
    signed = _link_kept(s, turn)
    if signed is not None:
        years = indicators.days_between(turn["date"], signed["date"]) / 365.25
        kept = "EAEU membership" if member and member.date < signed["date"] else \
            "the customs union"
        text.append(f" The link to the EU was not cut: a narrower agreement that left {kept} "
                    f"intact was signed in {month(signed['date'])}, "
                    f"{num(years)} years after the turn.")
    rated = ledger.ratings_of(s, 4, [turn["event_id"]])
    if rated:
        text.append(f" Whether the turn came at {md(s.p.patron)}'s demand is a different question: "
                    f"the claim ledger rates it {rated}.")
    return s.text("".join(text))


def _marks(s, series: pd.DataFrame) -> dict:
    marks = {}
    turn = turn_event(s)
    if turn is not None:
        marks[int(turn["date"].year)] = "customs-union turn"
    ev = s.ev.events
    bloc = events_matching(ev[ev["actors"].str.contains(s.p.focus, na=False)], *BLOC_WORDS)
    member = bloc[bloc["category"] == "economy"].sort_values("date")
    if not member.empty:
        year = int(member.iloc[-1]["date"].year)
        marks[year] = "EAEU member" if year not in marks else marks[year] + " / EAEU"
    if series.empty:
        return {}
    lo, hi = series["year"].min(), series["year"].max()
    return {k: v for k, v in marks.items() if lo <= k <= hi}


def _series(s) -> pd.DataFrame:
    """The patron's share year by year for every indicator the findings cover (measures.shares;
    arms over the five years ending in each year)."""
    frames = [s.share_series(k).assign(
        indicator=k, label=shares.LABELS[k]) for k in s.findings.dependence]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["year", "share_pct", "confidence", "window", "indicator", "label"])


def shares_over_time(s):
    series = _series(s)
    if series.empty:
        return s.text(f"The evidence base holds no figures on {md(s.p.focus)}'s dependence on "
                      f"{md(s.p.patron)} in this window.")
    marks = _marks(s, series)
    fig = charts.shares_chart(series, s.p.patron, marks=marks)
    first, last = int(series["year"].min()), int(series["year"].max())
    partial = {k: tuple(y for y in shares.basis(k, s.ev.tables, s.p.focus, s.p.patron).partial
                        if s.p.start_year <= y <= last)
               for k in dict.fromkeys(series["indicator"])}
    notes = [n for n in (dep.missing_note(s.findings, windows=False),
                         dep.gaps_note(series, partial)) if n]
    notes.append(f"Arms: share of SIPRI TIV over the {WINDOW} years ending in each year; "
                 "the other indicators are single complete years.")
    return s.figure(
        fig, key="dependence_over_time",
        caption=(f"{s.p.patron}'s share of {s.p.focus}'s arms imports, trade, gas imports and "
                 f"money transfers year by year, {span(first, last)}"),
        alt=(f"Line chart, one line per indicator, of {s.p.patron}'s percentage share from "
             f"{first} to {last}" + (", with " + " and ".join(f"{k} ({v})" for k, v in
                                                              marks.items()) + " marked"
                                     if marks else "") + ". " + _latest_values(series)),
        data=dep.rows_used(s), note=" ".join(notes))


#: a change from one year to the next smaller than this (percentage points) is not singled out
SWING_POINTS = 10


def largest_swing(series: pd.DataFrame, keys) -> tuple | None:
    """The largest change of a yearly share between two consecutive years among the indicators
    ``keys`` of ``series`` (indicator, year, share_pct), as (key, (year, share), (year, share)),
    when it is at least :data:`SWING_POINTS` points; else None. Years with a gap between them
    are not compared."""
    best = None
    for key in keys:
        rows = series[series["indicator"] == key].sort_values("year")
        for (y0, v0), (y1, v1) in itertools.pairwise(
                rows[["year", "share_pct"]].itertuples(index=False)):
            if int(y1) - int(y0) == 1 and abs(v1 - v0) >= SWING_POINTS and (
                    best is None or abs(v1 - v0) > abs(best[2][1] - best[1][1])):
                best = (key, (int(y0), float(v0)), (int(y1), float(v1)))
    return best


def _against_turn(s, series: pd.DataFrame) -> tuple[int, list] | None:
    """The year of the turn and, for trade, money transfers and gas, how each later year's
    share compares with that year's (:func:`analysis.measures.compare.higher_in`), for the
    shares with data on both sides; None without the turn or the series."""
    turn = turn_event(s)
    if series.empty or turn is None:
        return None
    year, compared = int(turn["date"].year), []
    for key in ("trade", "remittances", "gas"):
        rows = series[series["indicator"] == key].rename(columns={"share_pct": "value"})
        base = rows[rows["year"] == year]
        later = rows[rows["year"] > year]
        if base.empty or later.empty:
            continue
        level = later.assign(value=float(base["value"].iloc[0]), confidence="high")
        compared.append((key, compare.higher_in(later, level)))
    return year, compared


def shares_text(s):
    series = _series(s)
    parts = []
    arms = dep.arms_period_sentence(s)
    if arms:
        parts.append(arms)
    against = _against_turn(s, series)
    if against is None:
        return s.text(" ".join(parts))
    year, compared = against
    figure = sections.number_of("figure", "dependence_over_time")
    for key, above in compared:
        label = shares.LABELS[key].lower()
        years = f"from {above.first} to {above.last}"
        # "every year" only when no year of the span is missing from the series
        every = (f"in {above.first}" if above.of == 1 else
                 f"in every year {years}" if above.of == above.last - above.first + 1 else
                 f"in both years with data, {above.first} and {above.last}" if above.of == 2
                 else f"in all {count_word(above.of)} years with data {years}")
        how = (f"stayed above its {year} level {every}" if above.always else
               f"stayed at or below its {year} level {every}" if above.never else
               f"was above its {year} level in {count_word(above.higher)} of the "
               f"{count_word(above.of)} years {years}")
        parts.append(f"{md(s.p.patron)}'s share of {md(label)} {how}.")
    swing = largest_swing(series, ("trade", "remittances", "gas"))
    if swing is not None:
        key, (y0, v0), (y1, v1) = swing
        parts.append(f"The largest change from one year to the next (arms, a five-year "
                     f"share, left aside) was in {md(shares.LABELS[key].lower())}: {pct(v0)} in "
                     f"{y0}, {pct(v1)} in {y1}"
                     + (" (all transfers through banks, commercial payments included; section "
                        "6 follows the non-commercial ones)" if key == "remittances" else "")
                     + ".")
    parts.append(f"Figure {figure} follows the shares year by year; the five-year comparison is "
                 f"in Figure {sections.number_of('figure', 'dependence')}. These shares measure "
                 "exposure, not intent: they show where a cut-off would hurt, not that one is "
                 "planned.")
    return s.text(" ".join(parts))


# ---------------------------------------------------------------------------- the gas price

def _gas_prices(s) -> pd.DataFrame:
    """The border prices the focus country paid for the patron's gas, known by the edition's
    date, oldest first."""
    g = s.ev.gas_prices
    rows = g[(g["supplier"] == s.p.patron) & (g["buyer"] == s.p.focus)].sort_values(
        "effective_from")
    return rows.assign(implied=implied_prices(rows))


def implied_prices(rows: pd.DataFrame) -> pd.Series:
    """The price a reported change implies where its source gives no new price: the price
    before it (stated, or implied in turn), changed by the reported percentage (April 2013's
    rise of 50% on USD 180: 270); NaN on a row with a price, and from a change without a
    percentage until the next price stated (the price is then unknown). Our arithmetic, never
    a stored price."""
    out, running = [], float("nan")
    for price, change in zip(rows["price_usd_per_1000m3"], rows["change_pct"], strict=True):
        if pd.notna(price):
            running = float(price)
            out.append(float("nan"))
            continue
        running = running * (1 + change / 100) if pd.notna(change) else float("nan")
        out.append(running)
    return pd.Series(out, index=rows.index, dtype=float)


def change_word(row) -> str:
    """'rise', 'cut' or 'change': a change whose source gives no new price, by its sign."""
    change = row.get("change_pct")
    return "change" if pd.isna(change) or not change else "rise" if change > 0 else "cut"


def _price_cell(row) -> str:
    """'about 190†', '150†', 'not stated', 'not stated (about 270 implied)'."""
    price = row["price_usd_per_1000m3"]
    if pd.isna(price):
        implied = row.get("implied")
        # our arithmetic carries no source's mark (the note says what 'implied' is)
        return "not stated" + (f" (about {num(implied)} implied)" if pd.notna(implied) else "")
    return ("about " if row["is_approximate"] else "") + num(price) + _confidence_marks(row)


def _confidence_marks(row) -> str:
    """The row's confidence marks, after the figure they qualify ('†')."""
    return ph.mark(row["confidence"]) + unconfirmed(row["confidence"])


def gas_price_table(s):
    """Each border price (and change) of the patron's gas the evidence base records."""
    rows = _gas_prices(s)
    if rows.empty:
        return s.text(f"The evidence base records no price {md(s.p.focus)} paid for "
                      f"{md(s.p.patron)}'s gas by {date(s.p.as_of)}.")
    table = pd.DataFrame({
        # 'Date' and what the source reports, not 'From' and 'What changed': a row may restate
        # a price in force (2024's, an outside reader took for a new price)
        "Date": [ph.when(d, p) for d, p in zip(rows["effective_from"], rows["date_precision"],
                                                strict=True)],
        "Price (USD per 1,000 m³)": [_price_cell(r) for _, r in rows.iterrows()],
        "What the source reports": rows["change"].map(sentence_start),
    })
    first, last = rows["effective_from"].iloc[[0, -1]].dt.year
    return s.table(table, f"Border price of {s.p.patron}'s gas for {s.p.focus}, as reported, "
                          f"{span(int(first), int(last))}", data=[rows], key="gas_price",
                   note="'Not stated': the source reports the change, not the price it led to."
                   + (" 'Implied': the price before it, changed as reported (our arithmetic)."
                      if rows["implied"].notna().any() else ""))


def gas_after_turn(s) -> dict | None:
    """What the price did after the turn (compute once: the text and the section's summary
    read it), each a row of :func:`_gas_prices`: the first price after it, the lowest and the
    highest from then on, and the one in force at the end (from the change that set it, not a
    later source citing it); ``changes``, each row that set a new price; with ``unstated``, the changes between the last price stated
    before the turn and the turn whose price their source does not give, and ``implied``, when
    the last of them implies the price in force at the turn (:func:`implied_prices`): its row,
    that price, how far (per cent, signed) the first price after the turn stood from it, which
    way by the one rule for a direction ('up', 'down', 'about the same'), and whether every
    price after the turn stayed below it or above it (else None). None without
    the turn or a price on each side of it."""
    turn, rows = turn_event(s), _gas_prices(s)
    priced = rows.dropna(subset=["price_usd_per_1000m3"])
    if turn is None or priced.empty:
        return None
    before = priced[priced["effective_from"] < turn["date"]]
    after = priced[priced["effective_from"] >= turn["date"]]
    if before.empty or after.empty:
        return None
    prices = after["price_usd_per_1000m3"]
    run = (prices != prices.iloc[-1])[::-1].cumsum()[::-1]  # 0 on the last run of one price
    unstated = rows[(rows["effective_from"] > before["effective_from"].iloc[-1])
                    & (rows["effective_from"] < turn["date"])
                    & rows["price_usd_per_1000m3"].isna()]
    implied = None
    if not unstated.empty and pd.notna(unstated["implied"].iloc[-1]):
        last, price = unstated.iloc[-1], float(unstated["implied"].iloc[-1])
        gap = 100 * (float(prices.iloc[0]) / price - 1)
        implied = {"row": last, "price": price, "first": gap, "way": direction(gap),
                   "all": ("below" if prices.max() < price else "above" if prices.min() > price
                           else None)}
    return {"first": after.iloc[0], "lowest": after.loc[prices.idxmin()],
            "highest": after.loc[prices.idxmax()], "current": after[run == 0].iloc[0],
            "changes": after[prices != prices.shift()], "unstated": unstated,
            "implied": implied}


def _against_implied(implied: dict) -> str:
    """', about 30% below that implied price': the first price after the turn against the
    price in force at it, which our arithmetic implies (either way; within half a point,
    'about the same as')."""
    if implied["way"] == "about the same":
        return ", about the same as that implied price"
    return (f", about {num(abs(implied['first']))}% "
            f"{'below' if implied['way'] == 'down' else 'above'} that implied price")


def _latest_values(series: pd.DataFrame) -> str:
    """'Latest values: arms imports (5-year) 81% in 2023; trade 41% in 2024; ...': what a chart
    of shares shows at its right-hand end, for its alt text (which had named only its kind: a
    reader)."""
    order = list(dict.fromkeys(series["indicator"]))  # the legend's order
    last = (series.sort_values("year").groupby("indicator").tail(1).set_index("indicator")
            .loc[order].reset_index())
    return "Latest values: " + "; ".join(
        f"{r.label.lower()}{' (5-year)' if r.indicator == 'arms' else ''} {pct(r.share_pct)} "
        f"in {int(r.year)}" for r in last.itertuples()) + "."


def _price(row) -> str:
    """'about USD 190†': a price in a sentence."""
    cell = _price_cell(row)
    return cell.replace("about ", "about USD ") if cell.startswith("about ") else f"USD {cell}"


def price_date(row) -> str:
    return ph.when(row["effective_from"], row["date_precision"])


def gas_price_text(s):
    """The prices after the turn, from the rows of Table 4.1, with a change before it whose
    price its source does not state (April 2013's rise: against the last price stated, 180 in
    2010, the price after the turn had read as a rise, when the rise came before it: an
    outside reader) and what came with the first price after it."""
    moved = gas_after_turn(s)
    if moved is None:
        return s.text("")
    turn = turn_event(s)
    lowest = moved["lowest"]
    text = [f"In {price_date(r)}, {count_word(indicators.months_between(r['effective_from'], turn['date']))} "
            f"months before the turn, the price was {md(r['change'])}{_confidence_marks(r)}; "
            "its source does not state the new price"
            + (f", about USD {num(r['implied'])} by our arithmetic"
               if pd.notna(r["implied"]) else "") + "."
            for _, r in moved["unstated"].iterrows()]
    # every price it was set to, in order (first, lowest and last alone skipped the cut of 2015
    # and read as one drop from 190 to 150: a reader); what came with the first
    said = []
    for n, (_, r) in enumerate(moved["changes"].iterrows()):
        at = (f"at its lowest, {_price(r)}," if n and r["effective_from"] == lowest["effective_from"]
              else _price(r))
        said.append(f"{at} from {price_date(r)}" + (f" ({md(r['change'])})" if not n else "")
                    + (_against_implied(moved["implied"]) if not n and moved["implied"]
                       else ""))
    text.append(f"After the turn ({sections.label('table', 'gas_price')}) it was "
                f"{listing(said, escape=False, clauses=True)}.")
    return s.text(" ".join(text))


# ---------------------------------------------------------------------------- arms deliveries

def deliveries_chart(s):
    arms = s.ev.arms_imports
    rows = arms[arms["recipient"] == s.p.focus]
    if rows.empty:
        return s.text(f"SIPRI records no arms deliveries to {md(s.p.focus)} in this window.")
    wide = rows.assign(side=rows["supplier"].where(rows["supplier"] == s.p.patron, "Others"))
    wide = wide.pivot_table(index="year", columns="side", values="tiv_m", aggfunc="sum")
    first, last = int(arms["year"].min()), int(arms["year"].max())
    wide = wide.reindex(range(first, last + 1)).fillna(0.0)
    fig, ax = theme.new_figure((6.6, 3.0))  # (a little lower: the section keeps to its pages)
    bottom = pd.Series(0.0, index=wide.index)
    for side, colour in ((s.p.patron, theme.colour(s.p.patron)), ("Others", theme.OTHER)):
        if side in wide:
            label = side if side != "Others" else "other suppliers"
            ax.bar(wide.index, wide[side], bottom=bottom, color=colour, width=0.75, label=label)
            bottom += wide[side]
    systems = dep.deliveries_by_system(s.ev.arms_deliveries, s.p.focus, s.p.patron)
    if not systems.empty:
        big = systems.sort_values("tiv_m", ascending=False)
        big = big.groupby("first").head(1).sort_values("tiv_m", ascending=False).head(4)
        for r in big.itertuples():
            # 'incl.': the bar is the year's whole volume, other systems and suppliers too
            # (a system's name alone credited the bar to it: an outside reader)
            ax.annotate(f"incl. {plain(r.designation)}\n{plain(r.description)}",
                        (r.first, bottom.get(r.first, 0)),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                        fontsize=6.5, color=theme.INK, linespacing=1.1)
    ax.set_ylim(0, float(bottom.max()) * 1.22 if bottom.max() > 0 else 1)
    ax.set_ylabel("SIPRI TIV, millions")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(first - 0.7, last + 0.7)
    ax.grid(axis="x", visible=False)
    ax.legend(loc="upper left")
    share = 100 * rows.loc[rows["supplier"] == s.p.patron, "tiv_m"].sum() / rows["tiv_m"].sum()
    return s.figure(
        fig, key="patron_deliveries",
        caption=(f"Major arms delivered to {s.p.focus} by year, {s.p.patron} and other "
                 f"suppliers, {span(first, last)} (SIPRI TIV)"),
        alt=(f"Bar chart of yearly major-arms deliveries to {s.p.focus} from {first} to {last}; "
             f"{s.p.patron} accounts for {pct(share)} of the total volume, with the largest "
             "systems labelled."),
        data=[rows],
        note="TIV measures military capability transferred, not money paid. The chart ends with "
             "the last year of SIPRI data this edition uses." + _window_totals(s))


def _window_totals(s) -> str:
    """' Summed over the windows of Figure 1.2: Russia 109 TIV million in 2009–2013 and 257 in
    2019–2023; other suppliers 9 and 60.': the volumes behind the arms shares, which the key
    findings cite (the findings' one computation)."""
    f = s.findings
    early, late = f.arms_earlier, f.arms_latest
    if early is None or late is None or not early.shares or not late.shares:
        return ""
    mine = [w.of(s.p.patron).part or 0.0 for w in (early, late)]
    others = [w.total - m for w, m in zip((early, late), mine, strict=True)]
    return (f" Summed over the windows of Figure {sections.number_of('figure', 'dependence')}: "
            f"{s.p.patron} {num(mine[0])} TIV million in {early.window} and {num(mine[1])} in "
            f"{late.window}; other suppliers {num(others[0])} and {num(others[1])}.")


def deliveries_table(s):
    systems = dep.deliveries_by_system(s.ev.arms_deliveries, s.p.focus, s.p.patron)
    if systems.empty:
        return s.text(f"SIPRI records no deliveries of major arms from {md(s.p.patron)} to "
                      f"{md(s.p.focus)} in this window.")
    used = s.ev.arms_deliveries[(s.ev.arms_deliveries["recipient"] == s.p.focus)
                                & (s.ev.arms_deliveries["supplier"] == s.p.patron)]
    if len(systems) > 15:
        systems = systems.sort_values("tiv_m", ascending=False).head(15).sort_values("first")
    flag = systems["confidence"].map(lambda c: " (unconfirmed)" if c == "low" else "")
    table = pd.DataFrame({
        "Weapon": systems["designation"] + flag,
        "Type": systems["description"],
        "Ordered": systems["ordered"],
        "Delivered": systems["years"],
        "Units": units_cells(systems["units"], systems["estimate"]),
        "TIV (m)": systems["tiv_m"].map(lambda v: num(v, 1)),
    })
    total = used["tiv_delivered_m"].sum()
    loans = arms_loans(s)
    return s.table(table, f"Major arms delivered by {s.p.patron} to {s.p.focus} (SIPRI)",
                   data=[used, loans], key="patron_systems",
                   note=(f"{UNITS_NOTE} Total {num(total, 1)} TIV million over "
                         f"{len(systems)} systems. Designations are SIPRI's, which may name a "
                         "type by its family rather than by the version delivered."
                         + "".join(f" {'On' if r.date_precision == 'day' else 'In'} "
                                   f"{ph.when(r.date, r.date_precision)} "
                                   f"{str(r.description).rstrip('.')}."
                                   for r in loans.itertuples())))


#: the words of an event title that make it a loan for the patron's arms
LOAN_WORDS = (r"\blends?\b", r"\blent\b", r"\bloans?\b")


def arms_loans(s) -> pd.DataFrame:
    """The patron's loans for its own arms to the focus country, as the evidence base dates
    them (the note to Table 4.2 gives their terms; an outside reader: the deliveries were
    shown without how they were paid for)."""
    both = involves(s.ev.events, s.p.patron, s.p.focus)
    return in_date_order(events_matching(both[both["category"] == "security"], *LOAN_WORDS))


def deliveries_text(s):
    systems = dep.deliveries_by_system(s.ev.arms_deliveries, s.p.focus, s.p.patron)
    if systems.empty:
        return s.text("")
    total = systems["tiv_m"].sum()
    top = systems.sort_values("tiv_m", ascending=False).head(3)
    top_share = 100 * top["tiv_m"].sum() / total if total else 0
    first, last = int(systems["first"].min()), int(systems["last"].max())
    rows = s.ev.arms_deliveries
    rows = rows[(rows["recipient"] == s.p.focus) & (rows["supplier"] == s.p.patron)]
    by_year = rows.groupby("delivery_year")["tiv_delivered_m"].sum()
    by_year = by_year[by_year > 0]
    text = (f"SIPRI's register lists {num(len(systems))} kinds of major weapons delivered by "
            f"{md(s.p.patron)} between {first} and {last}. Three of them — "
            f"{listing(top['designation'])} — make up {pct(top_share)} of the volume.")
    if total and not by_year.empty:
        peak = int(by_year.idxmax())
        text += (f" Deliveries arrived in {count_word(len(by_year))} of the {num(last - first + 1)} "
                 f"years from {first} to {last}, and {peak} alone brought "
                 f"{pct(100 * by_year.max() / total)} of the total: a few large deliveries, not "
                 "a steady flow, decide the shares.")
    return s.text(text)


def undelivered(s):
    statement = s.ev.anchor("undelivered_arms")
    claims = s.ev.claims
    claim = (claims[claims["evidence"].str.contains(statement.event_id, regex=False, na=False)]
             if statement else claims.iloc[0:0])
    ev = events_matching(s.ev.events, *UNDELIVERED_WORDS)
    ev = ev[ev["actors"].str.contains(s.p.patron, na=False)]
    ev = ev[ev["actors"].str.contains(s.p.focus, na=False)]
    known = (not claim.empty and claim.iloc[0]["verdict"] != "not yet verifiable"
             and s.p.focus in claim.iloc[0]["claim"] and s.p.patron in claim.iloc[0]["claim"])
    if not known and ev.empty:
        return s.text(statement.sentence() if not statement else
                      f"The evidence base holds no statement by {md(s.p.focus)} on weapons paid "
                      f"for and not delivered by {md(s.p.patron)}.")
    text = []
    if known:
        # the statement in our words and the verdict; the ledger keeps its reasoning (one place)
        c = claim.iloc[0]
        said = ev.sort_values("date").iloc[0] if not ev.empty else None
        when = ("" if said is None else
                f" {'on' if said['date_precision'] == 'day' else 'in'} "
                f"{ph.when(said['date'], said['date_precision'])}")
        updates = s.ev.claim_updates
        mine = updates[(updates["claim_id"] == c["claim_id"])
                       & (updates["date"] > statement.date)].sort_values("date")
        # 'first' only when a later one follows (an edition of 2023 knew of one statement)
        first = (f"The first such statement in the evidence base came{when}."
                 if len(ev) > 1 or (pd.notna(c.get("after_article")) and not mine.empty) else
                 f"The only such statement in the evidence base by {date(s.p.as_of)} "
                 f"came{when}.")
        # who said it, in the event's own words (its description names the speaker)
        text.append(f"{md(s.p.focus)} said that it had paid {md(s.p.patron)} for weapons that "
                    "were not delivered." if said is None else
                    f"{first} {md(str(said['description']).rstrip('.'))}.")
        text.append(f" The claim ledger rates the article's claim that {md(s.p.patron)} failed "
                    f"to deliver *{md(c['verdict'])}* ({md(c['claim_id'])}, Appendix A).")
        if pd.notna(c.get("after_article")):
            # each later statement with its own date: 'Later, on 24 November 2023, …; on …'
            said_later = [f"on {date(u['date'])}, {md(str(u['update']).rstrip('.'))}"
                          for _, u in mine.iterrows()]
            if said_later:
                text.append(" Later, " + "; ".join(said_later) + ".")
    if not ev.empty and not known:
        dates = listing(month(d) + (" (unconfirmed)" if c == "low" else "")
                        for d, c in zip(ev.sort_values("date")["date"],
                                        ev.sort_values("date")["confidence"], strict=True))
        text.append(f" The timeline of events carries the "
                    f"statement{'s' if len(ev) != 1 else ''} of {dates}; Appendix B lists "
                    "every source.")
    return s.text("".join(text))


# ---------------------------------------------------------------------------- the base

def base(s):
    d = s.ev.deployments
    rows = d[(d["deployer"] == s.p.patron) & (d["host"] == s.p.focus) & (d["kind"] == "base")]
    if rows.empty:
        return s.text(f"The evidence base records no {md(s.p.patron)} military base in "
                      f"{md(s.p.focus)} by {date(s.p.as_of)}.")
    b = rows.sort_values("start_date").iloc[0]
    flag = ", unconfirmed" if b["confidence"] == "low" else ""  # inside the bracket below
    keeps = "keeps" if pd.isna(b["end_date"]) else "kept"
    # 'published', not 'latest published': its one figure is undated (an outside reader)
    counted = (f" (its published headcount{flag}: Table "
               f"{sections.number_of('table', 'presence')})"
               if pd.notna(b["personnel_persons"]) else "")
    text = [f"{md(s.p.patron)} also {keeps} a military base in {md(s.p.focus)}: the "
            f"{md(b['name'])}, in place since {b['start_date']:%Y}"
            + (f" and still there on {date(s.p.as_of)}{counted}." if pd.isna(b["end_date"]) else
               f" until it closed on {date(b['end_date'])}{counted}.")]
    lease = events_matching(s.ev.events, "base")
    lease = lease[lease["actors"].str.contains(s.p.patron, na=False)
                  & lease["actors"].str.contains(s.p.focus, na=False)
                  & (lease["date"] > b["start_date"])].sort_values("date")
    if not lease.empty:
        # no chart shows these events: what happened, in the data's words, each opened by its
        # date (an outside reader found the dates appended in brackets, database-style)
        told = " ".join(
            f"{'On' if p == 'day' else 'In'} {ph.when(d, p)}, {md(_after_date(str(t)))}"
            for t, d, p in zip(lease["description"], lease["date"], lease["date_precision"],
                               strict=True))
        # each step told by its date alone ('Two steps, in 2010 and 2011, concern the base.'
        # before them read as a database heading: an outside reader)
        text.append(f" {told}")
    return s.text("".join(text))


def _after_date(sentence: str) -> str:
    """A description put after 'In August 2010, ': its leading article lower-cased ('A protocol'
    -> 'a protocol'); a name keeps its capital."""
    first, _, rest = sentence.partition(" ")
    return (first.lower() if first in ("A", "An", "The") else first) + (f" {rest}" if rest
                                                                        else "")


def base_table(s):
    d = s.ev.deployments
    rows = d[(d["deployer"] == s.p.patron) & (d["host"] == s.p.focus)]
    if rows.empty:
        return s.text("")
    table = pd.DataFrame({
        "Presence": rows["name"] + rows["confidence"].map(
            lambda c: " (unconfirmed)" if c == "low" else ""),
        "Since": rows["start_date"].map(date),
        "Until": rows["end_date"].map(lambda v: date(v) if pd.notna(v) else "in place"),
        "Personnel": personnel_cells(s.ev, rows),
    })
    return s.table(table, f"{s.p.patron}'s forces stationed in {s.p.focus}", data=[rows])


# ---------------------------------------------------------------------------- the answer

def takeaway(s):
    """What the section's data say and do not say, from what its parts computed."""
    turn = turn_event(s)
    if turn is None:
        return s.text("")
    says = [f"{md(s.p.focus)} chose the customs union led by {md(s.p.patron)} in "
            f"{month(turn['date'])}"
            + (" and kept a narrower link to the EU" if _link_kept(s, turn) is not None else "")]
    against = _against_turn(s, _series(s))
    if against is not None:
        year, compared = against
        above = [shares.LABELS[k].lower() for k, a in compared if a.always]
        if above:
            says.append(f"{md(s.p.patron)}'s share of {md(s.p.focus)}'s {listing(above)} "
                        f"stayed above the {year} level in every year on record since "
                        f"({sections.label('figure', 'dependence_over_time')})")
    gas = gas_after_turn(s)
    if gas is not None:  # the range after the turn, not its low point alone (an outside reader)
        low, high = _price(gas["lowest"]), _price(gas["highest"])
        # from the first price stated after the turn: a rise before it whose price its source
        # does not give was still in force at the turn (an outside reader)
        says.append(f"from {price_date(gas['first'])} {md(s.p.patron)}'s gas cost "
                    f"{md(s.p.focus)} "
                    + (f"between {low} and {high}" if low != high else low)
                    + " per 1,000 m³"
                    + (f", {'less' if gas['implied']['all'] == 'below' else 'more'} than the "
                       f"{price_date(gas['implied']['row'])} {change_word(gas['implied']['row'])}"
                       " had implied" if gas["implied"] and gas["implied"]["all"] else "")
                    + f" ({sections.label('table', 'gas_price')})")
    systems = dep.deliveries_by_system(s.ev.arms_deliveries, s.p.focus, s.p.patron)
    if not systems.empty:
        # how some were paid for, from the table's note (an outside reader: the deliveries had
        # been shown without it)
        loans = "some of them bought with its loans, " if not arms_loans(s).empty else ""
        says.append(f"{md(s.p.patron)}'s weapons reached {md(s.p.focus)} in a few large "
                    f"deliveries, {loans}the latest recorded in "
                    f"{int(systems['last'].max())} ({sections.label('table', 'patron_systems')})")
    return s.text(
        # that the shares measure exposure, not intent, is said beside them (Figure 4.2)
        "What the data say: " + listing(says, escape=False, clauses=True) + ". What they do "
        "not say: whether the gas price or the arms were the price of the turn; the sources "
        "record prices, deliveries and statements, not the bargains behind them.")
