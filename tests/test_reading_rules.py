"""Rules that keep the prose in step with the charts beside it, on the committed evidence base
(each test also checks that its case occurs, so it cannot pass by finding nothing)."""


import pandas as pd
import pytest

from analysis import params, phrasing, sections
from analysis.builders import consequences, ledger, outlook
from analysis.builders._common import count_word
from analysis.measures import shares
from analysis.measures.compare import turned_back
from analysis.report import SectionContext

EDITIONS = {"default": {}, "2023-09-15": {"as_of": "2023-09-15"}}


def _context(key, overrides):
    return SectionContext(key, params.resolve(overrides, strict=False))


@pytest.mark.parametrize("direction, latest, earlier, window, back", [
    ("down", 62.0, 67.0, 63.0, False),  # above the latest window's average, nearer to it
    ("down", 65.5, 67.0, 63.0, True),  # more than half the fall undone
    ("down", 69.0, 67.0, 63.0, True),  # past the earlier average
    ("down", 60.0, 67.0, 63.0, False),  # fell further
    ("up", 41.0, 22.0, 37.0, False),
    ("up", 28.0, 22.0, 37.0, True),
    ("about the same", 90.0, 10.0, 10.2, False)])
def test_a_share_turns_back_when_its_latest_year_undoes_half_the_move(direction, latest,
                                                                      earlier, window, back):
    assert turned_back(direction, latest, earlier, window) is back


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_table_7_1_and_its_count_follow_the_turned_back_rule(edition):
    """Every share in Table 7.1 is counted on the side its windows moved unless its latest year
    undid at least half of that move (worked out here from the share's own series); the text's
    count agrees with the table. Money transfers in the default edition: 41% of the total in
    2021, 65% in 2024, against averages of 67% (2013-2017) and 63% (2020-2024): they count on
    neither side (an outside reader saw Figure 4.2's climb from 2021 beside a text that said
    transfers pointed away from Russia)."""
    s = _context("07", EDITIONS[edition])
    by_label = {w.short: w for w in outlook.watch_list(s)}
    checked = 0
    for key in shares.LABELS:
        c = s.findings.share(key)
        if key == "arms" or c is None or c.direction not in ("down", "up"):
            continue
        last = float(s.share_series(key).iloc[-1]["share_pct"])
        back = abs(last - c.earlier.value) <= abs(last - c.latest.value)
        side = "mixed" if back else {"down": "partners", "up": "patron"}[c.direction]
        assert by_label[shares.LABELS[key].lower()].toward == side, (key, last, c)
        checked += 1
    assert checked >= 2
    west = [w for w in by_label.values() if w.toward == "partners"]
    text = outlook.watch_text(s).markdown
    assert f"{count_word(len(west))} moved away from" in text, text
    if edition == "default":
        assert by_label["money transfers"].toward == "mixed"


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_the_count_names_every_indicator_once_and_why_some_show_no_direction(edition):
    """Section 7's count accounts for each row of Table 7.1 once, in plain words: an indicator
    left out of the count says why (no comparable earlier window, or little or no change), not
    'not placed' or 'counted on neither side'."""
    s = _context("07", EDITIONS[edition])
    items = outlook.watch_list(s)
    t = outlook.tally(s)
    text = outlook.watch_text(s).markdown.replace("\\", "")
    assert sorted(t.away + t.toward + t.mixed + t.unplaced) == sorted(w.short for w in items)
    assert t.unplaced, "no indicator without a direction: the case this test is for"
    for w in items:
        assert text.count(w.short) == 1, (w.short, text)
    assert [name for name, _ in t.why] == list(t.unplaced)
    for name, why in t.why:
        assert f"{name} ({why})" in text, text
        # that a change in size is not counted is the table's note's to say (once)
        assert why == ("the same number in place"
                       if "deployments" in name else "no comparable earlier window"
                       if name == "gas imports" else why)
    assert "not placed" not in text and "neither side" not in text


def test_the_paradox_names_what_grew_and_what_fell():
    """Section 6 says which series grew, and adds the one that fell, instead of 'the economic
    ties grew' beside a 44% fall in non-commercial transfers; the paragraph of figures gives
    each series once and leaves the summing-up to the section's "What the data say"."""
    s = _context("06", {})
    figures = consequences.paradox_summary(s).markdown
    assert "Economic ties" not in figures
    assert "well above their 2021 level" not in figures  # said in the intro and the summary
    assert "a fall of 44%" in figures
    says = consequences.data_limits(s).markdown
    assert "were well above their 2021 level in 2022–2024, although" in says
    # and how it fell: from a peak above the base year, which the chart shows
    assert "non\\-commercial transfers, after a peak in 2022, ended below their 2021 level" in says


def test_an_update_that_changes_a_verdict_says_so():
    s = _context("08", {})
    updates = s.ev.claim_updates
    changed = updates[updates["verdict"].notna()]
    assert len(changed) >= 1  # C20, from 12 June 2024
    for claim_id, verdict, day in zip(changed["claim_id"], changed["verdict"], changed["date"],
                                      strict=True):
        assert f"Verdict from {day.day} {day:%b %Y}: {verdict}." in ledger._after(s, claim_id)
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


def test_steps_before_the_exercise_are_not_called_an_answer_to_it():
    """Section 1: Russia's three steps of 4-8 September 2023 came before the exercise began on
    the 11th; the text says so instead of 'answered'."""
    from analysis.builders import ally

    text = ally.signals_text(_context("01", {})).markdown
    assert "on 4–8 September 2023, before the exercise began." in text, text
    assert "answered" not in text


def test_an_update_resting_on_annual_figures_is_dated_by_its_year():
    """C23's update rests on the 2024 trade rows (their release is the only source the cut
    adds): '2024: …', not the made-up day '31 Dec 2024'; a dated statement keeps its day."""
    s = _context("08", {})
    assert "25 Jun 2024: Russia's deputy prime minister said" in ledger._after(s, "C23")
    assert " 2024: Russia's share" in ledger._after(s, "C23")
    assert "31 Dec 2024" not in ledger._after(s, "C23")
    assert ledger._after(s, "C06").startswith("3 Oct 2023: ")


@pytest.mark.parametrize("as_of, later", [("2023-03-20", False), ("2023-03-25", True)])
def test_the_icc_steps_began_before_the_warrant_and_went_on_only_once_known(as_of, later):
    """The government's bill (29 December 2022) came before the court's warrant: the section
    says the steps began before it, and that they continued only once a later step is known."""
    s = _context("06", {"as_of": as_of})
    intro = consequences.intro(s).markdown
    summary = consequences.icc_summary(s).markdown
    assert "begun before the court issued an arrest warrant" in intro
    assert ("and continued after it" in intro) is later
    assert summary.startswith("Armenia's government approved a bill to ratify the Rome Statute")
    assert ("no further step by Armenia toward the court since the warrant" in summary) \
        is not later


@pytest.mark.parametrize(("as_of", "table"), [(None, True), ("2022-09-18", False)])
def test_the_alliance_text_introduces_table_3_1_when_there_are_counts_to_show(as_of, table):
    """The subsection opened on Table 3.1, before any sentence about it (an outside reader): its
    text now comes first and points to the table when the edition shows it (not before the
    evidence base knows of the attack and its counts)."""
    import nbformat

    from analysis import start_section
    from analysis.builders import involvement

    cells = [c.source for c in nbformat.read(sections.get("03").path, as_version=4).cells]
    assert cells.index("involvement.alliance_summary(s)") < cells.index(
        "involvement.attack_losses(s)") < cells.index("involvement.alliance_chart(s)")
    s = start_section("03", {"as_of": as_of} if as_of else {})
    said = involvement.alliance_summary(s).markdown
    assert ("each side's count of its own losses is in Table 3.1" in said) is table
    assert (type(involvement.attack_losses(s)).__name__ == "Table") is table


def test_every_loss_table_marks_a_count_read_in_a_copy():
    """Table 3.1's counts were read in news copies (medium): its cells carry the mark, as those
    of Tables 2.2 and 7.3 do, not only the source titles under it (the legend says 'figures
    marked †', so the figures must be)."""
    from analysis import start_section
    from analysis.builders import involvement

    table = involvement.attack_losses(start_section("03", {}))
    people = {(r[0], r[1]): r[2] for r in table.rows}
    assert people[("Armenia", "Killed or missing")] == "207\u2020"
    assert people[("Azerbaijan", "Military killed")] == "80\u2020"
    assert "A \u2020 marks medium confidence" in table.source


@pytest.mark.parametrize("as_of, changes", [("2024-03-01", None), ("2024-07-01", "two changes"),
                                            ("2026-04-17", "five changes")])
def test_figure_7_2_labels_the_changes_the_key_findings_name(as_of, changes):
    """The timeline's note counts the changes of the shift as the key finding does: none
    before the key finding names the shift (it needs two steps). The fighting is labelled next
    (the offensive of September 2023 was left unlabelled); the caption only says what the chart
    holds."""
    from analysis import start_section

    s = start_section("07", {"as_of": as_of})
    figure = outlook.after_article_timeline(s)
    note, caption = figure.note, figure.caption
    steps = s.findings.break_steps
    assert "labelled" not in caption.lower() and "the fighting" in note
    if changes is None:
        assert len(steps) < 2 and "shift" not in note
    else:
        assert note.startswith(f"Labelled: the {changes} of the shift named in the key findings"
                               ", the fighting")
        assert changes.startswith({2: "two", 5: "five"}[len(steps)])


@pytest.mark.parametrize("params, expected", [
    ({"as_of": "2020-11-12"}, None),
    ({"as_of": "2023-09-15"}, ("set up on Armenia's border with Azerbaijan from November 2020. "
                               "The evidence base holds no count of their personnel.")),
    ({"as_of": "2024-05-14"}, "which they were to leave under a decision announced in May 2024"),
    ({"rival": "Georgia"}, None), ({"focus": "Georgia"}, None)])
def test_table_1_1_says_which_russian_posts_it_leaves_out(params, expected):
    """Russia's border posts on the line with Azerbaijan (from November 2020) have no published
    strength: Table 1.1 names them in its note instead of a row, from the day they are known,
    with their source on the table's source line; another rival's edition says nothing."""
    from analysis import start_section
    from analysis.builders import ally

    s = start_section("01", params)
    text, cited = ally._posts_not_counted(s)
    if expected is None:
        assert text == "" and cited == []
    else:
        assert expected in text
        assert "tass_fsb_posts_2020" in set(pd.concat(cited)["source_id"])


@pytest.mark.parametrize("params, expected", [
    ({}, ("the conflict itself: the fighting, the ceasefires and the steps around them. It ends "
          "on 20 September 2023; what followed between Armenia and Azerbaijan")),
    ({"as_of": "2010-06-01"}, "the dated events involving both Armenia and Azerbaijan. It ends"),
    ({"rival": "Georgia"}, None)])
def test_figure_2_1_is_introduced_as_what_it_shows(params, expected):
    """The sentence before Figure 2.1 says what the timeline places and where it ends, as its
    caption does (the conflict, or only the events involving both countries); nothing when the
    cast has no such events and no timeline follows."""
    from analysis import start_section
    from analysis.builders import roots

    text = roots.conflict_intro(start_section("02", params)).markdown
    assert (text == "") if expected is None else (expected in text)


def test_the_key_findings_point_to_figure_1_2_only_when_it_is_a_figure():
    """The windows are explained in Figure 1.2's note; an edition whose dependence shares have
    no window (start_year 2021) has no such figure, so the key findings explain them in full."""
    from analysis import start_section
    from analysis.builders import summary

    for given, has_figure in (({}, True), ({"start_year": 2021, "as_of": "2024-06-01"}, False)):
        s = start_section("00", given)
        assert bool(s.findings.dependence) is has_figure
        text = summary.conventions(s).markdown
        assert ("the note to Figure 1.2 says how the windows are chosen" in text) is has_figure
        assert ("set against the window ten years earlier" in text) is not has_figure


def test_deployments_in_table_7_1_move_from_the_article_and_exercises_do_not_count():
    """An outside reader found the 2024 withdrawals (peacekeepers, Zvartnots, Agarak) missing
    from Table 7.1: the year before 17 April 2026 held none of them. Past the article, the
    deployments are compared with its day; an exercise running on either day (Eagle Partner
    2023 was) is named but does not move the count. The 2023 edition, of the article's date,
    keeps the year before it."""
    late = {w.short: w for w in outlook.watch_list(_context("07", {}))}
    assert late["Russia's deployments"].toward == "partners"
    assert late["Russia's deployments"].trend.startswith("After the article of 15 September 2023:")
    assert late["partners' deployments"].toward == "flat"
    assert "Eagle Partner 2023 ended" in late["partners' deployments"].trend
    early = {w.short: w for w in outlook.watch_list(_context("07", {"as_of": "2023-09-15"}))}
    assert early["partners' deployments"].trend.startswith("In the last year:")
    assert early["partners' deployments"].toward == "partners"


def test_the_turn_names_eaeu_membership_only_once_it_happened():
    """The turn's paragraph said 'Membership of the bloc followed in October 2014' for an
    edition between the accession treaty and membership: the latest bloc step was the treaty.
    Membership is named by its anchor (January 2015), under its own name."""
    from analysis.builders import loyalty

    early = loyalty.turn_text(_context("04", {"as_of": "2014-11-01"})).markdown
    late = loyalty.turn_text(_context("04", {})).markdown
    assert "membership followed" not in early
    assert "The latest step toward the bloc by 1 November 2014: Armenia signs EAEU accession " \
        "treaty (October 2014)." in early
    assert "EAEU membership followed in January 2015" in late
    assert "left EAEU membership intact" in late


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_every_event_of_a_timeline_is_in_its_table(edition):
    """Figures 1.3 and 2.1 label a few of their events; Tables 1.2 and 2.1 list them all, in
    date order, and each figure's note points to its table (outside readers could not tell
    what the unlabelled dots were)."""
    import re

    from analysis.builders import ally, roots

    for key, chart, table, name in (("01", ally.road_to_september, ally.road_steps, "Table 1.2"),
                                    ("02", roots.conflict_timeline, roots.conflict_events,
                                     "Table 2.1")):
        s = _context(key, EDITIONS[edition])
        figure, listed = chart(s), table(s)
        shown = int(re.search(r"(\d+) (?:steps|dated events)", figure.caption)[1])
        assert len(listed.rows) == shown, (key, figure.caption)
        assert listed.number == name[6:] and name in figure.note
        dates = [_day_of(r[0]) for r in listed.rows]
        known = [d for d in dates if d is not None]
        assert known == sorted(known)


def _day_of(when: str):
    """The first day of a table's date ('3 March 2022', '11–20 September 2023', '20 October –
    19 December 2022', '12 December 2022 – 24 September 2023'); None for a year or a month."""
    import re

    if " – " in when:
        first, last = when.split(" – ")
        return pd.Timestamp(first if re.search(r"\d{4}", first) else f"{first} {last[-4:]}")
    span = re.fullmatch(r"(\d+)–\d+ (\w+ \d{4})", when)
    if span:
        return pd.Timestamp(f"{span[1]} {span[2]}")
    return pd.Timestamp(when) if re.fullmatch(r"\d+ \w+ \d{4}", when) else None


def test_a_claim_resting_on_a_later_release_names_it_as_the_charts_do():
    """The 2023 edition's ledger left the SIPRI register out of C08's sources (a release of
    2025): a reader saw a reasoning about the register and no register among the sources. The
    ledger now names it by its publisher and points to the data note, as a chart's source line
    does; the 2026 edition, for which it is not later, lists it in full."""
    from analysis.builders import ledger
    from analysis.report import LATER_RELEASE

    def sources(overrides, claim):
        return [r.label for c in ledger.claim_objects(_context("08", overrides))
                if c.id == claim for r in c.sources]

    early, late = sources({"as_of": "2023-09-15"}, "C08"), sources({}, "C08")
    assert f"SIPRI (Stockholm International Peace Research Institute), {LATER_RELEASE}" in early
    assert not any("Arms Transfers Database" in label for label in early)
    assert any("Arms Transfers Database" in label for label in late)


def test_a_survey_share_turns_back_by_the_rule_of_the_shares():
    """Respondents naming Russia a top threat: 15% (Nov-Dec 2021), a peak of 40% (Dec 2023),
    29% (Feb 2026) has undone 11 of the 25 points, less than half: it still points away from
    Russia, by the same rule that counts money transfers (65% in 2024) as turned back."""
    items = {w.short: w.toward for w in outlook.watch_list(_context("07", {}))}
    assert items["the share of respondents naming Russia a top threat"] == "partners"
    assert items["money transfers"] == "mixed"


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_arms_finding_says_when_a_newer_register_exists(edition):
    """'Still supplied' only while the register in the evidence base is the newest release the
    edition knows of; once SIPRI has released a newer one (the 2026 edition), the finding says
    so beside the year the copy ends."""
    from analysis.builders.summary import summary

    s = _context("00", EDITIONS[edition])
    first = next(line for line in summary(s).markdown.splitlines() if "arms imports in" in line)
    newer = s.findings.register_newer
    assert newer is (edition == "default")
    assert ("still supplied" in first) is not newer
    assert ("SIPRI has since released later years" in first) is newer


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_paradox_finding_points_to_the_findings_that_give_its_shares(edition):
    """The findings on arms and on trade give both shares over the paradox's windows: the
    paradox names them by number instead of stating the same figures again."""
    from analysis.builders.summary import summary

    lines = summary(_context("00", EDITIONS[edition])).markdown.splitlines()
    paradox = next(line for line in lines if "opposite directions" in line)
    arms = next(i for i, line in enumerate(lines, 1) if line[3:].startswith("Russia") and
                "arms imports in" in line)
    assert lines[arms].startswith(f"{arms + 1}. Trade with Russia")
    assert paradox.startswith(f"{arms + 2}. By these shares (findings {arms} and {arms + 1})")
    assert "points" not in paradox and "%" not in paradox


def test_the_shift_is_argued_in_section_7_with_what_did_not_change():
    """Section 7 points back to key finding 1's reading of the shift (it said it again word for
    word: an outside reader) and to where its changes are labelled and dated, instead of listing
    them again, and sets against it the patron's deployments still in place on the edition's
    date."""
    from analysis.builders.summary import shift_headline, shift_pointer, shift_reading
    from analysis.measures.presence import active_on, standing

    s = _context("07", {})
    text = outlook.after_article_text(s).markdown
    assert (shift_pointer(s.findings) + "; each is labelled in Figure 7.2 and dated in Table "
            "7.3.") in text
    assert ("Key finding 1 reads five of these events as the changes that mark a shift in "
            "Armenia's alignment in 2024–2025;") in text
    # the reading and the list are the key finding's, not said again in its words
    assert shift_reading(s.findings) not in text and shift_headline(s.findings) not in text
    dep = s.ev.deployments
    stayed = active_on(dep, [s.p.patron], s.p.as_of, kinds=standing(dep))
    assert len(stayed) >= 1
    assert "Against that reading" in text
    assert all(name in text.replace("\\", "") for name in stayed["name"])
    # and the unions led by Russia that Armenia stayed in, as the data record them
    assert text.endswith("and the evidence base records no formal exit by Armenia from the EAEU "
                         "or the CSTO.")
    iran = outlook.after_article_text(_context("07", {"patron": "Iran"})).markdown
    assert "EAEU" not in iran and "CSTO" not in iran


@pytest.mark.parametrize(("as_of", "said"), [
    (None, ("Over the same period three of Russia's deployments ended (Table 1.1), one of them "
            "in Azerbaijan, the last in December 2024.")),
    ("2024-05-01", None)])  # withdrawing, not yet gone: no deployment has ended
def test_a_deployment_that_ended_abroad_is_told_apart(as_of, said):
    """The peacekeepers' departure from Nagorno-Karabakh is counted among the patron's
    deployments that ended; the sentence says one of them stood in Azerbaijan (an outside reader
    took every ending for a step by Armenia) and points to the table that names them (a second
    found them named twice)."""
    text = outlook.after_article_text(_context("07", {"as_of": as_of} if as_of else {}))
    text = text.markdown.replace("\\", "")
    if said:
        assert said in text
    else:
        assert "deployments ended" not in text and "in Azerbaijan" not in text


@pytest.mark.parametrize(("as_of", "home", "finding"), [
    (None, "; in Armenia itself, two against four (Table 1.1)",
     "Russia's deployments, three of which ended, two of them in Armenia itself;"),
    # the peacekeepers were there on both days: the count abroad did not move it
    ("2023-09-15", None, None),
    # the only ending so far was abroad (a reviewer found 'one of which ended, none of them')
    ("2024-07-15", "; in Armenia itself, four against four (Table 1.1)",
     "Russia's deployments, one of which ended, outside Armenia;")])
def test_the_deployments_indicator_says_how_it_moved_on_the_focus_countrys_own_soil(
        as_of, home, finding):
    """An outside reader found the indicator counting the peacekeepers' exit from Azerbaijan as
    Armenia moving away from Russia: when a deployment abroad moves the count, the row gives
    the count in the focus country too, and key finding 1 says how many of the endings were
    there."""
    from analysis.builders import summary

    s = _context("07", {"as_of": as_of} if as_of else {})
    row = next(w for w in outlook._presence_watch(s) if w.short == "Russia's deployments")
    first = summary.measured(outlook.tally(s), s.findings).replace("\\", "")
    if home:
        assert row.stands.endswith(home), row.stands
        assert finding in first
    else:
        assert "itself" not in row.stands and "itself" not in first


@pytest.mark.parametrize(("as_of", "shown"), [(None, True), ("2023-11-01", False)])
def test_the_toll_counts_the_fuel_depot_explosion_once_its_count_is_published(as_of, shown):
    """The explosion during the flight killed more people than the offensive's own counts (an
    outside reader found it missing from the toll): its row, and the table's note says which
    explosion (the table reads on its own: a second reader); an edition before the
    investigators' count of 22 December 2023 shows neither."""
    s = _context("07", {"as_of": as_of} if as_of else {})
    table = outlook.offensive_toll(s)
    rows = {r[1]: r for r in table.rows}
    intro = outlook.toll_intro(s).markdown.replace("\\", "")
    said = ("The explosion: the fuel depot explosion near Stepanakert, 25 September 2023, during "
            "the flight (Table 7.3); the evidence base records no cause.")
    assert (said in (table.note or "")) is shown
    assert "explosion" not in intro
    if shown:
        assert rows["Killed in an explosion"][:5] == [
            "Nagorno-Karabakh", "Killed in an explosion", "at least 218\u2020",
            "Investigative Committee of Armenia", "22 Dec 2023"]
        assert list(rows).index("Killed in an explosion") < list(rows).index("Displaced")
    else:
        assert "Killed in an explosion" not in rows


@pytest.mark.parametrize(("as_of", "kept"), [(None, "kept at least two deployments"),
                                             ("2020-06-01", "kept four deployments")])
def test_the_patrons_count_of_deployments_is_a_floor_while_posts_are_left_out(as_of, kept):
    """Table 1.1 leaves out Russia's temporary posts on the border with Azerbaijan (from November
    2020; no headcount, no date of their departure): the key finding's count is then 'at least'
    (an outside reader found it stated as settled beside the table's note); before the posts,
    the count is exact and Table 1.1 has no such note."""
    from analysis.builders import ally
    from analysis.builders.summary import summary

    overrides = {"as_of": as_of} if as_of else {}
    found = summary(_context("00", overrides)).markdown
    assert f"Russia {kept}" in found
    note = ally.security_presence(_context("01", overrides)).note
    assert ("Not listed: the temporary posts" in note) is (as_of is None)


def test_the_count_of_indicators_says_the_trade_one_reads_gross_flows():
    """The one indicator toward Russia is trade, whose 2024 rise section 6 reads as goods
    passing through: the count beside Table 7.1 says so, not only the key finding (an outside
    reader found the rise read as re-alignment)."""
    text = outlook.watch_text(_context("07", {})).markdown
    assert ("and one toward it (trade). The one toward Russia counts gross flows, re-exports "
            "included, so its rise may reflect goods passing through Armenia as much as closer "
            "ties with Russia (section 6).") in text
    # the count names its indicators; what the split means is the closing box's to say
    assert "caught in the middle" not in text


def test_the_trade_indicator_says_where_each_flow_stands():
    """Russia's share of trade can rise while its share of exports falls: Table 7.1 gives both
    flows' shares in the latest year beside the share of trade."""
    watch = outlook._share_watch(_context("07", {}), "trade")
    assert "24% of exports, 54% of imports (section 6)" in watch.stands


def test_a_deployments_row_counts_standing_ones_and_lists_exercises_apart():
    """Table 7.1's note says exercises are listed, not counted, and that an indicator with no
    change names the last one: the partners' row (2026) says when a standing deployment last
    began or ended, then lists the exercises apart."""
    rows = {w.short: w for w in outlook._presence_watch(_context("07", {}))}
    partners = rows["partners' deployments"]
    assert partners.trend.startswith("none has begun or ended since February 2023; exercises after")
    assert "Eagle Partner 2024" in partners.trend and partners.toward == "flat"


def test_a_survey_row_says_how_much_of_its_move_the_latest_wave_undid():
    """Half decides whether a survey's turn counts: the row gives the share undone."""
    threat = outlook._threat_watch(_context("07", {}))
    assert "; the latest wave has undone 44% of the rise" in threat.trend
    # the other repeated question of that survey moved back toward Russia in the same wave (a
    # reader asked why the row follows one of the two): said beside it
    # the waves named ('from the wave before to that one' puzzled a reader)
    assert threat.trend.endswith("; from Dec 2023 to Feb 2026, the share naming Russia a top "
                                 "political partner went from 34% to 43%")
    assert threat.toward == "partners"  # less than half undone: still away from Russia


def test_a_gdp_series_that_stops_early_says_so_in_the_note():
    """Figure 6.2's note gives GDP in dollars for scale; where that series stops before the
    growth figures beside it (the 2026 edition: 2023 against 2024), it says so."""
    import matplotlib.pyplot as plt

    for overrides, stops in (({}, True), ({"as_of": "2023-09-15"}, False)):
        fig = consequences.paradox_chart(_context("06", overrides))
        plt.close("all")
        assert ("the last year of that series in this evidence base" in fig.note) is stops


def test_sections_name_the_ledger_verdicts_only_once_the_article_exists():
    """Sections 3 and 4 refer to the claim ledger's verdicts on the claims placed in them (the
    corridor: C14, C15, C16 and C19; the 2013 turn: C17), and an edition dated before the
    article, which has no ledger, does not (section 4 once did)."""
    from analysis.builders import involvement, loyalty

    s3, s4 = _context("03", {}), _context("04", {})
    corridor = involvement.takeaway(s3).markdown
    assert ("The claim ledger (Appendix A) rates each of the article's claims on the corridor: "
            "*supported* (C14) and *partly supported* (C15, C16 and C19).") in corridor, corridor
    assert "rates it *partly supported* (C17)" in loyalty.turn_text(s4).markdown
    early = {"as_of": "2023-01-01"}
    for text in (involvement.takeaway(_context("03", early)).markdown,
                 loyalty.turn_text(_context("04", early)).markdown):
        assert "ledger" not in text and "(C1" not in text, text


def test_section_2_answers_its_question_from_the_spending_gap_on_the_eve_of_the_war():
    """Section 2 asks whether the military balance foretold the 2020 war: its summary sets the
    spending multiple of 2019 against the years before that SIPRI counts the same way. It said
    'the smallest since 2010', a narrowing made mostly by Azerbaijan's 2011–2015 figures, which
    count special allocations the later years do not (an outside reader): from 2016 the multiple
    went from 3.2 in 2017 to 2.6. An edition dated before the war says nothing of it."""
    from analysis import indicators
    from analysis.builders import roots

    s = _context("02", {})
    gap = indicators.spending_ratio(s.ev.military_expenditure, s.p.rival, s.p.focus)
    at = dict(zip(gap["year"], gap["ratio"], strict=True))
    assert max(range(2016, 2019), key=at.get) == 2017 and at[2019] < min(at[y] for y in
                                                                        range(2016, 2019))
    text = roots.takeaway(s).markdown
    assert (f"in 2019, the last year before the war of 2020, Azerbaijan spent {at[2019]:.1f} "
            f"times Armenia's, down from {at[2017]:.1f} times in 2017: its lead had narrowed in "
            "the years just before the war (from 2016 on, after the years SIPRI counts "
            "differently, 2011–2015; see the note to Figure 2.2)") in text, text
    assert "since 2010" not in text
    # the section's other measure beside it, which points the other way (an outside reader:
    # the box gave only the constant-dollar one)
    burden = roots.gdp_share_comparison(s.ev.military_expenditure, "Armenia", "Azerbaijan")
    assert (f"in constant dollars Azerbaijan outspent Armenia in every one of the {len(gap)} "
            f"years from 2000 to 2024, though as a share of GDP Armenia spent more in "
            f"{burden['higher']} of them (Figure 2.2);") in text, text
    assert "narrowed" not in roots.takeaway(
        _context("02", {"as_of": "2019-06-01"})).markdown


@pytest.mark.parametrize(("edition", "said"), [
    # a position, not a move (an outside reader took 'back by at least half of that fall' for a
    # recovery, while 2024 itself fell from 69% in 2023)
    ("default", ("though in 2024 alone it was 65%†, midway between its 2013–2017 and "
                 "2020–2024 levels")),
    ("2023-09-15", "though in 2022 alone it was 69%†, above its 2013–2017 level")])
def test_a_share_that_turned_back_says_so_beside_its_windows(edition, said):
    """Money transfers: the windows show a fall, the latest year has undone half of it or more
    (Table 7.1 counts them on neither side). Key finding 5 says so beside the windows, and the
    2023 edition's section 1, where transfers are one of the largest moves, says so too (an
    outside reader found 'fell 10 points' beside a table that said 'neither way'); so does the
    default edition's, where they are not (a later reader took 'fell' for lasting)."""
    from analysis.builders import ally, summary

    f = _context("00", EDITIONS[edition]).findings
    assert f.turned("remittances") and not f.turned("trade")
    found = " ".join(k.text for k in summary.key_findings(f))
    assert said in found, found
    section1 = ally.dependence_text(_context("01", EDITIONS[edition])).markdown
    # the year is the last of the latest window: a turn inside it, not 'since' (a third
    # outside reader)
    # (the year before, when the latest fell back from it: a reader)
    year, window, share = {"default": ("2024", "2020–2024", "65%, midway between its 2013–2017 and 2020–2024 levels, down from 69% in 2023"),
                           "2023-09-15": ("2022", "2018–2022", "69%, above its 2013–2017 level")
                           }[edition]
    assert (f"In {year}, the last year of the {window} window, Russia's share of money transfers "
            f"was {share}") in section1, section1
    assert section1.count("the last year of the") == 1


def test_an_indicator_counted_on_a_side_says_how_far_its_latest_reading_went_back():
    """The threat share counts as moved away from Russia (its latest wave undid less than half
    of the rise: Table 7.1 gives the margin), and key finding 1 says how far it went back, in
    numbers (an outside reader took the count to ignore the latest wave; a later one could not
    read 'undid 44% of the rise' without the table's note); the 2023 edition has no turn."""
    from analysis.builders import summary
    from analysis.prose import md

    s = _context("00", {})
    threat = next(w for w in outlook.watch_list(s) if "threat" in w.short)
    assert threat.toward == "partners"
    assert threat.partly == ("which rose from 15%\u2020 in Nov-Dec 2021 to 40%\u2020 in Dec 2023, "
                             "though it was 29%\u2020 in Feb 2026")
    assert "the latest wave has undone 44% of the rise" in threat.trend
    text = summary.measured(outlook.tally(s), s.findings)
    assert f"the share of respondents naming Russia a top threat, {md(threat.partly)}. One" \
        in text, text
    # the group's list in a sentence of its own, not a bracket holding clauses (an outside reader)
    # the flows named: 'no share series' took in the survey's, which runs past 2024 (a reader)
    # where each ends ('end by 2024' let a reader take all four to reach 2024: a reader)
    assert ("give a more mixed picture, and Russia's shares of trade and money transfers end in "
            "2024, the year of the first three changes, and of arms imports and gas imports in "
            "2023 and 2022, before any of them. Three moved away from Russia: arms imports; ") in \
        text, text
    assert " One moved toward it (trade); one points neither way for now" in text
    early = _context("00", EDITIONS["2023-09-15"])
    assert not outlook.tally(early).partly


def test_the_votes_are_read_before_and_from_the_first_change_of_the_shift():
    """Did Armenia's UN votes move with the shift the key findings read? Section 5 counts its
    votes from the first change (22 February 2024) and before it (an outside reader found
    abstentions after the shift and no word on them); an edition before the shift does not."""
    from analysis.builders import balancing

    s = _context("05", {})
    start = pd.Timestamp(s.findings.break_steps[0][0])
    whole, _ = balancing.topic_votes(s.ev.un_votes[s.ev.un_votes["country"] == "Armenia"])
    after = whole[whole["date"] >= start]["vote"].value_counts()
    assert (after.get("yes"), after.get("abstain"), len(whole[whole["date"] >= start])) == (2, 3, 5)
    text = balancing.votes_text(s).markdown
    # named by what happened that day (a third outside reader found 'the first of the changes
    # the key findings read as a shift' hard to follow)
    assert ("Since the freeze of Armenia's participation in the CSTO on 22 February 2024, it "
            "voted yes twice and abstained three times in five resolutions; in the eight "
            "resolutions before, it had voted yes once. Abstaining stayed its most common "
            "vote.") in text
    assert "Since the freeze" not in balancing.votes_text(
        _context("05", EDITIONS["2023-09-15"])).markdown


def test_the_trade_finding_carries_the_limit_section_6_states():
    """'Trade with Russia boomed' is said with its limit (goods passing through cannot be told
    from goods made or used in Armenia), which section 6's summary gives in full."""
    from analysis.builders import summary

    s = _context("00", {})
    trade = next(k.text for k in summary.key_findings(s.findings) if "boomed" in k.text)
    assert trade.endswith("although the trade records cannot tell goods made or used in Armenia "
                          "from goods passing through it (Figure 1.2, section 1; section 6).")
    limits = consequences.data_limits(_context("06", {})).markdown
    assert "passed through it on the way to Russia" in limits


@pytest.mark.parametrize(("edition", "said"), [
    # the one deployment that published a figure, named: its count is not the deployments'
    # (an outside reader took the Gyumri base's count for Russia's total)
    ("default", ("only the Russian 102nd military base \\(Gyumri\\) has a published headcount: "
                 "3,083 personnel (undated).")),
    # a ceiling beside a count, not added to it (an outside reader: 'about 5,000' added them)
    # each figure named with its deployment, not added up as one total (an outside reader)
    ("2023-09-15", ("Two of the five have a published figure: the Russian 102nd military base "
                    "\\(Gyumri\\), 3,083 personnel (undated); and the Russian peacekeeping "
                    "contingent in Nagorno\\-Karabakh, a mandate's ceiling of 1,960."))])
def test_section_1_dates_its_headcounts_as_the_key_findings_do(edition, said):
    """Section 1's sum of headcounts says which of them are undated (Table 1.1's n.d.), in the
    key findings' words, and names the partners that came without making them all the partners
    (a third outside reader found '3,083 personnel' without its n.d., and 'Armenia's partners,
    the European Union and the United States' beside a cast of four; a later one, that both
    seemed to have sent missions and held exercises)."""
    from analysis.builders import ally, summary

    s = _context("01", EDITIONS[edition])
    text = ally.presence_text(s).markdown
    assert said in text, text
    found = " ".join(k.text for k in summary.key_findings(s.findings))
    # the findings mark the medium-confidence headcount as Table 1.1 does ('3,083†'); the
    # section's prose, as everywhere, leaves marks to the findings and the tables
    number, rest = said.split(" personnel", 1)
    number = number.rsplit(" ", 1)[-1]
    assert f"{number}\u2020 personnel{rest.split(' (')[0]}" in found, found
    assert len(s.p.partners) == 4
    # each partner with what it did, not 'two of Armenia's partners, the EU and the US, have
    # sent two deployments and held joint exercises' (read as if both had done both)
    assert "the European Union has sent two deployments (monitoring missions) and the United " \
        "States has held" in text, text


@pytest.mark.parametrize("edition", list(EDITIONS))
def test_table_5_1_names_in_its_caption_only_the_partners_that_delivered(edition):
    """A caption that named all four partners read as if each had delivered something."""
    from analysis.builders import balancing

    table = balancing.new_partners(_context("05", EDITIONS[edition]))
    caption, note = table.caption, table.note
    delivered = {"default": ["France", "India"], "2023-09-15": ["India"]}[edition]
    assert caption.endswith(f"by {' and '.join(delivered)} (SIPRI register)"), caption
    assert note.startswith("None recorded from the United States"), note


def test_a_share_past_its_earlier_level_says_it_undid_the_whole_move():
    """2023 edition: money transfers' latest year (69%) is above the 2013–2017 average (67%);
    Table 7.1 says so in words ('stands past' read as jargon to an outside reader)."""
    s = _context("07", EDITIONS["2023-09-15"])
    row = next(w for w in outlook.watch_list(s) if w.short == "money transfers")
    assert row.toward == "mixed"
    assert row.trend.endswith("2013–2017 to 2018–2022 (67% to 57%; Figure 1.2); the latest "
                              "year is above its 2013–2017 level")
    assert row.stands.startswith("69% in 2022")


def test_a_turned_share_gives_its_latest_year_in_one_column_only():
    """Table 7.1 said the latest year and that it stood above the window's average in both its
    columns (an outside reader's finding); where it stands says it once, and the trend gives the
    two averages as Figure 1.2 prints them and how far back the latest year is, in key finding
    5's words (a second reader found 65.5% there beside 65% in the findings)."""
    from analysis.builders import summary

    s = _context("07", EDITIONS["default"])
    row = next(w for w in outlook.watch_list(s) if w.short == "money transfers")
    assert row.stands.startswith("65% in 2024 (Figure 4.2), above its share over 2020–2024")
    # where the latest year stands, then the year before ('midway' after '69% in 2023' read
    # as that year's: a reader)
    assert row.trend == ("down, 2013–2017 to 2020–2024 (67% to 63%; Figure 1.2); the latest "
                         "year is midway between its 2013–2017 and 2020–2024 levels, down from "
                         "69% in 2023")
    assert "65" not in row.trend and "above" not in row.trend
    found = " ".join(k.text for k in summary.key_findings(s.findings))
    assert "65%†, midway between its 2013–2017 and 2020–2024 levels" in found


def test_a_contested_count_shows_both_readings_and_whose_the_other_is():
    """Contested figures keep each side's value: SOHR's 541 Syrian fighters killed stands with
    Azerbaijan's denial that any were there (an outside reader found the count alone), and the
    note says where the other reading comes from."""
    from analysis.builders import roots

    table = roots.war_losses(_context("02", {}))
    row = next(r for r in table.rows if r[0] == "Syrian fighters recruited for Azerbaijan")
    # a denial that any were sent is not a count of none killed (a later outside reader)
    assert row[2] == "541\u2020 (denied)"  # SOHR's count, read in a copy: medium
    assert ("Contested: Syrian fighters recruited for Azerbaijan, whose presence another record "
            "denies "
            "(Reuters, 28 September 2020: Azerbaijan denies") in table.note, table.note
    assert all("(" not in r[2] for r in table.rows if r is not row)
    assert table.align[2] == "right"  # still a column of counts
    # each medium count carries the mark in its cell, and the note under the long source line
    # says what the mark means (an outside reader found only 'some figures are…')
    assert next(r for r in table.rows if r[1] == "Civilians killed" and r[0] ==
                "Nagorno-Karabakh")[2] == "80\u2020"  # the ombudsman's count, read in Aravot
    assert "A \u2020 marks medium confidence: read in a secondary copy" in table.source
    assert "\u2020. \u2020" not in table.source  # the legend never follows a source's own mark


@pytest.mark.parametrize(("latest", "said"), [
    (65.47, "midway between its 2013–2017 and 2020–2024 levels"),  # 65 beside 67 and 63
    (66.2, "nearer its 2013–2017 level than its 2020–2024 one"),
    (67.1, "back at its 2013–2017 level"),
    (69.0, "above its 2013–2017 level")])
def test_where_a_turned_share_stands_is_said_by_the_points_printed_beside_it(latest, said):
    """A position, not a move (an outside reader took 'back by at least half of that fall' for a
    recovery, while 2024 fell from 69%), and judged by the whole points the reader sees: 65%
    beside 67% and 63% is midway, although 65.47 is nearer 66.90."""
    from analysis.measures.result import Change, Measure

    earlier = Measure("remittances", "Money transfers", 66.90, "%", "2013–2017", 5)
    later = Measure("remittances", "Money transfers", 63.15, "%", "2020–2024", 5)
    assert phrasing.undone(Change(earlier, later), latest) == said


def test_the_reading_refers_a_share_counted_on_neither_side_to_the_finding_that_gives_it():
    """Key finding 1 tallies Table 7.1; money transfers, counted on neither side, are given with
    their windows and latest year in a later finding, which it names instead of restating them
    (an outside reader found the tally's own wording for them impossible to parse)."""
    from analysis.builders.summary import summary

    lines = summary(_context("00", EDITIONS["default"])).markdown.splitlines()
    given = next(line for line in lines if "money transfers received through banks" in line)
    number = given.split(".")[0]
    assert f"one points neither way for now (money transfers, see finding {number})" in lines[0]
    assert "65%" not in lines[0] and "65%" in given


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_trade_finding_gives_both_directions_as_section_6_does(edition):
    """'Trade with Russia boomed' hid that Russia's share of Armenia's exports fell after 2022
    while its share of imports rose (an outside reader): the finding gives both in the last
    year Figure 6.4 shows, from the rows that figure and its sentence read."""
    from analysis.builders import summary

    f = _context("00", EDITIONS[edition]).findings
    year, out, into, _ = f.trade_flows_latest
    trade = next(k.text for k in summary.key_findings(f) if "boomed" in k.text)
    said = (f"(in {year} it supplied {into:.0f}%† of Armenia's imports and took {out:.0f}%† of "
            "its exports)")
    assert said in trade
    rows = consequences.flow_shares(_context("06", EDITIONS[edition]))
    last = rows[rows["year"] == rows["year"].max()].set_index("flow")["share_pct"]
    assert int(rows["year"].max()) == year
    assert (last["exports"], last["imports"]) == pytest.approx((out, into))


@pytest.mark.parametrize(("overrides", "stands"), [
    ({}, "midway between its 2013–2017 and 2020–2024 levels"),
    # 69% in 2022 against 67% and 57%: past the earlier level, neither midway nor nearer it
    ({"as_of": "2023-09-15"}, "above its 2013–2017 level")])
def test_a_share_that_points_neither_way_says_where_its_latest_reading_stands(overrides, stands):
    """The outlook's count said of money transfers 'its latest reading stands midway between the
    two levels compared or nearer the earlier one' (the rule, not the reading); in the 2023
    edition the reading had gone past the earlier level (an outside reader)."""
    text = outlook.watch_text(_context("07", overrides)).markdown
    assert (f"One, money transfers, points neither way for now: its latest reading stands "
            f"{stands}.") in text


@pytest.mark.parametrize(("as_of", "caption_end"), [
    (None, "(constant 2023 US dollars)"),
    # the 2023 prices came with a release of 2025: an edition of 2023 could not name them
    ("2023-09-15", "(constant US dollars)")])
def test_figure_2_3_names_a_price_base_only_the_edition_could_know(as_of, caption_end):
    from analysis.builders import roots

    figure = roots.spending_gap(_context("02", {"as_of": as_of} if as_of else {}))
    assert figure.caption.endswith(caption_end), figure.caption


def test_a_change_without_a_price_implies_one_from_the_last_price_stated():
    """April 2013's source gives a rise of 50% on USD 180, not the new price; the price after
    the turn (about 190) fell against the 270 that implies, which the text had left out (an
    outside reader). Only a row without a price and with a change in per cent implies one."""
    import numpy as np

    from analysis.builders import loyalty

    rows = pd.DataFrame({"price_usd_per_1000m3": [180, np.nan, np.nan, 190, np.nan, np.nan],
                         "change_pct": [np.nan, 50, 10, np.nan, np.nan, -10]})
    implied = loyalty.implied_prices(rows).tolist()
    # one change on another chains (270, then 10% more); a change without a percentage leaves
    # the price unknown until the next stated one
    assert implied[1] == 270 and round(implied[2], 6) == 297
    assert np.isnan(implied[4]) and np.isnan(implied[5])
    assert [loyalty.change_word(r) for _, r in rows.iterrows()] == [
        "change", "rise", "rise", "change", "change", "cut"]


@pytest.mark.parametrize(("after", "said", "summary"), [
    ([190, 165], "about 30% below that implied price", "less"),
    ([300, 320], "about 11% above that implied price", "more"),
    ([270, 150], "about the same as that implied price", None)])
def test_the_price_after_the_turn_is_set_against_the_implied_one_either_way(
        monkeypatch, after, said, summary):
    """The first price after the turn is said to stand below, above or level with the price the
    change before the turn implies; the section's summary says 'less' or 'more' only when every
    price after the turn stayed on that side (a review: a later price of 300 was still called
    less)."""
    import numpy as np

    from analysis.builders import loyalty

    rows = pd.DataFrame({
        "effective_from": pd.to_datetime(["2010-01-01", "2013-04-01", "2013-12-01",
                                          "2015-01-01"]),
        "price_usd_per_1000m3": [180, np.nan, *after], "change_pct": [np.nan, 50, np.nan, np.nan],
        "is_approximate": False, "confidence": "high", "date_precision": "month",
        "change": ["set", "raised by 50% from USD 180", "set", "set"]})
    monkeypatch.setattr(loyalty, "_gas_prices",
                        lambda s: rows.assign(implied=loyalty.implied_prices(rows)))
    monkeypatch.setattr(loyalty, "turn_event", lambda s: {"date": pd.Timestamp("2013-09-03")})
    moved = loyalty.gas_after_turn(None)
    assert moved["implied"]["price"] == 270
    assert loyalty._against_implied(moved["implied"]) == f", {said}"
    assert moved["implied"]["all"] == {"less": "below", "more": "above", None: None}[summary]


@pytest.mark.parametrize(("overrides", "said"), [
    ({}, ("In April 2013, five months before the turn, the price was raised by 50% from USD "
          "180\u2020; its source does not state the new price, about USD 270 by our "
          "arithmetic. After the turn (Table 4.1) it was about USD "
          "190\u2020 from December 2013 (set as Gazprom took full ownership of Armenia's gas "
          "network), about 30% below that implied price; USD 165\u2020 from 2015; at its lowest, "
          "USD 150\u2020, from 7 April 2016; and USD 165\u2020 from 1 January 2019.")),
    ({"as_of": "2023-09-15"}, "and USD 165\u2020 from 1 January 2019."),
    ({"as_of": "2013-06-01"}, ""),  # no price after a turn not yet taken
])
def test_section_4_gives_the_gas_price_before_and_after_the_turn(overrides, said):
    """'The price of loyalty' had the gas prices in its evidence base and showed none (an outside
    reader: the title's cost is never measured). Table 4.1 lists them, cut at the edition's
    date, a change whose price its source does not state included as such. The text gives the
    prices after the turn with what came with the first, the rise before the turn first (set
    against the last price stated, 180 in 2010, the first price after the turn read as a rise:
    a later reader), the price in force from the change that set it (not from 2024, when a
    source cited it). Another patron's cast gets none of Russia's prices."""
    from analysis.builders import loyalty

    s = _context("04", overrides)
    text = loyalty.gas_price_text(s).markdown
    assert said in text and bool(text) == bool(said), text
    rows = [tuple(r[:2]) for r in loyalty.gas_price_table(s).rows]
    assert rows[0] == ("1 April 2006", "110\u2020") and (rows[-1][0] == "2024") == (not overrides)
    # known from its source's date (11 September 2013), not from the day it took effect
    assert (("April 2013", "not stated (about 270 implied)") in rows) == (
        overrides.get("as_of") != "2013-06-01")
    iran = _context("04", {"patron": "Iran"})
    assert "records no price Armenia paid for Iran's gas" in loyalty.gas_price_table(iran).markdown
    assert loyalty.gas_price_text(iran).markdown == ""


@pytest.mark.parametrize(("edition", "said"), [
    # the rest of the total, not two rounded parts that do not add up to it (a later reader)
    ("default", "(all but 29 of them in 2019 alone, the rest in 2022)"),
    ("2023-09-15", "(all but 29 of them in 2019 alone, the rest in 2022)")])
def test_a_rise_in_the_patrons_arms_made_by_one_year_says_what_came_after_it(edition, said):
    """Key finding 5 said Russia's deliveries 'rose in volume, from 109 to 256 TIV million (228 of
    them in 2019 alone)': an outside reader found a single delivery followed by near-silence
    read as a trend. The finding names the windows and what came after the peak year."""
    from analysis.builders import summary

    s = _context("00", EDITIONS[edition])
    text = " ".join(k.text for k in summary.key_findings(s.findings))
    assert said in text, text
    assert " TIV million in 2009–2013 to 257 million in 2019–2023 " in text or edition != "default"


@pytest.mark.parametrize(("overrides", "shown"), [
    ({}, True), ({"as_of": "2023-12-01"}, True), ({"as_of": "2023-09-15"}, False),
    ({"patron": "Iran"}, False)])
def test_section_3_tests_its_question_at_the_offensive_the_peacekeepers_were_deployed_for(
        overrides, shown):
    """'Did Russia's role protect Armenia?': the offensive of September 2023 took the region
    Russia's peacekeepers were deployed in, and some of them were killed under fire (an outside
    reader found the offensive only among section 7's tables). An edition before it says
    nothing of it; another patron's cast is not given Russia's peacekeepers."""
    from analysis.builders import involvement

    text = involvement.ceasefire_summary(_context("03", overrides)).markdown
    said = ("Azerbaijan's offensive of 19 September 2023 took the region they were deployed in: "
            "on 20 September 2023 a vehicle of the Russian peacekeeping contingent came under fire")
    assert (said in text) == shown, text


def test_a_lone_published_headcount_is_named_as_its_own():
    """Of three deployments running, one publishes a headcount: its figure is that deployment's,
    named, not the deployments' (an outside reader took the Gyumri base's 3,083 for Russia's
    total); with two figures, or none missing, nothing is named."""
    from analysis.measures.presence import headcounts

    day = pd.Timestamp("2024-01-01")
    rows = pd.DataFrame({
        "deployment_id": ["A", "B", "C"], "name": ["Base", "Guards", "Posts"],
        "deployer": ["X"] * 3, "host": ["Y"] * 3, "kind": ["base", "border", "border"],
        "start_date": pd.to_datetime(["2000-01-01"] * 3), "end_date": pd.NaT,
        "personnel_persons": [3000.0, None, None], "personnel_basis": ["count", None, None],
        "source_id": ["s1", "s2", "s3"], "confidence": ["medium", "high", "high"]})
    published = pd.Series([pd.NaT, pd.Timestamp("2001-01-01"), pd.NaT],
                          index=["s1", "s2", "s3"])
    assert headcounts(rows, published, ["X"], day).alone == "Base"
    two = rows.assign(personnel_persons=[3000.0, 200.0, None])
    assert headcounts(two, published, ["X"], day).alone == ""
    assert headcounts(rows.iloc[:1], published, ["X"], day).alone == ""


@pytest.mark.parametrize(("edition", "rated"), [
    ("default", ("*supported* when the article appeared and *partly supported* from 12 June "
                 "2024 (C20).")),
    ("2023-09-15", "*supported* (C20).")])
def test_a_verdict_that_changed_since_the_article_says_what_it_was(edition, rated):
    """Section 5's box gave C20's verdict as of the edition: 'partly supported' in 2026,
    'supported' in 2023, with nothing to say it had changed (an outside reader comparing the
    editions). It says what the verdict was and from when it changed, from the update that
    changed it; its steps are 'between' Armenia and the partners, 'by one side or both' (some
    are Armenia's own acts, some the partners'), and the box lists no kinds the table may not
    hold (it promised 'agreements, arms sales, missions and exercises' beside a statement and
    two laws: a third outside reader)."""
    from analysis.builders import balancing

    text = balancing.takeaway(_context("05", EDITIONS[edition])).markdown
    assert text.endswith("rates the article's claim on diversification " + rated), text
    assert "steps between Armenia and the United States, the European Union" in text
    assert " from 2017 on, by one side or both (Table 5.2)" in text
    assert "tied it to" not in text and "toward each other" not in text
    assert "None of the steps is a commitment to its defence" in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_section_7_sets_out_the_cost_so_far_by_date_not_by_cause(edition):
    """The title promises the cost of the shift; no section set it out (an outside reader).
    Section 7 dates, in two lists, the setbacks while Russia was Armenia's ally and what came
    from Russia while Armenia took steps toward other partners (the 2013 gas rise, in the
    EU talks, belongs there: a second outside reader), each in date order and pointing to where
    it is shown; says neither list says what caused what (not that they 'overlap in time':
    the 2013 rise overlaps nothing); and says what the data cannot show (in the closing box,
    not again here)."""
    from analysis.builders.consequences import patron_reactions

    s = _context("07", EDITIONS[edition])
    text = outlook.costs(s).markdown.replace("\\", "")
    assert text.startswith("The evidence base dates these setbacks for Armenia: "), text
    setbacks, _, rest = text.partition("It also dates what came from Russia as Armenia took "
                                       "steps toward other partners: ")
    order = ["in September 2022", "from December 2022 (section 3)",
             "arms paid for and not received"]
    if edition == "default":
        order.append("offensive of September 2023 and the flight that followed (Table 7.2)")
    assert [setbacks.index(o) for o in order] == sorted(setbacks.index(o) for o in order), text
    assert rest.startswith("a rise in the price of Russia's gas in April 2013, during Armenia's "
                           "talks with the EU, before the turn later that year (lower after the "
                           "turn; Table 4.1)"), text
    reactions = patron_reactions(s, pd.Timestamp.min, pd.Timestamp(s.p.as_of))
    where = "(section 6; Table 7.3)" if edition == "default" else "(section 6)"
    assert (f"{count_word(len(reactions))} diplomatic reactions by Russia to Armenia's steps in "
            f"the evidence base, from March 2023 to {reactions['date'].max().day} ") in rest, rest
    assert where in rest, rest
    assert text.endswith("Neither list says what caused what."), text
    # what the data cannot show: once, in the closing box (the paragraph had said it too)
    box = outlook.takeaway(s).markdown
    lag = ("whether the flows measured here moved after those changes, or whether hedging had "
           "an economic price: the shares of trade and money transfers end in 2024, the year of "
           "the first three changes, and of arms imports and gas imports in 2023 and 2022, before "
           "any of them," in box)
    assert lag is (edition == "default")
    assert "economic price" not in text
    # the restrictions on record are counted among what came from Russia, shown in Table 6.1,
    # and the box says what the evidence base does not record of them (an outside reader: it
    # had said it tracked none, though the ones on record were public)
    restricted = ("two announced restrictions on Armenia's goods, from March 2023 to June 2025 "
                  "(Table 6.1)" if edition == "default" else
                  "an announced restriction on Armenia's goods in March 2023 (Table 6.1)")
    assert restricted in rest, rest
    assert box.endswith("and the evidence base records trade restrictions, not their cost."), box
    if not lag:
        assert ("or whether hedging has had an economic price: the share series end in 2022, "
                "and the evidence base") in box, box


def test_the_cost_so_far_is_left_out_for_another_patron():
    """With another patron, nothing of Russia's gas, alliance, peacekeepers or words is its
    cost: the evidence base holds none of Iran's, and the part is left out; the box says the
    evidence base records no restriction of Iran's, not that it tracks none (a review: it
    records Russia's)."""
    s = _context("07", {"patron": "Iran"})
    assert outlook.costs(s).markdown == ""
    box = outlook.takeaway(s).markdown
    assert "records no trade restriction by Iran on Armenia's goods by" in box, box
    assert "does not track trade restrictions" not in box


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_road_to_september_stops_at_the_article(edition):
    """Figure 1.3 and Table 1.2 ran on to November 2023 in an edition that knew what followed,
    repeating six rows of section 7's events (an outside reader): they stop at the article's
    date, and the note points to section 7's figure once there is something after it."""
    from analysis.builders import ally

    s = _context("01", EDITIONS[edition])
    fig = ally.road_to_september(s)
    steps = ally._road(s)[1]  # the figure's and its table's steps
    assert steps["date"].max() <= pd.Timestamp("2023-09-15")
    assert "what followed" not in fig.caption
    assert ("Figure 7.2 shows what followed the article" in fig.note) is (edition == "default")


@pytest.mark.parametrize(("edition", "where"), [("default", "in Armenia ("),
                                                ("2023-09-15", "in and around Armenia (")])
def test_the_patrons_deployments_are_around_the_country_only_while_one_is_abroad(edition, where):
    """'In and around Armenia' while a deployment stood outside it (the peacekeepers, in
    Azerbaijan, until June 2024); once both that remain are in Armenia, 'in Armenia' (an
    outside reader)."""
    from analysis.builders import summary

    s = _context("00", EDITIONS[edition])
    text = next(k.text for k in summary.key_findings(s.findings) if "deployments" in k.text)
    assert f"deployments\u2020 {where}" in text, text


def test_the_road_to_september_and_its_table_name_the_same_publishers():
    """Figure 1.3 and Table 1.2 show the same steps; their source lines named different
    publishers, the rows coming in another order (an outside reader)."""
    from analysis.builders import ally

    s = _context("01", {})
    figure = ally.road_to_september(s)
    ally.signals_chart(s)
    table = ally.road_steps(s)
    assert figure.source == table.source and figure.source.startswith("Sources: ")


SAID_BESIDE = {
    "2026-04-17": ("In Feb 2026 about as many respondents counted the United States as Russia "
                   "among the top political partners (42% and 43%); in Dec 2023 fewer had "
                   "counted Russia than France, the United States and Iran."),
    "2023-09-15": ("In Jan\\-Mar 2023 fewer respondents counted Russia among the top political "
                   "partners than France, Iran and the United States; in Nov\\-Dec 2021 Russia "
                   "had been counted more often than France, the United States and Iran."),
    "2022-06-30": ("In Nov\\-Dec 2021 Russia was counted among the top political partners more "
                   "often than France, the United States and Iran (57% against 50% for "
                   "France)")}


@pytest.mark.parametrize("as_of", list(SAID_BESIDE))
def test_the_patron_is_set_beside_the_other_partners_its_survey_names(as_of):
    """An outside reader: by February 2026 Russia was again the most-named political partner,
    a point ahead of the United States, after trailing France, the United States and Iran in
    December 2023 (the low of its line). Set beside the countries the evidence base holds,
    compared with the wave its line turned at, close shares said as close, and no rank claimed
    (the reports read name some answers only)."""
    text = outlook.opinion_text(_context("07", {"as_of": as_of})).markdown
    assert SAID_BESIDE[as_of] in text


def test_a_survey_whose_waves_were_done_in_different_ways_says_so():
    """IRI polled by phone in Nov-Dec 2021 and Feb 2026 and face to face in Jan-Mar 2023: the
    rise and fall of a share across those waves may be the mode's doing (an outside reader).
    Figure 7.1's note says which waves were done how, from the data; one mode says nothing."""
    rows = pd.DataFrame({
        "survey": ["IRI Public Opinion Survey"] * 4 + ["CRRC Caucasus Barometer"] * 2,
        "wave": ["Aug 2018", "Nov-Dec 2021", "Jan-Mar 2023", "Feb 2026", "2019", "2021"],
        "fieldwork_date": pd.to_datetime(["2018-08-01", "2021-11-22", "2023-01-23",
                                          "2026-02-03", "2019-07-01", "2021-07-01"]),
        "mode": [None, "phone", "face-to-face", "phone", "face-to-face", "face-to-face"]})
    assert outlook.mode_note(rows) == (
        " IRI's waves were not all done the same way: by phone in Nov-Dec 2021 and Feb 2026, "
        "face to face in Jan-Mar 2023 (the others' mode is not recorded here); a change of mode "
        "can move the shares by itself.")
    shown = outlook.opinion_chart(_context("07", {}))
    assert ("IRI's waves were not all done the same way: by phone in Nov-Dec 2021 and Feb 2026"
            in shown.note)


def test_alt_texts_give_the_values_a_reader_of_the_chart_sees():
    """Four charts' alt texts named only their kind, or left out the peak the key findings rest
    on (a reader of the HTML): each now gives the values at the chart's right-hand end, each
    period's leader or the labelled peak."""
    from analysis.builders import loyalty, outlook, roots

    assert "In 2024: Armenia 5.5%, Azerbaijan 5.0%." in roots.spending(_context("02", {})).alt
    assert ("Largest supplier: Georgia 72% in 2000–04; Ukraine 67% in 2005–09; Russia 80% in "
            "2010–14; Israel 60% in 2015–19. The 2020–23 bar rests on incomplete data."
            in roots.arms_suppliers(_context("02", {})).alt)
    assert ("Latest values: arms imports (5-year) 81% in 2023; trade 41% in 2024; gas imports 87% "
            "in 2022; money transfers 65% in 2024." in
            loyalty.shares_over_time(_context("04", {})).alt)
    assert ("Russia among top threats: 15% in Nov-Dec 2021, 40% at its peak in Dec 2023, 29% in "
            "Feb 2026." in outlook.opinion_chart(_context("07", {})).alt)
