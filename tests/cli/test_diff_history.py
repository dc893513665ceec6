"""diff, history, --baseline and --history through the CLI, on two evaluations of changed evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import save_snapshot
from crmsec.report.model import load_report
from crmsec.testing import snapshot_from_values

SESSION = {
    "idle_timeout_minutes": 15,
    "lock_sessions_to_ip": True,
    "lock_sessions_to_domain": True,
    "https_required": True,
    "clickjack_protection": True,
    "http_only_cookies": True,
    "csrf_protection": True,
    "force_logout_on_timeout": True,
}


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def evaluate(capsys, tmp_path: Path, name: str, session: dict, *extra: str) -> tuple[int, Path]:
    evidence = tmp_path / f"{name}.json"
    save_snapshot(snapshot_from_values({"auth.session_settings": session}), evidence)
    out = tmp_path / name
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--out", str(out), "--format", "md", "-q", *extra)
    assert code in (0, 1), stderr
    return code, out


@pytest.fixture
def two_runs(capsys, tmp_path: Path) -> tuple[Path, Path]:
    _, old = evaluate(capsys, tmp_path, "old", {**SESSION, "csrf_protection": False})
    _, new = evaluate(capsys, tmp_path, "new", {**SESSION, "idle_timeout_minutes": 240})
    return old, new


def test_diff_lists_new_resolved_and_score_change(capsys, two_runs) -> None:
    old, new = two_runs
    code, stdout, _ = run(capsys, "diff", str(old / "report.json"), str(new / "report.json"), "--format", "json")
    assert code == 0
    result = json.loads(stdout)
    assert [f["check_id"] for f in result["new"]] == ["CRM-AUTH-004"]
    assert [f["check_id"] for f in result["resolved"]] == ["CRM-AUTH-015"]
    assert result["dimensions"]["authentication"]["before"] is not None
    code, stdout, _ = run(capsys, "diff", str(old / "report.json"), str(new / "report.json"), "--fail-on-new")
    assert code == 1 and "New: 1" in stdout and "Resolved: 1" in stdout


def test_baseline_gates_only_new_findings(capsys, tmp_path: Path, two_runs) -> None:
    old, _ = two_runs
    same = {**SESSION, "csrf_protection": False}
    code, _ = evaluate(capsys, tmp_path, "again", same, "--fail-on", "low", "--baseline", str(old / "report.json"))
    assert code == 0
    code, out = evaluate(
        capsys,
        tmp_path,
        "worse",
        {**same, "https_required": False},
        "--fail-on",
        "low",
        "--baseline",
        str(old / "report.json"),
    )
    assert code == 1
    report = load_report(out / "report.json")
    failing = {f.check_id: f.new for f in report.findings if f.status.value == "FAIL"}
    assert failing["CRM-AUTH-015"] is False and failing["CRM-AUTH-012"] is True
    assert any("CRM-AUTH-012" in reason for reason in report.gate["reasons"])


def test_history_and_trend(capsys, tmp_path: Path, two_runs) -> None:
    old, new = two_runs
    code, stdout, _ = run(capsys, "history", str(old), str(new / "report.json"), "--format", "json")
    assert code == 0
    points = json.loads(stdout)
    assert [p["generated_at"] for p in points] == sorted(p["generated_at"] for p in points)
    assert len(points) == 2 and "authentication" in points[0]["dimensions"]
    _, out = evaluate(capsys, tmp_path, "third", SESSION, "--history", str(old), "--history", str(new))
    report = json.loads((out / "report.json").read_text())
    assert len(report["trend"]) == 2
    code, _, stderr = run(capsys, "history", str(tmp_path))
    assert code == 2 and "no report.json" in stderr


def test_checks_that_stop_deciding_are_not_resolved(capsys, tmp_path: Path, two_runs) -> None:
    old, _ = two_runs
    evidence = tmp_path / "bare.json"
    save_snapshot(snapshot_from_values({"org.info": {"name": "x"}}), evidence)  # no session settings at all
    run(capsys, "evaluate", str(evidence), "--out", str(tmp_path / "bare"), "--format", "md", "-q")
    code, stdout, _ = run(
        capsys, "diff", str(old / "report.json"), str(tmp_path / "bare" / "report.json"), "--format", "json"
    )
    result = json.loads(stdout)
    assert code == 0
    assert "CRM-AUTH-015" not in [f["check_id"] for f in result["resolved"]]


def test_failing_resource_that_disappears_is_no_longer_assessed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a flagged account deleted between the runs: its fingerprint is in neither list of the new report
    fixture = Path(__file__).parents[1] / "checks" / "access_control" / "generic_accounts" / "fail.json"
    users = json.loads(fixture.read_text(encoding="utf-8"))["identity.users"]
    runs = {"before": users, "after": [user for user in users if user["username"] != "admin@example.test"]}
    for name, listed in runs.items():
        save_snapshot(snapshot_from_values({"identity.users": listed}), tmp_path / f"{name}.json")
        run(capsys, "evaluate", str(tmp_path / f"{name}.json"), "--out", str(tmp_path / name), "--format", "md", "-q")
    code, stdout, stderr = run(
        capsys,
        "diff",
        str(tmp_path / "before" / "report.json"),
        str(tmp_path / "after" / "report.json"),
        "--format",
        "json",
    )
    assert code == 0, stderr
    result = json.loads(stdout)
    assert [f["resource"] for f in result["unassessed"] if f["check_id"] == "CRM-AC-006"] == ["admin@example.test"]
    assert not [f for f in result["resolved"] if f["check_id"] == "CRM-AC-006"]
