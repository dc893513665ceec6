from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from crmsec import engine
from crmsec.errors import Reason
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check
from crmsec.profiles import Profile, Waiver
from crmsec.registry import Catalogue, LoadProblem
from crmsec.report.build import GateOptions
from crmsec.report.model import Report, validate_report
from crmsec.testing import snapshot_from_values

FIXED = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
PROFILE = Profile(name="t", description="", sha256="0" * 64, sources=())
_release = threading.Event()


def _spec(function, **overrides):
    spec = function.__crmsec_check__
    return replace(spec, **overrides) if overrides else spec


@check(
    id="T-AUTH-001",
    title="Timeout short",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.HIGH,
    requires=("auth.session_settings",),
    params={"limit": 30},
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def timeout_check(evidence: Evidence, *, limit: int) -> list[Finding]:
    minutes = evidence.mapping("auth.session_settings")["idle_timeout_minutes"]
    return [Finding(Status.PASS if minutes <= limit else Status.FAIL, "organization", f"{minutes}")]


@check(
    id="T-AUTH-002",
    title="Crashes",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def crashing(evidence: Evidence) -> list[Finding]:
    raise ZeroDivisionError("boom with secret details")


@check(
    id="T-AUTH-003",
    title="Hangs",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def hanging(evidence: Evidence) -> list[Finding]:
    _release.wait(5)
    return [Finding(Status.PASS, "organization", "late")]


@check(
    id="T-AUTH-004",
    title="Bad result",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def bad_result(evidence: Evidence) -> list[object]:
    return ["PASS"]


@check(
    id="T-AUTH-005",
    title="Returns ERROR itself",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def self_error(evidence: Evidence) -> list[Finding]:
    return [Finding(Status.ERROR, "organization", "not allowed")]


@check(
    id="T-AUTH-006",
    title="Reads undeclared",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
)
def undeclared(evidence: Evidence) -> list[Finding]:
    evidence.value("identity.users")
    return [Finding(Status.PASS, "organization", "")]


@check(
    id="T-AUTH-007",
    title="Salesforce only",
    dimension=Dimension.AUTHENTICATION,
    severity=Severity.LOW,
    requires=("auth.session_settings",),
    rationale="r" * 10,
    remediation="m" * 10,
    frameworks={"soc2": ("CC6.1",)},
    platforms=("bottlecrm",),
)
def other_platform(evidence: Evidence) -> list[Finding]:
    return [Finding(Status.PASS, "organization", "")]


def catalogue(*functions) -> Catalogue:
    result = Catalogue()
    for function in functions:
        result.add(_spec(function), "test")
    return result


def evaluate(values: dict, functions, profile: Profile = PROFILE, **options) -> Report:
    snapshot = snapshot_from_values(values)
    return engine.check_snapshot(
        snapshot, profile, catalogue(*functions), engine.EvaluationOptions(clock=lambda: FIXED, **options)
    )


def statuses(report: Report) -> dict[str, tuple[Status, Reason | None]]:
    return {f.check_id: (f.status, f.reason) for f in report.findings}


GOOD = {"auth.session_settings": {"idle_timeout_minutes": 15}}
BAD = {"auth.session_settings": {"idle_timeout_minutes": 120}}


def test_guards_and_boundaries() -> None:
    _release.clear()
    try:
        report = evaluate(
            GOOD,
            [timeout_check, crashing, hanging, bad_result, self_error, undeclared, other_platform],
            check_timeout=0.2,
        )
    finally:
        _release.set()
    assert statuses(report) == {
        "T-AUTH-001": (Status.PASS, None),
        "T-AUTH-002": (Status.ERROR, Reason.CHECK_CRASHED),
        "T-AUTH-003": (Status.ERROR, Reason.CHECK_TIMEOUT),
        "T-AUTH-004": (Status.ERROR, Reason.CHECK_CRASHED),
        "T-AUTH-005": (Status.ERROR, Reason.CHECK_CRASHED),
        "T-AUTH-006": (Status.ERROR, Reason.EVIDENCE_UNUSABLE),
        "T-AUTH-007": (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED),
    }
    crashed = next(f for f in report.findings if f.check_id == "T-AUTH-002")
    assert "secret details" not in crashed.message
    validate_report(report.to_json())


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, (Status.ERROR, Reason.EVIDENCE_MISSING)),
        (
            {"auth.session_settings": {"__error__": {"reason": "permission_denied"}}},
            (Status.ERROR, Reason.PERMISSION_DENIED),
        ),
        (
            {"auth.session_settings": {"__error__": {"reason": "not_supported"}}},
            (Status.NOT_APPLICABLE, Reason.NOT_SUPPORTED),
        ),
    ],
)
def test_missing_failed_and_unsupported_evidence_never_pass(values: dict, expected) -> None:
    assert statuses(evaluate(values, [timeout_check]))["T-AUTH-001"] == expected


def test_evidence_references_carry_hashes() -> None:
    report = evaluate(GOOD, [timeout_check])
    [finding] = report.findings
    snapshot = snapshot_from_values(GOOD)
    assert [(r.key, r.sha256) for r in finding.evidence] == [
        ("auth.session_settings", snapshot.items["auth.session_settings"].sha256)
    ]


def test_profile_parameters_reach_the_check() -> None:
    lenient = replace(PROFILE, parameters={"limit": 240})
    assert statuses(evaluate(BAD, [timeout_check], lenient))["T-AUTH-001"][0] is Status.PASS
    per_check = replace(PROFILE, check_parameters={"T-AUTH-001": {"limit": 240}})
    assert statuses(evaluate(BAD, [timeout_check], per_check))["T-AUTH-001"][0] is Status.PASS


def test_waivers_keep_the_original_status_and_report_expired_ones() -> None:
    valid = Waiver("T-AUTH-001", "org*", "sec-team", "accepted until migration", dt.date(2026, 12, 31))
    expired = Waiver("T-AUTH-001", "*", "sec-team", "old", dt.date(2026, 1, 1))
    unused = Waiver("T-NONE-001", "*", "sec-team", "never matches", dt.date(2027, 1, 1))
    report = evaluate(BAD, [timeout_check], replace(PROFILE, waivers=(expired, valid, unused)))
    [finding] = report.findings
    assert (finding.status, finding.original_status) == (Status.WAIVED, Status.FAIL)
    assert finding.waiver is not None and finding.waiver["owner"] == "sec-team"
    assert report.scores.overall == 100.0
    assert [w["justification"] for w in report.waivers["expired"]] == ["old"]
    assert [w["check"] for w in report.waivers["unused"]] == ["T-NONE-001"]


def test_only_expired_waiver_does_not_apply() -> None:
    expired = Waiver("T-AUTH-001", "*", "sec-team", "old", dt.date(2026, 1, 1))
    report = evaluate(BAD, [timeout_check], replace(PROFILE, waivers=(expired,)))
    assert report.findings[0].status is Status.FAIL


def test_gate_fail_on_and_fail_under() -> None:
    report = evaluate(BAD, [timeout_check], gate=GateOptions(fail_on=Severity.HIGH))
    assert report.gate["passed"] is False
    report = evaluate(BAD, [timeout_check], gate=GateOptions(fail_on=Severity.CRITICAL))
    assert report.gate["passed"] is True
    report = evaluate(GOOD, [timeout_check], gate=GateOptions(fail_under=99))
    assert report.gate["passed"] is True
    report = evaluate(BAD, [timeout_check], gate=GateOptions(fail_under=1))
    assert report.gate["passed"] is False


def test_baseline_gates_only_new_findings() -> None:
    first = evaluate(BAD, [timeout_check])
    known = frozenset(f.fingerprint for f in first.findings)
    report = evaluate(BAD, [timeout_check], gate=GateOptions(fail_on=Severity.LOW, baseline_fingerprints=known))
    assert report.gate["passed"] is True
    assert report.findings[0].new is False
    assert report.findings[0].status is Status.FAIL


def test_plugin_load_problems_become_error_findings() -> None:
    cat = catalogue(timeout_check)
    cat.problems.append(LoadProblem("plugin:broken", "ImportError: nope"))
    report = engine.check_snapshot(
        snapshot_from_values(GOOD), PROFILE, cat, engine.EvaluationOptions(clock=lambda: FIXED)
    )
    broken = [f for f in report.findings if f.check_id == "plugin:broken"]
    assert broken and broken[0].status is Status.ERROR and broken[0].reason is Reason.PLUGIN_LOAD_FAILED
    assert any("plugin:broken" in error for error in report.errors)


def test_same_inputs_give_byte_identical_reports() -> None:
    first = evaluate(BAD, [timeout_check, crashing]).to_json()
    second = evaluate(BAD, [timeout_check, crashing]).to_json()
    for document in (first, second):
        document.pop("timings")
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_report_round_trips(tmp_path: Path) -> None:
    report = evaluate(BAD, [timeout_check, crashing])
    assert Report.from_json(json.loads(report.to_bytes())) == report


from hypothesis import given, settings  # noqa: E402 -- property tests at the end of the module
from hypothesis import strategies as st  # noqa: E402

waiver_strategy = st.builds(
    Waiver,
    st.sampled_from(["T-AUTH-00*", "T-AUTH-001", "T-AUTH-002", "*", "T-NONE-001"]),
    st.sampled_from(["*", "organization", "org*", "user:*"]),
    st.just("owner"),
    st.just("why"),
    st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(waiver_strategy, max_size=4), st.integers(min_value=1, max_value=300))
def test_waiving_never_hides_a_finding(waivers: list[Waiver], minutes: int) -> None:
    values = {"auth.session_settings": {"idle_timeout_minutes": minutes}}
    plain = evaluate(values, [timeout_check, crashing])
    waived = evaluate(values, [timeout_check, crashing], replace(PROFILE, waivers=tuple(waivers)))
    assert [f.fingerprint for f in plain.findings] == [f.fingerprint for f in waived.findings]
    for before, after in zip(plain.findings, waived.findings, strict=True):
        if after.status is Status.WAIVED:
            assert after.original_status is before.status and after.waiver is not None
        else:
            assert after.status is before.status
    assert (
        waived.scores.overall is None or plain.scores.overall is None or waived.scores.overall >= plain.scores.overall
    )


@check(id="T-AUTH-010", title="Uses an optional key", dimension=Dimension.AUTHENTICATION, severity=Severity.LOW,
       requires=("auth.session_settings",), optional=("auth.mfa",), rationale="r" * 10, remediation="m" * 10,
       frameworks={"soc2": ("CC6.1",)})  # fmt: skip
def optional_reader(evidence: Evidence) -> list[Finding]:
    enforced = evidence.get("auth.mfa", {}).get("enforced_for_all")
    return [Finding(Status.FAIL if enforced is False else Status.PASS, "organization", str(enforced))]


@pytest.mark.parametrize(
    ("mfa", "expected"),
    [
        (None, (Status.PASS, None)),  # never collected: absent
        ({"__error__": {"reason": "not_supported"}}, (Status.PASS, None)),  # the platform has none
        ({"__error__": {"reason": "permission_denied"}}, (Status.ERROR, Reason.PERMISSION_DENIED)),  # unknown
        ({"enforced_for_all": False}, (Status.FAIL, None)),
    ],
)
def test_a_failed_optional_key_is_unknown_not_absent(mfa, expected) -> None:
    values = dict(GOOD) if mfa is None else {**GOOD, "auth.mfa": mfa}
    assert statuses(evaluate(values, [optional_reader]))["T-AUTH-010"] == expected


def test_a_grade_from_few_decided_checks_says_it_is_partial() -> None:
    """A full score from one of two selected checks (the other not applicable) is not a plain A."""
    report = evaluate(GOOD, [timeout_check, other_platform])
    assert report.scores.overall == 100.0
    assert report.scores.grade == "A (partial: 50% of checks decided)"
    assert (report.coverage["decided"], report.coverage["selected"]) == (1, 2)
    validate_report(report.to_json(), where="test")
    assert evaluate(GOOD, [timeout_check]).scores.grade == "A"


def test_evaluate_is_a_deprecated_alias_of_check_snapshot() -> None:
    """The old name still works (it is public) but warns, and names both honest ones."""
    import crmsec

    options = engine.EvaluationOptions(clock=lambda: FIXED)
    expected = engine.check_snapshot(snapshot_from_values(GOOD), PROFILE, catalogue(timeout_check), options)
    with pytest.warns(DeprecationWarning, match="check_snapshot.*assess"):
        report = crmsec.evaluate(snapshot_from_values(GOOD), PROFILE, catalogue(timeout_check), options)
    timed = ("timings",)  # measured time differs from run to run
    assert {k: v for k, v in report.to_json().items() if k not in timed} == {
        k: v for k, v in expected.to_json().items() if k not in timed
    }
    assert crmsec.check_snapshot is engine.check_snapshot


def test_the_split_engine_keeps_its_public_names() -> None:
    """runner, waivers and report assembly live in their own modules; `crmsec.engine` still exports them."""
    from crmsec import assemble, runner

    assert engine.run_checks is runner.run_checks
    assert engine.record_finding is assemble.record_finding
    assert engine.DEFAULT_CHECK_TIMEOUT == runner.DEFAULT_CHECK_TIMEOUT
    assert set(engine.__all__) <= set(dir(engine))


def test_the_runner_and_report_assembly_load_no_connector() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, crmsec.runner, crmsec.assemble, crmsec.waivers\n"
        "print(sorted({'httpx', 'crmsec.connectors', 'crmsec.engine'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"
