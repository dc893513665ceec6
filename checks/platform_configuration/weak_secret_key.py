"""CRM-CFG-002: the server's signing key is not a published default."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"


@check(
    id="CRM-CFG-002",
    title="The secret signing key is not a default or weak value",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.CRITICAL,
    requires=(KEY,),
    rationale=(
        "Self-hosted CRMs sign sessions and API tokens with one secret key. When it is a value shipped in the "
        "source code, anyone can sign a token for any user, an administrator included, without a password."
    ),
    remediation=(
        "Set a long random secret key (Django and BottleCRM: SECRET_KEY, at least 50 random characters) from a "
        "secret store, restart the server, and treat every session and token signed with the old key as leaked."
    ),
    frameworks={
        "iso27001_2022": ("A.5.17", "A.8.24"),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-01", "PR.DS-01"),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def weak_secret_key(evidence: Evidence) -> list[Finding]:
    """FAIL when the key is known to be weak (a forged token was accepted, or the facts file says so)."""
    config = evidence.mapping(KEY)
    if "secret_key_weak" not in config:
        raise EvidenceError(f"{KEY} lacks secret_key_weak")
    weak = config["secret_key_weak"]
    source = config.get("secret_key_source")
    details = {"secret_key_weak": weak, "source": source}
    if weak is None:
        message = "The secret key could not be tested; confirm by hand that it is long, random and not a default."
        return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
    if weak:
        how = "a token signed with a published default key was accepted" if source == "probe" else "declared weak"
        message = f"The secret signing key is weak ({how}): anyone can sign sessions for any user."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    message = "The secret signing key is none of the published defaults that were tested."
    return [Finding(Status.PASS, resource="organization", message=message, details=details)]
