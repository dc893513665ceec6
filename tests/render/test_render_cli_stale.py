"""`crmsec report --out DIR` removes the formats an earlier run wrote and this one did not, as `scan` does.

A stale report.html next to a fresh report.md would show an older verdict (with the old file's permissions).
Only crmsec's own rendered file names are touched; the envelope, report.json and other files stay.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.render import FORMATS
from crmsec.signing import ENVELOPE_NAME

FIXTURES = Path(__file__).parent / "fixtures"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(argument) for argument in argv])
    return int(exited.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("separate_out", [True, False], ids=["out-folder", "report-folder"])
def test_a_rerender_removes_formats_the_earlier_run_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separate_out: bool
) -> None:
    report_file = tmp_path / "report.json"
    shutil.copy(FIXTURES / "rich.json", report_file)
    out = tmp_path / "rendered" if separate_out else tmp_path
    code, err = _run(capsys, "report", report_file, "--format", "html,md,csv,sarif", "--out", out)
    assert code == 0, err
    envelope, notes = out / ENVELOPE_NAME, out / "notes.txt"
    envelope.write_text("{}", encoding="utf-8")
    notes.write_text("mine", encoding="utf-8")
    code, err = _run(capsys, "report", report_file, "--format", "md", "--out", out)
    assert code == 0, err
    rendered = {entry.filename for entry in FORMATS.values()}
    assert {path.name for path in out.iterdir() if path.name in rendered} == {"report.md"}
    assert envelope.read_text(encoding="utf-8") == "{}" and notes.read_text(encoding="utf-8") == "mine"
    assert report_file.exists()


def test_a_stale_symlink_is_removed_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report_file = tmp_path / "report.json"
    shutil.copy(FIXTURES / "rich.json", report_file)
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_text("keep me", encoding="utf-8")
    out = tmp_path / "rendered"
    out.mkdir()
    (out / "report.html").symlink_to(elsewhere)
    code, err = _run(capsys, "report", report_file, "--format", "md", "--out", out)
    assert code == 0, err
    assert not (out / "report.html").is_symlink() and not (out / "report.html").exists()
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
