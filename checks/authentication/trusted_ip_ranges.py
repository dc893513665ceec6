"""CRM-AUTH-017: org-wide trusted IP ranges are narrow."""

import ipaddress

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "auth.login_ip_ranges"


@check(
    id="CRM-AUTH-017",
    title="Org-wide trusted IP ranges are narrow",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"max_ip_range_addresses": 65536},
    rationale=(
        "Logins from trusted ranges skip identity verification challenges; a range covering large parts of the "
        "internet (0.0.0.0-255.255.255.255 in the worst case) switches that protection off for everyone."
    ),
    remediation=(
        "Limit org-wide trusted IP ranges to the company's own egress addresses, each at most "
        "max_ip_range_addresses addresses wide, and delete catch-all ranges."
    ),
    references=("https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",),
    frameworks={
        "iso27001_2022": ("A.8.5", "A.8.20"),
        "soc2": ("CC6.1", "CC6.6"),
        "nist_csf_2": ("PR.AA-03",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def trusted_ip_ranges(evidence: Evidence, *, max_ip_range_addresses: int) -> list[Finding]:
    """Per org-wide range: FAIL when wider than max_ip_range_addresses (IPv6: wider than a /48); PASS otherwise."""
    ranges = evidence.mapping(KEY).get("org")
    if ranges is None:
        message = "The platform does not expose its org-wide trusted IP ranges; check network access by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if not isinstance(ranges, list):
        raise EvidenceError(f"{KEY}: org should be a list")
    if not ranges:
        message = "No org-wide trusted IP ranges: every login from an unknown network is challenged."
        return [Finding(Status.PASS, resource="organization", message=message, details={"ranges": 0})]
    return [_judge(item, max_ip_range_addresses) for item in ranges]


def _judge(item: JsonValue, limit: int) -> Finding:
    if not isinstance(item, dict):
        raise EvidenceError(f"{KEY}: each org range should be an object")
    start_text, end_text = field_of(item, "start", str, key=KEY), field_of(item, "end", str, key=KEY)
    try:
        start, end = ipaddress.ip_address(start_text), ipaddress.ip_address(end_text)
    except ValueError as error:
        raise EvidenceError(f"{KEY}: {start_text}-{end_text} is not a valid range") from error
    if start.version != end.version or int(end) < int(start):
        raise EvidenceError(f"{KEY}: {start_text}-{end_text} is not a valid range")
    count = int(end) - int(start) + 1
    allowed = 2**80 if start.version == 6 else limit
    resource = f"{start}-{end}"
    details: dict[str, JsonValue] = {"addresses": count, "limit": allowed, "description": item.get("description")}
    if count > allowed:
        message = f"Trusted range {resource} spans {count} addresses (limit {allowed})."
        return Finding(Status.FAIL, resource=resource, message=message, details=details)
    message = f"Trusted range {resource} spans {count} addresses (limit {allowed})."
    return Finding(Status.PASS, resource=resource, message=message, details=details)
