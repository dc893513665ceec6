"""CRM-BAK-004: restoring from backup has been tested recently."""

from crmsec.plugin import Dimension, Evidence, Finding, JsonValue, Severity, Status, check

KEY = "backup.status"
FACTS_HINT = (
    "Restore testing is unknown; provide a deployment-facts file (--facts) stating backup.last_restore_test_at "
    "(and backup.configured), or collect the last restore-test record by hand."
)


@check(
    id="CRM-BAK-004",
    title="Restoring from backup was tested recently",
    dimension=Dimension.BACKUP,
    severity=Severity.MEDIUM,
    requires=(KEY,),
    params={"max_restore_test_age_days": 180},
    rationale=(
        "A backup nobody has restored is a hope, not a control: formats change, permissions break and relations "
        "between records are lost, and teams only find out during the incident."
    ),
    remediation=(
        "Restore a backup into a sandbox at least every max_restore_test_age_days days, verify record counts and "
        "relations, and record the date in the deployment-facts file (backup.last_restore_test_at)."
    ),
    references=(
        "https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final",
        "https://www.cisecurity.org/controls/data-recovery",
    ),
    frameworks={
        "iso27001_2022": ("A.8.13", "A.5.30"),
        "soc2": ("A1.2", "A1.3"),
        "gdpr": ("Art. 32",),
        "nist_csf_2": ("PR.DS-11", "RC.RP-03"),
        "gbt22239_2019_l3": ("8.1.4.9",),
    },
)
def restore_tested(evidence: Evidence, *, max_restore_test_age_days: int) -> list[Finding]:
    """FAIL when the last restore test is older than the limit, or never happened with a known backup setup.

    `last_restore_test_at` null means "never" only when the facts are known (source not "unknown" and
    `configured` stated); otherwise the answer is MANUAL.
    """
    status = evidence.mapping(KEY)
    details: dict[str, JsonValue] = {
        "last_restore_test_at": status.get("last_restore_test_at"),
        "limit_days": max_restore_test_age_days,
        "source": status.get("source"),
    }
    if status.get("configured") is False:
        return [Finding(Status.FAIL, "organization", "No backup is configured, so no restore can be tested.", details)]
    if status.get("source") == "unknown" or status.get("configured") is None:
        return [Finding(Status.MANUAL, resource="organization", message=_unknown(status), details=details)]
    tested = evidence.timestamp(KEY, status.get("last_restore_test_at"))
    if tested is None:
        message = "No restore test is recorded for the configured backup."
        return [Finding(Status.FAIL, resource="organization", message=message, details=details)]
    days = (evidence.collected_at(KEY) - tested).days
    result = Status.PASS if days <= max_restore_test_age_days else Status.FAIL
    message = f"The last restore test was {days} days ago (limit {max_restore_test_age_days})."
    return [Finding(result, resource="organization", message=message, details={**details, "age_days": days})]


def _unknown(status: dict[str, JsonValue]) -> str:
    """FACTS_HINT, after the platform's own reason for not showing backups (`note`) when it gave one."""
    note = status.get("note")
    return f"{note}. {FACTS_HINT}" if isinstance(note, str) and note else FACTS_HINT
