"""sslyze (`connectors.tls.scan_tls`) against the lab's TLS profiles over loopback."""

from __future__ import annotations

import ssl
import warnings
from pathlib import Path
from typing import Any

import pytest

from crmsec.connectors.tls import scan_tls
from crmsec.lab import LabConfig, start_lab

pytestmark = pytest.mark.integration
WEAK_CIPHER_MARKS = ("CBC", "RC4", "3DES", "DES-CBC3", "NULL", "EXPORT", "SHA1", "-SHA")


def _offers_legacy_protocols() -> bool:
    """Whether this OpenSSL lets a server context accept TLS 1.0 (some builds compile it out)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return False
    return context.minimum_version == ssl.TLSVersion.TLSv1


async def _scan(tls: str) -> dict[str, Any]:
    with start_lab(LabConfig(users=5, contacts=5, tls=tls)) as lab:
        host, port = lab.url.removeprefix("https://").rsplit(":", 1)
        return await scan_tls(host, int(port), ca_bundle=Path(lab.ca_bundle))


@pytest.mark.anyio
@pytest.mark.skipif(not _offers_legacy_protocols(), reason="this OpenSSL refuses TLS 1.0 in a server context")
async def test_legacy_profile_shows_old_protocols_or_weak_ciphers() -> None:
    result = await _scan("legacy")
    protocols, suites = result["protocols"], result["cipher_suites"]
    old = [name for name in ("ssl_3_0", "tls_1_0", "tls_1_1") if protocols.get(name)]
    weak = [suite for suite in suites.get("tls_1_2", []) if any(mark in suite for mark in WEAK_CIPHER_MARKS)]
    assert old, protocols  # the server context accepts TLS 1.0 (checked above), and sslyze's nassl offers it
    assert weak, suites  # SECLEVEL=0 with ALL adds CBC/SHA-1 suites to TLS 1.2
    assert result["mozilla_intermediate"]["compliant"] is False


@pytest.mark.anyio
async def test_modern_profile_is_mozilla_intermediate_compliant() -> None:
    result = await _scan("modern")
    assert result["protocols"]["tls_1_0"] is False and result["protocols"]["tls_1_1"] is False
    assert result["mozilla_intermediate"] == {"compliant": True, "issues": []}
    assert result["certificate"]["trusted"] is True
