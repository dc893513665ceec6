"""The words every layer shares: statuses, severities, dimensions, frameworks and the JSON value type.

A leaf module: it imports nothing of crmsec, so connectors, evidence, report, renderers and checks can all
use it without pulling in each other. `crmsec.plugin` re-exports it for check authors.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeAlias

JsonValue: TypeAlias = Any
"""Parsed JSON: the only place `Any` is allowed."""


class Status(StrEnum):
    """The outcome of one finding. ERROR belongs to the engine, WAIVED to the profile."""

    PASS = "PASS"  # noqa: S105 -- a status, not a password
    FAIL = "FAIL"
    WARN = "WARN"
    ERROR = "ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    MANUAL = "MANUAL"
    WAIVED = "WAIVED"


CHECK_STATUSES: frozenset[Status] = frozenset(
    {Status.PASS, Status.FAIL, Status.WARN, Status.MANUAL, Status.NOT_APPLICABLE}
)
"""The statuses a check may return itself."""

FAILING_STATUSES: frozenset[Status] = frozenset({Status.FAIL, Status.WARN, Status.ERROR})
"""The statuses that need attention: waivable, scored as lost points, reported (SARIF results), failing in diffs."""


class Severity(StrEnum):
    """How much a failing finding matters, most severe first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """4 for critical down to 0 for info, so `a.rank >= b.rank` means "at least as severe"."""
        return len(SEVERITY_ORDER) - 1 - SEVERITY_ORDER.index(self)


SEVERITY_ORDER: tuple[Severity, ...] = tuple(Severity)


class Dimension(StrEnum):
    """What a check judges; each dimension gets its own score."""

    TLS = "tls"
    ACCESS_CONTROL = "access_control"
    AUTHENTICATION = "authentication"
    ENCRYPTION = "encryption"
    BACKUP = "backup"
    PII = "pii"
    AUDIT_LOGGING = "audit_logging"
    INTEGRATIONS = "integrations"
    PLATFORM_CONFIGURATION = "platform_configuration"
    DATA_QUALITY = "data_quality"
    STABILITY = "stability"
    USABILITY = "usability"
    SATISFACTION = "satisfaction"
    FUNCTIONALITY = "functionality"
    BUSINESS_VALUE = "business_value"


SECURITY_DIMENSIONS: frozenset[Dimension] = frozenset(list(Dimension)[:9])

AREA_OF_DIMENSION: Mapping[Dimension, str] = {
    Dimension.TLS: "TLS",
    Dimension.ACCESS_CONTROL: "AC",
    Dimension.AUTHENTICATION: "AUTH",
    Dimension.ENCRYPTION: "ENC",
    Dimension.BACKUP: "BAK",
    Dimension.PII: "PII",
    Dimension.AUDIT_LOGGING: "AUD",
    Dimension.INTEGRATIONS: "INT",
    Dimension.PLATFORM_CONFIGURATION: "CFG",
    Dimension.DATA_QUALITY: "DQ",
    Dimension.STABILITY: "STAB",
    Dimension.USABILITY: "USE",
    Dimension.SATISFACTION: "SAT",
    Dimension.FUNCTIONALITY: "FUNC",
    Dimension.BUSINESS_VALUE: "BIZ",
}

FRAMEWORKS: Mapping[str, str] = {
    "iso27001_2022": "ISO/IEC 27001:2022 Annex A",
    "soc2": "SOC 2 Trust Services Criteria",
    "gdpr": "GDPR",
    "pipl": "PIPL (China Personal Information Protection Law)",
    "nist_csf_2": "NIST CSF 2.0",
    "gbt22239_2019_l3": "GB/T 22239-2019 level 3 (Dengbao 2.0)",
}
"""Framework keys used in check metadata, and their display names."""

__all__ = [
    "AREA_OF_DIMENSION",
    "CHECK_STATUSES",
    "FAILING_STATUSES",
    "FRAMEWORKS",
    "SECURITY_DIMENSIONS",
    "SEVERITY_ORDER",
    "Dimension",
    "JsonValue",
    "Severity",
    "Status",
]
