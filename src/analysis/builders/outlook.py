"""Section 7, outlook: what happened after the article, how opinion moved, and the indicators that
show whether the focus country is caught between its patron and its partners."""

from __future__ import annotations

import re
import textwrap

import pandas as pd
from matplotlib import transforms

from .. import charts, indicators, theme
from ..prose import change, date, listing, md, num, pct

#: the article the report follows was published on this day; "after the article" = later events
ARTICLE_DATE = pd.Timestamp("2023-09-15")
#: milestones labelled on the post-article timeline when present (matched in event titles)
MILESTONE_WORDS = ("offensive", "refugees", "CSTO participation", "border guards leave",
                   "peacekeepers' withdrawal", "accession law", "Washington declaration",
                   "peace treaty text", "Partnership Charter")
SURVEY_SHORT = {"CRRC Caucasus Barometer": "CRRC", "IRI Public Opinion Survey": "IRI"}


# ---------------------------------------------------------------------- pure computations
def after(events: pd.DataFrame, day=ARTICLE_DATE) -> pd.DataFrame:
    """Events dated strictly after ``day``."""
    return events[events["date"] > pd.Timestamp(day)].sort_values("date")


def share_of_total(frame: pd.DataFrame, part_col: str, part: str, value: str,
                   total: str | None = None, group: str = "year") -> pd.DataFrame:
    """Share (%) of ``part`` per ``group``.

    The denominator is the row labelled ``total`` in ``part_col`` (e.g. "World") when given,
    else the sum over all rows of the group. Returns group, share_pct, confidence (the weakest
    of the rows used) and source_id (of the part's rows); groups without a denominator are
    dropped.
    """
    if frame.empty:
        return pd.DataFrame(columns=[group, "share_pct", "confidence", "source_id"])
    if total is None:
        denom = frame.groupby(group)[value].sum()
    else:
        denom = frame[frame[part_col] == total].groupby(group)[value].sum()
    rows = frame[frame[part_col] == part]
    num_ = rows.groupby(group)[value].sum().reindex(denom.index, fill_value=0.0)
    used = frame if total is None else frame[frame[part_col].isin([part, total])]
    conf = used.groupby(group)["confidence"].agg(weakest)
    src = rows.groupby(group)["source_id"].first()
    out = pd.DataFrame({"share_pct": 100 * num_ / denom, "confidence": conf.reindex(denom.index),
                        "source_id": src.reindex(denom.index)})
    out = out[denom > 0].dropna(subset=["share_pct"])
    return out.reset_index().rename(columns={"index": group})


def weakest(confidences) -> str:
    """The lowest confidence of a set of rows: low < medium < high."""
    rank = {"low": 0, "medium": 1, "high": 2}
    values = [c for c in confidences if isinstance(c, str)]
    return min(values, key=lambda c: rank.get(c, 2)) if values else "high"


def count_change(before: int, now: int) -> str:
    """'up 2 on a year earlier' / 'down 1 on a year earlier' / 'unchanged on a year earlier'."""
    delta = now - before
    word = "unchanged" if delta == 0 else f"{'up' if delta > 0 else 'down'} {abs(delta)}"
    return f"{word} on a year earlier"


def latest_two(series: pd.DataFrame, order: str = "year"):
    """(latest row, previous row or None) of a series; None when empty."""
    if series.empty:
        return None
    ordered = series.sort_values(order)
    last = ordered.iloc[-1]
    prev = ordered.iloc[-2] if len(ordered) > 1 else None
    return last, prev


def active_on(deployments: pd.DataFrame, deployers, on) -> pd.DataFrame:
    """Deployments by ``deployers`` running on day ``on`` (started, not yet ended)."""
    day = pd.Timestamp(on)
    rows = deployments[deployments["deployer"].isin(list(deployers))]
    running = (rows["start_date"] <= day) & (rows["end_date"].isna() | (rows["end_date"] >= day))
    return rows[running]


def arms_share_windows(arms: pd.DataFrame, recipient: str, supplier: str,
                       window: int = 5) -> pd.DataFrame:
    """The supplier's share of a recipient's arms imports in the last ``window`` years of data
    and in the ``window`` years before: label, end, share_pct (empty when no deliveries)."""
    rows = arms[arms["recipient"] == recipient]
    if rows.empty:
        return pd.DataFrame(columns=["label", "end", "share_pct", "confidence", "source_id"])
    end = int(rows["year"].max())
    out = []
    for stop in (end - window, end):
        start = stop - window + 1
        shares = indicators.period_shares(rows, recipient, start, stop)
        if shares["tiv_m"].sum() <= 0:
            continue
        hit = shares[shares["supplier"] == supplier]
        used = rows[rows["year"].between(start, stop)]
        out.append({"label": f"{start}–{stop}", "end": stop,
                    "share_pct": float(hit["share_pct"].iloc[0]) if not hit.empty else 0.0,
                    "confidence": "low" if (used["confidence"] == "low").any() else "high",
                    "source_id": used["source_id"].iloc[0]})
    return pd.DataFrame(out)


def direction(last: float, prev: float | None, since: str) -> str:
    """'up 3 points since 2022' / 'down 1 point since 2022' / 'unchanged since 2022'."""
    if prev is None or pd.isna(prev):
        return "no earlier reading"
    unit = "point" if round(abs(last - prev)) == 1 else "points"
    return f"{change(prev, last, unit)} since {since}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


# ---------------------------------------------------------------------- what came after
def _nothing_after(s) -> str:
    if pd.Timestamp(s.p.as_of) < ARTICLE_DATE:
        return (f"The as-of date, {date(s.p.as_of)}, comes before the article of "
                f"{date(ARTICLE_DATE)}, so there is nothing after the article to show yet.")
    return (f"As of {date(s.p.as_of)}, nothing in the evidence base is dated after the article "
            f"of {date(ARTICLE_DATE)}: the events that followed it had not happened yet.")


def after_article_timeline(s):
    later = after(s.ev.events)
    if later.empty:
        return s.text(_nothing_after(s))
    labels = []
    for word in MILESTONE_WORDS:
        hit = later[later["title"].str.contains(word, case=False, regex=False, na=False)]
        if not hit.empty:
            labels.append(hit.iloc[0]["event_id"])
    fig = charts.timeline(later, label_ids=())
    _place_labels(fig.axes[0], later, labels[:8])
    first, last = later["date"].min(), later["date"].max()
    return s.figure(
        fig,
        caption=(f"After the article: {len(later)} dated events from {first:%B %Y} to "
                 f"{last:%B %Y}, by kind"),
        alt=(f"Timeline of {len(later)} events dated after {ARTICLE_DATE:%d %B %Y}, from "
             f"{first:%B %Y} to {last:%B %Y}, one lane per kind of event; milestones such as "
             "the offensive, the alliance freeze and the peace steps are labelled."),
        data=[later])


def place_offsets(items, width_days: float, levels=(9, -9, 18, -18)) -> list[float]:
    """Greedy vertical offsets (points) for labels ``[(lane, date), ...]`` sorted by date so that
    labels of the same lane and level are at least ``width_days`` apart."""
    taken: dict[tuple, pd.Timestamp] = {}
    out = []
    for lane, day in items:
        choice = levels[0]
        for level in levels:
            prev = taken.get((lane, level))
            if prev is None or (day - prev).days >= width_days:
                choice = level
                break
        else:  # everything taken: the level whose last label is furthest back
            choice = min(levels, key=lambda lv: taken[(lane, lv)])
        taken[(lane, choice)] = day
        out.append(choice)
    return out


def _place_labels(ax, events: pd.DataFrame, ids, chars: int = 40, fontsize: float = 6.2):
    """Label the events ``ids`` on a charts.timeline axis without overlaps."""
    import matplotlib.dates as mdates

    lanes = [c for c in charts.CATEGORY_ORDER if c in set(events["category"])]
    lane_y = {c: i for i, c in enumerate(reversed(lanes))}
    rows = events[events["event_id"].isin(list(ids))].sort_values("date")
    if rows.empty:
        return
    x0, x1 = (mdates.num2date(v).replace(tzinfo=None) for v in ax.get_xlim())
    span_days = max((x1 - x0).days, 1)
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    # a label's width in days: characters x ~0.55 em, at the axis's days per inch
    width_days = chars * 0.55 * fontsize / 72 * span_days / width_in
    offsets = place_offsets(list(zip(rows["category"], rows["date"], strict=True)), width_days)
    for (_, ev), dy in zip(rows.iterrows(), offsets, strict=True):
        where = (ev["date"] - x0).days / span_days
        ha = "left" if where < 0.15 else "right" if where > 0.85 else "center"
        ax.annotate(textwrap.shorten(ev["title"], chars, placeholder="…"),
                    (ev["date"], lane_y[ev["category"]]), xytext=(0, dy),
                    textcoords="offset points", ha=ha, va="center", fontsize=fontsize,
                    color=theme.INK)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def after_article_text(s):
    later = after(s.ev.events)
    if later.empty:  # the timeline's place already says so
        return s.text("")
    first, last = later.iloc[0], later.iloc[-1]
    by_kind = later["category"].value_counts()
    kinds = listing(f"{k} ({num(n)})" for k, n in by_kind.head(3).items())
    text = (f"Between the article and {date(s.p.as_of)} the evidence base records "
            f"{num(len(later))} events; the largest groups are {kinds}. The first was "
            f"\u201c{md(first['title'])}\u201d on {date(first['date'])}; the latest, "
            f"\u201c{md(last['title'])}\u201d on {date(last['date'])}.")
    dep = s.ev.deployments
    ended = dep[dep["end_date"].notna() & (dep["end_date"] > ARTICLE_DATE)
                & (dep["deployer"] == s.p.patron)].sort_values("end_date")
    if not ended.empty:
        text += (f" Over the same period {num(len(ended))} of {md(s.p.patron)}'s deployments "
                 "ended: " + "; ".join(f"{md(r.name)} on {date(r.end_date)}"
                                       for r in ended.itertuples()) + ".")
    return s.text(text)


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


def spread(values, gap: float) -> list[float]:
    """Label positions for ``values``: same order, at least ``gap`` apart, centred on them."""
    if not values:
        return []
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = [float(values[order[0]])]
    for i in order[1:]:
        placed.append(max(float(values[i]), placed[-1] + gap))
    shift = (sum(values[i] for i in order) - sum(placed)) / len(placed)
    # re-centre, but never let two labels come closer than ``gap``
    placed = [p + shift for p in placed]
    out = [0.0] * len(values)
    for i, p in zip(order, placed, strict=True):
        out[i] = p
    return out


def opinion_chart(s):
    rows = opinion_series(s.ev.opinion, s.p.patron, s.p.partners)
    if rows.empty:
        return s.text(f"No survey wave on views of {md(s.p.patron)} is dated on or before "
                      f"{date(s.p.as_of)}.")
    surveys = list(dict.fromkeys(rows.sort_values("survey")["survey"]))
    fig, axes = theme.new_figure((6.6, 3.4), ncols=len(surveys), sharey=True, squeeze=False)
    styles = ["-", "--", ":", "-."]
    for ax, survey in zip(axes[0], surveys, strict=True):
        part = rows[rows["survey"] == survey]
        ends = []
        for i, (series, line) in enumerate(part.groupby("series", sort=False)):
            colour = theme.colour(line["actor"].iloc[0])
            ls = styles[i % len(styles)] if line["actor"].iloc[0] == s.p.patron else "-"
            ax.plot(line["fieldwork_date"], line["share_pct"], color=colour, ls=ls, lw=1.5,
                    label=series)
            low = line["confidence"] == "low"
            ax.scatter(line.loc[~low, "fieldwork_date"], line.loc[~low, "share_pct"], s=16,
                       color=colour, zorder=3)
            ax.scatter(line.loc[low, "fieldwork_date"], line.loc[low, "share_pct"], s=22,
                       facecolor="white", edgecolor=colour, zorder=3)
            end = line.iloc[-1]
            ends.append((end["fieldwork_date"], end["share_pct"], colour))
        shift = transforms.offset_copy(ax.transData, fig=fig, x=4, y=0, units="points")
        for (x, y, colour), y_text in zip(ends, spread([e[1] for e in ends], 6), strict=True):
            ax.text(x, y_text, f"{y:.0f}%", transform=shift, fontsize=6.5, color=colour,
                    va="center")
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
        fig,
        caption=(f"How views of {s.p.patron} moved, "
                 + (f"{first:%Y}" if first.year == last.year else f"{first:%Y}–{last:%Y}") + ": "
                 f"{len(waves)} survey waves, one panel per survey"),
        alt=(f"Two-panel line chart of survey shares from {first:%Y} to {last:%Y}. "
             + " ".join(_trend(sr, g) for sr, g in rows.groupby("series", sort=False))),
        data=[rows],
        note=("The panels are different surveys with different questions: CRRC asks for one "
              "'main friend', IRI allows several answers, so levels are not comparable across "
              "panels and the lines are never joined. Hollow points: not confirmed in a "
              "source."))


def _trend(series: str, line: pd.DataFrame) -> str:
    a, b = line.iloc[0], line.iloc[-1]
    if len(line) == 1:
        return f"{series}: {a['share_pct']:.0f}% in {a['wave']} (one wave)."
    return f"{series}: {a['share_pct']:.0f}% in {a['wave']} to {b['share_pct']:.0f}% in {b['wave']}."


def opinion_text(s):
    rows = opinion_series(s.ev.opinion, s.p.patron, s.p.partners)
    if rows.empty:
        return s.text("")
    parts = []
    for series, line in rows.groupby("series", sort=False):
        if len(line) < 2:
            continue
        a, b = line.iloc[0], line.iloc[-1]
        parts.append(f"\u201c{md(series)}\u201d ({SURVEY_SHORT.get(b['survey'], b['survey'])}) "
                     f"went from {pct(a['share_pct'])} in {md(a['wave'])} to "
                     f"{pct(b['share_pct'])} in {md(b['wave'])}")
    if not parts:
        return s.text("Too few survey waves fall in this window to show a trend.")
    return s.text("The data show: " + "; ".join(parts) + ". Each survey is read only against "
                  "its own earlier waves, since wording, answer rules and samples differ.")


# ---------------------------------------------------------------------- indicators to watch
def watch_list(s) -> pd.DataFrame:
    """One row per indicator: name, value, when, direction, source_id, confidence."""
    patron, focus = s.p.patron, s.p.focus
    rows = []

    def add(name, series, order, when, unit="%", fmt=None, since=None):
        pair = latest_two(series, order)
        if pair is None:
            rows.append({"Indicator": name, "Latest": "no data", "When": "", "Direction": "",
                         "source_id": None, "confidence": None})
            return
        last, prev = pair
        rows.append({
            "Indicator": name,
            "Latest": fmt(last) if fmt else pct(last["share_pct"]),
            "When": when(last),
            "Direction": direction(last["share_pct"], None if prev is None else
                                   prev["share_pct"], since(prev) if prev is not None else ""),
            "source_id": last["source_id"], "confidence": last["confidence"]})

    year = lambda r: str(int(r["year"]))
    trade = s.ev.trade
    both = trade.groupby(["partner", "year"], as_index=False).agg(
        value_usd_m=("value_usd_m", "sum"), source_id=("source_id", "first"),
        confidence=("confidence", weakest))
    add(f"{patron}'s share of {focus}'s goods trade",
        share_of_total(both, "partner", patron, "value_usd_m", total="World"), "year", year,
        since=year)
    add(f"{patron}'s share of gas imports (by weight)",
        share_of_total(s.ev.energy, "partner", patron, "netweight_kt"), "year", year, since=year)
    rem = s.ev.remittances
    add(f"{patron}'s share of money transfers",
        share_of_total(rem[rem["transfer_type"] == "total"], "origin", patron, "inflow_usd_m",
                       total="World"), "year", year, since=year)
    add(f"{patron}'s share of arms imports (5 years)",
        arms_share_windows(s.ev.arms_imports, focus, patron), "end",
        lambda r: r["label"], since=lambda r: r["label"])
    op = s.ev.opinion
    threat = op[(op["question_id"] == "top_political_threat") & (op["answer"] == patron)]
    if not threat.empty:  # read one survey against its own earlier waves only
        newest = threat.sort_values("fieldwork_date").iloc[-1]["survey"]
        threat = threat[threat["survey"] == newest]
    add(f"Share naming {patron} a top threat", threat, "fieldwork_date",
        lambda r: f"{SURVEY_SHORT.get(r['survey'], r['survey'])} {r['wave']}",
        since=lambda r: str(r["wave"]))
    for who, deployers in ((", ".join(s.p.partners), s.p.partners), (patron, [patron])):
        dep = s.ev.deployments
        dep = dep[dep["host"] == focus] if who != patron else dep
        now = active_on(dep, deployers, s.p.as_of)
        before = active_on(dep, deployers, pd.Timestamp(s.p.as_of) - pd.DateOffset(years=1))
        label = ("Partners' deployments active in " + focus if who != patron
                 else f"{patron}'s deployments active in or around {focus}")
        rows.append({
            "Indicator": label + " (count)",
            "Latest": num(len(now)),
            "When": f"{pd.Timestamp(s.p.as_of):%d %b %Y}",
            "Direction": count_change(len(before), len(now)),
            "source_id": ";".join(now["source_id"]) if not now.empty else None,
            "confidence": "low" if (now["confidence"] == "low").any() else "high"})
    return pd.DataFrame(rows)


def indicators_to_watch(s):
    watch = watch_list(s)
    used = [(i, c) for v, c in zip(watch["source_id"], watch["confidence"], strict=True)
            if isinstance(v, str) for i in v.split(";")]
    sources = pd.DataFrame(used, columns=["source_id", "confidence"])
    table = watch.assign(
        Latest=watch["Latest"] + watch["confidence"].map(
            lambda c: " (unconfirmed)" if c == "low" else ""))
    table = table[["Indicator", "Latest", "When", "Direction"]]
    table["Source"] = [", ".join(short_publisher(p) for p in s.ev.publishers(v.split(";")))
                       if isinstance(v, str) else "" for v in watch["source_id"]]
    return s.table(table, f"Indicators to watch: {s.p.focus} between {s.p.patron} and its "
                          f"partners, latest reading on or before {date(s.p.as_of)}",
                   data=[sources],
                   note=("Trade: exports plus imports. Gas: share of the reported import "
                         "weight. Transfers: inflows through banks. Arms: SIPRI trend-indicator "
                         "values over five years, against the five years before. Direction "
                         "compares with the previous reading; for deployments, with one year "
                         "earlier."))


def short_publisher(text: str) -> str:
    """The shorter of a publisher's name and its bracketed form:
    'SIPRI (Stockholm International Peace Research Institute)' -> 'SIPRI';
    'Statistical Committee of the Republic of Armenia (Armstat)' -> 'Armstat'."""
    found = re.search(r"\(([^)]*)\)", text)
    outside = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if found and len(found.group(1)) < len(outside):
        return found.group(1)
    return outside


def caught_text(s):
    watch = watch_list(s).set_index("Indicator")
    patron = s.p.patron
    econ = [i for i in watch.index if i.startswith(f"{patron}'s share of")
            and watch.loc[i, "Latest"] != "no data"]
    if not econ:
        return s.text(f"The evidence base holds too little on {md(patron)}'s weight in "
                      f"{md(s.p.focus)}'s economy in this window to frame the risk.")
    def short(name: str) -> str:
        for cut in (f"{patron}'s share of ", f"{s.p.focus}'s ", " (5 years)", " (by weight)"):
            name = name.replace(cut, "")
        return name

    parts = [f"{md(short(i))} {md(watch.loc[i, 'Latest'])} in {md(watch.loc[i, 'When'])}"
             for i in econ]
    text = (f"The data show how much of {md(s.p.focus)}'s exchanges still run through "
            f"{md(patron)}. Its latest shares: " + "; ".join(parts) + ".")
    text += (" One reading is that security ties can be loosened faster than economic ones: "
             "a patron that is trusted less on defence may still be hard to replace in trade, "
             f"energy and family money from abroad. Whether {md(s.p.focus)} ends up caught "
             "between both sides depends on how these lines move together, not on any one of "
             "them.")
    return s.text(text)


