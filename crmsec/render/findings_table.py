"""The findings section of report.html, grouped: one row per check, under its dimension.

A check row carries the status counts, the resources that need attention (FAIL, ERROR, WARN, WAIVED, MANUAL,
NOT_APPLICABLE; the first `LISTED`, then "and N more", since report.json and report.csv hold every finding),
the passing resources as a collapsed list, and what the check is: why it matters, how to fix it, its
framework controls and its references. Only http(s) references become links; anything else (`javascript:`,
`data:`, a bare word) is shown as text. All values are plain strings that the template autoescapes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from crmsec.plugin import JsonValue
from crmsec.render import view
from crmsec.render.presentation import number_text, waiver_text
from crmsec.report.model import FindingRecord, Report

LISTED = 5
"""Resources needing attention that a check row lists before "and N more"."""


def safe_link(reference: str) -> str:
    """The reference itself when it is an absolute http(s) URL with a host, else "" (shown as text only)."""
    text = reference.strip()
    if any(character.isspace() or ord(character) < 0x20 for character in text):
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


@dataclass(frozen=True, slots=True)
class Reference:
    """A check's reference: its text, and the link target when it is a safe http(s) URL."""

    text: str
    href: str


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """One listed finding of a check: the resource, its verdict and what it cost."""

    finding: FindingRecord
    points_text: str
    details_text: str
    waiver_text: str


@dataclass(frozen=True, slots=True)
class CheckRow:
    """One check as the findings table shows it."""

    check: view.CheckGroup
    anchor: str
    rationale: str
    remediation: str
    references: tuple[Reference, ...]
    controls: tuple[tuple[str, str], ...]  # framework label, its controls joined
    listed: tuple[ResourceRow, ...]
    more: int
    passing: tuple[tuple[str, str], ...]  # resource, message
    statuses: str
    points_text: str
    status_rank: int
    severity_rank: int


@dataclass(frozen=True, slots=True)
class Group:
    """The check rows of one dimension."""

    key: str
    label: str
    score_text: str
    rows: tuple[CheckRow, ...]


def check_anchor(check_id: str) -> str:
    """The fragment id of a check's row: `check-CRM-DQ-003` (other characters as `-`)."""
    return "check-" + "".join(c if c.isascii() and (c.isalnum() or c in "_.:-") else "-" for c in check_id)


def _controls(check: Mapping[str, JsonValue]) -> tuple[tuple[str, str], ...]:
    mapping = check.get("frameworks")
    if not isinstance(mapping, Mapping):
        return ()
    rows = []
    for key in [*view.FRAMEWORK_LABELS, *sorted(set(mapping) - set(view.FRAMEWORK_LABELS))]:
        controls = mapping.get(key)
        if isinstance(controls, list) and controls:
            listed = sorted((str(control) for control in controls), key=view.natural_key)
            rows.append((view.FRAMEWORK_LABELS.get(key, key), ", ".join(listed)))
    return tuple(rows)


def _references(check: Mapping[str, JsonValue]) -> tuple[Reference, ...]:
    raw = check.get("references")
    items = raw if isinstance(raw, list) else []
    return tuple(Reference(str(item), safe_link(str(item))) for item in items)


def _resource_row(finding: FindingRecord, points: Mapping[tuple[str, str], float]) -> ResourceRow:
    lost = points.get((finding.check_id, finding.resource), 0.0)
    details = json.dumps(finding.details, indent=2, sort_keys=True, ensure_ascii=False) if finding.details else ""
    return ResourceRow(finding, number_text(lost) if lost else "", details, waiver_text(finding.waiver))


def check_row(report: Report, group: view.CheckGroup, points: Mapping[tuple[str, str], float]) -> CheckRow:
    """The row of one check: counts, the first `LISTED` resources needing attention, the passing ones."""
    check = report.check(group.check_id) or {}
    attention = group.attention
    return CheckRow(
        check=group,
        anchor=check_anchor(group.check_id),
        rationale=str(check.get("rationale") or ""),
        remediation=str(check.get("remediation") or ""),
        references=_references(check),
        controls=_controls(check),
        listed=tuple(_resource_row(finding, points) for finding in attention[:LISTED]),
        more=max(len(attention) - LISTED, 0),
        passing=tuple((finding.resource, finding.message) for finding in group.passing),
        statuses=" ".join(status for status, _ in group.counts),
        points_text=number_text(group.points) if group.points else "",
        status_rank=view.STATUS_ORDER.index(group.worst),
        severity_rank=view.SEVERITY_ORDER.index(group.severity),
    )


def groups(report: Report) -> list[Group]:
    """The check rows under their dimension, in the dimensions' order (check packs last)."""
    points = view.points_by_finding(report)
    scores = {str(d.dimension): d.score for d in report.scores.dimensions}
    grouped: dict[str, list[CheckRow]] = {}
    for group in view.check_groups(report):
        grouped.setdefault(group.group, []).append(check_row(report, group, points))
    order = [*view.DIMENSION_LABELS, view.PLUGINS_GROUP]
    return [
        Group(key, view.dimension_label(key), number_text(scores[key]) if key in scores else "", tuple(rows))
        for key in order
        if (rows := grouped.get(key))
    ]


def finding_total(rows: Sequence[Group]) -> int:
    """How many checks the table shows."""
    return sum(len(group.rows) for group in rows)
