"""Parsers that turn a publisher's own file into rows of the project's tidy tables.

Each parser takes the file's path and returns a :class:`Parsed`: the rows for one or more tables
(dicts keyed by the descriptor's field names, values as text the way the CSVs store them), the
release the file states, and which committed rows the file replaces (its *scope*). A file in the
wrong layout raises :class:`LayoutError` naming the sheet, row or key that was expected.

Missing-value conventions of the publishers: SIPRI writes ``...`` (no data) and ``xxx`` (country
did not exist); the World Bank uses JSON ``null``; CBA and Armstat sheets use ``-`` or blanks.
Footnote markers after names (``Armenia [a]``, ``Iraq*``, ``Georgia ¶``) are removed. Rows read
from the publisher's own file are stored with confidence ``high``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import indicators
from ..errors import TightropeError

MISSING = {"", "...", "..", "xxx", "-", "–", "—", "n/a", "na", "nan", "none"}
#: publisher spellings -> the names the evidence base uses
NAMES = {"Russian Federation": "Russia", "Turkiye": "Turkey", "Türkiye": "Turkey",
         "United States of America": "United States", "USA": "United States",
         "unknown supplier(s)": "Unknown supplier(s)", "Total": "World", "World": "World",
         "Iran (Islamic Republic of)": "Iran", "Iran, Islamic Rep.": "Iran"}
_FOOTNOTE = re.compile(r"(\s*(\[[^\]]*\]|\([a-z0-9]\)|[*†‡§¶#]+|\d+\)))+\s*$")


class LayoutError(TightropeError):
    """The file is not in the publisher's layout this source expects."""

    exit_code = 2


@dataclass
class TableUpdate:
    """New rows for ``table`` and the predicate selecting the committed rows they replace."""

    table: str
    rows: list[dict[str, str]]
    scope: Callable[[dict[str, str]], bool]
    scope_text: str


@dataclass
class Parsed:
    updates: list[TableUpdate]
    release: str
    notes: list[str] = field(default_factory=list)


def clean_name(raw) -> str:
    text = str(raw).strip()
    if text in NAMES:
        return NAMES[text]
    text = _FOOTNOTE.sub("", text).strip()
    return NAMES.get(text, text)


def is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return str(value).strip().lower() in MISSING


def named_rows(frame: pd.DataFrame, start: int, wanted):
    """(row index, clean name) for the rows below ``start`` whose first cell names one of ``wanted``."""
    for i in range(start, len(frame)):
        name = frame.iat[i, 0]
        if is_missing(name):
            continue
        name = clean_name(name)
        if name in wanted:
            yield i, name


def number(value) -> float | None:
    if is_missing(value):
        return None
    text = str(value).strip().replace(",", "").replace("\u00a0", "")
    text = _FOOTNOTE.sub("", text)
    try:
        return float(text)
    except ValueError:
        return None


def fmt(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


# --------------------------------------------------------------------------- SIPRI Milex (xlsx)
#: sheet -> (measure, factor, digits). Share sheets hold fractions (0.0548 = 5.48%).
MILEX_SHEETS = {
    "Share of GDP": ("share_of_gdp_pct", 100.0, 2),
    "Current US$": ("spend_current_usd_m", 1.0, 1),
    "Share of Govt. spending": ("share_of_govt_spending_pct", 100.0, 1),
}
#: the constant-price sheet, named for its base year ("Constant (2023) US$"): read when present,
#: into the measure of that base year (spend_const2023_usd_m), which replaces any other base year
MILEX_CONSTANT = re.compile(r"Constant \((\d{4})\) US\$")
#: font colours SIPRI's sheets use for "SIPRI estimates" (blue) and "highly uncertain data" (red)
MILEX_ESTIMATE_COLOURS = {"FF0000FF", "FFFF0000"}


def _header_row(frame: pd.DataFrame, first: str, sheet: str, file: str) -> int:
    for i in range(min(len(frame), 30)):
        if str(frame.iat[i, 0]).strip().lower() == first.lower():
            return i
    raise LayoutError(f"{file}: sheet {sheet!r} has no header row starting with {first!r} "
                      "in its first 30 rows (is this the publisher's own file?)")


def parse_sipri_milex(path: Path, countries: set[str], source_id: str) -> Parsed:
    """SIPRI-Milex-data-1949-YYYY.xlsx: one sheet per measure, a title and notes above a header
    row 'Country | Notes | 1949 | 1950 ...', region sub-headings between the countries. A figure
    in SIPRI's blue (an estimate) or red (highly uncertain) font is stored with ``estimate``."""
    try:
        book = pd.read_excel(path, sheet_name=None, header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is a user mistake
        raise LayoutError(f"{path.name}: not a readable .xlsx workbook ({exc})") from None
    missing = [s for s in MILEX_SHEETS if s not in book]
    if missing:
        raise LayoutError(f"{path.name}: sheet(s) {', '.join(repr(s) for s in missing)} not found "
                          f"(sheets: {', '.join(book)})")
    sheets = dict(MILEX_SHEETS)
    for name in book:
        if match := MILEX_CONSTANT.fullmatch(name.strip()):
            sheets[name] = (f"spend_const{match.group(1)}_usd_m", 1.0, 1)
    fonts = _font_colours(path)
    rows: list[dict[str, str]] = []
    measures = set()
    for sheet, (measure, factor, digits) in sheets.items():
        frame = book[sheet]
        h = _header_row(frame, "Country", sheet, path.name)
        header = list(frame.iloc[h])
        years = {j: int(v) for j, v in enumerate(header)
                 if isinstance(v, (int, float)) and not pd.isna(v) and 1900 < int(v) < 2100}
        if not years:
            raise LayoutError(f"{path.name}: sheet {sheet!r} row {h + 1} has no year columns")
        measures.add(measure)
        found = []
        for i, country in named_rows(frame, h + 1, countries):
            for j, year in years.items():
                value = number(frame.iat[i, j])
                if value is not None:
                    found.append((country, year, value, fonts(sheet, frame, i, j)))
        if factor != 1.0 and found and max(abs(v) for _, _, v, _ in found) > 1.5:
            factor = 1.0  # this copy already holds percentages, not fractions
        rows += [{"country": country, "year": str(year), "measure": measure,
                  "value": fmt(value * factor, digits),
                  "estimate": "true" if colour in MILEX_ESTIMATE_COLOURS else "",
                  "source_id": source_id, "confidence": "high"}
                 for country, year, value, colour in found]
    release = _milex_release(book, path)
    constant = any(indicators.CONSTANT_MEASURE.fullmatch(m) for m in measures)
    return Parsed([TableUpdate(
        "military_expenditure", rows,
        lambda r: r["source_id"] == source_id and r["country"] in countries
        and (r["measure"] in measures
             or (constant and indicators.CONSTANT_MEASURE.fullmatch(r["measure"]) is not None)),
        f"rows of {source_id} for {', '.join(sorted(measures))}")], release)


def _font_colours(path: Path) -> Callable[[str, pd.DataFrame, int, int], str | None]:
    """A look-up of the font colour (ARGB) of the cell behind ``frame.iat[i, j]`` of a sheet.
    pandas reads a sheet's rows and columns from A1 on, so the cell is (i + 1, j + 1); a cell
    whose value differs (a layout pandas read otherwise) has no colour rather than a wrong one."""
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)

    def colour(sheet: str, frame: pd.DataFrame, i: int, j: int) -> str | None:
        cell = book[sheet].cell(i + 1, j + 1)
        if number(cell.value) != number(frame.iat[i, j]):
            return None
        rgb = cell.font.color.rgb if cell.font and cell.font.color else None
        return rgb if isinstance(rgb, str) else None

    return colour


def _milex_release(book: dict[str, pd.DataFrame], path: Path) -> str:
    match = re.search(r"(\d{4})-(\d{4})", path.name)
    span = f"data {match.group(1)}-{match.group(2)}" if match else "data years not in the name"
    return f"SIPRI Milex workbook {path.name} ({span})"


# --------------------------------------------------------------- SIPRI Arms Transfers (CSV)
REGISTER_COLUMNS = ["SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description",
                    "Armament category", "Order date", "Numbers delivered",
                    "Numbers delivered is estimate", "Delivery year", "Status",
                    "TIV delivery values"]


def parse_sipri_register(path: Path, recipients: set[str], source_id: str) -> Parsed:
    """Trade-register export: a block of title lines ('Data generated: 3 January 2025', the
    query), then one row per deal and delivery year with the columns in REGISTER_COLUMNS."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines[:40]) if line.startswith("SIPRI AT Database ID")),
                 None)
    if start is None:
        raise LayoutError(f"{path.name}: no header line starting 'SIPRI AT Database ID' in the "
                          "first 40 lines (export the trade register as CSV)")
    generated = next((m.group(1) for line in lines[:start]
                      if (m := re.search(r"generated:?\s*(.+?)\s*$", line, re.IGNORECASE))), None)
    reader = csv.DictReader(io.StringIO("\n".join(lines[start:])))
    absent = [c for c in REGISTER_COLUMNS if c not in (reader.fieldnames or [])]
    if absent:
        raise LayoutError(f"{path.name} line {start + 1}: column(s) {', '.join(absent)} missing")
    deliveries: list[dict[str, str]] = []
    for n, rec in enumerate(reader, start=start + 2):
        recipient = clean_name(rec["Recipient"])
        if recipient not in recipients:
            continue
        tiv, year = number(rec["TIV delivery values"]), number(rec["Delivery year"])
        deal = number(rec["SIPRI AT Database ID"])
        if tiv is None or year is None or deal is None:
            raise LayoutError(f"{path.name} line {n}: deal, delivery year or TIV is not a number")
        units = number(rec["Numbers delivered"])
        order = number(rec["Order date"])
        deliveries.append({
            "sipri_deal_id": str(int(deal)), "recipient": recipient,
            "supplier": clean_name(rec["Supplier"]), "designation": rec["Designation"].strip(),
            "description": rec["Description"].strip(),
            "armament_category": rec["Armament category"].strip(),
            "order_year": str(int(order)) if order is not None else "",
            "delivery_year": str(int(year)),
            "units_delivered": f"{units:g}" if units is not None else "",
            "units_is_estimate": "true" if rec["Numbers delivered is estimate"].strip().lower()
            in {"yes", "true", "1", "y"} else "false",
            "tiv_delivered_m": f"{tiv:g}", "status": rec["Status"].strip(),
            "source_id": source_id, "confidence": "high"})
    sums: dict[tuple[str, str, str], float] = {}
    for d in deliveries:
        key = (d["recipient"], d["supplier"], d["delivery_year"])
        sums[key] = sums.get(key, 0.0) + float(d["tiv_delivered_m"])
    imports = [{"recipient": r, "supplier": s, "year": y, "tiv_m": f"{v:.2f}",
                "source_id": source_id, "confidence": "high"}
               for (r, s, y), v in sorted(sums.items())]
    release = f"SIPRI Arms Transfers Database, register export generated {generated or 'n.d.'}"
    return Parsed([
        TableUpdate("arms_deliveries", deliveries,
                    lambda r: r["source_id"] == source_id and r["recipient"] in recipients,
                    f"register rows of {source_id}"),
        TableUpdate("arms_imports", imports,
                    lambda r: r["source_id"] == source_id and r["recipient"] in recipients,
                    f"sums of {source_id}")], release)


# ------------------------------------------------------------------ World Bank API (JSON)
WB_INDICATORS = {"NY.GDP.MKTP.CD": ("gdp_current_usd_bn", 1e-9, 3)}


def parse_worldbank(path: Path, countries: set[str], source_id: str) -> Parsed:
    """``api.worldbank.org/v2/...?format=json``: ``[paging header, [observation, ...]]`` with
    indicator, country, date and value (``null`` when missing)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LayoutError(f"{path.name}: not World Bank API JSON ({exc})") from None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[1], list)):
        if isinstance(payload, list) and payload and isinstance(payload[0], dict) \
                and "message" in payload[0]:
            raise LayoutError(f"{path.name}: the API answered with an error: "
                              f"{payload[0]['message']}")
        raise LayoutError(f"{path.name}: expected [paging header, observations] "
                          "(the v2 API with format=json)")
    rows, measures = [], set()
    seen: dict[tuple, int] = {}
    for k, obs in enumerate(payload[1]):
        try:
            indicator, country = obs["indicator"]["id"], clean_name(obs["country"]["value"])
            year = int(obs["date"])
        except (KeyError, TypeError, ValueError):
            raise LayoutError(f"{path.name}: observation {k + 1} lacks indicator, country or "
                              "date") from None
        if indicator not in WB_INDICATORS:
            raise LayoutError(f"{path.name}: indicator {indicator} is not mapped to a table "
                              f"(known: {', '.join(WB_INDICATORS)})")
        if country not in countries or obs.get("value") is None:
            continue
        measure, factor, digits = WB_INDICATORS[indicator]
        try:
            value = float(obs["value"])
        except (TypeError, ValueError):
            raise LayoutError(f"{path.name}: observation {k + 1} ({country}, {year}) has the "
                              f"value {str(obs['value'])[:40]!r}, not a number") from None
        if not math.isfinite(value):
            raise LayoutError(f"{path.name}: observation {k + 1} ({country}, {year}) has the "
                              f"value {obs['value']!r}, not a finite number")
        key = (country, year, measure)
        if key in seen:
            raise LayoutError(f"{path.name}: observations {seen[key]} and {k + 1} both give "
                              f"{measure} for {country} in {year}")
        seen[key] = k + 1
        measures.add(measure)
        rows.append({"country": country, "year": str(year), "measure": measure,
                     "value": fmt(value * factor, digits),
                     "source_id": source_id, "confidence": "high"})
    updated = payload[0].get("lastupdated", "n.d.") if isinstance(payload[0], dict) else "n.d."
    return Parsed([TableUpdate("gdp", rows,
                               lambda r: r["source_id"] == source_id and r["measure"] in measures
                               and r["country"] in countries,
                               f"rows of {source_id}")],
                  f"World Bank WDI, last updated {updated}")


# ------------------------------------------------------------------ UN Comtrade (JSON/CSV)
COMTRADE_COLUMNS = ["refYear", "refMonth", "freqCode", "flowCode", "partnerDesc", "cmdCode",
                    "primaryValue"]
GAS = "271121"
HS_LABELS = {"71": "precious stones and metals (HS 71)", "8703": "passenger cars (HS 8703)"}


def _comtrade_frame(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if raw.lstrip()[:1] in (b"{", b"["):
        try:
            payload = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LayoutError(f"{path.name}: not Comtrade API JSON ({exc})") from None
        data = payload.get("data") if isinstance(payload, dict) else None
        if data is None:
            raise LayoutError(f"{path.name}: no 'data' list (Comtrade API v1 answer expected)")
        frame = pd.DataFrame(data)
    else:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, encoding="utf-8-sig")
    absent = [c for c in COMTRADE_COLUMNS if c not in frame.columns]
    if absent:
        raise LayoutError(f"{path.name}: column(s) {', '.join(absent)} missing "
                          "(Comtrade API/Plus export expected)")
    return frame


def parse_comtrade(path: Path, partners: set[str], source_id: str) -> Parsed:
    """Comtrade API v1 JSON (``{"data": [...]}``) or the same columns as CSV. Natural gas
    (HS 271121, imports) goes to ``energy``; other codes to ``trade_by_commodity``. Monthly
    records are summed to years; ``months_reported`` counts the months seen."""
    frame = _comtrade_frame(path)
    frame["partner"] = frame["partnerDesc"].map(clean_name)
    frame["cmdCode"] = frame["cmdCode"].astype(str).str.strip()
    frame["value"] = frame["primaryValue"].map(number)
    frame["weight"] = frame["netWgt"].map(number) if "netWgt" in frame else None
    frame["year"] = frame["refYear"].map(lambda v: int(float(v)))
    frame = frame[frame["partner"].isin(partners | {"World"})]
    updates = []
    gas = frame[(frame["cmdCode"] == GAS) & (frame["flowCode"].astype(str) == "M")]
    if not gas.empty:
        rows = []
        for (year, partner), g in gas.groupby(["year", "partner"]):
            if partner == "World":
                continue
            months = g["refMonth"].map(lambda v: int(float(v))).nunique() \
                if (g["freqCode"].astype(str) == "M").all() else 12
            rows.append({"year": str(year), "partner": partner, "commodity": "natural_gas",
                         "months_reported": str(months),
                         "netweight_kt": fmt(g["weight"].sum() / 1e6, 1)
                         if g["weight"].notna().any() else "",
                         "value_usd_m": fmt(g["value"].sum() / 1e6, 1),
                         "source_id": source_id, "confidence": "high"})
        updates.append(TableUpdate("energy", rows,
                                   lambda r: r["source_id"] == source_id,
                                   f"rows of {source_id}"))
    other = frame[frame["cmdCode"] != GAS]
    if not other.empty:
        unknown = sorted(set(other["cmdCode"]) - set(HS_LABELS))
        if unknown:
            raise LayoutError(f"{path.name}: commodity code(s) {', '.join(unknown)} have no "
                              f"label (known: {', '.join(sorted(HS_LABELS))})")
        flows = {"X": "exports", "M": "imports"}
        rows = []
        for (year, partner, flow, code), g in other.groupby(
                ["year", "partner", "flowCode", "cmdCode"]):
            if flow not in flows:
                continue
            rows.append({"partner": partner, "year": str(year), "flow": flows[flow],
                         "hs_code": code, "commodity": HS_LABELS[code],
                         "value_usd_m": fmt(g["value"].sum() / 1e6, 1), "source_id": source_id,
                         "confidence": "high", "note": "UN Comtrade, reporter's data"})
        updates.append(TableUpdate("trade_by_commodity", rows,
                                   lambda r: r["source_id"] == source_id,
                                   f"rows of {source_id}"))
    if not updates:
        raise LayoutError(f"{path.name}: no records for the partners {', '.join(sorted(partners))}")
    return Parsed(updates, f"UN Comtrade query file {path.name}")


# -------------------------------------------------------- Central Bank of Armenia (xlsx)
def parse_cba_transfers(path: Path, origins: set[str], source_id: str) -> Parsed:
    """5_Money_transfers_of_individuals_by_countries-eng.xlsx: countries in rows (column A);
    three header rows above them give the year (written once per year), the month (a column
    headed 'of which non-commercial' belongs to the month on its left) and the direction
    (Inflow / Outflow / Net); values in thousand US dollars."""
    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=object)
    except Exception as exc:  # noqa: BLE001
        raise LayoutError(f"{path.name}: not a readable .xlsx workbook ({exc})") from None
    dir_row = next((i for i in range(min(len(frame), 20))
                    if {"inflow", "outflow"} & {str(v).strip().lower() for v in frame.iloc[i]}),
                   None)
    if dir_row is None or dir_row < 2:
        raise LayoutError(f"{path.name}: first sheet has no header row with 'Inflow'/'Outflow' "
                          "below a year row and a month row")
    year_row, month_row = frame.iloc[dir_row - 2], frame.iloc[dir_row - 1]
    columns = []
    year = month = None
    for j in range(1, frame.shape[1]):
        y, m = year_row.iat[j], month_row.iat[j]
        if not is_missing(y):
            year = int(number(y)) if number(y) is not None else None
        kind = "total"
        if not is_missing(m):
            if "of which" in str(m).lower():
                kind = "non_commercial"
            else:
                month = str(m).strip()
        direction = str(frame.iat[dir_row, j]).strip().lower()
        if year is None or month is None:
            raise LayoutError(f"{path.name}: column {j + 1} has no year or month above row "
                              f"{dir_row + 1}")
        columns.append((j, year, month, kind, direction))
    sums: dict[tuple[int, str, str], float] = {}
    months: dict[tuple[int, str, str], set[str]] = {}
    for i, origin in named_rows(frame, dir_row + 1, origins):
        for j, year, month, kind, direction in columns:
            if direction != "inflow":
                continue
            value = number(frame.iat[i, j])
            if value is None:
                continue
            key = (year, origin, kind)
            sums[key] = sums.get(key, 0.0) + value
            months.setdefault(key, set()).add(month)
    notes, rows = [], []
    for (year, origin, kind), total in sorted(sums.items()):
        if len(months[(year, origin, kind)]) < 12:
            notes.append(f"{year} {origin} {kind}: only {len(months[(year, origin, kind)])} "
                         "months, left out (years are stored complete)")
            continue
        rows.append({"year": str(year), "origin": origin, "transfer_type": kind,
                     "inflow_usd_m": fmt(total / 1000, 1), "source_id": source_id,
                     "confidence": "high"})
    last = max((y for y, _, _ in sums), default=None)
    return Parsed([TableUpdate("remittances", rows,
                               lambda r: r["source_id"] == source_id and r["origin"] in origins,
                               f"rows of {source_id}")],
                  f"CBA transfers workbook {path.name} (data to {last})", notes)
