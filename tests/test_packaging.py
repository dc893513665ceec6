"""The wheel works outside the checkout: built-ins, profiles and schemas ship as package data.

Builds the wheel, installs it with the example check pack into a fresh venv in a temporary folder,
and runs the CLI from there (cwd outside the checkout, so nothing can fall back to the source tree).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=900, env=environment, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)],
        cwd=work,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (work / "dist").glob("crmsec-*.whl")
    environment = work / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    installed = run(
        # the demo below needs the lab extra (Faker); a real-org scan does not
        [str(python), "-m", "pip", "install", "--quiet", f"{wheel}[lab]", str(ROOT / "examples" / "acme-crm-checks")],
        cwd=work,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    return environment


def test_wheel_contents_are_namespaced(installed: Path) -> None:
    site = next((installed / "lib").glob("python3*/site-packages"))
    assert (site / "crmsec" / "builtin" / "checks").is_dir()
    assert (site / "crmsec" / "builtin" / "profiles" / "baseline.yaml").is_file()
    assert (site / "crmsec" / "schemas" / "report.schema.json").is_file()
    assert not (site / "checks").exists() and not (site / "profiles").exists()


def test_cli_runs_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    crmsec = str(installed / "bin" / "crmsec")
    listed = run([crmsec, "checks", "list", "--format", "json"], cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ids = {check["id"] for check in json.loads(listed.stdout)}
    assert "CRM-AUTH-004" in ids
    assert {"ACME-AUTH-001", "ACME-AC-001"} <= ids
    profiles = run([crmsec, "profiles", "list"], cwd=tmp_path)
    assert profiles.returncode == 0 and "baseline" in profiles.stdout and "dengbao-l3" in profiles.stdout


def test_installed_plugin_checks_run(installed: Path, tmp_path: Path) -> None:
    python = str(installed / "bin" / "python")
    script = (
        "from crmsec.testing import snapshot_from_values, run_check\n"
        "from crmsec.registry import load_catalogue\n"
        "s = snapshot_from_values({'auth.password_policy': {'min_length': 12}})\n"
        "[f] = run_check('ACME-AUTH-001', s, catalogue=load_catalogue())\n"
        "print(f.status)\n"
    )
    result = run([python, "-c", script], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "FAIL"


def test_connector_plugin_is_discovered(installed: Path, tmp_path: Path) -> None:
    crmsec = str(installed / "bin" / "crmsec")
    export = ROOT / "examples" / "acme-crm-checks" / "example-export.json"
    result = run(
        [
            crmsec,
            "scan",
            "--platform",
            "acme-export",
            "--url",
            "https://crm.acme.test",
            "--option",
            f"export={export}",
            "--out",
            str(tmp_path / "out"),
            "--format",
            "md",
            "--output-format",
            "json",
            "-q",
        ],
        cwd=tmp_path,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    statuses = {f["check_id"]: f["status"] for f in report["findings"]}
    assert statuses["ACME-AUTH-001"] == "FAIL"  # min_length 10 < 16
    assert statuses["ACME-AC-001"] == "PASS"  # svc- prefix
    assert report["target"]["platform"] == "acme-export"


def test_demo_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The lab, the templates, the schemas and the demo evaluation inputs all ship in the wheel."""
    crmsec = str(installed / "bin" / "crmsec")
    result = run([crmsec, "demo", "--out", "demo", "--users", "40", "-q"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = tmp_path / "demo"
    for name in ("report.json", "evidence.json", "report.html", "report.md", "report.sarif", "report.dsse.json"):
        assert (out / name).is_file(), name
    assert not list(out.glob("*signing-key*"))  # the private key never travels with the bundle
    report = json.loads((out / "report.json").read_text())
    assert set(report["scores"]["dimensions"]) >= {"usability", "satisfaction", "business_value", "tls"}
    verified = run(
        [
            crmsec,
            "verify",
            str(out / "report.dsse.json"),
            "--key",
            str(tmp_path / "demo-keys" / "demo-signing-key.pub"),
            "--report",
            str(out / "report.json"),
            "--evidence",
            str(out / "evidence.json"),
        ],
        cwd=tmp_path,
    )
    assert verified.returncode == 0, verified.stderr
