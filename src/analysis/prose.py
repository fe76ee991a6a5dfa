"""Formatting for data-driven prose. Numbers enter sentences through these helpers only, and any
text that comes from data passes through :func:`md`, which escapes Markdown and HTML."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&$=:^])")
#: every character Markdown, HTML or Typst may take as a line or paragraph break, and the
#: control characters: each becomes one space, so data text never starts a block
_BREAKS = re.compile("[\r\n\v\f\x00-\x08\x0e-\x1f\x7f\x85\u2028\u2029]+")


def inline(text) -> str:
    """Data text as one line: every line or paragraph separator (``\\n``, ``\\r``, U+0085,
    U+2028, U+2029, form feed...) and control character becomes a space. Used by every escaper
    (Markdown here, chart text in :mod:`analysis.charttext`)."""
    return _BREAKS.sub(" ", str(text))


def md(text) -> str:
    """Escape a data string for Markdown: it stays one run of inline text in HTML and PDF
    (``<script>`` stays text, a newline plus ``===`` never makes a heading)."""
    return _MD_SPECIAL.sub(r"\\\1", inline(text).lstrip(" \t"))


def half_up(value: float, digits: int = 0) -> Decimal:
    """``value`` rounded as a reader rounds it, halves away from zero (256.5 -> 257), on the
    digits it prints with (repr: 2.675 -> 2.68), not Python's halves-to-even on its binary
    value (a reader summed a table's 227.5 and 29 to 256.5 and could not reproduce '256').
    The one rounding rule of the report's text, tables and chart labels: :func:`num`,
    :func:`pct`, :func:`whole`, :func:`formatted`. A zero is never '-0'; a value that is not
    finite is returned as it is (a number to print, not to round)."""
    exact = Decimal(repr(float(value)))
    if not exact.is_finite():
        return exact
    out = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return out.copy_abs() if out.is_zero() else out


def whole(value: float) -> int:
    """``value`` as the whole number a reader sees printed (:func:`half_up`): for a decision
    made on the printed figure ('midway', 'up 12 points', 'a 2.3-fold rise')."""
    return int(half_up(value))


def rounded(value: float, digits: int) -> float:
    """``value`` as printed to ``digits`` decimals (:func:`half_up`), as a float."""
    return float(half_up(value, digits))


_SPEC_DIGITS = re.compile(r"\.(\d+)f\}")


def formatted(spec: str, value: float) -> str:
    """``spec.format(value)`` for a chart label such as '{:.0f}%', rounded by :func:`half_up` to
    the spec's decimals first, so that a label shows what the text says of the same value."""
    found = _SPEC_DIGITS.search(spec)
    return spec.format(half_up(value, int(found.group(1))) if found else value)


def num(value: float, digits: int = 0) -> str:
    """1234.5 -> '1,235' (digits=0) or '1,234.5'."""
    return f"{half_up(value, digits):,.{digits}f}"


def added_up(value: float, figures: int) -> str:
    """A sum of ``figures`` published figures of different kinds and dates (a count, a mandate's
    ceiling, an undated figure): 'about 5,000', to two significant figures, not a count it is
    not; a single figure as published ('3,083')."""
    if figures <= 1 or not value:
        return num(value)
    places = max(len(str(int(abs(value)))) - 2, 0)  # two significant figures
    return "about " + num(float(half_up(value, -places)))


def pct(value: float, digits: int = 0) -> str:
    return f"{half_up(value, digits):.{digits}f}%"


def usd_m(value: float, digits: int = 1) -> str:
    """Millions of US dollars in words: 1,234.5 -> 'USD 1.2 billion' (``digits`` decimals of a
    billion); 234.5 -> 'USD 235 million'.

    No dollar sign: the same words go into Markdown prose and plain-text notes, and two "$"
    amounts in one Markdown paragraph read as a $...$ formula (Jupyter, the HTML, the PDF)."""
    if abs(value) >= 1000:
        return f"USD {num(value / 1000, digits)} billion"
    return f"USD {num(value)} million"


def usd_pair(first: float, second: float, fold: float) -> tuple[str, str]:
    """Two amounts printed precisely enough that their printed ratio rounds to ``fold`` as the
    text gives it (one decimal): 'USD 1.78 billion' and 'USD 9.24 billion' for a 5.2-fold rise
    where 1.8 and 9.2 would give 5.1."""
    def shown(value: float, digits: int) -> float:
        return rounded(value / 1000, digits) * 1000 if abs(value) >= 1000 else whole(value)

    for digits in (1, 2, 3):
        a, b = shown(first, digits), shown(second, digits)
        if a and rounded(b / a, 1) == rounded(fold, 1):
            break
    return usd_m(first, digits), usd_m(second, digits)


def ratio(value: float, of: str | None = None) -> str:
    """A multiple of ``of`` in words: '5.8 times Armenia's'; below about one, a percentage:
    '90% of Armenia's' ('0.9 times' reads as a slip). Without ``of``: '5.8 times', '90% of it'."""
    if value >= 1.05:
        return f"{num(value, 1)} times" + (f" {of}" if of else "")
    return f"{pct(100 * value)} of {of or 'it'}"


def date(value, precision=None) -> str:
    """'15 September 2023', or 'September 2023' for a date known to its month (``precision``
    'month', as a ``date_precision`` column gives it)."""
    value = pd.Timestamp(value).date() if not isinstance(value, dt.date) else value
    if isinstance(precision, str) and precision == "month":
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def date_range(first, last) -> str:
    """'3–11 September 2023', '30 August – 11 September 2023', '30 December 2022 – 2 January
    2023'; one day: '3 September 2023'. A span's shared month and year are written once."""
    return period_span(first, last)


def period_span(first, last, precision: str = "day", short: bool = False) -> str:
    """A span of dates known to ``precision``, what its two ends share written once:
    '2015–2018'; 'April–June 2024', 'April 2024 – June 2025'; '3–11 September 2023',
    '30 August – 11 September 2023', '30 December 2022 – 2 January 2023'; one day, month or year
    alone. ``short``: month names abbreviated ('11–20 Sep 2023', as the claim ledger dates)."""
    a, b = pd.Timestamp(first), pd.Timestamp(last)
    name = "%b" if short else "%B"

    def on(x) -> str:
        return f"{x.day} {x.strftime(name)} {x.year}"

    def of(x) -> str:
        return f"{x.strftime(name)} {x.year}"

    if precision == "year":
        return span(a.year, b.year)
    if precision == "month":
        if (a.year, a.month) == (b.year, b.month):
            return of(a)
        return f"{a.strftime(name)}–{of(b)}" if a.year == b.year else f"{of(a)} – {of(b)}"
    if a.date() == b.date():
        return on(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{on(b)}"
    if a.year == b.year:
        return f"{a.day} {a.strftime(name)} – {on(b)}"
    return f"{on(a)} – {on(b)}"


def span(first, last, sep: str = "–") -> str:
    """'2004–2023', or just '2004' when both ends are the same (a one-year window)."""
    return f"{first}" if first == last else f"{first}{sep}{last}"


def year_runs(years) -> str:
    """Years as runs: [2013, 2016] -> '2013, 2016'; [2010, 2011, 2012, 2016] -> '2010–2012,
    2016' (a span is written only where every year in it is one of ``years``; missing years
    are left out, and none gives '')."""
    from .measures.compare import runs

    known = {int(y) for y in years if pd.notna(y)}
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs(known))


def month(value) -> str:
    value = pd.Timestamp(value)
    return f"{value:%B %Y}"


def listing(items, escape: bool = True, clauses: bool = False) -> str:
    """['a', 'b', 'c'] -> 'a, b and c' (items escaped for Markdown, unless ``escape`` is false:
    for plain text such as a figure's note). With ``clauses``, a list where an item has a comma
    of its own is joined with semicolons: 'a; b, which c; and d'."""
    items = [md(i) if escape else str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if clauses and any("," in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def unconfirmed(confidence: str) -> str:
    """The marker the report puts after a figure that could not be confirmed."""
    return " (unconfirmed)" if confidence == "low" else ""
