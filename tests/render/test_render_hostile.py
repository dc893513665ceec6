"""Hostile CRM data through every string field: nothing may come out unescaped in any format."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from sarif_kit.validate import validation_errors

from crmsec.render import render
from crmsec.report.model import Report

FIXTURES = Path(__file__).parent / "fixtures"
PAYLOAD = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>{{ 7*191 }}{% raw %}|`*_[x](javascript:y)\x07"
# Values that must keep their shape (enums, hashes, timestamps): everything else becomes hostile.
KEEP = {
    "status", "original_status", "severity", "dimension", "reason", "fail_on", "sha256", "fingerprint",
    "generated_at", "collected_at", "schema_version", "name", "version", "expires",
}  # fmt: skip
HOSTILE_KEYS = {"details", "metrics", "survey_themes", "frameworks"}


def _poison(value: Any, key: str = "", rename: bool = False) -> Any:
    if isinstance(value, dict):
        return {(k + PAYLOAD if rename else k): _poison(v, k, k in HOSTILE_KEYS) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(item, key) for item in value]
    if isinstance(value, str) and key not in KEEP:
        return value + PAYLOAD
    return value


@pytest.fixture(scope="module")
def hostile() -> Report:
    document = json.loads((FIXTURES / "rich.json").read_text(encoding="utf-8"))
    poisoned = _poison(document)
    poisoned["tool"] = document["tool"]
    poisoned["scores"]["dimensions"] = {
        name: _poison(value) for name, value in document["scores"]["dimensions"].items()
    }
    metrics = _poison(document["metrics"])
    poisoned["metrics"] = {key + PAYLOAD: {**value, "dimension": value["dimension"]} for key, value in metrics.items()}
    poisoned["survey_themes"] = {key + PAYLOAD: value for key, value in document["survey_themes"].items()}
    report = Report.from_json(poisoned)
    assert PAYLOAD in report.findings[0].message and PAYLOAD in str(report.checks[0]["rationale"])
    return report


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_everything(hostile: Report) -> None:
    page = render(hostile, "html", previous=hostile).decode("utf-8")
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "1337" not in page  # the template never evaluates data
    parser = _Tags()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert names.count("script") == 1 and "img" not in names
    assert not [name for _, attrs in parser.tags for name, _ in attrs if name.startswith("on")]
    # the payload survives as text, escaped once: a reader sees what the CRM held (controls shown as U+FFFD)
    assert any(PAYLOAD.replace("\x07", "\ufffd") in text for text in parser.text)


def test_markdown_escapes_everything(hostile: Report) -> None:
    text = render(hostile, "md", previous=hostile).decode("utf-8")
    assert "<" not in text and ">" not in text.replace("→", "")
    assert "](" not in text.replace("\\](", "") and "javascript[:]" not in text.replace("javascript:", "")
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) in (6, 8), line  # 4 or 6 columns, however many pipes the data had
    assert "\\`" in text and "\\*" in text


def test_sarif_stays_valid(hostile: Report) -> None:
    log = json.loads(render(hostile, "sarif"))
    assert validation_errors(log) == []


def test_junit_stays_well_formed(hostile: Report) -> None:
    data = render(hostile, "junit", junit_fail_on="fail")  # every FAIL is a <failure>, whatever the gate
    root = ElementTree.fromstring(data)
    assert b"\x07" not in data
    assert root.find(".//failure") is not None
    assert PAYLOAD.replace("\x07", "") in root.find(".//failure").get("message", "")  # type: ignore[union-attr]


def test_csv_stays_one_row_per_finding(hostile: Report) -> None:
    rows = list(csv.reader(io.StringIO(render(hostile, "csv").decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(hostile.findings)
    assert {len(row) for row in rows} == {len(rows[0])}


def test_evaluation_fields_come_out_as_text(hostile: Report) -> None:
    # recommendation titles and remediations, survey theme names and examples, metric labels: all CRM or
    # input-file data, and all drawn (partly inside SVG) by the new evaluation parts of the page
    page = render(hostile, "html").decode("utf-8")
    parser = _Tags()
    parser.feed(page)
    text = "".join(parser.text)
    [first, *_] = hostile.extras["recommendations"]
    theme = next(iter(hostile.extras["survey_themes"]))
    label = next(metric["label"] for metric in hostile.metrics.values() if metric.get("label"))
    shown = PAYLOAD.replace("\x07", "\ufffd")  # control characters are shown as U+FFFD
    assert PAYLOAD in theme and f"{theme.replace(PAYLOAD, shown).replace('_', ' ')} (" in text  # spaces
    for value in (first["title"], first["remediation"], label):
        assert PAYLOAD in value and value.replace(PAYLOAD, shown) in text, value
    hrefs = [value for _, attrs in parser.tags for name, value in attrs if name == "href"]
    assert all(re.fullmatch(r"#[A-Za-z0-9_.:-]+|data:,", href or "") for href in hrefs), hrefs
    svg_texts = re.findall(r"<text[^>]*>(.*?)</text>", page, flags=re.S)
    assert any("&lt;script&gt;" in item for item in svg_texts)


def test_markdown_evaluation_parts_are_escaped(hostile: Report) -> None:
    text = render(hostile, "md").decode("utf-8")
    recommendations = text.split("#### Top recommendations", 1)[1].split("#### Evaluation", 1)
    assert "&lt;script&gt;" in recommendations[0] and "\\[x\\]" in recommendations[0]
    evaluation = recommendations[1].split("Waivers:", 1)[0]
    assert "&lt;script&gt;" in evaluation and "javascript[:]" not in evaluation.replace("javascript:", "")
    assert "<" not in recommendations[0] + evaluation


def test_control_characters_never_reach_html_or_csv(hostile: Report) -> None:
    for name in ("html", "csv"):
        text = render(hostile, name).decode("utf-8-sig")
        assert "\x07" not in text and "\x00" not in text, name
        assert "\ufffd" in text, name


def test_control_characters_never_reach_markdown(hostile: Report) -> None:
    # report.md is read in terminals too (`cat`, `git diff`): BEL and friends are shown as U+FFFD
    text = render(hostile, "md", previous=hostile).decode("utf-8")
    assert "\x07" not in text and "\ufffd" in text
