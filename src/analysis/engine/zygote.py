"""The warm parent: import everything once, then fork kernels and jobs on request.

Run as ``python -m analysis.engine.zygote`` by :class:`analysis.engine.pool.WarmPool`. It speaks
JSON lines: requests on stdin, replies and ``{"event": "exit", "pid": ..., "code": ...}`` events on
stdout. Nothing but the protocol may reach stdout, so the process's own fd 1 is pointed at stderr.

The zygote never executes notebook code, starts no thread and opens no ZeroMQ context before it
forks: every child starts from the same clean, pre-imported state. When its stdin closes (the pool
closed, or the client died) it kills its children and exits; children die with it (PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import pkgutil
import selectors
import signal
import sys
import traceback
from collections.abc import Callable

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


#: what export jobs import: loaded into the zygote when the first export is asked for (op
#: "import"), after the section kernels were forked, so that no kernel carries their pages
EXPORT_IMPORTS = ("nbformat", "analysis.merge", "analysis.bibliography",
                  "analysis.export.html_exporter", "analysis.export.typst_exporter")


def warm_imports(between: Callable[[], None] = lambda: None) -> None:
    """Everything a section kernel imports, loaded once before any fork (the exporters come
    later: :data:`EXPORT_IMPORTS`): :func:`evidence_imports`, then :func:`kernel_imports`.
    ``between`` runs after each module (the zygote answers calls meanwhile)."""
    evidence_imports(between)
    kernel_imports(between)


def evidence_imports(between: Callable[[], None] = lambda: None) -> None:
    """What reading the evidence base needs (the command's first questions, merging a report)."""
    # the backend an ipykernel kernel selects (ipykernel.kernelapp sets the same variable)
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    import analysis  # noqa: F401  (defers rfc3987-syntax before nbformat comes in)

    _without_debugger()  # first: nothing, not even an early call, imports it otherwise
    # the evidence base's modules next: what the command asks before the build (the
    # parameters' facts) can be answered while the rest loads
    for name in ("numpy", "pandas", "analysis.evidence"):
        importlib.import_module(name)
    between()


def kernel_imports(between: Callable[[], None] = lambda: None) -> None:
    """What a section kernel imports as it starts, and one chart drawn (see :func:`_draw_once`).
    A build whose sections all reuse their outputs skips it (op ``lean``)."""
    # with what a kernel imports as it starts (its shell's inspector, debugger, completer,
    # tornado's event loop and the store magic)
    # (matplotlib in steps: a ``lean`` request that comes meanwhile stops it sooner)
    for name in ("matplotlib.rcsetup", "matplotlib.cm", "matplotlib.font_manager",
                 "matplotlib.image", "matplotlib.figure", "matplotlib.pyplot", "seaborn",
                 "matplotlib_inline.backend_inline", "IPython", "ipykernel.kernelapp",
                 "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.core.oinspect",
                 "IPython.core.completerlib", "IPython.core.debugger", "tornado.platform.asyncio",
                 "IPython.extensions.storemagic", "analysis.report"):
        importlib.import_module(name)
        between()
    from analysis import builders

    for info in pkgutil.iter_modules(builders.__path__, builders.__name__ + "."):
        importlib.import_module(info.name)
    between()
    if not os.environ.get("TIGHTROPE_NO_WARMUP"):
        import matplotlib

        # only a warm-up: if it fails (say, on SOURCE_DATE_EPOCH, which matplotlib reads), a
        # section meets the same error and reports it in its own cell; the engine goes on
        with matplotlib.rc_context(), contextlib.suppress(Exception):
            _draw_once()  # (the rc_context: the theme is not left behind for other notebooks)


def _draw_once() -> None:
    """Draw and save one small themed chart, so that every kernel starts with the fonts loaded
    and the text and SVG machinery primed (each section would otherwise pay for it again).
    Nothing of it is kept: the figure is closed and the theme is set again by each chart."""
    from analysis import charttext, figures, theme

    fig, ax = theme.new_figure((3, 2))
    ax.plot([2000, 2010, 2020], [1, 3, 2], label=charttext.plain("Armenia, 2000–2020"))
    ax.bar([2005], [2], label="bar")
    ax.set_title("Title")
    ax.set_xlabel("Year")
    ax.annotate("note", (2010, 3), xytext=(2012, 2.5), fontsize=7, fontweight="bold",
                arrowprops={"arrowstyle": "-"})
    ax.legend()
    figures.svg_of(fig)


def _without_debugger() -> None:
    """Kernels that run a build's sections serve no debugger: with debugpy hidden while
    ``ipykernel.debugger`` is imported, it records debugpy as unavailable, and no forked kernel
    imports debugpy and pydevd (a quarter of a second each) when it starts. debugpy stays
    importable for the notebooks' own code."""
    if "ipykernel.debugger" in sys.modules:
        return
    hidden = "debugpy" not in sys.modules
    if hidden:
        sys.modules["debugpy"] = None  # import fails with ImportError, as if not installed
    try:
        importlib.import_module("ipykernel.debugger")
    finally:
        if hidden:
            del sys.modules["debugpy"]


def _preload(data_dir: str | None, digest: str | None, window: list | None = None,
             params: dict | None = None) -> dict:
    """Load the evidence base into the (inherited) cache; skip validation if the build already
    validated files with exactly this digest. With ``window`` ([as_of, start_year, end_year]),
    also cut it for that edition, so each section kernel inherits the cut tables; with
    ``params`` (the edition's parameters as a notebook gets them), also compute what several
    sections read (:func:`analysis.report.prepare`)."""
    import datetime as dt

    from analysis import evidence, paths

    folder = paths.data_dir(data_dir)
    trusted = bool(digest) and evidence.trust(folder, digest)
    evidence.load_tables(folder)
    if window:
        as_of, start_year, end_year = window
        evidence.load_cut(folder, dt.date.fromisoformat(as_of), int(start_year), int(end_year))
    if params is not None:
        from analysis.report import prepare

        try:
            prepare(params)
        except Exception:  # noqa: BLE001 - a section meets the same error and reports it, in place
            traceback.print_exc()
    return {"trusted": trusted}


def _pdeathsig() -> None:
    """Die with the zygote (Linux); elsewhere the kernels' parent poller does the same job."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child_setup(request: dict, protocol_fds: tuple[int, ...]) -> None:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _pdeathsig()
    for fd in protocol_fds:
        os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    log = os.open(request.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    if request.get("env") is not None:
        os.environ.clear()
        os.environ.update(request["env"])
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    if request.get("cwd"):
        os.chdir(request["cwd"])


def _run_kernel(request: dict) -> int:
    from ipykernel.kernelapp import IPKernelApp

    # parent_handle's default was read from the environment when the zygote imported ipykernel
    # no input history: a section's kernel lives for one run (and parallel kernels would
    # contend for the one history database)
    sys.argv = ["ipykernel_launcher", "-f", request["connection_file"],
                f"--IPKernelApp.parent_handle={os.getppid()}", "--HistoryManager.enabled=False"]
    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    _inline_figures(app.shell)
    app.start()
    return 0


def _inline_figures(shell) -> None:
    """What matplotlib-inline does when a kernel's code first imports pyplot: the zygote
    imported it before any shell existed, so a forked kernel hooks it up here. Figures left
    open at the end of a cell are then shown, as in any Jupyter kernel."""
    import matplotlib

    backend = matplotlib.get_backend()
    if backend in (INLINE_BACKEND, "inline"):
        from IPython.core.pylabtools import activate_matplotlib
        from matplotlib_inline.backend_inline import configure_inline_support

        activate_matplotlib(backend)
        configure_inline_support(shell, backend)


def _invoke(request: dict) -> dict:
    """``module:function(*args, **kwargs)`` of the request: its value, or its exception as data
    (the client raises it again, see :func:`analysis.engine.pool._rebuild`)."""
    module, _, name = request["target"].partition(":")
    try:
        value = getattr(importlib.import_module(module), name)(*request.get("args", ()),
                                                               **request.get("kwargs", {}))
        return {"ok": True, "value": value}
    except BaseException as exc:  # noqa: BLE001 - handed back to the caller, who re-raises
        return {"ok": False, "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
                "message": str(exc), "traceback": traceback.format_exc()}


def _run_call(request: dict) -> int:
    payload = _invoke(request)
    with open(request["result"], "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    return 0 if payload["ok"] else 1


def settle() -> None:
    """Collect the garbage, then freeze what is left: the objects the zygote holds move to the
    collector's permanent generation. A forked child's collections then never walk them (each
    section kernel did one full collection over a million inherited objects, about 0.1 s), and
    never touch their pages, which stay shared with the zygote instead of being copied."""
    gc.collect()
    gc.freeze()


def _fork(request: dict, protocol_fds: tuple[int, ...]) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()  # objects made since the last settle() (the request's own are a few)
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        _child_setup(request, protocol_fds)
        code = _run_kernel(request) if request["kind"] == "kernel" else _run_call(request)
    except BaseException:  # noqa: BLE001 - the child must never return into the zygote's loop
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(proto_in: int | None = None, proto_out: int | None = None) -> None:
    """Answer requests until the client goes away. Without descriptors (a new interpreter), the
    protocol is on stdin/stdout; a client that forked this zygote passes its pipe ends.

    While the zygote still imports, it answers calls and pings at once (the command resolves
    its parameters and checks the data meanwhile) and keeps the other requests for when every
    module is loaded; if the client goes away meanwhile, it stops at once, and what it kept is
    not answered."""
    if proto_in is None:
        proto_in, proto_out = os.dup(0), os.dup(1)
    # stray prints go to stderr (the zygote's log), never into the protocol
    os.dup2(2, 1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    out = os.fdopen(proto_out, "w", buffering=1, encoding="utf-8")

    def send(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    children: set[int] = set()
    protocol_fds: list[int] = [proto_in, proto_out]
    warm = False  # every module it was asked to load is in (the kernels' too, unless lean)
    lean = False  # asked, while still importing, not to load the kernels' modules for now
    kernels_ready = False

    def load_kernel_modules() -> None:
        """The kernels' modules, at the first kernel asked of a zygote that went lean."""
        nonlocal kernels_ready
        kernel_imports()
        settle()
        kernels_ready = True

    def handle(request: dict) -> None:
        reply: dict = {"id": request.get("id")}
        try:
            if request["op"] == "fork":
                if request.get("kind") == "kernel" and not kernels_ready:
                    load_kernel_modules()
                pid = _fork(request, tuple(protocol_fds))
                children.add(pid)
                reply.update(ok=True, pid=pid)
            elif request["op"] == "preload":
                reply.update(ok=True, **_preload(request.get("data_dir"), request.get("digest"),
                                               request.get("window"), request.get("params")))
                settle()
            elif request["op"] == "import":
                for name in request["modules"]:
                    importlib.import_module(name)
                settle()
                reply.update(ok=True)
            elif request["op"] == "call":  # in the zygote itself: what it loads, it keeps
                reply.update(ok=True, result=_invoke(request))
                if warm:
                    settle()
            elif request["op"] == "ping":
                reply.update(ok=True, pid=os.getpid(), warm=warm, kernels=kernels_ready)
            elif request["op"] == "lean":  # too late: the kernels' modules are in already
                reply.update(ok=True, kernels=kernels_ready)
            else:
                reply.update(ok=False, error=f"unknown op {request['op']!r}")
        except Exception as exc:  # noqa: BLE001 - reported to the client, the zygote goes on
            reply.update(ok=False, error=f"{type(exc).__name__}: {exc}")
        send(reply)

    buffer = b""
    closed = False
    waiting: list[dict] = []  # requests that need every module loaded

    def read_requests() -> list[dict]:
        """The complete requests among what arrived (called when there is something to read)."""
        nonlocal buffer, closed
        data = os.read(proto_in, 1 << 16)
        if not data:
            closed = True
            return []
        buffer += data
        requests = []
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                requests.append(json.loads(line))
        return requests

    def between() -> None:
        nonlocal lean
        while _readable(proto_in):
            for request in read_requests():
                if request.get("op") == "lean" and not waiting:
                    lean = True
                    send({"id": request.get("id"), "ok": True, "kernels": False})
                elif request.get("op") in ("call", "ping") and not waiting:  # in the order asked
                    handle(request)
                else:
                    waiting.append(request)
            if closed:  # the command is gone (an error, ^C): do not finish warming up for it
                raise _ClientGone

    def between_kernel_modules() -> None:
        between()
        if lean:  # no kernel will be asked for soon: the rest waits for the first one
            raise _Lean

    try:
        evidence_imports(between)
        between_kernel_modules()  # (a lean request that came with the first answers)
        kernel_imports(between_kernel_modules)
        kernels_ready = True
    except _ClientGone:
        return
    except _Lean:
        pass
    settle()
    warm = True
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    protocol_fds += [wake_r, wake_w]

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if not pid:
                return
            children.discard(pid)
            send({"event": "exit", "pid": pid, "code": os.waitstatus_to_exitcode(status)})

    for request in waiting:
        handle(request)
    selector = selectors.DefaultSelector()
    selector.register(proto_in, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    try:
        while True:
            for key, _ in selector.select():
                if key.fd == wake_r:
                    try:
                        while os.read(wake_r, 512):
                            pass
                    except BlockingIOError:
                        pass
                    continue
                for request in read_requests():
                    handle(request)
                if closed:
                    return
            reap()
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


class _ClientGone(Exception):
    """The client closed the protocol while the zygote was still importing."""


class _Lean(Exception):
    """The client asked for no kernels' modules now (op ``lean``) while they were loading."""


def _readable(fd: int) -> bool:
    """Whether ``fd`` has data (or its end) to read now."""
    import select

    return bool(select.select([fd], [], [], 0)[0])


if __name__ == "__main__":
    serve()
