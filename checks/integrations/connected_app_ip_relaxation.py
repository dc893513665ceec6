"""CRM-INT-004: connected apps do not bypass the org's IP restrictions."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.connected_apps"


@check(
    id="CRM-INT-004",
    title="Connected apps do not relax IP restrictions",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "Relaxed IP restrictions let an app's tokens work from anywhere even when the user's profile allows only "
        "the office network, so a token stolen from the integration host works from the attacker's machine too."
    ),
    remediation=(
        "Set the connected app's IP relaxation to 'Enforce IP restrictions', and add the integration's egress "
        "addresses to the trusted ranges of its profile instead."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.connected_app_edit_ip_ranges.htm&type=5",
        "https://csrc.nist.gov/pubs/sp/800/207/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5", "A.8.20"),
        "soc2": ("CC6.1", "CC6.6"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def connected_app_ip_relaxation(evidence: Evidence) -> list[Finding]:
    """One finding per app: FAIL when IP restrictions are relaxed, PASS when enforced."""
    findings = []
    for app in evidence.records(KEY):
        name = field_of(app, "name", str, key=KEY)
        relaxed = app.get("ip_relaxed")
        if relaxed is False:
            status, message = Status.PASS, f"{name} enforces IP restrictions."
        elif relaxed is True:
            status, message = Status.FAIL, f"{name} relaxes IP restrictions; its tokens work from any address."
        elif relaxed is None:
            status, message = (
                Status.MANUAL,
                f"The platform does not say whether {name} relaxes IP restrictions{_reason(app)}",
            )
        else:
            raise EvidenceError(f"{KEY}: {name} has an ip_relaxed that is not a boolean")
        findings.append(Finding(status, resource=name, message=message, details={"ip_relaxed": relaxed}))
    if not findings:
        message = "No connected app or external client app is configured."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _reason(app: dict[str, JsonValue]) -> str:
    """ ": <why the platform could not tell>." from the entry's `note`, or "." without one."""
    note = app.get("note")
    return f": {note}." if isinstance(note, str) and note else "."
