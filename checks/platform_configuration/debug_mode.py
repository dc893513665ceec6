"""CRM-CFG-001: the server does not run in debug mode."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, Severity, Status, check

KEY = "platform.config"


@check(
    id="CRM-CFG-001",
    title="Debug mode is off",
    dimension=Dimension.PLATFORM_CONFIGURATION,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "A framework's debug pages show anyone who mistypes a URL the application's routes, settings and stack "
        "traces with local variables, which hands an attacker a map and often credentials."
    ),
    remediation=(
        "Turn debug mode off in production (Django and BottleCRM: DEBUG=False, the default) and restart the "
        "server; let a reverse proxy serve plain error pages."
    ),
    frameworks={
        "iso27001_2022": ("A.8.9",),
        "soc2": ("CC7.1",),
        "nist_csf_2": ("PR.PS-01",),
        "gbt22239_2019_l3": ("8.1.4.4",),
    },
)
def debug_mode(evidence: Evidence) -> list[Finding]:
    """FAIL when a missing page showed a debug page, PASS when it did not, MANUAL when it was not seen."""
    config = evidence.mapping(KEY)
    if "debug_mode" not in config:
        raise EvidenceError(f"{KEY} lacks debug_mode")
    shown = config["debug_mode"]
    if shown is None:
        message = "Whether debug pages are shown could not be observed; request a missing page by hand."
        return [Finding(Status.MANUAL, resource="organization", message=message)]
    if shown:
        message = "A request for a missing page got the framework's debug page: debug mode is on."
        return [Finding(Status.FAIL, resource="organization", message=message, details={"debug_mode": True})]
    message = "A request for a missing page got a plain error page: debug mode is off."
    return [Finding(Status.PASS, resource="organization", message=message, details={"debug_mode": False})]
