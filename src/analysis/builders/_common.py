"""Small helpers the section builders share."""

from __future__ import annotations

import re

import pandas as pd

from ..evidence_refs import LOSS_MEASURES, in_date_order, order_note
from ..phrasing import mark
from ..prose import date, num


def events_matching(events: pd.DataFrame, *words: str) -> pd.DataFrame:
    """Events whose title mentions any of ``words`` (case-insensitive)."""
    pattern = "|".join(words)
    return events[events["title"].str.contains(pattern, case=False, regex=True, na=False)]


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def sentence_start(text: str) -> str:
    """``text`` with its first letter capitalised and the rest as written ('exports to
    Russia' -> 'Exports to Russia'; str.capitalize would lower 'Russia')."""
    return text[:1].upper() + text[1:]


def mid_sentence(text: str) -> str:
    """``text`` to go on after a colon or an article: its first letter in lower case ('A
    vehicle …' -> 'a vehicle …', 'Fuel depot explosion' -> 'fuel depot explosion'), unless its
    first word is a name or an acronym with capitals of its own ('EU …')."""
    first = text.split(" ", 1)[0]
    return text if first[1:] != first[1:].lower() else text[:1].lower() + text[1:]


def count_word(n: int, capital: bool = False) -> str:
    """Small counts in words, as house style writes them ('two', 'Seven'); 11 and up in figures."""
    text = _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"
    return sentence_start(text) if capital else text


def how_many(n: int) -> str:
    """A count as an answer: 'none', 'one', 'two'."""
    return count_word(n) if n else "none"


def times(n: int) -> str:
    """How often, in words: 'never', 'once', 'twice', 'three times'."""
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{count_word(n)} times")


#: what a headcount is when not a count (``personnel_basis``): one, and more than one
BASIS_WORDS = {"ceiling": ("a mandate's ceiling", "mandates' ceilings"),
               "authorised": ("an authorised strength", "authorised strengths")}


def _of_them(n: int, figures: int, one: str, many: str) -> str:
    """'undated' (the only figure), 'one of them undated', 'all of them ceilings'."""
    if figures == 1:
        return one
    return f"{'all' if n == figures else count_word(n)} of them {one if n == 1 else many}"


def headcount(total: float, figures: int, undated: int, whose: str = "the", mark: str = "",
              apart: tuple[tuple[str, float, bool, str], ...] = ()) -> tuple[str, str]:
    """A presence's published headcounts added up, said one way in the key findings and in
    section 1: ('3,083 personnel by the latest published figure', 'undated'); the second part
    (for a parenthesis) says which of the ``figures`` are not counts (``apart``, Table 1.1's
    marks) and how many are undated (its n.d.), '' if none. ``mark``: the medium-confidence
    mark of the counts, after the number ('3,083† personnel').

    ``apart``: the figures that are not counts, as (basis, persons, undated, confidence). Beside
    counts they are named after them, never added to them (an outside reader: a ceiling cannot
    be added to a count): ('3,083† personnel by the latest published count (undated) and a
    mandate's ceiling of 1,960', '')."""
    from ..phrasing import mark as mark_of
    from ..prose import added_up, listing, num

    if apart and len(apart) < figures:
        n = figures - len(apart)
        late = undated - sum(1 for _, _, u, _ in apart if u)
        counted = (f"{added_up(total - sum(v for _, v, _, _ in apart), n)}{mark} personnel by "
                   f"{whose} latest published {'count' if n == 1 else 'counts'}"
                   + (f" ({_of_them(late, n, 'undated', 'undated')})" if late else ""))
        named = listing([f"{BASIS_WORDS[b][0]} of {num(v)}{mark_of(c)}"
                         + (" (undated)" if u else "") for b, v, u, c in apart], escape=False)
        return f"{counted} and {named}", ""

    # every figure of one kind or another: added up, and said which
    bases = [b for b, _, _, _ in apart]
    said = [_of_them(bases.count(b), figures, *BASIS_WORDS[b]) for b in dict.fromkeys(bases)
            if b in BASIS_WORDS]
    if undated:
        said.append(_of_them(undated, figures, "undated", "undated"))
    figure = "figure" if figures == 1 else "figures"
    return (f"{added_up(total, figures)}{mark} personnel by {whose} latest published {figure}",
            "; ".join(said))


def plural(n: int, word: str) -> str:
    """plural(1, 'resolution') -> 'one resolution'; plural(3, ...) -> 'three resolutions';
    11 and up in figures."""
    return f"{count_word(n)} {word}{'' if n == 1 else 's'}"


_THE = ("United States", "European Union", "United Kingdom", "Netherlands", "United Arab Emirates",
        "Czech Republic", "Philippines")


def country(name: str) -> str:
    """A country name as a sentence needs it: 'the United States', 'India'."""
    return f"the {name}" if name in _THE else name


def short_publisher(text: str) -> str:
    """The shorter of a publisher's name and its bracketed form:
    'SIPRI (Stockholm International Peace Research Institute)' -> 'SIPRI';
    'Statistical Committee of the Republic of Armenia (Armstat)' -> 'Armstat'."""
    found = re.search(r"\(([^)]*)\)", text)
    outside = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if found and len(found.group(1)) < len(outside):
        return found.group(1)
    return outside


#: the note every table of SIPRI units carries: what its "~" means
UNITS_NOTE = "~ = SIPRI estimate of some or all of the units."


def units_cells(units, estimates, missing: str = "n/a") -> list[str]:
    """SIPRI's delivered units for a table cell: the number, '~' before it where SIPRI
    estimates it (:data:`UNITS_NOTE`), ``missing`` where the register gives none."""
    return [missing if pd.isna(u) else ("~" if bool(e) else "") + num(u)
            for u, e in zip(units, estimates, strict=True)]


def personnel_cells(ev, rows: pd.DataFrame) -> list[str]:
    """Each deployment's headcount for a table cell: the number, 'not published', or the number
    marked '(ceiling)' or '(authorised)' when it is not a count, and '(n.d.)' when its source (a
    later count's, else the deployment's own) gives no date, so the reader knows it may be years
    old."""
    from ..measures.presence import undated_counts
    from ..phrasing import mark

    undated = undated_counts(rows, ev.sources_by_id()["date_published"])
    bases = rows["personnel_basis"] if "personnel_basis" in rows else pd.Series("", rows.index)

    def cell(value, basis, old, confidence) -> str:
        marks = [basis] if str(basis) in BASIS_WORDS else []
        marks += ["n.d."] if old else []
        return num(value) + mark(confidence) + (f" ({'; '.join(marks)})" if marks else "")

    confidence = rows["confidence"] if "confidence" in rows else pd.Series("high", rows.index)
    return ["not published" if pd.isna(v) else cell(v, b, old, c)
            for v, b, old, c in zip(rows["personnel_persons"], bases, undated, confidence,
                                    strict=True)]


def event_table(s, rows: pd.DataFrame, key: str, caption: str, note: str = ""):
    """Events one per row, in date order (Date / What happened / Kind), with the note every
    event table carries (after ``note``, the table's own); nothing (an empty text) when there
    are none, as the figure or text before it says. One for every table of events."""
    from .. import phrasing as ph

    if rows.empty:
        return s.text("")
    rows = in_date_order(rows)
    precision = rows["date_precision"] if "date_precision" in rows else ["day"] * len(rows)
    ends = rows["end_date"] if "end_date" in rows else [None] * len(rows)
    table = pd.DataFrame({
        "Date": [ph.when_span(d, e, p)
                 for d, e, p in zip(rows["date"], ends, precision, strict=True)],
        "What happened": rows["title"] + rows["confidence"].map(
            lambda c: " (unconfirmed)" if c == "low" else ""),
        "Kind": rows["category"].str.capitalize(),
    })
    # its source line names Appendix B and the title page the edition's date: the note says
    # only how rows known to a month or year are ordered, where some are
    return s.table(table, caption, data=[rows], key=key,
                   note=" ".join(n for n in (note, order_note(rows).strip()) if n) or None)


def figure_events(s, rows: pd.DataFrame, what: str, figure: str, key: str):
    """The table after a timeline that labels only some of its events: all of them ('The
    steps of Figure 1.3, in date order')."""
    from ..sections import label

    return event_table(s, rows, key, f"The {what} of {label('figure', figure)}, in date order")


def losses_table(s, rows: pd.DataFrame, caption: str, key: str, more: str = ""):
    """Rows of casualties.csv as a table, every count on its own row with who made it and when,
    never added up; a count another record contests shows both readings (the note says whose).
    ``more``: a sentence the note adds (plain text: the table's note escapes it)."""
    table = pd.DataFrame({
        **loss_cells(rows),
        "Reported by": rows["reported_by"],
        # the day of the count: a later count may differ (the reader sees which one this is)
        "Date": rows["reported_on"].map(lambda d: f"{d.day} {d:%b %Y}" if pd.notna(d) else "n.d."),
        "Official": rows["is_official"].map({True: "yes", False: "no"}),
    })
    return s.table(table, caption, data=[rows], key=key,
                   note="The counts stand side by side, not added together. Date: the day of "
                        "the count as published, or that its content gives."
                        + _contested_counts(s, rows) + (f" {more}" if more else ""))


def loss_cells(rows: pd.DataFrame) -> dict[str, list | pd.Series]:
    """The columns every loss table opens with (Tables 2.2, 3.1 and 7.3): the side, the measure
    in words (evidence_refs.LOSS_MEASURES) and the count with its confidence mark, and another
    record's reading beside a contested one."""
    other = (rows["count_persons_contested"] if "count_persons_contested" in rows
             else pd.Series(pd.NA, index=rows.index))
    # 'at least 218', 'about 90,000': a lower bound or a round figure as the source gives it
    # (an audit found both printed as exact counts)
    bound = (rows["count_qualifier"] if "count_qualifier" in rows
             else pd.Series(pd.NA, index=rows.index))
    return {
        "Side": rows["side"],
        "Measure": rows["measure"].map(
            lambda m: sentence_start(LOSS_MEASURES.get(m, m.replace("_", " ")))),
        "People": [("" if pd.isna(q) or pd.isna(v) else f"{q} ")
                   + (num(v) + mark(c) if pd.notna(v) else "")
                   + ("" if pd.isna(o) else f" ({_reading(o)})")
                   for v, c, o, q in zip(rows["count_persons"], rows["confidence"], other,
                                         bound, strict=True)],
    }


def _reading(count) -> str:
    """Another record's reading as the table says it: 'or 2,783', or 'denied' for a record of
    none (a denial that any were sent is not a count of none killed: an outside reader)."""
    return "denied" if count == 0 else f"or {num(count)}"


def _contested_counts(s, rows: pd.DataFrame) -> str:
    """' Contested: Syrian fighters … (Reuters, 28 September 2020: Azerbaijan denies …).': for
    each count another record contests, whose the other reading is, as the source gives it."""
    if "contested_source_id" not in rows:
        return ""
    by_id = s.ev.sources_by_id()
    said = []
    for r in rows[rows["contested_source_id"].notna()].itertuples():
        src = by_id.loc[r.contested_source_id]
        when = date(src["date_published"], src.get("date_precision"))
        cited = f"({src['publisher']}, {when}: {src['title']})"
        said.append(f"{r.side}, whose presence another record denies {cited}"
                    if r.count_persons_contested == 0 else
                    f"{r.side}, {num(r.count_persons_contested)} by another record {cited}")
    return (" Contested: " + "; ".join(said) + ".") if said else ""
