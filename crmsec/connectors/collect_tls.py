"""The `tls.scan` collector every connector uses: one rule for when the scan runs and what it records.

An `https://` target is scanned at its host and port (443 by default) with the target's CA bundle; the
result or the scan's error is recorded on `tls.scan` (`connectors.tls.record_tls_scan`: a failed scan is an
evidence error, never a missing key or a pass). An `http://` target has no TLS to scan: nothing is recorded,
and the checks that need `tls.scan` read it as not collected (never PASS).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crmsec.connectors.base import Recorder
from crmsec.connectors.tls import record_tls_scan
from crmsec.target import Target


async def collect_tls(target: Target, recorder: Recorder) -> None:
    """Record `tls.scan` (value or error) for an https target; an http one records nothing."""
    parts = urlsplit(target.url)
    if parts.scheme != "https":
        return
    await record_tls_scan(recorder, target.host, parts.port or 443, ca_bundle=target.ca_bundle)
