"""Section 6, the unintended consequences: the ICC warrant for the patron's leader and the focus
country's road to the Rome Statute, the patron's reactions, and the paradox that trade with and money
transfers from the patron surged while security ties frayed.

Pure computations (vote counts parsed from event text, growth, shares) sit at the top so they can
be tested without a kernel; each builder returns one display object.
"""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.ticker import MaxNLocator

from .. import indicators, theme
from ..evidence import memo
from ..evidence_refs import at_precision, in_date_order
from ..measures import shares as trade_shares
from ..prose import (
    date,
    formatted,
    listing,
    md,
    num,
    pct,
    period_span,
    rounded,
    span,
    usd_m,
    usd_pair,
    whole,
)
from ..sections import label
from ._common import count_word, event_table, events_matching, plural
from .involvement import event_ladder, involves

ICC_WORDS = "Rome Statute|ICC"
WARRANT_WORDS = "warrant"
FLOWS = {"exports": "Exports to", "imports": "Imports from"}
TRANSFERS = {"total": "All transfers", "non_commercial": "Non-commercial transfers"}

_VOTE = re.compile(r"(\d[\d,]*)\s*(?:to|-|–|—)\s*(\d[\d,]*)")


# ---------------------------------------------------------------------------- pure computations
def vote_count(text) -> tuple[int, int] | None:
    """The first 'N to M' (or N-M) vote in a sentence: 'voted 60 to 22' -> (60, 22)."""
    if text is None or pd.isna(text):
        return None
    found = _VOTE.search(str(text))
    if not found:
        return None
    return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))


def other_tally(s, vote) -> tuple[str, int, int] | None:
    """(publisher, yes, no): another record's tally of the vote, where the records disagree
    (``tally_contested``; the row's own stays the one used), else None."""
    other = vote_count(vote.get("tally_contested"))
    if other is None or pd.isna(vote.get("contested_source_id")):
        return None
    return (str(s.ev.sources_by_id().loc[vote["contested_source_id"], "publisher"]), *other)


def _other_tally(s, vote) -> str:
    """' (TASS gave 60 to 20)': :func:`other_tally` as the text says it (Markdown)."""
    other = other_tally(s, vote)
    if other is None:
        return ""
    publisher, yes, no = other
    return f" ({md(publisher)} gave {num(yes)} to {num(no)})"


def fold(old: float, new: float) -> float | None:
    """How many times ``new`` is ``old``; None when the base is missing or not positive."""
    if old is None or new is None or pd.isna(old) or pd.isna(new) or old <= 0:
        return None
    return float(new) / float(old)


def growth(series: pd.DataFrame, value: str, base_year: int) -> dict | None:
    """Base-year value, latest value, peak and fold change of an annual series (year column).

    None when the series lacks the base year or has nothing after it.
    """
    rows = series.dropna(subset=[value]).sort_values("year")
    base = rows[rows["year"] == base_year]
    after = rows[rows["year"] > base_year]
    if base.empty or after.empty:
        return None
    last = after.iloc[-1]
    peak = after.loc[after[value].idxmax()]
    b = float(base.iloc[0][value])
    return {"base_year": base_year, "base": b, "last_year": int(last["year"]),
            "last": float(last[value]), "fold": fold(b, last[value]),
            "peak_year": int(peak["year"]), "peak": float(peak[value])}


# ---------------------------------------------------------------------------- finding events
def icc_steps(s) -> dict:
    """The warrant and the focus country's steps toward the court known at as_of (computed once
    per edition: five paragraphs and charts of the section ask).

    The fixed points are anchors (warrant, court clearance, submission to parliament,
    ratification vote, entry into force);
    other legal steps of the focus country that name the court (signature, deposit) join them.
    """
    return memo(s.ev, ("icc", s.p.focus), lambda: _icc_now(s))


def _icc_now(s) -> dict:
    w = s.ev.anchor("icc_warrant")
    fixed = [s.ev.anchor(k) for k in ("rome_statute_cleared", "rome_statute_ratification",
                                      "rome_statute_in_force", "rome_statute_submitted")]
    legal = involves(s.ev.events[s.ev.events["category"] == "legal"], s.p.focus)
    named = legal[legal["title"].str.contains(ICC_WORDS, case=False, na=False)
                  | legal["description"].str.contains(ICC_WORDS, case=False, na=False)]
    steps = pd.concat([*(a.frame() for a in fixed if a), named]).drop_duplicates("event_id")
    steps = steps.assign(date=pd.to_datetime(steps["date"]))
    if w:
        steps = steps[steps["date"] >= w.date]
    vote, in_force = fixed[1], fixed[2]
    return {"warrant": w.row if w else None, "not_yet": None if w else w,
            "steps": in_date_order(steps),
            "vote": vote.row if vote and vote_count(vote["description"]) else None,
            "in_force": in_force.row if in_force else None}


def _bill_before_warrant(s):
    """The focus country's government's approval of the ratification bill (anchor
    ``rome_statute_bill``) when the edition knows it and it came before the court's warrant:
    then the section says the steps began before the warrant. Else None."""
    bill, warrant = s.ev.anchor("rome_statute_bill"), s.ev.anchor("icc_warrant")
    if bill and warrant and s.p.focus in str(bill["actors"]).split(";") \
            and bill.date < warrant.date:
        return bill
    return None


def _of_patron(s, key: str):
    """Anchor ``key`` when the edition knows it and it involves the patron, else None: the
    story's warrant and invasion are Russia's, and read for another patron they would be false."""
    found = s.ev.anchor(key)
    return found if found and s.p.patron in str(found["actors"]).split(";") else None


def _break_year(s) -> int | None:
    """The year of the patron's full-scale invasion of Ukraine (anchor), None before it (or
    for a patron it does not involve)."""
    invasion = _of_patron(s, "ukraine_invasion")
    return invasion.date.year if invasion else None


def _patron_led(s, category: str, since=None, until=None) -> pd.DataFrame:
    """Events of ``category`` involving the focus country that the patron led (first actor) in
    [since, until] (by default, all the edition knows), in date order."""
    ev = involves(s.ev.events, s.p.patron, s.p.focus)
    first = ev["actors"].str.split(";").str[0] == s.p.patron
    since = pd.Timestamp.min if since is None else since
    until = pd.Timestamp(s.p.as_of) if until is None else until
    rows = ev[first & (ev["category"] == category) & ev["date"].between(since, until)]
    return rows.sort_values(["date", "event_id"])


def patron_reactions(s, since, until) -> pd.DataFrame:
    """The patron's public reactions to the focus country in [since, until]."""
    return _patron_led(s, "diplomacy", since, until)


#: the words of an event title that make a patron's economic step a restriction on the focus
#: country's goods (as WEST_WORDS and BLOC_WORDS name the steps of section 4)
RESTRICTION_WORDS = (r"\bhalts?\b", r"\bcurbs?\b", r"\brestrict\w*", r"\bbans?\b",
                     r"\bsuspends?\b")
#: ... unless the title lifts or eases one
LIFTED_WORDS = (r"\blifts?\b", r"\beases?\b", r"\bends?\b")


def patron_restrictions(s, since=None, until=None) -> pd.DataFrame:
    """The restrictions on the focus country's goods the patron announced in [since, until]
    (by default, all the edition knows):
    its economic steps toward the focus country (first actor) named as a halt, curb,
    restriction or ban (Table 6.1; section 7 counts them among what came from the patron)."""
    found = events_matching(_patron_led(s, "economy", since, until), *RESTRICTION_WORDS)
    lifted = events_matching(found, *LIFTED_WORDS)["event_id"]
    return found[~found["event_id"].isin(lifted)]


# ---------------------------------------------------------------------------- builders
def intro(s):
    """The section's question; the court's warrant and the break of the invasion year only once
    the edition has reached them."""
    warrant, invasion = _of_patron(s, "icc_warrant"), _of_patron(s, "ukraine_invasion")
    grew = _surged(s)[0]
    if warrant and invasion and grew:
        # 'into' only once the statute is in force for the focus country; whether the steps
        # began before the warrant, from the evidence (the bill's date), not assumed
        # a process: accession once the statute is in force for the focus country, else its
        # path toward it (an outside reader: 'brought into the court' was loose)
        in_force = s.ev.anchor("rome_statute_in_force")  # the focus country's, not another's
        done = bool(in_force) and s.p.focus in str(in_force["actors"]).split(";")
        path = (f"{md(s.p.focus)} joined the Rome Statute of the International Criminal "
                "Court" if done else
                f"{md(s.p.focus)} took steps toward the Rome Statute of the International "
                "Criminal Court")
        warrant_text = f"an arrest warrant for {md(s.p.patron)}'s president"
        later = not icc_steps(s)["steps"].empty  # a step after the warrant is known
        when = (f", a process begun before the court issued {warrant_text}"
                + ((" and completed after it" if done else " and continued after it")
                   if later else "")
                if _bill_before_warrant(s) else f", after the court had issued {warrant_text}")
        # the test the warrant made of it is the subsection's to say (it said it twice in a row)
        return s.text(
            # the accession was the focus country's aim: the text says what the warrant made of
            # it, not that no one planned it, nor that it only ran 'alongside' the steps away
            # from the patron (it was one), in a sentence that parses (outside readers); the
            # invasion named: the economic paradox followed the invasion and the sanctions, not
            # the focus country's steps (an outside reader)
            f"Two developments stand out in these years. One is legal: {path}{when}; the "
            f"warrant made it a point of friction with {md(s.p.patron)}. The other is an "
            f"economic paradox: after {md(s.p.patron)} invaded Ukraine, {listing(grew)} "
            f"rose well above their {_break_year(s) - 1} level {_after_break(s)}, while security "
            "ties frayed.")
    return s.text(
        f"This section follows {md(s.p.focus)}'s steps toward the International Criminal "
        f"Court and, year by year, its trade with {md(s.p.patron)} and the money transferred "
        f"from {md(s.p.patron)} through its banks.")


def icc_intro(s):
    if not _of_patron(s, "icc_warrant"):
        return s.text("")
    return s.text(
        f"The court's warrant for {md(s.p.patron)}'s president turned {md(s.p.focus)}'s path "
        "to the Rome Statute into a political test: a party must arrest anyone on its soil whom "
        # the court's own reading beside the states' (an outside reader: 'disputed' left out
        # that the court's Appeals Chamber settled it for itself in 2019; C06 cites it)
        "the court wants, a duty that in the court's view reaches serving heads of state, "
        "though some states dispute it.")


def _shaded(brk: int | None, first: int, last: int) -> str:
    """'2022-2024 shaded' (the years from the break on that a chart of ``first``-``last``
    shows; '2022 shaded' when it is the last); '' when the break is outside them."""
    return f"{span(brk, last)} shaded" if brk and first <= brk <= last else ""


def paradox_intro(s):
    text = (f"The figures below follow {md(s.p.focus)}'s goods trade with {md(s.p.patron)} and "
            f"the money transferred from {md(s.p.patron)} through {md(s.p.focus)}'s banks, year "
            "by year.")
    if _of_patron(s, "ukraine_invasion"):
        text += (" The shaded years mark the period from the full-scale invasion of Ukraine "
                 "onwards.")
    return s.text(text)


def icc_summary(s):
    icc = icc_steps(s)
    w = icc["warrant"]
    if w is None:
        return s.text(icc["not_yet"].sentence())
    if s.p.patron not in str(w["actors"]).split(";"):
        return s.text(f"The evidence base records no international arrest warrant for "
                      f"{md(s.p.patron)}'s leader, so this part of the section is left out.")
    bill = _bill_before_warrant(s)
    # what the step was for, in the government's own account (an outside reader: a section on
    # unintended consequences never said what was intended)
    aim = (f", a step it tied to {md(s.p.rival)}'s attacks on {md(s.p.focus)}"
           if bill and f"{s.p.rival}'s attacks on {s.p.focus}" in str(bill["description"])
           else "")
    text = [(f"{md(s.p.focus)}'s government approved a bill to ratify the Rome Statute, the "
             f"founding treaty of the International Criminal Court, on {date(bill.date)}"
             f"{aim}. ")] if bill else []
    text.append(f"On {date(w['date'])} {'the court' if bill else 'the International Criminal Court'}"
                f" issued an arrest warrant for the president of {md(s.p.patron)}, over the "
                "alleged unlawful deportation of children from occupied Ukraine.")
    cleared = s.ev.anchor("rome_statute_cleared")
    if cleared and s.p.focus in str(cleared["actors"]).split(";"):
        gap = indicators.days_between(w["date"], cleared.date)
        treaty = "the statute" if bill else "the court's founding treaty, the Rome Statute,"
        text.append(f" {count_word(gap, True)} days later {md(s.p.focus)}'s Constitutional Court found "
                    f"{treaty} compatible with the constitution, which cleared the way for "
                    "parliament to ratify it.")
    elif icc["steps"].empty:
        text.append(f" By {date(s.p.as_of)} the evidence base records no "
                    f"{'further ' if bill else ''}step by {md(s.p.focus)} toward the court"
                    f"{' since the warrant' if bill else ''}.")
        return s.text("".join(text))
    submitted = s.ev.anchor("rome_statute_submitted")
    if submitted and s.p.focus in str(submitted["actors"]).split(";"):
        text.append(f" On {date(submitted.date)} {md(s.p.focus)}'s government sent the statute "
                    "to parliament.")
    vote = icc["vote"]
    if vote is not None:
        yes, no = vote_count(vote["description"])
        text.append(f" Parliament ratified the statute on {date(vote['date'])} by {num(yes)} "
                    f"votes to {num(no)}{_other_tally(s, vote)}.")
    else:
        text.append(" " + s.ev.anchor("rome_statute_ratification").status(
            "vote in parliament on the statute"))
    f = icc["in_force"]
    if f is not None:
        text.append(f" The statute entered into force for {md(s.p.focus)} on "
                    f"{date(f['date'])}.")
    elif vote is not None:
        text.append(" " + s.ev.anchor("rome_statute_in_force").status(
            f"entry into force of the statute for {s.p.focus}"))
    return s.text("".join(text))


def icc_chart(s):
    """Warrant, court, vote, entry into force, and the patron's reactions on one timeline."""
    icc = icc_steps(s)
    w = icc["warrant"]
    if w is None:
        return s.text("")  # icc_summary has said the story had not got there
    steps = icc["steps"]
    done = icc["in_force"] is not None
    until = steps["date"].max() if done else pd.Timestamp(s.p.as_of)
    reactions = patron_reactions(s, w["date"], until)
    rows = pd.concat([w.to_frame().T, steps, reactions]).drop_duplicates("event_id")
    rows["date"] = pd.to_datetime(rows["date"])
    groups = {"court": f"The ICC and {s.p.focus}", "patron": f"{s.p.patron}'s reactions"}
    reaction_ids = set(reactions["event_id"])
    vote = icc["vote"]

    def label(row):
        if vote is not None and row["event_id"] == vote["event_id"]:
            yes, no = vote_count(vote["description"])
            # both tallies, as the text gives them (an outside reader: the label gave one)
            other = other_tally(s, vote)
            return row["title"], (f" ({yes}–{no}"
                                  + (f"; {other[0]}: {other[1]}–{other[2]}" if other else "")
                                  + ")")
        return row["title"], ""

    fig = event_ladder(rows, lambda r: groups["patron"] if r["event_id"] in reaction_ids
                       else groups["court"],
                       {groups["court"]: "#332288", groups["patron"]: theme.colour(s.p.patron)},
                       size=(6.6, max(2.6, 0.34 * len(rows) + 1.2)), label_of=label,
                       max_chars=66)
    first, last = rows["date"].min(), rows["date"].max()
    # to the day: 'February 2024' had taken in a reaction of 23 February the chart leaves out
    # (its window ends with the last step; an outside reader)
    period = period_span(first, last)
    return s.figure(
        fig,
        # 'to the Rome Statute' only once it is in force for the focus country (a 2023 edition
        # ends with the bill before parliament)
        caption=((f"From the ICC warrant to the Rome Statute in {s.p.focus}, with "
                  if s.ev.anchor("rome_statute_in_force") else
                  f"From the ICC warrant to {s.p.focus}'s steps toward the Rome Statute, with ")
                 + f"{s.p.patron}'s public reactions to {s.p.focus} in that time, on any "
                 f"subject, {period}"),
        alt=(f"Event chart of {len(rows)} dated events from {date(first)} to {date(last)}: "
             f"{len(rows) - len(reactions)} steps of the court and of {s.p.focus} toward the "
             f"Rome Statute and {len(reactions)} public reactions by {s.p.patron}, one per row."),
        # (under the chart, not a paragraph of its own: a note to how it is read)
        note=(f"One reaction by {s.p.patron} can answer several of {s.p.focus}'s steps at once, "
              "the court among them: the chart shows timing, not cause."),
        data=[rows])


def icc_table(s):
    icc = icc_steps(s)
    w = icc["warrant"]
    if w is None or icc["steps"].empty:
        return s.text("")  # icc_summary has said the story had not got there
    rows = pd.concat([w.to_frame().T, icc["steps"]]).drop_duplicates("event_id")
    rows["date"] = pd.to_datetime(rows["date"])
    table = pd.DataFrame({
        "Date": [at_precision(d, p) for d, p in zip(rows["date"], rows["date_precision"],
                                                     strict=True)],
        "Step": rows["title"] + rows["confidence"].map(
            lambda c: " (unconfirmed)" if c == "low" else ""),
        "Days after the warrant": rows["date"].map(
            lambda d: indicators.days_between(w["date"], d)).astype(int),
    })
    return s.table(table, f"{s.p.focus}'s road to the Rome Statute, counted from the warrant",
                   data=[rows])


def _paradox_frames(s):
    trade = s.ev.trade
    t = trade[(trade["partner"] == s.p.patron) & trade["flow"].isin(FLOWS)]
    rem = s.ev.remittances
    r = rem[(rem["origin"] == s.p.patron) & rem["transfer_type"].isin(TRANSFERS)]
    return t, r


def _mark(ax, years, brk: int | None):
    if brk is not None and years.min() <= brk <= years.max():
        ax.axvspan(brk - 0.5, years.max() + 0.5, color="#F2F2F2", zorder=0)
        ax.axvline(brk - 0.5, color=theme.MUTED, lw=0.8, ls="--", zorder=1)
        # an arrow only where later years follow (an edition whose data end in the break's year
        # shows no time after it)
        ax.text(brk - 0.4, 0.02, f"{brk}→" if years.max() > brk else f"{brk}",
                transform=ax.get_xaxis_transform(),
                fontsize=7, color=theme.MUTED, va="bottom")


def _series(ax, rows, key, styles, value, suffix=""):
    for k, style in styles.items():
        line = rows[rows[key] == k].sort_values("year")
        if line.empty:
            continue
        ax.plot(line["year"], line[value], label=style["label"], color=style["colour"],
                ls=style.get("ls", "-"), marker="o", ms=2.5)
        low = line[line["confidence"] == "low"]
        ax.scatter(low["year"], low[value], s=22, facecolor="white", edgecolor=style["colour"],
                   zorder=3)
        last = line.iloc[-1]
        ax.annotate(formatted("{:,.0f}", last[value]) + suffix, (last["year"], last[value]),
                    xytext=(3, 0),
                    textcoords="offset points", fontsize=6.5, color=style["colour"],
                    va="center")


def _panel_years(trade: pd.DataFrame, transfers: pd.DataFrame) -> str:
    """'2007–2022', or each panel's own years when they differ ('trade 2007–2022, transfers
    2013–2022'): a caption never claims years a panel does not show."""
    spans = [(what, span(int(f["year"].min()), int(f["year"].max())))
             for what, f in (("trade", trade), ("transfers", transfers)) if not f.empty]
    if len(spans) == 2 and spans[0][1] == spans[1][1]:
        return spans[0][1]
    return ", ".join(f"{what} {years}" for what, years in spans)  # a lone panel is named too


def paradox_chart(s):
    """Trade with the patron and transfers from it, by year, the break year shaded."""
    brk = _break_year(s)
    t, r = _paradox_frames(s)
    if t.empty and r.empty:
        return s.text(f"The evidence base has no trade or transfer figures between "
                      f"{md(s.p.focus)} and {md(s.p.patron)} for this window.")
    fig, (left, right) = theme.new_figure((6.6, 3.2), ncols=2, sharex=True)
    patron = theme.colour(s.p.patron)
    _series(left, t, "flow", {"exports": {"label": f"Exports to {s.p.patron}", "colour": patron},
                              "imports": {"label": f"Imports from {s.p.patron}",
                                          "colour": "#555555", "ls": "--"}}, "value_usd_m")
    _series(right, r, "transfer_type",
            {"total": {"label": "All transfers", "colour": patron},
             # two lines: on one, the legend ran into the 2022 divider and the shading
             "non_commercial": {"label": "Non-commercial\n(closest to remittances)",
                                "colour": "#555555",
                                "ls": "--"}}, "inflow_usd_m")
    years = pd.concat([t["year"], r["year"]]).astype(int)
    for ax, title, rows in ((left, f"Goods trade with {s.p.patron}", t),
                            (right, f"Money transfers from {s.p.patron}", r)):
        ax.set_title(title, fontsize=8.5)
        ax.set_ylabel("USD million")
        if rows.empty:
            ax.text(0.5, 0.5, "no data", transform=ax.transAxes, ha="center",
                    color=theme.MUTED)
            continue
        _mark(ax, years, brk)
        ax.legend(loc="upper left", fontsize=6.5, bbox_to_anchor=(0, 0.9))
        ax.set_ylim(bottom=0)
    shown = range(int(years.min()), int(years.max()) + 1)
    step = 2 if len(shown) <= 12 else 4
    left.set_xticks([y for y in shown if (int(years.max()) - y) % step == 0])
    left.set_xlim(years.min() - 0.5, years.max() + 1.2)
    first, last = int(years.min()), int(years.max())
    shaded = _shaded(brk, first, last)
    shaded = f"; {shaded}" if shaded else ""
    g = growth(t[t["flow"] == "exports"].rename(columns={"value_usd_m": "v"}), "v",
               brk - 1) if not t.empty and brk else None
    finding = (f" Exports to {s.p.patron} were {fold_text(g)} in {g['last_year']} what they had "
               f"been in {g['base_year']}." if g and g["fold"] else "")
    growth_rows = _real_growth(s, brk - 1 if brk else None).sort_values("year")
    size_rows = _gdp_usd(s, brk - 1 if brk else None).sort_values("year")
    return s.figure(
        fig,
        caption=(f"{s.p.focus}'s goods trade with {s.p.patron} and money transfers received "
                 f"from it, {_panel_years(t, r)} (USD million{shaded})"),
        alt=(f"Two line charts by year from {first} to {last}: left, {s.p.focus}'s exports to "
             f"and imports from {s.p.patron}; right, all money transfers and non-commercial "
             f"transfers from {s.p.patron}{shaded.replace(';', ',')}.{finding}"),
        data=[t, r, growth_rows, size_rows],
        note=("Imports by country of origin. 'All transfers' include commercial transfers; "
              "non-commercial transfers are the closest measure of migrants' remittances."
              + _growth_note(s, growth_rows, size_rows)))


def _gdp_rows(s, measure: str, since: int | None) -> pd.DataFrame:
    gdp = s.ev.gdp
    rows = gdp[(gdp["country"] == s.p.focus) & (gdp["measure"] == measure)]
    return rows[rows["year"] >= since] if since else rows.iloc[0:0]


def _real_growth(s, since: int | None) -> pd.DataFrame:
    """The focus country's real GDP growth by year, from the year before the break on."""
    return _gdp_rows(s, "real_growth_pct", since)


def _gdp_usd(s, since: int | None) -> pd.DataFrame:
    """The focus country's GDP in current US dollars (billions), from the year before the break
    on: the size the flows in dollars can be set against."""
    return _gdp_rows(s, "gdp_current_usd_bn", since)


def _growth_note(s, rows: pd.DataFrame, size: pd.DataFrame) -> str:
    """For scale: the economy's size in current dollars at the first and last year known
    ('USD 13.9 billion in 2021 and USD 24.2 billion in 2023'), then its real growth by year."""
    text = ""
    if not size.empty:
        ends = size.iloc[[0, -1]] if len(size) > 1 else size
        text = (f" For scale, {s.p.focus}'s GDP in current US dollars was "
                + " and ".join(f"{usd_m(1000 * v)} in {int(y)}"
                               for y, v in zip(ends["year"], ends["value"], strict=True))
                # a dollar series that stops before the growth figures: said, not left to guess
                + (", the last year of that series in this evidence base"
                   if not rows.empty and int(size["year"].max()) < int(rows["year"].max())
                   else "") + ".")
    if not rows.empty:
        parts = [f"{num(v, 1).replace('-', '−')}% in {int(y)}"
                 for y, v in zip(rows["year"], rows["value"], strict=True)]
        grew = listing(parts, escape=False)
        text += (f" In real terms the economy grew by {grew}." if text else
                 f" For scale, {s.p.focus}'s economy grew in real terms by {grew}.")
    return text


def fold_text(g: dict) -> str:
    return f"{num(g['fold'], 1)} times"


def _growth_sentence(what: str, g: dict | None) -> str:
    if g is None:
        return ""
    # a reader who divides the two amounts gets the fold the sentence gives
    first, last = (usd_pair(g["base"], g["last"], g["fold"]) if g["fold"] is not None
                   and g["fold"] >= 1.05 else (usd_m(g["base"]), usd_m(g["last"])))
    text = f"{what} went from {first} in {g['base_year']} to {last} in {g['last_year']}"
    if g["fold"] is not None and g["fold"] >= 1.05:
        text += f", a {num(g['fold'], 1)}-fold rise"
    elif g["fold"] is not None and g["fold"] <= 0.95:
        text += f", a fall of {num(100 * (1 - g['fold']))}%"
    if g["peak_year"] != g["last_year"]:
        text += f" (peak: {usd_m(g['peak'])} in {g['peak_year']})"
    return text + "."


def _after_break(s) -> str:
    """'in 2022' or 'in 2022–2024': the years after the break the annual series reach."""
    t, r = _paradox_frames(s)
    last = int(pd.concat([t["year"], r["year"]]).max())
    brk = _break_year(s)
    return f"in {brk}" if last <= brk else f"in {span(brk, last)}"


def _surged(s) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What rose at least 1.5-fold from the last full year before the break (exports to the
    patron, all money transfers from it) and what fell (those, and the non-commercial
    transfers closest to remittances): the one judgement behind every sentence that says the
    economic ties grew. Plain names (``listing`` escapes them); both empty before the break or
    while the annual series end before it. Computed once per edition (three paragraphs ask)."""
    return memo(s.ev, ("surged", s.p), lambda: _surged_now(s))


def _judged(s) -> dict[str, pd.DataFrame]:
    """The three series :func:`_surged` judges, by name (value column ``v``)."""
    t, r = _paradox_frames(s)
    return {f"exports to {s.p.patron}": t[t["flow"] == "exports"].rename(
                columns={"value_usd_m": "v"}),
            f"imports from {s.p.patron}": t[t["flow"] == "imports"].rename(
                columns={"value_usd_m": "v"}),
            f"money transfers from {s.p.patron}": r[r["transfer_type"] == "total"].rename(
                columns={"inflow_usd_m": "v"}),
            "non-commercial transfers": r[r["transfer_type"] == "non_commercial"].rename(
                columns={"inflow_usd_m": "v"})}


def _surged_now(s) -> tuple[tuple[str, ...], tuple[str, ...]]:
    brk = _break_year(s)
    t, r = _paradox_frames(s)
    years = pd.concat([t["year"], r["year"]])
    if brk is None or years.empty or int(years.max()) < brk:
        return (), ()
    folds = {name: (growth(rows, "v", brk - 1) or {}).get("fold")
             for name, rows in _judged(s).items()}
    # judged on the fold as the text writes it (one decimal): "a 1.5-fold rise" is a surge
    folds = {name: None if fold is None else rounded(fold, 1) for name, fold in folds.items()}
    grew = [name for name, fold in folds.items()
            if fold and fold >= 1.5 and not name.startswith("non-")]
    fell = tuple(name for name, fold in folds.items() if fold is not None and fold <= 0.9)
    return tuple(grew), fell


def _transit(s, grew) -> str:
    """The goods part of the interpretation: re-exports to the patron, and, once imports from
    it surged too, goods brought from it and sent on to other markets."""
    if f"imports from {s.p.patron}" in grew:
        return (f"goods passing through {md(s.p.focus)} both ways (re-exported to "
                f"{md(s.p.patron)}, or brought from it and sent on to other markets)")
    return f"goods re-exported to {md(s.p.patron)}"


def _fell_phrase(s, fell: tuple[str, ...], base: int) -> str:
    """'non-commercial transfers, after a peak in 2022, ended below their 2021 level': what
    fell, and (for one series) the peak it fell from, so the clause agrees with the chart."""
    text = listing(fell)
    g = growth(_judged(s)[fell[0]], "v", base) if len(fell) == 1 else None
    if g and g["peak_year"] not in (base, g["last_year"]) and g["peak"] > g["base"]:
        return f"{text}, after a peak in {g['peak_year']}, ended below their {base} level"
    return f"{text} ended below their {base} level"


def paradox_summary(s):
    brk = _break_year(s)
    if brk is None:
        invasion = s.ev.anchor("ukraine_invasion")
        return s.text(invasion.sentence() if not invasion else
                      f"The evidence base records no war of {md(s.p.patron)}'s that this part "
                      "could measure from, so it is left out.")
    t, r = _paradox_frames(s)
    base = brk - 1
    years = pd.concat([t["year"], r["year"]])
    if years.empty:
        return s.text(f"The evidence base has no trade or transfer figures between "
                      f"{md(s.p.focus)} and {md(s.p.patron)} for this window.")
    if int(years.max()) < brk:
        return s.text(f"As of {date(s.p.as_of)} the annual series end in {int(years.max())}, "
                      f"before the break of {brk}, so they cannot yet show how trade and "
                      "transfers moved after it.")
    parts = []
    for flow, what in (("exports", f"Exports to {md(s.p.patron)}"),
                       ("imports", f"Imports from {md(s.p.patron)}")):
        rows = t[t["flow"] == flow].rename(columns={"value_usd_m": "v"})
        parts.append(_growth_sentence(what, growth(rows, "v", base)))
    for kind, what in (("total", f"All money transfers from {md(s.p.patron)}"),
                       ("non_commercial", ("Non-commercial transfers, the closest measure of "
                                          "migrants' remittances,"))):
        rows = r[r["transfer_type"] == kind].rename(columns={"inflow_usd_m": "v"})
        parts.append(_growth_sentence(what, growth(rows, "v", base)))
    parts = [p for p in parts if p]
    if not parts:
        return s.text(f"The evidence base lacks a {base} baseline for {md(s.p.focus)}'s trade "
                      f"with {md(s.p.patron)}.")
    grew, _ = _surged(s)
    # where the flows surged, the opening says so and the figures show which: no summing-up
    # here (the section's introduction and its "What the data say" give it)
    close = "" if grew else (f" The data do not show a surge of exports to or transfers from "
                             f"{md(s.p.patron)} after {brk}.")
    # what the figures show, not a contrast with ties this section does not measure
    opening = (f"Measured from {base}, the last full year before {md(s.p.patron)}'s "
               "full-scale invasion of Ukraine, this is how the economic ties moved. ")
    return s.text(opening + " ".join(parts) + close)


def flow_shares(s) -> pd.DataFrame:
    """The patron's share of the focus country's exports and imports by year (Figure 6.4 and
    the sentence on it read the same rows)."""
    return memo(s.ev, ("flow shares", s.p.focus, s.p.patron),
                lambda: trade_shares.flow_series(s.ev.tables, s.p.focus, s.p.patron))


def share_chart(s):
    """The patron's share of the focus country's exports and imports, by year."""
    from . import trade_mix

    brk = _break_year(s)
    trade = s.ev.trade
    shares = flow_shares(s)
    if shares.empty:
        return s.text(f"The evidence base has no totals to set {md(s.p.focus)}'s trade with "
                      f"{md(s.p.patron)} against.")
    used = trade[trade["partner"].isin([s.p.patron, "World"])
                 & trade["year"].isin(set(shares["year"]))]
    gold = trade_mix.patron_imports(s.ev.trade_by_commodity, trade, s.p.patron)
    if s.from_later_release(gold):  # (a figure first published after the edition's date)
        gold = gold.iloc[0:0]
    fig, ax = theme.new_figure()
    _series(ax, shares, "flow",
            {"exports": {"label": f"Share of exports going to {s.p.patron}",
                         "colour": theme.colour(s.p.patron)},
             "imports": {"label": f"Share of imports coming from {s.p.patron}",
                         "colour": "#555555", "ls": "--"}}, "share_pct", suffix="%")
    years = shares["year"].astype(int)
    _mark(ax, years, brk)
    ax.set_ylim(0, min(100, shares["share_pct"].max() * 1.3))
    ax.set_xlim(years.min() - 0.5, years.max() + 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(f"% of {s.p.focus}'s total")
    ax.legend(loc="upper left")
    first, last = int(years.min()), int(years.max())
    shaded = _shaded(brk, first, last)
    ex = shares[shares["flow"] == "exports"].sort_values("year")
    finding = ""
    if len(ex) >= 2:
        finding = f" The share of exports went {_share_path(ex, None)}."
    return s.figure(
        fig,
        caption=(f"{s.p.patron}'s share of {s.p.focus}'s goods exports and imports, "
                 f"{span(first, last)}"),
        alt=(f"Line chart of {s.p.patron}'s share in {s.p.focus}'s total exports and imports "
             f"by year from {first} to {last}"
             f"{', ' + shaded if shaded else ''}."
             f"{finding}"),
        data=[used, gold],
        note=("Totals are the trade series' World rows. Only years in which both flows are "
              "reported, for the total and for the partner, are shown, as in the shares of "
              "section 1." + trade_mix.patron_imports_sentence(gold, s.p.patron)))


def _from_base(rows: pd.DataFrame, base: int | None) -> pd.DataFrame:
    """A share's years from the year before the break on (else all of them), in order: the
    years :func:`_share_path` and :func:`_grew_slower` read."""
    rows = rows.sort_values("year")
    if base is not None and (rows["year"] >= base).sum() >= 2:  # else from the first year
        rows = rows[rows["year"] >= base]
    return rows


def _share_path(rows: pd.DataFrame, base: int | None) -> str:
    """'from 16% in 2021 to 45% in 2022, then 24% in 2024': from the year before the break (else
    the first year) to the last, through the highest year when it lies between."""
    rows = _from_base(rows, base)
    first, last = rows.iloc[0], rows.iloc[-1]
    peak = rows.loc[rows["share_pct"].idxmax()]
    text = f"from {pct(first['share_pct'])} in {int(first['year'])} "
    if int(peak["year"]) not in (int(first["year"]), int(last["year"])) and (
            whole(peak["share_pct"]) > whole(last["share_pct"])):  # a peak the text can show
        text += (f"to {pct(peak['share_pct'])} in {int(peak['year'])}, then "
                 f"{pct(last['share_pct'])} in {int(last['year'])}")
    else:
        text += f"to {pct(last['share_pct'])} in {int(last['year'])}"
    return text


def _grew_slower(rows: pd.DataFrame, base: int | None, patron: str) -> str:
    """', though imports from Russia grew: imports from other partners grew faster' when a
    share of :func:`_share_path` fell over its years while the flow with the patron itself grew
    (a falling share beside a rising amount reads as a contradiction without it), else ''."""
    rows = _from_base(rows, base)
    first, last = rows.iloc[0], rows.iloc[-1]
    if whole(last["share_pct"]) < whole(first["share_pct"]) and last["part"] > first["part"]:
        flow = "imports from" if last["flow"] == "imports" else "exports to"
        return f", though {flow} {md(patron)} grew: {flow} other partners grew faster"
    return ""


def boom_text(s):
    """What Figures 6.3 and 6.4 show, one sentence each: what the exports were made of, and
    how the patron's shares of exports and imports moved from the year before the break."""
    from . import trade_mix

    parts = []
    gold, cars = trade_mix.panels(s)
    shares = flow_shares(s)
    # the two charts just shown, when each had data to show (else each showed a sentence)
    share_figure = s.shown_figure() if not shares.empty else None
    mix_figure = (s.shown_figure(1 if not shares.empty else 0)
                  if not (gold.empty and cars.empty) else None)
    clause = trade_mix.finding(gold, cars, s.p.patron)
    if clause and mix_figure:
        parts.append(f"By kind of goods, {md(clause)} ({mix_figure}).")
    brk = _break_year(s)
    base = brk - 1 if brk else None
    flows = {flow: rows for flow, rows in shares.groupby("flow") if len(rows) >= 2}
    if "exports" in flows and share_figure:
        text = (f"{md(s.p.patron)}'s share of {md(s.p.focus)}'s exports went "
                f"{_share_path(flows['exports'], base)}")
        if "imports" in flows:
            text += (f", and its share of imports {_share_path(flows['imports'], base)}"
                     + _grew_slower(flows["imports"], base, s.p.patron))
        parts.append(text + f" ({share_figure}).")
        why, from_mix = _why_the_share_fell(flows["exports"], gold, s.p.patron, base)
        if why:
            parts.append(why + (f" ({mix_figure})." if mix_figure and from_mix else "."))
    # the table that follows, named where it is read (every exhibit is referred to)
    restricted = patron_restrictions(s)
    if not restricted.empty:
        parts.append(f"{md(s.p.patron)} also announced "
                     + ("a restriction" if len(restricted) == 1 else
                        plural(len(restricted), "restriction"))
                     + f" on {md(s.p.focus)}'s goods "
                     f"({label('table', 'trade_restrictions')}).")
    return s.text(" ".join(parts))


def _why_the_share_fell(exports: pd.DataFrame, gold: pd.DataFrame, patron: str,
                        base: int | None = None) -> tuple[str, bool]:
    """When the patron's share of exports fell from its peak (over the years the sentence before
    it reads: from ``base`` on, as :func:`_share_path`) while exports to the patron grew: the
    total grew faster, and (when it did) mostly in precious stones and metals. A falling share
    is then not a turn away from the patron's market. Returns the sentence (without its full
    stop; empty when there is nothing to explain) and whether it draws on the commodity mix."""
    rows = exports.dropna(subset=["share_pct", "part", "total"]).sort_values("year")
    if base is not None and (rows["year"] >= base).sum() >= 2:
        rows = rows[rows["year"] >= base]
    if len(rows) < 2:
        return "", False
    peak, last = rows.loc[rows["share_pct"].idxmax()], rows.iloc[-1]
    if (int(peak["year"]) == int(last["year"]) or peak["share_pct"] - last["share_pct"] < 5
            or last["part"] < peak["part"]):
        return "", False
    y0, y1 = int(peak["year"]), int(last["year"])
    text = (f"The share fell after {y0} although exports to {md(patron)} were higher in {y1} "
            f"than in {y0}: total exports grew faster, from {usd_m(peak['total'])} to "
            f"{usd_m(last['total'])}")
    by_year = gold.set_index("year")["part_usd_m"] if not gold.empty else pd.Series(dtype=float)
    if y0 in by_year.index and y1 in by_year.index:
        share_of_rise = (by_year[y1] - by_year[y0]) / (last["total"] - peak["total"])
        if share_of_rise > 0.5:
            return text + ", most of the rise coming from precious stones and metals", True
    return text, False


def data_limits(s):
    """What the section's data say and do not say."""
    brk = _break_year(s)
    says = []
    icc = icc_steps(s) if _of_patron(s, "icc_warrant") else {"warrant": None}
    if icc["warrant"] is not None and icc["vote"] is not None:
        says.append(f"{md(s.p.focus)} ratified the court's statute after the court had issued "
                    f"an arrest warrant for {md(s.p.patron)}'s president, and {md(s.p.patron)}'s "
                    "government protested")
    elif icc["warrant"] is not None and not icc["steps"].empty:
        says.append(f"{md(s.p.focus)} {'went on taking' if _bill_before_warrant(s) else 'took'} "
                    f"steps toward the court after it had issued an arrest "
                    f"warrant for {md(s.p.patron)}'s president, and {md(s.p.patron)}'s government "
                    "protested")
    grew, fell = _surged(s)
    if grew:  # the same judgement and words as the section's paradox paragraph
        says.append(f"{listing(grew)} were well above their {brk - 1} level {_after_break(s)}"
                    + (f", although {_fell_phrase(s, fell, brk - 1)}" if fell else ""))
    if not says:
        return s.text("")
    text = "What the data say: " + "; ".join(says) + "."
    if grew:
        text += (
            " What they do not say: the trade series records where exports went, not whether "
            f"they were made in {md(s.p.focus)} or passed through it on the way to "
            f"{md(s.p.patron)}, and where imports were made, not whether they stayed in "
            f"{md(s.p.focus)}; "
            "the transfer series records money sent through banks, not who sent it or why; and "
            f"nothing in the evidence base counts the people who moved from {md(s.p.patron)} "
            f"since {brk}. *Interpretation, which these data can only hint at:* much of the surge "
            f"may reflect {_transit(s, grew)} and the money and firms of "
            f"{md(s.p.patron)}'s citizens who relocated to {md(s.p.focus)}, rather than a "
            "deeper economic bond; if so, the boom is as exposed to sanctions policy as to "
            "politics.")
    else:
        text += (f" What they do not say: whether the court played any part in "
                 f"{md(s.p.patron)}'s reactions, which answered several of "
                 f"{md(s.p.focus)}'s steps at once.")
    return s.text(text)


def restrictions_table(s):
    """The restrictions on the focus country's goods the patron announced, each as its agency
    gave it (an outside reader: the report said it did not track trade restrictions, though
    the ones on record were public)."""
    rows = patron_restrictions(s)
    it = "they" if len(rows) > 1 else "it"
    return event_table(
        s, rows, "trade_restrictions",
        f"Restrictions on {s.p.focus}'s goods that {s.p.patron} announced",
        note=f"The evidence base does not record what {it} cost or how long {it} lasted.")
