"""Computations behind sections 5 (balancing act) and 7 (outlook), on small hand-made frames."""

import itertools

import pandas as pd
import pytest

from analysis import charts
from analysis.builders import balancing, outlook
from analysis.builders._common import short_publisher


def arms(rows):
    return pd.DataFrame(rows, columns=["recipient", "supplier", "year", "tiv_m", "source_id",
                                       "confidence"])


# ---------------------------------------------------------------------- HHI
def test_concentration_marks_windows_with_low_confidence_rows():
    frame = arms([("A", "R", 2001, 50.0, "s", "high"), ("A", "F", 2001, 50.0, "s", "low"),
                  ("A", "R", 2006, 10.0, "s", "high"), ("B", "R", 2005, 1.0, "s", "high")])
    out = balancing.concentration(frame, ["A", "B", "C"], window=5)
    a = out[out["country"] == "A"].set_index("year")
    assert a.loc[2005, "hhi"] == 5000
    assert a.loc[2005, "confidence"] == "low"
    assert a.loc[2006, "hhi"] == 10000  # 2002-2006: only R's 2006 delivery
    assert a.loc[2006, "confidence"] == "high"
    # years the table covers count as zero for everyone: B's 2005 delivery fills the windows
    # ending 2005 and 2006; C has no data: no rows, no error
    assert list(out.loc[out["country"] == "B", "year"]) == [2005, 2006]
    assert set(out["country"]) == {"A", "B"}
    assert balancing.concentration(frame.iloc[0:0], ["A"]).empty


# ---------------------------------------------------------------------- votes
def test_vote_counts_and_wording():
    votes = pd.DataFrame({"country": ["A", "A", "A", "A", "B"],
                          "topic": ["ukraine", "ukraine", "ukraine", "other", "ukraine"],
                          "vote": ["abstain", "abstain", "yes", "no", "yes"]})
    assert balancing.vote_counts(votes, "A") == {"yes": 1, "abstain": 2, "no": 0, "absent": 0}
    assert balancing.vote_counts(votes, "Z") == {"yes": 0, "abstain": 0, "no": 0, "absent": 0}
    assert balancing.plural(1, "resolution") == "one resolution"
    assert balancing.plural(3, "resolution") == "three resolutions"  # house style: words
    assert balancing.plural(11, "resolution") == "11 resolutions"
    assert balancing.times(2) == "twice"


# ---------------------------------------------------------------------- diversification steps
def test_diversification_steps_keep_partner_steps_and_prefer_deployments():
    events = pd.DataFrame({
        "event_id": ["E1", "E2", "E3", "E4", "E5"],
        "date": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-01-01", "2023-02-20",
                                "2019-01-01"]),
        "end_date": pd.NaT, "date_precision": "day", "category": ["security", "security", "diplomacy", "security",
                                         "security"],
        "actors": ["A;India", "A;India;Russia", "A;EU;Z", "EU;A", "A;India"],
        "title": ["deal", "with patron", "with rival", "mission starts", "old"],
        "section": [5, 5, 5, 5, 4], "source_id": "s", "confidence": "high"})
    deps = pd.DataFrame({
        "deployment_id": ["D1", "D2"], "name": ["Mission", "Base"], "deployer": ["EU", "Russia"],
        "host": ["A", "A"], "start_date": pd.to_datetime(["2023-02-20", "2000-01-01"]),
        "end_date": pd.NaT, "source_id": "s", "confidence": "high"})
    out = balancing.diversification_steps(events, deps, "A", "Z", "Russia", ("EU", "India"))
    assert list(out["event_id"]) == ["E1", "D1"]
    assert list(out["partner"]) == ["India", "EU"]
    assert out["title"].iloc[1] == "Mission begins"  # a step, not a name
    assert list(out["no"]) == [1, 2]


# ---------------------------------------------------------------------- outlook indicators


def test_supplier_windows_step_back_from_the_latest_window():
    from analysis.measures.windows import Window

    frame = arms([("A", "Russia", 2012, 1.0, "s", "high"), ("A", "India", 2021, 1.0, "s", "high"),
                  ("A", "Jordan", 2019, 1.0, "s", "high"), ("B", "Russia", 2009, 1.0, "s", "high")])
    out = balancing.supplier_windows(frame, "A", "Russia", ("France", "India"),
                                     Window(2019, 2023))
    # windows 2009-2013 (Russia's 2012 delivery), 2014-2018 (nothing), 2019-2023; the table
    # starts in 2009, so 2004-2008 is not drawn
    assert list(out["period"]) == ["2009–2013", "2019–2023", "2019–2023"]
    assert dict(zip(out["supplier"], out["group"], strict=True)) == {
        "Russia": "Russia", "India": "India", "Jordan": "Other suppliers"}


def test_outlook_helpers():
    events = pd.DataFrame({"event_id": ["a", "b", "c"],
                           "date": pd.to_datetime(["2023-09-15", "2023-09-19", "2024-02-22"])})
    assert list(outlook.after(events, "2023-09-15")["date"].dt.day) == [19, 22]
    assert outlook.when("2024-01-01", "month") == "January 2024"
    assert outlook.when("2024-01-01", "year") == "2024"
    assert outlook.when("2024-01-03", "day") == "3 January 2024"
    assert short_publisher("SIPRI (Stockholm International Peace Research "
                                   "Institute)") == "SIPRI"
    assert short_publisher("Statistical Committee of Armenia (Armstat)") == "Armstat"
    assert short_publisher("Council of the EU") == "Council of the EU"


def test_a_separate_paragraph_vote_is_not_a_resolution():
    votes = pd.DataFrame({"resolution": ["A/RES/77/284", "A/RES/77/284 \u00b69", "A/RES/ES-11/1"],
                          "country": ["A", "A", "A"], "topic": ["ukraine"] * 3,
                          "vote": ["yes", "abstain", "abstain"]})
    assert balancing.is_paragraph_vote("A/RES/77/284 \u00b69")
    assert not balancing.is_paragraph_vote("A/RES/77/284")
    assert balancing.vote_counts(votes, "A") == {"yes": 1, "abstain": 1, "no": 0, "absent": 0}
    whole, para = balancing.topic_votes(votes)
    assert list(para["resolution"]) == ["A/RES/77/284 \u00b69"] and len(whole) == 2


def test_vote_grid_labels_drop_a_tier_only_when_neighbours_would_touch():
    """Column labels that would run into each other (twelve votes with long symbols) alternate
    between two tiers; a grid whose labels fit keeps one."""
    import matplotlib.pyplot as plt

    from analysis import charts

    def grid(symbols):
        votes = pd.DataFrame({"resolution": symbols, "country": "Armenia", "vote": "yes",
                              "confidence": "high",
                              "date": pd.date_range("2014-03-01", periods=len(symbols),
                                                    freq="90D")})
        fig = charts.vote_grid(votes, ["Armenia"], size=(6.6, 1.3))
        labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
        plt.close(fig)
        return labels

    crowded = grid([f"A/79/L.{n}5 x" for n in range(12)])
    assert crowded[1].startswith("\n\n") and not crowded[0].startswith("\n")
    roomy = grid(["68/262", "ES-11/1", "ES-11/2"])
    assert not any(label.startswith("\n") for label in roomy)


# ---------------------------------------------------------------------- UN votes
def _votes(rows):
    return pd.DataFrame(rows, columns=["resolution", "date", "title_short"]).assign(
        date=lambda f: pd.to_datetime(f["date"]))


def test_vote_selection_names_only_the_kinds_the_edition_holds():
    early = _votes([("A/RES/68/262", "2014-03-27", "Territorial integrity of Ukraine")])
    text = balancing._vote_selection(early)
    assert "the one of March 2014 on Ukraine's territorial integrity" in text
    assert "emergency special session" not in text and "Council of Europe" not in text  # later
    assert "Other General Assembly texts that name Russia or Ukraine are not in" in text
    assert "Crimea" not in text  # nothing the 2014 edition could not know
    later = _votes([*early.itertuples(index=False),
                    ("A/RES/ES-11/1", "2022-03-02", "Aggression against Ukraine"),
                    ("A/RES/ES-11/4", "2022-10-12", "Territorial integrity of Ukraine (annexations)"),
                    ("A/RES/77/284", "2023-04-26", "UN-Council of Europe cooperation"),
                    ("A/RES/77/284 ¶9", "2023-04-26", "Separate vote (Council of Europe text)")])
    text = balancing._vote_selection(later)
    assert "the one of March 2014" in text  # the annexations resolution is the session's
    assert "two adopted at the emergency special session on Ukraine since 2022" in text
    one = balancing._vote_selection(later.iloc[:2])
    assert "the one adopted at the emergency special session on Ukraine in 2022" in one
    assert "the one on cooperation with the Council of Europe that names" in text  # ¶ not counted
    assert balancing._vote_selection(later.iloc[0:0]) == ""


def test_votes_in_favour_name_each_subject_once_with_its_months():
    def yes(*rows):
        return pd.DataFrame(rows, columns=["title_short", "date"]).assign(
            date=lambda f: pd.to_datetime(f["date"]))

    coe = "UN-Council of Europe cooperation (names Russian aggression)"
    peace = "“The path to peace” (United States draft, as amended)"
    assert balancing._votes_in_favour(yes()) == ""
    assert balancing._votes_in_favour(yes((coe, "2025-04-16"), (coe, "2023-04-26"))) == (
        " Both of its votes in favour were on the same subject, UN–Council of Europe cooperation "
        r"\(April 2023 and April 2025\), rather than on the war itself.")
    three = balancing._votes_in_favour(yes((coe, "2025-04-16"), (peace, "2025-02-24"),
                                           (coe, "2023-04-26")))
    assert three == (" Its votes in favour were on UN–Council of Europe cooperation "
                     r"\(April 2023 and April 2025\) and “The path to peace” \(February 2025\).")
    assert balancing._votes_in_favour(yes((peace, "2025-02-24"))).startswith(
        " Its only vote in favour was on “The path to peace”")


def test_a_line_not_to_compare_is_dashed_from_its_first_weak_point():
    """Figure 5.1 dashes the rival's windows that hold years the register is likely incomplete
    for: one solid and one dashed piece, joined at the last solid point, one legend entry."""
    import matplotlib.pyplot as plt

    from analysis import charts

    frame = pd.DataFrame({"country": ["A"] * 5 + ["B"] * 5, "year": list(range(2018, 2023)) * 2,
                          "hhi": [9000, 8000, 7000, 6000, 5000, 4000, 4100, 4200, 4300, 4400]})
    fig = charts.lines(frame, "year", "hhi", "country", "HHI", dashed_from={"B": 2020})
    ax = fig.axes[0]
    pieces = {(tuple(line.get_xdata()), line.get_linestyle()) for line in ax.get_lines()}
    plt.close(fig)
    assert ((2018, 2019, 2020, 2021, 2022), "-") in pieces  # A: solid throughout
    assert ((2018, 2019), "-") in pieces and ((2019, 2020, 2021, 2022), "--") in pieces
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["A", "B"]
    # the end of the dashed line, a value the note says not to compare, carries no label
    assert sorted(t.get_text() for t in ax.texts) == ["5,000"]
    # every point weak (a late start year): one dashed line, one legend entry
    fig = charts.lines(frame, "year", "hhi", "country", "HHI", dashed_from={"B": 2000})
    ax = fig.axes[0]
    styles = sorted(line.get_linestyle() for line in ax.get_lines())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    assert styles == ["-", "--"] and labels == ["A", "B"]


def test_lines_ending_at_one_point_and_value_share_one_end_label():
    """Figure 7.1's IRI panel ended in two stacked '50%' labels of one colour: which was which?
    Now one label says two lines end there; distinct ends keep their own labels."""
    import matplotlib.pyplot as plt

    from analysis import charts, theme

    fig, ax = theme.new_figure((4, 3))
    ax.plot([1, 2], [40, 50], color="C0")
    ax.plot([1, 2], [60, 50.2], color="C0")
    ax.plot([1, 2], [10, 20], color="C0")
    charts.label_ends(ax, [(2, 50, "C0"), (2, 50.2, "C0"), (2, 20, "C0")], "{:.0f}%")
    labels = sorted(t.get_text() for t in ax.texts)
    plt.close(fig)
    assert labels == ["20%", "50% (two lines)"]


def test_points_inside_a_panel_are_labelled_apart_to_their_right():
    """Figure 7.1: a line that ends early and the peak and low the text names, all at one
    wave (31%, 34%, 40%), get three labels right of that wave, at least the gap apart."""
    import matplotlib.pyplot as plt

    from analysis import charts, theme

    fig, ax = theme.new_figure((4, 3))
    ax.set_ylim(0, 100)
    charts.label_points(ax, [(2, 31, "C0"), (2, 34, "C1"), (2, 40, "C2"), (2, 40, "C2")],
                        "{:.0f}%", gap_pt=9)
    fig.canvas.draw()
    boxes = sorted((t.get_window_extent() for t in ax.texts), key=lambda b: b.y0)
    texts = sorted(t.get_text() for t in ax.texts)
    x0 = ax.transData.transform((2, 0))[0]
    plt.close(fig)
    assert texts == ["31%", "34%", "40%"]  # a point given twice is labelled once
    assert all(b.x0 > x0 for b in boxes)
    assert all(b.y0 >= a.y1 - 0.5 for a, b in itertools.pairwise(boxes))


@pytest.mark.parametrize(("as_of", "shown"), [("2023-09-15", True), ("2023-04-30", False)])
def test_a_vote_the_records_disagree_on_keeps_both_readings(as_of, shown):
    """Azerbaijan on A/RES/77/284 (26 April 2023): not voting by a scoreboard of the vote,
    abstaining by Trend's report of 1 May 2023. From that day on, the chart's cell and the text
    give both readings, the counted one first; before it, the edition knows one record only.
    The counted reading is of low confidence (inferred from a list of abstainers without it):
    marked '?' in its cell and 'not confirmed' in the text, as any unconfirmed vote."""
    import matplotlib.pyplot as plt

    from analysis import params
    from analysis.builders import balancing
    from analysis.report import SectionContext

    s = SectionContext("05", params.resolve({"as_of": as_of}, strict=False))
    clause = ("one record has it not voting \\(not confirmed\\) on UN–Council of Europe cooperation "
              "\\(April 2023\\), another abstaining; it is counted as not voting")
    assert (clause in balancing.votes_text(s).markdown) is shown
    votes, countries = balancing._vote_countries(s)
    fig = charts.vote_grid(votes, countries)
    labels = [t.get_text() for t in fig.axes[0].texts]
    plt.close(fig)
    assert ("absent?\nor\nabstain" in labels) is shown
    assert ("absent?" in labels) is not shown
    cited = s.sources_of(votes)[0]
    assert ("trend_77284_2023" in cited) is shown


def test_a_bar_resting_on_too_little_data_shows_no_shares():
    """Figure 2.4's last period rests on a few register rows: its bar is faded and hatched and
    carries no figures (the text says the data are too few to name the main suppliers), but
    the names of its parts (the hatching hid their colours: an outside reader); the other bars
    keep their figures; the legend says what the hatching means."""
    import matplotlib.pyplot as plt

    frame = pd.DataFrame({"period": ["2010–14", "2010–14", "2015–19", "2015–19"],
                          "supplier": ["A", "B", "A", "B"], "tiv": [80.0, 20.0, 30.0, 70.0]})
    fig = charts.stacked_shares(frame, "period", "supplier", "tiv", "%", weak="2015–19")
    ax = fig.axes[0]
    figures = sorted(t.get_text() for t in ax.texts)
    hatched = [p.get_x() for p in ax.patches if p.get_hatch()]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    assert figures == ["20", "80", "A", "B"]
    assert len(hatched) == 2 and "Incomplete data" in legend


def test_the_largest_supplier_of_each_period_is_named_not_pooled_as_other():
    """Figure 2.4's 2000-04 bar was 83% "Other" (Georgia, which delivered 69 of its 83 TIV
    million, ranked below the top five over all periods): a period's leader is always named."""
    import matplotlib.pyplot as plt

    frame = pd.DataFrame({"period": ["2000–04", "2000–04", "2010–14", "2010–14", "2010–14"],
                          "supplier": ["G", "A", "A", "B", "C"],
                          "tiv": [69.0, 14.0, 900.0, 200.0, 100.0]})
    fig = charts.stacked_shares(frame, "period", "supplier", "tiv", "%", top=2)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    assert legend == ["A", "B", "G", "Other"]


def test_a_name_on_a_faded_bar_fits_the_bar_or_is_left_to_the_legend():
    """A review: 'Bosnia and Herzegovina' on one of seven bars ran past both edges. A name is
    wrapped to the bar's width (two lines where its segment has room), else left out."""
    import matplotlib.pyplot as plt

    assert charts._fitted("Turkey", 10) == "Turkey"
    assert charts._fitted("Bosnia and Herzegovina", 12, lines=2) == "Bosnia and\nHerzegovina"
    assert charts._fitted("Bosnia and Herzegovina", 10, lines=2) is None
    periods = [f"{y}–{str(y + 4)[2:]}" for y in range(1990, 2025, 5)]
    frame = pd.DataFrame({"period": periods + [periods[-1]],
                          "supplier": ["A"] * 7 + ["Bosnia and Herzegovina"],
                          "tiv": [10.0] * 6 + [5.0, 5.0]})
    fig = charts.stacked_shares(frame, "period", "supplier", "tiv", "%", weak=periods[-1])
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    slot = ax.transData.transform((1, 0))[0] - ax.transData.transform((0, 0))[0]
    widths = [t.get_window_extent(renderer).width for t in ax.texts if t.get_text() != "100"]
    plt.close(fig)
    assert widths and max(widths) <= 0.7 * slot + 4, (widths, slot)
