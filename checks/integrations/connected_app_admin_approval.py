"""CRM-INT-003: only admin-approved users may authorise connected apps."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "integrations.connected_apps"


@check(
    id="CRM-INT-003",
    title="Connected apps are restricted to admin-approved users",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "When any user may self-authorise an app, a convincing consent screen is enough to hand an attacker a "
        "token for that user's data (consent phishing); admin approval makes every grant a decision."
    ),
    remediation=(
        "Set the connected app's permitted users to 'Admin approved users are pre-authorized' and grant access "
        "through profiles or permission sets; for apps nobody needs, block or uninstall them."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.connected_app_manage_oauth.htm&type=5",
        "https://attack.mitre.org/techniques/T1528/",
    ),
    frameworks={
        "iso27001_2022": ("A.5.15", "A.5.18"),
        "soc2": ("CC6.2", "CC6.3"),
        "nist_csf_2": ("PR.AA-05",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def connected_app_admin_approval(evidence: Evidence) -> list[Finding]:
    """One finding per app: PASS when admin approval is required, FAIL when users self-authorise."""
    findings = []
    for app in evidence.records(KEY):
        name = field_of(app, "name", str, key=KEY)
        approved = app.get("admin_approved_only")
        if approved is True:
            status, message = Status.PASS, f"{name} admits only admin-approved users."
        elif approved is False:
            status, message = Status.FAIL, f"Any user may authorise {name}."
        elif approved is None:
            status, message = Status.MANUAL, f"The platform does not say who may authorise {name}{_reason(app)}"
        else:
            raise EvidenceError(f"{KEY}: {name} has an admin_approved_only that is not a boolean")
        findings.append(Finding(status, resource=name, message=message, details={"admin_approved_only": approved}))
    if not findings:
        message = "No connected app or external client app is configured."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _reason(app: dict[str, JsonValue]) -> str:
    """ ": <why the platform could not tell>." from the entry's `note`, or "." without one."""
    note = app.get("note")
    return f": {note}." if isinstance(note, str) and note else "."
