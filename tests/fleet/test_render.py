"""The fleet renderings: hostile org data is escaped in HTML and Markdown; the HTML runs no script."""

from __future__ import annotations

import ast
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from crmsec.errors import InputError
from crmsec.fleet.merge import FleetGate, OrgResult, build_fleet
from crmsec.fleet.render import parse_fleet_formats, render_fleet

HOSTILE = "<script>alert(1)</script> | `x` [link](https://evil.example) \x1b[2J"
ROOT = Path(__file__).parent.parent.parent


def _failed_fleet() -> dict[str, Any]:
    record: dict[str, Any] = {"name": "org-a", "status": "failed", "platform": "salesforce", "url": "https://a.example"}
    record |= {"profile": "baseline", "tags": ["x"], "shard": "0/1", "error": HOSTILE, "reason": "unreachable"}
    record |= {"requests": {"sent": 1, "refused": 0, "limit": None}, "report_sha256": None, "evidence_sha256": None}
    return build_fleet(
        [OrgResult(record=record, folder=Path("org-a"), report=None)], FleetGate(), generated_at="2026-01-01T00:00:00Z"
    )


def test_a_failed_org_fails_the_fleet_gate() -> None:
    fleet = _failed_fleet()
    assert fleet["gate"]["passed"] is False
    assert fleet["gate"]["failing_targets"] == ["org-a"]
    assert fleet["summary"]["failed"] == 1 and fleet["summary"]["mean_score"] is None


def test_html_escapes_org_data_and_allows_no_script() -> None:
    html = render_fleet(_failed_fleet(), "html").decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\x1b" not in html
    policy = unescape(html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0])
    assert policy.startswith("default-src 'none'; style-src 'sha256-") and "script-src" not in policy


def test_markdown_escapes_org_data() -> None:
    markdown = render_fleet(_failed_fleet(), "md").decode()
    assert "<script>" not in markdown and "https://" not in markdown and "\x1b" not in markdown


def test_formats() -> None:
    assert parse_fleet_formats(None) == ("json", "md", "html")
    assert parse_fleet_formats("html") == ("json", "html")
    with pytest.raises(InputError, match="--format 'pdf'"):
        parse_fleet_formats("pdf")


def test_the_fleet_package_does_not_import_the_cli() -> None:
    """crmsec.fleet is library code: the CLI calls it, never the other way round."""
    offenders = []
    for path in (ROOT / "crmsec" / "fleet").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            offenders += [f"{path.name}: {name}" for name in names if name.startswith(("crmsec.cli", "checks"))]
    assert offenders == []
