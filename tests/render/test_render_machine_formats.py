"""SARIF 2.1.0 (official schema), JUnit XML (structure) and CSV (injection, BOM) from the rich report."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import replace

import pytest
from sarif_kit.validate import validation_errors

from crmsec.errors import InputError
from crmsec.plugin import Status
from crmsec.render import render, to_csv, to_junit, to_sarif
from crmsec.report.model import Report


def test_sarif_is_valid_against_the_official_schema(rich_report: Report) -> None:
    log = json.loads(render(rich_report, "sarif"))
    assert validation_errors(log) == []
    assert log["version"] == "2.1.0"


def test_sarif_rules_and_results(rich_report: Report) -> None:
    [run] = json.loads(render(rich_report, "sarif", sarif_anchor="ops/crmsec.yaml"))["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} >= {str(check["id"]) for check in rich_report.checks}
    mfa = next(rule for rule in rules if rule["id"] == "CRM-AUTH-001")
    assert mfa["properties"]["security-severity"] == "9.5"
    assert mfa["defaultConfiguration"]["level"] == "error"
    assert "Remediation: Require MFA" in mfa["help"]["text"]
    failing = [f for f in rich_report.findings if f.status in (Status.FAIL, Status.WARN, Status.ERROR)]
    waived = [f for f in rich_report.findings if f.status is Status.WAIVED]
    assert len(run["results"]) == len(failing) + len(waived)
    for result in run["results"]:
        [location] = result["locations"]
        assert location["physicalLocation"]["artifactLocation"] == {"uri": "ops/crmsec.yaml", "uriBaseId": "%SRCROOT%"}
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_fingerprint = {r["partialFingerprints"][to_sarif.FINGERPRINT_KEY]: r for r in run["results"]}
    for finding in failing:
        result = by_fingerprint[finding.fingerprint]
        assert result["locations"][0]["logicalLocations"][0]["name"] == finding.resource
        assert "suppressions" not in result
    [suppressed] = [by_fingerprint[f.fingerprint] for f in waived]
    assert suppressed["suppressions"][0]["status"] == "accepted"
    assert "王芳" in suppressed["suppressions"][0]["justification"]
    passed = {f.fingerprint for f in rich_report.findings if f.status is Status.PASS}
    assert not passed & set(by_fingerprint)


@pytest.mark.parametrize("anchor", ["/etc/crmsec.yaml", "https://example.test/x", "../outside.yaml", "C:\\x.yaml", ""])
def test_sarif_anchor_must_be_relative(rich_report: Report, anchor: str) -> None:
    with pytest.raises(InputError, match="sarif-anchor"):
        to_sarif.render(rich_report, anchor=anchor)


def test_sarif_anchor_is_a_uri() -> None:
    assert to_sarif.anchor_uri("config\\crm sec.yaml") == "config/crm%20sec.yaml"


def test_junit_structure(rich_report: Report) -> None:
    root = ElementTree.fromstring(render(rich_report, "junit", junit_fail_on="warn"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert "crmsec.plugins" in {suite.get("name") for suite in suites}
    assert suites[-1].get("name") == "crmsec.gate"  # one test case for the gate itself
    cases = [case for case in root.findall(".//testcase") if case.get("classname") != "crmsec.gate"]
    assert len(cases) == len(rich_report.findings) == int(root.get("tests", "0")) - 1
    outcome = {}
    for case in cases:
        children = [child.tag for child in case]
        outcome[case.get("name")] = children[0] if children else "passed"
    statuses = {f"{f.check_id} {f.slug or f.title} [{f.resource}]": f.status for f in rich_report.findings}
    expected = {
        Status.PASS: "passed",
        Status.FAIL: "failure",
        Status.WARN: "failure",
        Status.ERROR: "error",
        Status.NOT_APPLICABLE: "skipped",
        Status.MANUAL: "skipped",
        Status.WAIVED: "skipped",
    }
    assert outcome == {name: expected[status] for name, status in statuses.items()}
    for suite in suites:
        found = suite.findall("testcase")
        assert int(suite.get("tests", "-1")) == len(found)
        assert int(suite.get("failures", "-1")) == sum(1 for case in found if case.find("failure") is not None)
    waived = root.find(".//testcase/skipped[@message]")
    assert waived is not None
    assert any("王芳" in (element.get("message") or "") for element in root.iter("skipped"))


def test_junit_removes_characters_illegal_in_xml(rich_report: Report) -> None:
    finding = replace(rich_report.findings[0], message="bad\x00\x1b\ufffe chars", status=Status.FAIL)
    data = to_junit.render(replace(rich_report, findings=(finding,)))
    [failure] = (e for e in ElementTree.fromstring(data).iter("failure") if e.get("type") != "GATE")
    assert "bad chars" in (failure.get("message") or "")


def test_csv_has_bom_and_a_row_per_finding(rich_report: Report) -> None:
    data = render(rich_report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(rich_report.findings)
    assert any(row["resource"] == "profile:销售代表" for row in rows)
    waived = next(row for row in rows if row["status"] == "WAIVED")
    assert (waived["original_status"], waived["waiver_owner"], waived["waiver_expires"]) == (
        "FAIL",
        "王芳 (IT 安全)",
        "2026-06-30",
    )


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_defuses_formulas(rich_report: Report, cell: str) -> None:
    finding = replace(rich_report.findings[0], message=cell, resource=cell)
    data = to_csv.render(replace(rich_report, findings=(finding,)))
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row["message"] == "'" + cell and row["resource"] == "'" + cell


def test_csv_leaves_plain_text_alone() -> None:
    assert to_csv.defuse("organization") == "organization"
    assert to_csv.defuse("a=b") == "a=b"
