"""CRM-CFG-005: the framework's admin interface is not served to the public."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"


@check(
    id="CRM-CFG-005",
    title="The admin interface is not exposed",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    rationale=(
        "A framework admin console (Django's /admin/) is a password login to every table, tokens included, "
        "that bypasses the CRM's own sign-in and its audit trail; served to the internet it invites password "
        "guessing against the most privileged accounts."
    ),
    remediation=(
        "Do not route the admin interface from the internet: block its path at the reverse proxy or allow it "
        "only from an administration network or VPN (BottleCRM serves it at /admin/)."
    ),
    frameworks={
        "iso27001_2022": ("A.8.2", "A.8.9"),
        "soc2": ("CC6.6",),
        "nist_csf_2": ("PR.IR-01",),
        "gbt22239_2019_l3": ("8.1.4.4",),
    },
)
def admin_interface_exposed(evidence: Evidence) -> list[Finding]:
    """FAIL when the admin login form was served anonymously, PASS when it was not, MANUAL when unknown."""
    config = evidence.mapping(KEY)
    if "admin_interface_exposed" not in config:
        raise EvidenceError(f"{KEY} lacks admin_interface_exposed")
    exposed = config["admin_interface_exposed"]
    path = config.get("admin_path")
    details = {"admin_interface_exposed": exposed, "path": path}
    if exposed is None:
        message = "Whether the admin interface is reachable could not be observed; try its URL by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message, details=details)]
    where = f" at {path}" if isinstance(path, str) else ""
    if exposed:
        message = f"The admin login page is served to anonymous visitors{where}."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    message = f"No admin login page is served to anonymous visitors{where}."
    return [Finding(Status.PASS, resource="organization", message=message, details=details)]
