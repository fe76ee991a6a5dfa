"""Tightrope: a data-driven report on Armenia between Russia and the West.

Public API for notebooks: ``start_section`` opens a section (parameters validated, evidence loaded
and cut to ``as_of``); the section builders live in ``analysis.builders``.
"""

from .errors import DataValidationError, ParameterError, TightropeError
from .params import PARAMS, ReportParams, resolve
from .report import SectionContext, start_section

__all__ = ["PARAMS", "DataValidationError", "ParameterError", "ReportParams", "SectionContext",
           "TightropeError", "resolve", "start_section"]
__version__ = "0.1.0"
