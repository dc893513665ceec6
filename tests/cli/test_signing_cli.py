"""`crmsec keygen`, `crmsec sign`, `crmsec verify` through the real entry point and its exit codes."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from crmsec import signing
from crmsec.canonical import canonical_bytes
from crmsec.cli import main

PASSPHRASE = "canary-passphrase-7f3e"


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def _report() -> dict[str, Any]:
    return {
        "tool": {"name": "crmsec", "version": "0.1.0"},
        "target": {"platform": "hubspot", "url": "https://crm.example.test"},
        "profile": {"name": "strict", "sha256": "c" * 64},
        "evidence": {"sha256": "d" * 64},
        "generated_at": "2026-01-01T00:05:00Z",
        "scores": {"overall": 61.25, "grade": "D"},
        "gate": {"passed": False, "reasons": ["score under 70"], "fail_under": 70, "fail_on": None, "baseline": None},
    }


def _verify(capsys: pytest.CaptureFixture[str], directory: Path, key: Path, *extra: str | Path) -> tuple[int, str, str]:
    """`crmsec verify` of directory/report.dsse.json against the report and evidence next to it."""
    return _run(
        capsys,
        "verify",
        directory / "report.dsse.json",
        "--key",
        f"{key}.pub",
        "--report",
        directory / "report.json",
        "--evidence",
        directory / "evidence.json",
        *extra,
    )


@pytest.fixture(autouse=True)
def _no_default_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMSEC_KEY_PASSPHRASE", raising=False)


@pytest.fixture
def scan_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "out"
    directory.mkdir()
    (directory / "report.json").write_text(json.dumps(_report(), indent=2), encoding="utf-8")
    (directory / "evidence.json").write_text('{"items": {}}', encoding="utf-8")
    return directory


@pytest.fixture
def key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "keys" / "signing.key"
    path.parent.mkdir()
    code, out, _ = _run(capsys, "keygen", "--out", path)
    assert code == 0, out
    return path


def test_keygen_writes_the_pair(key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert Path(f"{key}.pub").read_text(encoding="utf-8").startswith("-----BEGIN PUBLIC KEY-----")
    code, _, err = _run(capsys, "keygen", "--out", key)
    assert code == 2
    assert "already exists" in err
    assert "--force" in err
    code, out, _ = _run(capsys, "keygen", "--out", key, "--force")
    assert code == 0
    assert "keyid:" in out


def test_sign_then_verify(scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    assert code == 0, out
    assert (scan_dir / "report.dsse.json").is_file()
    code, out, err = _verify(capsys, scan_dir, key)
    assert code == 0, err
    assert "hubspot https://crm.example.test" in out
    assert "2026-01-01T00:05:00Z" in out
    assert "verdict:   score 61.25, grade D, Gate failed (fail-under 70) [signed, and the same in the report]" in out
    assert out.count("matches") == 2
    assert "NOT COMPARED" not in out
    assert err == ""


def test_verify_json_output(scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    code, out, _ = _verify(capsys, scan_dir, key, "--output-format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["verified"] is True
    assert document["signature_only"] is False
    assert document["verdict"] == {
        "score": 61.25,
        "grade": "D",
        "gate": "failed",
        "gate_text": "Gate failed (fail-under 70)",
        "fail_under": 70,
        "fail_on": None,
        "matches_report": True,
    }
    assert document["predicate"]["gate"] == {"passed": False, "fail_under": 70, "fail_on": None, "baseline": None}
    assert document["subjects"]["evidence.json"]["checked"] == str(scan_dir / "evidence.json")


@pytest.mark.parametrize("name", ["report.json", "evidence.json"])
def test_verify_exits_1_on_a_changed_file(
    scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    path = scan_dir / name
    path.write_bytes(path.read_bytes().replace(b"{", b"{ ", 1))
    code, out, err = _verify(capsys, scan_dir, key)
    assert code == 1
    assert out == ""
    assert f"differs from the signed {name} digest" in err
    assert len(err.strip().splitlines()) == 2  # the error and its hint, no traceback


def test_verify_exits_1_with_another_key(
    scan_dir: Path, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    _run(capsys, "keygen", "--out", tmp_path / "other.key")
    code, _, err = _run(
        capsys, "verify", scan_dir / "report.dsse.json", "--key", tmp_path / "other.key.pub", "--signature-only"
    )
    assert code == 1
    assert "no valid signature" in err


def test_verify_with_explicit_files_elsewhere(
    scan_dir: Path, key: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key, "--out", tmp_path / "signed.dsse.json")
    code, out, _ = _run(
        capsys,
        "verify",
        tmp_path / "signed.dsse.json",
        "--key",
        f"{key}.pub",
        "--report",
        scan_dir / "report.json",
        "--evidence",
        scan_dir / "evidence.json",
    )
    assert code == 0
    assert out.count("matches") == 2


def test_verify_with_only_the_envelope_exits_2(scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files next to the envelope are not picked up: the auditor names what they compare, or says they don't."""
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    code, out, err = _run(capsys, "verify", scan_dir / "report.dsse.json", "--key", f"{key}.pub")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--report" in err and "--evidence" in err and "--signature-only" in err
    code, _, err = _verify(capsys, scan_dir, key, "--signature-only")
    assert code == 2
    assert "--signature-only compares no file" in err


def test_signature_only_says_no_file_was_compared(
    scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    (scan_dir / "report.json").write_text("changed", encoding="utf-8")  # not compared, so not noticed
    code, out, _ = _run(capsys, "verify", scan_dir / "report.dsse.json", "--key", f"{key}.pub", "--signature-only")
    assert code == 0
    assert "signature: valid" in out
    assert "verdict:   score 61.25, grade D, Gate failed (fail-under 70) [signed; report NOT COMPARED]" in out
    assert out.count("NOT COMPARED (no file given)") == 2
    assert "files:     none compared (--signature-only): only the signature was verified" in out
    code, out, _ = _run(
        capsys,
        "verify",
        scan_dir / "report.dsse.json",
        "--key",
        f"{key}.pub",
        "--signature-only",
        "--output-format",
        "json",
    )
    document = json.loads(out)
    assert (document["signature_only"], document["verdict"]["matches_report"]) == (True, False)
    assert {subject["checked"] for subject in document["subjects"].values()} == {None}


def test_verify_with_the_report_alone_notes_the_evidence(
    scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    code, out, err = _run(
        capsys, "verify", scan_dir / "report.dsse.json", "--key", f"{key}.pub", "--report", scan_dir / "report.json"
    )
    assert code == 0
    assert "[signed, and the same in the report]" in out
    assert "evidence.json: sha256" in out and "NOT COMPARED" in out
    assert "not checked" in err


def test_a_signed_verdict_for_another_report_exits_1(
    scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Digests right, verdict wrong: only a statement made for another report (or crafted) looks like this."""
    statement = signing.build_statement(
        (scan_dir / "report.json").read_bytes(), signing.file_sha256(scan_dir / "evidence.json")
    )
    statement["predicate"]["score"] = 95.5
    statement["predicate"]["grade"] = "A"
    statement["predicate"]["gate"]["passed"] = True
    private_key = signing.load_private_key(key, None)
    signing.write_envelope(signing.sign_payload(canonical_bytes(statement), private_key), scan_dir / "report.dsse.json")
    code, out, err = _verify(capsys, scan_dir, key)
    assert code == 1
    assert out == ""
    [line, hint] = err.strip().splitlines()
    assert "the signed verdict does not match the report" in line
    assert "score signed 95.5, report says 61.25" in line
    assert 'grade signed "A", report says "D"' in line
    assert "gate.passed signed true, report says false" in line
    assert "another report" in hint


def test_no_gate_set_is_said_plainly(scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _report()
    report["gate"] = {"passed": True, "reasons": [], "fail_under": None, "fail_on": None, "baseline": None}
    (scan_dir / "report.json").write_text(json.dumps(report), encoding="utf-8")
    _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    code, out, _ = _verify(capsys, scan_dir, key)
    assert code == 0
    assert "verdict:   score 61.25, grade D, No gate set [signed, and the same in the report]" in out


def test_usage_errors_exit_2(scan_dir: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "verify", scan_dir / "missing.dsse.json", "--key", f"{key}.pub")[0] == 2
    assert _run(capsys, "sign", scan_dir / "report.json")[0] == 2
    (scan_dir / "evidence.json").unlink()
    code, _, err = _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    assert code == 2
    assert "--evidence" in err


def test_passphrase_only_from_the_environment(
    scan_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUDIT_KEY_PASSPHRASE", PASSPHRASE)
    key = tmp_path / "encrypted.key"
    code, out, err = _run(capsys, "keygen", "--out", key, "--passphrase-env", "AUDIT_KEY_PASSPHRASE")
    assert code == 0
    assert "encrypted with $AUDIT_KEY_PASSPHRASE" in out
    assert key.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    outputs = [out, err]
    code, out, err = _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    assert code not in (0, 1)  # an unusable key is never confused with a verdict
    assert "no passphrase was given" in err
    outputs += [out, err]
    code, out, err = _run(capsys, "sign", scan_dir / "report.json", "--key", key, "--passphrase-env", "NOT_SET_X")
    assert code == 2
    outputs += [out, err]
    monkeypatch.setenv("CRMSEC_KEY_PASSPHRASE", PASSPHRASE)
    code, out, err = _run(capsys, "sign", scan_dir / "report.json", "--key", key)
    assert code == 0, err
    outputs += [out, err]
    assert all(PASSPHRASE not in text for text in outputs)
    assert _verify(capsys, scan_dir, key)[0] == 0


def test_sign_and_verify_a_real_report(tmp_path: Path, key: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report built by the engine, not a hand-written one: the fields signing reads must exist."""
    from crmsec.engine import check_snapshot
    from crmsec.evidence import save_snapshot
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue
    from crmsec.testing import snapshot_from_values

    snapshot = snapshot_from_values({})
    report = check_snapshot(snapshot, load_profile("baseline"), load_catalogue(plugins=False))
    (tmp_path / "report.json").write_bytes(report.to_bytes())
    save_snapshot(snapshot, tmp_path / "evidence.json")
    assert _run(capsys, "sign", tmp_path / "report.json", "--key", key)[0] == 0
    code, out, _ = _verify(capsys, tmp_path, key)
    assert code == 0
    assert "profile:   baseline" in out
    assert "No gate set [signed, and the same in the report]" in out
    assert out.count("matches") == 2
