"""CRM-AC-007: guest (unauthenticated) users cannot read objects that hold personal data."""

from crmsec.plugin import (
    DATA_SAMPLES,
    WELL_KNOWN_PII_OBJECTS,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    field_of,
    objects_with_pii,
)

PERMISSIONS = "access.object_permissions"


@check(
    id="CRM-AC-007",
    title="Guest users cannot read objects holding personal data",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.CRITICAL,
    requires=(PERMISSIONS,),
    optional=(DATA_SAMPLES,),
    rationale=(
        "Guest users of public sites and forms need no login, so anything they can read is readable by the whole "
        "internet; misconfigured guest access is a recurring cause of CRM data leaks."
    ),
    remediation=(
        "Remove read (and any create/edit/view-all) permission on personal-data objects from guest profiles, keep "
        "the guest sharing model private, and serve public pages through controlled, field-limited code paths."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html",
        "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.8.3", "A.5.34"),
        "soc2": ("CC6.1", "C1.1", "P4.2"),
        "gdpr": ("Art. 5(1)(f)", "Art. 25", "Art. 32"),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.AA-05", "PR.DS-01"),
        "gbt22239_2019_l3": ("8.1.4.2", "8.1.4.11"),
    },
)
def guest_pii_access(evidence: Evidence) -> list[Finding]:
    """FAIL per (guest profile, PII object) with read access; one PASS when there is none.

    An object holds PII when data.samples found a detection in any of its fields; without data.samples the
    well-known personal-data objects (Account, Case, Contact, Lead, User) are assumed to hold it, and the
    findings say so.
    """
    pii_objects, basis = _pii_objects(evidence)
    findings: list[Finding] = []
    for row in evidence.records(PERMISSIONS):
        if row.get("user_type") != "guest" or not field_of(row, "read", bool, key=PERMISSIONS):
            continue
        name = field_of(row, "object", str, key=PERMISSIONS)
        if name not in pii_objects:
            continue
        profile = field_of(row, "profile", str, key=PERMISSIONS)
        rights = [right for right in ("read", "create", "edit", "delete", "view_all", "modify_all") if row.get(right)]
        message = f"Guest profile {profile} can read {name}, which holds personal data ({basis})."
        details: dict[str, JsonValue] = {"profile": profile, "object": name, "rights": rights, "pii_basis": basis}
        findings.append(Finding(Status.FAIL, resource=f"{profile}/{name}", message=message, details=details))
    if findings:
        return sorted(findings, key=lambda finding: finding.resource)
    message = f"No guest profile can read an object holding personal data ({basis})."
    details = {"pii_objects": sorted(pii_objects)[:20], "pii_basis": basis}
    return [Finding(Status.PASS, resource="organization", message=message, details=details)]


def _pii_objects(evidence: Evidence) -> tuple[set[str], str]:
    detected = objects_with_pii(evidence)
    if detected is None:
        return set(WELL_KNOWN_PII_OBJECTS), "assumed for well-known objects: data.samples was not collected"
    return detected, "detected in data.samples"
