"""The project's exceptions. A user mistake raises a TightropeError subclass, whose message is
shown as one clear line (the CLI exits 2 for bad input, 1 for a failed build); anything else is a bug
and keeps its traceback."""

from __future__ import annotations


class TightropeError(Exception):
    """Base of every error the CLI reports without a traceback (and a notebook too, see
    :meth:`_render_traceback_`)."""

    exit_code = 1

    def _render_traceback_(self) -> list[str]:
        """How IPython shows this error under a notebook cell: the cell's line that led to it
        and the one clear message, not the library's frames beneath (a mistake in the input is
        not a bug in the library). IPython calls this instead of formatting the frames."""
        return [*_cell_line(self.__traceback__), f"{type(self).__name__}: {self}"]


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


def _cell_line(tb) -> list[str]:
    """IPython's 'Cell In[3], line 4' and that line, for the innermost notebook cell among the
    frames of ``tb`` (none outside IPython, or if no cell is among them)."""
    import linecache
    import sys

    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    name = getattr(getattr(shell, "compile", None), "format_code_name", None)
    found = None
    while tb is not None and name is not None:
        label = name(tb.tb_frame.f_code.co_filename)
        if label:
            found = (" ".join(label), tb.tb_lineno, tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    if found is None:
        return []
    label, line, filename = found
    return [f"{label}, line {line}", f"----> {line} {linecache.getline(filename, line).strip()}"]
