"""The report's parameters, declared once.

Every notebook's cell tagged ``parameters`` holds the same names with the same defaults (a test
checks it); the CLI, papermill and interactive runs all go through :func:`resolve`, which
validates before any kernel starts and turns raw values into a :class:`ReportParams`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .errors import ParameterError

EARLIEST_AS_OF = dt.date(1988, 1, 1)


@dataclass(frozen=True)
class Param:
    """One declared parameter: how notebooks, the CLI and `tightrope params` know it."""

    name: str
    kind: str  # a key of _PARSERS
    default: Any
    help: str
    annotation: str  # the type as written in a notebook's parameters cell


#: the first year of the time series unless the edition is dated earlier
DEFAULT_START_YEAR = 2000

PARAMS: tuple[Param, ...] = (
    Param("as_of", "date", None,
          "ISO date (YYYY-MM-DD); nothing dated after it is used. None = latest date in the data. "
          "2023-09-15 reproduces the article's vantage point", "str"),
    Param("start_year", "year", None, "first year of the time series. None = "
          f"{DEFAULT_START_YEAR}, or the year of as_of if that is earlier", "int"),
    Param("end_year", "year", None, "last year of the time series. None = the year of as_of",
          "int"),
    Param("focus", "country", "Armenia", "the country the report is about", "str"),
    Param("rival", "country", "Azerbaijan", "the focus country's adversary", "str"),
    Param("patron", "country", "Russia", "the focus country's traditional security patron", "str"),
    Param("partners", "countries", ("United States", "European Union", "France", "India"),
          "the 'West and others' side of the hedge (comma-separated on the command line)", "list"),
    Param("data_dir", "path", None,
          "evidence base folder. None = the repository's data/", "str"),
    Param("author", "text", "Tightrope project",
          "the author named on the title page and in the suggested citation", "str"),
    Param("publisher", "text", "Tightrope project",
          "the publisher named beside the author (named once when it is the author)", "str"),
)
PARAM_NAMES = tuple(p.name for p in PARAMS)
_BY_NAME = {p.name: p for p in PARAMS}


@dataclass(frozen=True)
class ReportParams:
    """Validated parameters with their real types."""

    as_of: dt.date
    start_year: int
    end_year: int
    focus: str
    rival: str
    patron: str
    partners: tuple[str, ...]
    data_dir: Path
    author: str = "Tightrope project"
    publisher: str = "Tightrope project"
    explicit: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def slug(self) -> str:
        """Folder name of a report built with these parameters, e.g. ``armenia-2023-09-15``.

        Every parameter that differs from its default (whether given or picked up from
        $TIGHTROPE_DATA_DIR) adds a short hash, so two different reports never share a folder.
        """
        base = f"{self.focus.lower().replace(' ', '-')}-{self.as_of.isoformat()}"
        extras = [n for n in ("start_year", "end_year", "rival", "patron", "partners", "data_dir",
                              "author", "publisher")
                  if getattr(self, n) != _default_value(n, self)]
        if not extras:
            return base
        digest = _short_hash(json.dumps({n: str(getattr(self, n)) for n in extras}, sort_keys=True))
        return f"{base}-{digest}"

    def to_notebook(self) -> dict[str, Any]:
        """JSON-friendly values for papermill's parameter injection."""
        return {
            "as_of": self.as_of.isoformat(),
            "start_year": self.start_year,
            "end_year": self.end_year,
            "focus": self.focus,
            "rival": self.rival,
            "patron": self.patron,
            "partners": list(self.partners),
            "data_dir": str(self.data_dir),
            "author": self.author,
            "publisher": self.publisher,
        }

    def to_display(self) -> dict[str, str]:
        """Strings for the title page and the manifest, in declaration order."""
        values = self.to_notebook()
        values["partners"] = ", ".join(self.partners)
        values["data_dir"] = _display_path(self.data_dir)
        return {k: str(v) for k, v in values.items()}

    @property
    def byline(self) -> str:
        """The title page's author/publisher line: 'Author · Publisher', or the author alone
        when the author publishes."""
        return byline(self.author, self.publisher)

    @property
    def actors(self) -> tuple[str, ...]:
        return (self.focus, self.rival, self.patron, *self.partners)


def byline(author: str, publisher: str | None) -> str:
    """'Author · Publisher'; the author alone when there is no publisher or it is the author."""
    if not publisher or publisher.strip().casefold() == author.strip().casefold():
        return author
    return f"{author} \u00b7 {publisher}"


def _default_value(name: str, p: ReportParams) -> Any:
    if name == "end_year":
        return p.as_of.year
    if name == "start_year":
        return default_start_year(p.as_of)
    if name == "data_dir":
        return paths.DATA_DIR.resolve()
    value = _BY_NAME[name].default
    return tuple(value) if isinstance(value, list | tuple) else value


def default_start_year(as_of: dt.date) -> int:
    """2000, or the year of ``as_of`` for an edition dated before 2000."""
    return min(DEFAULT_START_YEAR, as_of.year)


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- parsing of raw values

def _parse_date(name: str, raw: Any) -> dt.date:
    from .cells import CellError, parse_date

    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # as_of = 2023-10-15 without quotes is arithmetic: Python made it the number 1998
        raise ParameterError(f"parameter '{name}' is the number {raw!r}, not a date; put the "
                             f"date in quotes: {name} = \"YYYY-MM-DD\"")
    try:
        return parse_date(str(raw).strip())
    except CellError as exc:
        if "not a valid date" in str(exc):  # the right shape, but no such day
            raise ParameterError(f"parameter '{name}': {_show(raw)} is not a day of the "
                                 "calendar (check the month and the day)") from None
        raise ParameterError(
            f"parameter '{name}' must be a date as YYYY-MM-DD, got {_show(raw)}") from None


def _parse_year(name: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ParameterError(f"parameter '{name}' must be a whole year like 2015, got {_show(raw)}")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if not re.fullmatch(r"-?[0-9]{1,4}", text):
        raise ParameterError(f"parameter '{name}' must be a whole year like 2015, got "
                             f"{_show(raw)}")
    return int(text)


def _parse_country(name: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"parameter '{name}' must be a country name, got {_show(raw)}")
    return raw.strip()


def _parse_countries(name: str, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                raw = json.loads(text)
            except json.JSONDecodeError:
                raise ParameterError(
                    f"parameter '{name}' must be a list of country names, got {_show(raw)}"
                ) from None
        else:
            raw = [part for part in text.split(",")]
    if not isinstance(raw, list | tuple) or not raw:
        raise ParameterError(
            f"parameter '{name}' must be a non-empty list of country names, got {_show(raw)}")
    names = tuple(_parse_country(name, item) for item in raw)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ParameterError(f"parameter '{name}' names {', '.join(twice)} more than once; "
                             "list each country once")
    return names


def _parse_path(name: str, raw: Any) -> Path:
    if not isinstance(raw, str | Path) or not str(raw).strip():
        raise ParameterError(f"parameter '{name}' must be a folder path, got {_show(raw)}")
    try:
        path = Path(str(raw).strip()).expanduser()
    except RuntimeError:  # ~user that does not exist
        raise ParameterError(f"parameter '{name}': {_show(raw)} names a home folder that does "
                             "not exist; give the full path") from None
    path = (Path.cwd() / path).resolve()
    if path.exists() and not path.is_dir():
        raise ParameterError(f"parameter '{name}': {_show(raw)} is a file, not a folder; give "
                             "the evidence base folder (the one holding datapackage.json)")
    if not path.is_dir():
        raise ParameterError(f"parameter '{name}': folder {_show(raw)} does not exist")
    return path


#: longest author or publisher line the title page can set on one line
MAX_TEXT = 120
#: bidirectional classes of the embedding, override and isolate controls
_BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def _parse_text(name: str, raw: Any) -> str:
    """A short line of plain text (a name): one line, no control characters, at most
    :data:`MAX_TEXT` characters."""
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"parameter '{name}' must be a name (text), got {_show(raw)}")
    text = " ".join(raw.split()) if "\n" not in raw and "\r" not in raw else None
    if text is None:
        raise ParameterError(f"parameter '{name}' must be one line, got {_show(raw)}; "
                             "write it without line breaks")
    # C0 and C1 controls, and the invisible direction controls (a right-to-left override
    # would reverse the name on the title page; joiners, which Persian names use, are fine)
    bad = next((c for c in text if ord(c) < 32 or 127 <= ord(c) < 160
                or unicodedata.bidirectional(c) in _BIDI_CONTROLS), None)
    if bad is not None:
        raise ParameterError(f"parameter '{name}' holds the control character {bad!r} "
                             f"(in {_show(raw)}); use plain text")
    if len(text) > MAX_TEXT:
        raise ParameterError(f"parameter '{name}' is {len(text)} characters long; the title "
                             f"page sets it on one line of at most {MAX_TEXT}: shorten it")
    return text


def _show(raw: Any, limit: int = 60) -> str:
    """A value echoed in a message, cut to ``limit`` characters."""
    from .cells import show

    return show(raw, limit)


_PARSERS: dict[str, Callable[[str, Any], Any]] = {
    "date": _parse_date,
    "year": _parse_year,
    "country": _parse_country,
    "countries": _parse_countries,
    "path": _parse_path,
    "text": _parse_text,
}


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["as_of=2023-09-15", ...]`` from the command line to a dict of raw strings."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"-p expects NAME=VALUE, got {item!r}")
        values[name.strip()] = value
    return values


class ParameterWarning(UserWarning):
    """A name in a notebook's namespace that looks like a misspelt parameter."""


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'X'?` or an empty string."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean '{lowered[close[0]]}'?" if close else ""


# ---------------------------------------------------------------- validation

def resolve(values: Mapping[str, Any], *, today: dt.date | None = None,
            countries: Iterable[str] | None = None, latest: dt.date | None = None,
            strict: bool = True, facts: Callable[[Path], Mapping[str, Any]] | None = None
            ) -> ReportParams:
    """Validate raw parameter values and return typed parameters.

    ``values`` may be a notebook's ``globals()`` (with ``strict=False`` other names are ignored),
    CLI strings or real values. ``None`` means "use the default". ``countries`` and ``latest``
    default to what the evidence base in ``data_dir`` holds, read when first needed by ``facts``
    (``data_dir`` -> ``{"latest": iso date, "countries": [...]}``; by default
    :func:`analysis.evidence.edition_facts` in this process).
    """
    if strict:
        for name in values:
            if name not in _BY_NAME:
                raise ParameterError(
                    f"unknown parameter '{name}'{suggest(name, PARAM_NAMES) or ';'} "
                    f"known parameters: {', '.join(PARAM_NAMES)}")
    else:  # a notebook's globals: a value named almost like a parameter may be a misspelt one
        for name, value in values.items():  # (or a variable of the analyst's: warned, not refused)
            if (name not in _BY_NAME and not name.startswith("_")
                    and isinstance(value, str | int | float | list | tuple)
                    and not isinstance(value, bool)
                    and difflib.get_close_matches(name, PARAM_NAMES, n=1, cutoff=0.8)):
                warnings.warn(f"'{name}' is not a parameter{suggest(name, PARAM_NAMES)} If it "
                              "is meant as one, rename it in the parameters cell: as it is, "
                              "it is ignored", ParameterWarning, stacklevel=3)
    empty = [n for n in PARAM_NAMES if n in values and isinstance(values[n], str)
             and not values[n].strip()]
    if empty:
        raise ParameterError(f"parameter '{empty[0]}' is empty; give a value or leave it out "
                             "to use the default (`tightrope params` lists them)")
    given = {n: values[n] for n in PARAM_NAMES if n in values and values[n] is not None}
    parsed = {n: _PARSERS[_BY_NAME[n].kind](n, v) for n, v in given.items()}

    data_dir = parsed.get("data_dir") or paths.data_dir()
    if not data_dir.is_dir():
        what = "is a file, not a folder" if data_dir.exists() else "does not exist"
        raise ParameterError(f"parameter 'data_dir': folder '{data_dir}' {what}"
                             + ("" if "data_dir" in parsed else
                                " (from TIGHTROPE_DATA_DIR)" if os.environ.get(
                                    "TIGHTROPE_DATA_DIR") else ""))
    today = today or dt.date.today()

    known: dict[str, Any] = {}

    def fact(name: str) -> Any:
        if not known:
            if facts is None:
                from .evidence import edition_facts

                known.update(edition_facts(data_dir))
            else:
                known.update(facts(data_dir))
        return known[name]

    as_of = parsed.get("as_of")
    if as_of is None:
        as_of = min(latest if latest else dt.date.fromisoformat(fact("latest")), today)
    if as_of > today:
        raise ParameterError(
            f"as_of {as_of.isoformat()} is in the future (today is {today.isoformat()}); "
            "use a date up to today")
    if as_of < EARLIEST_AS_OF:
        raise ParameterError(
            f"as_of {as_of.isoformat()} is before {EARLIEST_AS_OF.year}, where the evidence base "
            f"starts; use a date from {EARLIEST_AS_OF.isoformat()}")

    start_year = parsed.get("start_year", default_start_year(as_of))
    end_year = parsed.get("end_year", as_of.year)
    if start_year < EARLIEST_AS_OF.year - 100 or start_year > as_of.year:
        raise ParameterError(
            f"start_year {start_year} is outside the range {EARLIEST_AS_OF.year - 100}"
            f"..{as_of.year} (the year of as_of)")
    if end_year > as_of.year:
        raise ParameterError(
            f"end_year {end_year} is after the year of as_of ({as_of.year}); "
            f"use end_year <= {as_of.year} or a later as_of")
    if start_year > end_year:
        raise ParameterError(
            f"start_year ({start_year}) is after end_year ({end_year}); "
            "choose start_year <= end_year" if "start_year" in parsed else
            f"end_year ({end_year}) is before the default start_year ({start_year}); "
            f"set start_year <= {end_year} as well")

    if countries is None:
        countries = fact("countries")
    available = sorted(set(countries))
    chosen = {n: parsed.get(n, _BY_NAME[n].default) for n in ("focus", "rival", "patron")}
    partners = parsed.get("partners", tuple(_BY_NAME["partners"].default))
    for name, country in [*chosen.items(), *(("partners", c) for c in partners)]:
        if country not in available:
            raise ParameterError(
                f"unknown country '{country}' for {name}{suggest(country, available) or ';'} "
                f"available: {', '.join(available)}")
    if len({chosen["focus"], chosen["rival"], chosen["patron"]}) < 3:
        same = [n for n in ("focus", "rival", "patron")
                if list(chosen.values()).count(chosen[n]) > 1]
        raise ParameterError(
            f"focus, rival and patron must be three different countries, got "
            f"{chosen['focus']}, {chosen['rival']}, {chosen['patron']}: "
            + (f"{same[0]} and {same[1]} are both" if len(same) == 2 else
               "focus, rival and patron are all") + f" {chosen[same[0]]}")
    for partner in partners:
        role = next((n for n, c in chosen.items() if c == partner), None)
        if role:
            raise ParameterError(
                f"partners: {partner} is the {role}; a partner must be a country other than "
                f"the focus, rival and patron ({chosen['focus']}, {chosen['rival']}, "
                f"{chosen['patron']})")

    text = {n: parsed.get(n, _BY_NAME[n].default) for n in ("author", "publisher")}
    return ReportParams(as_of=as_of, start_year=start_year, end_year=end_year,
                        partners=tuple(partners), data_dir=data_dir,
                        explicit=frozenset(given), **chosen, **text)


def describe(resolved: ReportParams | None = None) -> str:
    """The parameter table printed by `tightrope params`. With ``resolved`` (the defaults
    resolved against the evidence base), a default that depends on the data also gives the value
    it stands for now."""
    lines = ["Report parameters (pass with -p NAME=VALUE, or papermill -p NAME VALUE):", ""]
    for p in PARAMS:
        default = ", ".join(p.default) if isinstance(p.default, tuple) else p.default
        if default is None and resolved is not None:
            default = f"None (now: {getattr(resolved, p.name)})"
        lines.append(f"  {p.name:<11} {p.kind:<9} default: {default}")
        lines.append(f"  {'':<11} {p.help}")
    return "\n".join(lines)


def notebook_defaults() -> dict[str, Any]:
    """The names and defaults each notebook's parameters cell must hold."""
    return {p.name: list(p.default) if isinstance(p.default, tuple) else p.default
            for p in PARAMS}


def parameters_cell_source() -> str:
    """The canonical source of a notebook's ``parameters`` cell."""
    lines = ["# Parameters: declared once in analysis.params; `tightrope params` explains them."]
    for p in PARAMS:
        default = notebook_defaults()[p.name]
        lines.append(f"{p.name}: {p.annotation} = {default!r}  # {p.help.split('.')[0]}")
    return "\n".join(lines)
