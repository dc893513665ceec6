"""The target of a scan, and its credentials: read from an environment variable or a file, never argv."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crmsec import files
from crmsec.errors import InputError

DEFAULT_TOKEN_ENV = "CRMSEC_TOKEN"  # noqa: S105 -- the name of a variable, not a secret
MAX_CREDENTIALS_BYTES = 1024 * 1024


class Secret:
    """A credential that never prints: `str()` and `repr()` give `Secret(***)`; only auth calls `reveal()`.

    `origin` says where it came from (`environment variable CRMSEC_TOKEN`, `--credentials-file PATH (token)`),
    for error messages that must name the source without showing the value.
    """

    __slots__ = ("_value", "origin")

    def __init__(self, value: str, *, origin: str = "the credential") -> None:
        self._value = value
        self.origin = origin

    def reveal(self) -> str:
        """The secret itself; call it only where it goes on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


@dataclass(frozen=True, slots=True)
class Target:
    """What to scan: platform, base URL (no user-info, no query), credentials and TLS trust settings."""

    platform: str
    url: str
    secret: Secret | None = None
    ca_bundle: Path | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    credentials: Mapping[str, Secret] = field(default_factory=dict)

    @property
    def host(self) -> str:
        """The host name of the URL."""
        return urlsplit(self.url).hostname or ""


def clean_url(url: str) -> str:
    """Validate a target URL and return it without user-info, query or fragment.

    Raises InputError for anything that is not an absolute http(s) URL, or that carries user-info
    (credentials in a URL leak into logs and reports, so we refuse them rather than strip them silently).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InputError(
            f"--url {url!r}: expected an absolute https:// URL",
            hint="e.g. --url https://acme.my.salesforce.com",
        )
    if parts.username or parts.password:
        raise InputError(
            "--url must not contain credentials", hint="put the token in CRMSEC_TOKEN or a --credentials-file"
        )
    netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    if ":" in (parts.hostname or "") and parts.port is None:
        netloc = f"[{parts.hostname}]"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def require_secure_transport(url: str, *, platform: str, allow_insecure_http: bool = False) -> None:
    """Refuse a plain-http URL for a platform that sends credentials, unless it is loopback and allowed.

    A bearer token sent over http is readable by anyone on the path, so `--url http://...` is an input
    error for such platforms. A test server on this machine (127.0.0.0/8, ::1, localhost) may be
    reached over http only with an explicit `--allow-insecure-http`; no flag allows another host.
    """
    parts = urlsplit(url)
    if parts.scheme != "http":
        return
    host = parts.hostname or ""
    if not allow_insecure_http:
        loopback = " (a loopback test server needs --allow-insecure-http)" if is_loopback(host) else ""
        raise InputError(
            f"--url {url}: plain http would send the {platform} credentials unencrypted to {host}{loopback}",
            hint="use https://; only a test server on this machine may be reached with --allow-insecure-http",
        )
    if not is_loopback(host):
        raise InputError(
            f"--allow-insecure-http applies to loopback hosts only (127.0.0.0/8, ::1, localhost), not {host}",
            hint=f"use https://{host}",
        )


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1); never resolves a name."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def secret_from_environment(name: str) -> Secret | None:
    """The secret in environment variable `name`, or None when it is unset or empty.

    A value that is not UTF-8 (Python keeps its bytes as lone surrogates) is an InputError naming `name`.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(
            f"environment variable {name}: not UTF-8 text", hint=f"set {name} to the credential itself, as text"
        ) from error
    return Secret(value, origin=f"environment variable {name}")


def require_header_safe(secret: Secret, *, what: str = "token") -> None:
    """Refuse a credential that cannot go into an HTTP header: only printable ASCII may (RFC 9110, RFC 6750).

    The InputError names where the credential came from (`Secret.origin`), never the value.
    """
    value = secret.reveal()
    if not (value.isascii() and value.isprintable()):
        raise InputError(
            f"{secret.origin}: the {what} holds a non-ASCII or control character, and it is sent in an HTTP "
            "header, which carries printable ASCII only",
            hint="copy the token again; look for a typographic quote or dash, a non-breaking space or a line break",
        )


def _credentials_error(message: str) -> InputError:
    return InputError(f"--credentials-file {message}")


def credentials_from_file(path: Path) -> dict[str, Secret]:
    """Read `KEY=VALUE` lines (or a single bare token) from a credentials file.

    A bare token becomes `token`. Comments (#) and blank lines are skipped. The file's contents never
    appear in an error message.
    """
    data = files.read_regular(path, limit=MAX_CREDENTIALS_BYTES, error=_credentials_error)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"--credentials-file {path}: not UTF-8 text") from error
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    if len(lines) == 1 and "=" not in lines[0]:
        return {"token": Secret(lines[0], origin=f"--credentials-file {path} (token)")}
    result: dict[str, Secret] = {}
    for number, line in enumerate(lines, start=1):
        name, separator, value = line.partition("=")
        if not separator or not name.strip():
            raise InputError(f"--credentials-file {path}: entry {number} is not KEY=VALUE")
        key = name.strip().lower()
        result[key] = Secret(value.strip(), origin=f"--credentials-file {path} ({key})")
    return result
