"""ACME-AC-001: service accounts follow ACME's naming convention."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check


@check(
    id="ACME-AC-001",
    title="Integration users follow the svc- naming convention",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.LOW,
    requires=("identity.users",),
    params={"prefix": "svc-"},
    rationale="Named service accounts make it obvious in audit logs which actions were automated.",
    remediation="Rename integration users so their username starts with the prefix.",
    frameworks={"iso27001_2022": ("A.5.16",)},
)
def service_accounts_named(evidence: Evidence, *, prefix: str) -> list[Finding]:
    """One finding per integration user."""
    findings = []
    for user in evidence.records("identity.users"):
        if not (user.get("is_integration") or user.get("user_type") == "integration"):
            continue
        username = str(user.get("username", ""))
        status = Status.PASS if username.startswith(prefix) else Status.WARN
        findings.append(Finding(status, f"user:{username}", f"integration user {username}"))
    if not findings:
        return [Finding(Status.NOT_APPLICABLE, "organization", "no integration users")]
    return findings
