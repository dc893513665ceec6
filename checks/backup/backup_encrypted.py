"""CRM-BAK-005: backups are encrypted."""

from crmsec.plugin import Dimension, Evidence, EvidenceError, Finding, JsonValue, Severity, Status, check

KEY = "backup.status"
FACTS_HINT = (
    "Whether backups are encrypted is unknown; provide a deployment-facts file (--facts) stating "
    "backup.encrypted, or check the backup storage by hand."
)


@check(
    id="CRM-BAK-005",
    title="Backups are encrypted",
    dimension=Dimension.BACKUP,
    severity=Severity.HIGH,
    requires=(KEY,),
    rationale=(
        "A backup is a complete copy of the CRM's personal data kept somewhere else, often with weaker access "
        "control than production; unencrypted, every copy is a breach waiting to happen."
    ),
    remediation="Encrypt backups at rest with keys held apart from the backup storage, and state it in the facts file.",
    references=(
        "https://csrc.nist.gov/pubs/sp/800/34/r1/upd1/final",
        "https://csrc.nist.gov/pubs/sp/800/111/final",
    ),
    frameworks={
        "iso27001_2022": ("A.8.13", "A.8.24"),
        "soc2": ("A1.2", "C1.1"),
        "gdpr": ("Art. 32",),
        "pipl": ("Art. 51",),
        "nist_csf_2": ("PR.DS-01", "PR.DS-11"),
        "gbt22239_2019_l3": ("8.1.4.8", "8.1.4.9"),
    },
)
def backup_encrypted(evidence: Evidence) -> list[Finding]:
    """PASS encrypted, FAIL unencrypted, NOT_APPLICABLE without a backup, MANUAL when unknown."""
    status = evidence.mapping(KEY)
    encrypted = status.get("encrypted")
    details: dict[str, JsonValue] = {"encrypted": encrypted, "source": status.get("source")}
    if status.get("configured") is False:
        message = "No backup is configured, so there is nothing to encrypt; see CRM-BAK-001."
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=message, details=details)]
    if status.get("source") == "unknown" or encrypted is None:
        return [Finding(Status.MANUAL, resource="organization", message=_unknown(status), details=details)]
    if not isinstance(encrypted, bool):
        raise EvidenceError(f"{KEY}: encrypted should be a boolean or null")
    if encrypted:
        return [Finding(Status.PASS, "organization", "Backups are encrypted.", details)]
    return [Finding(Status.FAIL, "organization", "Backups are stored unencrypted.", details)]


def _unknown(status: dict[str, JsonValue]) -> str:
    """FACTS_HINT, after the platform's own reason for not showing backups (`note`) when it gave one."""
    note = status.get("note")
    return f"{note}. {FACTS_HINT}" if isinstance(note, str) and note else FACTS_HINT
