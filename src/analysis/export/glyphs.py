"""Characters the PDF's fonts cannot show, and the fallback fonts that can.

Typst draws a missing glyph as an empty box without a word of warning. The fonts embedded in the
Typst compiler cover Latin, Greek, Cyrillic, Armenian, Hebrew and the common symbols, arrows and
mathematical operators. For the rest (Chinese, Japanese, Korean, emoji, Thai, Arabic, Indic
scripts ...) the exporter adds fallback fonts that pip packages ship, pinned in the lock files:

- ``manimgx-fonts``: Noto Sans for the scripts Latin faces lack, Noto Emoji, Noto Sans Symbols;
- ``noto-cjk-sans-jp-regular``: Noto Sans CJK (Han ideographs, kana, hangul).

They are handed to Typst only when the text needs them (the report itself does not, so its
PDF and its compile time stay as they are). A character that no font shows is named in a warning.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont

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


# Packages whose folder holds fallback font files, in the order Typst gets them.
FALLBACK_PACKAGES = ("manimgx_fonts", "noto_cjk_sans_jp_regular")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@functools.cache
def fallback_fonts() -> tuple[tuple[str, frozenset[int]], ...]:
    """(font folder, code points its fonts cover) for each installed fallback package."""
    found = []
    for package in FALLBACK_PACKAGES:
        try:
            folder = Path(str(resources.files(package)))
        except ModuleNotFoundError:
            continue
        points: set[int] = set()
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in _FONT_SUFFIXES:
                with TTFont(path, lazy=True, fontNumber=0) as font:
                    points.update(font.getBestCmap() or {})
        if points:
            found.append((str(folder), frozenset(points)))
    return tuple(found)


def _embedded(text: str) -> list[str]:
    """Distinct characters of ``text`` the embedded fonts lack, in order of appearance (each
    distinct character is looked at once: the text is the whole report)."""
    return [ch for ch in dict.fromkeys(text) if not _covered(ch)]


def font_paths(text: str) -> list[str]:
    """Folders of the fallback fonts that ``text`` needs (none when the embedded fonts do)."""
    need = {ord(ch) for ch in _embedded(text)}
    if not need:
        return []
    return [folder for folder, points in fallback_fonts() if need & points]


def missing_glyphs(text: str, fallback: bool = True) -> list[str]:
    """Distinct characters of ``text`` that no font shows, in order of appearance.

    ``fallback=False``: no embedded font, whatever the installed fallback fonts hold.
    """
    chars = _embedded(text)
    if not chars or not fallback:
        return chars
    covered = frozenset().union(*(points for _, points in fallback_fonts()))
    return [ch for ch in chars if ord(ch) not in covered]


def describe(chars: list[str], limit: int = 12) -> str:
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in chars[:limit])
    more = f" and {len(chars) - limit} more" if len(chars) > limit else ""
    return shown + more
