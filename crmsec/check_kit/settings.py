"""Yes/no platform settings as checks read them, and the body of a "setting is on" check.

Part of the check kit, re-exported by `crmsec.plugin`. The calling check must declare the settings key.
"""

from __future__ import annotations

from crmsec.errors import EvidenceError
from crmsec.evidence_view import Evidence
from crmsec.finding import Finding
from crmsec.vocabulary import Status


def boolean_setting(evidence: Evidence, key: str, name: str) -> bool | None:
    """A yes/no setting inside the mapping evidence `key`: True or False, or None when the platform does not
    expose it (the check then answers MANUAL). EvidenceError when the field is absent or not a boolean."""
    settings = evidence.mapping(key)
    if name not in settings:
        raise EvidenceError(f"{key} lacks {name}")
    value = settings[name]
    if value is not None and not isinstance(value, bool):
        raise EvidenceError(f"{key}: {name} should be a boolean")
    return value


def setting_enabled(
    evidence: Evidence,
    key: str,
    name: str,
    *,
    enabled: str,
    disabled: str,
    unexposed: str,
    when_disabled: Status = Status.FAIL,
) -> list[Finding]:
    """The whole body of a "setting `name` is on" check, for the organization.

    PASS with the `enabled` message when the setting is on, `when_disabled` (FAIL, or WARN for a hardening
    setting) with `disabled` when it is off, MANUAL with `unexposed` when the platform does not expose it.
    """
    value = boolean_setting(evidence, key, name)
    if value is None:
        return [Finding(Status.MANUAL, resource="organization", message=unexposed, details={"actual": None})]
    status = Status.PASS if value else when_disabled
    message = enabled if value else disabled
    return [Finding(status, resource="organization", message=message, details={"actual": value, "expected": True})]
