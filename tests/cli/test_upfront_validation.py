"""--profile, --format and --checks-dir are checked before anything is collected: exit 2, no network call."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.cli.commands import scan

BAD_CHECK = """
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check


@check(id="CRM-AUTH-004", title="Clash", dimension=Dimension.AUTHENTICATION, severity=Severity.LOW,
       requires=("auth.session_settings",), rationale="r" * 10, remediation="m" * 10,
       frameworks={"soc2": ("CC6.1",)})
def clash(evidence: Evidence) -> list[Finding]:
    return [Finding(Status.PASS, "organization", "")]
"""


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), capsys.readouterr().err


@pytest.fixture
def never_collect(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (instead of making) any collection."""
    calls: list[str] = []

    def collect(target: object, **_: object) -> object:
        calls.append(str(getattr(target, "url", target)))
        raise AssertionError("collected")

    monkeypatch.setattr(scan, "collect_snapshot", collect)
    monkeypatch.setenv("CRMSEC_TOKEN", "canary-token")
    return calls


def _scan(tmp_path: Path, *extra: str | Path) -> list[str | Path]:
    return ["scan", "--platform", "salesforce", "--url", "https://crm.example.test", "--out", tmp_path / "o", *extra]


def _bad_checks(tmp_path: Path) -> Path:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "clash.py").write_text(BAD_CHECK, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--format", "html,docx"), "unknown report format 'docx'"),
        (("--format", "all,docx"), "unknown report format 'all'"),
        (("--profile", "no-such-profile"), "'no-such-profile' is neither a built-in profile"),
        (("--checks-dir", None), "CRM- prefix is reserved"),
    ],
)
def test_bad_flags_stop_before_collecting(
    extra: tuple[str, str | None],
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    never_collect: list[str],
) -> None:
    flag, value = extra
    code, err = _run(capsys, *_scan(tmp_path, flag, value if value is not None else _bad_checks(tmp_path)))
    assert code == 2, err
    assert message in err
    assert never_collect == []
    assert not (tmp_path / "o").exists()


def test_format_all_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str], never_collect: list[str]) -> None:
    code, err = _run(capsys, *_scan(tmp_path, "--format", "all"))
    assert code == 3 and "AssertionError: collected" in err  # got as far as collecting
    assert never_collect == ["https://crm.example.test"]


def test_pdf_without_chromium_stops_before_collecting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], never_collect: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMSEC_CHROMIUM", str(tmp_path / "no-chromium"))
    code, err = _run(capsys, *_scan(tmp_path, "--format", "html,pdf"))
    assert code == 2
    assert "no Chromium" in err and "drop pdf from --format" in err
    assert never_collect == []


def test_an_unreachable_target_with_a_bad_format_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No stub: were the format checked after collecting, this would be exit 3 (unreachable), not 2."""
    monkeypatch.setenv("CRMSEC_TOKEN", "canary-token")
    argv = ["scan", "--platform", "salesforce", "--url", "https://unreachable.invalid", "--format", "docx"]
    code, err = _run(capsys, *argv, "--out", tmp_path / "o")
    assert code == 2
    assert "unknown report format 'docx'" in err


def test_evaluate_checks_the_profile_before_reading_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(capsys, "evaluate", tmp_path / "missing.json", "--profile", "nope", "--out", tmp_path / "o")
    assert code == 2
    assert "'nope' is neither a built-in profile" in err


def test_demo_checks_its_flags_before_starting_the_lab(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmsec.cli.commands import demo

    def no_lab(*_: object, **__: object) -> object:
        raise AssertionError("the lab started")

    monkeypatch.setattr(demo, "start_lab", no_lab)
    code, err = _run(capsys, "demo", "--out", tmp_path / "d", "--format", "md,docx")
    assert code == 2 and "unknown report format 'docx'" in err
    code, err = _run(capsys, "demo", "--out", tmp_path / "d", "--profile", "stict")
    assert code == 2 and "did you mean strict?" in err


def test_a_fleet_scan_checks_its_flags_before_any_org(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmsec.cli.commands import scan as scan_command

    def no_fleet(*_: object, **__: object) -> int:
        raise AssertionError("the fleet ran")

    monkeypatch.setattr(scan_command, "run_fleet_scan", no_fleet)
    targets = tmp_path / "targets.yaml"
    targets.write_text("targets: []\n", encoding="utf-8")
    code, err = _run(capsys, "scan", "--targets", targets, "--out", tmp_path / "o", "--format", "md,docx")
    assert code == 2 and "unknown report format 'docx'" in err
