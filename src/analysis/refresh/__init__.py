"""``tightrope data refresh SOURCE [FILE | --download] [--write]``.

Turns a publisher's own file into the project's tidy table(s), validates the result against the
descriptor, prints what would change (rows added, values revised old -> new, rows removed) and
writes only with ``--write``, recording the file's sha256, the retrieval date and the release in
``sources.csv``. Offline by default: ``--download`` is the only path that touches the network.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..errors import DataValidationError, TightropeError
from ..schema import load_descriptor
from ..validation import read_rows, validate
from . import layouts
from .layouts import LayoutError, Parsed, TableUpdate

MAX_LISTED = 20


class RefreshUsageError(TightropeError):
    """Wrong source name, missing file, or FILE and --download together."""

    exit_code = 2


class NetworkError(TightropeError):
    """--download could not reach the publisher."""

    exit_code = 1


@dataclass(frozen=True)
class Source:
    parser: Callable[[Path, set[str], str], Parsed]
    source_id: str
    table: str  # the committed table whose names limit what is read
    name_column: str
    url: str | None
    what: str


SOURCES: dict[str, Source] = {
    "sipri-milex": Source(layouts.parse_sipri_milex, "sipri_milex_2025", "military_expenditure",
                          "country",
                          "https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2024_2.xlsx",
                          "SIPRI Military Expenditure Database workbook (.xlsx)"),
    "sipri-arms": Source(layouts.parse_sipri_register, "sipri_arms_register_2025",
                         "arms_deliveries", "recipient", None,
                         "SIPRI Arms Transfers Database trade-register export (.csv)"),
    "worldbank": Source(layouts.parse_worldbank, "wb_wdi_gdp", "gdp", "country",
                        "https://api.worldbank.org/v2/country/ARM/indicator/NY.GDP.MKTP.CD"
                        "?format=json&per_page=200",
                        "World Bank indicators API answer (JSON)"),
    "comtrade": Source(layouts.parse_comtrade, "comtrade_gas_2023", "energy", "partner",
                       "https://comtradeapi.un.org/public/v1/preview/C/M/HS?reporterCode=51"
                       "&cmdCode=271121&flowCode=M",
                       "UN Comtrade API answer (JSON) or export (CSV)"),
    "cba-transfers": Source(layouts.parse_cba_transfers, "cba_transfers_2025", "remittances",
                            "origin",
                            "https://www.cba.am/stat/stat_data_eng/"
                            "5_Money_transfers_of_individuals_by_countries-eng.xlsx",
                            "Central Bank of Armenia transfers workbook (.xlsx)"),
}


@dataclass
class TableDiff:
    table: str
    scope: str
    added: list[dict[str, str]]
    revised: list[tuple[dict[str, str], dict[str, str]]]
    removed: list[dict[str, str]]
    merged: list[dict[str, str]]
    header: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.revised or self.removed)


def _read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    header, rows = read_rows(path)
    return header, [dict(zip(header, r, strict=True)) for r in rows]


def diff_table(update: TableUpdate, header: list[str], committed: list[dict[str, str]],
               key: tuple[str, ...]) -> TableDiff:
    """Compare the parsed rows with the committed rows inside the update's scope. A column the
    file does not give (the project's own note on a row) keeps its committed value."""
    new_rows = [{h: r.get(h, "") for h in header} for r in update.rows]
    new_by_key = {tuple(r[k] for k in key): r for r in new_rows}
    given = set().union(*(r.keys() for r in update.rows)) if update.rows else set()
    seen, merged, revised, removed = set(), [], [], []
    for row in committed:
        if not update.scope(row):
            merged.append(row)
            continue
        k = tuple(row[c] for c in key)
        if k in new_by_key:
            seen.add(k)
            new = {h: v if h in given else row[h] for h, v in new_by_key[k].items()}
            if new != row:
                revised.append((row, new))
            merged.append(new)
        else:
            removed.append(row)
    added = [r for k, r in new_by_key.items() if k not in seen]
    return TableDiff(update.table, update.scope_text, added, revised, removed,
                     merged + added, header)


def _label(row: dict[str, str], key: tuple[str, ...]) -> str:
    return " / ".join(row[k] for k in key)


def render_diff(d: TableDiff, key: tuple[str, ...]) -> list[str]:
    head = (f"{d.table}.csv ({d.scope}): {len(d.added)} added, {len(d.revised)} revised, "
            f"{len(d.removed)} removed")
    out = [head]
    for row in d.added[:MAX_LISTED]:
        values = ", ".join(f"{c}={v}" for c, v in row.items() if c not in key and v)
        out.append(f"  + {_label(row, key)}: {values}")
    for old, new in d.revised[:MAX_LISTED]:
        changes = ", ".join(f"{c} {old[c] or '(empty)'} -> {new[c] or '(empty)'}"
                            for c in d.header if old[c] != new[c])
        out.append(f"  ~ {_label(old, key)}: {changes}")
    for row in d.removed[:MAX_LISTED]:
        out.append(f"  - {_label(row, key)}")
    hidden = sum(max(0, len(x) - MAX_LISTED) for x in (d.added, d.revised, d.removed))
    if hidden:
        out.append(f"  ... and {hidden} more change(s)")
    return out


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _source_rows(data_dir: Path, spec: Source, sha: str, release: str, file_name: str,
                 today: dt.date) -> tuple[list[str], list[dict[str, str]]]:
    header, rows = _read_table(data_dir / "sources.csv")
    row = next((r for r in rows if r["source_id"] == spec.source_id), None)
    if row is None:
        raise RefreshUsageError(f"sources.csv has no row {spec.source_id!r} for this source")
    row.update(sha256=sha, date_accessed=today.isoformat(), release=release, retrieved_via="",
               locator=f"{row['locator'].split(' | refreshed from ')[0]} | refreshed from "
                       f"{file_name}")
    return header, rows


def download(url: str, folder: Path) -> Path:
    """Fetch ``url`` into ``folder``; NetworkError (one line) when the network is not there."""
    name = url.split("?")[0].rstrip("/").rsplit("/", 1)[-1] or "download"
    if "?" in url and "." not in name:
        name += ".json"
    target = folder / name
    try:
        with urllib.request.urlopen(url, timeout=30) as answer, target.open("wb") as fh:
            shutil.copyfileobj(answer, fh)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NetworkError(f"cannot download {url} ({reason}); no network? Download the file "
                           "yourself and pass it as FILE") from None
    return target


def refresh(source: str, file: str | Path | None = None, *, use_network: bool = False,
            write: bool = False, data_dir: Path | str | None = None,
            today: dt.date | None = None, echo: Callable[[str], None] = print) -> list[TableDiff]:
    """Parse, validate, diff and (with ``write``) store one publisher file. Returns the diffs."""
    if source not in SOURCES:
        raise RefreshUsageError(f"unknown source {source!r}; sources: {', '.join(SOURCES)}")
    spec = SOURCES[source]
    if (file is None) == (not use_network):
        raise RefreshUsageError(f"give the publisher's file or --download (one of them) for "
                                f"{source}: {spec.what}")
    folder = paths.data_dir(data_dir)
    today = today or dt.date.today()
    with tempfile.TemporaryDirectory(prefix="tightrope-refresh-") as tmp:
        if use_network:
            if not spec.url:
                raise RefreshUsageError(f"{source} has no download address: export the "
                                        f"{spec.what} from the publisher's site and pass the file")
            path = download(spec.url, Path(tmp))
        else:
            path = Path(file)
            if not path.is_file():
                raise RefreshUsageError(f"{path}: no such file")
        specs = load_descriptor(folder)
        _, limit_rows = _read_table(folder / specs[spec.table].path)
        names = {r[spec.name_column] for r in limit_rows if r.get("source_id") == spec.source_id}
        names = names or {r[spec.name_column] for r in limit_rows}
        parsed = spec.parser(path, names, spec.source_id)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        diffs = []
        for update in parsed.updates:
            table = specs[update.table]
            header, committed = _read_table(folder / table.path)
            diffs.append(diff_table(update, header, committed, table.primary_key))
        echo(f"refresh {source}: {path.name} (sha256 {sha[:12]}…, {parsed.release})")
        for note in parsed.notes:
            echo(f"  note: {note}")
        for d in diffs:
            for line in render_diff(d, specs[d.table].primary_key):
                echo(line)
        # validate the would-be evidence base before anything is written
        staged = Path(tmp) / "data"
        shutil.copytree(folder, staged, ignore=shutil.ignore_patterns("*.md"))
        for d in diffs:
            _write_csv(staged / specs[d.table].path, d.header, d.merged)
        src_header, src_rows = _source_rows(staged, spec, sha, parsed.release, path.name, today)
        _write_csv(staged / "sources.csv", src_header, src_rows)
        try:
            validate(staged)
        except DataValidationError as exc:
            raise LayoutError(f"{path.name}: the parsed rows do not validate: "
                              + "; ".join(exc.problems[:5])) from None
        if not write:
            echo("dry run: nothing written (add --write to store these changes)")
            return diffs
        for d in diffs:
            _write_csv(folder / specs[d.table].path, d.header, d.merged)
        _write_csv(folder / "sources.csv", src_header, src_rows)
        echo(f"written: {', '.join(f'{d.table}.csv' for d in diffs)} and sources.csv "
             f"({spec.source_id}: sha256, date_accessed {today.isoformat()}, release)")
        return diffs
