"""CRM-ENC-004: encryption keys are customer-managed where the profile requires it."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "encryption.platform"


@check(
    id="CRM-ENC-004",
    title="Encryption keys are customer-managed where required",
    dimension=Dimension.ENCRYPTION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"require_customer_managed_keys": False},
    rationale=(
        "Keys the tenant generates or holds (bring or hold your own key) let the organization revoke the "
        "provider's access to its data and prove key custody to regulators; not every organization needs that."
    ),
    remediation=(
        "Where require_customer_managed_keys is set, replace provider-generated keys with customer-supplied ones "
        "(Salesforce: Bring Your Own Key or Cache-Only Key Service) and keep the key material in your own HSM/KMS."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/api-rest-encryption/guide",
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
def customer_managed_keys(evidence: Evidence, *, require_customer_managed_keys: bool) -> list[Finding]:
    """Per active key PASS when customer-managed; otherwise FAIL if required, else one NOT_APPLICABLE.

    The decision: customer-managed keys are a choice for the profile to make. A profile that does not ask for
    them (the default) gets PASS when keys happen to be customer-managed and NOT_APPLICABLE otherwise, so
    provider-managed keys never cost points unless the profile sets require_customer_managed_keys.
    """
    keys = evidence.mapping(KEY).get("keys")
    if keys is None:
        message = "The platform does not expose its encryption keys; check who manages them by hand."
        return [Finding(Status.MANUAL if require_customer_managed_keys else Status.NOT_APPLICABLE,
                        resource="organization", message=message)]  # fmt: skip
    if not isinstance(keys, list) or not all(isinstance(item, dict) for item in keys):
        raise EvidenceError(f"{KEY}: keys should be a list of objects")
    active = [item for item in keys if str(item.get("status", "")).lower() == "active"]
    if not active:
        message = "No active encryption key; see CRM-ENC-001 and CRM-ENC-005."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    findings = [_judge(item, required=require_customer_managed_keys) for item in active]
    if not require_customer_managed_keys and any(finding.status is not Status.PASS for finding in findings):
        message = (
            f"{len(active)} active key(s), not all customer-managed; the profile does not require customer-managed "
            "keys (require_customer_managed_keys is false)."
        )
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _judge(item: dict[str, JsonValue], *, required: bool) -> Finding:
    key_id = field_of(item, "id", str, key=KEY)
    managed = item.get("customer_managed")
    details: dict[str, JsonValue] = {"customer_managed": managed, "required": required, "type": item.get("type")}
    resource = f"key:{key_id}"
    if managed is True:
        return Finding(Status.PASS, resource, f"Active key {key_id} is customer-managed.", details)
    if managed is False:
        return Finding(Status.FAIL, resource, f"Active key {key_id} is generated and held by the provider.", details)
    message = f"Whether key {key_id} is customer-managed is unknown; check the key's origin by hand."
    return Finding(Status.MANUAL, resource=resource, message=message, details=details)
