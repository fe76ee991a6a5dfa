"""Start-up costs the project does not need to pay.

``jsonschema`` (imported by ``nbformat``, hence by papermill and nbconvert) imports the optional
``rfc3987_syntax`` at import time to check the ``iri`` formats, and that module compiles its Lark
grammars as it loads: about 2-3 CPU seconds in every process, for a check no notebook schema uses
(upstream: python-jsonschema/jsonschema#1428). :func:`defer_rfc3987_syntax` puts a stand-in in
``sys.modules`` that loads the real module on first use, so the check still works when asked for.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

_NAME = "rfc3987_syntax"


def _real() -> types.ModuleType:
    """Swap the stand-in for the real module (compiling its grammars now) and return it."""
    module = sys.modules.get(_NAME)
    if isinstance(module, _Deferred):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system probes __path__ etc.: not a use
            raise AttributeError(name)
        return getattr(_real(), name)


def _is_valid_syntax(*args, **kwargs):
    return _real().is_valid_syntax(*args, **kwargs)


def defer_rfc3987_syntax() -> None:
    """Make ``import rfc3987_syntax`` cheap until something calls into it. Idempotent."""
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return
    stub = _Deferred(_NAME, "stand-in for rfc3987_syntax, loaded on first use")
    stub.is_valid_syntax = _is_valid_syntax
    sys.modules[_NAME] = stub
