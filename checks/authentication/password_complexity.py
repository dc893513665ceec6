"""CRM-AUTH-006: passwords must mix character classes."""

import re

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "auth.password_policy"
# Character classes each complexity setting demands (letters count as one class unless case is required).
CLASSES = {
    "norestriction": 0,
    "none": 0,
    "alphanumeric": 2,
    "specialcharacters": 3,
    "upperlowercasenumeric": 3,
    "any3upperlowercasenumericspecialcharacters": 3,
    "upperlowercasenumericspecialcharacters": 4,
}


@check(
    id="CRM-AUTH-006",
    title="Passwords must mix character classes",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=(KEY,),
    params={"min_character_classes": 3},
    rationale=(
        "Composition rules add little once passwords are long (NIST SP 800-63B prefers length), but many "
        "standards and regulators (e.g. GB/T 22239) still require them, and no rule at all allows 'password1'."
    ),
    remediation=(
        "Require at least min_character_classes of upper case, lower case, digits and special characters "
        "(Salesforce: Password Policies, Password complexity requirement); set min_character_classes to 0 in a "
        "profile that follows NIST length-only guidance."
    ),
    references=(
        "https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_securitysettings.htm",
        "https://pages.nist.gov/800-63-3/sp800-63b.html",
    ),
    frameworks={
        "iso27001_2022": ("A.5.17",),
        "soc2": ("CC6.1",),
        "nist_csf_2": ("PR.AA-01",),
        "gbt22239_2019_l3": ("8.1.4.1",),
    },
)
def password_complexity(evidence: Evidence, *, min_character_classes: int) -> list[Finding]:
    """FAIL when the complexity rule demands fewer classes than min_character_classes.

    `complexity` may be a platform setting name (Salesforce's values, any spelling) or a number of classes.
    """
    policy = evidence.mapping(KEY)
    if "complexity" not in policy:
        raise EvidenceError(f"{KEY} lacks complexity")
    raw = policy["complexity"]
    if raw is None:
        message = "The platform does not expose the password complexity rule; check the password policy by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    classes = _classes(raw)
    status = Status.PASS if classes >= min_character_classes else Status.FAIL
    message = f"Password complexity {raw!s} requires {classes} character classes (required {min_character_classes})."
    details: dict[str, JsonValue] = {"actual": raw, "classes": classes, "limit": min_character_classes}
    return [Finding(status, resource="organization", message=message, details=details)]


def _classes(raw: JsonValue) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= 4:
        return raw
    if isinstance(raw, str):
        classes = CLASSES.get(re.sub(r"[^a-z0-9]", "", raw.lower()))
        if classes is not None:
            return classes
    raise EvidenceError(f"{KEY}: unknown complexity value {raw!r}")
