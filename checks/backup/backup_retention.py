"""CRM-BAK-003: backups are kept long enough."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "backup.status"
FACTS_HINT = (
    "Backup retention is unknown; provide a deployment-facts file (--facts) stating backup.retention_days, "
    "or check the backup tool's retention by hand."
)


@check(
    id="CRM-BAK-003",
    title="Backups are retained long enough",
    dimension=Dimension.BACKUP,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"min_backup_retention_days": 30},
    rationale=(
        "Corruption and malicious deletion are often noticed weeks later; by then a short retention has already "
        "overwritten the last clean copy."
    ),
    remediation="Keep backups for at least min_backup_retention_days days (longer where law or contracts ask).",
    references=(
        "https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final",
        "https://www.cisecurity.org/controls/data-recovery",
    ),
    frameworks={
        "iso27001_2022": ("A.8.13",),
        "soc2": ("A1.2",),
        "nist_csf_2": ("PR.DS-11",),
        "gbt22239_2019_l3": ("8.1.4.9",),
    },
)
def backup_retention(evidence: Evidence, *, min_backup_retention_days: int) -> list[Finding]:
    """FAIL below min_backup_retention_days or with no backup; MANUAL when the facts are unknown."""
    status = evidence.mapping(KEY)
    days = status.get("retention_days")
    details: dict[str, JsonValue] = {"actual": days, "limit": min_backup_retention_days, "source": status.get("source")}
    if status.get("configured") is False:
        return [Finding(Status.FAIL, "organization", "No backup is configured, so nothing is retained.", details)]
    if status.get("source") == "unknown" or days is None:
        return [Finding(Status.MANUAL, resource="organization", message=_unknown(status), details=details)]
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise EvidenceError(f"{KEY}: retention_days should be a non-negative integer")
    result = Status.PASS if days >= min_backup_retention_days else Status.FAIL
    message = f"Backups are kept {days} days (required at least {min_backup_retention_days})."
    return [Finding(result, resource="organization", message=message, details=details)]


def _unknown(status: dict[str, JsonValue]) -> str:
    """FACTS_HINT, after the platform's own reason for not showing backups (`note`) when it gave one."""
    note = status.get("note")
    return f"{note}. {FACTS_HINT}" if isinstance(note, str) and note else FACTS_HINT
