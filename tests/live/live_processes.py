"""Process plumbing shared by the live CRM deployments (BottleCRM, Tryton): wait until a server answers, stop it.

Standard library only: the live servers run in their own virtual environments, started as process groups so
that a server and its workers stop together.
"""

from __future__ import annotations

import contextlib
import os
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

D = TypeVar("D", bound="Deployment")


class LiveSetupError(RuntimeError):
    """A live environment could not be prepared or started (no suitable Python, pip, migration or start failed)."""


def wait_until_answering(
    name: str,
    request: urllib.request.Request | str,
    process: subprocess.Popen[bytes] | None,
    *,
    server: str,
    log: Path,
    timeout: float,
    context: ssl.SSLContext | None = None,
) -> None:
    """Poll `request` until it answers 200; `LiveSetupError` naming the log when the process exits or time runs out."""
    url = request if isinstance(request, str) else request.full_url
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise LiveSetupError(f"{name}: {server} exited; see {log}")
        with (
            contextlib.suppress(urllib.error.URLError, OSError),
            urllib.request.urlopen(request, timeout=2, context=context) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise LiveSetupError(f"{name}: no answer on {url} within {timeout:.0f} s")


def stop_process_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM the process's group, SIGKILL it after 10 s; nothing to do when it already ended."""
    if process is None or process.poll() is not None:
        return
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=10)


class Deployment(Protocol):
    """A live CRM deployment: a name, started from a prepared cache, stopped (twice is safe)."""

    name: str

    def start(self, cache: Any) -> None: ...

    def stop(self) -> None: ...


@contextlib.contextmanager
def running(deployments: Sequence[D], cache: object) -> Iterator[dict[str, D]]:
    """Start every deployment from `cache`, yield them by name, and stop them all whatever happens (a failed
    start of the second still stops the first)."""
    try:
        for deployment in deployments:
            deployment.start(cache)
        yield {deployment.name: deployment for deployment in deployments}
    finally:
        for deployment in deployments:
            deployment.stop()
