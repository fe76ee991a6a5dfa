"""The project's exceptions. A user mistake raises a TightropeError subclass, whose message is
shown as one clear line (the CLI exits 2 for bad input, 1 for a failed build); anything else is a bug
and keeps its traceback."""

from __future__ import annotations


class TightropeError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class ParameterError(TightropeError):
    """A report parameter is unknown, of the wrong type or out of range."""

    exit_code = 2


class DataValidationError(TightropeError):
    """The evidence base does not match its descriptor. Holds every problem, not only the first."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the evidence base"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class SectionFailed(TightropeError):
    """A section notebook raised while executing."""

    exit_code = 1


class ExportError(TightropeError):
    """An export route (HTML, PDF) failed."""

    exit_code = 1


class OutputError(TightropeError):
    """The reports folder cannot be used (not writable, disk full): the environment, not input."""

    exit_code = 1
