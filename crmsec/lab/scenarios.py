"""The lab's scenarios: one security posture each, every setting the lab's org is built from.

`hardened` is a well-run org, `misconfigured` fails at least once in every security dimension, `mixed`
takes some settings from each. The values use Salesforce's own vocabulary (picklist values, minutes;
`refresh_policy` is a ConnectedApp `refreshTokenPolicy` value).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Posture:
    """Everything a scenario decides about the lab org."""

    name: str
    # identity
    admin_count: int
    admin_share: float
    inactive_share: float
    mfa_org_required: bool
    mfa_registered_share: float
    admin_profile_ip_ranges: tuple[tuple[str, str], ...]
    org_ip_ranges: tuple[tuple[str, str, str], ...]
    sso: bool
    # password policy
    min_password_length: int
    complexity: str
    history: int
    expiration_days: int
    max_login_attempts: int
    lockout_minutes: int
    # sessions
    session_timeout_minutes: int
    session_hardening: bool
    # access
    org_default: str
    guest_pii_access: bool
    # integrations
    app_scopes: tuple[str, ...]
    refresh_policy: str
    admin_approved_only: bool
    ip_relaxation: str
    stale_tokens: bool
    # encryption and audit (no backup: Salesforce shows no backup status through its API)
    shield_encryption: bool
    key_age_days: int
    event_monitoring: bool
    field_history: bool
    classification: bool
    # health check and data
    health_score: int
    dirty_data: bool
    logins_per_month: int
    """Logins of a typical active user in 30 days (a well-run org's users sign in most working days)."""
    locale: str = "en"
    """The language of the org's display texts (Health Check labels and values): `en` or `de`."""
    sandbox: bool = False
    """A sandbox org: `Organization.IsSandbox` is true and JWT assertions need the audience test.salesforce.com."""


HARDENED = Posture(
    name="hardened",
    admin_count=3,
    admin_share=0.0,
    inactive_share=0.0,
    mfa_org_required=True,
    mfa_registered_share=1.0,
    admin_profile_ip_ranges=(("10.20.0.0", "10.20.255.255"),),
    org_ip_ranges=(("10.20.0.0", "10.20.255.255", "Head office"),),
    sso=True,
    min_password_length=14,
    complexity="UpperLowerCaseNumericSpecialCharacters",
    history=12,
    expiration_days=90,
    max_login_attempts=3,
    lockout_minutes=30,
    session_timeout_minutes=15,
    session_hardening=True,
    org_default="Private",
    guest_pii_access=False,
    app_scopes=("Api",),
    refresh_policy="specific_lifetime:720:HOURS",
    admin_approved_only=True,
    ip_relaxation="ENFORCE",
    stale_tokens=False,
    shield_encryption=True,
    key_age_days=45,
    event_monitoring=True,
    field_history=True,
    classification=True,
    health_score=96,
    dirty_data=False,
    logins_per_month=20,
)

MISCONFIGURED = Posture(
    name="misconfigured",
    admin_count=12,
    admin_share=0.08,
    inactive_share=0.3,
    mfa_org_required=False,
    mfa_registered_share=0.25,
    admin_profile_ip_ranges=(),
    org_ip_ranges=(("0.0.0.0", "255.255.255.255", "Everyone"),),  # noqa: S104 -- the misconfiguration itself
    sso=False,
    min_password_length=6,
    complexity="NoRestriction",
    history=0,
    expiration_days=0,
    max_login_attempts=0,
    lockout_minutes=15,
    session_timeout_minutes=720,
    session_hardening=False,
    org_default="ReadEditTransfer",
    guest_pii_access=True,
    app_scopes=("Full", "Api", "RefreshToken", "Web"),
    refresh_policy="infinite",
    admin_approved_only=False,
    ip_relaxation="BYPASS",
    stale_tokens=True,
    shield_encryption=False,
    key_age_days=900,
    event_monitoring=False,
    field_history=False,
    classification=False,
    health_score=38,
    dirty_data=True,
    logins_per_month=3,
)

MIXED = replace(
    HARDENED,
    name="mixed",
    admin_count=6,
    inactive_share=0.12,
    mfa_registered_share=0.8,
    min_password_length=8,
    complexity="AlphaNumeric",
    session_timeout_minutes=120,
    app_scopes=("Api", "RefreshToken"),
    refresh_policy="infinite",
    key_age_days=500,
    event_monitoring=False,
    health_score=74,
    dirty_data=True,
    logins_per_month=10,
)

SCENARIOS: dict[str, Posture] = {posture.name: posture for posture in (HARDENED, MISCONFIGURED, MIXED)}
