"""CRM-AUTH-016: admin profiles may only log in from known networks."""

import ipaddress

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

PROFILES = "identity.profiles"
RANGES = "auth.login_ip_ranges"
IPV6_MAX_ADDRESSES = 2**80  # a /48, the usual size of one site's IPv6 allocation


@check(
    id="CRM-AUTH-016",
    title="Admin profiles may only log in from known networks",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=(PROFILES,),
    optional=(RANGES,),
    params={"max_ip_range_addresses": 65536},
    rationale=(
        "Login IP ranges on a profile refuse logins from anywhere else, so a stolen admin password or session is "
        "useless outside the company network or VPN."
    ),
    remediation=(
        "Set login IP ranges on every admin profile to the office or VPN egress addresses; keep each IPv4 range at "
        "most max_ip_range_addresses addresses wide."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_profile.htm",
        "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.5", "A.8.20"),
        "soc2": ("CC6.1", "CC6.6"),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1", "8.1.4.2"),
    },
)
def admin_login_ip_ranges(evidence: Evidence, *, max_ip_range_addresses: int) -> list[Finding]:
    """Per admin profile: FAIL without login IP ranges or with a range wider than the limit, else PASS.

    Ranges come from the profile (identity.profiles) or, when the profile shows none, from
    auth.login_ip_ranges.profiles. IPv6 ranges may span up to a /48.
    """
    by_profile = _ranges_by_profile(evidence)
    findings: list[Finding] = []
    for profile in evidence.records(PROFILES):
        if not field_of(profile, "is_admin", bool, key=PROFILES):
            continue
        name = field_of(profile, "name", str, key=PROFILES)
        known = [value for value in (profile.get("login_ip_ranges"), by_profile.get(name)) if value is not None]
        if not known:  # null: the platform did not say, which is not the same as "no ranges"
            message = f"The login IP ranges of admin profile {name} were not reported; check them by hand."
            findings.append(Finding(Status.MANUAL, resource=f"profile:{name}", message=message))
            continue
        ranges = next((value for value in known if value), known[0])
        if not isinstance(ranges, list):
            raise EvidenceError(f"{PROFILES}: login_ip_ranges of {name} should be a list")
        findings.append(_judge(name, ranges, max_ip_range_addresses))
    if findings:
        return findings
    return [Finding(Status.NOT_APPLICABLE, "organization", "No admin profile found to judge.")]


def _ranges_by_profile(evidence: Evidence) -> dict[str, JsonValue]:
    if not evidence.has(RANGES):
        return {}
    profiles = evidence.mapping(RANGES).get("profiles") or {}
    if not isinstance(profiles, dict):
        raise EvidenceError(f"{RANGES}: profiles should be an object")
    return profiles


def _judge(name: str, ranges: list[JsonValue], limit: int) -> Finding:
    resource = f"profile:{name}"
    if not ranges:
        message = f"Admin profile {name} has no login IP ranges: admins can log in from anywhere."
        return Finding(Status.FAIL, resource=resource, message=message, details={"ranges": 0})
    widest = max(_size(item) for item in ranges)
    details: dict[str, JsonValue] = {"ranges": len(ranges), "widest_ipv4_addresses": widest, "limit": limit}
    if widest > limit:
        message = f"Admin profile {name} allows a login range of {widest} addresses (limit {limit})."
        return Finding(Status.FAIL, resource=resource, message=message, details=details)
    message = f"Admin profile {name} restricts logins to {len(ranges)} IP range(s)."
    return Finding(Status.PASS, resource=resource, message=message, details=details)


def _size(item: JsonValue) -> int:
    """Addresses in an IPv4 range; IPv6 ranges count as 0 unless wider than a /48 (then as infinitely wide)."""
    if not isinstance(item, dict):
        raise EvidenceError("login IP range should be an object with start and end")
    try:
        start = ipaddress.ip_address(str(item.get("start")))
        end = ipaddress.ip_address(str(item.get("end")))
    except ValueError as error:
        raise EvidenceError(f"login IP range {item.get('start')}-{item.get('end')} is not valid") from error
    if start.version != end.version or int(end) < int(start):
        raise EvidenceError(f"login IP range {start}-{end} is not valid")
    count = int(end) - int(start) + 1
    if start.version == 6:
        return 0 if count <= IPV6_MAX_ADDRESSES else 2**32
    return count
