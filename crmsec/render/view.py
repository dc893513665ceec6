"""What every human-facing rendering shows, derived from a `Report` alone: labels, counts, points lost per
finding and the top failures. Framework coverage is in `crmsec.render.frameworks`, the comparison with a
previous report and the trend in `crmsec.render.comparison`.

The HTML and Markdown renderers share this so they never disagree about a number. Nothing here formats
markup: it returns plain values, and each renderer escapes them for its own output.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import FAILING_STATUSES, Dimension, JsonValue, Severity, Status

FAILING: frozenset[Status] = FAILING_STATUSES
"""Statuses that cost points and are reported as problems (the one definition is `crmsec.vocabulary`)."""

DIMENSION_LABELS: Mapping[str, str] = {
    "tls": "TLS",
    "access_control": "Access control",
    "authentication": "Authentication",
    "encryption": "Encryption",
    "backup": "Backup",
    "pii": "Personal data (PII)",
    "audit_logging": "Audit logging",
    "integrations": "Integrations",
    "platform_configuration": "Platform configuration",
    "data_quality": "Data quality",
    "stability": "Stability",
    "usability": "Usability",
    "satisfaction": "Satisfaction",
    "functionality": "Functionality",
    "business_value": "Business value",
}
PLUGINS_GROUP = "plugins"
"""The group of findings without a dimension (check packs that failed to load)."""

EVALUATION_DIMENSIONS: tuple[str, ...] = (
    "data_quality",
    "stability",
    "usability",
    "satisfaction",
    "functionality",
    "business_value",
)

FRAMEWORK_LABELS: Mapping[str, str] = {
    "iso27001_2022": "ISO/IEC 27001:2022",
    "soc2": "SOC 2",
    "gdpr": "GDPR",
    "pipl": "PIPL",
    "nist_csf_2": "NIST CSF 2.0",
    "gbt22239_2019_l3": "GB/T 22239-2019 level 3",
}

STATUS_ORDER: tuple[Status, ...] = (
    Status.FAIL,
    Status.ERROR,
    Status.WARN,
    Status.WAIVED,
    Status.MANUAL,
    Status.NOT_APPLICABLE,
    Status.PASS,
)
SEVERITY_ORDER: tuple[Severity, ...] = tuple(Severity)

IDENTITY_NOTES: Mapping[str, str] = {
    "masked": "masked (usernames pseudonymised)",
    "shown": "shown (raw usernames: the auditor's internal copy, do not share)",
}


def identities_note(report: Report) -> str:
    """Which copy the reader holds: usernames masked, or shown raw (`--show-identities`)."""
    value = report.evidence.get("identities")
    return IDENTITY_NOTES.get(str(value), "not recorded (report from an earlier crmsec)")


VERIFY_COMMAND = "crmsec verify report.dsse.json --key KEY.pub --report report.json --evidence evidence.json"
"""What a reader runs to check the signature over report.json and evidence.json (KEY.pub: the signer's key)."""
NOT_RECORDED = "not recorded (report from an earlier crmsec)"


@dataclass(frozen=True, slots=True)
class AuditTrail:
    """What the report's header tells an auditor about its provenance: the org, and both evidence hashes."""

    org_id: str
    org_name: str
    instance: str
    sandbox: str
    evidence_file_sha256: str
    evidence_canonical_sha256: str
    verify_command: str = VERIFY_COMMAND


def _org_text(value: JsonValue) -> str:
    return value if isinstance(value, str) and value else "unknown"


def audit_trail(report: Report) -> AuditTrail:
    """The org (id, name, instance, sandbox flag; "unknown" where evidence lacked them) and the evidence
    hashes: of the file's bytes (as `sha256sum` and `crmsec verify` print it) and of its canonical JSON."""
    evidence = report.evidence
    org = evidence.get("org")
    fields: Mapping[str, JsonValue] = org if isinstance(org, Mapping) else {}
    sandbox = fields.get("is_sandbox")
    file_sha256 = evidence.get("file_sha256")
    return AuditTrail(
        org_id=_org_text(fields.get("id")),
        org_name=_org_text(fields.get("name")),
        instance=_org_text(fields.get("instance")),
        sandbox="unknown" if not isinstance(sandbox, bool) else ("yes" if sandbox else "no"),
        evidence_file_sha256=file_sha256 if isinstance(file_sha256, str) else NOT_RECORDED,
        evidence_canonical_sha256=str(evidence.get("sha256", "")),
    )


def dimension_label(name: str | None) -> str:
    """A reader's name for a dimension (or for the plugin group when there is none)."""
    if name is None or name == PLUGINS_GROUP:
        return "Check packs"
    return DIMENSION_LABELS.get(name, name)


def group_of(finding: FindingRecord) -> str:
    """The dimension a finding is listed under (`plugins` for findings without a dimension)."""
    return PLUGINS_GROUP if finding.dimension is None else str(finding.dimension)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts `A.8.5` before `A.8.10`."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def points_by_finding(report: Report) -> dict[tuple[str, str], float]:
    """Overall points lost per (check id, resource); they add up to 100 minus the overall score."""
    points: dict[tuple[str, str], float] = {}
    for item in report.scores.points_lost:
        key = (item.check_id, item.resource)
        points[key] = round(points.get(key, 0.0) + item.points, 2)
    return points


def status_counts(findings: Sequence[FindingRecord]) -> list[tuple[str, int]]:
    """Findings per status, in display order, zeros included."""
    counts = Counter(finding.status for finding in findings)
    return [(str(status), counts.get(status, 0)) for status in STATUS_ORDER]


def severity_counts(findings: Sequence[FindingRecord]) -> list[tuple[str, int]]:
    """Failing findings (FAIL, WARN, ERROR) per severity, most severe first, zeros included."""
    counts = Counter(finding.severity for finding in findings if finding.status in FAILING)
    return [(str(severity), counts.get(severity, 0)) for severity in SEVERITY_ORDER]


def sorted_findings(findings: Sequence[FindingRecord]) -> list[FindingRecord]:
    """Findings in reading order: worst status, then most severe, then check id and resource."""
    return sorted(
        findings,
        key=lambda f: (STATUS_ORDER.index(f.status), SEVERITY_ORDER.index(f.severity), f.check_id, f.resource),
    )


FAILURE_ORDER: tuple[Status, ...] = (Status.FAIL, Status.ERROR, Status.WARN)
"""Among failing findings of one severity, FAIL reads before ERROR before WARN."""


def _ranked_failures(report: Report) -> list[FindingRecord]:
    """Every failing finding in the one reading order (see `top_failures`)."""
    by_check: dict[str, float] = {}
    for (check_id, _), lost in points_by_finding(report).items():
        by_check[check_id] = by_check.get(check_id, 0.0) + lost
    failing = [f for f in report.findings if f.status in FAILING]
    return sorted(
        failing,
        key=lambda f: (
            SEVERITY_ORDER.index(f.severity),
            FAILURE_ORDER.index(f.status),
            -round(by_check.get(f.check_id, 0.0), 2),
            f.check_id,
            f.resource,
        ),
    )


def top_failures(report: Report, limit: int = 10) -> list[tuple[FindingRecord, float]]:
    """The failing findings to read first, with the points each cost: the one ordering every surface uses.

    Most severe first (severity dominates, as in scoring), then FAIL before ERROR before WARN, then the
    check that cost the most points overall, then check id and resource. Ranking by a finding's own points
    would bury a check whose points are shared among many failing resources. `top_failure_groups` folds
    this list into one row per check.
    """
    points = points_by_finding(report)
    ranked = _ranked_failures(report)
    return [(finding, points.get((finding.check_id, finding.resource), 0.0)) for finding in ranked[:limit]]


FIRST_RESOURCES = 3
"""Resources a grouped top-failure row names before "and N more"."""


@dataclass(frozen=True, slots=True)
class FailureGroup:
    """One check's failing findings as a single "top failures" row (terminal and report.md).

    `findings` are the check's FAIL, ERROR and WARN findings in the `top_failures` order, so the first one
    carries the row's severity and status (the worst of the check).
    """

    findings: tuple[FindingRecord, ...]
    points: float

    @property
    def first(self) -> FindingRecord:
        """The finding the row leads with: the check's most severe, worst failing finding."""
        return self.findings[0]

    @property
    def check_id(self) -> str:
        """The check's id."""
        return self.first.check_id

    @property
    def affected(self) -> int:
        """How many distinct resources fail the check."""
        return len({finding.resource for finding in self.findings})

    def resources_text(self, shown: int = FIRST_RESOURCES) -> str:
        """`"b***@a***.test#078aa714"` for one resource, else `"6 resources: r1, r2, r3 and 3 more"`."""
        names = list(dict.fromkeys(finding.resource for finding in self.findings))
        if len(names) == 1:
            return names[0]
        listed = ", ".join(names[:shown])
        rest = len(names) - shown
        return f"{len(names)} resources: {listed}" + (f" and {rest} more" if rest > 0 else "")

    @property
    def message(self) -> str:
        """What the findings say: their one message, or the first finding's with its own resource name cut
        when the messages differ only by it ("b***@... manages keys" -> "manages keys"), else the first's marked
        as one example ("e.g. ..."), so a row covering Account, Contact and Lead does not read as Account alone."""
        if len({finding.message for finding in self.findings}) > 1:
            cut = {_without_resource(finding) for finding in self.findings}
            if len(cut) == 1 and (shared := next(iter(cut))):
                return shared
            return f"e.g. {self.first.message}"
        return self.first.message


def _without_resource(finding: FindingRecord) -> str:
    """The message with the finding's resource name taken out (and the spacing it leaves tidied)."""
    if not finding.resource or finding.resource not in finding.message:
        return finding.message
    return " ".join(finding.message.replace(finding.resource, " ").split()).strip(" :,")


def top_failure_groups(report: Report, limit: int = 10) -> tuple[list[FailureGroup], int]:
    """The checks to read first, one row per check, and how many failing checks are left out.

    The order is `top_failures`'s: a check ranks where its first failing finding ranks, so severity still
    dominates and the terminal summary and report.md agree. `points` is what the check's failing findings
    cost overall.
    """
    points = points_by_finding(report)
    by_check: dict[str, list[FindingRecord]] = {}
    for finding in _ranked_failures(report):
        by_check.setdefault(finding.check_id, []).append(finding)
    groups = [
        FailureGroup(
            findings=tuple(findings),
            points=round(sum(points.get((f.check_id, f.resource), 0.0) for f in findings), 2),
        )
        for findings in by_check.values()
    ]
    return groups[:limit], max(len(groups) - limit, 0)


@dataclass(frozen=True, slots=True)
class CheckGroup:
    """One check and all its findings: what the grouped findings list shows as a single row.

    A per-user check yields hundreds of PASS findings; readers need the check's verdict, the resources that
    need attention and a count of the rest, not one row per resource.
    """

    check_id: str
    slug: str
    title: str
    severity: Severity
    group: str
    findings: tuple[FindingRecord, ...]
    points: float

    @property
    def worst(self) -> Status:
        """The worst status among the check's findings (FAIL before ERROR before WARN ... before PASS)."""
        return min((finding.status for finding in self.findings), key=STATUS_ORDER.index)

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(status, findings) for the statuses present, worst first."""
        return [(status, number) for status, number in status_counts(self.findings) if number]

    @property
    def attention(self) -> tuple[FindingRecord, ...]:
        """The findings that are not PASS, worst first (FAIL, ERROR, WARN, WAIVED, MANUAL, NOT_APPLICABLE)."""
        return tuple(finding for finding in self.findings if finding.status is not Status.PASS)

    @property
    def passing(self) -> tuple[FindingRecord, ...]:
        """The PASS findings, by resource."""
        return tuple(finding for finding in self.findings if finding.status is Status.PASS)


def check_groups(report: Report) -> list[CheckGroup]:
    """One group per check, in reading order: worst status, most severe, then check id.

    The findings inside keep the order of `sorted_findings`; `points` is what the check cost overall.
    """
    points = points_by_finding(report)
    by_check: dict[str, list[FindingRecord]] = {}
    for finding in sorted_findings(report.findings):
        by_check.setdefault(finding.check_id, []).append(finding)
    groups = []
    for check_id, findings in by_check.items():
        first = findings[0]
        groups.append(
            CheckGroup(
                check_id=check_id,
                slug=first.slug,
                title=first.title,
                severity=min((finding.severity for finding in findings), key=SEVERITY_ORDER.index),
                group=group_of(first),
                findings=tuple(findings),
                points=round(sum(lost for (owner, _), lost in points.items() if owner == check_id), 2),
            )
        )
    return sorted(groups, key=lambda g: (STATUS_ORDER.index(g.worst), SEVERITY_ORDER.index(g.severity), g.check_id))


def metrics_by_dimension(report: Report) -> dict[str, list[tuple[str, Mapping[str, JsonValue]]]]:
    """The report's metrics grouped by dimension, sorted by metric id."""
    grouped: dict[str, list[tuple[str, Mapping[str, JsonValue]]]] = {}
    for metric_id in sorted(report.metrics):
        metric = report.metrics[metric_id]
        grouped.setdefault(str(metric.get("dimension", "")), []).append((metric_id, metric))
    return grouped


def is_security(name: str) -> bool:
    """True for the security dimensions (the first nine of `Dimension`)."""
    return name in {str(d) for d in list(Dimension)[:9]}
