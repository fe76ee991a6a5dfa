"""Appendix A, the claim ledger: each claim of the September 2023 article with a verdict,
the evidence rows and the sources, plus what changed after the article up to ``as_of``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import theme
from ..prose import date, md, num

VERDICTS = ["supported", "partly supported", "disputed", "not verifiable", "not yet verifiable"]
VERDICT_COLOURS = {"supported": "#0072B2", "partly supported": "#56B4E9", "disputed": "#D55E00",
                   "not verifiable": "#AAAAAA", "not yet verifiable": "#E6E6E6"}


def _article(s):
    """The article's date (anchor ``article_date``): an Anchor, or NotYet before it."""
    return s.ev.anchor("article_date")


def verdict_counts(claims: pd.DataFrame) -> pd.Series:
    """Number of claims per verdict, in the ledger's fixed order, zeros included."""
    return claims["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def describe_evidence(ref_list: str, tables: dict[str, pd.DataFrame]) -> str:
    """'events:E076;deployments:D07' -> 'Event 11 Sep 2023 (Eagle Partner …); deployment D07 …'."""
    out = []
    for ref in filter(None, (r.strip() for r in str(ref_list).split(";"))):
        table, _, key = ref.partition(":")
        if table == "events" and key in set(tables["events"]["event_id"]):
            row = tables["events"].set_index("event_id").loc[key]
            out.append(f"{key} ({row['date']:%d %b %Y})")
        elif table == "deployments" and key in set(tables["deployments"]["deployment_id"]):
            row = tables["deployments"].set_index("deployment_id").loc[key]
            out.append(f"{key} ({row['name']})")
        else:
            out.append(f"{table}: {key}")
    return "; ".join(out)


def _publishers(source_ids: str, sources: pd.DataFrame) -> str:
    by_id = sources.set_index("source_id")["publisher"]
    ids = [s.strip() for s in str(source_ids).split(";") if s.strip() in by_id.index]
    return "; ".join(dict.fromkeys(by_id[i] for i in ids))


def _all_tables(s) -> dict[str, pd.DataFrame]:
    return {**s.ev.tables, "events": s.ev.events, "deployments": s.ev.deployments}


def summary(s):
    claims = s.ev.claims
    counts = verdict_counts(claims)
    parts = [f"{num(n)} {v}" for v, n in counts.items() if n]
    text = (f"The ledger checks {num(len(claims))} claims of the September 2023 article against "
            f"the evidence base: {', '.join(parts)}.")
    if not _article(s):
        text += (f" This edition is cut at {date(s.p.as_of)}, before the article appeared, so "
                 "claims resting on later events are marked not yet verifiable.")
    else:
        changed = claims["after_article"].notna().sum()
        text += (f" For {num(changed)} of them, something relevant happened between the article "
                 f"and {date(s.p.as_of)}; the last table lists it.")
    return s.text(text)


def verdicts_by_section(s):
    claims = s.ev.claims
    wide = (claims.groupby(["section", "verdict"]).size().unstack(fill_value=0)
            .reindex(columns=[v for v in VERDICTS if v in set(claims["verdict"])], fill_value=0))
    fig, ax = theme.new_figure()
    left = np.zeros(len(wide))
    labels = [f"Section {int(i)}" for i in wide.index]
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
    return s.figure(
        fig, caption="Verdicts on the article's claims, by report section",
        alt=("Horizontal stacked bar chart of the number of claims per report section, coloured by "
             "verdict: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n) + "."),
        data=[claims.assign(source_id=claims["source_ids"].str.split(";").str[0].str.strip())])


def verdict_timing(s):
    """When the evidence for each verdict became available, relative to the article."""
    claims = s.ev.claims.sort_values("claim_id")
    fig, ax = theme.new_figure(theme.TALL)
    ys = np.arange(len(claims))[::-1]
    for y, row in zip(ys, claims.itertuples(), strict=True):
        ax.scatter([row.verdict_date], [y], color=VERDICT_COLOURS[row.verdict], s=30, zorder=3,
                   edgecolor="#555555", linewidth=0.4)
        if pd.notna(row.after_article_date):
            ax.plot([row.verdict_date, row.after_article_date], [y, y], color="#BBBBBB", lw=1)
            ax.scatter([row.after_article_date], [y], marker="|", color=theme.INK, s=40)
    article = _article(s)
    if article:
        ax.axvline(article.date, color=theme.colour("Russia"), lw=0.8, ls="--")
        ax.text(article.date, 1.0, " article", transform=ax.get_xaxis_transform(),
                fontsize=7, color=theme.colour("Russia"), va="top")
    ax.set_yticks(ys, claims["claim_id"], fontsize=6.5)
    ax.grid(axis="y", visible=False)
    for verdict in dict.fromkeys(claims["verdict"]):
        ax.scatter([], [], color=VERDICT_COLOURS[verdict], label=verdict, s=30)
    ax.scatter([], [], marker="|", color=theme.INK, label="later change", s=40)
    ax.legend(loc="upper left", fontsize=7)
    first = claims["verdict_date"].min()
    return s.figure(
        fig, caption="When each verdict became checkable, and later changes up to the as-of date",
        alt=(f"Dot chart with one row per claim from C01 to C{len(claims):02d}: the date from which "
             f"its verdict holds (earliest {first:%B %Y}), coloured by verdict, with a tick where "
             "something relevant changed after the article"
             f"{f' ({date(article.date)})' if article else ''}."),
        data=[claims.assign(source_id=claims["source_ids"].str.split(";").str[0].str.strip())])


def ledger_table(s):
    claims = s.ev.claims.sort_values("claim_id")
    tables = _all_tables(s)
    frame = pd.DataFrame({
        "ID": claims["claim_id"],
        "Claim (paraphrased)": claims["claim"],
        "Verdict": claims["verdict"],
        "Why": claims["reasoning"].where(claims["verdict"] != "not yet verifiable",
                                         "The evidence dates from after the as-of date."),
        "Evidence": claims["evidence"].map(lambda refs: describe_evidence(refs, tables)),
        "Sources": claims["source_ids"].map(lambda ids: _publishers(ids, s.ev.sources)),
    })
    return s.table(frame, "The claim ledger: the article's claims, verdicts, evidence and sources",
                   data=[claims.assign(source_id=claims["source_ids"].str.split(";").str[0]
                                       .str.strip())],
                   note="Evidence names rows of the evidence base (event and deployment ids, or "
                        "table and key); every source is listed in Appendix B.")


def disputed(s):
    claims = s.ev.claims
    rows = claims[claims["verdict"] == "disputed"]
    if rows.empty:
        return s.text("No claim is disputed at this as-of date.")
    lines = [f"**{md(r.claim_id)} — disputed.** {md(r.claim)} {md(r.reasoning)}"
             for r in rows.itertuples()]
    return s.text("\n\n".join(lines))


def since_article(s):
    claims = s.ev.claims
    rows = claims[claims["after_article"].notna()].sort_values("after_article_date")
    article = _article(s)
    if not article or pd.Timestamp(s.p.as_of) <= article.date:
        return s.text(f"This edition is cut at {date(s.p.as_of)}, no later than the article: "
                      "nothing after it is taken into account.")
    if rows.empty:
        return s.text(f"Nothing in the evidence base changes a claim between the article and "
                      f"{date(s.p.as_of)}.")
    frame = pd.DataFrame({"ID": rows["claim_id"],
                          "Date": rows["after_article_date"].dt.strftime("%d %b %Y"),
                          "What changed after the article": rows["after_article"]})
    return s.table(frame, f"What changed after the article, up to {date(s.p.as_of)}",
                   data=[rows.assign(source_id=rows["source_ids"].str.split(";").str[0]
                                     .str.strip())])
