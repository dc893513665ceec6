"""Redaction at the edges: PII masking, header and URL scrubbing, and a logging filter.

- `mask(value, category)` masks one value (`j***@e***.com`, `+86 138****5678`); see `crmsec.pii.masking`.
- `mask_identity(username)` pseudonymises an account identifier (`j***@e***.com#5df387fd`), and
  `mask_identities(key, value)` applies it to the identity fields of one evidence value (`IDENTITY_FIELDS`);
  see `crmsec.pii.identities`.
- `scrub_headers(headers)` replaces credential-bearing header values with `***`.
- `scrub_url(url)` drops URL user-info and the values of token-bearing query parameters.
- `RedactingFilter` applies both to log records (message and arguments) before any handler sees them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TypeVar, cast
from urllib.parse import urlsplit, urlunsplit

from crmsec.pii.identities import mask_identity
from crmsec.pii.masking import mask

REDACTED = "***"

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
_SECRET_HEADER_PARTS = re.compile(r"api[-_]?key|token|secret|password|passwd|session|signature|credential|auth")
_SECRET_PARAMETERS = frozenset(
    {
        "token",
        "key",
        "api_key",
        "apikey",
        "api-key",
        "sig",
        "signature",
        "password",
        "passwd",
        "pwd",
        "secret",
        "code",
        "auth",
        "session",
        "sessionid",
        "client_secret",
        "access_token",
        "refresh_token",
        "id_token",
    }
)
_SECRET_PARAMETER_PARTS = re.compile(r"token|secret|password|passwd|signature|api[-_]?key|credential|session")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>]+")
_HEADER_LINE = re.compile(
    r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key)(\s*[:=]\s*)([^\r\n,}]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9\-._~+/]{8,}=*")
_KEY_VALUE = re.compile(
    r"(?i)\b((?:access_|refresh_|id_)?token|api[_-]?key|client_secret|secret|password|passwd|sig|signature)"
    r"(\s*[=:]\s*)([^\s&\"',;}]+)"
)

__all__ = [
    "IDENTITY_FIELDS",
    "REDACTED",
    "Identities",
    "RedactingFilter",
    "mask",
    "mask_identities",
    "mask_identity",
    "scrub_headers",
    "scrub_text",
    "scrub_url",
]

Value = TypeVar("Value")


class Identities(StrEnum):
    """Whether evidence and reports hold account identifiers masked (the default) or as the CRM shows them."""

    MASKED = "masked"
    SHOWN = "shown"


IDENTITY_FIELDS: Mapping[str, Mapping[str, bool]] = {
    "identity.users": {"username": True, "id": False},
    "integrations.api_keys": {"owner": True},
    "integrations.oauth_tokens": {"user": False},
}
"""Evidence key -> identity field of its records -> True to mask every value, False only e-mail-form ones
(a user id such as Salesforce's `005...` is no personal data and stays as it is; an id or token user in
e-mail form is masked like the username, so the two keys still join).
Display names (`identity.users.name`) are not listed: connectors always mask them with `mask()`."""


def mask_identities(key: str, value: Value) -> Value:
    """`value` of evidence `key` with its identity fields pseudonymised by `mask_identity`; other keys as they are.

    The same username masks to the same text in every key, so joins between keys still work.
    """
    fields = IDENTITY_FIELDS.get(key)
    if fields is None or not isinstance(value, list):
        return value
    return cast("Value", [_mask_record(record, fields) for record in value])


def _mask_record(record: object, fields: Mapping[str, bool]) -> object:
    if not isinstance(record, dict):
        return record
    masked = dict(record)
    for name, always in fields.items():
        found = masked.get(name)
        if isinstance(found, str) and (always or "@" in found):
            masked[name] = mask_identity(found)
    return masked


def secret_header(name: str) -> bool:
    """True for header names that carry credentials (Authorization, Cookie, X-API-Key, *token*, ...)."""
    lowered = name.strip().lower()
    return lowered in _SECRET_HEADERS or _SECRET_HEADER_PARTS.search(lowered) is not None


def secret_parameter(name: str) -> bool:
    """True for query-parameter names that carry credentials (access_token, key, sig, password, ...)."""
    lowered = name.strip().lower()
    return lowered in _SECRET_PARAMETERS or _SECRET_PARAMETER_PARTS.search(lowered) is not None


def scrub_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A copy of `headers` with credential-bearing values replaced by `***` (names keep their case)."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name): REDACTED if secret_header(str(name)) else str(value) for name, value in items}


def scrub_url(url: str) -> str:
    """`url` without user-info, and with the values of token-bearing query (and fragment) parameters as `***`.

    Other parameters keep their exact spelling. Text that does not parse as a URL is returned unchanged.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc.rpartition("@")[2] if "@" in parts.netloc else parts.netloc
    return urlunsplit(
        (parts.scheme, netloc, parts.path, _scrub_parameters(parts.query), _scrub_parameters(parts.fragment))
    )


def _scrub_parameters(query: str) -> str:
    if "=" not in query:
        return query
    pieces = []
    for piece in query.split("&"):
        name, equals, _value = piece.partition("=")
        pieces.append(f"{name}={REDACTED}" if equals and secret_parameter(name) else piece)
    return "&".join(pieces)


def scrub_text(text: str) -> str:
    """Scrub URLs, credential headers, bearer tokens and `token=...` pairs inside free text (log lines)."""
    text = _URL.sub(lambda match: scrub_url(match.group()), text)
    text = _HEADER_LINE.sub(lambda match: f"{match.group(1)}{match.group(2)}{REDACTED}", text)
    text = _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)
    return _KEY_VALUE.sub(
        lambda match: match.group() if match.group(3) == REDACTED else f"{match.group(1)}{match.group(2)}{REDACTED}",
        text,
    )


def scrub_message(text: str) -> str:
    """Scrub a message crmsec wrote itself: URLs (user-info, token parameters) and bearer tokens only.

    Our error messages never hold secrets by construction; `scrub_text`'s `key: value` heuristics would
    mangle ordinary words in them ("no access token: set CRMSEC_TOKEN"), so they are not applied.
    """
    text = _URL.sub(lambda match: scrub_url(match.group()), text)
    return _BEARER.sub(lambda match: f"{match.group(1)} {REDACTED}", text)


def _scrub_argument(argument: object) -> object:
    if isinstance(argument, str):
        return scrub_text(argument)
    if isinstance(argument, Mapping):
        return {key: REDACTED if secret_header(str(key)) else _scrub_argument(value) for key, value in argument.items()}
    if isinstance(argument, list | tuple):
        return type(argument)(_scrub_argument(item) for item in argument)
    return argument


class RedactingFilter(logging.Filter):
    """A logging filter that scrubs credentials from a record's message and arguments; it never drops records.

    Attach it to handlers (`handler.addFilter(RedactingFilter())`) so records from every logger pass it.
    Arguments that are mappings are treated as headers; strings are scrubbed as text; other objects are
    formatted first, so their `str()` is scrubbed too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub `record` in place and keep it."""
        if isinstance(record.msg, str):
            record.msg = scrub_text(record.msg)
        if isinstance(record.args, Mapping):
            record.args = _scrub_argument(record.args)  # type: ignore[assignment]
        elif isinstance(record.args, tuple):
            record.args = tuple(
                _scrub_argument(
                    argument if isinstance(argument, str | Mapping | list | tuple | int | float) else str(argument)
                )
                for argument in record.args
            )
        return True
