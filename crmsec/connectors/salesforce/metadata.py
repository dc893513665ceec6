"""The Metadata API's SOAP `listMetadata` and `readMetadata`, for what no REST or Tooling object exposes.

Used for: trusted IP ranges (`SecuritySettings.networkAccess`), connected-app OAuth scopes and policies
(`ConnectedApp.oauthConfig` / `oauthPolicy`), profile login IP ranges (`Profile.loginIpRanges`) and external
client apps (`ExternalClientApplication`, `ExtlClntAppOauthSettings`, `ExtlClntAppOauthConfigurablePolicies`).
Metadata full names are never derived from labels (labels have spaces, are translated, and custom names
are URL-encoded): `listMetadata` returns each component's `fullName` with its record `id`, and the connector
reads exactly those names. The session id goes in the SOAP header as the API requires; it never appears in
an error. Answers are parsed only after refusing any DTD (no entity expansion is possible then), with the
body capped by the HTTP layer.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from crmsec.connectors.salesforce.api import SalesforceApi
from crmsec.errors import ConnectorError, Reason

MAX_NAMES = 10
MAX_QUERIES = 3
"""readMetadata takes up to 10 full names per call, listMetadata up to 3 queries (Metadata API Developer Guide)."""


def same_id(first: Any, second: Any) -> bool:
    """True when two Salesforce ids name the same record: equal, or a 15-character id equal to the first 15
    characters of an 18-character one (the last three are a case checksum)."""
    if not isinstance(first, str) or not isinstance(second, str) or len(first) < 15 or len(second) < 15:
        return False
    return first == second or (min(len(first), len(second)) == 15 and first[:15] == second[:15])


def _envelope(session: str, operation: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:met="http://soap.sforce.com/2006/04/metadata">'
        f"<soapenv:Header><met:SessionHeader><met:sessionId>{escape(session)}</met:sessionId>"
        "</met:SessionHeader></soapenv:Header>"
        f"<soapenv:Body>{operation}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def _read_operation(kind: str, names: list[str]) -> str:
    full_names = "".join(f"<met:fullNames>{escape(name)}</met:fullNames>" for name in names)
    return f"<met:readMetadata><met:type>{escape(kind)}</met:type>{full_names}</met:readMetadata>"


def _list_operation(kinds: list[str], version: str) -> str:
    queries = "".join(f"<met:queries><met:type>{escape(kind)}</met:type></met:queries>" for kind in kinds)
    return f"<met:listMetadata>{queries}<met:asOfVersion>{escape(version)}</met:asOfVersion></met:listMetadata>"


async def _session(api: SalesforceApi) -> str:
    access_token = getattr(api.auth, "access_token", None)
    if access_token is None:
        raise ConnectorError(
            "the auth flow cannot give a session id", endpoint="POST /services/Soap/m", reason=Reason.NOT_SUPPORTED
        )
    secret = await access_token(api.client)
    return str(secret.reveal())


async def _call(api: SalesforceApi, operation: str, *, element: str) -> list[dict[str, Any]]:
    path = f"/services/Soap/m/{api.version}"
    body = _envelope(await _session(api), operation)
    response = await api.send(
        "POST", path, body=body, content_type="text/xml; charset=UTF-8", headers={"SOAPAction": '""'}
    )
    return parse_response(response.content, endpoint=f"POST {path}", status=response.status, element=element)


async def list_metadata(api: SalesforceApi, kinds: list[str]) -> list[dict[str, Any]]:
    """The FileProperties (`fullName`, `id`, `type`, `createdDate`, ...) of every component of `kinds`."""
    found: list[dict[str, Any]] = []
    for start in range(0, len(kinds), MAX_QUERIES):
        operation = _list_operation(kinds[start : start + MAX_QUERIES], api.version)
        found.extend(await _call(api, operation, element="result"))
    return found


async def read_metadata(api: SalesforceApi, kind: str, names: list[str]) -> list[dict[str, Any]]:
    """The records of `kind` named `names` (up to 10 per call; more are split into several calls)."""
    records: list[dict[str, Any]] = []
    for start in range(0, len(names), MAX_NAMES):
        operation = _read_operation(kind, names[start : start + MAX_NAMES])
        records.extend(await _call(api, operation, element="records"))
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


def parse_response(content: bytes, *, endpoint: str, status: int, element: str = "records") -> list[dict[str, Any]]:
    """The `records` of a readMetadata answer (`result` of a listMetadata one); a SOAP fault becomes a
    ConnectorError with its fault code."""
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
    found = [node for node in root.iter() if _strip(node.tag) == element]
    parsed = [_to_value(node) for node in found]
    return [record for record in parsed if isinstance(record, dict)]


def as_list(value: Any) -> list[Any]:
    """A repeated XML element as a list (one occurrence parses as a scalar or dict)."""
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]
