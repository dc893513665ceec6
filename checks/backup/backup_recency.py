"""CRM-BAK-002: the last successful backup is within the recovery point objective."""

import math

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "backup.status"
FACTS_HINT = (
    "Backup facts are unknown; provide a deployment-facts file (--facts) stating backup.last_success_at, "
    "or check the backup tool's last successful run by hand."
)


@check(
    id="CRM-BAK-002",
    title="The last successful backup is within the RPO",
    dimension=Dimension.BACKUP,
    severity=Severity.HIGH,
    requires=(KEY,),
    params={"max_backup_age_hours": 24},
    rationale=(
        "A configured backup that silently stopped succeeding protects nothing; the age of the last good backup "
        "is the data you would lose today."
    ),
    remediation=(
        "Make the backup job succeed at least every max_backup_age_hours hours (the recovery point objective) and "
        "alert on failed runs."
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
def backup_recency(evidence: Evidence, *, max_backup_age_hours: int) -> list[Finding]:
    """FAIL when the last success is older than max_backup_age_hours (or no backup is configured).

    Age is measured against the evidence's collection time; MANUAL when the facts are unknown.
    """
    status = evidence.mapping(KEY)
    details: dict[str, JsonValue] = {
        "last_success_at": status.get("last_success_at"),
        "limit_hours": max_backup_age_hours,
        "source": status.get("source"),
    }
    if status.get("configured") is False:
        return [Finding(Status.FAIL, "organization", "No backup is configured, so there is no recent backup.", details)]
    last = evidence.timestamp(KEY, status.get("last_success_at"))
    if status.get("source") == "unknown" or last is None:
        return [Finding(Status.MANUAL, resource="organization", message=_unknown(status), details=details)]
    hours = (evidence.collected_at(KEY) - last).total_seconds() / 3600
    if hours < 0:
        raise EvidenceError(f"{KEY}: last_success_at lies after the collection time")
    result = Status.PASS if hours <= max_backup_age_hours else Status.FAIL
    shown = shown_hours(hours, passed=result is Status.PASS)
    message = f"The last successful backup is {shown:.1f} hours old (RPO {max_backup_age_hours} hours)."
    return [Finding(result, resource="organization", message=message, details={**details, "age_hours": shown})]


def shown_hours(hours: float, *, passed: bool) -> float:
    """The age to a tenth of an hour, rounded towards the verdict so the text never contradicts it: down for
    a PASS (23.96 h reads 23.9, never "24.0 of 24"), up for a FAIL (24.04 h reads 24.1, never "24.0 of 24")."""
    tenths = hours * 10
    return (math.floor(tenths) if passed else math.ceil(tenths)) / 10


def _unknown(status: dict[str, JsonValue]) -> str:
    """FACTS_HINT, after the platform's own reason for not showing backups (`note`) when it gave one."""
    note = status.get("note")
    return f"{note}. {FACTS_HINT}" if isinstance(note, str) and note else FACTS_HINT
