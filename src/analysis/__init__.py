"""Tightrope: a data-driven report on Armenia between Russia and the West.

Public API for notebooks: ``start_section`` opens a section (parameters validated, evidence loaded
and cut to ``as_of``); the section builders live in ``analysis.builders``.

The names below are loaded on first use (PEP 562), so ``tightrope`` commands that need neither
pandas nor matplotlib (a build with nothing to do, ``tightrope sections``) start in a fraction of a
second.
"""

from importlib import import_module

from ._startup import defer_rfc3987_syntax

defer_rfc3987_syntax()

_EXPORTS = {
    "DataValidationError": ".errors", "ParameterError": ".errors", "TightropeError": ".errors",
    "PARAMS": ".params", "ReportParams": ".params", "resolve": ".params",
    "SectionContext": ".report", "start_section": ".report",
}
__all__ = [
    "PARAMS",
    "DataValidationError",
    "ParameterError",
    "ReportParams",
    "SectionContext",
    "TightropeError",
    "resolve",
    "start_section",
]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_EXPORTS])
