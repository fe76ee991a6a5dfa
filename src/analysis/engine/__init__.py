"""The warm execution engine: one pre-imported parent process, a fresh forked kernel per section.

A *zygote* (:mod:`.zygote`) imports pandas, matplotlib, seaborn, IPython, ipykernel, nbconvert and
the library once, loads the evidence base once (trusting the hash the build validated), and then
only forks. Each section notebook runs in its own forked child that becomes a real Jupyter kernel
(ipykernel, the kernel protocol over ZeroMQ, driven by papermill/nbclient), so no state passes
from one section to another; each export format runs in a forked child too.

- :mod:`.pool` - the client side: start a zygote, fork kernels and jobs, learn when they exit.
- :mod:`.kernels` - a jupyter_client kernel manager/provisioner that gets its kernel by forking.
- :mod:`.papermill_engine` - the papermill engine ``tightrope`` (entry point ``papermill.engine``):
  ``papermill --engine tightrope in.ipynb out.ipynb``.
"""

import os

#: papermill engine of a build: "tightrope" forks each section's kernel from a warm parent;
#: TIGHTROPE_ENGINE=nbclient uses papermill's default (a new interpreter per section)
ENGINE = os.environ.get("TIGHTROPE_ENGINE", "tightrope")
ENGINES = ("tightrope", "nbclient")


def check_engine() -> None:
    """A user's TIGHTROPE_ENGINE names an engine (else one line, exit 2, before any work)."""
    if ENGINE not in ENGINES:
        from ..errors import ParameterError

        raise ParameterError(f"TIGHTROPE_ENGINE={ENGINE!r} is not an engine; unset it (the "
                             f"default is 'tightrope') or set one of {', '.join(ENGINES)}")


def start_early() -> None:
    """Start this process's warm engine now, if builds use it: its imports (about two seconds)
    then overlap with what this process loads and checks before it first asks the engine."""
    if ENGINE == "tightrope":
        from .pool import shared_pool

        shared_pool()
