"""Characters the PDF's fonts cannot show (the fonts embedded in the Typst compiler).

Typst draws a missing glyph as an empty box without a word of warning, so the exporter checks
the text itself and names the characters in a warning (CJK, emoji and scripts such as Arabic or
Devanagari; the embedded fonts cover Latin, Greek, Cyrillic, Armenian, Hebrew and the common
symbols, arrows and mathematical operators).
"""

from __future__ import annotations

import unicodedata

# Unicode blocks covered by Libertinus Serif, New Computer Modern (+ Math), DejaVu Sans Mono.
COVERED = (
    (0x0000, 0x058F),   # Basic Latin ... Cyrillic Supplement, Armenian
    (0x0590, 0x05FF),   # Hebrew (Libertinus)
    (0x1D00, 0x1FFF),   # phonetic extensions, Latin Extended Additional, Greek Extended
    (0x2000, 0x2BFF),   # punctuation, super/subscripts, currency, letterlike, arrows, math,
                        # technical, box drawing, shapes, dingbats (partly), misc. symbols
    (0x2E00, 0x2E7F),   # supplemental punctuation
    (0xFB00, 0xFB4F),   # ligatures
    (0xFE00, 0xFE0F),   # variation selectors (invisible)
    (0xFFF0, 0xFFFF),   # specials
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics (New Computer Modern Math)
)


def _covered(ch: str) -> bool:
    code = ord(ch)
    if unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Mn"):
        return True
    return any(lo <= code <= hi for lo, hi in COVERED)


def missing_glyphs(text: str) -> list[str]:
    """Distinct characters of ``text`` that no embedded font shows, in order of appearance."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and not _covered(ch):
            seen[ch] = None
    return list(seen)


def describe(chars: list[str], limit: int = 12) -> str:
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:limit])
    more = f" and {len(chars) - limit} more" if len(chars) > limit else ""
    return shown + more
