from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from crmsec.errors import PluginConflictError, PluginError
from crmsec.plugin import Status
from crmsec.registry import load_catalogue
from crmsec.testing import run_check, snapshot_from_values

EXAMPLES = Path(__file__).parent.parent / "examples"

GOOD_CHECK = """
from crmsec.plugin import Dimension, Evidence, Finding, Severity, Status, check

@check(id="{id}", title="Example check", dimension=Dimension.BACKUP, severity=Severity.LOW,
       requires=("backup.status",), rationale="Because backups matter.", remediation="Configure backups.",
       frameworks={{"soc2": ("A1.2",)}})
def example(evidence: Evidence) -> list[Finding]:
    return [Finding(Status.PASS, "organization", "ok")]
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_builtins_load_without_problems() -> None:
    catalogue = load_catalogue(plugins=False)
    assert "CRM-AUTH-004" in catalogue.checks
    assert catalogue.problems == []
    assert catalogue.packs[0].origin == "builtin"


def test_checks_dir_python_and_yaml(tmp_path: Path) -> None:
    write(tmp_path, "example.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    catalogue = load_catalogue(plugins=False, directories=[tmp_path, EXAMPLES / "checks-dir"])
    assert {"ACME-BAK-001", "ACME-AUTH-002"} <= set(catalogue.checks)
    yaml_pack = next(p for p in catalogue.packs if p.name == "checks-dir")
    assert len(yaml_pack.sha256) == 64


@pytest.mark.parametrize(("history", "status"), [(12, Status.PASS), (3, Status.WARN)])
def test_yaml_check_decides(history: int, status: Status) -> None:
    catalogue = load_catalogue(plugins=False, directories=[EXAMPLES / "checks-dir"])
    snapshot = snapshot_from_values({"auth.password_policy": {"history_count": history}})
    [finding] = run_check("ACME-AUTH-002", snapshot, catalogue=catalogue)
    assert finding.status is status


def test_yaml_check_without_value_cannot_pass() -> None:
    catalogue = load_catalogue(plugins=False, directories=[EXAMPLES / "checks-dir"])
    snapshot = snapshot_from_values({"auth.password_policy": {"min_length": 8}})
    [finding] = run_check("ACME-AUTH-002", snapshot, catalogue=catalogue)
    assert finding.status is Status.ERROR


def test_duplicate_ids_are_a_conflict_naming_both(tmp_path: Path) -> None:
    write(tmp_path, "one.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    write(tmp_path, "two.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    with pytest.raises(PluginConflictError, match=r"one\.py.*two\.py"):
        load_catalogue(plugins=False, directories=[tmp_path])


def test_outside_packs_cannot_claim_the_crm_prefix(tmp_path: Path) -> None:
    write(tmp_path, "sneaky.py", GOOD_CHECK.format(id="CRM-BAK-999"))
    with pytest.raises(PluginError, match="reserved"):
        load_catalogue(plugins=False, directories=[tmp_path])


def test_invalid_metadata_names_the_field(tmp_path: Path) -> None:
    write(
        tmp_path,
        "bad.py",
        GOOD_CHECK.format(id="ACME-BAK-001").replace('frameworks={"soc2": ("A1.2",)}', "frameworks={}"),
    )
    with pytest.raises(PluginError, match="frameworks"):
        load_catalogue(plugins=False, directories=[tmp_path])


def test_a_broken_file_becomes_a_problem_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path, "broken.py", "import nonexistent_module_xyz\n")
    write(tmp_path, "fine.py", GOOD_CHECK.format(id="ACME-BAK-002"))
    catalogue = load_catalogue(plugins=False, directories=[tmp_path])
    assert "ACME-BAK-002" in catalogue.checks
    [problem] = catalogue.problems
    assert "broken.py" in problem.pack and "ModuleNotFoundError" in problem.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: X\n", "required property"),
        ("a: &x 1\nb: *x\n", "aliases"),
        ("id: [unclosed\n", "invalid YAML"),
    ],
)
def test_bad_yaml_checks(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "bad.yaml", text)
    with pytest.raises(PluginError, match=message):
        load_catalogue(plugins=False, directories=[tmp_path])
