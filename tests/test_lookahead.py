"""No look-ahead: a copy of the evidence base gains rows dated after the edition (events, a source,
claim evidence and an update, survey waves), each carrying a unique marker word; an edition built
before those dates must show none of the markers, in the HTML or in the PDF text."""

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from conftest import ROOT, captions_out_of_order, pdf_text, run_cli_here

pytestmark = pytest.mark.slow

AS_OF = "2023-09-15"
MARKERS = ["Zorblax", "Quuxmire", "Vexlorn", "Frobnitz", "Plimbus", "Wuggleton", "Snargleby",
           "Blorftown"]


def _append(path, rows):
    with open(path, encoding="utf-8", newline="") as fh:
        fields = next(csv.reader(fh))
    with open(path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writerows([{f: row.get(f, "") for f in fields} for row in rows])


def _edit_claim(path, claim_id, column, suffix):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for row in rows:
        if row["claim_id"] == claim_id:
            row[column] += suffix
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _future_rows(data):
    _append(data / "sources.csv", [{
        "source_id": "future_report_2023", "publisher": "Plimbus Institute",
        "title": "Frobnitz review of the Caucasus", "url": "https://example.org/frobnitz-2023",
        "date_published": "2023-12-01", "date_accessed": "2026-01-01"}])
    _append(data / "events.csv", [
        {"event_id": "E990", "date": "2023-10-02", "date_precision": "day",
         "category": "security", "actors": "Armenia;Russia",
         "title": "Zorblax CSTO Lachin checkpoint step", "description": "Quuxmire happened.",
         "section": "3", "source_id": "future_report_2023", "confidence": "high"},
        {"event_id": "E991", "date": "2023-06-01", "date_precision": "day", "category": "legal",
         "actors": "Armenia;Russia", "title": "Vexlorn ICC Rome Statute step",
         "description": "Vexlorn happened, known only from a later report.", "section": "6",
         "source_id": "future_report_2023", "confidence": "high"}])
    _edit_claim(data / "claims.csv", "C02", "evidence", ";events:E990")
    _edit_claim(data / "claims.csv", "C05", "source_ids", ";future_report_2023")
    _append(data / "claim_updates.csv", [{
        "claim_id": "C01", "date": "2023-10-01", "verdict": "disputed",
        "update": "Wuggleton changed everything.", "source_ids": "icc_putin_warrant_2023"}])
    with open(data / "opinion.csv", encoding="utf-8", newline="") as fh:
        template = next(csv.DictReader(fh))
    _append(data / "opinion.csv", [
        {**template, "wave": "Snargleby 2023", "fieldwork_date": "2023-11-01"},
        {**template, "wave": "Blorftown 2023", "fieldwork_date": "2023-06-01",
         "source_id": "future_report_2023"}])


@pytest.fixture(scope="module")
def edition(_shared_root):
    """Built once per run, whichever xdist worker asks first (a module fixture was built once
    per worker that ran one of these tests)."""
    root = _shared_root / "lookahead"
    done = _shared_root / "lookahead.json"
    with FileLock(str(_shared_root / "lookahead.lock")):
        if not done.exists():
            if root.exists():
                shutil.rmtree(root)
            data = root / "data"
            shutil.copytree(ROOT / "data", data)
            _future_rows(data)
            run = subprocess.run([sys.executable, "-m", "analysis.cli", "data", "validate",
                                  "--data-dir", str(data)], capture_output=True, text=True,
                                 cwd=ROOT, check=False)
            assert run.returncode == 0, run.stderr[-3000:]
            out = root / "out"
            run = run_cli_here("build", "--out", str(out), "--as-of", AS_OF, "-p",
                               f"data_dir={data}", "--format", "html,pdf")
            assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
            folder = next(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))
            done.write_text(json.dumps({"folder": str(folder)}), encoding="utf-8")
    return Path(json.loads(done.read_text(encoding="utf-8"))["folder"])


def test_marker_rows_are_in_the_data(edition):
    """The markers are there to be found: the copy holds them (so the test can fail)."""
    data = edition.parent.parent / "data"
    text = "".join(p.read_text(encoding="utf-8") for p in data.glob("*.csv"))
    for marker in MARKERS:
        assert marker in text, marker


def test_no_future_marker_in_the_html(edition):
    html = (edition / "report.html").read_text(encoding="utf-8")
    assert "Claim ledger" in html
    found = [m for m in MARKERS if m.lower() in html.lower()]
    assert not found, found


def test_no_future_marker_in_the_pdf_text(edition):
    text = pdf_text(edition / "report.pdf")
    assert "Claim ledger" in text
    found = [m for m in MARKERS if m.lower() in text.lower()]
    assert not found, found


def test_figures_and_tables_come_in_the_order_of_their_numbers(edition):
    """The article's edition once showed Figure 6.4 above Figure 6.3: a block that comes after
    a float anchored on its page floats too, so that it lands after it."""
    assert captions_out_of_order(edition / "report.pdf") == []


def test_no_future_marker_in_the_executed_notebooks(edition):
    text = "".join(p.read_text(encoding="utf-8") for p in (edition / "notebooks").glob("*.ipynb"))
    found = [m for m in MARKERS if m.lower() in text.lower()]
    assert not found, found


@pytest.mark.parametrize("first, ticks, as_of", [
    ("2017-11-24", ["2017", "2018", "2019", "2020", "2021", "2022", "2023"], dt.date(2023, 9, 15)),
    ("2017-11-24", ["2017", "2018", "2019", "2020", "2021", "2022", "2023"],
     dt.date(2023, 12, 31)),  # the next year's first tick is after the edition's last day
    ("2023-09-01", None, dt.date(2023, 9, 15))])
def test_no_date_axis_labels_a_time_after_the_edition(first, ticks, as_of):
    """The white space that pads a chart's last point past the edition's date carries no tick
    label ('2024' under a chart of an edition dated September 2023); the labels keep their
    format."""
    import matplotlib.pyplot as plt

    from analysis import charts

    fig, ax = plt.subplots()
    ax.plot(pd.to_datetime([first, "2023-09-11"]), [1, 2], "o")
    ax.set_xlim(pd.Timestamp(first), pd.Timestamp("2024-06-30"))
    charts.dates_until(fig, as_of)
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels()]
    plt.close(fig)
    if ticks is not None:
        assert shown == ticks
    assert shown and not any(s.startswith(("2024", "Oct", "Nov", "Dec")) for s in shown), shown
