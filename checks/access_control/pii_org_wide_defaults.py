"""CRM-AC-010: org-wide defaults keep objects holding personal data private."""

import re

from crmsec.plugin import (
    DATA_SAMPLES,
    WELL_KNOWN_PII_OBJECTS,
    Dimension,
    Evidence,
    EvidenceError,
    Finding,
    JsonValue,
    Severity,
    Status,
    check,
    objects_with_pii,
)

DEFAULTS = "access.org_defaults"
# Normalized values per docs/evidence.md, plus the platform spellings a connector might pass through.
LEVELS = {
    "private": "private",
    "read": "read",
    "readwrite": "read_write",
    "readedittransfer": "read_write",
    "edit": "read_write",
    "publicfull": "public_full",
    "fullaccess": "public_full",
    "controlledbyparent": "controlled_by_parent",
}
STATUS_OF_LEVEL = {"private": Status.PASS, "read": Status.WARN, "read_write": Status.FAIL, "public_full": Status.FAIL}


@check(
    id="CRM-AC-010",
    title="Org-wide defaults keep personal-data objects private",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.HIGH,
    requires=(DEFAULTS,),
    optional=(DATA_SAMPLES,),
    rationale=(
        "The org-wide default is the baseline every internal user gets on records they do not own; public "
        "read/write on contacts or leads hands every employee every customer's personal data."
    ),
    remediation=(
        "Set the org-wide default of objects holding personal data to private and open access with the role "
        "hierarchy, sharing rules and teams where the business needs it."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/security_data_access.htm",
        "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.8.3"),
        "soc2": ("CC6.1", "C1.1"),
        "gdpr": ("Art. 25", "Art. 32"),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2", "8.1.4.11"),
    },
)
def pii_org_wide_defaults(evidence: Evidence) -> list[Finding]:
    """Per PII object with an org-wide default: PASS private, WARN public read, FAIL public read/write or full.

    Objects controlled by their parent inherit its setting and are judged through the parent.
    """
    pii_objects, basis = _pii_objects(evidence)
    findings: list[Finding] = []
    for name, raw in sorted(evidence.mapping(DEFAULTS).items()):
        if name not in pii_objects:
            continue
        if not isinstance(raw, str) or re.sub(r"[^a-z]", "", raw.lower()) not in LEVELS:
            raise EvidenceError(f"{DEFAULTS}: {name} has an unknown sharing level {raw!r}")
        level = LEVELS[re.sub(r"[^a-z]", "", raw.lower())]
        if level == "controlled_by_parent":
            continue
        message = f"{name} holds personal data ({basis}) and its org-wide default is {level}."
        details: dict[str, JsonValue] = {"object": name, "org_default": level, "pii_basis": basis}
        findings.append(Finding(STATUS_OF_LEVEL[level], resource=name, message=message, details=details))
    if findings:
        return findings
    message = f"No object holding personal data ({basis}) has its own org-wide default."
    return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]


def _pii_objects(evidence: Evidence) -> tuple[set[str], str]:
    detected = objects_with_pii(evidence)
    if detected is None:
        return set(WELL_KNOWN_PII_OBJECTS), "assumed: data.samples was not collected"
    return detected, "detected in data.samples"
