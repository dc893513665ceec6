"""CRM-CFG-003: cross-origin requests are not allowed from every origin."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"


@check(
    id="CRM-CFG-003",
    title="CORS does not allow every origin",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "A CORS policy that answers any origin lets every web page a signed-in user visits call the CRM's API "
        "from the browser and read the answers, which turns one stolen or injected token into data exfiltration."
    ),
    remediation=(
        "List the front-end origins that may call the API (BottleCRM: CORS_ALLOWED_ORIGINS, with CORS_ALLOW_ALL "
        "unset) instead of allowing all origins."
    ),
    frameworks={
        "iso27001_2022": ("A.8.9", "A.8.26"),
        "soc2": ("CC6.6",),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def cors_allow_all_origins(evidence: Evidence) -> list[Finding]:
    """FAIL when a foreign origin was allowed (`*` or echoed), PASS when it was not, MANUAL when not probed."""
    config = evidence.mapping(KEY)
    if "cors_allow_all_origins" not in config:
        raise EvidenceError(f"{KEY} lacks cors_allow_all_origins")
    allowed = config["cors_allow_all_origins"]
    if allowed is None:
        message = "The CORS policy could not be probed; send a preflight from a foreign origin by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if allowed:
        message = "A request from an unrelated origin was allowed by CORS: every web site may call the API."
        return [
            Finding(Status.FAIL, resource="organization", message=message, details={"cors_allow_all_origins": True})
        ]
    message = "A request from an unrelated origin was not allowed by CORS."
    return [Finding(Status.PASS, resource="organization", message=message, details={"cors_allow_all_origins": False})]
