"""The lab's HTTPS server: the subset of Salesforce's REST, Tooling and Metadata APIs the connector reads.

A stdlib `ThreadingHTTPServer` (one thread per connection, keep-alive on) whose TLS handshake runs in the
connection's thread, so a stalled client never blocks the others. Every API response carries
`Sforce-Limit-Info`; errors use Salesforce's body shape `[{"errorCode": ..., "message": ...}]`.
Faults (latency, 5xx, 429 with Retry-After, truncated and slow bodies, token expiry) are injected here;
the fault plan and the token live in `crmsec.lab.state`, the TLS context in `crmsec.lab.certs`.

Which fault a request suffers is drawn from `random.Random(f"{seed}:{attempt}:{request}")`, where `request`
names the method, path, query and body and `attempt` counts how often that same request came before: the
same seed gives every request the same faults whatever order concurrent requests arrive in, so a faulted
run can be replayed. `fault_kinds` restricts the draw (only 429, only truncated bodies, ...), and
`fault_scope` says where faults strike: `api` (the versioned REST, Tooling and Metadata APIs) or `all`
(every path, for the web connector's probes of `/` and admin pages).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import socket
import ssl
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from crmsec.lab import metadata, oauth
from crmsec.lab.certs import tls_context as tls_context
from crmsec.lab.org import API_VERSION, encode
from crmsec.lab.soql import SoqlError
from crmsec.lab.state import FAULT_KINDS as FAULT_KINDS
from crmsec.lab.state import FAULT_SCOPES as FAULT_SCOPES
from crmsec.lab.state import ServerState as ServerState

logger = logging.getLogger(__name__)
_VERSIONED = re.compile(r"^/services/data/v(\d+\.\d)(/.*)?$")
VERSIONS = [("Winter '24", "59.0"), ("Spring '24", "60.0"), ("Summer '24", "61.0"), ("Winter '25", "62.0")]


class LabHandler(BaseHTTPRequestHandler):
    """Routes one request; `server.state` holds the org and settings."""

    protocol_version = "HTTP/1.1"
    server_version = "crmsec-lab"
    sys_version = ""
    state: ServerState
    _early_fault: str | None = None

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("lab: " + format, *args)

    def do_GET(self) -> None:
        """GET: version list, limits, queries, describes."""
        self._dispatch("GET")

    def do_POST(self) -> None:
        """POST: token endpoint, composite, Metadata API."""
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        self.state = self.server.state  # type: ignore[attr-defined]
        if self.state.latency_seconds:
            time.sleep(self.state.latency_seconds)
        parts = urlsplit(self.path)
        body = self._body() if method == "POST" else b""
        try:
            self._route(method, parts.path, parse_qs(parts.query), body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(length, 4 * 1024 * 1024))

    def _request_name(self, method: str, body: bytes) -> str:
        # Without the session id a SOAP body carries: every lab start makes a new token, and the same
        # seed must fault the same requests in every process.
        stable = body.replace(self.state.token.encode(), b"") if body else body
        return f"{method} {self.path} {hashlib.sha256(stable).hexdigest()[:16]}"

    def _route(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> None:
        self._early_fault = None
        if self.state.fault_scope == "all":
            early = self.state.draw_fault(self._request_name(method, body))
            if early in ("server_error", "unavailable", "rate_limited"):
                return self._fault(early)
            self._early_fault = early
        if path.rstrip("/") == "/services/data":
            versions = [
                {"label": label, "url": f"/services/data/v{number}", "version": number} for label, number in VERSIONS
            ]
            return self._json(200, versions, count=False)
        if path == "/services/oauth2/token" and method == "POST":
            return self._token(body)
        if path.startswith("/services/Soap/m/") and method == "POST":
            return self._soap(body)
        match = _VERSIONED.match(path)
        if match is None:
            return self._error(404, "NOT_FOUND", "The requested resource does not exist", count=False)
        if not self.state.accept(_bearer(self.headers.get("Authorization"))):
            return self._error(401, "INVALID_SESSION_ID", "Session expired or invalid", count=False)
        used, limit = self.state.count_call()
        if used > limit:
            return self._error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        fault = self._api_fault(method, body)
        if fault in ("server_error", "unavailable", "rate_limited"):
            return self._fault(fault)
        status, document = self._api(method, match.group(2) or "/", query, body)
        self._json(status, document, fault=fault)

    def _api_fault(self, method: str, body: bytes) -> str | None:
        """The fault of an API request: drawn here in scope `api`, already drawn in `_route` in scope `all`."""
        if self.state.fault_scope == "all":
            return self._early_fault
        return self.state.draw_fault(self._request_name(method, body))

    def _api(self, method: str, rest: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        tooling = rest.startswith("/tooling/")
        resource = rest.removeprefix("/tooling")
        try:
            if method == "GET":
                return self._get(resource, query, tooling=tooling, encoded=True)
            if resource in ("/composite", "/composite/batch"):
                return self._composite(resource, body, tooling=tooling)
        except SoqlError as error:
            return 400, [{"errorCode": error.code, "message": str(error)}]
        return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]

    def _get(
        self, resource: str, query: dict[str, list[str]], *, tooling: bool, encoded: bool = False
    ) -> tuple[int, Any]:
        """(status, document) of a GET; with `encoded`, query pages come as cached JSON bytes."""
        org = self.state.org
        if resource in ("/", ""):
            return 200, {
                name: f"/services/data/v{API_VERSION}/{name}"
                for name in ("query", "sobjects", "limits", "composite", "tooling")
            }
        if resource in ("/query", "/query/", "/queryAll"):
            text = (query.get("q") or [""])[0]
            if encoded:
                return 200, org.query_page(text, tooling=tooling, batch_size=self._batch_size())
            return 200, org.query(text, tooling=tooling, batch_size=self._batch_size())
        if resource.startswith("/query/"):
            token = resource.removeprefix("/query/")
            if encoded:
                return 200, org.next_page_bytes(token, tooling=tooling, batch_size=self._batch_size())
            return 200, org.next_page(token, tooling=tooling, batch_size=self._batch_size())
        if resource == "/limits":
            return 200, {
                "DailyApiRequests": {
                    "Max": self.state.daily_limit,
                    "Remaining": max(0, self.state.daily_limit - self.state.used),
                }
            }
        if resource == "/limits/recordCount":
            names = [name for name in (query.get("sObjects") or [""])[0].split(",") if name]
            counts = [
                {"name": name, "count": org.record_count(name)} for name in names if org.record_count(name) is not None
            ]
            return 200, {"sObjects": counts}
        if resource in ("/sobjects", "/sobjects/"):
            sobjects = [
                {"name": name, "label": name, "queryable": True, "custom": name.endswith("__c")}
                for name in sorted(org.data)
            ]
            return 200, {"encoding": "UTF-8", "maxBatchSize": 200, "sobjects": sobjects}
        described = re.fullmatch(r"/sobjects/(\w+)/describe/?", resource)
        if described:
            document = org.describe(described.group(1))
            if document is None:
                return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
            return 200, document
        return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]

    def _composite(self, resource: str, body: bytes, *, tooling: bool) -> tuple[int, Any]:
        try:
            document = json.loads(body)
        except ValueError:
            return 400, [{"errorCode": "JSON_PARSER_ERROR", "message": "The request body is not JSON"}]
        batch = resource == "/composite/batch"
        items = document.get("batchRequests" if batch else "compositeRequest") if isinstance(document, dict) else None
        if not isinstance(items, list) or not 0 < len(items) <= 25:
            return 400, [{"errorCode": "INVALID_INPUT", "message": "expected 1 to 25 subrequests"}]
        unsupported = next((url for url in map(_subrequest_url, items) if not _composable(url, batch=batch)), None)
        if unsupported is not None:
            # Like Salesforce, the whole request is refused before any subrequest runs.
            kind = "Composite Batch" if batch else "Composite"
            message = f"{kind} does not support the resource {unsupported.split('?', 1)[0]}"
            return 400, [{"errorCode": "INVALID_API_INPUT", "message": message}]
        results = [self._subrequest(item, tooling=tooling, batch=batch) for item in items]
        if batch:
            return 200, {"hasErrors": any(result["statusCode"] >= 400 for result in results), "results": results}
        return 200, {"compositeResponse": results}

    def _subrequest(self, item: Any, *, tooling: bool, batch: bool) -> dict[str, Any]:
        parts = urlsplit(_subrequest_url(item))
        match = _VERSIONED.match(parts.path)
        rest = (match.group(2) or "/") if match else "/"
        sub_tooling = rest.startswith("/tooling/")
        try:
            if not isinstance(item, dict) or item.get("method", "GET") != "GET":
                raise SoqlError("METHOD_NOT_ALLOWED", "the lab only serves GET subrequests")
            status, result = self._get(
                rest.removeprefix("/tooling"), parse_qs(parts.query), tooling=tooling or sub_tooling
            )
        except SoqlError as error:
            status, result = 400, [{"errorCode": error.code, "message": str(error)}]
        if batch:
            return {"statusCode": status, "result": result}
        return {"body": result, "httpHeaders": {}, "httpStatusCode": status, "referenceId": item.get("referenceId")}

    def _batch_size(self) -> int:
        """Records per page: the client's batchSize (200 to 2,000, as Salesforce allows), at most the lab's own
        size; like Salesforce, the lab may answer with fewer records than asked for."""
        options = self.headers.get("Sforce-Query-Options", "")
        match = re.search(r"batchSize=(\d+)", options)
        asked = max(200, min(2000, int(match.group(1)))) if match else 2000
        return min(asked, self.state.query_batch_size)

    def _token(self, body: bytes) -> None:
        form = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
        status, document = oauth.grant(form, self.state.oauth, now=time.time())
        if status != 200:
            return self._json(status, document, count=False)
        self._json(
            200,
            {
                "access_token": self.state.token,
                "instance_url": _origin(self),
                "token_type": "Bearer",
                "scope": "api",
                "id": "https://login.example.test/id/00DLb/005Lb",
                "issued_at": str(int(time.time() * 1000)),
            },
            count=False,
        )

    def _soap(self, body: bytes) -> None:
        session = metadata.parse_request(body.decode("utf-8", "replace"))[2]
        if not self.state.accept(session):
            status, text = 500, metadata.fault("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader")
        else:
            self.state.count_call()
            fault = self._api_fault("POST", body)
            if fault in ("server_error", "unavailable", "rate_limited"):
                return self._fault(fault)
            status, text = metadata.respond(
                self.state.org.posture, body.decode("utf-8", "replace"), now=self.state.org.current_now()
            )
            return self._send(status, text.encode("utf-8"), "text/xml; charset=utf-8", count=False, fault=fault)
        self._send(status, text.encode("utf-8"), "text/xml; charset=utf-8", count=False)

    def _fault(self, fault: str) -> None:
        if fault == "rate_limited":
            return self._error(
                429, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", headers={"Retry-After": "1"}
            )
        if fault == "unavailable":
            return self._error(
                503, "SERVER_UNAVAILABLE", "Server temporarily unavailable", headers={"Retry-After": "1"}
            )
        return self._error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred.")

    def _error(
        self, status: int, code: str, message: str, *, count: bool = True, headers: dict[str, str] | None = None
    ) -> None:
        self._json(status, [{"errorCode": code, "message": message}], count=count, headers=headers)

    def _json(
        self,
        status: int,
        document: Any,
        *,
        count: bool = True,
        fault: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        payload = document if isinstance(document, bytes) else encode(document)
        self._send(status, payload, "application/json;charset=UTF-8", count=count, fault=fault, headers=headers)

    def _send(
        self,
        status: int,
        payload: bytes,
        content_type: str,
        *,
        count: bool,
        fault: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if self.state.org.posture.name != "misconfigured":
            self.send_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
            self.send_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Content-Type-Options", "nosniff")
        if count:
            self.send_header("Sforce-Limit-Info", f"api-usage={self.state.used}/{self.state.daily_limit}")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        fault = fault or self._early_fault
        if fault == "truncated":
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "slow":
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            time.sleep(max(0.05, self.state.latency_seconds * 4))
            payload = payload[len(payload) // 2 :]
        self.wfile.write(payload)


COMPOSITE_RESOURCES = ("/sobjects", "/query", "/queryAll")
"""What `/composite` serves (REST API Developer Guide, *Composite*): sObject resources, Query and QueryAll."""
BATCH_RESOURCES = (*COMPOSITE_RESOURCES, "/limits", "/search", "/connect", "/chatter", "/actions")
"""What `/composite/batch` serves (*Composite Batch*): Limits (and its subresources), sObject resources, Query,
QueryAll, Search, Connect, Chatter and Actions."""


def _subrequest_url(item: Any) -> str:
    """A subrequest's url as a full path (batch subrequests name it from the version on: `v62.0/...`)."""
    url = str(item.get("url", "")) if isinstance(item, dict) else ""
    return url if url.startswith("/services/data/") else f"/services/data/{url.lstrip('/')}"


def _composable(url: str, *, batch: bool) -> bool:
    """True when a composite (or composite batch) request may name `url` as a subrequest."""
    match = _VERSIONED.match(urlsplit(url).path)
    resource = (match.group(2) or "/").removeprefix("/tooling") if match else ""
    allowed = BATCH_RESOURCES if batch else COMPOSITE_RESOURCES
    return any(resource == name or resource.startswith(f"{name}/") for name in allowed)


def _bearer(header: str | None) -> str | None:
    if not header or not header.lower().startswith("bearer "):
        return None
    return unquote(header[7:].strip())


def _origin(handler: BaseHTTPRequestHandler) -> str:
    address = handler.server.server_address
    host, port = (str(address[0]), address[1]) if isinstance(address, tuple) else ("127.0.0.1", 0)
    return f"https://{host}:{port}"


class TlsThreadingServer(ThreadingHTTPServer):
    """A threading HTTP server that does each TLS handshake in the connection's own thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    """socketserver's default backlog of 5 drops the SYNs of a concurrent client's extra connections,
    and each dropped SYN costs that connection a one-second retransmission."""

    def __init__(self, address: tuple[str, int], state: ServerState, context: ssl.SSLContext) -> None:
        self.state = state
        self.tls_context = context
        super().__init__(address, LabHandler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Wrap the connection in TLS (handshake here, off the accept loop), then handle it."""
        try:
            request.settimeout(30)
            # Headers and body leave in separate writes; without NODELAY, Nagle's algorithm and the
            # client's delayed ACK add ~40 ms to every response, on top of the configured latency.
            request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            wrapped = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            logger.debug("lab: TLS handshake failed: %s", type(error).__name__)
            return
        try:
            LabHandler(wrapped, client_address, self)
        except (ssl.SSLError, OSError) as error:
            logger.debug("lab: connection ended: %s", type(error).__name__)
        finally:
            wrapped.close()
