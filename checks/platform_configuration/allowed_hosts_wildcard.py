"""CRM-CFG-004: the server refuses requests for host names it does not serve."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"


@check(
    id="CRM-CFG-004",
    title="Requests for foreign host names are refused",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "A server that answers any Host header builds links, redirects and e-mails (sign-in links among them) "
        "from a name the client chose, which enables host-header poisoning and cache poisoning."
    ),
    remediation=(
        "List the host names the CRM is served under (Django and BottleCRM: ALLOWED_HOSTS, never '*'), or make "
        "the reverse proxy drop requests for other names."
    ),
    frameworks={
        "iso27001_2022": ("A.8.9",),
        "soc2": ("CC6.6",),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.4",),
    },
)
def allowed_hosts_wildcard(evidence: Evidence) -> list[Finding]:
    """FAIL when a request with a bogus Host header was served, PASS when it was refused."""
    config = evidence.mapping(KEY)
    if "allowed_hosts_wildcard" not in config:
        raise EvidenceError(f"{KEY} lacks allowed_hosts_wildcard")
    wildcard = config["allowed_hosts_wildcard"]
    if wildcard is None:
        message = "Host header validation could not be observed; send a request with a foreign Host by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if wildcard:
        message = "A request naming an unrelated host was served: any Host header is accepted."
        return [
            Finding(Status.FAIL, resource="organization", message=message, details={"allowed_hosts_wildcard": True})
        ]
    message = "A request naming an unrelated host was refused."
    return [Finding(Status.PASS, resource="organization", message=message, details={"allowed_hosts_wildcard": False})]
