"""Serve one Tryton database as `trytond` does (trytond/cli/__init__.py), optionally behind a hardened front.

Runs inside the Tryton venv, never under pytest:

    <venv>/bin/python tryton_serve.py --config trytond.conf --database crm [--front hardened]

`trytond` itself sends no HSTS or security headers and names its server (`Werkzeug/<version> Python/...`);
in production a reverse proxy adds the headers and hides the banner. `--front hardened` does that here, in
the same process, so the careful deployment looks like a proxied one without an extra program. TLS comes
from the configuration file's `[ssl] certificate` and `privatekey`, as `trytond` reads them; the hardened front
also limits TLS to Mozilla's intermediate configuration, which a careful proxy would do.
"""

from __future__ import annotations

import argparse
import ssl
from collections.abc import Callable, Iterable
from typing import Any

import trytond.config as config

SECURITY_HEADERS = (
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)


def hardened(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI app with the security headers a careful reverse proxy adds to every answer."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            names = {name.lower() for name, _ in headers}
            extra = [(name, value) for name, value in SECURITY_HEADERS if name.lower() not in names]
            return start_response(status, [*headers, *extra], exc_info)

        return app(environ, start)

    return wrapped


def intermediate_tls(certificate: str, key: str) -> ssl.SSLContext:
    """Mozilla's "intermediate" TLS configuration, as the careful front serves it (crmsec.lab does the same)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE+AESGCM:ECDHE+CHACHA20")
    context.set_ecdh_curve("prime256v1")
    return context


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--front", choices=("none", "hardened"), default="none")
    options = parser.parse_args()
    config.update_etc(options.config)
    from trytond.pool import Pool
    from trytond.wsgi import app
    from werkzeug.serving import WSGIRequestHandler, load_ssl_context, run_simple

    Pool.start()
    Pool(options.database).init()
    hostname, port = config.split_netloc(config.get("web", "listen"))
    certificate, key = config.get("ssl", "certificate"), config.get("ssl", "privatekey")
    front = options.front == "hardened"
    ssl_context: ssl.SSLContext | None = None
    if certificate and key:
        ssl_context = intermediate_tls(certificate, key) if front else load_ssl_context(certificate, key)

    class QuietHandler(WSGIRequestHandler):
        def version_string(self) -> str:
            return "crm"

    run_simple(hostname, port, hardened(app) if front else app, threaded=True, ssl_context=ssl_context,
               request_handler=QuietHandler if front else WSGIRequestHandler)  # fmt: skip


if __name__ == "__main__":
    main()
