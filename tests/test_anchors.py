"""Story anchors: data/anchors.csv, its validation and the anchor() accessor."""

import csv

import pytest

from analysis import anchors, params
from analysis.errors import DataValidationError
from analysis.evidence import load_evidence
from analysis.validation import validate
from conftest import DATA


def _evidence(as_of, data_dir=DATA):
    return load_evidence(params.resolve({"as_of": as_of, "data_dir": str(data_dir)}))


def _rewrite(path, edit):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    rows = edit(rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_every_anchor_the_code_uses_is_in_the_table():
    with open(DATA / "anchors.csv", encoding="utf-8") as fh:
        keys = [r["anchor"] for r in csv.DictReader(fh)]
    assert sorted(keys) == sorted(anchors.KEYS)


def test_known_anchor_is_the_event_row_cut_at_as_of():
    ev = _evidence("2023-09-15")
    truce = ev.anchor("ceasefire_2020")
    assert truce and truce.date.strftime("%Y-%m-%d") == "2020-11-10"
    assert truce["category"] == "ceasefire"
    assert truce.frame()["source_id"].iloc[0] == truce["source_id"]


def test_anchor_after_as_of_is_not_yet_and_leaks_nothing():
    ev = _evidence("2023-09-15")
    vote = ev.anchor("rome_statute_ratification")
    assert isinstance(vote, anchors.NotYet) and not vote
    text = vote.sentence()
    assert "15 September 2023" in text and "holds nothing for this part" in text
    assert vote.meaning not in text  # the meaning describes the later event: never printed
    assert "October" not in text and "2023-10" not in text and "60" not in text
    assert "records no vote in parliament" in vote.sentence("vote in parliament")


def test_article_date_is_a_date_anchor():
    assert not _evidence("2023-09-14").anchor("article_date")
    article = _evidence("2023-09-15").anchor("article_date")
    assert article and article.date.strftime("%Y-%m-%d") == "2023-09-15"
    assert article.event_id is None


def test_unknown_anchor_is_a_bug_not_a_sentence():
    with pytest.raises(anchors.UnknownAnchor, match="ceasefire_2020"):
        _evidence("2023-09-15").anchor("ceasefire_2021")


def test_missing_anchor_is_a_validation_error(data_copy):
    _rewrite(data_copy / "anchors.csv", lambda rows: [r for r in rows
                                                      if r["anchor"] != "blockade_start"])
    with pytest.raises(DataValidationError, match="blockade_start missing"):
        validate(data_copy)


def test_dangling_event_id_is_a_validation_error(data_copy):
    def edit(rows):
        for r in rows:
            if r["anchor"] == "lachin_checkpoint":
                r["event_id"] = "E999"
        return rows

    _rewrite(data_copy / "anchors.csv", edit)
    with pytest.raises(DataValidationError, match=r"anchors.csv row \d+: event_id = 'E999' is "
                                                  r"not in events.csv"):
        validate(data_copy)


def test_anchor_needs_exactly_one_of_event_and_date(data_copy):
    def edit(rows):
        for r in rows:
            if r["anchor"] == "icc_warrant":
                r["date"] = "2023-03-17"
        return rows

    _rewrite(data_copy / "anchors.csv", edit)
    with pytest.raises(DataValidationError, match="'icc_warrant' needs exactly one"):
        validate(data_copy)


def test_unused_anchor_key_is_a_validation_error(data_copy):
    def edit(rows):
        return rows + [{"anchor": "cease_fire", "event_id": "E038", "date": "",
                        "meaning": "a typo"}]

    _rewrite(data_copy / "anchors.csv", edit)
    with pytest.raises(DataValidationError, match="'cease_fire' is not used by the report"):
        validate(data_copy)
