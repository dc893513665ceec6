"""Hostile CRM names through every command that prints them: no escape sequence and no forged line.

User, profile and app names, URLs and CSV headers are CRM data. A name holding ESC [2J (clear the screen), an OSC 8
hyperlink ended by BEL, a C1 CSI (0x9b) or a line break followed by "Gate: PASSED" must reach neither the terminal
nor report.md as it is: control characters are shown as U+FFFD, and a data value never starts a line.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from crmsec.cli import console, main
from crmsec.evidence import save_snapshot
from crmsec.testing import snapshot_from_values

CHECKS = Path(__file__).parents[1] / "checks"
CLEAR_SCREEN = "\x1b[2J"
HYPERLINK = "\x1b]8;;http://evil\x07link\x1b]8;;\x07"
BELL = "\x07"
C1_CSI = "\x9b31m"
FORGED_GATE = "\nGate: PASSED\r"
# Everything that moves a terminal but the line feed: C0 (tab and CR included), DEL and C1.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
PROFILE = "name: hostile\nextends: baseline\nselect: {ids: [CRM-AC-006]}\n"


def assert_inert(text: str) -> None:
    """No raw control character, and no line forged by a data value."""
    assert not RAW_CONTROL.findall(text), RAW_CONTROL.findall(text)
    assert not [line for line in text.splitlines() if line.strip().startswith("Gate: PASSED")]


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def hostile_users(prefix: str) -> list[dict[str, Any]]:
    """CRM-AC-006's failing users, every flagged username carrying one payload."""
    fixture = CHECKS / "access_control" / "generic_accounts" / "fail.json"
    users: list[dict[str, Any]] = json.loads(fixture.read_text(encoding="utf-8"))["identity.users"]
    names = {
        "admin@example.test": f"admin.{prefix}{CLEAR_SCREEN}@example.test",
        "sales@example.test": f"sales.{prefix}{HYPERLINK}@example.test",
        "test.user2@example.test": f"test.{prefix}{FORGED_GATE}{C1_CSI}{BELL}@example.test",
    }
    return [{**user, "username": names.get(user["username"], user["username"])} for user in users]


def evaluate(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, *extra: str) -> tuple[Path, str, str]:
    """Evaluate hostile users of a hostile target URL; the report folder, stdout and stderr."""
    snapshot = snapshot_from_values({"identity.users": hostile_users(name)})
    url = f"https://crm.example.test/{name}\x1b]0;retitled{BELL}"
    snapshot = dataclasses.replace(snapshot, metadata=dataclasses.replace(snapshot.metadata, target_url=url))
    evidence = tmp_path / f"{name}.json"
    save_snapshot(snapshot, evidence)
    profile = tmp_path / "hostile.yaml"
    profile.write_text(PROFILE, encoding="utf-8")
    out = tmp_path / name
    arguments = ("evaluate", str(evidence), "--profile", str(profile), "--out", str(out), "--fail-on", "medium")
    code, stdout, stderr = run(capsys, *arguments, "--format", "md", *extra)
    assert code == 1, stderr  # the generic accounts fail the gate: a forged "Gate: PASSED" would be a lie
    return out, stdout, stderr


def test_summary_shows_hostile_names_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, stdout, stderr = evaluate(capsys, tmp_path, "one")
    assert_inert(stdout + stderr)
    lines = stdout.splitlines()
    assert "Gate failed (fail-on medium from the command line)" in lines
    assert "crm.example.test/one\ufffd]0;retitled\ufffd" in lines[0]
    [grouped] = [line for line in lines if line.startswith("  MEDIUM   FAIL  CRM-AC-006  4 resources: ")]
    assert "admin.one\ufffd[2J@example.test" in grouped  # top failures: one row per check, cut to the width
    failures = [line for line in lines if line.startswith("  - FAIL CRM-AC-006 (medium) on ")]  # the gate's list
    assert any(line.endswith("test.one\ufffdGate: PASSED\ufffd\ufffd31m\ufffd@example.test") for line in failures)
    assert any(line.endswith("admin.one\ufffd[2J@example.test") for line in failures)


def test_report_md_shows_hostile_names_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out, _, _ = evaluate(capsys, tmp_path, "one", "-q")
    text = (out / "report.md").read_text(encoding="utf-8")
    assert_inert(text)
    assert "sales.one\ufffd\\]8;;http\\[:\\]//evil\ufffdlink\ufffd\\]8;;\ufffd@example.test" in text
    assert "test.one Gate: PASSED \ufffd31m\ufffd@example.test" in text  # line breaks become spaces, as before


def test_json_summary_escapes_c1_and_keeps_the_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, stdout, stderr = evaluate(capsys, tmp_path, "one", "--output-format", "json")
    assert_inert(stdout + stderr)
    assert "\\u009b31m" in stdout
    reasons = json.loads(stdout)["gate"]["reasons"]
    assert any(f"test.one{FORGED_GATE}{C1_CSI}{BELL}@example.test" in reason for reason in reasons), reasons


def test_diff_and_history_show_hostile_names_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _, _ = evaluate(capsys, tmp_path, "old", "-q")
    new, _, _ = evaluate(capsys, tmp_path, "new", "-q")
    code, stdout, stderr = run(capsys, "diff", str(old / "report.json"), str(new / "report.json"))
    assert code == 0, stderr
    assert_inert(stdout + stderr)
    assert "reports are of different targets (https://crm.example.test/old\ufffd]0;retitled\ufffd and" in stderr
    assert "New: 3" in stdout and "No longer assessed: 3" in stdout  # the old names are gone, not fixed
    assert "  CRM-AC-006  admin.new\ufffd[2J@example.test: admin.new\ufffd[2J@example.test looks" in stdout
    code, stdout, stderr = run(capsys, "history", str(old), str(new))
    assert code == 0
    assert_inert(stdout + stderr)
    assert "https://crm.example.test/new\ufffd]0;retitled\ufffd" in stderr
    assert len(stdout.splitlines()) == 3  # the header and one line per report


def test_pii_scan_table_shows_hostile_headers_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    headers = [f"email{CLEAR_SCREEN}", f"name{HYPERLINK}", f"notes{FORGED_GATE}{C1_CSI}"]
    rows = [[f"person{index}@example.test", f"Name{BELL}{index}", f"note {index}\x1b[31m"] for index in range(5)]
    lines = [",".join(f'"{cell}"' for cell in row) for row in [headers, *rows]]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stdout, stderr = run(capsys, "pii", "scan", str(export))
    assert code == 0
    assert_inert(stdout + stderr)
    table = stdout.splitlines()
    assert len(table) == 1 + len(headers)  # the header row and one line per column
    assert any(line.startswith("notes\ufffdGate: PASSED\ufffd\ufffd31m ") for line in table), table


def test_out_and_err_neutralise_what_commands_forget(capsys: pytest.CaptureFixture[str]) -> None:
    console.out(f"a{CLEAR_SCREEN}b{C1_CSI}\tc\x7f\nsecond line")
    console.err(f"x{HYPERLINK}\r\u202ey")
    captured = capsys.readouterr()
    assert captured.out == "a\ufffd[2Jb\ufffd31m\ufffdc\ufffd\nsecond line\n"  # our own line breaks stay
    assert captured.err == "x\ufffd]8;;http://evil\ufffdlink\ufffd]8;;\ufffd\ufffd\ufffdy\n"


def test_field_replaces_line_breaks_too() -> None:
    assert console.field(f"x{FORGED_GATE}\u2028\t") == "x\ufffdGate: PASSED\ufffd\ufffd\ufffd"
    assert console.field("zwj 👩\u200d💻 stays") == "zwj 👩\u200d💻 stays"


def test_out_json_escapes_raw_controls_losslessly(capsys: pytest.CaptureFixture[str]) -> None:
    document = {"name": f"{C1_CSI}\x7f\u2028{CLEAR_SCREEN}{BELL}é"}
    console.out_json(document)
    text = capsys.readouterr().out
    assert_inert(text)
    assert json.loads(text) == document


def test_progress_line_moves_the_cursor_only_itself(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "stderr_is_terminal", lambda: True)
    progress = console.Progress(enabled=True)
    progress.update(f"collecting evidence from https://crm.example.test/{CLEAR_SCREEN}{FORGED_GATE} ...")
    progress.close()
    err = capsys.readouterr().err
    assert err.startswith("\rcollecting evidence from https://crm.example.test/\ufffd[2J\ufffdGate: PASSED\ufffd ...")
    assert not RAW_CONTROL.findall(err.replace("\r", "")) and "\n" not in err
    assert err.count("\r") == 3  # update's one, close's two: none from the data


def test_log_lines_are_inert() -> None:
    record = logging.LogRecord("crmsec.test", logging.WARNING, __file__, 1, "metric %s unreadable", (HYPERLINK,), None)
    line = console.PrintableFormatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert line == "WARNING crmsec.test: metric \ufffd]8;;http://evil\ufffdlink\ufffd]8;;\ufffd unreadable"
