"""What the trade boom is made of (section 6): the share of one commodity group in the focus
country's exports, and the composition chart that sets gold and precious stones (HS 71) and
re-exported cars (HS 8703) against total exports.

``commodity_share`` is the measure (defined once, tested on inline data); ``composition_chart``
is the one display object the section notebook calls.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.ticker import FuncFormatter

from .. import theme
from ..measures.result import weakest
from ..phrasing import mark
from ..prose import md, pct, span, usd_m, year_runs
from ._common import sentence_start, short_publisher

GOLD = "71"
CARS = "8703"
MACHINERY = "84-89"
LABELS = {GOLD: "Precious stones and metals (HS 71)", CARS: "Passenger cars (HS 8703)",
          MACHINERY: "Machinery, electrical equipment and vehicles (HS 84-89)"}
GOLD_COLOUR = "#B8860B"


def _worst(values) -> str:
    ranked = [v for v in values if isinstance(v, str)]
    return weakest(ranked) if ranked else "medium"


def commodity_share(by_commodity: pd.DataFrame, trade: pd.DataFrame, hs_code: str,
                    partner: str = "World", flow: str = "exports") -> pd.DataFrame:
    """One commodity group's value and its share of all trade with ``partner`` in ``flow``.

    Columns: year, part_usd_m, total_usd_m, share_pct, confidence (the weaker of the two
    figures), source_id (of the commodity figure). Years lacking either figure are left out.
    """
    cols = ["year", "part_usd_m", "total_usd_m", "share_pct", "confidence", "source_id"]
    part = by_commodity[(by_commodity["hs_code"] == hs_code) & (by_commodity["flow"] == flow)
                        & (by_commodity["partner"] == partner)]
    total = trade[(trade["partner"] == partner) & (trade["flow"] == flow)]
    both = part.merge(total, on="year", suffixes=("_part", "_total"))
    if both.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({
        "year": both["year"].astype(int),
        "part_usd_m": both["value_usd_m_part"].astype(float),
        "total_usd_m": both["value_usd_m_total"].astype(float),
    })
    out["share_pct"] = 100 * out["part_usd_m"] / out["total_usd_m"]
    out["confidence"] = [_worst(pair) for pair in zip(both["confidence_part"],
                                                     both["confidence_total"], strict=True)]
    out["source_id"] = both["source_id_part"].to_numpy()
    return out.sort_values("year").reset_index(drop=True)[cols]


def _bars(ax, shares: pd.DataFrame, colour: str, part_label: str, rest_label: str) -> None:
    years = shares["year"]
    rest = shares["total_usd_m"] - shares["part_usd_m"]
    ax.bar(years, shares["part_usd_m"], color=colour, label=part_label, width=0.7)
    ax.bar(years, rest.clip(lower=0), bottom=shares["part_usd_m"], color="#D9D9D9",
           label=rest_label, width=0.7)
    for _, row in shares.iterrows():
        digits = 1 if row["share_pct"] < 1 else 0
        ax.annotate(pct(row["share_pct"], digits), (row["year"], row["total_usd_m"]),
                    xytext=(0, 2),
                    textcoords="offset points", ha="center", fontsize=6.5, color=theme.INK)
    ax.set_xticks(list(years))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylabel("USD million")
    ax.set_ylim(0, shares["total_usd_m"].max() * 1.15)
    ax.legend(loc="upper left", fontsize=6.5)


def panels(s) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two panels' rows: the gold group in all exports, cars in exports to the patron."""
    tbc, trade = s.ev.trade_by_commodity, s.ev.trade
    return (commodity_share(tbc, trade, GOLD),
            commodity_share(tbc, trade, CARS, partner=s.p.patron))


def finding(gold: pd.DataFrame, cars: pd.DataFrame, patron: str) -> str:
    """What the two panels show, as one clause each (lower case; '' when both are empty)."""
    findings = []
    if len(gold) >= 2:
        a, b = gold.iloc[0], gold.iloc[-1]
        findings.append(f"precious stones and metals went from {usd_m(a['part_usd_m'])} "
                        f"({pct(a['share_pct'])} of exports to all partners) in {a['year']} to "
                        f"{usd_m(b['part_usd_m'])} ({pct(b['share_pct'])}) in {b['year']}")
    if not cars.empty:
        c = cars.iloc[-1]
        share = pct(c["share_pct"]) if c["share_pct"] >= 0.5 else "under 1%"
        findings.append(f"cars made up {share} of exports to {patron} in {c['year']}")
    return "; ".join(findings)


def composition_chart(s):
    """Exports with the gold group picked out (all partners) and with cars picked out (patron)."""
    trade = s.ev.trade
    gold, cars = panels(s)
    if gold.empty and cars.empty:
        return s.text(f"The evidence base has no commodity breakdown of {md(s.p.focus)}'s "
                      "exports for this window.")
    fig, (left, right) = theme.new_figure((6.6, 3.2), ncols=2)
    drawn = ((left, gold, f"{s.p.focus}'s exports, all partners", LABELS[GOLD],
               GOLD_COLOUR),
              (right, cars, f"{s.p.focus}'s exports to {s.p.patron}", LABELS[CARS],
               theme.colour(s.p.patron)))
    for ax, shares, title, label, colour in drawn:
        ax.set_title(title, fontsize=8.5)
        if shares.empty:
            ax.axis("off")
            ax.text(0.5, 0.5, "no commodity data", transform=ax.transAxes, ha="center",
                    color=theme.MUTED)
            continue
        _bars(ax, shares, colour, label, "All other goods")
    shown = sentence_start(finding(gold, cars, s.p.patron))
    years = pd.concat([y for y in (gold["year"], cars["year"]) if not y.empty])
    # each panel's own years (one title span would claim years a panel lacks)
    parts = [f"{what} ({span(int(rows['year'].min()), int(rows['year'].max()))})"
             for what, rows in ((f"precious stones and metals in all of {s.p.focus}'s exports",
                                 gold),
                                (f"cars in its exports to {s.p.patron}", cars))
             if not rows.empty]
    used = [gold, cars, trade[trade["partner"].isin(["World", s.p.patron])
                              & (trade["flow"] == "exports")
                              & trade["year"].isin(years)],
            reexport_rows(s.ev.trade_by_commodity)]
    return s.figure(
        fig,
        caption=(f"What the exports were made of: {' and '.join(parts)}; USD million (above "
                 "each bar, the group's share of that year's total)"),
        alt=(f"Two stacked bar charts by year. Left: {s.p.focus}'s total exports split into "
             f"precious stones and metals (HS 71) and all other goods. Right: exports to "
             f"{s.p.patron} split into passenger cars (HS 8703) and all other goods. "
             f"{shown}."),
        data=used,
        note=("Commodity values and partner totals come from different tables (Armstat and UN "
              "Comtrade figures, read in secondary copies), so shares are approximate."
              + years_by_publisher(s.ev, cars, "Cars")
              + reexport_sentence(s.ev.trade_by_commodity)))


def years_by_publisher(ev, rows: pd.DataFrame, what: str) -> str:
    """' Cars: 2021–2022 from <publisher>, 2023 from <publisher>.' when a panel's
    years come from more than one publisher (a reader of the source line cannot tell which year
    is whose), else ''."""
    if rows.empty:
        return ""
    by_id = ev.sources_by_id()["publisher"]
    spans = {}
    for source_id, group in rows.groupby("source_id", sort=False):
        publisher = short_publisher(by_id.get(source_id, source_id))
        spans.setdefault(publisher, []).extend(int(y) for y in group["year"])
    if len(spans) < 2:
        return ""
    parts = [f"{year_runs(years)} from {publisher}"
             for publisher, years in sorted(spans.items(), key=lambda kv: min(kv[1]))]
    return f" {what}: " + ", ".join(parts) + "."


def reexport_rows(by_commodity: pd.DataFrame) -> pd.DataFrame:
    """The gold group's exports and imports (partner World) in the latest year with both
    flows: the rows :func:`reexport_sentence` reads (so that the figure cites their sources)."""
    gold = by_commodity[(by_commodity["hs_code"] == GOLD) & (by_commodity["partner"] == "World")
                        & by_commodity["flow"].isin(["exports", "imports"])]
    gold = gold.dropna(subset=["value_usd_m"])
    years = gold.groupby("year")["flow"].nunique()
    both = years[years == 2]
    return gold[gold["year"] == both.index.max()] if len(both) else gold.iloc[0:0]


def patron_imports(by_commodity: pd.DataFrame, trade: pd.DataFrame,
                   patron: str) -> pd.DataFrame:
    """The gold group's share of the imports from ``patron`` (:func:`commodity_share`) in the
    latest year the evidence base holds it (no rows if none)."""
    shares = commodity_share(by_commodity, trade, GOLD, partner=patron, flow="imports")
    return shares.tail(1)


def patron_imports_sentence(rows: pd.DataFrame, patron: str) -> str:
    """' In 2024 precious stones and metals were USD 6.9 billion† (75%) of the USD 9.2 billion
    of imports from Russia.' for the row of :func:`patron_imports`, else '' (the note to the
    chart of the patron's shares of exports and imports, Figure 6.4)."""
    if rows.empty:
        return ""
    r = rows.iloc[0]
    return (f" In {int(r['year'])} precious stones and metals were {usd_m(r['part_usd_m'])}"
            f"{mark(r['confidence'])} ({pct(r['share_pct'])}) of the {usd_m(r['total_usd_m'])} "
            f"of imports from {patron}.")


def reexport_sentence(by_commodity: pd.DataFrame) -> str:
    """' In 2023 imports of HS 71 were $2.3 billion against $3.2 billion exported ...' for the
    latest year with both flows of the gold group, else ''."""
    rows = reexport_rows(by_commodity)
    if rows.empty:
        return ""
    year = int(rows["year"].iloc[0])
    value = rows.groupby("flow")["value_usd_m"].sum()
    return (f" In {year} imports of precious stones and metals were {usd_m(value['imports'])} "
            f"against {usd_m(value['exports'])} exported, which suggests that much of the group "
            "passes through the country rather than being produced in it.")
