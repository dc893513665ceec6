"""The lab is an extra: without Faker a real org can still be scanned, and the lab commands say what to install."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crmsec.evidence import save_snapshot
from crmsec.testing import snapshot_from_values

ROOT = Path(__file__).parent.parent.parent
# Importing faker raises ImportError in the child (a None entry in sys.modules blocks the import).
NO_FAKER = "import sys\nsys.modules['faker'] = None\nfrom crmsec.cli import main\nmain(sys.argv[1:])\n"
MESSAGE = "the lab needs the extra: pip install 'crmsec[lab]'"


def crmsec_without_faker(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", NO_FAKER, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_faker_is_an_extra_not_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [requirement for requirement in project["dependencies"] if requirement.lower().startswith("faker")]
    assert any(requirement.startswith("faker") for requirement in project["optional-dependencies"]["lab"])


def test_the_cli_lists_checks_and_evaluates_without_faker(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence.json"
    save_snapshot(snapshot_from_values({"auth.password_policy": {"min_length": 8}}), evidence)
    listed = crmsec_without_faker("checks", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "CRM-" in listed.stdout
    evaluated = crmsec_without_faker("evaluate", str(evidence), "--out", "out", "--format", "md", "-q", cwd=tmp_path)
    assert evaluated.returncode in (0, 1), evaluated.stderr
    assert (tmp_path / "out" / "report.json").is_file()
    assert "faker" not in evaluated.stderr.lower()


@pytest.mark.parametrize(
    "command",
    [("lab", "serve"), ("demo", "--out", "demo"), ("fleet", "lab", "--out", "fleet", "--orgs", "2")],
    ids=["lab serve", "demo", "fleet lab"],
)
def test_lab_commands_without_faker_name_the_extra(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = crmsec_without_faker(*command, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0] == f"crmsec: error: {MESSAGE}"
    assert "Traceback" not in result.stderr
