"""Appendix A, the claim ledger: each claim of the September 2023 article with a verdict judged
with the evidence available at ``as_of``, the reasoning, human-readable evidence, the sources and
what changed after the article (up to ``as_of``). One :class:`~analysis.appendix.Claim` per claim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import display

from .. import evidence_refs as refs
from .. import sections, theme
from ..appendix import VERDICTS, Claim, SourceRef, exceptions_text
from ..evidence import annual_only, later_releases, memo, series_releases
from ..prose import date, listing, md, num
from ..report import LATER_RELEASE

VERDICT_COLOURS = {"supported": "#0072B2", "partly supported": "#56B4E9", "disputed": "#D55E00",
                   "not verifiable": "#AAAAAA", "not yet verifiable": "#E6E6E6"}


def verdict_counts(claims: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, in the ledger's fixed order, zeros included."""
    return claims["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def ratings_of(s, section: int, event_ids) -> str:
    """How the ledger rates the claims placed in ``section`` whose evidence names any of the
    events ``event_ids``, by verdict in the ledger's order: '*supported* (C14) and *partly
    supported* (C15, C16 and C19)'; '' if none has a verdict by the edition's date, or the
    edition comes before the article (it has no ledger). The sections that refer to the ledger
    name its verdicts through this one function."""
    if not _article(s):
        return ""
    wanted = {f"events:{i}" for i in event_ids}
    claims = s.ev.claims
    cited = claims[(claims["section"] == int(section))
                   & claims["evidence"].map(lambda e: bool(wanted & set(refs.split(e))))
                   & (claims["verdict"] != "not yet verifiable")].sort_values("claim_id")
    changed = _verdicts_changed(s, cited)
    rated = []
    for verdict in VERDICTS:
        ids = [i for i in cited.loc[cited["verdict"] == verdict, "claim_id"] if i not in changed]
        if ids:
            rated.append(f"*{md(verdict)}* ({listing(ids)})")
        rated += [f"{changed[i]} ({i})"
                  for i in cited.loc[cited["verdict"] == verdict, "claim_id"] if i in changed]
    return listing(rated, escape=False)


def _verdicts_changed(s, cited: pd.DataFrame) -> dict[str, str]:
    """Per claim of ``cited`` whose verdict at the edition's date is not the one it had when the
    article appeared: '*supported* when the article appeared and *partly supported* from 12
    June 2024', from the last update that changed it (an outside reader, comparing editions,
    found the verdict changed without a word)."""
    updates = s.ev.claim_updates
    out = {}
    for claim in cited.itertuples():
        if claim.verdict == claim.first_verdict:
            continue
        mine = updates[(updates["claim_id"] == claim.claim_id) & updates["verdict"].notna()]
        if mine.empty:
            continue
        before, day = claim.first_verdict, None
        for row in mine.sort_values("date").itertuples():
            if row.verdict != before:
                before_last, day = before, row.date
            before = row.verdict
        if day is not None:
            out[claim.claim_id] = (f"*{md(before_last)}* when the article appeared and "
                                   f"*{md(claim.verdict)}* from {date(day)}"
                                   if before_last == claim.first_verdict else
                                   f"*{md(claim.verdict)}* from {date(day)}, "
                                   f"*{md(before_last)}* before")
    return out


def _article(s):
    """The article's date (anchor ``article_date``): an Anchor, or NotYet before it."""
    return s.ev.anchor("article_date")


def _tables(s) -> dict[str, pd.DataFrame]:
    return s.ev.tables


def describe_evidence(ref_list, tables: dict[str, pd.DataFrame]) -> list[str]:
    """Human-readable references ('11 Sep 2023 — Eagle Partner 2023 exercise') for the rows of
    ``ref_list`` present in ``tables``; rows cut away at as_of are left out."""
    out = []
    for ref in refs.split(ref_list):
        row = refs.resolve(ref, tables)
        if row is not None:
            out.append(refs.describe(ref, row))
    return out


def _source_refs(ids, sources: pd.DataFrame, later=frozenset()) -> list[SourceRef]:
    """Sources as the ledger lists them; ``later``: releases published after the edition's
    date, named in Appendix B's data note and here by their publisher only, as the source
    lines under the charts name them (:data:`~analysis.report.LATER_RELEASE`)."""
    by_id = sources.set_index("source_id")
    out = []
    for sid in dict.fromkeys(ids):
        if sid not in by_id.index:
            continue
        row = by_id.loc[sid]
        if sid in later:
            out.append(SourceRef(sid, f"{row['publisher']}, {LATER_RELEASE}"))
            continue
        when = (f", {row['date_published'].year}" if pd.notna(row["date_published"]) else "")
        out.append(SourceRef(sid, f"{row['publisher']}, {row['title']}{when}",
                             row["url"] if pd.notna(row["url"]) else None))
    return out


def _after(s, claim_id: str) -> str | None:
    updates = s.ev.claim_updates
    mine = updates[updates["claim_id"] == claim_id].sort_values("date")
    article = _article(s)
    if not article:
        return None
    mine = mine[mine["date"] > article.date]
    if mine.empty:
        return None
    # an update that changes the verdict says so: the reasoning above is the article's date's
    # an update that rests on annual figures alone (and cites no dated item) is dated by its year
    releases = memo(s.ev, "series releases", lambda: series_releases(s.ev.tables))
    return " ".join(f"{refs.at_precision(u.date, 'year' if _annual(u, releases) else 'day')}: "
                    f"{u.update}"
                    + (f" Verdict from {refs.at_precision(u.date, 'day')}: {u.verdict}."
                       if pd.notna(u.verdict) else "")
                    for u in mine.itertuples())


def _annual(update, releases: set[str]) -> bool:
    """Rests on annual figures alone: its evidence is annual series rows, and its sources (the
    cut adds those of its evidence) are the series' releases, no dated item."""
    return annual_only(update.evidence) and set(refs.split(update.source_ids)) <= releases


def _then(s, c) -> str:
    """When the reasoning's verdict held: when the article appeared (or from the verdict's
    own date, if that is later)."""
    article = _article(s)
    since = c.verdict_date if not article or c.verdict_date > pd.Timestamp(article.date) \
        else pd.Timestamp(article.date)
    return (f"when the article appeared ({date(since)})" if article and
            since == pd.Timestamp(article.date) else f"from {date(since)}")


def claim_objects(s) -> list[Claim]:
    """One Claim per claim, in ledger order."""
    claims = s.ev.claims.sort_values("claim_id")
    tables = _tables(s)
    updates = s.ev.claim_updates
    later = frozenset(later_releases(tables, s.p.as_of)["source_id"])
    event_dates = s.ev.events.set_index("event_id")["date"]  # once, for every claim's order
    out = []
    for c in claims.itertuples():
        pending = c.verdict == "not yet verifiable"
        later_ids = [sid for ids in updates.loc[updates["claim_id"] == c.claim_id, "source_ids"]
                     for sid in refs.split(ids)]
        reasoning = c.reasoning
        if not pending and c.first_verdict != c.verdict:  # a later update changed the verdict
            reasoning = f"Verdict {_then(s, c)}: {c.first_verdict}. {reasoning}"
        out.append(Claim(
            id=c.claim_id, section=int(c.section), claim=c.claim, verdict=c.verdict,
            reasoning=(f"Nothing in the evidence base dated on or before {date(s.p.as_of)} "
                       "settles this claim." if pending else reasoning),
            evidence=tuple(describe_evidence(_events_in_date_order(c.evidence, event_dates),
                                             tables)),
            sources=tuple(_source_refs([*refs.split(c.source_ids), *later_ids], s.ev.sources,
                                       later)),
            after=None if pending else _after(s, c.claim_id)))
    return out


def _events_in_date_order(evidence, dates: pd.Series):
    """The evidence list with its events (``dates``: event id -> date) in date order, each other
    item keeping its place: a reader meets 12 December 2022 before 22 February 2023, whatever
    order the data row has."""
    if not isinstance(evidence, str):
        return evidence
    items = refs.split(evidence)
    slots = [i for i, item in enumerate(items) if item.startswith("events:")
             and item.split(":", 1)[1] in dates.index]
    ordered = sorted((items[i] for i in slots), key=lambda item: dates[item.split(":", 1)[1]])
    for i, item in zip(slots, ordered, strict=True):
        items[i] = item
    return ";".join(items)


def intro(s):
    """What the appendix does; before the article's date it has nothing to check (the claims
    restate an article the edition cannot know)."""
    article = _article(s)
    if not article:
        return s.text(article.sentence(part="this appendix"))
    later = pd.Timestamp(s.p.as_of) > pd.Timestamp(article.date)
    return s.text(
        f"This appendix checks the factual claims of the news analysis of {date(article.date)} "
        "that this report follows. Each claim is restated in our own words; the article is not "
        "quoted. Each gets one of five verdicts: *supported*, when the evidence bears out the "
        "claim as worded; *partly supported*, when part of it holds, or it holds only with a "
        "qualification the ledger states; *disputed*, when the evidence on each side is public "
        "and points in different directions and no independent source settles it; *not "
        "verifiable*, when no public evidence bears on it; *not yet verifiable*, when none dated "
        "on or before the edition's date does (verdicts are judged only with evidence dated by "
        "then). Some claims are "
        "interpretations rather than facts: for them the ledger shows what the data bear on "
        "and what they cannot settle. Under each claim, *Evidence* names the rows of the "
        "evidence base it rests on and *Sources* lists the publications"
        # the rule for a new verdict said (a reader found one claim judged again and another,
        # about the past, not)
        + ("; *Since then* says what changed after the article, up to the edition's date, with "
           "a new verdict where a claim about the present no longer holds as it did."
           if later else "."))


def show_claims(s) -> None:
    """Display every claim of the ledger, one output each (none before the article's date)."""
    if not _article(s):
        return
    for claim in claim_objects(s):
        display(claim)


def summary(s):
    claims = s.ev.claims
    counts = verdict_counts(claims)
    parts = [f"{num(n)} {v}" for v, n in counts.items() if n]
    article = _article(s)
    if not article:
        return s.text("")  # the intro has said so
    text = (f"The ledger checks {num(len(claims))} claims of the article against the evidence "
            f"base as it stood on {date(s.p.as_of)}: {', '.join(parts)}.")
    changed = sum(_after(s, cid) is not None for cid in claims["claim_id"])
    if changed:
        text += (f" For {num(changed)} of them something relevant happened between the "
                 f"article and {date(s.p.as_of)}; each says what under *Since then*.")
    else:
        but = exceptions_text(s.revised_series, s.later_copies)
        text += (" The verdicts are those of the article's own date: nothing later is used"
                 + (f", except {but}" if but else "") + ".")
    return s.text(text)


def verdicts_by_section(s):
    if not _article(s):
        return s.text("")  # the intro has said so
    claims = s.ev.claims
    wide = (claims.groupby(["section", "verdict"]).size().unstack(fill_value=0)
            .reindex(columns=[v for v in VERDICTS if v in set(claims["verdict"])], fill_value=0))
    fig, ax = theme.new_figure((6.6, 2.6))
    left = np.zeros(len(wide))
    labels = [sections.get(f"{int(i):02d}").heading for i in wide.index]
    for verdict in wide.columns:
        ax.barh(labels, wide[verdict], left=left, color=VERDICT_COLOURS[verdict],
                label=verdict, edgecolor="white")
        left += wide[verdict].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel("Number of claims")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right")
    ax.grid(axis="y", visible=False)
    counts = verdict_counts(claims)
    sources = claims.assign(source_id=claims["source_ids"].str.split(";").str[0].str.strip())
    return s.figure(
        fig, caption=f"Verdicts on the article's claims by report section, as of {date(s.p.as_of)}",
        alt=("Horizontal stacked bar chart of the number of claims per report section, coloured by "
             "verdict: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n) + "."),
        data=[sources.dropna(subset=["source_id"])])
