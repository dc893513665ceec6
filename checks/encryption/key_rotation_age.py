"""CRM-ENC-003: active encryption keys are rotated."""

from datetime import datetime

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "encryption.platform"


@check(
    id="CRM-ENC-003",
    title="Active encryption keys are rotated",
    dimension=Dimension.ENCRYPTION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"max_key_age_days": 365},
    rationale=(
        "Rotating keys bounds how much data one leaked or weakened key exposes and proves the rotation procedure "
        "works before an incident forces it."
    ),
    remediation=(
        "Generate or upload a new key (Salesforce: rotate the tenant secret) at least every max_key_age_days days "
        "and re-encrypt existing data with it where the platform supports that."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/api/sforce_api_objects_tenantsecret.htm",
        "https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.24",),
        "soc2": ("CC6.1",),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.DS-01",),
        "gbt22239_2019_l3": ("8.1.4.8",),
    },
)
def key_rotation_age(evidence: Evidence, *, max_key_age_days: int) -> list[Finding]:
    """Per active key: FAIL when older than max_key_age_days at collection time, MANUAL without a creation time.

    Archived and destroyed keys no longer encrypt new data and are not judged.
    """
    platform = evidence.mapping(KEY)
    keys = platform.get("keys")
    if keys is None:
        message = "The platform does not expose its encryption keys; check key rotation by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(keys, list) or not all(isinstance(item, dict) for item in keys):
        raise EvidenceError(f"{KEY}: keys should be a list of objects")
    active = [item for item in keys if str(item.get("status", "")).lower() == "active"]
    if not active:
        message = f"No active encryption key to judge ({len(keys)} keys listed); see CRM-ENC-001 and CRM-ENC-005."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    now = evidence.collected_at(KEY)
    return [_judge(evidence, item, now, max_key_age_days) for item in active]


def _judge(evidence: Evidence, item: dict[str, JsonValue], now: datetime, limit: int) -> Finding:
    key_id = field_of(item, "id", str, key=KEY)
    resource = f"key:{key_id}"
    created = evidence.timestamp(KEY, item.get("created_at"))
    details: dict[str, JsonValue] = {"type": item.get("type"), "created_at": item.get("created_at"), "limit": limit}
    if created is None:
        message = f"Key {key_id} has no creation time; check when it was last rotated."
        return Finding(Status.MANUAL, resource=resource, message=message, details=details)
    age = (now - created).days
    status = Status.PASS if age <= limit else Status.FAIL
    message = f"Active key {key_id} is {age} days old (limit {limit})."
    return Finding(status, resource=resource, message=message, details={**details, "age_days": age})
