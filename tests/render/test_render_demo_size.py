"""The demo report stays a size a person can read: its HTML page height at 1280 px and its PDF page count,
and its gate says what every other surface says, measured in real headless Chromium (Debian's chromium at
/usr/bin/chromium, as `.ci/run` installs it).

Before the findings were grouped by check, the demo's 950 findings made a page about 142,000 px tall and a
1,504-page PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, Page

from crmsec.cli import main
from crmsec.render import to_pdf
from crmsec.report.model import Report, load_report
from crmsec.report.verdict import gate_wording_of

pytestmark = [
    pytest.mark.slow,
    pytest.mark.integration,
    pytest.mark.skipif(
        not CHROMIUM.is_file(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]
MAX_HEIGHT_PX = 25_000
MAX_PDF_PAGES = 40


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "bundle"
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--out", str(out), "--format", "html", "-q"])
    assert exited.value.code in (0, None)
    return out


@pytest.fixture(scope="module")
def report(demo: Path) -> Report:
    return load_report(demo / "report.json")


def test_the_demo_has_hundreds_of_findings(report: Report) -> None:
    # the bound below means something only while the demo stays as large as the one the issue measured
    assert len(report.findings) > 800
    assert sum(1 for finding in report.findings if finding.status == "PASS") > 500


def test_html_page_height_is_bounded(demo: Path, report: Report) -> None:
    with Page(width=1280) as page:
        page.open(demo / "report.html")
        height = page.height()
        rows = page.evaluate("document.querySelectorAll('tr.check-row').length")
        shown = page.evaluate("document.getElementById('finding-count').textContent")
        gate = page.evaluate("document.querySelector('#summary p.big').textContent")
    checks = len({finding.check_id for finding in report.findings})
    assert rows == checks
    assert shown == f"{checks} of {checks} checks shown"
    assert 5_000 < height < MAX_HEIGHT_PX, height
    # the gate reads as everywhere else (the demo sets none: never a green "Passed")
    assert gate == gate_wording_of(report.gate) == "No gate set"


def test_pdf_page_count_is_bounded(report: Report) -> None:
    pdf = to_pdf.render(report)
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))
    assert 5 < pages < MAX_PDF_PAGES, pages
