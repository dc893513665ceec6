"""report.junit.xml: JUnit XML that CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI...) display as tests.

One test suite per dimension (check packs that failed to load get their own suite) and one test case per
check and resource, then a `crmsec.gate` suite with one test case for the gate itself. NOT_APPLICABLE and
MANUAL are skipped, WAIVED is skipped with the waiver's owner, expiry and justification. Which of FAIL,
WARN and ERROR turn a test red is the `fail_on` mode (`--junit-fail-on`, docs/reports.md):

* `gate` (default): only the findings that failed the gate (`gate.failing`: FAIL or ERROR at or above
  `--fail-on`) are failures or errors, and the gate test case fails when the gate failed, with its reasons.
  A report whose gate passed has no red test, as the exit code says. A report written before `gate.failing`
  existed is read as `fail`.
* `fail`: every FAIL is a failure and every ERROR an error; WARN passes.
* `warn`: FAIL and WARN are failures, ERROR is an error (the mapping before `--junit-fail-on`).

A FAIL, WARN or ERROR that does not turn red passes with its status and message in `system-out`.
Characters XML 1.0 forbids are removed from every string; ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence

from crmsec.errors import InputError
from crmsec.render import view
from crmsec.render.presentation import number_text, waiver_text
from crmsec.report.model import FindingRecord, Report
from crmsec.report.verdict import gate_state, gate_wording_of
from crmsec.vocabulary import FAILING_STATUSES, Status

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FAIL_ON_MODES: tuple[str, ...] = ("gate", "fail", "warn")
"""What turns a JUnit test red: the gate's own failures (default), every FAIL, or every FAIL and WARN."""
DEFAULT_FAIL_ON = "gate"
GATE_GROUP = "gate"


def clean(text: object) -> str:
    """The text with characters that XML 1.0 cannot carry removed."""
    return _ILLEGAL_XML.sub("", str(text))


def red_statuses(report: Report, fail_on: str) -> Callable[[FindingRecord], bool]:
    """Which findings turn a test red under a mode; InputError for an unknown mode."""
    if fail_on not in FAIL_ON_MODES:
        raise InputError(f"unknown --junit-fail-on {fail_on!r}", hint="use one of " + ", ".join(FAIL_ON_MODES))
    failing = report.gate.get("failing")
    if fail_on == "gate" and isinstance(failing, list):
        culprits = frozenset(str(fingerprint) for fingerprint in failing)
        return lambda finding: finding.fingerprint in culprits
    red = {Status.FAIL, Status.ERROR} | ({Status.WARN} if fail_on == "warn" else set())
    return lambda finding: finding.status in red


def _outcome(case: ElementTree.Element, finding: FindingRecord, *, red: bool) -> None:
    message = clean(f"{finding.title}: {finding.message}")
    if finding.status in FAILING_STATUSES and not red:
        output = ElementTree.SubElement(case, "system-out")
        output.text = clean(f"{finding.status} (does not fail this run)\n{_body(finding)}")
    elif finding.status in (Status.FAIL, Status.WARN):
        element = ElementTree.SubElement(
            case, "failure", {"message": message, "type": clean(f"{finding.status} {finding.severity}")}
        )
        element.text = clean(_body(finding))
    elif finding.status is Status.ERROR:
        element = ElementTree.SubElement(
            case, "error", {"message": message, "type": clean(f"ERROR {finding.reason or 'error'}")}
        )
        element.text = clean(_body(finding))
    elif finding.status is Status.WAIVED:
        text = f"WAIVED (was {finding.original_status}): {waiver_text(finding.waiver)}"
        ElementTree.SubElement(case, "skipped", {"message": clean(text)})
    elif finding.status in (Status.NOT_APPLICABLE, Status.MANUAL):
        ElementTree.SubElement(case, "skipped", {"message": clean(f"{finding.status}: {finding.message}")})


def _body(finding: FindingRecord) -> str:
    lines = [
        f"check: {finding.check_id} {finding.slug}".rstrip(),
        f"resource: {finding.resource}",
        f"severity: {finding.severity}",
        f"status: {finding.status}",
        f"message: {finding.message}",
    ]
    if finding.reason is not None:
        lines.append(f"reason: {finding.reason}")
    lines += [f"evidence: {ref.key} sha256:{ref.sha256}" for ref in finding.evidence]
    lines.append(f"fingerprint: {finding.fingerprint}")
    return "\n".join(lines)


def _counts(findings: Sequence[FindingRecord], is_red: Callable[[FindingRecord], bool]) -> dict[str, str]:
    failures = sum(1 for f in findings if f.status in (Status.FAIL, Status.WARN) and is_red(f))
    errors = sum(1 for f in findings if f.status is Status.ERROR and is_red(f))
    skipped = sum(1 for f in findings if f.status in (Status.WAIVED, Status.NOT_APPLICABLE, Status.MANUAL))
    return {
        "tests": str(len(findings)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": str(skipped),
        "time": "0",
    }


def _suite(
    report: Report, group: str, findings: Sequence[FindingRecord], is_red: Callable[[FindingRecord], bool]
) -> ElementTree.Element:
    counts = _counts(findings, is_red)
    suite = ElementTree.Element(
        "testsuite", {"name": f"crmsec.{group}", **counts, "timestamp": report.generated_at.rstrip("Z")}
    )
    scores = {str(d.dimension): d.score for d in report.scores.dimensions}
    properties = ElementTree.SubElement(suite, "properties")
    ElementTree.SubElement(properties, "property", {"name": "dimension", "value": view.dimension_label(group)})
    if group in scores:
        ElementTree.SubElement(properties, "property", {"name": "score", "value": number_text(scores[group])})
    for finding in findings:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            {
                "classname": clean(f"crmsec.{group}.{finding.check_id}"),
                "name": clean(f"{finding.check_id} {finding.slug or finding.title} [{finding.resource}]"),
                "time": "0",
            },
        )
        _outcome(case, finding, red=is_red(finding))
    return suite


def _gate_suite(report: Report) -> ElementTree.Element:
    """One test case for the gate: failed with its reasons, passed, or skipped when no gate was set."""
    state = gate_state(report.gate)
    counts = {"tests": "1", "failures": str(int(state == "failed")), "errors": "0"}
    counts |= {"skipped": str(int(state == "unset")), "time": "0"}
    stamp = report.generated_at.rstrip("Z")
    suite = ElementTree.Element("testsuite", {"name": f"crmsec.{GATE_GROUP}", **counts, "timestamp": stamp})
    case = ElementTree.SubElement(suite, "testcase", {"classname": "crmsec.gate", "name": "gate", "time": "0"})
    wording = clean(gate_wording_of(report.gate))
    if state == "failed":
        element = ElementTree.SubElement(case, "failure", {"message": wording, "type": "GATE"})
        element.text = clean("\n".join(str(reason) for reason in _reasons(report)))
    elif state == "unset":
        ElementTree.SubElement(case, "skipped", {"message": wording})
    else:
        ElementTree.SubElement(case, "system-out").text = wording
    return suite


def _reasons(report: Report) -> list[object]:
    reasons = report.gate.get("reasons")
    return list(reasons) if isinstance(reasons, list) else []


def render(report: Report, *, fail_on: str = DEFAULT_FAIL_ON) -> bytes:
    """The bytes of report.junit.xml (UTF-8, with an XML declaration); `fail_on` is one of `FAIL_ON_MODES`."""
    is_red = red_statuses(report, fail_on)
    grouped: dict[str, list[FindingRecord]] = {}
    for finding in sorted(report.findings, key=lambda f: (f.check_id, f.resource)):
        grouped.setdefault(view.group_of(finding), []).append(finding)
    order = [*view.DIMENSION_LABELS, view.PLUGINS_GROUP]
    gate = _gate_suite(report)
    totals = _counts(report.findings, is_red)
    for key in ("tests", "failures", "errors", "skipped"):
        totals[key] = str(int(totals[key]) + int(gate.get(key, "0")))
    root = ElementTree.Element("testsuites", {"name": "crmsec", **totals})
    for group in order:
        if group in grouped:
            root.append(_suite(report, group, grouped[group], is_red))
    root.append(gate)
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode").encode() + b"\n"
