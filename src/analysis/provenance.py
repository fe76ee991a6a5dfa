"""Provenance rules for ``sources.csv``: every source names the exact item, not a home page.

Called by :func:`analysis.validation.validate` with the rows of ``sources.csv``; each problem
names the row, the value and the fix, like the other validation messages.
"""

from __future__ import annotations

from urllib.parse import urlsplit

#: path segments that only ever lead to an index (a landing page), never to a figure
GENERIC_SEGMENTS = frozenset({"", "en", "eng", "am", "ru", "index", "index.html", "home", "blog",
                              "news", "data", "databases", "publications", "statistics", "stat"})
#: landing pages of the publishers this project cites, by host (without "www.")
LANDING_PAGES = {
    "sipri.org": {"/databases/milex", "/databases/armstransfers", "/publications"},
    "armstrade.sipri.org": {"/armstrade"},
    "comtradeplus.un.org": {"/tradeflow"},
    "digitallibrary.un.org": {"/search"},
}


def landing_page_reason(url: str) -> str | None:
    """Why ``url`` is not an exact locator (a home, index or preview page), else None."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if parts.path.startswith("/preview/") or "pangea-cms" in host:
        return "is a content-system preview address; use the public address of the item"
    if parts.query:
        return None
    segments = [s for s in path.split("/") if s]
    if all(s.lower() in GENERIC_SEGMENTS for s in segments):
        return "is a home or index page; name the exact file, table, query or page"
    if path in LANDING_PAGES.get(host, set()):
        return "is the publisher's landing page; name the exact file, table, query or page"
    return None


def check_sources(rows: list[dict[str, str]], name: str = "sources.csv") -> list[str]:
    """Problems of the bibliography's provenance (rows as read, line numbers from 2)."""
    problems: list[str] = []
    first_use: dict[str, tuple[int, str]] = {}
    for line, row in enumerate(rows, start=2):
        sid = row.get("source_id", "").strip()
        url = row.get("url", "").strip()
        where = f"{name} row {line} ({sid})"
        if url:
            reason = landing_page_reason(url)
            if reason:
                problems.append(f"{where}: url = {url!r} {reason}")
            if url in first_use:
                other_line, other = first_use[url]
                problems.append(f"{where}: url is also the url of {other} (row {other_line}); "
                                "two sources cannot be the same item: merge them or cite each "
                                "primary item")
            else:
                first_use[url] = (line, sid)
        elif not row.get("retrieved_via", "").strip():
            problems.append(f"{where}: url and retrieved_via are both empty; "
                            "name the primary item or the copy that was read")
        dated = bool(row.get("date_published", "").strip())
        reason_given = bool(row.get("undated_reason", "").strip())
        if dated == reason_given:
            problems.append(
                f"{where}: " + ("date_published and undated_reason are both filled; keep one"
                                if dated else
                                "date_published is empty and undated_reason gives no reason "
                                "(write the date, or why there is none: n.d.)"))
        if row.get("date_precision", "").strip() == "month" and (
                not dated or not row["date_published"].strip().endswith("-01")):
            problems.append(f"{where}: date_precision = month needs date_published on the first "
                            "of its month (e.g. 2025-04-01 for April 2025)")
        if dated and row.get("not_before", "").strip():
            problems.append(f"{where}: not_before is for undated sources; this one has "
                            "date_published: remove not_before")
    problems += _check_supersedes(rows, name)
    return problems


def _check_supersedes(rows: list[dict[str, str]], name: str) -> list[str]:
    """``supersedes`` names another source, published earlier: a later release of it."""
    day = {r.get("source_id", "").strip(): r.get("date_published", "").strip()
           or r.get("not_before", "").strip() for r in rows}
    problems = []
    for line, row in enumerate(rows, start=2):
        sid, old = row.get("source_id", "").strip(), row.get("supersedes", "").strip()
        if not old:
            continue
        where = f"{name} row {line} ({sid})"
        if old == sid or old not in day:
            problems.append(f"{where}: supersedes = {old!r} is not another source in {name}; "
                            "name the source_id of the earlier release")
        elif not day[sid] or (day[old] and day[old] >= day[sid]):
            problems.append(f"{where}: supersedes {old}, but is not dated after it; a later "
                            "release needs its date_published (or not_before)")
    return problems
