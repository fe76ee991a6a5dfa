"""References from the claim ledger into the evidence base: ``table:key`` strings.

``events:E076`` and ``deployments:D07`` name a row by its id; the other tables by their primary key
joined with ``/`` (``trade:Russia/2022/exports``, ``arms_import_shares:Armenia/2016-2020/Russia``).
:func:`resolve` finds the row in a dict of tables (cut at ``as_of``: a row dated later is not
found); :func:`describe` turns it into the human-readable reference a reader sees ("11 Sep 2023 —
Eagle Partner 2023 exercise", "SIPRI arms import shares, Armenia from Russia, 2016–2020"), never
the raw key.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from .prose import period_span

#: the key columns of each table a reference may name (the descriptor's primary keys)
KEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": ("event_id",),
    "deployments": ("deployment_id",),
    "casualties": ("conflict", "side", "measure", "reported_by"),
    "arms_import_shares": ("recipient", "period", "supplier"),
    "arms_imports": ("recipient", "supplier", "year"),
    "trade": ("partner", "year", "flow"),
    "remittances": ("year", "origin", "transfer_type"),
    "energy": ("year", "partner", "commodity"),
    "military_expenditure": ("country", "year", "measure"),
    "un_votes": ("resolution", "country"),
    "opinion": ("survey", "wave", "question_id", "answer"),
}


def split(value) -> list[str]:
    """'a; b;;c' -> ['a', 'b', 'c']; NaN/None -> []."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def parse(ref: str) -> tuple[str, tuple[str, ...]]:
    """'trade:Russia/2022/exports' -> ('trade', ('Russia', '2022', 'exports'))."""
    table, _, key = ref.partition(":")
    table = table.strip()
    parts = (key.strip(),) if len(KEY_COLUMNS.get(table, ())) == 1 else tuple(
        p.strip() for p in key.split("/"))
    return table, parts


def resolve(ref: str, tables: dict[str, pd.DataFrame]) -> pd.Series | None:
    """The row ``ref`` names in ``tables``, or None when the table lacks it (e.g. cut away)."""
    return resolver(tables)(ref)


def resolver(tables: dict[str, pd.DataFrame]) -> Callable[[str], pd.Series | None]:
    """:func:`resolve` for many references into the same ``tables``: each table's keys are
    indexed once (key values as text, stripped; the first row wins, rows with a missing key
    part are never found)."""
    indexes: dict[str, dict[tuple[str, ...], int]] = {}

    def index(table: str) -> dict[tuple[str, ...], int]:
        if table not in indexes:
            frame = tables[table]
            keys = [frame[c].astype("string").str.strip() for c in KEY_COLUMNS[table]]
            found: dict[tuple[str, ...], int] = {}
            for position, key in enumerate(zip(*keys, strict=True)):
                if not any(part is pd.NA for part in key):
                    found.setdefault(tuple(key), position)
            indexes[table] = found
        return indexes[table]

    def find(ref: str) -> pd.Series | None:
        table, parts = parse(ref)
        columns = KEY_COLUMNS.get(table)
        if columns is None or table not in tables or len(parts) != len(columns):
            return None
        position = index(table).get(parts)
        return None if position is None else tables[table].iloc[position]

    return find


def period_end(day, precision: str = "day") -> pd.Timestamp:
    """The last day a date at its precision may fall on: the day itself, or the end of its
    month or year."""
    day = pd.Timestamp(day)
    if precision == "year":
        return pd.Timestamp(year=day.year, month=12, day=31)
    return day + pd.offsets.MonthEnd(0) if precision == "month" else day


def in_date_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Events in date order for a reader's list: an event known only to its month or year comes
    after the dated events of that month or year (as archives file partly dated items), not
    before them as its stored first day would put it; ties by event id."""
    precision = (rows["date_precision"].fillna("day") if "date_precision" in rows
                 else pd.Series("day", rows.index))
    last = pd.Series([period_end(d, p) for d, p in zip(rows["date"], precision, strict=True)],
                     index=rows.index, dtype="datetime64[ns]")
    rank = precision.map({"day": 0, "month": 1, "year": 2}).fillna(0)
    order = pd.DataFrame({"last": last, "rank": rank, "id": rows["event_id"]}, index=rows.index)
    return rows.loc[order.sort_values(["last", "rank", "id"], kind="stable").index]


def order_note(rows: pd.DataFrame) -> str:
    """The sentence a list in :func:`in_date_order` needs when it holds a partly dated event
    (with a leading space), else nothing."""
    coarse = rows["date_precision"].isin(["month", "year"]) if "date_precision" in rows else []
    return (" An event known only to its month or year is listed after the dated events of that "
            "month or year." if any(coarse) else "")


def at_precision(day, precision: str = "day") -> str:
    """A date printed as precisely as it is known: '11 Sep 2023', 'Sep 2023' or '2016'."""
    day = pd.Timestamp(day)
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%b %Y}"
    return f"{day.day} {day:%b %Y}"


#: what each measure of casualties.csv counts, in words (claims' references and the loss tables)
LOSS_MEASURES = {"killed_total": "killed, soldiers and civilians",
                 "killed_or_missing": "killed or missing",
                 "military_killed": "military killed",
                 "civilians_killed": "civilians killed", "missing": "missing",
                 "wounded": "wounded", "captured": "captured", "displaced": "displaced",
                 "killed_in_explosion": "killed in an explosion"}
_FLOWS = {"exports": "Goods exports to", "imports": "Goods imports from"}
_TRANSFERS = {"total": "all money transfers", "non_commercial": "non-commercial transfers"}


def describe(ref: str, row: pd.Series) -> str:
    """The human-readable reference for the row ``ref`` resolved to."""
    table, _ = parse(ref)
    if table == "events":
        # with its end when it lasted, as the tables date it ('2015–2018': Harop's deliveries
        # read as 2015 alone beside Table 2.1: an outside reader); an end the edition cannot
        # know is blanked by the cut
        end = row.get("end_date")
        lasted = end is not None and pd.notna(end) and pd.Timestamp(end) > pd.Timestamp(row["date"])
        when = (period_span(row["date"], end, row["date_precision"], short=True) if lasted
                else at_precision(row["date"], row["date_precision"]))
        return f"{when} — {row['title']}"
    if table == "deployments":
        # the count published at deployment; a later one (strengths.csv) is the tables' to show,
        # with its own source, not a claim's evidence
        later = pd.notna(row.get("personnel_source_id", pd.NA))
        cap = "up to " if str(row.get("personnel_basis")) == "ceiling" else ""  # not a count
        size = (f", {cap}{int(row['personnel_persons']):,} personnel"
                if pd.notna(row["personnel_persons"]) and not later else "")
        return f"{row['name']} ({row['deployer']}, from {row['start_date']:%b %Y}{size})"
    if table == "casualties":
        measure = LOSS_MEASURES.get(row["measure"], str(row["measure"]).replace("_", " "))
        side = row["side"] if str(row["side"]).endswith(" sides") else f"{row['side']} side"
        return f"{row['conflict']}: {measure}, {side} (count by {row['reported_by']})"
    if table == "arms_import_shares":
        return (f"SIPRI arms import shares, {row['recipient']} from {row['supplier']}, "
                f"{str(row['period']).replace('-', '–')}")
    if table == "arms_imports":
        return (f"SIPRI arms imports (TIV), {row['recipient']} from {row['supplier']}, "
                f"{int(row['year'])}")
    if table == "trade":
        return f"{_FLOWS.get(row['flow'], row['flow'])} {row['partner']}, {int(row['year'])}"
    if table == "remittances":
        kind = _TRANSFERS.get(row["transfer_type"], str(row["transfer_type"]).replace("_", " "))
        return f"Money transfers through banks from {row['origin']} ({kind}), {int(row['year'])}"
    if table == "energy":
        what = str(row["commodity"]).replace("_", " ")
        return f"Imports of {what} from {row['partner']}, {int(row['year'])}"
    if table == "military_expenditure":
        return f"SIPRI military expenditure, {row['country']}, {int(row['year'])}"
    if table == "un_votes":
        return (f"UN General Assembly, {row['title_short']} ({row['resolution']}): "
                f"{row['country']} voted {row['vote']}")
    if table == "opinion":
        return f"{row['survey']} {row['wave']}: {row['question']}"
    return ref


def source_of(ref: str, row: pd.Series) -> str | None:
    """The source id of the row a reference resolved to."""
    value = row.get("source_id") if hasattr(row, "get") else None
    return value if isinstance(value, str) and value else None
