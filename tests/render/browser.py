"""Drive real headless Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`): no port, no
third-party driver, only the standard library.

Used by the browser tests (page height of the demo report) and by `python tests/render/browser.py`, which
takes the screenshots in docs/screenshots/. Chromium reads commands from fd 3 and writes replies to fd 4,
each a JSON message ended by a NUL byte.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from crmsec.render.to_pdf import chromium_command

CHROMIUM = Path("/usr/bin/chromium")


def _high_pipe() -> tuple[int, int]:
    """A pipe whose two ends sit above fd 4, so moving them onto fds 3 and 4 in the child clobbers nothing."""
    ends = []
    for end in os.pipe():
        ends.append(fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(end)
    return ends[0], ends[1]


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, or went away."""


class Page:
    """One tab of a headless Chromium started for this object, at a fixed viewport width."""

    def __init__(self, *, width: int = 1280, height: int = 900, binary: Path = CHROMIUM) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="crmsec-browser-")
        to_browser_read, to_browser_write = _high_pipe()
        from_browser_read, from_browser_write = _high_pipe()
        command = chromium_command(
            binary,
            Path(self._folder.name) / "profile",
            "--remote-debugging-pipe",
            "--hide-scrollbars",
            f"--window-size={width},{height}",
            "about:blank",
        )

        def pipe_on_3_and_4() -> None:  # in the child, before exec: Chromium reads fd 3 and writes fd 4
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self._process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=pipe_on_3_and_4,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._writer = os.fdopen(to_browser_write, "wb", buffering=0)
        self._reader = os.fdopen(from_browser_read, "rb", buffering=0)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def _read_message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = self._reader.read(65536)
            if not chunk:
                raise BrowserError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def _send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        self._writer.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Send one command to the page's session and return its result."""
        return self._send(method, params, session=self._session)

    def _wait_for(self, event: str) -> None:
        while True:
            for index, seen in enumerate(self._events):
                if seen.get("method") == event:
                    del self._events[: index + 1]
                    return
            self._events.append(self._read_message())

    def open(self, path: Path) -> None:
        """Load a local file and wait for its load event (the report's script has run by then)."""
        self._events.clear()
        self.send("Page.navigate", {"url": path.resolve().as_uri()})
        self._wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def height(self) -> int:
        """The document's full height in CSS pixels."""
        return int(self.evaluate("document.documentElement.scrollHeight"))

    def screenshot(self, path: Path, *, selector: str | None = None, height: int = 900, top: float = 0.0) -> None:
        """A PNG of `height` px from the top of the element `selector` (or of the page at `top`)."""
        if selector is not None:
            top = float(
                self.evaluate(f"document.querySelector({json.dumps(selector)}).getBoundingClientRect().top + scrollY")
            )
        width = int(self.evaluate("document.documentElement.clientWidth"))
        clip = {"x": 0, "y": top, "width": width, "height": height, "scale": 1}
        data = self.send("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True})
        path.write_bytes(base64.b64decode(data["data"]))

    def close(self) -> None:
        """Stop this Chromium and remove its profile."""
        with contextlib.suppress(BrowserError, OSError):
            self._send("Browser.close")
        self._writer.close()
        self._reader.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()

    def __enter__(self) -> Page:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def take_screenshots(report_html: Path, out: Path, *, check_id: str = "CRM-AUTH-003") -> list[Path]:
    """The docs' screenshots of a rendered report: its top, one failing check (with its notes, controls and
    references unfolded) and the evaluation section, each 1280 x 900 px."""
    out.mkdir(parents=True, exist_ok=True)
    row = f"#check-{check_id}"
    shots = [
        (out / "report-top.png", None),
        (out / "report-failing-check.png", row),
        (out / "report-evaluation.png", "#evaluation"),
    ]
    with Page(width=1280, height=900) as page:
        page.open(report_html)
        page.evaluate(f"document.querySelector({json.dumps(row + ' details.about')}).open = true")
        for path, selector in shots:
            page.screenshot(path, selector=selector, height=900)
    return [path for path, _ in shots]


if __name__ == "__main__":
    # python tests/render/browser.py crmsec-demo/report.html docs/screenshots [CHECK-ID]
    for written in take_screenshots(Path(sys.argv[1]), Path(sys.argv[2]), *sys.argv[3:4]):
        print(written)
