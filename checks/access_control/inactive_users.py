"""CRM-AC-004: active accounts are in use."""

from datetime import datetime

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

KEY = "identity.users"


@check(
    id="CRM-AC-004",
    title="Active accounts have logged in recently",
    dimension=Dimension.ACCESS_CONTROL,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"inactive_days": 90},
    rationale=(
        "Accounts of people who left or changed jobs keep working until someone deactivates them; nobody notices "
        "when such an account is abused."
    ),
    remediation=(
        "Deactivate (freeze first if needed) every active user who has not logged in for inactive_days days or "
        "never logged in since being created more than inactive_days days ago; tie deactivation to the leaver process."
    ),
    references=(
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
        "https://www.cisecurity.org/controls/account-management",
    ),
    frameworks={
        "iso27001_2022": ("A.5.18", "A.5.16"),
        "soc2": ("CC6.2", "CC6.3"),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def inactive_users(evidence: Evidence, *, inactive_days: int) -> list[Finding]:
    """One finding per active, non-guest user: FAIL when unused for more than inactive_days."""
    now = evidence.collected_at(KEY)
    findings = [
        _judge(evidence, user, now, inactive_days)
        for user in evidence.records(KEY)
        if field_of(user, "active", bool, key=KEY) and user.get("user_type") != "guest"
    ]
    if not findings:
        message = "No active non-guest users to judge."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _judge(evidence: Evidence, user: dict[str, JsonValue], now: datetime, inactive_days: int) -> Finding:
    username = field_of(user, "username", str, key=KEY)
    last_login = evidence.timestamp(KEY, user.get("last_login_at"))
    created = evidence.timestamp(KEY, user.get("created_at"))
    details: dict[str, JsonValue] = {
        "last_login_at": user.get("last_login_at"),
        "created_at": user.get("created_at"),
        "limit_days": inactive_days,
    }
    if last_login is not None:
        days = (now - last_login).days
        status = Status.FAIL if days > inactive_days else Status.PASS
        message = f"{username} last logged in {days} days ago (limit {inactive_days})."
        return Finding(status, resource=username, message=message, details={**details, "idle_days": days})
    if created is None:
        message = f"{username} has no recorded login or creation time; check the account by hand."
        return Finding(Status.MANUAL, resource=username, message=message, details=details)
    days = (now - created).days
    status = Status.FAIL if days > inactive_days else Status.PASS
    message = f"{username} never logged in; created {days} days ago (limit {inactive_days})."
    return Finding(status, resource=username, message=message, details={**details, "idle_days": days})
