"""report.html: one self-contained page (inline CSS, inline SVG, a little inline JavaScript, strict CSP).

The page makes no network request: no CDN, no web font, no image but `data:`. The Content-Security-Policy
allows exactly our stylesheet and script by their sha256 hashes, so injected markup could neither load nor
run anything even if escaping failed. Report data reaches the template as plain values and is escaped by
Jinja's autoescaping; only our own package assets are marked safe.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined
from markupsafe import Markup

from crmsec import resources
from crmsec.render import charts, comparison, findings_table, frameworks, view
from crmsec.render.evaluation_view import EvaluationSection, Recommendation, evaluation_sections, recommendations
from crmsec.render.presentation import number_text, printable, value_text
from crmsec.report.model import Report
from crmsec.report.verdict import coverage_wording, gate_state, gate_wording_of
from crmsec.vocabulary import JsonValue

_GATE_SETTINGS = ("fail_under", "fail_on", "baseline")
TOP_RECOMMENDATIONS = 10
"""Recommendations shown before the rest are folded away."""
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("dimensions", "Dimensions"),
    ("severity", "Severity"),
    ("frameworks", "Frameworks"),
    ("explanation", "Score explanation"),
    ("recommendations", "Recommendations"),
    ("findings", "Findings"),
    ("waivers", "Waivers"),
    ("coverage", "Coverage and errors"),
    ("evaluation", "Evaluation dimensions"),
    ("trend", "Trend"),
)


@cache
def environment() -> Environment:
    """The Jinja environment for HTML: templates from `crmsec.resources`, autoescape on, strict undefined."""
    return Environment(
        loader=FunctionLoader(resources.template),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_printable,
    )


_HTML_WHITESPACE = "\t\n\r"


def _printable(value: Any) -> Any:
    """CRM data may carry control characters (C0, C1) and bidirectional overrides: show them as U+FFFD, as the
    terminal and report.md do (`presentation.printable`; tab and line breaks are whitespace in HTML and stay).
    Plain strings only: our own Markup, such as the charts, passes untouched."""
    return printable(value, keep=_HTML_WHITESPACE) if type(value) is str else value


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_security_policy(css: str, script: str) -> str:
    """The page's CSP: nothing by default, our inline style and script by hash, images only as data: URLs."""
    return (
        f"default-src 'none'; style-src {_hash(css)}; script-src {_hash(script)}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _recommendation_rows(
    items: Sequence[Recommendation], groups: Sequence[findings_table.Group]
) -> list[dict[str, Any]]:
    anchors = {row.anchor for group in groups for row in group.rows}
    return [
        {
            "item": item,
            "href": f"#{anchor}" if (anchor := findings_table.check_anchor(item.check_id)) in anchors else "",
        }
        for item in items
    ]


def _evaluation(sections: Sequence[EvaluationSection]) -> list[dict[str, Any]]:
    """Each section with its charts placed (metrics; survey themes for satisfaction)."""
    return [
        {
            "section": section,
            "chart": charts.measure_chart(section.measures) if section.measures else None,
            "themes_chart": charts.measure_chart([theme.measure() for theme in section.themes])
            if section.themes
            else None,
        }
        for section in sections
    ]


def _dimension_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "key": str(d.dimension),
            "label": view.dimension_label(str(d.dimension)),
            "score": d.score,
            "score_text": number_text(d.score),
            "weight": number_text(d.weight),
            "checks": d.checks,
            "decided": d.decided,
            "coverage_text": percent_text(d.coverage),
        }
        for d in sorted(report.scores.dimensions, key=lambda d: list(view.DIMENSION_LABELS).index(str(d.dimension)))
    ]


def percent_text(ratio: float | None) -> str:
    """A 0-1 ratio as a percentage ("n/a" for none)."""
    return "n/a" if ratio is None else f"{number_text(round(ratio * 100, 1))}%"


def _explanation(report: Report) -> dict[str, Any]:
    """Points lost per check (most first), with the statuses of the findings that cost them."""
    by_check: dict[str, list[Any]] = {}
    for item in report.scores.points_lost:
        by_check.setdefault(item.check_id, []).append(item)
    titles = {finding.check_id: finding for finding in report.findings}
    rows = []
    for check_id, items in by_check.items():
        finding = titles.get(check_id)
        statuses = Counter(str(item.status) for item in items)
        rows.append(
            {
                "check_id": check_id,
                "title": finding.title if finding else "",
                "dimension": view.dimension_label(view.group_of(finding)) if finding else "",
                "findings_text": ", ".join(f"{statuses[str(s)]} {s}" for s in view.STATUS_ORDER if statuses[str(s)]),
                "points": round(sum(item.points for item in items), 2),
                "href": f"#{findings_table.check_anchor(check_id)}",
            }
        )
    rows.sort(key=lambda row: (-row["points"], row["check_id"]))
    for row in rows:
        row["points_text"] = number_text(row["points"])
    total = round(sum(item.points for item in report.scores.points_lost), 2)
    return {"rows": rows, "total_text": number_text(total), "findings": len(report.scores.points_lost)}


def _coverage(report: Report) -> dict[str, Any]:
    coverage = report.coverage
    labels = (
        ("selected", "Checks selected"),
        ("decided", "Decided (PASS, FAIL or WARN)"),
        ("not_applicable", "Not applicable"),
        ("manual", "Manual"),
        ("errored", "Errored"),
    )
    ratio = coverage.get("ratio")
    return {
        "selected": coverage.get("selected"),
        "decided": coverage.get("decided"),
        "ratio_text": percent_text(ratio if isinstance(ratio, int | float) else None),
        "wording": coverage_wording(coverage),
        "rows": [(label, coverage.get(key, 0)) for key, label in labels],
    }


def _evidence_rows(report: Report) -> list[tuple[str, JsonValue]]:
    evidence = report.evidence
    rows: list[tuple[str, JsonValue]] = [
        ("Connector", evidence.get("connector", "")),
        ("Collected at", evidence.get("collected_at", "")),
        ("Items", evidence.get("items", 0)),
        ("Items with errors", evidence.get("errors", 0)),
        ("API calls", evidence.get("api_calls", 0)),
        ("sha256", evidence.get("sha256", "")),
    ]
    rows += [("Note", note) for note in evidence.get("notes") or ()]
    rows += [(f"Timing: {name}", f"{seconds} s") for name, seconds in sorted(report.timings.items())]
    return rows


def _comparison(report: Report, previous: Report | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    compared = comparison.compare(report, previous)
    delta = compared.overall_delta
    return {
        "previous_generated_at": compared.previous_generated_at,
        "previous_overall_text": number_text(compared.previous_overall),
        "delta_text": "n/a" if delta is None else f"{delta:+.2f}",
        "rows": [
            (view.dimension_label(name), number_text(before), number_text(now), "" if d is None else f"{d:+.2f}")
            for name, before, now, d in compared.dimensions
        ],
        "lists": [
            ("New failing findings", compared.new_failures),
            ("Resolved since then (now PASS)", compared.resolved),
            ("No longer assessed (absent, not applicable or manual: not a fix)", compared.unassessed),
        ],
    }


def _trend(report: Report, previous: Report | None) -> charts.TrendChart | None:
    points = comparison.trend_points(report, previous)
    scored = [point for point in points if point.overall is not None]
    return charts.trend_chart(points) if len(scored) >= 2 else None


def context(report: Report, previous: Report | None = None) -> dict[str, Any]:
    """Everything the HTML template shows, as plain values (the template escapes them)."""
    css = resources.template("report.css")
    script = resources.template("report.js")
    dimension_rows = _dimension_rows(report)
    severity = view.severity_counts(report.findings)
    evaluation = evaluation_sections(report)
    groups = findings_table.groups(report)
    advice = _recommendation_rows(recommendations(report), groups)
    comparison = _comparison(report, previous)
    trend = _trend(report, previous)
    shown = {"evaluation": bool(evaluation), "recommendations": bool(advice), "trend": bool(comparison or trend)}
    return {
        "csp": content_security_policy(css, script),
        # Our own package assets, hashed into the CSP above; never report data.
        "css": Markup(css),  # noqa: S704
        "script": Markup(script),  # noqa: S704
        "meta": {
            "platform": report.target.get("platform", ""),
            "url": report.target.get("url", ""),
            "profile": report.profile.get("name", ""),
            "generated_at": report.generated_at,
            "collected_at": report.evidence.get("collected_at", ""),
            "tool_version": report.tool_version,
            "identities": view.identities_note(report),
            "audit": view.audit_trail(report),
        },
        "sections": [(key, label) for key, label in SECTIONS if shown.get(key, True)],
        "scores": {
            "overall_text": number_text(report.scores.overall),
            "grade": report.scores.grade,
            # the letter alone fits the gauge; a longer grade (a coverage caveat) is printed beneath it
            "grade_letter": report.scores.grade.split(" ", 1)[0],
            "pass_mark": number_text(report.scores.pass_mark),
            "passed": report.scores.passed,
            "capped_by": list(report.scores.grade_capped_by),
        },
        "gate": _gate(report),
        "gauge": charts.gauge(report.scores.overall),
        "status_counts": view.status_counts(report.findings),
        "coverage": _coverage(report),
        "dimension_rows": dimension_rows,
        "dimension_chart": charts.bar_chart([(r["key"], r["label"], r["score"]) for r in dimension_rows]),
        "severity_chart": charts.bar_chart(
            [(name, name, float(number)) for name, number in severity],
            maximum=max([number for _, number in severity] + [1]),
            left=80,
            bands=False,
        ),
        "frameworks": frameworks.frameworks(report),
        "control_labels": frameworks.CONTROL_LABELS,
        "explanation": _explanation(report),
        "groups": groups,
        "listed_limit": findings_table.LISTED,
        "filter_statuses": [str(status) for status in view.STATUS_ORDER],
        "filter_severities": [str(severity) for severity in view.SEVERITY_ORDER],
        "filter_dimensions": _filter_dimensions(report),
        "waiver_tables": _waiver_tables(report),
        "errors": list(report.errors),
        "plugins": [dict(plugin) for plugin in report.plugins],
        "evidence_rows": _evidence_rows(report),
        "evaluation": _evaluation(evaluation),
        "recommendations": advice,
        "top_recommendations": TOP_RECOMMENDATIONS,
        "check_anchor": findings_table.check_anchor,
        "comparison": comparison,
        "trend": trend,
    }


def _gate(report: Report) -> dict[str, Any]:
    gate = report.gate
    reasons = gate.get("reasons")
    return {
        "passed": bool(gate.get("passed")),
        "wording": gate_wording_of(gate),
        "state": gate_state(gate),
        "reasons": [str(reason) for reason in reasons] if isinstance(reasons, list) else [],
        **{key: "not set" if gate.get(key) is None else value_text(gate.get(key)) for key in _GATE_SETTINGS},
    }


def _filter_dimensions(report: Report) -> list[tuple[str, str]]:
    present = {view.group_of(finding) for finding in report.findings}
    return [(key, view.dimension_label(key)) for key in [*view.DIMENSION_LABELS, view.PLUGINS_GROUP] if key in present]


def _waiver_tables(report: Report) -> list[tuple[str, Sequence[Mapping[str, JsonValue]], bool]]:
    def entries(name: str) -> list[Mapping[str, JsonValue]]:
        value = report.waivers.get(name)
        return [entry for entry in value if isinstance(entry, Mapping)] if isinstance(value, list) else []

    return [
        ("Applied", entries("applied"), True),
        ("Expired (not applied)", entries("expired"), False),
        ("Unused", entries("unused"), False),
    ]


def render(report: Report, *, previous: Report | None = None) -> bytes:
    """The bytes of report.html (UTF-8)."""
    page = environment().get_template("report.html.j2").render(context(report, previous))
    return page.encode("utf-8")
