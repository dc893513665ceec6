"""JUnit agrees with the gate by default: --junit-fail-on gate|fail|warn decides what turns a test red."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.plugin import Status
from crmsec.profiles import load_profile
from crmsec.render import render
from crmsec.report.build import GateOptions, gate_result
from crmsec.report.model import Report


def _with_gate(report: Report, options: GateOptions, profile: str = "baseline") -> Report:
    return dataclasses.replace(report, gate=gate_result(report.findings, report.scores, options, load_profile(profile)))


def _totals(report: Report, mode: str) -> tuple[int, int, ElementTree.Element]:
    root = ElementTree.fromstring(render(report, "junit", junit_fail_on=mode))
    return int(root.get("failures", "-1")), int(root.get("errors", "-1")), root


def _count(report: Report, *statuses: Status) -> int:
    return sum(1 for finding in report.findings if finding.status in statuses)


def test_a_passing_gate_means_no_red_test(rich_report: Report) -> None:
    report = _with_gate(rich_report, GateOptions(fail_under=30))
    assert report.gate["passed"] is True and _count(report, Status.WARN) and _count(report, Status.FAIL)
    failures, errors, root = _totals(report, "gate")
    assert (failures, errors) == (0, 0)
    outputs = [element.text or "" for element in root.iter("system-out")]
    assert sum(text.startswith("WARN (does not fail this run)") for text in outputs) == _count(report, Status.WARN)
    assert "Gate passed (fail-under 30 from the command line)" in outputs


def test_a_failing_gate_reds_its_culprits_and_itself(rich_report: Report) -> None:
    report = _with_gate(rich_report, GateOptions(), "strict")  # fail-on high from the profile
    culprits = set(report.gate["failing"])
    assert culprits
    failures, errors, root = _totals(report, "gate")
    red = [f for f in report.findings if f.fingerprint in culprits]
    assert failures == sum(1 for f in red if f.status is Status.FAIL) + 1  # + the gate test case
    assert errors == sum(1 for f in red if f.status is Status.ERROR)
    [gate_failure] = [e for e in root.iter("failure") if e.get("type") == "GATE"]
    assert gate_failure.get("message") == "Gate failed (fail-on high from the profile)"


@pytest.mark.parametrize(
    ("mode", "red"),
    [("fail", (Status.FAIL,)), ("warn", (Status.FAIL, Status.WARN))],
)
def test_fail_and_warn_modes(rich_report: Report, mode: str, red: tuple[Status, ...]) -> None:
    report = _with_gate(rich_report, GateOptions(fail_under=30))
    failures, errors, _ = _totals(report, mode)
    assert (failures, errors) == (_count(report, *red), _count(report, Status.ERROR))


def test_no_gate_skips_the_gate_case(rich_report: Report) -> None:
    report = _with_gate(rich_report, GateOptions())
    failures, errors, root = _totals(report, "gate")
    assert (failures, errors) == (0, 0)
    [case] = [c for c in root.iter("testcase") if c.get("classname") == "crmsec.gate"]
    assert case.find("skipped") is not None and case.find("skipped").get("message") == "No gate set"  # type: ignore[union-attr]


def test_report_command_takes_the_mode(rich_report: Report, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(_with_gate(rich_report, GateOptions(fail_under=30)).to_json()), encoding="utf-8")
    for mode, expected in (("warn", _count(rich_report, Status.FAIL, Status.WARN)), ("gate", 0)):
        with pytest.raises(SystemExit) as exit_info:
            main(["report", str(path), "--format", "junit", "--junit-fail-on", mode])
        assert exit_info.value.code == 0
        root = ElementTree.parse(tmp_path / "report.junit.xml").getroot()
        assert int(root.get("failures", "-1")) == expected
    with pytest.raises(SystemExit) as exit_info:
        main(["report", str(path), "--format", "junit", "--junit-fail-on", "sometimes"])
    assert exit_info.value.code == 2
    assert "sometimes" in capsys.readouterr().err
