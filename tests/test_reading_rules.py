"""Rules that keep the prose in step with the charts beside it, on the committed evidence base
(each test also checks that its case occurs, so it cannot pass by finding nothing)."""

import re

import pytest

from analysis import params
from analysis.builders import consequences, ledger, outlook
from analysis.report import SectionContext

EDITIONS = {"default": {}, "2023-09-15": {"as_of": "2023-09-15"}}


def _context(key, overrides):
    return SectionContext(key, params.resolve(overrides, strict=False))


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_a_share_back_across_its_window_average_points_neither_way(edition):
    """Table 7.1: a share whose windows moved down while its latest year stands above the
    latest window's average (or the reverse) turned back; it is not counted as pointing away."""
    s = _context("07", EDITIONS[edition])
    items = outlook.watch_list(s)
    turned = [w for w in items if (w.trend.startswith("down") and " above " in w.stands)
              or (w.trend.startswith("up") and " below " in w.stands)]
    assert turned, "the committed data hold such a share (money transfers)"
    assert all(w.toward == "mixed" for w in turned)
    text = outlook.watch_text(s).markdown
    away = re.search(r"(?:that|those) for (.*?) away from it", text)
    assert away, text
    for w in turned:
        assert w.short not in away.group(1), text
        assert w.short in text.split("counted on neither side: ")[1].split(".")[0]


def test_the_paradox_names_what_grew_and_what_fell():
    """Section 6 says which series grew, and adds the one that fell, instead of 'the economic
    ties grew' beside a 44% fall in non-commercial transfers."""
    text = consequences.paradox_summary(_context("06", {})).markdown
    assert "Economic ties" not in text
    assert "grew in the same years" in text
    assert text.rstrip().endswith("while non\\-commercial transfers fell.")


def test_an_update_that_changes_a_verdict_says_so():
    s = _context("08", {})
    updates = s.ev.claim_updates
    changed = updates[updates["verdict"].notna()]
    assert len(changed) >= 2
    for claim_id, verdict in zip(changed["claim_id"], changed["verdict"], strict=True):
        assert f"Verdict from then: {verdict}." in ledger._after(s, claim_id)
    # and the reasoning above it says which verdict it argued, so the badge (the verdict now)
    # and the reasoning never contradict each other
    claims = {c.id: c for c in ledger.claim_objects(s)}
    originals = s.ev.claims.set_index("claim_id")["first_verdict"]
    for claim_id in set(changed["claim_id"]):
        claim = claims[claim_id]
        if originals[claim_id] != claim.verdict:
            assert claim.reasoning.startswith(
                f"Verdict when the article appeared (15 September 2023): {originals[claim_id]}. ")
    unchanged = [c for c in claims.values() if originals[c.id] == c.verdict]
    assert unchanged and not any(c.reasoning.startswith("Verdict") for c in unchanged)


def test_the_reasoning_dates_the_verdict_it_argued():
    """'when the article appeared (…)' for a verdict from before the article, else the
    verdict's own later date."""
    import types

    import pandas as pd

    s = _context("08", {})
    before = types.SimpleNamespace(verdict_date=pd.Timestamp("2023-03-24"))
    later = types.SimpleNamespace(verdict_date=pd.Timestamp("2024-02-01"))
    assert ledger._then(s, before) == "when the article appeared (15 September 2023)"
    assert ledger._then(s, later) == "from 1 February 2024"


@pytest.mark.parametrize("key", ["03", "06"])
def test_another_patron_is_not_given_russias_events(key):
    """With patron = Iran, the warrant, the invasion of Ukraine and the corridor's
    peacekeepers stay Russia's: they are named from the data or left out, never re-attributed
    to the edition's patron (section 6 once spoke of 'Iran's full-scale invasion of Ukraine')."""
    import json

    from analysis.sections import get
    from test_golden import run_notebook

    text = json.dumps([str(x) for x in run_notebook(get(key), {"patron": "Iran"})],
                      ensure_ascii=False)
    for wrong in ("Iran's full-scale invasion", "Iran's president", "Iran's peacekeepers",
                  "Iran ended the war", "Iran's older presence"):
        assert wrong not in text, wrong
    assert "Iran" in text  # the patron is there, in what is true of it
