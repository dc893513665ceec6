"""`crmsec report REPORT.json`: re-render a saved report; bad input exits 2 with one line naming the problem."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.errors import InputError
from crmsec.render import DEFAULT_FORMATS, FORMATS, render, write_formats
from crmsec.report.model import Report

FIXTURES = Path(__file__).parent / "fixtures"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_rerenders_the_default_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], rich_report: Report) -> None:
    report_file = tmp_path / "report.json"
    shutil.copy(FIXTURES / "rich.json", report_file)
    code, out, _ = _run(capsys, "report", report_file)
    assert code == 0
    written = [Path(line) for line in out.splitlines()]
    assert [path.name for path in written] == [FORMATS[name].filename for name in DEFAULT_FORMATS]
    for name in DEFAULT_FORMATS:
        assert (tmp_path / FORMATS[name].filename).read_bytes() == render(rich_report, name)


def test_out_previous_and_anchor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys,
        "report",
        FIXTURES / "rich.json",
        "--format",
        "md,sarif",
        "--out",
        tmp_path / "o",
        "--previous",
        FIXTURES / "previous.json",
        "--sarif-anchor",
        "infra/crmsec.yaml",
    )
    assert code == 0 and len(out.splitlines()) == 2
    assert "Since 2026-02-01" in (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    sarif = json.loads((tmp_path / "o" / "report.sarif").read_text(encoding="utf-8"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "infra/crmsec.yaml"
    assert (tmp_path / "o" / "report.md").stat().st_mode & 0o077 == 0


def test_invalid_report_exits_2_naming_file_and_pointer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = json.loads((FIXTURES / "rich.json").read_text(encoding="utf-8"))
    document["findings"][2]["status"] = "BROKEN"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = _run(capsys, "report", bad, "--out", tmp_path / "o")
    assert code == 2 and out == ""
    first = err.splitlines()[0]
    assert str(bad) in first and "/findings/2/status" in first
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("content", ["{not json", "", "[]"])
def test_unreadable_report_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str) -> None:
    bad = tmp_path / "report.json"
    bad.write_text(content, encoding="utf-8")
    code, _, err = _run(capsys, "report", bad)
    assert code == 2 and str(bad) in err.splitlines()[0]


def test_missing_report_and_unknown_format_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "report", tmp_path / "nope.json")
    assert code == 2 and "nope.json" in err
    code, _, err = _run(capsys, "report", FIXTURES / "rich.json", "--format", "html,docx", "--out", tmp_path)
    assert code == 2 and "docx" in err
    assert not list(tmp_path.iterdir())


def test_pdf_without_chromium_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asked for, a PDF that cannot be printed fails the run (exit 2) before anything is written."""
    monkeypatch.setenv("CRMSEC_CHROMIUM", str(tmp_path / "no-chromium"))
    code, _, err = _run(capsys, "report", FIXTURES / "rich.json", "--format", "md,pdf", "--out", tmp_path / "o")
    assert code == 2
    assert "no Chromium" in err and "drop pdf from --format" in err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())


def test_write_formats_refuses_pdf_without_chromium_before_writing(
    tmp_path: Path, rich_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMSEC_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(InputError, match="no Chromium"):
        write_formats(rich_report, tmp_path, ["csv", "pdf"])
    assert not (tmp_path / "report.csv").exists()
