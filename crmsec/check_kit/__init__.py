"""The check kit: evidence readers and whole check bodies that several checks share (part of the check API).

Re-exported by `crmsec.plugin` (the one list of public names); check authors import from there. Everything
here is a pure function of an `Evidence` view; the calling check must declare the keys it reads.

- `pii_inventory`: which fields and objects hold personal data (`schema_fields`, `pii_fields`,
  `objects_with_pii`).
- `tls_scan`: the reachable TLS scan, its `scanned_certificate`, `protocol_accepted`, and `protocol_refused`
  (a "TLS 1.0 is refused" body).
- `identity`: `admin_profiles`.
- `settings`: `boolean_setting`, and `setting_enabled` (a "CSRF protection is on" body).
- `metrics`: `metric_value`, `Limits`, `metric_threshold` (an "availability at least 99.5%" body),
  `requirement_verdicts` and `requirements_met` (a "must-have requirements are met" body).
"""
