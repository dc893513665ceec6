"""CRM-CFG-006: response headers do not disclose software versions."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"
VERSION = re.compile(r"\d+\.\d+")


@check(
    id="CRM-CFG-006",
    title="Server banners do not disclose versions",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.LOW,
    requires=(KEY,),
    rationale=(
        "A Server or X-Powered-By header naming exact versions tells an attacker which published vulnerabilities "
        "to try first, and lets scanners find unpatched instances in bulk."
    ),
    remediation=(
        "Remove version numbers from response headers (e.g. nginx server_tokens off, Apache ServerTokens Prod, "
        "drop X-Powered-By at the reverse proxy)."
    ),
    frameworks={
        "iso27001_2022": ("A.8.9",),
        "soc2": ("CC7.1",),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.4",),
    },
)
def server_version_disclosed(evidence: Evidence) -> list[Finding]:
    """FAIL when the banner holds a version number; null means the answer carried no banner at all (PASS)."""
    config = evidence.mapping(KEY)
    if "server_banner" not in config:
        raise EvidenceError(f"{KEY} lacks server_banner")
    banner = config["server_banner"]
    if banner is None:
        return [
            Finding(Status.PASS, resource="organization", message="No server banner is sent.", details={"banner": None})
        ]
    if not isinstance(banner, str):
        raise EvidenceError(f"{KEY}: server_banner should be a string or null")
    details = {"banner": banner}
    if VERSION.search(banner):
        message = f"The server banner discloses a version: {banner!r}."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    message = f"The server banner names no version ({banner!r})."
    return [Finding(Status.PASS, resource="organization", message=message, details=details)]
