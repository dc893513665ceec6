"""The real cause of a failed collection, as the hint the CLI prints under the error.

`ConnectorError`'s own hint ("check the connector's permissions on the named endpoint") fits a 403 and
nothing else. A 404 on the platform's own API usually means `--platform` does not match the server, and a
plain-http URL whose connection breaks off or answers garbage is usually an https-only server. This module
reads only the error (reason, message, endpoint) and the target; it never sees a response body.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Target

TOKENLESS_AUTH = frozenset({"client_credentials", "jwt"})
"""Auth flows that take their credentials from --credentials-file or a key, not from a token variable."""

_TRANSPORT = frozenset({Reason.UNREACHABLE, Reason.TIMEOUT, Reason.MALFORMED_RESPONSE, Reason.TLS_ERROR})


def _status(error: ConnectorError) -> int | None:
    """The HTTP status our connectors put in the message ("GET /x: HTTP 404"), if any."""
    head, separator, tail = str(error).rpartition(": HTTP ")
    return int(tail) if separator and head and tail.isdigit() else None


def explain_collection_failure(error: ConnectorError, target: Target) -> str:
    """The hint for a collection that failed with `error`: what most likely went wrong and what to do."""
    parts = urlsplit(target.url)
    status = _status(error)
    if parts.scheme == "http" and (error.reason in _TRANSPORT or "broke off" in str(error) or status == 400):
        return (
            f"{target.url} did not answer plain http usefully: the server may speak https only; "
            f"try https://{parts.netloc}"
        )
    if status in (404, 405) or error.reason is Reason.NOT_SUPPORTED:
        return (
            f"the server at {target.url} has no {error.endpoint}: is it a {target.platform} server? "
            "Check --platform (`crmsec scan --help` lists them) and --url"
        )
    if error.reason is Reason.PERMISSION_DENIED or status == 403:
        return f"the credential may not read {error.endpoint}: grant the connector's user that permission"
    if error.reason is Reason.AUTHENTICATION_FAILED or status == 401:
        return "the credentials were rejected: check the token (or --credentials-file) and that it has not expired"
    if status is not None and status >= 500:
        return f"the server failed on {error.endpoint} (HTTP {status}): try again later or ask its operator"
    if isinstance(error, TargetError):
        return error.hint
    return f"{error.endpoint} failed ({error.reason}): check --url, --platform and the credentials"
