"""Computed metrics as checks read them (`metrics.computed`, docs/metrics.md), and the body of a threshold check.

Part of the check kit, re-exported by `crmsec.plugin`. The calling check must declare `metrics.computed`.

    @check(..., requires=("stability.api", METRICS_COMPUTED), params={"warn_above": 1000, "fail_above": 3000})
    def api_latency(evidence: Evidence, *, warn_above: float, fail_above: float) -> list[Finding]:
        return metric_threshold(evidence, "api_latency_p95_ms", Limits.above(warn_above, fail_above),
                                label="API latency p95", unit=" ms", undefined="No API request was timed.")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crmsec.errors import EvidenceError
from crmsec.evidence_view import Evidence
from crmsec.finding import Finding
from crmsec.vocabulary import JsonValue, Status

METRICS_COMPUTED = "metrics.computed"
REQUIREMENT_STATUSES = frozenset({"met", "partial", "missing", "unknown"})
BY_OBJECT_SHOWN = 20
"""How many per-object values a threshold finding carries at most (sorted by object name)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """A warning and a failure threshold on a number, and which side of them is bad.

    `Limits.above(warn, fail)`: higher is worse (error rate, latency); `Limits.below(warn, fail)`: lower is
    worse (availability, satisfaction). A value exactly on a threshold is still on the good side.
    """

    warn: float
    fail: float
    side: Literal["above", "below"]

    @classmethod
    def above(cls, warn: float, fail: float) -> Limits:
        """FAIL above `fail`, WARN above `warn`, else PASS (parameters warn_above, fail_above)."""
        return cls(warn, fail, "above")

    @classmethod
    def below(cls, warn: float, fail: float) -> Limits:
        """FAIL below `fail`, WARN below `warn`, else PASS (parameters warn_below, fail_below)."""
        return cls(warn, fail, "below")

    def status(self, value: float) -> Status:
        """The verdict on `value`."""
        if self.side == "above":
            return Status.FAIL if value > self.fail else Status.WARN if value > self.warn else Status.PASS
        return Status.FAIL if value < self.fail else Status.WARN if value < self.warn else Status.PASS

    def text(self) -> str:
        """The limits as a reader sees them: "warn above 1000, fail above 3000"."""
        return f"warn {self.side} {self.warn:g}, fail {self.side} {self.fail:g}"

    def details(self) -> dict[str, JsonValue]:
        """The limits under their parameter names, for a finding's details."""
        return {f"warn_{self.side}": self.warn, f"fail_{self.side}": self.fail}


def metric_value(evidence: Evidence, metric: str) -> tuple[float | None, dict[str, JsonValue]]:
    """The value of one computed metric (None when it is undefined, e.g. no sample) and its whole record.

    EvidenceError when `metrics.computed` lacks the metric or its value is not a number.
    """
    record = evidence.mapping(METRICS_COMPUTED).get(metric)
    if not isinstance(record, dict):
        raise EvidenceError(f"{METRICS_COMPUTED} lacks {metric}")
    value = record.get("value")
    if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise EvidenceError(f"{METRICS_COMPUTED}: {metric} is not a number")
    return value, record


def metric_threshold(
    evidence: Evidence, metric: str, limits: Limits, *, label: str, unit: str = "", undefined: str
) -> list[Finding]:
    """The whole body of a check that holds one computed metric against `limits`, for the organization.

    NOT_APPLICABLE with the `undefined` message when the metric has no value; otherwise the verdict of
    `limits`, the message "<label> is <value><unit> (<limits>).", and details with the metric id (which the
    reports link the metric's chart and table row by), the actual value, the
    limits, the metric's source and up to 20 per-object values when the metric has them.
    """
    value, record = metric_value(evidence, metric)
    if value is None:
        return [Finding(Status.NOT_APPLICABLE, resource="organization", message=undefined)]
    message = f"{label} is {value:g}{unit} ({limits.text()})."
    details: dict[str, JsonValue] = {
        "metric": metric,
        "actual": value,
        **limits.details(),
        "source": record.get("source"),
    }
    extra = record.get("details")
    if isinstance(extra, dict) and isinstance(extra.get("by_object"), dict):
        details["by_object"] = dict(sorted(extra["by_object"].items())[:BY_OBJECT_SHOWN])
    return [Finding(limits.status(value), resource="organization", message=message, details=details)]


def requirement_verdicts(evidence: Evidence) -> list[dict[str, JsonValue]]:
    """The per-requirement verdicts recorded with metric requirements_coverage in `metrics.computed`
    (docs/metrics.md): dicts with id, title, priority, status (met/partial/missing/unknown) and how."""
    metric = evidence.mapping(METRICS_COMPUTED).get("requirements_coverage")
    details = metric.get("details") if isinstance(metric, dict) else None
    listed = details.get("requirements") if isinstance(details, dict) else None
    if not isinstance(listed, list) or not all(_valid_verdict(item) for item in listed):
        raise EvidenceError(f"{METRICS_COMPUTED} lacks the requirement verdicts of requirements_coverage")
    return listed


def requirements_met(evidence: Evidence, priority: str, *, unmet: Status) -> list[Finding]:
    """The whole body of a "<priority>-have requirements are met" check, one finding per requirement of `priority`.

    PASS when met, `unmet` (FAIL for must, WARN for should) when partial or missing, MANUAL when the evidence
    could not decide; NOT_APPLICABLE when requirements.yaml lists none of that priority.
    """
    status_of = {"met": Status.PASS, "partial": unmet, "missing": unmet, "unknown": Status.MANUAL}
    findings = [
        Finding(
            status_of[str(item["status"])],
            resource=str(item["id"]),
            message=f"{item['id']} {item['title']}: {item['status']} ({item['how']}).",
            details={"status": item["status"], "how": item["how"]},
        )
        for item in requirement_verdicts(evidence)
        if item["priority"] == priority
    ]
    message = f"requirements.yaml lists no {priority}-have requirement."
    return findings or [Finding(Status.NOT_APPLICABLE, resource="organization", message=message)]


def _valid_verdict(item: object) -> bool:
    return (
        isinstance(item, dict)
        and {"id", "title", "priority", "status", "how"} <= item.keys()
        and item["status"] in REQUIREMENT_STATUSES
    )
