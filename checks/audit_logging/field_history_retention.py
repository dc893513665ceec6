"""CRM-AUD-006: field history is kept long enough to reconstruct changes to records."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "audit.settings"


@check(
    id="CRM-AUD-006",
    title="Field history is retained long enough",
    dimension=Dimension.AUDIT_LOGGING,
    severity=Severity.LOW,
    requires=(KEY,),
    params={"min_field_history_months": 18},
    rationale=(
        "Field history is the record of who changed a customer's data and when; disputes, fraud cases and data "
        "subject requests often reach back more than a year."
    ),
    remediation=(
        "Keep field history on and retain it for at least min_field_history_months months (Salesforce keeps 18 "
        "months by default; Field Audit Trail extends it to ten years), or archive it before it is purged."
    ),
    references=(
        "https://help.salesforce.com/s/articleView?id=sf.tracking_field_history.htm&type=5",
        "https://help.salesforce.com/s/articleView?id=sf.field_audit_trail.htm&type=5",
    ),
    frameworks={
        "iso27001_2022": ("A.8.15",),
        "soc2": ("CC7.2",),
        "nist_csf_2": ("DE.CM-09",),
        "gbt22239_2019_l3": ("8.1.4.3", "8.1.4.7"),
    },
)
def field_history_retention(evidence: Evidence, *, min_field_history_months: int) -> list[Finding]:
    """FAIL when off or kept fewer than min_field_history_months months; MANUAL when unknown."""
    history = evidence.mapping(KEY).get("field_history")
    if not isinstance(history, dict):
        raise EvidenceError(f"{KEY} lacks a field_history object")
    enabled, months = history.get("enabled"), history.get("retention_months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int)):
        raise EvidenceError(f"{KEY}: field_history.retention_months should be an integer or null")
    details: dict[str, JsonValue] = {"enabled": enabled, "retention_months": months, "limit": min_field_history_months}
    if enabled is False:
        status, message = Status.FAIL, "Field history tracking is off."
    elif enabled is None or months is None:
        status, message = Status.MANUAL, "The platform does not say whether and how long field history is kept."
    else:
        status = Status.PASS if months >= min_field_history_months else Status.FAIL
        message = f"Field history is kept {months} months (minimum {min_field_history_months})."
    return [Finding(status, resource="organization", message=message, details=details)]
