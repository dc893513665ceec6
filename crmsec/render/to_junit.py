"""report.junit.xml: JUnit XML that CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI...) display as tests.

One test suite per dimension (check packs that failed to load get their own suite) and one test case per
check and resource. FAIL and WARN are failures (the failure `type` says which), ERROR is an error,
NOT_APPLICABLE and MANUAL are skipped, WAIVED is skipped with the waiver's owner, expiry and justification.
Characters XML 1.0 forbids are removed from every string; ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from crmsec.render import view
from crmsec.render.presentation import number_text, waiver_text
from crmsec.report.model import FindingRecord, Report
from crmsec.vocabulary import Status

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """The text with characters that XML 1.0 cannot carry removed."""
    return _ILLEGAL_XML.sub("", str(text))


def _outcome(case: ElementTree.Element, finding: FindingRecord) -> None:
    message = clean(f"{finding.title}: {finding.message}")
    if finding.status in (Status.FAIL, Status.WARN):
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


def _counts(findings: Sequence[FindingRecord]) -> dict[str, str]:
    failures = sum(1 for f in findings if f.status in (Status.FAIL, Status.WARN))
    errors = sum(1 for f in findings if f.status is Status.ERROR)
    skipped = sum(1 for f in findings if f.status in (Status.WAIVED, Status.NOT_APPLICABLE, Status.MANUAL))
    return {
        "tests": str(len(findings)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": str(skipped),
        "time": "0",
    }


def _suite(report: Report, group: str, findings: Sequence[FindingRecord]) -> ElementTree.Element:
    suite = ElementTree.Element(
        "testsuite", {"name": f"crmsec.{group}", **_counts(findings), "timestamp": report.generated_at.rstrip("Z")}
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
        _outcome(case, finding)
    return suite


def render(report: Report) -> bytes:
    """The bytes of report.junit.xml (UTF-8, with an XML declaration)."""
    grouped: dict[str, list[FindingRecord]] = {}
    for finding in sorted(report.findings, key=lambda f: (f.check_id, f.resource)):
        grouped.setdefault(view.group_of(finding), []).append(finding)
    order = [*view.DIMENSION_LABELS, view.PLUGINS_GROUP]
    root = ElementTree.Element("testsuites", {"name": "crmsec", **_counts(report.findings)})
    for group in order:
        if group in grouped:
            root.append(_suite(report, group, grouped[group]))
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode").encode() + b"\n"
