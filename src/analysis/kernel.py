"""The project's own Jupyter kernel ("tightrope"): the interpreter the package is installed in."""

from __future__ import annotations

import sys

from . import paths


def ensure_kernel() -> str:
    """Install the kernelspec into this environment if it is missing; return its name."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(paths.KERNEL_NAME)
        if spec.argv and spec.argv[0] == sys.executable:
            return paths.KERNEL_NAME
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=paths.KERNEL_NAME, display_name="Python (tightrope)", prefix=sys.prefix)
    return paths.KERNEL_NAME
