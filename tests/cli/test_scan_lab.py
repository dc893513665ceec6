"""Scanning the Salesforce lab through the CLI over real loopback TLS: secrets, TLS trust, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.lab import LabConfig, start_lab
from crmsec.report.model import load_report

pytestmark = pytest.mark.integration


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.fixture(scope="module")
def lab():
    with start_lab(LabConfig(scenario="mixed", users=60, contacts=200)) as running:
        yield running


def test_no_secret_reaches_any_output(capsys, monkeypatch, lab, tmp_path: Path) -> None:
    canary = lab.token
    monkeypatch.setenv("CRMSEC_TOKEN", canary)
    out = tmp_path / "out"
    code, stdout, stderr = run(
        capsys,
        "--debug",
        "scan",
        "--platform",
        "salesforce",
        "--url",
        lab.url,
        "--ca-bundle",
        str(lab.ca_bundle),
        "--out",
        str(out),
    )
    assert code in (0, 1), stderr
    assert canary not in stdout and canary not in stderr
    files = [path for path in out.rglob("*") if path.is_file()]
    assert {"report.json", "evidence.json"} <= {path.name for path in files}
    for path in files:
        assert canary.encode() not in path.read_bytes(), f"{path.name} holds the token"
    report = load_report(out / "report.json")
    assert report.target["platform"] == "salesforce"
    assert report.evidence["api_calls"] > 0


def test_without_the_ca_bundle_tls_verification_fails_with_exit_3(capsys, monkeypatch, lab, tmp_path: Path) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", lab.token)
    code, _, stderr = run(capsys, "scan", "--platform", "salesforce", "--url", lab.url, "--out", str(tmp_path / "o"))
    assert code == 3
    assert "verif" in stderr.lower() and "certificate" in stderr.lower()
    assert "Traceback" not in stderr


def test_rejected_credentials_exit_3(capsys, monkeypatch, lab, tmp_path: Path) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", "not-the-lab-token")
    code, _, stderr = run(
        capsys,
        "scan",
        "--platform",
        "salesforce",
        "--url",
        lab.url,
        "--ca-bundle",
        str(lab.ca_bundle),
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 3
    assert "not-the-lab-token" not in stderr


def test_collect_then_evaluate_offline(capsys, monkeypatch, lab, tmp_path: Path) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", lab.token)
    evidence = tmp_path / "evidence.json"
    code, stdout, _ = run(
        capsys,
        "collect",
        "--platform",
        "salesforce",
        "--url",
        lab.url,
        "--ca-bundle",
        str(lab.ca_bundle),
        "-o",
        str(evidence),
    )
    assert code == 0 and "evidence items" in stdout
    monkeypatch.delenv("CRMSEC_TOKEN")
    code, stdout, _ = run(
        capsys, "evaluate", str(evidence), "--out", str(tmp_path / "r"), "--output-format", "json", "-q"
    )
    assert code == 0
    assert json.loads(stdout)["score"] is not None


def test_token_expiring_mid_scan_exits_3(capsys, monkeypatch, tmp_path: Path) -> None:
    with start_lab(LabConfig(scenario="hardened", users=20, contacts=20, expire_after=10)) as expiring:
        monkeypatch.setenv("CRMSEC_TOKEN", expiring.token)
        code, stdout, stderr = run(
            capsys,
            "scan",
            "--platform",
            "salesforce",
            "--url",
            expiring.url,
            "--ca-bundle",
            str(expiring.ca_bundle),
            "--option",
            "concurrency=1",
            "--out",
            str(tmp_path / "o"),
        )
    assert code == 3
    assert "rejected the credentials during collection" in stderr and "expired" in stderr
    assert "Gate" not in stdout and not (tmp_path / "o" / "report.json").exists()
