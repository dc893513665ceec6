"""The check author's whole API: `@check`, `Finding`, `Status`, `Severity`, `Dimension`, `Evidence`.

A check is validated metadata plus a pure function of (evidence, parameters) that returns findings:

    @check(id="ACME-AUTH-001", title=..., dimension=Dimension.AUTHENTICATION, severity=Severity.HIGH,
           requires=("auth.password_policy",), params={"min_length": 12}, rationale=..., remediation=...,
           frameworks={"iso27001_2022": ("A.5.17",)})
    def password_length(evidence: Evidence, *, min_length: int) -> list[Finding]: ...

The decorator only attaches a frozen `CheckSpec`; the registry validates it. Importing a check does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

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
from crmsec.errors import EvidenceError, Reason
from crmsec.evidence_view import Evidence, field_of
from crmsec.finding import Finding
from crmsec.vocabulary import (
    AREA_OF_DIMENSION,
    CHECK_STATUSES,
    FAILING_STATUSES,
    FRAMEWORKS,
    SECURITY_DIMENSIONS,
    SEVERITY_ORDER,
    Dimension,
    JsonValue,
    Severity,
    Status,
)

SPEC_ATTRIBUTE = "__crmsec_check__"


CheckFunction: TypeAlias = Callable[..., Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """Everything known about a check before it runs; attached by `@check`, validated by the registry."""

    id: str
    title: str
    dimension: Dimension
    severity: Severity
    rationale: str
    remediation: str
    function: CheckFunction
    requires: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    params: Mapping[str, JsonValue] = field(default_factory=dict)
    frameworks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    slug: str = ""
    origin: str = "builtin"

    def metadata(self) -> dict[str, JsonValue]:
        """The JSON form of the metadata (everything but the function), as validated and reported."""
        return {
            "id": self.id,
            "slug": self.slug,
            "title": self.title,
            "dimension": str(self.dimension),
            "severity": str(self.severity),
            "rationale": self.rationale,
            "remediation": self.remediation,
            "requires": list(self.requires),
            "optional": list(self.optional),
            "params": dict(self.params),
            "frameworks": {name: list(ids) for name, ids in sorted(self.frameworks.items())},
            "references": list(self.references),
            "platforms": list(self.platforms),
            "origin": self.origin,
        }


def check(
    *,
    id: str,
    title: str,
    dimension: Dimension,
    severity: Severity,
    rationale: str,
    remediation: str,
    requires: Sequence[str] = (),
    optional: Sequence[str] = (),
    params: Mapping[str, JsonValue] | None = None,
    frameworks: Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] = (),
    platforms: Sequence[str] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Mark a function as a check by attaching a frozen `CheckSpec`; no registration, no I/O."""

    def attach(function: CheckFunction) -> CheckFunction:
        spec = CheckSpec(
            id=id,
            title=title,
            dimension=Dimension(dimension),
            severity=Severity(severity),
            rationale=rationale,
            remediation=remediation,
            function=function,
            requires=tuple(requires),
            optional=tuple(optional),
            params=dict(params or {}),
            frameworks={name: tuple(ids) for name, ids in (frameworks or {}).items()},
            references=tuple(references),
            platforms=tuple(platforms),
            slug=function.__name__,
        )
        setattr(function, SPEC_ATTRIBUTE, spec)
        return function

    return attach


def spec_of(function: object) -> CheckSpec | None:
    """The `CheckSpec` attached by `@check`, or None for any other object."""
    spec = getattr(function, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None


__all__ = [
    "AREA_OF_DIMENSION",
    "CHECK_STATUSES",
    "DATA_SAMPLES",
    "FAILING_STATUSES",
    "FRAMEWORKS",
    "IDENTITY_PROFILES",
    "METRICS_COMPUTED",
    "PII_CATEGORIES",
    "SCHEMA_OBJECTS",
    "SECURITY_DIMENSIONS",
    "SEVERITY_ORDER",
    "TLS_SCAN",
    "WELL_KNOWN_PII_OBJECTS",
    "CheckFunction",
    "CheckSpec",
    "Dimension",
    "Evidence",
    "EvidenceError",
    "Finding",
    "JsonValue",
    "Limits",
    "Reason",
    "Severity",
    "Status",
    "admin_profiles",
    "boolean_setting",
    "check",
    "field_of",
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
    "spec_of",
]
