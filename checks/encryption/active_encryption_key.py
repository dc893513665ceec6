"""CRM-ENC-005: enabled encryption has an active key."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "encryption.platform"


@check(
    id="CRM-ENC-005",
    title="Enabled encryption has an active key",
    dimension=Dimension.ENCRYPTION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "With every key archived or destroyed, new data can no longer be encrypted and data under destroyed keys "
        "can never be read again; both point to a broken key lifecycle."
    ),
    remediation=(
        "Make sure exactly one key per key type is active (Salesforce: generate or upload a tenant secret), keep "
        "archived keys until no data depends on them, and destroy keys only after re-encrypting."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/api/sforce_api_objects_tenantsecret.htm",
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.8",),
    },
)
def active_encryption_key(evidence: Evidence) -> list[Finding]:
    """PASS with at least one active key, FAIL with keys but none active, NOT_APPLICABLE when encryption is off."""
    platform = evidence.mapping(KEY)
    enabled, keys = platform.get("enabled"), platform.get("keys")
    if enabled is False:
        return [Finding(Status.NOT_APPLICABLE, "organization", "Platform encryption is not enabled; see CRM-ENC-001.")]
    if keys is None:
        message = "The platform does not expose its encryption keys; check that an active key exists by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(keys, list) or not all(isinstance(item, dict) for item in keys):
        raise EvidenceError(f"{KEY}: keys should be a list of objects")
    statuses = sorted(str(item.get("status", "")).lower() for item in keys)
    details: dict[str, JsonValue] = {"keys": len(keys), "statuses": statuses[:20]}
    active = statuses.count("active")
    if active:
        message = f"{active} of {len(keys)} encryption keys are active."
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    if enabled is None and not keys:
        message = "Whether encryption is enabled is unknown and no key is listed; check by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
    message = f"Encryption is enabled but none of {len(keys)} keys is active."
    return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
