"""Users and profiles as checks read them (`identity.profiles`).

Part of the check kit, re-exported by `crmsec.plugin`. The calling check must declare `identity.profiles`.
"""

from __future__ import annotations

from crmsec.evidence_view import Evidence, field_of

IDENTITY_PROFILES = "identity.profiles"


def admin_profiles(evidence: Evidence) -> set[str]:
    """The names of the profiles marked `is_admin`; EvidenceError when a profile lacks is_admin or name."""
    return {
        field_of(profile, "name", str, key=IDENTITY_PROFILES)
        for profile in evidence.records(IDENTITY_PROFILES)
        if field_of(profile, "is_admin", bool, key=IDENTITY_PROFILES)
    }
