"""A jupyter_client kernel manager whose kernels are forked from the warm parent.

The kernel is a real ipykernel kernel: the manager writes the connection file and talks to it
over ZeroMQ like any other; only the launch differs (a fork of the zygote instead of a new
interpreter that imports everything again). A kernelspec for another interpreter or language is
launched the ordinary way.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import default

from .pool import shared_pool


def forkable(kernel_spec) -> bool:
    """A Python kernelspec that runs ipykernel in this very interpreter."""
    argv = list(getattr(kernel_spec, "argv", None) or [])
    if not argv or getattr(kernel_spec, "language", "python").lower() != "python":
        return False
    same_python = os.path.realpath(argv[0]) == os.path.realpath(sys.executable) or \
        argv[0] in ("python", "python3")
    return same_python and any("ipykernel" in a for a in argv[1:])


class WarmProvisioner(LocalProvisioner):
    """Launches the kernel by asking the zygote to fork; everything else as LocalProvisioner."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        connection_file = cmd[cmd.index("-f") + 1]
        pool = shared_pool()
        self.process = await asyncio.to_thread(pool.fork_kernel, connection_file,
                                               kwargs.get("cwd"), kwargs.get("env"))
        self.pid = self.process.pid
        self.pgid = None
        return self.connection_info

    async def poll(self) -> int | None:
        code = await super().poll()
        process = self.process
        if code not in (None, 0, -signal.SIGKILL) and process and not process.reported:
            process.reported = True  # a kernel that died on its own: say why, once
            self.log.error("kernel %s exited with code %s; its log ends:\n%s", self.pid, code,
                           process.log_tail())
        return code


class WarmKernelClient(AsyncKernelClient):
    """The client of a forked kernel: ready as soon as the kernel answers.

    jupyter_client's ``wait_for_ready`` sends ``kernel_info`` and, once the reply is in, waits up
    to 0.2 s for a message on IOPub to be sure that channel is connected; a subscription made an
    instant before the kernel published (ZeroMQ's slow joiner) misses the status message, and
    each kernel then sat out the whole 0.2 s before asking again. Here the same checks run with
    a short IOPub wait and ask again at once, as often as needed.
    """

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


class WarmKernelManager(AsyncKernelManager):
    @default("client_class")
    def _default_client_class(self) -> str:
        return "analysis.engine.kernels.WarmKernelClient"

    @default("client_factory")
    def _default_client_factory(self) -> type:
        return WarmKernelClient

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # a killed kernel's exit reaches us as soon as the zygote reaps it: look every 10 ms
        # (not every 100) whether it has gone
        await super()._async_wait(min(pollinterval, 0.01))

    @default("transport")
    def _default_transport(self) -> str:
        # Unix sockets beside the connection file: no TCP port picked by one process and taken
        # by another before the kernel binds it (builds run side by side), nothing on the network
        return "tcp" if sys.platform == "win32" else "ipc"

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None and forkable(self.kernel_spec):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            if self.transport == "ipc":
                # an absolute, per-kernel socket prefix (the default is relative to the cwd,
                # which differs between this process and the kernel)
                self.ip = str(shared_pool().dir / f"k-{self.kernel_id[:8]}")
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id,
                                               kernel_spec=self.kernel_spec, parent=self)
        return await super()._async_pre_start_kernel(**kw)
