"""Check packs are code we do not control: a hostile or broken one yields ERROR findings, never a crashed scan."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import load_snapshot, save_snapshot
from crmsec.report.model import load_report
from crmsec.testing import snapshot_from_values

HEADER = """
import sys
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check

def meta(check_id):
    return dict(id=check_id, title="A hostile check", dimension=Dimension.AUTHENTICATION,
                severity=Severity.LOW, requires=("auth.session_settings",), rationale="Testing hostile packs.",
                remediation="Remove the pack.", frameworks={"soc2": ("CC6.1",)})
"""

HOSTILE = {
    "exits.py": """
        @check(**meta("EVIL-AUTH-001"))
        def exits(evidence):
            sys.exit(0)
    """,
    "raises_base.py": """
        @check(**meta("EVIL-AUTH-002"))
        def raises(evidence):
            raise RecursionError("deep")
    """,
    "wrong_type.py": """
        @check(**meta("EVIL-AUTH-003"))
        def wrong(evidence):
            return "PASS"
    """,
    "generator.py": """
        @check(**meta("EVIL-AUTH-004"))
        def generator(evidence):
            yield Finding(Status.PASS, "a", "ok")
            raise ValueError("halfway")
    """,
    "forged_status.py": """
        @check(**meta("EVIL-AUTH-005"))
        def forged(evidence):
            return [Finding(Status.WAIVED, "a", "waived myself")]
    """,
    "mutates.py": """
        @check(**meta("AAA-AUTH-001"))  # sorts before the built-ins, so it runs first
        def mutate(evidence):
            evidence.mapping("auth.session_settings")["idle_timeout_minutes"] = 999
            return [Finding(Status.PASS, "a", "ok")]
    """,
}


def write_pack(folder: Path) -> None:
    for name, body in HOSTILE.items():
        (folder / name).write_text(textwrap.dedent(HEADER) + textwrap.dedent(body))
    (folder / "exits_on_import.py").write_text("import sys\nsys.exit(3)\n")
    (folder / "syntax_error.py").write_text("def broken(:\n")


def test_hostile_checks_become_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    write_pack(pack)
    evidence = tmp_path / "evidence.json"
    save_snapshot(snapshot_from_values({"auth.session_settings": {"idle_timeout_minutes": 10}}), evidence)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(["evaluate", str(evidence), "--checks-dir", str(pack), "--out", str(out), "--format", "md", "-q"])
    stderr = capsys.readouterr().err
    assert exited.value.code in (0, 1), stderr
    assert "Traceback" not in stderr
    report = load_report(out / "report.json")
    statuses = {finding.check_id: finding.status.value for finding in report.findings}
    for number in range(1, 6):
        assert statuses[f"EVIL-AUTH-{number:03}"] == "ERROR", number
    assert statuses["AAA-AUTH-001"] == "PASS"
    idle = next(finding for finding in report.findings if finding.check_id == "CRM-AUTH-004")
    assert idle.details["actual"] == 10, "a plugin's mutation must not reach other checks"
    load_snapshot(out / "evidence.json")  # hashes still match the saved values
    plugin_errors = [error for error in report.errors if "exits_on_import" in error or "syntax_error" in error]
    assert len(plugin_errors) == 2
    assert any(f.check_id.startswith("plugin:") and "exits_on_import" in f.resource for f in report.findings)


def test_a_hung_check_does_not_hang_the_process(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    body = """
        import threading

        @check(**meta("EVIL-AUTH-009"))
        def hangs(evidence):
            threading.Event().wait()  # forever
    """
    (pack / "hangs.py").write_text(textwrap.dedent(HEADER) + textwrap.dedent(body))
    evidence = tmp_path / "evidence.json"
    save_snapshot(snapshot_from_values({"auth.session_settings": {"idle_timeout_minutes": 10}}), evidence)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "from crmsec.cli import main; main()",
        "evaluate",
        str(evidence),
        "--checks-dir",
        str(pack),
        "--check-timeout",
        "1",
        "--out",
        str(out),
        "--format",
        "md",
        "-q",
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode in (0, 1), finished.stderr
    report = load_report(out / "report.json")
    [hung] = [f for f in report.findings if f.check_id == "EVIL-AUTH-009"]
    assert (hung.status.value, hung.reason.value if hung.reason else None) == ("ERROR", "check_timeout")
