"""Waivers and scores: pure functions from findings and a profile to an explainable `Scorecard`.

The formula (docs/scoring.md has the worked example and the reasoning):

* A finding's *penalty* comes from its status: PASS and WAIVED 0, WARN 0.5, FAIL 1, ERROR 1 when the
  profile is fail-closed (the default); NOT_APPLICABLE and MANUAL are not scored (nor is ERROR when the
  profile is fail-open). All of these are profile weights.
* A check that has at least one scored finding has weight `w = severity weight` (critical 10, high 6,
  medium 3, low 1, info 0). Its loss is the worst penalty of its findings (`aggregation: worst`, default)
  or their mean (`aggregation: proportional`).
* Dimension scores: in a dimension with total check weight `W`, check c costs `100 * w_c * loss_c / W`
  points, shared among its findings in proportion to their penalties; the dimension score is 100 minus
  those points.
* The overall score pools every scored check: check c costs `100 * v_d * w_c * loss_c / sum(v * w)`,
  where `v_d` is its dimension's weight. This equals the mean of the dimension scores weighted by
  `v_d * W_d`, so a dimension counts by the weight of what it scored, and a check's overall cost depends
  only on its own severity, status and dimension weight, never on how many checks share its dimension.
  With a profile that passes `Profile.dominance_violation` (every loaded profile does), a FAIL costs more
  than any finding of a lower severity, and more than a WARN of the same severity, whatever the dimension.
* Everything is computed exactly and rounded once, at the end: scores to 2 decimals, and points in
  hundredths by the largest-remainder method, so the listed points add up to exactly `100 - score`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from crmsec.plugin import Dimension, JsonValue, Severity, Status
from crmsec.profiles import Profile, Waiver

_GRADE_UNKNOWN = "N/A"


class Scored(Protocol):
    """What scoring needs to know about a finding."""

    @property
    def check_id(self) -> str: ...
    @property
    def resource(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def dimension(self) -> Dimension | None: ...


@dataclass(frozen=True, slots=True)
class PointsLost:
    """The points one finding cost, in its dimension or overall."""

    check_id: str
    resource: str
    status: Status
    points: float

    def to_json(self) -> dict[str, JsonValue]:
        """JSON form."""
        return {
            "check_id": self.check_id,
            "resource": self.resource,
            "status": str(self.status),
            "points": self.points,
        }


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """One dimension's score with the points each finding cost there."""

    dimension: Dimension
    score: float | None
    weight: float
    checks: int
    decided: int
    points_lost: tuple[PointsLost, ...]

    @property
    def coverage(self) -> float | None:
        """Share of this dimension's checks that could decide."""
        return round(self.decided / self.checks, 4) if self.checks else None


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Scores per dimension and overall, the grade, and the explanation point by point."""

    overall: float | None
    grade: str
    pass_mark: float
    passed: bool
    grade_capped_by: tuple[str, ...]
    dimensions: tuple[DimensionScore, ...]
    points_lost: tuple[PointsLost, ...]


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    """Which waivers were applied, which had expired, and which matched nothing."""

    applied: tuple[tuple[Waiver, str, str], ...]  # waiver, check id, resource
    expired: tuple[Waiver, ...]
    unused: tuple[Waiver, ...]


def waiver_for(check_id: str, resource: str, waivers: Sequence[Waiver], today: dt.date) -> Waiver | None:
    """The first valid (unexpired) waiver matching the finding, if any."""
    for waiver in waivers:
        if waiver.expires >= today and waiver.matches(check_id, resource):
            return waiver
    return None


def summarize_waivers(
    applied: Iterable[tuple[Waiver, str, str]], waivers: Sequence[Waiver], today: dt.date
) -> WaiverOutcome:
    """Sort the profile's waivers into applied, expired and unused."""
    applied = tuple(applied)
    used = {id(waiver) for waiver, _, _ in applied}
    expired = tuple(waiver for waiver in waivers if waiver.expires < today)
    unused = tuple(waiver for waiver in waivers if id(waiver) not in used and waiver.expires >= today)
    return WaiverOutcome(applied, expired, unused)


def score(findings: Sequence[Scored], profile: Profile, *, checks_per_dimension: Mapping[Dimension, int]) -> Scorecard:
    """Score findings under a profile. Pure: same findings and profile, same scorecard."""
    by_dimension: dict[Dimension, list[Scored]] = defaultdict(list)
    for finding in findings:
        if finding.dimension is not None:
            by_dimension[finding.dimension].append(finding)
    exact: dict[Dimension, _DimensionExact] = {}
    for dimension in Dimension:
        if dimension in by_dimension or checks_per_dimension.get(dimension):
            exact[dimension] = _score_dimension(by_dimension.get(dimension, []), profile)
    # A dimension weighs its weight times the severity weight it scored: the overall score pools checks.
    weights = {
        dimension: Fraction(profile.dimension_weight(dimension)).limit_denominator(10**6) * result.weight
        for dimension, result in exact.items()
        if result.value >= 0
    }
    total_weight = sum((weight for weight in weights.values() if weight > 0), Fraction(0))
    overall_exact = (
        sum((weights[d] * exact[d].value for d in weights), Fraction(0)) / total_weight if total_weight else None
    )
    dimensions = tuple(
        _dimension_result(dimension, exact[dimension], profile, checks_per_dimension.get(dimension, 0))
        for dimension in exact
    )
    overall_points = [
        (finding, points * weights[dimension] / total_weight)
        for dimension in weights
        if total_weight
        for finding, points in exact[dimension].points
    ]
    overall = _round_score(overall_exact)
    grade, capped_by = _grade(overall, findings, profile)
    return Scorecard(
        overall=overall,
        grade=grade,
        pass_mark=profile.pass_mark,
        passed=overall is not None and overall >= profile.pass_mark,
        grade_capped_by=capped_by,
        dimensions=dimensions,
        points_lost=_allocate(overall_points, overall),
    )


@dataclass(frozen=True, slots=True)
class _DimensionExact:
    """A dimension's exact score (-1 when nothing is scored), points per finding, decided checks, weight."""

    value: Fraction
    points: list[tuple[Scored, Fraction]]
    decided: int
    weight: Fraction


def _score_dimension(findings: Sequence[Scored], profile: Profile) -> _DimensionExact:
    """Exact score, exact points per finding, checks that decided, and the total scored check weight."""
    by_check: dict[str, list[tuple[Scored, Fraction]]] = defaultdict(list)
    severity_of: dict[str, Severity] = {}
    for finding in findings:
        penalty = profile.status_weight(finding.status)
        severity_of[finding.check_id] = finding.severity
        if penalty is not None:
            by_check[finding.check_id].append((finding, Fraction(penalty).limit_denominator(10**6)))
    decided = sum(
        1
        for check_id in severity_of
        if check_id in by_check and all(f.status is not Status.ERROR for f in findings if f.check_id == check_id)
    )
    check_weight = {
        check_id: Fraction(profile.severity_weights.get(str(severity_of[check_id]), 0)).limit_denominator(10**6)
        for check_id in by_check
    }
    total = sum(check_weight.values(), Fraction(0))
    if not total:
        return _DimensionExact(Fraction(-1), [], decided, Fraction(0))
    points: list[tuple[Scored, Fraction]] = []
    for check_id, scored in sorted(by_check.items()):
        penalties = [penalty for _, penalty in scored]
        loss = max(penalties) if profile.aggregation == "worst" else sum(penalties, Fraction(0)) / len(penalties)
        lost = 100 * check_weight[check_id] * loss / total
        penalty_sum = sum(penalties, Fraction(0))
        if lost and penalty_sum:
            points.extend((finding, lost * penalty / penalty_sum) for finding, penalty in scored if penalty)
    return _DimensionExact(100 - sum((p for _, p in points), Fraction(0)), points, decided, total)


def _dimension_result(
    dimension: Dimension,
    exact: _DimensionExact,
    profile: Profile,
    checks: int,
) -> DimensionScore:
    value, points, decided = exact.value, exact.points, exact.decided
    rounded = _round_score(value) if value >= 0 else None
    return DimensionScore(
        dimension=dimension,
        score=rounded,
        weight=profile.dimension_weight(dimension),
        checks=checks,
        decided=decided,
        points_lost=_allocate(points, rounded),
    )


def _round_score(value: Fraction | None) -> float | None:
    if value is None:
        return None
    hundredths = round(value * 100)
    return min(max(hundredths, 0), 10000) / 100


def _allocate(points: Sequence[tuple[Scored, Fraction]], rounded_score: float | None) -> tuple[PointsLost, ...]:
    """Round points to hundredths so they add up to exactly 100 - score (largest remainder)."""
    if rounded_score is None or not points:
        return ()
    target = 10000 - round(rounded_score * 100)
    floors = [int(p * 100) for _, p in points]
    remainders = sorted(range(len(points)), key=lambda i: (-(points[i][1] * 100 - floors[i]), i))
    for index in remainders[: max(target - sum(floors), 0)]:
        floors[index] += 1
    result = [
        PointsLost(finding.check_id, finding.resource, finding.status, hundredths / 100)
        for (finding, _), hundredths in zip(points, floors, strict=True)
    ]
    return tuple(sorted(result, key=lambda item: (-item.points, item.check_id, item.resource)))


def _grade(overall: float | None, findings: Sequence[Scored], profile: Profile) -> tuple[str, tuple[str, ...]]:
    grade = profile.grade_for(overall)
    cap = profile.critical_fail_caps_grade
    if grade == _GRADE_UNKNOWN or cap is None:
        return grade, ()
    order = [band for band, _ in profile.grades]
    critical = sorted({f.check_id for f in findings if f.status is Status.FAIL and f.severity is Severity.CRITICAL})
    if critical and cap in order and order.index(grade) < order.index(cap):
        return cap, tuple(critical)
    return grade, ()
