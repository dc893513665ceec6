"""The check kit: evidence readers and whole check bodies that several checks share (part of the check API).

Re-exported by `crmsec.plugin`; check authors import from there. Everything here is a pure function of an
`Evidence` view; the calling check must declare the keys it reads.

- `pii_inventory`: which fields and objects hold personal data (`schema_fields`, `pii_fields`,
  `objects_with_pii`).
- `tls_scan`: the reachable TLS scan, its `scanned_certificate`, `protocol_accepted`, and `protocol_refused`
  (a "TLS 1.0 is refused" body).
- `identity`: `admin_profiles`.
- `settings`: `boolean_setting`, and `setting_enabled` (a "CSRF protection is on" body).
- `metrics`: `metric_value`, `Limits`, `metric_threshold` (an "availability at least 99.5%" body),
  `requirement_verdicts` and `requirements_met` (a "must-have requirements are met" body).
"""

from __future__ import annotations

from crmsec.check_kit.identity import IDENTITY_PROFILES, admin_profiles
from crmsec.check_kit.metrics import (
    METRICS_COMPUTED,
    Limits,
    metric_threshold,
    metric_value,
    requirement_verdicts,
    requirements_met,
)
from crmsec.check_kit.pii_inventory import (
    DATA_SAMPLES,
    PII_CATEGORIES,
    SCHEMA_OBJECTS,
    WELL_KNOWN_PII_OBJECTS,
    objects_with_pii,
    pii_fields,
    schema_fields,
)
from crmsec.check_kit.settings import boolean_setting, setting_enabled
from crmsec.check_kit.tls_scan import (
    TLS_SCAN,
    protocol_accepted,
    protocol_refused,
    reachable_tls_scan,
    scanned_certificate,
)

__all__ = [
    "DATA_SAMPLES",
    "IDENTITY_PROFILES",
    "METRICS_COMPUTED",
    "PII_CATEGORIES",
    "SCHEMA_OBJECTS",
    "TLS_SCAN",
    "WELL_KNOWN_PII_OBJECTS",
    "Limits",
    "admin_profiles",
    "boolean_setting",
    "metric_threshold",
    "metric_value",
    "objects_with_pii",
    "pii_fields",
    "protocol_accepted",
    "protocol_refused",
    "reachable_tls_scan",
    "requirement_verdicts",
    "requirements_met",
    "scanned_certificate",
    "schema_fields",
    "setting_enabled",
]
