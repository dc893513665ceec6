"""The CLI's documented exit codes and one-line errors, end to end through `crmsec.cli.main`."""

from __future__ import annotations

import json
import socket
import stat
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import save_snapshot
from crmsec.report.model import load_report
from crmsec.testing import snapshot_from_values

VALUES = {
    "auth.session_settings": {
        "idle_timeout_minutes": 120,
        "lock_sessions_to_ip": False,
        "lock_sessions_to_domain": True,
        "https_required": True,
        "clickjack_protection": True,
        "http_only_cookies": True,
        "csrf_protection": True,
        "force_logout_on_timeout": True,
    },
}


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "evidence.json"
    save_snapshot(snapshot_from_values(VALUES), path)
    return path


def test_evaluate_writes_a_valid_bundle(capsys, evidence: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "evaluate", str(evidence), "--out", str(out), "--format", "md,csv")
    assert code == 0
    report = load_report(out / "report.json")
    assert report.profile["name"] == "baseline"
    assert stat.S_IMODE((out / "evidence.json").stat().st_mode) == 0o600
    assert (out / "report.md").exists() and (out / "report.csv").exists()
    assert "Score" in stdout and "No gate set" in stdout.splitlines()


def test_gate_failures_exit_1(capsys, evidence: Path, tmp_path: Path) -> None:
    common = ("evaluate", str(evidence), "--out", str(tmp_path / "o"), "--format", "md", "-q")
    assert run(capsys, *common, "--fail-on", "medium")[0] == 1
    assert run(capsys, *common, "--fail-under", "99")[0] == 1
    assert run(capsys, *common, "--fail-on", "critical", "--profile", "baseline", "--no-plugins")[0] in (0, 1)


def test_json_summary(capsys, evidence: Path, tmp_path: Path) -> None:
    code, stdout, _ = run(
        capsys,
        "evaluate",
        str(evidence),
        "--out",
        str(tmp_path / "o"),
        "--format",
        "md",
        "--output-format",
        "json",
        "-q",
    )
    summary = json.loads(stdout)
    assert code == 0 and summary["grade"] and "authentication" in summary["dimensions"]


@pytest.mark.parametrize(
    ("profile_text", "expected"),
    [
        ("name: x\nweights: [unclosed\n", "profile.yaml:3: invalid YAML"),
        ("name: x\npass_mark: high\n", "/pass_mark"),
        ("name: x\nwaivers:\n  - {check: CRM-AUTH-004, resource: '*'}\n", "/waivers/0"),
        ("name: x\nextends: nonexistent-profile\n", "nonexistent-profile"),
        ("name: x\ncheck_parameters: {CRM-AUTH-004: {max_idle_minutes: soon}}\n", "max_idle_minutes"),
    ],
)
def test_bad_profiles_exit_2_naming_the_problem(
    capsys, evidence: Path, tmp_path: Path, profile_text: str, expected: str
) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text(profile_text)
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--profile", str(profile), "--out", str(tmp_path / "o"))
    assert code == 2
    assert expected in stderr
    assert "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("crmsec: error")]) == 1


def test_bad_evidence_exits_2(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "evidence.json"
    bad.write_text('{"metadata": {}, "items": {}}')
    code, _, stderr = run(capsys, "evaluate", str(bad), "--out", str(tmp_path / "o"))
    assert code == 2 and str(bad) in stderr and "/metadata" in stderr
    code, _, stderr = run(capsys, "evaluate", str(tmp_path / "absent.json"))
    assert code == 2 and "cannot read" in stderr


def test_usage_errors_exit_2(capsys, evidence: Path) -> None:
    assert run(capsys, "evaluate", str(evidence), "--fail-on", "catastrophic")[0] == 2
    assert run(capsys, "scan", "--platform", "nosuch", "--url", "https://127.0.0.1:1")[0] == 2
    assert run(capsys, "scan", "--platform", "web", "--url", "ftp://example.test")[0] == 2
    assert run(capsys, "scan", "--platform", "web", "--url", "https://user:pw@127.0.0.1:1")[0] == 2


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_target_exits_3(capsys, tmp_path: Path) -> None:
    port = _closed_port()
    code, _, stderr = run(
        capsys, "scan", "--platform", "web", "--url", f"https://127.0.0.1:{port}", "--out", str(tmp_path / "o"), "-q"
    )
    assert code == 3
    assert "Traceback" not in stderr and "127.0.0.1" in stderr


def test_checks_and_profiles_and_schema(capsys) -> None:
    code, stdout, _ = run(capsys, "checks", "list", "--format", "json", "--no-plugins")
    assert code == 0 and any(check["id"] == "CRM-AUTH-004" for check in json.loads(stdout))
    code, stdout, _ = run(capsys, "checks", "show", "CRM-AUTH-004")
    assert code == 0 and "max_idle_minutes" in stdout and "A.8.5" in stdout
    assert run(capsys, "checks", "show", "CRM-NOPE-999")[0] == 2
    code, stdout, _ = run(capsys, "profiles", "list")
    assert code == 0 and "strict" in stdout and "pipl" in stdout
    code, stdout, _ = run(capsys, "profiles", "show", "strict")
    assert code == 0 and "builtin:baseline" in stdout
    code, stdout, _ = run(capsys, "schema", "report")
    assert code == 0 and json.loads(stdout)["title"] == "crmsec report"


def test_help_documents_exit_codes(capsys) -> None:
    code, stdout, _ = run(capsys, "--help")
    assert code == 0 and "Exit codes" in stdout and "gate failed" in stdout
    code, stdout, _ = run(capsys, "scan", "--help")
    assert code == 0 and "Exit codes" in stdout


def test_every_listed_command_is_registered() -> None:
    from crmsec.cli import COMMANDS, cli

    assert set(cli.commands) == set(COMMANDS)


def test_profile_selection_problems(capsys, evidence: Path, tmp_path: Path) -> None:
    typo = tmp_path / "typo.yaml"
    typo.write_text("name: typo\nselect: {ids: [CRM-AUTH-004, CRM-AUTH-04]}\nparameters: {max_idel_minutes: 5}\n")
    code, _, _ = run(capsys, "evaluate", str(evidence), "--profile", str(typo), "--out", str(tmp_path / "o"), "-q")
    assert code == 0
    errors = load_report(tmp_path / "o" / "report.json").errors
    assert (
        "profile typo: select.ids names CRM-AUTH-04, which is not a known check (did you mean CRM-AUTH-004?)" in errors
    )
    assert any("max_idel_minutes" in error for error in errors)
    empty = tmp_path / "empty.yaml"
    empty.write_text("name: empty\nselect: {ids: [CRM-NOPE-001]}\n")
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--profile", str(empty), "--out", str(tmp_path / "e"))
    assert code == 2 and "selects no check: select.ids names CRM-NOPE-001, which is not a known check" in stderr
    empty.write_text("name: empty\nselect: {ids: [CRM-AUTH-04]}\n")
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--profile", str(empty), "--out", str(tmp_path / "e"))
    assert code == 2 and "CRM-AUTH-04, which is not a known check (did you mean CRM-AUTH-004?)" in stderr


def test_yaml_dates_that_do_not_exist_are_input_errors(capsys, evidence: Path, tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: p\nwaivers: [{check: A, resource: '*', owner: o, justification: j, expires: 2099-13-45}]\n"
    )
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--profile", str(profile), "--out", str(tmp_path / "o"))
    assert code == 2 and "p.yaml" in stderr and "internal error" not in stderr


def test_summary_names_the_gate(capsys, evidence: Path, tmp_path: Path) -> None:
    common = ("evaluate", str(evidence), "--out", str(tmp_path / "o"), "--format", "md")
    assert "Gate passed (fail-under 0 from the command line)" in run(capsys, *common, "--fail-under", "0")[1]
    assert "Gate failed (fail-on low from the command line)" in run(capsys, *common, "--fail-on", "low")[1]


def test_sarif_results_anchor_to_the_profile_or_the_flag(capsys, evidence: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("gate.yaml").write_text("name: gate\nextends: baseline\n")
    run(capsys, "evaluate", str(evidence), "--profile", "gate.yaml", "--out", "a", "--format", "sarif", "-q")
    run(capsys, "evaluate", str(evidence), "--sarif-anchor", "ci/crmsec.yaml", "--out", "b", "--format", "sarif", "-q")
    for folder, anchor in (("a", "gate.yaml"), ("b", "ci/crmsec.yaml")):
        sarif = json.loads((tmp_path / folder / "report.sarif").read_text())
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
        assert uris == {anchor}
