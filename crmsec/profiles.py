"""Profiles: which checks run, with which parameters, weights, grade bands, gate and waivers.

A profile is YAML validated against `profile.schema.json`. `extends` names a built-in profile or a file
(relative to the extending file); the child's keys override the parent's, mappings merge one level deep
(`weights.dimensions` and friends), and waivers add up.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import itertools
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmsec import documents, resources
from crmsec.canonical import digest
from crmsec.errors import ProfileError
from crmsec.plugin import FAILING_STATUSES, SEVERITY_ORDER, CheckSpec, Dimension, JsonValue, Severity, Status
from crmsec.safe_yaml import load_yaml_file
from crmsec.spelling import ID_CUTOFF, did_you_mean

DEFAULT_PROFILE = "baseline"
_MERGED_MAPPINGS = ("parameters", "check_parameters", "select", "gate")

DEFAULT_SEVERITY_WEIGHTS: Mapping[str, float] = {"critical": 10, "high": 6, "medium": 3, "low": 1, "info": 0}
DEFAULT_STATUS_WEIGHTS: Mapping[str, float] = {"FAIL": 1.0, "ERROR": 1.0, "WARN": 0.5}
DEFAULT_GRADES: tuple[tuple[str, float], ...] = (("A", 90), ("B", 80), ("C", 70), ("D", 60), ("F", 0))


@dataclass(frozen=True, slots=True)
class Waiver:
    """An accepted risk: a check id and resource pattern, who owns it, why, and until when."""

    check: str
    resource: str
    owner: str
    justification: str
    expires: dt.date

    def matches(self, check_id: str, resource: str) -> bool:
        """True when this waiver names the finding (glob patterns on both id and resource)."""
        return fnmatch.fnmatchcase(check_id, self.check) and fnmatch.fnmatchcase(resource, self.resource)

    def to_json(self) -> dict[str, JsonValue]:
        """The waiver's JSON form."""
        return {
            "check": self.check,
            "resource": self.resource,
            "owner": self.owner,
            "justification": self.justification,
            "expires": self.expires.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Profile:
    """A resolved profile (after `extends`), ready to select, parameterise and score."""

    name: str
    description: str
    sha256: str
    sources: tuple[str, ...]
    select: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    parameters: Mapping[str, JsonValue] = field(default_factory=dict)
    check_parameters: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    dimension_weights: Mapping[str, float] = field(default_factory=dict)
    severity_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY_WEIGHTS))
    status_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_STATUS_WEIGHTS))
    aggregation: str = "worst"
    fail_closed: bool = True
    pass_mark: float = 70.0
    grades: tuple[tuple[str, float], ...] = DEFAULT_GRADES
    critical_fail_caps_grade: str | None = "C"
    fail_under: float | None = None
    fail_on: Severity | None = None
    waivers: tuple[Waiver, ...] = ()

    def selects(self, spec: CheckSpec) -> bool:
        """True when the profile's selection includes this check."""
        rules = self.select
        if spec.id in rules.get("exclude", ()):
            return False
        if rules.get("ids") and spec.id not in rules["ids"]:
            return False
        if rules.get("dimensions") and str(spec.dimension) not in rules["dimensions"]:
            return False
        if rules.get("severities") and str(spec.severity) not in rules["severities"]:
            return False
        return not (rules.get("frameworks") and not set(rules["frameworks"]) & set(spec.frameworks))

    def unknown_ids(self, known: Collection[str]) -> list[str]:
        """One problem per `select.ids` entry that names none of the `known` check ids, each with a
        did-you-mean (`CRM-AUTH-04` -> CRM-AUTH-004): a mistyped id would otherwise drop its check silently."""
        return [
            f"select.ids names {check_id}, which is not a known check{did_you_mean(check_id, known, cutoff=ID_CUTOFF)}"
            for check_id in self.select.get("ids", ())
            if check_id not in known
        ]

    def dimension_weight(self, dimension: Dimension) -> float:
        """The weight of a dimension in the overall score (1.0 unless the profile says otherwise)."""
        return float(self.dimension_weights.get(str(dimension), 1.0))

    def status_weight(self, status: Status) -> float | None:
        """The share of a check's weight a finding with this status loses; None when it is not scored."""
        if status in (Status.PASS, Status.WAIVED):
            return 0.0
        if status is Status.ERROR and not self.fail_closed:
            return None
        if status in FAILING_STATUSES:
            return float(self.status_weights.get(str(status), DEFAULT_STATUS_WEIGHTS[str(status)]))
        return None

    def parameters_for(self, spec: CheckSpec) -> dict[str, JsonValue]:
        """The check's parameters: defaults, then profile-wide names, then per-check overrides (type-checked)."""
        values = dict(spec.params)
        for name in spec.params:
            if name in self.parameters:
                values[name] = self.parameters[name]
        for name, value in self.check_parameters.get(spec.id, {}).items():
            if name not in spec.params:
                raise ProfileError(f"profile {self.name}: check_parameters.{spec.id}.{name}: no such parameter")
            values[name] = value
        for name, value in values.items():
            _check_type(self.name, spec, name, value)
        return values

    def dominance_violation(self) -> str | None:
        """Why these weights would let a lower severity outweigh a FAIL, or None when severity dominates.

        Scoring pools checks, so a check's overall cost is proportional to dimension weight x severity
        weight x status penalty. Severity dominates when, for the lightest and heaviest dimensions: a FAIL
        outweighs any finding one severity lower, and a FAIL outweighs a WARN of its own severity.
        """
        dimensions = sorted(weight for weight in map(self.dimension_weight, Dimension) if weight > 0)
        if not dimensions:
            return None
        lightest, heaviest = dimensions[0], dimensions[-1]
        fail = float(self.status_weights.get("FAIL", DEFAULT_STATUS_WEIGHTS["FAIL"]))
        warn = float(self.status_weights.get("WARN", DEFAULT_STATUS_WEIGHTS["WARN"]))
        error = float(self.status_weights.get("ERROR", DEFAULT_STATUS_WEIGHTS["ERROR"])) if self.fail_closed else 0.0
        worst = max(fail, warn, error)
        ranked = [(severity, float(self.severity_weights.get(str(severity), 0))) for severity in SEVERITY_ORDER]
        for (higher, high_weight), (lower, low_weight) in itertools.pairwise(ranked):
            if low_weight > 0 and high_weight * fail * lightest <= low_weight * worst * heaviest:
                return (
                    f"a {higher} FAIL ({high_weight:g} x {fail:g} x dimension {lightest:g}) would cost no more "
                    f"than a {lower} finding ({low_weight:g} x {worst:g} x dimension {heaviest:g})"
                )
        if warn * heaviest >= fail * lightest and any(weight > 0 for _, weight in ranked):
            return (
                f"a FAIL (status weight {fail:g} x dimension {lightest:g}) would cost no more than a WARN of "
                f"the same severity (status weight {warn:g} x dimension {heaviest:g})"
            )
        return None

    def grade_for(self, score: float | None) -> str:
        """The grade band a score falls in ("N/A" when nothing could be scored)."""
        if score is None:
            return "N/A"
        for grade, minimum in self.grades:
            if score >= minimum:
                return grade
        return self.grades[-1][0]


def _check_type(profile: str, spec: CheckSpec, name: str, value: JsonValue) -> None:
    default = spec.params[name]
    if default is None or value is None:
        return
    expected: tuple[type, ...] = (int, float) if isinstance(default, int | float) else (type(default),)
    if isinstance(default, bool):
        expected = (bool,)
    if not isinstance(value, expected) or (isinstance(value, bool) and not isinstance(default, bool)):
        raise ProfileError(
            f"profile {profile}: parameter {name} of {spec.id} should be {type(default).__name__}, "
            f"got {type(value).__name__}"
        )


def builtin_profiles() -> dict[str, Path]:
    """Built-in profile names and their files."""
    folder = resources.builtin("profiles")
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def _resolve_reference(reference: str, *, relative_to: Path | None) -> Path:
    builtins = builtin_profiles()
    if reference in builtins:
        return builtins[reference]
    candidate = Path(reference)
    if not candidate.is_absolute() and relative_to is not None:
        candidate = relative_to.parent / candidate
    if candidate.exists():  # a folder, FIFO or device is refused by the reader, naming it
        return candidate
    names = ", ".join(builtins)
    raise ProfileError(
        f"profile {reference!r} is neither a built-in profile ({names}) nor a file{did_you_mean(reference, builtins)}"
    )


def _read_document(path: Path, chain: tuple[Path, ...]) -> tuple[dict[str, Any], tuple[Path, ...]]:
    if path.resolve() in chain:
        raise ProfileError(f"{path}: extends forms a cycle")
    document = load_yaml_file(path, error=ProfileError)
    if not isinstance(document, dict):
        raise ProfileError(f"{path}: a profile must be a mapping")
    document = _jsonable(document)
    documents.validate(document, "profile", where=str(path), error=ProfileError)
    chain = (*chain, path.resolve())
    parent_name = document.get("extends")
    if not parent_name:
        return document, chain
    parent, chain = _read_document(_resolve_reference(parent_name, relative_to=path), chain)
    return _merge(parent, document), chain


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if key == "waivers":
            merged[key] = [*parent.get("waivers", []), *value]
        elif key == "weights":
            weights = {name: dict(part) for name, part in parent.get("weights", {}).items()}
            for name, part in value.items():
                weights[name] = {**weights.get(name, {}), **part}
            merged[key] = weights
        elif key in _MERGED_MAPPINGS and isinstance(value, dict):
            merged[key] = {**parent.get(key, {}), **value}
        else:
            merged[key] = value
    merged.pop("extends", None)
    return merged


def load_profile(reference: str | Path = DEFAULT_PROFILE) -> Profile:
    """Load a built-in profile by name or a profile file, resolving `extends`; ProfileError on any problem."""
    path = _resolve_reference(str(reference), relative_to=None)
    document, chain = _read_document(path, ())
    return _build(document, chain)


def _build(document: dict[str, Any], chain: tuple[Path, ...]) -> Profile:
    profile = _assemble(document, chain)
    violation = profile.dominance_violation()
    if violation is not None:
        raise ProfileError(
            f"profile {profile.name} ({profile.sources[0]}): weights: severity must dominate the score, "
            f"but {violation}",
            hint="spread weights.severities further apart or bring weights.dimensions closer (docs/scoring.md)",
        )
    return profile


def _assemble(document: dict[str, Any], chain: tuple[Path, ...]) -> Profile:
    weights = document.get("weights", {})
    gate = document.get("gate", {})
    grades = tuple(
        sorted(((band["grade"], float(band["min"])) for band in document.get("grades", [])), key=lambda g: -g[1])
    )
    return Profile(
        name=document["name"],
        description=document.get("description", ""),
        sha256=digest(_jsonable(document)),
        sources=tuple(_source_name(path) for path in chain),
        select={key: tuple(values) for key, values in document.get("select", {}).items()},
        parameters=dict(document.get("parameters", {})),
        check_parameters={key: dict(value) for key, value in document.get("check_parameters", {}).items()},
        dimension_weights=dict(weights.get("dimensions", {})),
        severity_weights={**DEFAULT_SEVERITY_WEIGHTS, **weights.get("severities", {})},
        status_weights={**DEFAULT_STATUS_WEIGHTS, **weights.get("statuses", {})},
        aggregation=document.get("aggregation", "worst"),
        fail_closed=bool(document.get("fail_closed", True)),
        pass_mark=float(document.get("pass_mark", 70)),
        grades=grades or DEFAULT_GRADES,
        critical_fail_caps_grade=document.get("critical_fail_caps_grade", "C"),
        fail_under=gate.get("fail_under"),
        fail_on=Severity(gate["fail_on"]) if gate.get("fail_on") else None,
        waivers=tuple(_waiver(entry) for entry in document.get("waivers", [])),
    )


def _source_name(path: Path) -> str:
    builtin_folder = resources.builtin("profiles").resolve()
    return f"builtin:{path.stem}" if path.parent == builtin_folder else path.name


def _waiver(entry: Mapping[str, Any]) -> Waiver:
    expires = entry["expires"]
    try:
        when = expires if isinstance(expires, dt.date) else dt.date.fromisoformat(str(expires))
    except ValueError as error:
        raise ProfileError(f"waiver for {entry['check']}: expires {expires!r} is not a date") from error
    return Waiver(entry["check"], entry["resource"], entry["owner"], entry["justification"], when)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def select_checks(profile: Profile, checks: Iterable[CheckSpec]) -> list[CheckSpec]:
    """The checks the profile selects, sorted by id."""
    return sorted((spec for spec in checks if profile.selects(spec)), key=lambda spec: spec.id)


def require_selection(profile: Profile, checks: Mapping[str, CheckSpec]) -> list[CheckSpec]:
    """`select_checks` over a catalogue's checks (by id), or ProfileError when the profile selects none,
    naming each unknown `select.ids` entry with its did-you-mean."""
    specs = select_checks(profile, checks.values())
    if not specs:
        unknown = "; ".join(profile.unknown_ids(checks))
        raise ProfileError(
            f"profile {profile.name} selects no check" + (f": {unknown}" if unknown else ""),
            hint="check its select: ids, dimensions, ...",
        )
    return specs
