"""`crmsec demo` writes a bundle that can be handed over: no private key inside it, an audit trail whose
evidence hashes a reader can reproduce (`sha256sum evidence.json`), and a signature that verifies."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from crmsec.cli import main

pytestmark = pytest.mark.integration


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_demo_keeps_the_key_out_of_the_bundle(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    out.mkdir()
    (out / "demo-signing-key").write_text("left by an older demo")  # earlier versions wrote the key here
    code, stdout, _ = run(capsys, "demo", "--out", str(out), "--users", "20", "--format", "html,md")
    assert code == 0
    keys = tmp_path / "bundle-keys"
    assert sorted(path.name for path in out.iterdir()) == [
        "evidence.json",
        "report.dsse.json",
        "report.html",
        "report.json",
        "report.md",
    ]
    assert stat.S_IMODE((keys / "demo-signing-key").stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert f"--key {keys / 'demo-signing-key.pub'}" in stdout

    report = json.loads((out / "report.json").read_text())
    file_sha256 = hashlib.sha256((out / "evidence.json").read_bytes()).hexdigest()
    assert report["evidence"]["file_sha256"] == file_sha256
    assert report["evidence"]["sha256"] != file_sha256  # the canonical JSON hash is another number
    assert report["evidence"]["org"] == {
        "id": "00DLb0000000001EAA",
        "name": "Acme Lab (misconfigured)",
        "instance": "LAB1",
        "is_sandbox": False,
    }
    page = (out / "report.html").read_text()
    assert f'<dt>Evidence SHA-256 of the file</dt><dd class="mono">{file_sha256}</dd>' in page
    assert "<dt>Evidence SHA-256 of canonical JSON (signed, in report.json)</dt>" in page
    assert report["evidence"]["sha256"] in page
    assert "<dt>Sandbox</dt><dd>no</dd>" in page and "<dt>Instance</dt><dd>LAB1</dd>" in page
    assert "This page is a rendering of report.json." in page
    summary = (out / "report.md").read_text()
    assert file_sha256 in summary and "rendering of the signed report.json" in summary

    code, stdout, _ = run(
        capsys,
        "verify",
        str(out / "report.dsse.json"),
        "--key",
        str(keys / "demo-signing-key.pub"),
        "--report",
        str(out / "report.json"),
        "--evidence",
        str(out / "evidence.json"),
    )
    assert code == 0
    assert file_sha256 in stdout  # verify prints the file hash the header shows first


def test_demo_refuses_a_key_folder_inside_the_bundle(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    code, _, stderr = run(capsys, "demo", "--out", str(out), "--key-dir", str(out / "keys"))
    assert code == 2
    assert "inside the report bundle" in stderr
    assert not out.exists()


def test_demo_does_not_warn_about_a_survey_file_the_user_never_gave(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    out = tmp_path / "bundle"
    code, _, stderr = run(capsys, "demo", "--out", str(out), "--users", "20", "--format", "md")
    assert code == 0
    assert not [record for record in caplog.records if "unusable row" in record.getMessage()]
    assert "survey.csv" not in stderr
    assert "evaluation inputs: the bundled synthetic survey" in stderr
    metrics = json.loads((out / "report.json").read_text())["metrics"]
    assert metrics["survey_rejected_rows"]["value"] == 2  # what the warning said is still in the report
