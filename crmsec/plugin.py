"""The check author's whole API: `@check`, `Finding`, `Status`, `Severity`, `Dimension`, `Evidence`.

A check is validated metadata plus a pure function of (evidence, parameters) that returns findings:

    @check(id="ACME-AUTH-001", title=..., dimension=Dimension.AUTHENTICATION, severity=Severity.HIGH,
           requires=("auth.password_policy",), params={"min_length": 12}, rationale=..., remediation=...,
           frameworks={"iso27001_2022": ("A.5.17",)})
    def password_length(evidence: Evidence, *, min_length: int) -> list[Finding]: ...

The decorator only attaches a frozen `CheckSpec`; the registry validates it. Importing a check does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeAlias

from crmsec.errors import EvidenceError, Reason

JsonValue: TypeAlias = Any
"""Parsed JSON: the only place `Any` is allowed."""

SPEC_ATTRIBUTE = "__crmsec_check__"


class Status(StrEnum):
    """The outcome of one finding. ERROR belongs to the engine, WAIVED to the profile."""

    PASS = "PASS"  # noqa: S105 -- a status, not a password
    FAIL = "FAIL"
    WARN = "WARN"
    ERROR = "ERROR"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    MANUAL = "MANUAL"
    WAIVED = "WAIVED"


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

CHECK_STATUSES: frozenset[Status] = frozenset(
    {Status.PASS, Status.FAIL, Status.WARN, Status.MANUAL, Status.NOT_APPLICABLE}
)
"""The statuses a check may return itself."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One verdict of a check about one resource (a user, a field, a host, the organization)."""

    status: Status
    resource: str
    message: str
    details: Mapping[str, JsonValue] = field(default_factory=dict)
    reason: Reason | None = None


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


class Evidence:
    """A read-only view of the evidence keys a check declared, with typed accessors.

    Reading an undeclared key raises `EvidenceError`, so a check's `requires`/`optional` stay honest.
    Keys in `optional` that were not collected read as absent (`has` is False, `get` gives the default).
    """

    __slots__ = ("_allowed", "_times", "_values")

    def __init__(
        self, values: Mapping[str, JsonValue], allowed: Iterable[str], times: Mapping[str, str] | None = None
    ) -> None:
        self._values = dict(values)
        self._allowed = frozenset(allowed)
        self._times = dict(times or {})

    def collected_at(self, key: str) -> datetime:
        """When `key` was collected (UTC): the "now" against which checks measure ages, so they stay pure."""
        self._read(key)
        stamp = self._times.get(key)
        if stamp is None:
            raise EvidenceError(f"{key} has no collection time")
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)

    def timestamp(self, key: str, value: JsonValue) -> datetime | None:
        """Parse an RFC 3339 timestamp found in evidence `key` (None stays None); EvidenceError if malformed."""
        if value is None:
            return None
        if not isinstance(value, str):
            raise EvidenceError(f"{key}: expected a timestamp string, got {type(value).__name__}")
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as error:
            raise EvidenceError(f"{key}: {value!r} is not an RFC 3339 timestamp") from error
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def _read(self, key: str) -> JsonValue:
        if key not in self._allowed:
            raise EvidenceError(f"the check read {key}, which it did not declare in requires/optional")
        if key not in self._values:
            raise EvidenceError(f"{key} was not collected")
        return self._values[key]

    def has(self, key: str) -> bool:
        """True when the declared key was collected without error."""
        return key in self._allowed and key in self._values

    def get(self, key: str, default: JsonValue = None) -> JsonValue:
        """The value of an optional key, or `default` when it was not collected."""
        return self._read(key) if self.has(key) else default

    def value(self, key: str) -> JsonValue:
        """The raw JSON value of a declared key."""
        return self._read(key)

    def mapping(self, key: str) -> dict[str, JsonValue]:
        """The value of `key`, which must be a JSON object."""
        value = self._read(key)
        if not isinstance(value, dict):
            raise EvidenceError(f"{key} should be an object, got {type(value).__name__}")
        return value

    def records(self, key: str) -> list[dict[str, JsonValue]]:
        """The value of `key`, which must be a list of JSON objects."""
        value = self._read(key)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise EvidenceError(f"{key} should be a list of objects")
        return value


def field_of(record: Mapping[str, JsonValue], name: str, kind: type | tuple[type, ...], *, key: str) -> Any:
    """`record[name]` checked against `kind`; raises `EvidenceError` naming the evidence key otherwise."""
    value = record.get(name)
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise EvidenceError(f"{key}: {name} should be a number, got a boolean")
    if not isinstance(value, kind):
        raise EvidenceError(f"{key}: {name} is missing or has the wrong type")
    return value


def spec_of(function: object) -> CheckSpec | None:
    """The `CheckSpec` attached by `@check`, or None for any other object."""
    spec = getattr(function, SPEC_ATTRIBUTE, None)
    return spec if isinstance(spec, CheckSpec) else None


# --- Personal-data inventory shared by checks: which fields hold PII, from schema, names and samples. ---
SCHEMA_OBJECTS = "schema.objects"
DATA_SAMPLES = "data.samples"
PII_CATEGORIES: tuple[str, ...] = (
    "email", "phone", "cn_resident_id", "payment_card", "iban", "us_ssn", "passport",
    "ip_address", "date_of_birth", "person_name", "street_address",
)  # fmt: skip
_HINTS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("email", (("email",), ("e", "mail"))),
    ("phone", (("phone",), ("mobile",), ("telephone",), ("fax",), ("cellphone",))),
    ("cn_resident_id", (("national", "id"), ("resident", "id"), ("citizen", "id"), ("id", "card"), ("idcard",))),
    ("payment_card", (("card", "number"), ("card", "no"), ("credit", "card"), ("debit", "card"), ("cardnumber",))),
    ("iban", (("iban",),)),
    ("us_ssn", (("ssn",), ("social", "security"))),
    ("passport", (("passport",),)),
    ("ip_address", (("ip",), ("ipaddress",))),
    ("date_of_birth", (("birthdate",), ("birthday",), ("birth",), ("dob",))),
    ("person_name", (("first", "name"), ("last", "name"), ("middle", "name"), ("full", "name"), ("surname",))),
    ("street_address", (("street",), ("address",))),
)
# Tokens that make a name a flag, counter or setting about PII rather than PII (HasOptedOutOfEmail, Phone_Type__c).
_NEGATIVE = frozenset(
    {"is", "has", "opt", "opted", "bounced", "verified", "template", "count", "type", "status", "domain", "format",
     "valid", "invalid", "consent", "preference", "code", "country", "extension", "expiry", "expiration", "hash"}
)  # fmt: skip
_EXCLUDED_BY = {"street_address": frozenset({"email", "mail", "ip", "web"}), "payment_card": frozenset({"id"})}
_TYPE_HINTS = {"email": "email", "phone": "phone"}


def _tokens(name: str) -> list[str]:
    base = re.sub(r"__c$", "", name)
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", base)
    return [token for token in re.split(r"[^a-z0-9]+", spaced.lower()) if token]


def _name_hints(name: str) -> set[str]:
    tokens = _tokens(name)
    if _NEGATIVE.intersection(tokens):
        return set()
    windows = {tuple(tokens[start : start + size]) for size in (1, 2) for start in range(len(tokens) - size + 1)}
    return {
        category
        for category, patterns in _HINTS
        if windows.intersection(patterns) and not _EXCLUDED_BY.get(category, frozenset()).intersection(tokens)
    }


def schema_fields(evidence: Evidence) -> dict[str, dict[str, JsonValue]]:
    """Every field described in schema.objects, as "Object.Field" -> its record (the check must declare the key)."""
    fields: dict[str, dict[str, JsonValue]] = {}
    for record in evidence.records(SCHEMA_OBJECTS):
        object_name = field_of(record, "name", str, key=SCHEMA_OBJECTS)
        for item in field_of(record, "fields", list, key=SCHEMA_OBJECTS):
            if not isinstance(item, dict):
                raise EvidenceError(f"{SCHEMA_OBJECTS}: {object_name} has a field that is not an object")
            fields[f"{object_name}.{field_of(item, 'name', str, key=SCHEMA_OBJECTS)}"] = item
    return fields


def _detections(evidence: Evidence) -> dict[str, set[str]]:
    """PII categories seen in sampled values, as "Object.Field" -> categories (empty without data.samples)."""
    found: dict[str, set[str]] = {}
    for sample in evidence.records(DATA_SAMPLES) if evidence.has(DATA_SAMPLES) else []:
        name = f"{field_of(sample, 'object', str, key=DATA_SAMPLES)}.{field_of(sample, 'field', str, key=DATA_SAMPLES)}"
        counts = field_of(sample, "detections", dict, key=DATA_SAMPLES)
        seen = {category for category, count in counts.items() if isinstance(count, int) and count > 0}
        found.setdefault(name, set()).update(seen.intersection(PII_CATEGORIES))
    return found


def pii_fields(evidence: Evidence, categories: list[str]) -> dict[str, list[str]]:
    """Fields holding personal data, as "Object.Field" -> the categories in scope, sorted.

    Combines three signals: the field's name (English tokens, camel case and `__c` aware, with negative
    tokens such as HasOptedOutOfEmail), its declared type (email, phone) and the categories the connector
    detected in sampled values (`data.samples`, optional). The check must declare schema.objects and may
    declare data.samples.
    """
    found = _detections(evidence)
    for qualified, record in schema_fields(evidence).items():
        hinted = _name_hints(qualified.split(".", 1)[1])
        kind = record.get("type")
        if isinstance(kind, str) and kind.lower() in _TYPE_HINTS:
            hinted.add(_TYPE_HINTS[kind.lower()])
        found.setdefault(qualified, set()).update(hinted)
    scope = set(categories)
    return {
        name: sorted(seen & scope, key=PII_CATEGORIES.index) for name, seen in sorted(found.items()) if seen & scope
    }


# --- TLS scan helpers shared by checks. ---
TLS_SCAN = "tls.scan"


def reachable_tls_scan(evidence: Evidence) -> tuple[str, dict[str, JsonValue]]:
    """The `tls.scan` value and its resource name ("host:port"); EvidenceError when the host was not reached."""
    scan = evidence.mapping(TLS_SCAN)
    if scan.get("reachable") is not True:
        raise EvidenceError(f"tls.scan: the host was not reachable ({scan.get('error') or 'no reason given'})")
    return f"{scan.get('host')}:{scan.get('port')}", scan


def protocol_accepted(scan: Mapping[str, JsonValue], protocol: str) -> bool:
    """Whether the server accepted `protocol` (e.g. "tls_1_0"); EvidenceError when it was not measured."""
    protocols = scan.get("protocols")
    value = protocols.get(protocol) if isinstance(protocols, dict) else None
    if not isinstance(value, bool):
        raise EvidenceError(f"tls.scan: protocols.{protocol} was not measured ({scan.get('error') or 'no value'})")
    return value


__all__ = [
    "AREA_OF_DIMENSION",
    "CHECK_STATUSES",
    "DATA_SAMPLES",
    "FRAMEWORKS",
    "PII_CATEGORIES",
    "SCHEMA_OBJECTS",
    "SECURITY_DIMENSIONS",
    "SEVERITY_ORDER",
    "TLS_SCAN",
    "CheckFunction",
    "CheckSpec",
    "Dimension",
    "Evidence",
    "EvidenceError",
    "Finding",
    "JsonValue",
    "Reason",
    "Severity",
    "Status",
    "check",
    "field_of",
    "pii_fields",
    "protocol_accepted",
    "reachable_tls_scan",
    "schema_fields",
    "spec_of",
]
