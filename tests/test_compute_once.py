"""Compute once: what several sections read (the findings, the patron's share series) is computed
once per edition in a process, and a warm engine computes it before forking the kernels."""

import dataclasses
import datetime as dt
import os

import pytest

from analysis import evidence, findings, params
from analysis.measures import shares
from analysis.report import SectionContext


@pytest.fixture
def counted(monkeypatch):
    """Calls of findings.compute and shares.series, from an empty memo."""
    monkeypatch.setattr(evidence, "_MEMO", {})
    calls = []
    real_compute, real_series = findings.compute, shares.series
    monkeypatch.setattr(findings, "compute", lambda *a, **k: calls.append("findings") or
                        real_compute(*a, **k))
    monkeypatch.setattr(shares, "series", lambda *a: calls.append(("series", a[0])) or
                        real_series(*a))
    return calls


def test_sections_of_one_edition_share_one_computation(counted):
    p = params.resolve({}, strict=False)
    loyalty, outlook = SectionContext("04", p), SectionContext("07", p)
    assert loyalty.findings is outlook.findings
    assert loyalty.share_series("trade") is outlook.share_series("trade")
    # the findings read each yearly share (their latest years) through the sections' one copy
    assert counted == ["findings", ("series", "trade"), ("series", "gas"),
                       ("series", "remittances")]


def test_another_edition_or_changed_files_compute_again(counted, data_copy):
    p = params.resolve({"data_dir": str(data_copy)}, strict=False)
    first = SectionContext("04", p).findings
    earlier = dataclasses.replace(p, as_of=dt.date(2021, 1, 1))
    assert SectionContext("04", earlier).findings is not first
    path = data_copy / "events.csv"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert SectionContext("04", p).findings is not first
    assert [c for c in counted if c == "findings"] == ["findings"] * 3
    assert len(counted) == 3 * 4  # each edition: its findings and its three yearly shares once


def test_tables_put_together_by_hand_are_not_shared(counted):
    p = params.resolve({}, strict=False)
    ev = evidence.load_evidence(p)
    by_hand = evidence.Evidence(p, ev.tables, ev.sources)
    assert evidence.memo(by_hand, "x", lambda: [1]) is not evidence.memo(by_hand, "x",
                                                                         lambda: [1])
    assert evidence.memo(ev, "x", lambda: [1]) is evidence.memo(ev, "x", lambda: [2])
    # other tables in a copy of the evidence: not the edition's, so not shared either
    replaced = dataclasses.replace(ev, tables={})
    assert replaced.cut_key is None and ev.cut_key is not None


def test_a_change_to_the_locator_map_files_runs_the_sections_again(tmp_path, monkeypatch):
    from analysis import paths, uptodate

    (tmp_path / "places.csv").write_text("name,lon,lat\nGyumri,43.85,40.79\n", encoding="utf-8")
    monkeypatch.setattr(paths, "MAP_DIR", tmp_path)
    before = uptodate.library_hash()
    (tmp_path / "places.csv").write_text("name,lon,lat\nGyumri,43.85,40.80\n", encoding="utf-8")
    assert uptodate.library_hash() != before
