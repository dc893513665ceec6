"""Check packs are code we do not control: a hostile or broken one yields ERROR findings, never a crashed scan."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evidence import save_snapshot
from crmsec.report.model import load_report
from crmsec.testing import snapshot_from_values

HEADER = """
import sys
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check

def meta(number):
    return dict(id=f"EVIL-AUTH-{number:03}", title="A hostile check", dimension=Dimension.AUTHENTICATION,
                severity=Severity.LOW, requires=("auth.session_settings",), rationale="Testing hostile packs.",
                remediation="Remove the pack.", frameworks={"soc2": ("CC6.1",)})
"""

HOSTILE = {
    "exits.py": "@check(**meta(1))\ndef exits(evidence):\n    sys.exit(0)\n",
    "raises_base.py": "@check(**meta(2))\ndef raises(evidence):\n    raise RecursionError('deep')\n",
    "wrong_type.py": "@check(**meta(3))\ndef wrong(evidence):\n    return 'PASS'\n",
    "generator.py": "@check(**meta(4))\ndef gen(evidence):\n    yield Finding(Status.PASS, 'a', 'ok')\n    raise ValueError('halfway')\n",
    "forged_status.py": "@check(**meta(5))\ndef forged(evidence):\n    return [Finding(Status.WAIVED, 'a', 'waived myself')]\n",
}


def write_pack(folder: Path) -> None:
    for name, body in HOSTILE.items():
        (folder / name).write_text(textwrap.dedent(HEADER) + "\n" + body)
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
    plugin_errors = [error for error in report.errors if "exits_on_import" in error or "syntax_error" in error]
    assert len(plugin_errors) == 2
    assert any(
        finding.check_id.startswith("plugin:") and "exits_on_import" in finding.resource for finding in report.findings
    )
