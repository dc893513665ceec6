"""Shared pytest fixtures: asyncio for anyio tests, and no network beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # unix sockets and the like


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse connections to anything but loopback: unit tests never touch the network."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if not _is_loopback(address):
            raise RuntimeError(f"test tried to reach {address!r}: only loopback is allowed")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--update-golden` rewrites golden files (tests/render/golden/) instead of comparing with them."""
    parser.addoption("--update-golden", action="store_true", default=False, help="rewrite golden files")
