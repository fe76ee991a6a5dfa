"""Client side of the warm engine: start a zygote, fork kernels and jobs from it.

``shared_pool()`` is the process's one zygote, started on first use and closed at exit; a
batch run or a test session reuses it across builds, so pandas, matplotlib and the library are
imported once per process that drives builds, and the evidence base is read once per data folder.
"""

from __future__ import annotations

import atexit
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import TightropeError


class EngineError(RuntimeError):
    """The zygote could not be started or stopped answering (a bug or a broken environment)."""


class ForkedProcess:
    """A child of the zygote, with the small part of the ``Popen`` API jupyter_client uses."""

    stdin = stdout = stderr = None

    def __init__(self, pool: WarmPool, pid: int, log: Path | None = None):
        self.pool = pool
        self.pid = pid
        self.log = log
        self.reported = False

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, AttributeError):
            return "(no log)"

    def poll(self) -> int | None:
        return self.pool._exit_code(self.pid)

    def wait(self, timeout: float | None = None) -> int | None:
        return self.pool._wait_exit(self.pid, timeout)

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class WarmPool:
    def __init__(self, python: str | None = None):
        self.python = python or sys.executable
        self._keep = os.environ.get("TIGHTROPE_ENGINE_LOGS")  # a folder: keep every log there
        if self._keep:
            Path(self._keep).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="tightrope-engine-", dir=self._keep))
        self.log = self.dir / "zygote.log"
        if python is None and _can_fork_here():
            self._proc = _fork_zygote(self.log)
        else:
            with open(self.log, "wb") as log:
                self._proc = subprocess.Popen(
                    [self.python, "-m", "analysis.engine.zygote"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, stderr=log, start_new_session=True)
        self._lock = threading.Lock()
        self._cond = threading.Condition()
        self._replies: dict[int, dict] = {}
        self._exits: dict[int, int] = {}
        self._next_id = 0
        self._jobs = 0
        self._forked = False  # whether it was ever asked to fork (then it has children to end)
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="tightrope-zygote", daemon=True)
        self._reader.start()
        self.preloaded: dict[str, str | None] = {}
        self.warmed: set[str] = set()
        self._warm_after: list | None = None  # [kernels still to fork, modules]

    # ------------------------------------------------------------------ protocol
    def _read(self) -> None:
        for line in self._proc.stdout:
            message = json.loads(line)
            with self._cond:
                if message.get("event") == "exit":
                    self._exits[message["pid"]] = message["code"]
                else:
                    if "pid" in message:  # a new child: forget an older one with that pid
                        self._exits.pop(message["pid"], None)
                    self._replies[message["id"]] = message
                self._cond.notify_all()
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _request(self, op: str, **payload: Any) -> dict:
        with self._lock:
            self._forked = self._forked or op == "fork"
            self._next_id += 1
            ident = self._next_id
            try:
                self._proc.stdin.write((json.dumps({"id": ident, "op": op, **payload}) + "\n")
                                       .encode())
                self._proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                raise EngineError(f"the warm engine has stopped{self._log_tail()}") from None
        with self._cond:
            while ident not in self._replies:
                if self._closed:
                    raise EngineError(f"the warm engine has stopped{self._log_tail()}")
                self._cond.wait()
            reply = self._replies.pop(ident)
        if not reply.get("ok"):
            raise EngineError(f"warm engine: {reply.get('error')}")
        return reply

    def _log_tail(self) -> str:
        try:
            tail = self.log.read_text(errors="replace").strip().splitlines()[-15:]
        except OSError:
            return ""
        return (":\n" + "\n".join(tail)) if tail else ""

    def _exit_code(self, pid: int) -> int | None:
        with self._cond:
            if pid in self._exits:
                return self._exits[pid]
            return -signal.SIGKILL if self._closed else None

    def _wait_exit(self, pid: int, timeout: float | None) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: pid in self._exits or self._closed, timeout)
        return self._exit_code(pid)

    # ------------------------------------------------------------------ API
    def ping(self) -> int:
        """The zygote's pid (it answers while still importing)."""
        return self._request("ping")["pid"]

    def lean(self) -> bool:
        """Ask the zygote, if it is still importing, not to load what section kernels need
        until one is asked for (a build whose sections all reuse their outputs merges and exports
        only). True if it went lean; False if those modules were in already."""
        return not self._request("lean")["kernels"]

    def preload(self, data_dir: Path | str | None, digest: str | None = None,
                window: tuple | None = None, params: dict | None = None) -> bool:
        """Load an evidence base into the zygote (once per folder, digest, window and
        parameters). With ``digest`` (see :func:`analysis.datafiles.data_digest`) the files are not
        validated again if they still hash to it; with ``window`` (as_of, start_year, end_year)
        the tables are also cut for that edition (see :func:`analysis.evidence.load_cut`); with
        ``params`` (the edition's, as notebooks get them) what several sections read is computed
        there too (:func:`analysis.report.prepare`). True if the data was trusted."""
        window = None if window is None else [str(window[0]), int(window[1]), int(window[2])]
        key = json.dumps([str(data_dir), window, params], sort_keys=True, default=str)
        if key in self.preloaded and self.preloaded[key] == digest:
            return bool(digest)
        reply = self._request("preload", data_dir=None if data_dir is None else str(data_dir),
                              digest=digest, window=window, params=params)
        self.preloaded[key] = digest
        return reply["trusted"]

    def warm(self, modules) -> None:
        """Import ``modules`` into the zygote itself (once), for the children forked after."""
        missing = [m for m in modules if m not in self.warmed]
        if missing:
            self._request("import", modules=missing)
            self.warmed.update(missing)

    def warm_after_kernels(self, count: int, modules) -> None:
        """:meth:`warm` ``modules`` in the background once ``count`` more kernels have been
        forked (at once if ``count`` is 0): what comes after those kernels (the export) finds
        them imported, and none of the kernels carries them."""
        with self._cond:
            self._warm_after = [count, tuple(modules)] if count > 0 else None
        if count <= 0:
            self._warm_in_background(tuple(modules))

    def _warm_in_background(self, modules: tuple) -> None:
        threading.Thread(target=self._warm_quietly, args=(modules,), name="tightrope-warm",
                         daemon=True).start()

    def _warm_quietly(self, modules: tuple) -> None:
        try:
            self.warm(modules)
        except EngineError:
            pass  # the engine stopped: whoever asks it next hears so

    def fork_kernel(self, connection_file: str, cwd: str | None = None,
                    env: dict[str, str] | None = None) -> ForkedProcess:
        """A new ipykernel kernel for ``connection_file``, forked from the warm parent."""
        log = self.dir / (Path(connection_file).stem + ".log")
        reply = self._request("fork", kind="kernel", connection_file=connection_file, cwd=cwd,
                              env=env, log=str(log))
        due = None
        with self._cond:
            if self._warm_after:
                self._warm_after[0] -= 1
                if self._warm_after[0] <= 0:
                    due, self._warm_after = self._warm_after[1], None
        if due:
            self._warm_in_background(due)
        return ForkedProcess(self, reply["pid"], log)

    def call_here(self, target: str, *args: Any, **kwargs: Any) -> Any:
        """Run ``module:function(*args, **kwargs)`` in the zygote itself and return its (JSON)
        result: for work whose loaded state (the evidence base) the children should inherit.
        Its exception is raised again here, as by :meth:`call`. Nothing that starts a thread
        may run there."""
        payload = self._request("call", target=target, args=list(args), kwargs=kwargs)["result"]
        if payload["ok"]:
            return payload["value"]
        raise _rebuild(payload)

    def call(self, target: str, *args: Any, cwd: str | None = None, **kwargs: Any) -> Any:
        """Run ``module:function(*args, **kwargs)`` in a forked child and return its (JSON)
        result; its exception is raised again here (a TightropeError keeps its class)."""
        with self._lock:
            self._jobs += 1
            job = self._jobs
        result = self.dir / f"job-{job}.json"
        log = self.dir / f"job-{job}.log"
        reply = self._request("fork", kind="call", target=target, args=list(args), kwargs=kwargs,
                              result=str(result), log=str(log), cwd=cwd)
        code = self._wait_exit(reply["pid"], None)
        try:
            payload = json.loads(result.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise EngineError(f"{target} died (exit code {code}) before it reported:\n"
                              f"{tail}") from None
        finally:
            result.unlink(missing_ok=True)
        if payload["ok"]:
            log.unlink(missing_ok=True)
            return payload["value"]
        raise _rebuild(payload)

    def close(self) -> None:
        """Stop the zygote: it ends its children and exits. One that never forked has nothing to
        end and may still be importing (a command that stopped at a mistake): killed at once."""
        if self._proc.poll() is None:
            try:
                self._proc.stdin.close()
                if self._forked:
                    self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
        if not self._keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None and not self._closed

    @property
    def pid(self) -> int:
        return self._proc.pid


def _can_fork_here() -> bool:
    """This process may become the zygote's parent by fork: one thread, no ZeroMQ context, no
    running event loop, and a matplotlib backend not yet chosen (the zygote selects the inline
    one). Then the zygote starts with what this process already imported and loaded."""
    if not hasattr(os, "fork") or os.environ.get("TIGHTROPE_ENGINE_SPAWN"):
        return False
    if threading.active_count() != 1:
        return False
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return False
    import asyncio

    try:
        asyncio.get_running_loop()
        return False
    except RuntimeError:
        pass
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        from matplotlib import rcsetup

        if mpl.rcParams._get("backend") is not rcsetup._auto_backend_sentinel and \
                "inline" not in str(mpl.rcParams._get("backend")):
            return False
    return True


class _ForkedZygote:
    """The zygote as a forked child of this process, with the Popen API WarmPool uses."""

    def __init__(self, pid: int, stdin, stdout):
        self.pid, self.stdin, self.stdout, self.returncode = pid, stdin, stdout, None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"zygote {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


def _fork_zygote(log: Path) -> _ForkedZygote:
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the zygote: serve, then leave without running this process's exit handlers
        code = 0
        try:
            os.setsid()
            os.close(requests_w)
            os.close(replies_r)
            os.dup2(log_fd, 2)
            os.close(log_fd)
            # the streams this process may have swapped (a harness capturing output in a
            # StringIO): kernels write through the real descriptors
            for name in ("stdin", "stdout", "stderr"):
                if getattr(sys, f"__{name}__", None) is not None:
                    setattr(sys, name, getattr(sys, f"__{name}__"))
            from .zygote import INLINE_BACKEND, serve

            if not os.environ.get("MPLBACKEND"):
                os.environ["MPLBACKEND"] = INLINE_BACKEND
            mpl = sys.modules.get("matplotlib")
            if mpl is not None:  # imported here before the variable was set: set what it sets
                from matplotlib import rcsetup

                if mpl.rcParams._get("backend") is rcsetup._auto_backend_sentinel:
                    mpl.rcParams["backend"] = INLINE_BACKEND

            serve(requests_r, replies_w)
        except BaseException:  # noqa: BLE001 - reported in the log; the client sees EOF
            import traceback

            traceback.print_exc()
            code = 70
        finally:
            os._exit(code)
    os.close(requests_r)
    os.close(replies_w)
    os.close(log_fd)
    return _ForkedZygote(pid, os.fdopen(requests_w, "wb"), os.fdopen(replies_r, "rb"))


def _rebuild(payload: dict) -> Exception:
    """The child's exception again: a project error keeps its class and one-line message."""
    module, _, name = payload["type"].rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        cls = None
    if isinstance(cls, type) and issubclass(cls, TightropeError):
        error = cls.__new__(cls)  # its __init__ may take other arguments: keep the message
        Exception.__init__(error, payload["message"])
        return error
    return EngineError(f"{payload['type']}: {payload['message']}\n{payload['traceback']}")


_shared: WarmPool | None = None
_shared_lock = threading.Lock()
#: whether :func:`release_shared_pool` may stop the shared pool (see :func:`keep_shared_pool`)
_releasable = True


def shared_pool() -> WarmPool:
    """This process's warm pool (started now if there is none, or if it died)."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.alive:
            _shared = WarmPool()
            atexit.register(_shared.close)
        return _shared


def close_shared_pool() -> None:
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


def keep_shared_pool() -> None:
    """Keep this process's warm pool across commands: a process that runs many (the test suite
    runs builds in-process) then starts one engine for all of them."""
    global _releasable
    _releasable = False


def release_shared_pool() -> bool:
    """Stop this process's warm pool, now that its command will not ask it again (a build of one
    edition, before its PDF compiles: the engine's memory is then free for the compile's);
    unless :func:`keep_shared_pool` was called. True if it was stopped."""
    if _releasable:
        close_shared_pool()
    return _releasable
