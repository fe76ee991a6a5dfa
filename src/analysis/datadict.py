"""data/README.md, the data dictionary, generated from data/datapackage.json."""

from __future__ import annotations

from pathlib import Path

from . import paths
from .schema import load_descriptor

HEADER = """# The evidence base

Curated tables behind the Tightrope report. Every fact row carries a `source_id` that resolves to
`sources.csv` (publisher, title, the primary item's exact address and locator, the release of a data
series, dates, licence, and the copy we read when it was not the primary) and a `confidence`: `high`
(read in the publisher's own file or an exact copy), `medium` (read in a secondary copy or a report
citing the publisher; marked with a dagger in the report), or `low` for a figure we could not confirm
in a published source (shown as unconfirmed). `tightrope data validate` holds a figure to this: a
source with no address of the publisher's own, or a copy read (`retrieved_via`) that is not called
an exact one, makes its figures medium at most. An event's confidence is that it happened as
dated, so an event reported alike in a copy may be high. Contested figures keep each side's value in its own row;
where one row holds a single fact that published records give differently (a country's vote), the
other reading goes in `<column>_contested` with its source in `contested_source_id`, and the report
shows both.

The schema of each table (types, units, constraints, keys) lives in `datapackage.json`, a
Frictionless Data Package; this file is generated from it by `tightrope data dictionary` and a test
fails when the two disagree. Check the tables with `tightrope data validate`.

Editing rules: change a CSV and its source row together, keep the descriptor in step, never type a
number without a source, and mark what you could not confirm as `confidence = low`. Refresh SIPRI,
World Bank, Comtrade and CBA series from the publishers' own files with `tightrope data refresh`.
A newer release that the tables have not yet been refreshed from gets its own row in
`sources.csv` with `supersedes` naming the release in use: editions dated after it then say that
newer data exist (a data note in Appendix B, and the source lines of that publisher's charts).
"""


def render(data_dir: Path | None = None) -> str:
    specs = load_descriptor(paths.data_dir(data_dir))
    out = [HEADER]
    for spec in specs.values():
        out.append(f"\n## `{spec.path}`\n\n{spec.description}\n")
        if spec.primary_key:
            out.append(f"Primary key: {', '.join(f'`{k}`' for k in spec.primary_key)}.\n")
        out.append("| column | type | required | meaning |\n|---|---|---|---|")
        for f in spec.fields:
            extra = ""
            if "enum" in f.constraints:
                extra = " One of: " + ", ".join(f"`{v}`" for v in f.constraints["enum"]) + "."
            out.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | "
                       f"{f.description}.{extra} |".replace("..", "."))
    return "\n".join(out) + "\n"


def write_dictionary(data_dir: Path | None = None, check: bool = False) -> bool:
    """Write (or with ``check`` only compare) data/README.md; True when it differed."""
    target = paths.data_dir(data_dir) / "README.md"
    text = render(data_dir)
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current == text:
        return False
    if not check:
        target.write_text(text, encoding="utf-8")
    return True
