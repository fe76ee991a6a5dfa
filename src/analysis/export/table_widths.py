"""Column widths for a PDF table: as short a table as its text allows.

A table's height is the sum of its rows' heights, and a row is as tall as its tallest cell. Columns
with long text wrap and share the width the short columns leave; how that width is shared decides
how many lines the tallest cell of each row runs to. Widths are counted in characters of table
text, lines by wrapping each cell's words greedily, as a typesetter does. The search starts from
shares in proportion to each column's text and moves width from one wrapping column to another
(any amount: a row saves a line only once a cell crosses a threshold) while that makes the table
shorter; a column never gets narrower than its longest word, even at the narrower estimate of a
line. Counting characters is an estimate, so it offers the template a few candidates: the
template measures each as typeset and keeps the shortest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

#: about how many characters of a table's text fit across the text width: between these two
LINE_CHARS = 100
LINE_CHARS_WIDE = 120
#: a column wraps when its longest text is longer than this
WRAP_OVER = 40
#: or when its longest text is this long and at least OUTLIER times its median cell: one long
#: date span ('12 December 2022 – 24 September 2023') in a column of single dates had kept the
#: whole column that wide, and the text column beside it wrapping
OUTLIER_OVER, OUTLIER = 24, 2
#: what a cell's insets take, in characters
INSET_CHARS = 3


@lru_cache(maxsize=4096)
def lines(text: str, width: int) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (insets included); each
    explicit line break starts a new line. A word longer than the line takes a line of its own."""
    room = max(1, width - INSET_CHARS)
    total = 0
    for para in text.split("\n") or [""]:
        count, used = 1, 0
        for word in para.split():
            if used and used + 1 + len(word) > room:
                count, used = count + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        total += count
    return total


def height(table: Sequence[Sequence[str]], chars: Sequence[int]) -> int:
    """Lines of the whole table (header and rows) with columns ``chars`` characters wide."""
    return sum(max(lines(cell, w) for cell, w in zip(row, chars, strict=True)) for row in table)


def candidates(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[list[str]]:
    """Typst column widths to choose from, most likely first: ``auto`` for a column that fits
    its content, a share (``Nfr``) of the free width for a column with long text. The first
    shares the width in proportion to each column's text; the others are what the search finds
    for a line of :data:`LINE_CHARS` and of :data:`LINE_CHARS_WIDE` characters (the count is an
    estimate: the PDF template measures each and keeps the shortest table)."""
    table = [list(columns), *(list(r) for r in rows)]
    n = len(columns)
    longest = [max(len(r[k]) for r in table) for k in range(n)]
    word = [max((len(w) for r in table for w in r[k].split()), default=0) for k in range(n)]
    median = [sorted(len(r[k]) for r in table[1:] or table)[len(table[1:] or table) // 2]
              for k in range(n)]
    wrap = [m > WRAP_OVER or (m >= OUTLIER_OVER and m >= OUTLIER * max(1, mid))
            for m, mid in zip(longest, median, strict=True)]
    if not any(wrap):
        return [["auto"] * n]
    fixed = [0 if w else m + INSET_CHARS for m, w in zip(longest, wrap, strict=True)]
    found: list[list[str]] = []
    for line in (LINE_CHARS, LINE_CHARS_WIDE):
        # the longest word fits even if the line holds only LINE_CHARS characters
        least = [math.ceil((word[k] + INSET_CHARS) * line / LINE_CHARS) if wrap[k] else 0
                 for k in range(n)]
        free = max(line - sum(fixed), sum(least))
        start = _start(table, wrap, least, free)
        if not found:
            found.append(_as_typst(start, wrap))
        shares = _as_typst(_shortest(table, start, fixed, least), wrap)
        if shares not in found:
            found.append(shares)
    return found


def _as_typst(chars: list[int], wrap: list[bool]) -> list[str]:
    if sum(wrap) == 1:  # one wrapping column takes what the others leave, whatever its share
        chars = [1] * len(chars)
    return [f"{c}fr" if w else "auto" for c, w in zip(chars, wrap, strict=True)]


def _shortest(table: list[list[str]], chars: list[int], fixed: list[int],
              least: list[int]) -> list[int]:
    """From ``chars``, move width between wrapping columns while the table gets shorter (none
    narrower than ``least``)."""
    flexible = [k for k, c in enumerate(chars) if c]
    best = height(table, [c or f for c, f in zip(chars, fixed, strict=True)])
    improved = True
    while improved:  # each round keeps the best single transfer; rounds end when none helps
        improved = False
        for i in flexible:
            for j in flexible:
                for step in range(1, chars[j] - least[j] + 1) if i != j else ():
                    trial = list(chars)
                    trial[i] += step
                    trial[j] -= step
                    h = height(table, [c or f for c, f in zip(trial, fixed, strict=True)])
                    if h < best:
                        chars, best, improved = trial, h, True
    return chars


def _start(table: list[list[str]], wrap: list[bool], least: list[int], free: int) -> list[int]:
    """The search's start: the free width shared in proportion to the mean of each wrapping
    column's average and longest text (by the average alone, a column of short cells with one
    long remark gets too thin), none narrower than ``least``; 0 for the other columns."""
    body = table[1:] or table
    n = len(wrap)
    weight = [0.0] * n
    for k in range(n):
        if wrap[k]:
            weight[k] = (sum(len(r[k]) for r in body) / len(body)
                         + max(len(r[k]) for r in table)) / 2
    chars = [0] * n
    rest, open_cols = free, [k for k in range(n) if wrap[k]]
    while open_cols:  # columns held at their least width leave the rest to the others
        total = sum(weight[k] for k in open_cols) or 1.0
        held = [k for k in open_cols if rest * weight[k] / total < least[k]]
        if not held:
            for k in open_cols:
                chars[k] = max(least[k], round(rest * weight[k] / total))
            break
        for k in held:
            chars[k] = least[k]
            rest -= least[k]
            open_cols.remove(k)
    return chars
