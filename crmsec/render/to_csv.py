"""report.csv: one row per finding, for spreadsheets.

Written as UTF-8 *with* a byte-order mark: Excel reads a BOM-less CSV in the machine's legacy code page and
turns Chinese text into mojibake, while LibreOffice, Google Sheets, pandas (`encoding="utf-8-sig"`) and
Python's csv module all accept the BOM. Rows end in CRLF, as RFC 4180 says.

Formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with
`'`, so a spreadsheet shows it as text instead of evaluating it. Every cell goes through that rule, including
ids and resources, since all of them can come from the CRM. Before it, every character
`presentation.printable` neutralises (C0 and C1 controls, bidirectional overrides, line separators) is shown
as U+FFFD, except tab, CR and LF, which a quoted CSV cell carries.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from crmsec.render import view
from crmsec.render.presentation import number_text, printable
from crmsec.report.model import FindingRecord, Report

COLUMNS: tuple[str, ...] = (
    "check_id",
    "slug",
    "title",
    "dimension",
    "severity",
    "status",
    "original_status",
    "resource",
    "message",
    "reason",
    "points_lost",
    "remediation",
    "frameworks",
    "evidence",
    "waiver_owner",
    "waiver_expires",
    "waiver_justification",
    "fingerprint",
    "new",
)
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CELL_WHITESPACE = "\t\n\r"


def defuse(cell: str) -> str:
    """The cell with control and bidi characters shown as U+FFFD (`printable`; tab and line breaks stay), and a
    leading `'` when a spreadsheet would read it as a formula."""
    cell = printable(cell, keep=_CELL_WHITESPACE)
    return "'" + cell if cell.startswith(_FORMULA_TRIGGERS) else cell


def _frameworks(report: Report, check_id: str) -> str:
    metadata = report.check(check_id) or {}
    mapping = metadata.get("frameworks")
    if not isinstance(mapping, dict):
        return ""
    return "; ".join(
        f"{view.FRAMEWORK_LABELS.get(name, name)} {control}"
        for name, controls in sorted(mapping.items())
        for control in controls
    )


def _row(report: Report, finding: FindingRecord, points: float | None) -> Sequence[str]:
    waiver = finding.waiver or {}
    metadata = report.check(finding.check_id) or {}
    values = (
        finding.check_id,
        finding.slug,
        finding.title,
        "" if finding.dimension is None else str(finding.dimension),
        str(finding.severity),
        str(finding.status),
        "" if finding.original_status is None else str(finding.original_status),
        finding.resource,
        finding.message,
        "" if finding.reason is None else str(finding.reason),
        "" if points is None else number_text(points),
        str(metadata.get("remediation", "")),
        _frameworks(report, finding.check_id),
        "; ".join(f"{ref.key} sha256:{ref.sha256}" for ref in finding.evidence),
        str(waiver.get("owner", "")),
        str(waiver.get("expires", "")),
        str(waiver.get("justification", "")),
        finding.fingerprint,
        "" if finding.new is None else ("yes" if finding.new else "no"),
    )
    return [defuse(value) for value in values]


def render(report: Report) -> bytes:
    """The bytes of report.csv: UTF-8 with BOM, CRLF rows, one row per finding in reading order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    points = view.points_by_finding(report)
    for finding in view.sorted_findings(report.findings):
        writer.writerow(_row(report, finding, points.get((finding.check_id, finding.resource))))
    return buffer.getvalue().encode("utf-8-sig")
