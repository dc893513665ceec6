"""report.html in real headless Chromium: renders, runs its script under the CSP, logs no console error.

Uses Debian's `chromium` at /usr/bin/chromium (`.ci/run` installs it); skipped with a reason when absent.
The screenshot is saved in the test's tmp dir for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from crmsec.render import render
from crmsec.render.to_pdf import chromium_command
from crmsec.report.model import Report

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.is_file(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]
# Console messages Chromium logs with --enable-logging=stderr: script errors and CSP violations.
PROBLEMS = ("Uncaught", "Content Security Policy", "Refused to", "violates", "ERR_")


def _chromium(tmp_path: Path, page: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = chromium_command(
        CHROMIUM, tmp_path / "profile", "--enable-logging=stderr", "--v=0", *arguments, page.as_uri()
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def _console_problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line and any(p in line for p in PROBLEMS)]


@pytest.fixture
def page(tmp_path: Path, rich_report: Report, previous_report: Report) -> Path:
    path = tmp_path / "report.html"
    path.write_bytes(render(rich_report, "html", previous=previous_report))
    return path


def test_page_runs_its_script_without_console_errors(tmp_path: Path, page: Path, rich_report: Report) -> None:
    done = _chromium(tmp_path, page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_problems(done.stderr) == []
    dom = done.stdout
    assert 'id="findings" aria-labelledby="findings-title" data-enhanced="true"' in dom
    checks = len({finding.check_id for finding in rich_report.findings})
    assert f"{checks} of {checks} checks shown" in dom
    assert '<form id="finding-filters" class="filters" role="search" aria-label="Filter findings">' in dom
    assert dom.count('aria-label="Sort by') == 5 * dom.count('<table class="sortable findings">')
    # the evaluation charts and the recommendation links survive the script (sorting moves rows, never ids)
    assert dom.count('<svg class="measures" role="img"') == 7
    targets = re.findall(r'<a href="#(check-[^"]+)">', dom)
    assert targets and all(f'<tr class="check-row" id="{target}" ' in dom for target in targets)


def test_a_csp_violation_would_be_caught(tmp_path: Path, page: Path) -> None:
    # the detector above must be able to fail: tamper with the script so its hash no longer matches
    tampered = tmp_path / "tampered.html"
    tampered.write_text(page.read_text(encoding="utf-8").replace('"use strict";', '"use strict"; '), encoding="utf-8")
    done = _chromium(tmp_path, tampered, "--dump-dom")
    assert _console_problems(done.stderr)
    assert 'data-enhanced="true"' not in done.stdout


def test_screenshot(tmp_path: Path, page: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _console_problems(done.stderr) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_pdf(tmp_path: Path, rich_report: Report) -> None:
    data = render(rich_report, "pdf")
    assert data.startswith(b"%PDF-") and len(data) > 20_000
