"""Evaluation parts of the reports: which check judged a metric, honest scales, and the chart geometry."""

from __future__ import annotations

from dataclasses import replace

from crmsec.plugin import Dimension, Severity, Status
from crmsec.render import charts
from crmsec.render.evaluation_view import (
    EvaluationSection,
    evaluation_sections,
    measures,
    metric_text,
    recommendations,
)
from crmsec.report.build import fingerprint
from crmsec.report.model import FindingRecord, Report


def _finding(check_id: str, resource: str, status: Status, **details: object) -> FindingRecord:
    return FindingRecord(
        check_id=check_id,
        title=check_id,
        dimension=Dimension.DATA_QUALITY,
        severity=Severity.MEDIUM,
        status=status,
        resource=resource,
        message="m",
        fingerprint=fingerprint(check_id, resource),
        details=dict(details),
    )


def _metric(value: float | None, unit: str = "percent") -> dict[str, object]:
    return {"value": value, "unit": unit, "dimension": "data_quality", "source": "data.quality", "label": "L"}


def _section(report: Report, metrics: dict[str, dict[str, object]], findings: list[FindingRecord]) -> EvaluationSection:
    [section] = [
        s for s in evaluation_sections(replace(report, metrics=metrics, findings=tuple(findings)))
        if s.key == "data_quality"
    ]  # fmt: skip
    return section


def test_a_finding_with_the_same_value_and_source_gives_the_limits(rich_report: Report) -> None:
    findings = [_finding("CRM-DQ-002", "organization", Status.WARN, actual=4.06, warn_above=2, fail_above=5,
                         source="data.quality")]  # fmt: skip
    section = _section(rich_report, {"duplicate_rate": _metric(4.06)}, findings)
    [metric] = section.metrics
    assert metric.judged_by is not None
    assert metric.judged_by.text == "warn above 2 · fail above 5 (CRM-DQ-002)" and metric.status == "WARN"
    [measure] = section.measures
    assert (measure.low, measure.high, measure.band) == (0.0, 10.0, "fair")
    assert [(mark.kind, mark.value) for mark in measure.marks] == [("warn", 2.0), ("fail", 5.0)]


def test_another_source_or_two_checks_give_no_limits(rich_report: Report) -> None:
    other = [_finding("CRM-DQ-002", "organization", Status.WARN, actual=4.06, limit=2, source="elsewhere")]
    assert _section(rich_report, {"duplicate_rate": _metric(4.06)}, other).metrics[0].judged_by is None
    two = [_finding("CRM-DQ-002", "a", Status.WARN, actual=4.06, limit=2),
           _finding("CRM-DQ-009", "b", Status.PASS, actual=4.06, limit=9)]  # fmt: skip
    assert _section(rich_report, {"duplicate_rate": _metric(4.06)}, two).metrics[0].judged_by is None


def test_a_finding_matching_two_metrics_judges_the_one_naming_its_resource(rich_report: Report) -> None:
    findings = [_finding("CRM-DQ-003", "email", Status.PASS, actual=0.0, warn_above=2, fail_above=10)]
    metrics = {"invalid_email_rate": _metric(0.0), "invalid_phone_rate": _metric(0.0)}
    email, phone = _section(rich_report, metrics, findings).metrics
    assert email.judged_by is not None and phone.judged_by is None


def test_metrics_of_equal_value_keep_their_own_verdicts_by_metric_id(rich_report: Report) -> None:
    # 0% duplicates passes its check, 0% completeness fails another: by value alone the two findings collide
    # (both claim both metrics) and both verdicts were dropped; by metric id each metric gets its own
    findings = [
        _finding("CRM-DQ-002", "organization", Status.PASS, metric="duplicate_rate", actual=0.0,
                 warn_above=2, fail_above=5, source="data.quality"),
        _finding("CRM-DQ-001", "organization", Status.FAIL, metric="data_completeness", actual=0.0,
                 warn_below=90, fail_below=80, source="data.quality"),
    ]  # fmt: skip
    metrics = {"data_completeness": _metric(0.0), "duplicate_rate": _metric(0.0)}
    completeness, duplicates = _section(rich_report, metrics, findings).metrics
    assert completeness.judged_by is not None and duplicates.judged_by is not None
    assert (completeness.judged_by.check_id, completeness.status) == ("CRM-DQ-001", "FAIL")
    assert (duplicates.judged_by.check_id, duplicates.status) == ("CRM-DQ-002", "PASS")
    bands = {measure.key: measure.band for measure in _section(rich_report, metrics, findings).measures}
    assert bands == {"data_completeness": "poor", "duplicate_rate": "good"}
    # the same findings without the id (a report from before it) still collide and show no verdict
    anonymous = [replace(finding, details={k: v for k, v in finding.details.items() if k != "metric"})
                 for finding in findings]  # fmt: skip
    assert all(m.judged_by is None for m in _section(rich_report, metrics, anonymous).metrics)


def test_a_finding_naming_a_metric_never_judges_another_by_value(rich_report: Report) -> None:
    findings = [_finding("CRM-DQ-002", "organization", Status.WARN, metric="duplicate_rate", actual=4.06,
                         warn_above=2, fail_above=5, source="data.quality")]  # fmt: skip
    metrics = {"duplicate_rate": _metric(4.06), "stale_record_rate": _metric(4.06)}
    duplicates, stale = _section(rich_report, metrics, findings).metrics
    assert duplicates.status == "WARN" and stale.judged_by is None


def test_scales() -> None:
    from crmsec.render.evaluation_view import Judgement, Metric

    def scale(metric_id: str, value: float, unit: str = "percent") -> tuple[float, float]:
        [measure] = measures([Metric(metric_id, metric_id, value, unit, "", None)])
        return measure.low, measure.high

    assert scale("data_completeness", 97.1) == (0, 100)
    assert scale("nps", 9.6, "score") == (-100, 100) and scale("sus", 64.3, "score") == (0, 100)
    assert scale("kpi.x.change", -30.0) == (-50, 0)
    assert measures([Metric("tco", "TCO", 3.2e6, "CNY", "", None)]) == ()  # money without limits: table only
    judged = Judgement("CRM-STAB-001", "PASS", (charts.Mark(1000, "warn", "warn above 1000"),))
    [latency] = measures([Metric("api_latency_p95_ms", "p95", 624.4, "ms", "", judged)])
    assert (latency.low, latency.high) == (0, 2000)


def test_measure_chart_geometry() -> None:
    low = charts.Measure("a", "A", -30.0, "-30%", "", -50, 20, "poor")
    high = charts.Measure("b", "B", 150.0, "150", "", 0, 100, "good", (charts.Mark(68, "benchmark", "b"),))
    chart = charts.measure_chart([low, high], plot_width=350)
    first, second = chart.rows
    assert first.zero_x == 250 and (first.bar_x, first.bar_width) == (100, 150)  # from zero leftwards
    assert [text for _, text, _ in first.ticks] == ["-50", "0", "20"]
    assert (second.bar_x, second.bar_width) == (0, 350) and second.marks[0][0] == 238  # clipped at the scale end
    assert charts.nice_ceiling(36) == 50 and charts.nice_ceiling(0.3) == 0.5 and charts.nice_ceiling(0) == 1


def test_metric_text() -> None:
    assert metric_text(97.13, "percent") == "97.13%" and metric_text(624.4, "ms") == "624.4 ms"
    assert metric_text(50439.42, "CNY") == "50,439.42 CNY" and metric_text(None, "percent") == "n/a"


def test_recommendations_read_older_shapes(rich_report: Report) -> None:
    older = replace(rich_report, extras={"recommendations": ["Do it", {"points": "x", "title": "T"}, {"points": 3}]})
    items = recommendations(older)
    assert [(item.title, item.points) for item in items] == [("", 3.0), ("Do it", 0.0), ("T", 0.0)]
    assert recommendations(replace(rich_report, extras={})) == []
