"""The papermill engine ``tightrope``: ``papermill --engine tightrope in.ipynb out.ipynb -p ...``.

The same execution as papermill's default nbclient engine, with two differences: the kernel is
forked from the warm parent (:mod:`analysis.engine.kernels`), and it is shut down at once when the
last cell's outputs are in (no interrupt, no grace period). Registered under the entry point group
``papermill.engine`` in pyproject.toml; without ``--engine`` papermill works as always.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine


class TightropeEngine(NBClientEngine):
    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
        from .kernels import WarmKernelManager

        kwargs.setdefault("kernel_manager_class", WarmKernelManager)
        kwargs.setdefault("shutdown_kernel", "immediate")
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
