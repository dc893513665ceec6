"""CRM-BAK-001: the CRM's data is backed up at all."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "backup.status"
FACTS_HINT = (
    "Backup facts are unknown; provide a deployment-facts file (--facts) stating backup.configured, "
    "last_success_at, retention_days, last_restore_test_at and encrypted, or check the backup tool by hand."
)


@check(
    id="CRM-BAK-001",
    title="A backup of the CRM's data is configured",
    dimension=Dimension.BACKUP,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "SaaS providers keep the service running, not your data safe from your own mistakes: a bad import, a "
        "rogue integration or ransomware-style mass deletion is only undone by your own backup."
    ),
    remediation=(
        "Set up a scheduled backup of data and metadata (a backup product or the platform's backup service) and "
        "record it in the deployment-facts file."
    ),
    references=(
        "https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final",
        "https://www.cisecurity.org/controls/data-recovery",
    ),
    frameworks={
        "iso27001_2022": ("A.8.13",),
        "soc2": ("A1.2",),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.DS-11",),
        "gbt22239_2019_l3": ("8.1.4.9",),
    },
)
def backup_configured(evidence: Evidence) -> list[Finding]:
    """PASS when a backup is configured, FAIL when declared absent, MANUAL when the facts are unknown."""
    status = evidence.mapping(KEY)
    configured = status.get("configured")
    details: dict[str, JsonValue] = {"configured": configured, "schedule": status.get("schedule"),
                                     "source": status.get("source")}  # fmt: skip
    if status.get("source") == "unknown" or configured is None:
        return [Finding(Status.MANUAL, resource="organization", message=_unknown(status), details=details)]
    if not isinstance(configured, bool):
        raise EvidenceError(f"{KEY}: configured should be a boolean or null")
    if configured:
        schedule = status.get("schedule")
        message = "A backup is configured" + (f" ({schedule})." if schedule else ".")
        return [Finding(Status.PASS, resource="organization", message=message, details=details)]
    return [Finding(Status.FAIL, resource="organization", message="No backup is configured.", details=details)]


def _unknown(status: dict[str, JsonValue]) -> str:
    """FACTS_HINT, after the platform's own reason for not showing backups (`note`) when it gave one."""
    note = status.get("note")
    return f"{note}. {FACTS_HINT}" if isinstance(note, str) and note else FACTS_HINT
