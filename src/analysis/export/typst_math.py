"""LaTeX math -> Typst math with tylax (a maintained converter on PyPI), made safe to embed.

tylax writes Typst *math* markup; a few LaTeX commands come out as code (``\\text{..}`` as
``#text[..]``, ``\\href`` as ``#link``). Text pieces become string literals; anything else that
would run Typst code is refused, and the caller shows the LaTeX source instead.
"""

from __future__ import annotations

import re

import tylax

from .markdown_typst import typst_string

_TEXT = re.compile(r"#text\[([^\[\]#\\]*)\]")
_BAD = re.compile(r"[#\\]|\$")


def latex_to_typst(latex: str) -> str | None:
    """Typst math markup (without ``$``) for a LaTeX formula, or None if it cannot be made safe."""
    latex = latex.strip()
    if not latex:
        return None
    try:
        out = tylax.latex_to_typst(latex)
    except Exception:  # noqa: BLE001 - the converter raises its own error types
        return None
    out = _TEXT.sub(lambda m: typst_string(m.group(1)), out).strip()
    # Outside string literals nothing may start code (#), escape ($) or be a stray backslash.
    outside = re.sub(r'"(?:[^"\\]|\\.)*"', "", out)
    if not out or _BAD.search(outside):
        return None
    return out
