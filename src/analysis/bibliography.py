"""The bibliography appendix: every source the cut evidence base cites."""

from __future__ import annotations

import pandas as pd

from .figures import Table


def cited_sources(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of ``sources`` cited by any other table (claims cite through ``source_ids``)."""
    ids: set[str] = set()
    for name, frame in tables.items():
        if name == "sources":
            continue
        if "source_id" in frame:
            ids.update(frame["source_id"].dropna())
        if "source_ids" in frame:
            for value in frame["source_ids"].dropna():
                ids.update(s.strip() for s in value.split(";") if s.strip())
    sources = tables["sources"]
    return sources[sources["source_id"].isin(ids)].sort_values(["publisher", "title"])


def bibliography_table(tables: dict[str, pd.DataFrame]) -> Table:
    cited = cited_sources(tables)

    def where(row) -> str:
        parts = [row["url"] if pd.notna(row["url"]) else "", row["locator"]
                 if pd.notna(row["locator"]) else ""]
        return " ".join(p for p in parts if p)

    frame = pd.DataFrame({
        "Publisher": cited["publisher"],
        "Title": cited["title"],
        "Published": cited["date_published"].dt.strftime("%Y-%m-%d").fillna("n.d."),
        "Where": cited.apply(where, axis=1),
        "Read via": cited["retrieved_via"].fillna("").map(
            lambda text: text if len(text) <= 90 else text[:89] + "…"),
    })
    return Table.from_frame(frame, "B.1", f"Sources cited ({len(frame)})",
                            "Source: Tightrope evidence base, data/sources.csv.")
