from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsec.plugin import Dimension, Severity, Status
from crmsec.profiles import Profile, builtin_profiles, load_profile
from crmsec.report.build import fingerprint
from crmsec.report.model import FindingRecord
from crmsec.scoring import score


def finding(
    check: str,
    status: Status,
    *,
    severity: Severity = Severity.HIGH,
    dimension: Dimension = Dimension.AUTHENTICATION,
    resource: str = "organization",
) -> FindingRecord:
    return FindingRecord(
        check_id=check,
        title=check,
        dimension=dimension,
        severity=severity,
        status=status,
        resource=resource,
        message="",
        fingerprint=fingerprint(check, resource),
    )


PROFILE = Profile(name="t", description="", sha256="0" * 64, sources=())


def card_of(findings: list[FindingRecord], profile: Profile = PROFILE):
    dimensions = {f.dimension for f in findings if f.dimension}
    return score(findings, profile, checks_per_dimension={d: 1 for d in dimensions})


def test_hand_computed_example() -> None:
    # authentication: A (high=6) FAIL, B (medium=3) PASS, C (low=1) WARN -> W=10
    # A loses 100*6/10 = 60, C loses 100*1*0.5/10 = 5 -> 35
    # tls: D (high) PASS -> 100, W=6. Overall pools the checks: A costs 100*6/16 = 37.5,
    # C costs 100*0.5/16 = 3.125 -> 59.375, i.e. (10*35 + 6*100) / 16
    findings = [
        finding("X-A-001", Status.FAIL),
        finding("X-A-002", Status.PASS, severity=Severity.MEDIUM),
        finding("X-A-003", Status.WARN, severity=Severity.LOW),
        finding("X-T-001", Status.PASS, dimension=Dimension.TLS),
    ]
    card = card_of(findings)
    by_dimension = {d.dimension: d for d in card.dimensions}
    assert by_dimension[Dimension.AUTHENTICATION].score == 35.0
    assert by_dimension[Dimension.TLS].score == 100.0
    assert card.overall == 59.38
    assert card.grade == "F"
    assert [(p.check_id, p.points) for p in card.points_lost] == [("X-A-001", 37.5), ("X-A-003", 3.12)]


def test_worst_aggregation_shares_points_among_failing_resources() -> None:
    findings = [finding("X-A-001", Status.FAIL, resource=f"user:{i}") for i in range(3)]
    findings.append(finding("X-A-001", Status.PASS, resource="user:ok"))
    card = card_of(findings)
    assert card.overall == 0.0
    assert sorted(p.points for p in card.points_lost) == [33.33, 33.33, 33.34]


def test_proportional_aggregation() -> None:
    findings = [finding("X-A-001", Status.FAIL, resource="a"), finding("X-A-001", Status.PASS, resource="b")]
    card = card_of(findings, replace(PROFILE, aggregation="proportional"))
    assert card.overall == 50.0


def test_not_applicable_and_manual_leave_the_denominator() -> None:
    findings = [
        finding("X-A-001", Status.PASS),
        finding("X-A-002", Status.NOT_APPLICABLE),
        finding("X-A-003", Status.MANUAL),
    ]
    assert card_of(findings).overall == 100.0


def test_error_is_failure_only_when_fail_closed() -> None:
    findings = [finding("X-A-001", Status.PASS), finding("X-A-002", Status.ERROR)]
    assert card_of(findings).overall == 50.0
    assert card_of(findings, replace(PROFILE, fail_closed=False)).overall == 100.0


def test_nothing_scored_gives_no_score() -> None:
    card = card_of([finding("X-A-001", Status.NOT_APPLICABLE)])
    assert card.overall is None
    assert card.grade == "N/A"
    assert not card.passed


def test_critical_fail_caps_the_grade() -> None:
    findings = [finding("X-A-001", Status.FAIL, severity=Severity.CRITICAL)]
    findings += [finding(f"X-T-{i:03}", Status.PASS, dimension=Dimension.TLS) for i in range(1, 3)]
    for dimension in (
        Dimension.BACKUP,
        Dimension.PII,
        Dimension.ENCRYPTION,
        Dimension.INTEGRATIONS,
        Dimension.AUDIT_LOGGING,
        Dimension.ACCESS_CONTROL,
        Dimension.USABILITY,
        Dimension.STABILITY,
    ):
        findings.append(finding("X-O-001", Status.PASS, dimension=dimension, resource=str(dimension)))
    card = card_of(findings)
    assert card.overall == 85.71  # 100 - 100 * 10 / (10 + 2*6 + 8*6)
    assert card.grade == "C"
    assert card.grade_capped_by == ("X-A-001",)
    assert card_of(findings, replace(PROFILE, critical_fail_caps_grade=None)).grade == "B"


def test_dimension_weights() -> None:
    findings = [finding("X-A-001", Status.FAIL), finding("X-T-001", Status.PASS, dimension=Dimension.TLS)]
    weighted = replace(PROFILE, dimension_weights={"tls": 3.0})
    assert card_of(findings, weighted).overall == 75.0


statuses = st.sampled_from(list(Status))
severities = st.sampled_from(list(Severity))
dimensions = st.sampled_from([Dimension.TLS, Dimension.AUTHENTICATION, Dimension.BACKUP])
findings_strategy = st.lists(
    st.builds(
        finding,
        st.sampled_from(["X-A-001", "X-A-002", "X-B-001", "X-C-001"]),
        statuses,
        severity=severities,
        dimension=dimensions,
        resource=st.sampled_from(["a", "b", "c", "organization"]),
    ),
    max_size=25,
)
profiles = st.sampled_from([PROFILE, replace(PROFILE, aggregation="proportional"), replace(PROFILE, fail_closed=False)])


def _consistent(findings: list[FindingRecord]) -> list[FindingRecord]:
    """One severity and dimension per check id, as in a real report."""
    first: dict[str, FindingRecord] = {}
    for item in findings:
        first.setdefault(item.check_id, item)
    return [replace(f, severity=first[f.check_id].severity, dimension=first[f.check_id].dimension) for f in findings]


@settings(max_examples=200)
@given(findings_strategy, profiles)
def test_scores_stay_in_range_and_points_explain_them(findings: list[FindingRecord], profile: Profile) -> None:
    card = card_of(_consistent(findings), profile)
    if card.overall is not None:
        assert 0 <= card.overall <= 100
        assert round(sum(p.points for p in card.points_lost) * 100) == round((100 - card.overall) * 100)
    for dimension in card.dimensions:
        if dimension.score is not None:
            assert 0 <= dimension.score <= 100
            assert round(sum(p.points for p in dimension.points_lost) * 100) == round((100 - dimension.score) * 100)


@settings(max_examples=200)
@given(findings_strategy, profiles, dimensions, severities)
def test_adding_a_fail_never_raises_a_score(findings, profile, dimension, severity) -> None:
    findings = _consistent(findings)
    before = card_of(findings, profile)
    added = _consistent([*findings, finding("X-NEW-001", Status.FAIL, severity=severity, dimension=dimension)])
    after = card_of(added, profile)
    if before.overall is not None and after.overall is not None:
        assert after.overall <= before.overall + 1e-9


@pytest.mark.parametrize("status", [Status.FAIL, Status.WARN, Status.ERROR])
def test_waived_costs_nothing(status: Status) -> None:
    waived = finding("X-A-001", Status.WAIVED)
    assert card_of([waived]).overall == 100.0
    assert card_of([finding("X-A-001", status)]).overall < 100.0


SHIPPED_PROFILES = {name: load_profile(name) for name in builtin_profiles()}
_SCORED_SEVERITIES = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
check_cases = st.lists(
    st.tuples(
        st.sampled_from(_SCORED_SEVERITIES),
        st.sampled_from(list(Dimension)),
        st.lists(st.sampled_from([Status.FAIL, Status.WARN, Status.PASS, Status.ERROR]), min_size=1, max_size=3),
    ),
    min_size=2,
    max_size=20,
)


def _findings_of(cases: list[tuple[Severity, Dimension, list[Status]]]) -> list[FindingRecord]:
    return [
        finding(f"X-Z-{index:03}", status, severity=severity, dimension=dimension, resource=f"r{number}")
        for index, (severity, dimension, statuses) in enumerate(cases)
        for number, status in enumerate(statuses)
    ]


@settings(max_examples=300)
@given(st.sampled_from(sorted(SHIPPED_PROFILES)), check_cases)
def test_severity_dominates_under_every_shipped_profile(
    name: str, cases: list[tuple[Severity, Dimension, list[Status]]]
) -> None:
    """A FAIL costs more than any check of a lower severity and any WARN-only check of its own severity."""
    profile = SHIPPED_PROFILES[name]
    card = card_of(_findings_of(cases), profile)
    cost: dict[str, float] = {}
    for lost in card.points_lost:
        cost[lost.check_id] = cost.get(lost.check_id, 0.0) + lost.points
    for index, (severity, _, statuses) in enumerate(cases):
        if Status.FAIL not in statuses:
            continue
        for other, (other_severity, _, other_statuses) in enumerate(cases):
            warn_only = set(other_statuses) <= {Status.WARN, Status.PASS}
            if other_severity.rank < severity.rank or (other_severity is severity and warn_only):
                failing, cheaper = cost[f"X-Z-{index:03}"], cost.get(f"X-Z-{other:03}", 0.0)
                assert failing > cheaper, (severity, statuses, other_severity, other_statuses)


def test_a_critical_fail_outweighs_an_evaluation_warn_in_a_crowded_dimension() -> None:
    """The issue's case: a critical FAIL among many authentication checks, one satisfaction WARN."""
    findings = [finding("CRM-AUTH-001", Status.FAIL, severity=Severity.CRITICAL)]
    findings += [finding(f"CRM-AUTH-{i:03}", Status.PASS, severity=Severity.MEDIUM) for i in range(2, 20)]
    findings += [finding("CRM-SAT-001", Status.WARN, severity=Severity.MEDIUM, dimension=Dimension.SATISFACTION)]
    findings += [finding("CRM-SAT-002", Status.PASS, severity=Severity.LOW, dimension=Dimension.SATISFACTION)]
    costs = {lost.check_id: lost.points for lost in card_of(findings, SHIPPED_PROFILES["baseline"]).points_lost}
    assert costs["CRM-AUTH-001"] > 5 * costs["CRM-SAT-001"]
