"""survey.csv: one row per respondent (SUS items, CSAT, NPS, optional comment), validated row by row.

A row with an out-of-range or unparsable answer is skipped and listed under `rejected` with its line
number and the reason; the file as a whole is refused only when it cannot be read as CSV or no row is
usable. Comments pass through PII masking before they enter evidence.
"""

from __future__ import annotations

import logging
from pathlib import Path

from crmsec.errors import InputError
from crmsec.evaluation.tables import Table, read_table
from crmsec.pii.detector import find_spans
from crmsec.redaction import mask
from crmsec.vocabulary import JsonValue

logger = logging.getLogger(__name__)

SUS_COLUMNS = tuple(f"sus_{number}" for number in range(1, 11))
MAX_COMMENT = 500
MAX_REJECTED_LISTED = 50


class RowError(ValueError):
    """One survey row is unusable; the message names the column."""


def load_survey(path: Path) -> dict[str, JsonValue] | None:
    """The evidence value of `inputs.survey`, or None when the file has no data rows (an untouched template)."""
    table = read_table(path, required=("respondent_id",))
    if not table.rows:
        return None
    respondents: list[dict[str, JsonValue]] = []
    rejected: list[dict[str, JsonValue]] = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        try:
            respondent = _respondent(row, table)
            if respondent["id"] in seen:
                raise RowError(f"respondent_id {respondent['id']} repeats line {seen[respondent['id']]}")
            seen[str(respondent["id"])] = number
            respondents.append(respondent)
        except RowError as error:
            rejected.append({"line": number, "reason": str(error)})
    if not respondents:
        raise InputError(f"{path.name}: no usable row ({_first(rejected)})")
    if rejected:
        lines = ", ".join(str(item["line"]) for item in rejected[:10])
        logger.warning("%s: skipped %d unusable row(s) (lines %s%s)", path.name, len(rejected), lines,
                       ", ..." if len(rejected) > 10 else "")  # fmt: skip
    return {
        "file": path.name,
        "rows": len(table.rows),
        "respondents": respondents,
        "rejected_count": len(rejected),
        "rejected": rejected[:MAX_REJECTED_LISTED],
    }


def _first(rejected: list[dict[str, JsonValue]]) -> str:
    if not rejected:
        return "empty"
    return f"line {rejected[0]['line']}: {rejected[0]['reason']}"


def _respondent(row: dict[str, str], table: Table) -> dict[str, JsonValue]:
    identifier = row.get("respondent_id", "")
    if not identifier:
        raise RowError("respondent_id is empty")
    return {
        "id": identifier,
        "role": row.get("role") or None,
        "department": row.get("department") or None,
        "channel": row.get("channel") or "survey",
        "sus": _sus(row) if any(column in table.header for column in SUS_COLUMNS) else None,
        "csat": _answer(row, "csat", 1, 5),
        "nps": _answer(row, "nps", 0, 10),
        "comment": masked_comment(row.get("comment", "")),
    }


def _sus(row: dict[str, str]) -> list[int] | None:
    answers = [_answer(row, column, 1, 5) for column in SUS_COLUMNS]
    given = [answer for answer in answers if answer is not None]
    if not given:
        return None
    if len(given) != len(SUS_COLUMNS):
        blank = next(column for column, answer in zip(SUS_COLUMNS, answers, strict=True) if answer is None)
        raise RowError(f"{blank} is empty while other SUS items are answered")
    return given


def _answer(row: dict[str, str], column: str, low: int, high: int) -> int | None:
    text = row.get(column, "")
    if not text:
        return None
    try:
        value = int(text)
    except ValueError as error:
        raise RowError(f"{column}: {text[:20]!r} is not a whole number") from error
    if not low <= value <= high:
        raise RowError(f"{column}: {value} is outside {low}-{high}")
    return value


def masked_comment(text: str) -> str | None:
    """A free-text comment with every detected PII value masked, cut to MAX_COMMENT characters."""
    text = " ".join(text.split())[:MAX_COMMENT]
    if not text:
        return None
    boundary = len(text)
    for span in sorted(find_spans(text), key=lambda span: span.start, reverse=True):
        if span.end <= boundary:  # overlapping detections: the later one was masked already
            text = text[: span.start] + mask(text[span.start : span.end], str(span.category)) + text[span.end :]
            boundary = span.start
    return text
