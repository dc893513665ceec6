"""`crmsec verify` shows hostile signed values as every other command does: control characters as U+FFFD.

It used to print them as Python escapes (`\\x1b]0;...`), which made the same target URL read differently in
`verify` than in the scan summary, report.md and report.html.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import save_snapshot
from crmsec.testing import snapshot_from_values

URL = "https://crm.example.test/x\x1b]0;retitled\x07\x9b31m\u202egnp.exe"
SHOWN = "https://crm.example.test/x\ufffd]0;retitled\ufffd\ufffd31m\ufffdgnp.exe"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_verify_shows_a_hostile_target_url_with_replacement_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    snapshot = snapshot_from_values({"identity.users": []})
    snapshot = dataclasses.replace(snapshot, metadata=dataclasses.replace(snapshot.metadata, target_url=URL))
    evidence = tmp_path / "evidence.json"
    save_snapshot(snapshot, evidence)
    key = tmp_path / "audit.key"
    assert run(capsys, "keygen", "--out", str(key))[0] == 0
    out = tmp_path / "out"
    code, _, stderr = run(capsys, "evaluate", str(evidence), "--out", str(out), "--format", "md", "-q",
                          "--sign-key", str(key))  # fmt: skip
    assert code in (0, 1), stderr
    arguments = ["verify", str(out / "report.dsse.json"), "--key", f"{key}.pub", "--report", str(out / "report.json")]
    code, stdout, stderr = run(capsys, *arguments)
    assert code == 0, stderr
    [target] = [line for line in stdout.splitlines() if line.startswith("target:")]
    assert SHOWN in target
    assert "\\x1b" not in stdout and "\\x9b" not in stdout and "\\u202e" not in stdout
    assert not [character for character in stdout if character in "\x1b\x07\x9b\u202e"]
