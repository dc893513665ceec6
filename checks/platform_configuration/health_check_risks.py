"""CRM-CFG-100: every setting Salesforce Security Health Check flags becomes a finding."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check, field_of

KEY = "platform.health_check"
STATUS_OF_RISK = {"HIGH_RISK": Status.FAIL, "MEDIUM_RISK": Status.WARN, "MEETS_STANDARD": Status.PASS}


@check(
    id="CRM-CFG-100",
    title="Salesforce Health Check settings meet the baseline",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    platforms=("salesforce",),
    rationale=(
        "Health Check compares dozens of password, session, network and certificate settings with Salesforce's "
        "baseline; importing each row keeps a risk Salesforce already knows about from being lost in the report."
    ),
    remediation=(
        "Open Setup > Health Check and bring each reported setting to its standard value (Fix Risks fixes many at "
        "once); where the org deliberately differs, record a waiver for the setting with its justification."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.security_health_check.htm&type=5",
        "https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_securityhealthcheckrisks.htm",
    ),
    frameworks={
        "iso27001_2022": ("A.8.9",),
        "soc2": ("CC7.1", "CC6.1"),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.2",),
    },
)
def health_check_risks(evidence: Evidence) -> list[Finding]:
    """One finding per Health Check setting: HIGH_RISK FAIL, MEDIUM_RISK WARN, MEETS_STANDARD PASS."""
    risks = evidence.mapping(KEY).get("risks")
    if not isinstance(risks, list) or not all(isinstance(risk, dict) for risk in risks):
        raise EvidenceError(f"{KEY}: risks should be a list of objects")
    if not risks:
        message = "Health Check returned no settings; open Setup > Health Check to confirm it runs."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    settings = [field_of(risk, "setting", str, key=KEY) for risk in risks]
    return [_judge(risk, settings.count(risk["setting"]) > 1) for risk in risks]


def _judge(risk: dict[str, JsonValue], repeated: bool) -> Finding:
    setting = risk["setting"]
    group = risk.get("group")
    resource = f"{group}: {setting}" if repeated and group else setting
    risk_type = risk.get("risk_type")
    details: dict[str, JsonValue] = {
        "group": group,
        "risk_type": risk_type,
        "category": risk.get("category"),
        "org_value": risk.get("org_value"),
        "standard_value": risk.get("standard_value"),
    }
    status = STATUS_OF_RISK.get(risk_type) if isinstance(risk_type, str) else None
    if status is None:
        rating = f"rates {setting} as {risk_type!r}" if risk_type else f"gives no rating for {setting}"
        message = f"Health Check {rating}; review the setting by hand."
        return Finding(Status.MANUAL, resource=resource, message=message, details=details)
    if status is Status.PASS:
        message = f"{setting} meets the Health Check standard ({risk.get('org_value')})."
    else:
        message = (
            f"Health Check rates {setting} {risk_type}: org value {risk.get('org_value')!r}, "
            f"standard {risk.get('standard_value')!r}."
        )
    return Finding(status, resource=resource, message=message, details=details)
