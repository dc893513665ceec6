"""ACME-AUTH-001: ACME requires 16-character passwords."""

from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check, field_of


@check(
    id="ACME-AUTH-001",
    title="Passwords meet ACME's 16-character house rule",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=("auth.password_policy",),
    params={"house_min_length": 16},
    rationale="ACME's security policy SP-12 asks for 16-character passwords on every business system.",
    remediation="Raise the CRM's minimum password length to house_min_length characters.",
    frameworks={"iso27001_2022": ("A.5.17",)},
)
def password_length_house_rule(evidence: Evidence, *, house_min_length: int) -> list[Finding]:
    """FAIL when the minimum password length is below ACME's rule."""
    policy = evidence.mapping("auth.password_policy")
    length = field_of(policy, "min_length", int, key="auth.password_policy")
    status = Status.PASS if length >= house_min_length else Status.FAIL
    return [Finding(status, "organization", f"minimum length {length}, house rule {house_min_length}")]
