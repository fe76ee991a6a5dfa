"""Column widths for PDF tables: line counts and the search for the shortest table."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.export.table_widths import INSET_CHARS, candidates, height, lines

words = st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=12), max_size=30)


@given(words, st.integers(min_value=4, max_value=80), st.integers(min_value=0, max_value=20))
def test_a_wider_column_never_takes_more_lines(text, width, more):
    cell = " ".join(text)
    assert lines(cell, width + more) <= lines(cell, width)


def test_lines_wrap_words_greedily_and_keep_explicit_breaks():
    assert lines("aaa bbb ccc", 7 + INSET_CHARS) == 2  # "aaa bbb" / "ccc"
    assert lines("aaa bbb ccc", 11 + INSET_CHARS) == 1
    assert lines("one\ntwo", 40) == 2
    assert lines("", 10) == 1


def _fr(widths: list[str]) -> list[int]:
    return [int(w[:-2]) if w.endswith("fr") else 0 for w in widths]


def test_short_columns_fit_their_content_and_long_ones_share_the_rest():
    rows = [["A", "x" * 5 + " " + "word " * 12, "12"]]
    for widths in candidates(["Key", "Text", "N"], rows):
        assert widths[0] == widths[2] == "auto" and widths[1].endswith("fr")
    assert candidates(["A", "B"], [["short", "cells"]]) == [["auto", "auto"]]


def test_the_search_offers_a_shorter_table_than_the_proportional_start():
    """A column of one long remark and a column of middling text: shares in proportion to the
    text squeeze the middling column; the search gives it width while that saves lines."""
    remark = "word " * 40
    middling = "some middling text of about sixty characters in every row"
    table_rows = [[middling, remark]] + [[middling, "short"]] * 6
    found = candidates(["Middling", "Remark"], table_rows)
    start, shorter = found[0], found[1]
    table = [["Middling", "Remark"], *table_rows]

    def estimate(widths):
        fr = _fr(widths)
        return height(table, [round(100 * f / sum(fr)) for f in fr])

    assert estimate(shorter) < estimate(start)


def test_no_column_is_narrower_than_its_longest_word():
    long_word = "Internationalisation"
    rows = [[f"{long_word} " + "text " * 10, "y " * 60, "z " * 60, "w " * 60]]
    for widths in candidates(["A", "B", "C", "D"], rows):
        fr = _fr(widths)
        for line in (100, 120):
            assert line * fr[0] / sum(fr) >= len(long_word) + INSET_CHARS - 1


def test_one_long_cell_in_a_column_of_short_ones_may_wrap():
    """Table 1.2's dates: one span ('12 December 2022 – 24 September 2023') among single dates
    kept the whole column that wide (an 'auto' column), and six rows of the events column beside
    it wrapped; the column may now wrap that one cell instead. A column of cells alike in length
    still fits its content."""
    dates = ["2 March 2022", "12 December 2022 – 24 September 2023", *["13 September 2022"] * 8]
    rows = [[d, "Armenia votes against suspending Russia from the Council of Europe", "Kind"]
            for d in dates]
    found = candidates(["Date", "What happened", "Kind"], rows)
    assert all(w[0].endswith("fr") and w[2] == "auto" for w in found), found
    even = [["12 December 2022 – 24 September 2023", "text " * 12, "x"]] * 3
    assert all(w[0] == "auto" for w in candidates(["Date", "Text", "K"], even))
