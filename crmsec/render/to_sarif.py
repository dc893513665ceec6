"""report.sarif: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and other SARIF readers).

One rule per check (help text = rationale and remediation, `security-severity`, a default level) and one
result per failing finding: FAIL, WARN and ERROR, plus waived failures carried as *suppressed* results so a
dashboard shows them as accepted rather than forgetting them. PASS, NOT_APPLICABLE and MANUAL are not
results.

A CRM setting has no file and line, but GitHub requires a physical location per result and rejects
absolute URIs next to a source root. Each result is therefore anchored to a file of the repository being
gated (`crmsec.yaml` unless `--sarif-anchor` says otherwise) as a relative URI under `%SRCROOT%`, and the CRM
resource travels in `logicalLocations`. `partialFingerprints["crmsecFingerprint/v1"]` is the finding
fingerprint (sha256 of check id and resource), stable across runs; the key GitHub computes itself
(`primaryLocationLineHash`) is left to GitHub.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from crmsec.errors import InputError
from crmsec.render import view
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import FAILING_STATUSES, JsonValue, Severity, Status

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/crmsec/crmsec"
DEFAULT_ANCHOR = "crmsec.yaml"
FINGERPRINT_KEY = "crmsecFingerprint/v1"

SECURITY_SEVERITY: Mapping[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}
LEVEL: Mapping[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}


def anchor_uri(path: str) -> str:
    """The relative URI of the anchor file; InputError for an absolute path, a URL or `..` segments."""
    text = path.replace("\\", "/")
    pure = PurePosixPath(text)
    if not text or "://" in text or pure.is_absolute() or ".." in pure.parts or (len(text) > 1 and text[1] == ":"):
        raise InputError(
            f"--sarif-anchor {path!r}: expected a path relative to the repository root",
            hint="name a file of the gated repository, e.g. crmsec.yaml",
        )
    return quote(str(pure), safe="/")


def _rule(metadata: Mapping[str, JsonValue]) -> dict[str, Any]:
    severity = Severity(str(metadata["severity"]))
    rationale = str(metadata.get("rationale", ""))
    remediation = str(metadata.get("remediation", ""))
    frameworks = metadata.get("frameworks")
    tags = ["security", "crm", str(metadata.get("dimension", ""))]
    if isinstance(frameworks, Mapping):
        tags += [f"{name}/{control}" for name, controls in sorted(frameworks.items()) for control in controls]
    rule: dict[str, Any] = {
        "id": str(metadata["id"]),
        "name": str(metadata.get("slug") or metadata["id"]),
        "shortDescription": {"text": str(metadata.get("title", metadata["id"]))},
        "fullDescription": {"text": rationale or str(metadata.get("title", ""))},
        "help": {"text": f"{rationale}\n\nRemediation: {remediation}".strip()},
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"security-severity": SECURITY_SEVERITY[severity], "precision": "high", "tags": tags},
    }
    links = [str(ref) for ref in metadata.get("references") or () if str(ref).startswith("https://")]
    if links:
        rule["helpUri"] = links[0]
    return rule


def _rule_for_finding(finding: FindingRecord) -> dict[str, Any]:
    """A rule for a finding whose check has no metadata in the report (a pack that failed to load)."""
    return _rule(
        {
            "id": finding.check_id,
            "slug": finding.slug or finding.check_id,
            "title": finding.title,
            "dimension": "" if finding.dimension is None else str(finding.dimension),
            "severity": str(finding.severity),
            "rationale": finding.title,
            "remediation": "See the error message and the report's errors section.",
        }
    )


def _level(finding: FindingRecord) -> str:
    level = LEVEL[finding.severity]
    if finding.status is Status.WARN and level == "error":
        return "warning"
    return level


def _message(finding: FindingRecord) -> str:
    text = f"{finding.title}: {finding.message} (resource: {finding.resource})"
    if finding.status is Status.ERROR:
        text += f" [check could not decide: {finding.reason or 'error'}]"
    elif finding.status is Status.WARN:
        text += " [warning]"
    return text


def _result(finding: FindingRecord, rule_index: int, *, platform: str, anchor: str) -> dict[str, Any]:
    status = finding.original_status if finding.status is Status.WAIVED and finding.original_status else finding.status
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": _level(finding),
        "message": {"text": _message(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": anchor, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 1},
                },
                "logicalLocations": [
                    {
                        "name": finding.resource,
                        "fullyQualifiedName": f"{platform}:{finding.resource}",
                        "kind": "resource",
                    }
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "status": str(status),
            "severity": str(finding.severity),
            "dimension": None if finding.dimension is None else str(finding.dimension),
            "reason": None if finding.reason is None else str(finding.reason),
            "evidence": [{"key": ref.key, "sha256": ref.sha256} for ref in finding.evidence],
        },
    }
    if finding.new is not None:
        result["baselineState"] = "new" if finding.new else "unchanged"
    if finding.status is Status.WAIVED:
        result["suppressions"] = [_suppression(finding.waiver or {})]
    return result


def _suppression(waiver: Mapping[str, JsonValue]) -> dict[str, Any]:
    justification = (
        f"{waiver.get('justification', '')} (owner: {waiver.get('owner', '')}, expires: {waiver.get('expires', '')})"
    )
    return {"kind": "external", "status": "accepted", "justification": justification}


def _is_reported(finding: FindingRecord) -> bool:
    if finding.status is Status.WAIVED:
        return finding.original_status in FAILING_STATUSES
    return finding.status in FAILING_STATUSES


def sarif_log(report: Report, *, anchor: str = DEFAULT_ANCHOR) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict (one run)."""
    rules = [_rule(metadata) for metadata in sorted(report.checks, key=lambda m: str(m["id"]))]
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    for finding in report.findings:
        if finding.check_id not in index and _is_reported(finding):
            index[finding.check_id] = len(rules)
            rules.append(_rule_for_finding(finding))
    platform = str(report.target.get("platform", "crm"))
    anchor = anchor_uri(anchor)
    results = [
        _result(finding, index[finding.check_id], platform=platform, anchor=anchor)
        for finding in sorted(report.findings, key=lambda f: (f.check_id, f.resource))
        if _is_reported(finding)
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crmsec",
                        "version": report.tool_version,
                        "semanticVersion": report.tool_version,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "automationDetails": {"id": f"crmsec/{platform}/{report.profile.get('name', '')}/"},
                "invocations": [_invocation(report)],
                "results": results,
                "properties": _run_properties(report),
            }
        ],
    }


def _invocation(report: Report) -> dict[str, Any]:
    return {
        "executionSuccessful": True,
        "endTimeUtc": report.generated_at,
        "toolExecutionNotifications": [{"level": "error", "message": {"text": error}} for error in report.errors],
    }


def _run_properties(report: Report) -> dict[str, Any]:
    return {
        "target": dict(report.target),
        "profile": report.profile.get("name"),
        "score": report.scores.overall,
        "grade": report.scores.grade,
        "gate": {"passed": report.gate.get("passed"), "reasons": report.gate.get("reasons")},
        "coverage": dict(report.coverage),
        "evidenceSha256": report.evidence.get("sha256"),
        "identities": report.evidence.get("identities"),
        "failingBySeverity": dict(view.severity_counts(report.findings)),
    }


def render(report: Report, *, anchor: str = DEFAULT_ANCHOR) -> bytes:
    """The bytes of report.sarif (UTF-8 JSON, stable key order)."""
    return (json.dumps(sarif_log(report, anchor=anchor), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
