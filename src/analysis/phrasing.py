"""How a measure reads in a sentence: one formatting per unit, used by the sections and by the
summary alike (so "81%" in the summary is "81%" under the chart)."""

from __future__ import annotations

import pandas as pd

from .measures.compare import turn_position
from .measures.result import Change, Measure
from .prose import date, month, num, pct, period_span, usd_m, usd_pair, whole


def value(m: Measure, marked: bool = False) -> str:
    """'81%', 'HHI 6,729', '$6.0 billion a year', '2 deployments'; '(unconfirmed)' when low;
    with ``marked``, a medium-confidence value carries the report's medium marker ('31%\u2020'),
    which the sections put after the source title under a chart (see ``report``)."""
    if not m.known:
        return "no data"
    if m.unit == "%":
        text = pct(m.value)
    elif m.unit == "HHI":
        text = num(m.value)
    elif m.unit == "deployments":
        text = count(m.value, "deployment")
    elif m.unit == "US$ m a year":
        text = f"{usd_m(m.value)} a year"
    else:
        text = num(m.value)
    return text + (" (unconfirmed)" if m.unconfirmed else mark(m.confidence) if marked else "")


def mark(confidence: str) -> str:
    """The medium-confidence marker (report.MEDIUM_MARK) for a medium value, else ''."""
    from .report import MEDIUM_MARK

    return MEDIUM_MARK if confidence == "medium" else ""


def points(c: Change, marked: bool = False) -> str:
    """'down 11 points' / 'up 1 point' / 'about the same' (``marked``: see :func:`value`)."""
    if c.delta is None:
        return "no earlier window to compare"
    if c.direction == "about the same":
        return "about the same"
    n = whole(abs(c.delta))  # as printed: halves up, like the values beside it
    return f"{c.direction} {num(n)} point{'' if n == 1 else 's'}" + (
        mark(c.confidence) if marked else "")


def from_to(c: Change, marked: bool = False) -> str:
    """'from 92% in 2009–2013 to 81% in 2019–2023' (or just the latest when alone)."""
    if not c.earlier.known:
        return f"{value(c.latest, marked)} in {c.latest.window}"
    return (f"from {value(c.earlier, marked)} in {c.earlier.window} to "
            f"{value(c.latest, marked)} in {c.latest.window}")


def no_earlier(since: int) -> str:
    """Why a share has no comparison: 'no comparable earlier window: complete, unbroken data
    only from 2014' (where the run of complete years behind the latest window starts; an
    outside reader found 'the unbroken run of complete years behind the latest window' hard
    going)."""
    return f"no comparable earlier window: complete, unbroken data only from {since}"


def times(c: Change) -> str | None:
    """'about five times' the earlier value when the ratio is within a quarter of a whole
    multiple (so that 4.8 does not read oddly beside amounts rounded to 6.0 and 1.2), else
    '2.5 times'; or None."""
    if not (c.earlier.known and c.latest.known) or not c.earlier.value:
        return None
    r = c.latest.value / c.earlier.value
    n = whole(r)
    if n >= 2 and abs(r - n) <= 0.25:
        return f"{'' if abs(r - n) < 0.05 else 'about '}{_WORDS.get(n, num(n))} times"
    return f"{num(r, 1)} times"


def yearly_amounts(c: Change, marked: bool = False) -> tuple[str, str]:
    """The earlier and latest yearly amounts of ``c`` ('USD 1.1 billion a year'), printed
    precisely enough that a reader dividing them gets the multiple :func:`times` gives when it
    gives one with a decimal ('2.6 times' beside 2.8 and 1.1, which give 2.5)."""
    said = times(c)
    if said and said[0].isdigit():  # '2.6 times': the amounts must bear it out
        pair = usd_pair(c.earlier.value, c.latest.value, c.latest.value / c.earlier.value)
    else:
        pair = (usd_m(c.earlier.value), usd_m(c.latest.value))
    return tuple(f"{text} a year" + (mark(m.confidence) if marked else "")
                 for text, m in zip(pair, (c.earlier, c.latest), strict=True))


#: country names read with "the" in running text
_WITH_THE = ("United States", "United Kingdom", "United Arab Emirates", "European Union",
             "Netherlands", "Czech Republic", "Philippines", "Holy See")


#: actors that are groups of states: registers that count states (SIPRI's) never name them
BLOCS = ("European Union", "NATO", "CSTO", "Eurasian Economic Union", "African Union")


def unrecorded(country: str, period: str) -> str:
    """Why a thin period of a country's arms deliveries is not compared: 'SIPRI's register may
    not yet record all of Azerbaijan's deliveries in 2020–23' (``country`` escaped by the caller
    where the text is Markdown). The doubt is about the register's recent years, not the
    evidence base's copy of it (an outside reader)."""
    return f"SIPRI's register may not yet record all of {country}'s deliveries in {period}"


def the(name: str, capital: bool = False) -> str:
    """'the United States', 'the European Union', 'Russia' (plain text; escape afterwards)."""
    if name in _WITH_THE or name.startswith("United ") or name.endswith(" Union"):
        return ("The " if capital else "the ") + name
    return name


def names(items, conjunction: str = "and") -> str:
    """'the European Union and the United States' (plain text)."""
    items = [the(i) for i in items]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def when(day, precision: str = "day") -> str:
    """A date at its precision: '2024', 'January 2024', '3 October 2023'."""
    day = pd.Timestamp(day)
    return {"year": f"{day:%Y}", "month": month(day)}.get(precision, date(day))


def when_span(day, end, precision: str = "day") -> str:
    """An event's date, with its end when it lasted: '2015–2018', 'April–June 2024',
    '11–20 September 2023', '17 April – 12 June 2024', '12 December 2022 – 24 September 2023';
    :func:`when` alone when it has no later end (a table row then says what its chart's bar
    shows)."""
    if end is None or pd.isna(end) or pd.Timestamp(end) <= pd.Timestamp(day):
        return when(day, precision)
    return period_span(day, end, precision)


_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
          8: "eight", 9: "nine"}


#: after the last year of the arms register an edition uses, when SIPRI has released later ones
#: (the key findings and Table 7.1 say it alike)
NEWER_REGISTER = " (SIPRI has since released later years; see Appendix B)"


def count(n: int, noun: str) -> str:
    """'one deployment', 'four deployments', '12 deployments' (words up to nine)."""
    n = int(n)
    return f"{_WORDS.get(n, num(n))} {noun}{'' if n == 1 else 's'}"


def year_before(c: Change, prior: tuple[int, float] | None, latest: float,
                mark: str = "") -> str:
    """', down from 69% in 2023': the year before a turned-back share's latest year (``prior``:
    year, share), when the latest moved from it the way the windows moved (by a whole point as
    printed), so the latest is not read as the top of the turn (an outside reader: money
    transfers stood at 69% in 2022-2023, above both windows); '' otherwise. Said after where
    the latest stands ('midway between …, down from 69% in 2023'): placed before it, 'midway'
    read as the earlier year's (a second reader). ``mark``: the share's confidence mark."""
    if prior is None:
        return ""
    went = "down" if latest < prior[1] else "up"
    if whole(prior[1]) != whole(latest) and went == c.direction:
        return f", {went} from {pct(prior[1])}{mark} in {prior[0]}"
    return ""


def undone(c: Change, latest_year: float) -> str:
    """Where a latest year stands between a share's windows, for a share that turned back
    (:func:`~analysis.measures.compare.turn_position`): 'back at its 2013–2017 level', 'above
    its 2013–2017 level' (past it), 'nearer its 2013–2017 level than its 2020–2024 one' or,
    when the whole points printed beside it are as far from both, 'midway between its 2013–2017
    and 2020–2024 levels'. A position, not a move: the year before may stand further back."""
    where = turn_position(c.direction, latest_year, c.earlier.value)
    if where == "nearer":
        year, early, late = (whole(v) for v in (latest_year, c.earlier.value, c.latest.value))
        if abs(year - early) == abs(year - late):
            return f"midway between its {c.earlier.window} and {c.latest.window} levels"
        return f"nearer its {c.earlier.window} level than its {c.latest.window} one"
    past = "above" if c.direction == "down" else "below"
    return f"{'back at' if where == 'back at' else past} its {c.earlier.window} level"
