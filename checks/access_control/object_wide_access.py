"""CRM-AC-011: View All / Modify All on objects is limited to admin profiles."""

from crmsec.plugin import (
    IDENTITY_PROFILES,
    Dimension,
    Evidence,
    Finding,
    JsonValue,
    Severity,
    Status,
    admin_profiles,
    check,
    field_of,
)

PERMISSIONS = "access.object_permissions"


@check(
    id="CRM-AC-011",
    title="View All and Modify All on objects are limited to admin profiles",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.MEDIUM,
    requires=(PERMISSIONS, IDENTITY_PROFILES),
    rationale=(
        "Object-level View All and Modify All ignore the sharing model for that object, so a non-admin profile "
        "holding them quietly undoes private org-wide defaults."
    ),
    remediation=(
        "Remove View All and Modify All object permissions from non-admin profiles and permission sets; use sharing "
        "rules or teams to open specific records instead."
    ),
    references=(
        "https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-objectpermissions.html",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.8.3"),
        "soc2": ("CC6.1", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def object_wide_access(evidence: Evidence) -> list[Finding]:
    """Per (non-admin profile, object): FAIL for modify_all, WARN for view_all only; one PASS when none.

    Integration profiles get WARN for modify_all too: sync tools often need it, but it should be a decision.
    """
    admin_names = admin_profiles(evidence)
    findings: list[Finding] = []
    for row in evidence.records(PERMISSIONS):
        profile = field_of(row, "profile", str, key=PERMISSIONS)
        view_all, modify_all = row.get("view_all") is True, row.get("modify_all") is True
        if profile in admin_names or not (view_all or modify_all):
            continue
        name = field_of(row, "object", str, key=PERMISSIONS)
        right = "Modify All" if modify_all else "View All"
        status = Status.FAIL if modify_all and row.get("user_type") != "integration" else Status.WARN
        message = f"Non-admin profile {profile} has {right} on {name}."
        details: dict[str, JsonValue] = {"profile": profile, "object": name, "view_all": view_all,
                                         "modify_all": modify_all, "user_type": row.get("user_type")}  # fmt: skip
        findings.append(Finding(status, resource=f"{profile}/{name}", message=message, details=details))
    if findings:
        return sorted(findings, key=lambda finding: finding.resource)
    message = "No non-admin profile has View All or Modify All on any object."
    return [Finding(Status.PASS, resource="organization", message=message, details={"grants": 0})]
