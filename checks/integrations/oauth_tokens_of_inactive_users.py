"""CRM-INT-009: OAuth tokens of deactivated users are revoked."""

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check, field_of

TOKENS = "integrations.oauth_tokens"
USERS = "identity.users"


@check(
    id="CRM-INT-009",
    title="OAuth tokens of inactive users are revoked",
    dimension=Dimension.INTEGRATIONS,
    severity=Severity.MEDIUM,
    requires=(TOKENS, USERS),
    rationale=(
        "Deactivating a leaver should end all of their access; a token they granted to an outside app is "
        "credentials nobody reviews, and it is the first thing to check after an offboarding."
    ),
    remediation=(
        "Revoke every OAuth token whose user is inactive or no longer exists, and make token revocation part of "
        "the leaver process."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_request_manage.htm&type=5",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.5.18", "A.6.5"),
        "soc2": ("CC6.2",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def oauth_tokens_of_inactive_users(evidence: Evidence) -> list[Finding]:
    """One finding per app and user holding tokens: FAIL when the user is inactive, WARN when unknown."""
    active = _activity(evidence)
    pairs = {
        (field_of(token, "app", str, key=TOKENS), field_of(token, "user", str, key=TOKENS))
        for token in evidence.records(TOKENS)
    }
    findings = [_judge(app, user, active) for app, user in sorted(pairs)]
    if not findings:
        message = "No OAuth token was found."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]
    return findings


def _activity(evidence: Evidence) -> dict[str, bool]:
    """User id and username -> active, so a token may name its user either way."""
    activity: dict[str, bool] = {}
    for user in evidence.records(USERS):
        active = field_of(user, "active", bool, key=USERS)
        for name in ("id", "username"):
            if isinstance(user.get(name), str):
                activity[user[name]] = active
    return activity


def _judge(app: str, user: str, activity: dict[str, bool]) -> Finding:
    resource = f"{app}/{user}"
    active = activity.get(user)
    details: dict[str, JsonValue] = {"app": app, "user": user, "user_active": active}
    if active is True:
        return Finding(Status.PASS, resource=resource, message=f"{user} is active.", details=details)
    if active is False:
        message = f"{user} is inactive but still holds an OAuth token for {app}."
        return Finding(Status.FAIL, resource=resource, message=message, details=details)
    message = f"The OAuth token for {app} belongs to {user}, who is not among the org's users."
    return Finding(Status.WARN, resource=resource, message=message, details=details)
