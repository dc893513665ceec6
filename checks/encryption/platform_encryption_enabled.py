"""CRM-ENC-001: data at rest is encrypted by the platform or the database."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "encryption.platform"


@check(
    id="CRM-ENC-001",
    title="Data at rest is encrypted",
    dimension=Dimension.ENCRYPTION,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "Encryption at rest keeps customer data unreadable in stolen disks, snapshots, backups and misdirected "
        "database dumps, and under the tenant's own keys it limits what the provider's staff can read."
    ),
    remediation=(
        "Enable the platform's encryption at rest (Salesforce: Shield Platform Encryption) or, for a self-hosted "
        "CRM, encrypt the database volume and state it in the deployment-facts file (database.encrypted_at_rest)."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/api-rest-encryption/guide",
        "https://csrc.nist.gov/pubs/sp/800/111/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.1", "C1.1"),
        "gdpr": ("Art. 32",),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.8",),
    },
)
def platform_encryption_enabled(evidence: Evidence) -> list[Finding]:
    """PASS when platform or database encryption is on, FAIL when off, MANUAL when nobody stated it."""
    platform = evidence.mapping(KEY)
    enabled, database = _flag(platform, "enabled"), _flag(platform, "database_encrypted")
    details: dict[str, JsonValue] = {
        "enabled": enabled,
        "database_encrypted": database,
        "provider": platform.get("provider"),
        "source": platform.get("source"),
    }
    if enabled is True or database is True:
        where = "platform encryption" if enabled else "database encryption"
        provider = platform.get("provider")
        message = f"Data at rest is protected by {where}" + (f" ({provider})." if provider else ".")
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    if enabled is False or database is False:
        message = "Encryption at rest is not enabled."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    message = (
        "Whether data is encrypted at rest is unknown; provide a deployment-facts file stating "
        "database.encrypted_at_rest, or check the platform's encryption settings by hand."
    )
    return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]


def _flag(platform: dict[str, JsonValue], name: str) -> bool | None:
    value = platform.get(name)
    if value is not None and not isinstance(value, bool):
        raise EvidenceError(f"{KEY}: {name} should be a boolean or null")
    return value
