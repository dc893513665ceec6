"""The Metadata API's SOAP `readMetadata`, for what no REST or Tooling object exposes.

Used for: trusted IP ranges (`SecuritySettings.networkAccess`), connected-app OAuth scopes and policies
(`ConnectedApp.oauthConfig` / `oauthPolicy`) and profile login IP ranges (`Profile.loginIpRanges`).
The session id goes in the SOAP header as the API requires; it never appears in an error. Answers are
parsed only after refusing any DTD (no entity expansion is possible then), with the body capped by the
HTTP layer.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from crmsec.connectors.salesforce.api import SalesforceApi
from crmsec.errors import ConnectorError, Reason

MAX_NAMES = 10
STANDARD_PROFILE_NAMES = {
    "System Administrator": "Admin",
    "Standard User": "Standard",
    "Read Only": "ReadOnly",
    "Marketing User": "MarketingProfile",
}


def profile_full_name(name: str) -> str:
    """The metadata full name of a profile (standard profiles have fixed API names)."""
    return STANDARD_PROFILE_NAMES.get(name, name)


def app_full_name(name: str) -> str:
    """The metadata full name of a connected app, derived from its name."""
    return re.sub(r"\W+", "_", name).strip("_")


def _envelope(session: str, kind: str, names: list[str]) -> bytes:
    full_names = "".join(f"<met:fullNames>{escape(name)}</met:fullNames>" for name in names)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:met="http://soap.sforce.com/2006/04/metadata">'
        f"<soapenv:Header><met:SessionHeader><met:sessionId>{escape(session)}</met:sessionId>"
        "</met:SessionHeader></soapenv:Header>"
        f"<soapenv:Body><met:readMetadata><met:type>{escape(kind)}</met:type>{full_names}"
        "</met:readMetadata></soapenv:Body></soapenv:Envelope>"
    ).encode()


async def read_metadata(api: SalesforceApi, kind: str, names: list[str]) -> list[dict[str, Any]]:
    """The records of `kind` named `names` (up to 10 per call; more are split into several calls)."""
    access_token = getattr(api.auth, "access_token", None)
    if access_token is None:
        raise ConnectorError(
            "the auth flow cannot give a session id", endpoint="POST /services/Soap/m", reason=Reason.NOT_SUPPORTED
        )
    session = (await access_token(api.client)).reveal()
    records: list[dict[str, Any]] = []
    path = f"/services/Soap/m/{api.version}"
    for start in range(0, len(names), MAX_NAMES):
        body = _envelope(session, kind, names[start : start + MAX_NAMES])
        response = await api.send(
            "POST", path, body=body, content_type="text/xml; charset=UTF-8", headers={"SOAPAction": '""'}
        )
        records.extend(parse_response(response.content, endpoint=f"POST {path}", status=response.status))
    return records


def _strip(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _to_value(element: ElementTree.Element) -> Any:
    children = list(element)
    if not children:
        return (element.text or "").strip()
    value: dict[str, Any] = {}
    for child in children:
        name = _strip(child.tag)
        converted = _to_value(child)
        if name in value:
            existing = value[name]
            value[name] = [*existing, converted] if isinstance(existing, list) else [existing, converted]
        else:
            value[name] = converted
    return value


def parse_response(content: bytes, *, endpoint: str, status: int) -> list[dict[str, Any]]:
    """The `records` of a readMetadata answer; a SOAP fault becomes a ConnectorError with its fault code."""
    if b"<!DOCTYPE" in content[:4096].upper() or b"<!ENTITY" in content.upper():
        raise ConnectorError(
            f"{endpoint}: refused an XML answer with a DTD", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
        )
    try:
        root = ElementTree.fromstring(content)  # noqa: S314 -- DTDs refused above, so no entity expansion
    except ElementTree.ParseError as error:
        raise ConnectorError(
            f"{endpoint}: the answer is not XML", endpoint=endpoint, reason=Reason.MALFORMED_RESPONSE
        ) from error
    fault = next((element for element in root.iter() if _strip(element.tag) == "faultcode"), None)
    if fault is not None or status >= 400:
        code = (fault.text or "").strip().removeprefix("sf:") if fault is not None else f"HTTP {status}"
        reason = {
            "INVALID_SESSION_ID": Reason.AUTHENTICATION_FAILED,
            "INSUFFICIENT_ACCESS": Reason.PERMISSION_DENIED,
            "INVALID_TYPE": Reason.NOT_SUPPORTED,
        }.get(code, Reason.HTTP_ERROR)
        raise ConnectorError(f"{endpoint}: SOAP fault {code}", endpoint=endpoint, reason=reason)
    records = [element for element in root.iter() if _strip(element.tag) == "records"]
    parsed = [_to_value(element) for element in records]
    return [record for record in parsed if isinstance(record, dict)]


def as_list(value: Any) -> list[Any]:
    """A repeated XML element as a list (one occurrence parses as a scalar or dict)."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]
