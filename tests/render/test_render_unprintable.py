"""HTML and CSV neutralise the same characters as the terminal and report.md (`presentation.printable`).

A user name from the CRM may carry ESC (terminal escapes), a C1 control (0x9b is CSI on 8-bit terminals) or
U+202E (right-to-left override, which makes `gnp.exe` read as `exe.png`). Both renderers used their own,
shorter list and let the C1 range and the bidirectional overrides through.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from crmsec.plugin import Status
from crmsec.render import render
from crmsec.report.model import Report

HOSTILE_NAME = "Eve\x1b]8;;https://evil.example/\x07Mallory\x9b2J\u202egnp.exe\u2066"
NEUTRALISED = "Eve\ufffd]8;;https://evil.example/\ufffdMallory\ufffd2J\ufffdgnp.exe\ufffd"
UNPRINTABLE = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


@pytest.fixture
def hostile(rich_report: Report) -> Report:
    finding = replace(
        rich_report.findings[0],
        resource=HOSTILE_NAME,
        message=f"User {HOSTILE_NAME} is an admin.\nSecond line\tstays.",
        status=Status.FAIL,
    )
    formula = replace(rich_report.findings[1], resource='=HYPERLINK("https://evil.example")\u202e', status=Status.FAIL)
    return replace(rich_report, findings=(finding, formula, *rich_report.findings[2:]))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_shows_esc_c1_and_bidi_controls_as_replacement_characters(hostile: Report) -> None:
    page = render(hostile, "html").decode("utf-8")
    for character in UNPRINTABLE:
        assert character not in page, repr(character)
    parser = _Text()
    parser.feed(page)
    assert any(NEUTRALISED in text for text in parser.text)


def test_csv_shows_them_as_replacement_characters_and_keeps_formula_protection(hostile: Report) -> None:
    data = render(hostile, "csv").decode("utf-8-sig")
    for character in UNPRINTABLE:
        assert character not in data, repr(character)
    rows = {row["resource"]: row for row in csv.DictReader(io.StringIO(data, newline=""))}
    assert rows[NEUTRALISED]["message"] == f"User {NEUTRALISED} is an admin.\nSecond line\tstays."
    assert '\'=HYPERLINK("https://evil.example")\ufffd' in rows
