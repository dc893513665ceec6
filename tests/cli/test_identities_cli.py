"""Usernames through the CLI over the Salesforce lab: masked in every output by default, raw only when asked.

The lab's usernames are the canaries (`first.last@acme-lab.example.test`): a default scan must not write one of
them, nor their domain, to evidence, report, any rendering or the console; `--show-identities` keeps them and
the report says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.pii.identities import is_masked_identity
from crmsec.report.model import load_report

pytestmark = pytest.mark.integration

DOMAIN = "acme-lab.example.test"
FORMATS = "html,md,sarif,junit,csv"
PER_USER_CHECK = "CRM-AC-004"  # inactive users: one finding per active user, named by username


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(LabConfig(scenario="misconfigured", users=40, contacts=40)) as running:
        yield running


def usernames(lab: Lab) -> list[str]:
    return [str(row["Username"]) for row in lab.state.org.data["User"].rows]


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def scan(capsys: pytest.CaptureFixture[str], lab: Lab, out: Path, *extra: str) -> tuple[str, str]:
    code, stdout, stderr = run(
        capsys, "scan", "--platform", "salesforce", "--url", lab.url, "--ca-bundle", str(lab.ca_bundle),
        "--out", str(out), "--format", FORMATS, *extra,
    )  # fmt: skip
    assert code in (0, 1), stderr
    return stdout, stderr


def outputs(out: Path, *console: str) -> dict[str, str]:
    texts = {path.name: path.read_text(encoding="utf-8") for path in out.rglob("*") if path.is_file()}
    assert {"evidence.json", "report.json", "report.html", "report.md", "report.sarif", "report.csv"} <= set(texts)
    return texts | {f"console {index}": text for index, text in enumerate(console)}


def leaks(texts: dict[str, str], canaries: list[str]) -> list[str]:
    return sorted(f"{name}: {canary}" for name, text in texts.items() for canary in canaries if canary in text)


def test_a_default_scan_writes_no_username_anywhere(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lab: Lab, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", lab.token)
    out = tmp_path / "masked"
    stdout, stderr = scan(capsys, lab, out, "--output-format", "json")
    canaries = [*usernames(lab), DOMAIN]
    assert leaks(outputs(out, stdout, stderr), canaries) == []
    report = load_report(out / "report.json")
    assert report.evidence["identities"] == "masked"
    assert json.loads((out / "evidence.json").read_text(encoding="utf-8"))["metadata"]["identities"] == "masked"
    per_user = [finding for finding in report.findings if finding.check_id == PER_USER_CHECK]
    assert len(per_user) > 10 and all(is_masked_identity(finding.resource) for finding in per_user)
    assert len({finding.resource for finding in per_user}) == len(per_user)  # no two users collapse


def test_evaluating_masked_evidence_cannot_unmask_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lab: Lab, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", lab.token)
    evidence = tmp_path / "evidence.json"
    code, _, stderr = run(
        capsys, "collect", "--platform", "salesforce", "--url", lab.url, "--ca-bundle", str(lab.ca_bundle),
        "-o", str(evidence),
    )  # fmt: skip
    assert code == 0, stderr
    monkeypatch.delenv("CRMSEC_TOKEN")
    code, stdout, stderr = run(capsys, "evaluate", str(evidence), "--out", str(tmp_path / "r"), "--format", FORMATS)
    assert code in (0, 1), stderr
    assert leaks(outputs(tmp_path / "r", stdout, stderr), [*usernames(lab), DOMAIN]) == []
    assert load_report(tmp_path / "r" / "report.json").evidence["identities"] == "masked"


def test_show_identities_keeps_usernames_for_the_auditor_and_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lab: Lab, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", lab.token)
    out = tmp_path / "shown"
    _, stderr = scan(capsys, lab, out, "--show-identities")
    texts = outputs(out)
    names = usernames(lab)
    assert any(name in texts["evidence.json"] for name in names)
    assert any(name in texts["report.json"] for name in names)
    report = load_report(out / "report.json")
    assert report.evidence["identities"] == "shown"
    assert "raw usernames" in texts["report.html"] and "identities shown" in texts["report.md"]
    assert "--show-identities" in stderr and "keep this copy internal" in stderr
    assert not any(is_masked_identity(finding.resource) for finding in report.findings)
