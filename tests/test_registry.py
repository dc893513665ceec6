from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from crmsec import registry, resources
from crmsec.engine import check_snapshot
from crmsec.errors import PluginConflictError, PluginError
from crmsec.plugin import Status
from crmsec.profiles import load_profile
from crmsec.registry import ENTRY_POINT_GROUP, load_catalogue, pack_digest
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


# -- the pack sha256: every file of the pack, so the report names the code that ran ------------------


def _folder_pack_sha256(folder: Path) -> str:
    catalogue = load_catalogue(plugins=False, directories=[folder])
    return next(pack.sha256 for pack in catalogue.packs if pack.origin == "directory")


def test_a_changed_underscore_helper_changes_the_pack_sha256(tmp_path: Path) -> None:
    write(tmp_path, "example.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    write(tmp_path, "_helper.py", "LIMIT = 10\n")
    before = _folder_pack_sha256(tmp_path)
    write(tmp_path, "_helper.py", "LIMIT = 11\n")
    assert _folder_pack_sha256(tmp_path) != before


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "data" / "limits.json").write_text('{"limit": 11}\n'),
        lambda folder: (folder / "data" / "limits.json").rename(folder / "data" / "other.json"),
        lambda folder: (folder / "data" / "extra.txt").write_text(""),
    ],
    ids=["data-edited", "data-renamed", "file-added"],
)
def test_data_files_count_and_paths_matter(tmp_path: Path, change: Callable[[Path], object]) -> None:
    write(tmp_path, "example.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    (tmp_path / "data").mkdir()
    write(tmp_path / "data", "limits.json", '{"limit": 10}\n')
    before = _folder_pack_sha256(tmp_path)
    change(tmp_path)
    assert _folder_pack_sha256(tmp_path) != before


def test_bytecode_caches_do_not_change_the_pack_sha256(tmp_path: Path) -> None:
    write(tmp_path, "example.py", GOOD_CHECK.format(id="ACME-BAK-001"))
    before = pack_digest([tmp_path])
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "example.cpython-311.pyc").write_bytes(b"\x00cache")
    (tmp_path / "stray.pyc").write_bytes(b"\x00cache")
    assert pack_digest([tmp_path]) == before


def test_the_digest_is_path_aware_and_ignores_where_the_pack_lives(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / name / "sub").mkdir(parents=True)
        write(tmp_path / name / "sub", "a.py", "A = 1\n")
    assert pack_digest([tmp_path / "one"]) == pack_digest([tmp_path / "two"])
    (tmp_path / "two" / "sub" / "a.py").rename(tmp_path / "two" / "a.py")
    assert pack_digest([tmp_path / "one"]) != pack_digest([tmp_path / "two"])


@pytest.fixture
def entry_point_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A package `crmsec_test_ep_pack` on sys.path, announced as a `crmsec.checks` entry point."""
    package = tmp_path / "site" / "crmsec_test_ep_pack"
    package.mkdir(parents=True)
    write(package, "__init__.py", "from crmsec_test_ep_pack import checks\n")
    write(package, "checks.py", GOOD_CHECK.format(id="ACME-BAK-007"))
    write(package, "_helper.py", "LIMIT = 10\n")
    write(package, "rules.yaml", "limit: 10\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    entry = EntryPoint(name="acme-test", value="crmsec_test_ep_pack", group=ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [entry] if group == ENTRY_POINT_GROUP else [])
    yield package
    for name in [name for name in sys.modules if name.startswith("crmsec_test_ep_pack")]:
        del sys.modules[name]


def _entry_point_pack_sha256() -> str:
    catalogue = load_catalogue(plugins=True)
    assert catalogue.problems == []
    [pack] = [pack for pack in catalogue.packs if pack.origin == "entry_point"]
    assert pack.checks == ("ACME-BAK-007",)
    return pack.sha256


@pytest.mark.parametrize("name", ["_helper.py", "rules.yaml"])
def test_entry_point_packs_hash_every_file_too(entry_point_pack: Path, name: str) -> None:
    before = _entry_point_pack_sha256()
    assert before == pack_digest([entry_point_pack])
    (entry_point_pack / name).write_text("changed = 11\n")
    assert _entry_point_pack_sha256() != before


def test_the_pack_sha256_is_recorded_in_the_report(entry_point_pack: Path, tmp_path: Path) -> None:
    folder = tmp_path / "folder-pack"
    folder.mkdir()
    write(folder, "_helper.py", "LIMIT = 10\n")
    catalogue = load_catalogue(plugins=True, directories=[folder])
    report = check_snapshot(snapshot_from_values({}), load_profile("baseline"), catalogue)
    recorded = {str(pack["origin"]): pack["sha256"] for pack in report.plugins}
    assert recorded["entry_point"] == pack_digest([entry_point_pack])
    assert recorded["directory"] == pack_digest([folder])
    assert recorded["builtin"] == pack_digest([resources.builtin("checks")])


def test_no_plugins_skips_entry_point_packs(entry_point_pack: Path) -> None:
    catalogue = load_catalogue(plugins=False)
    assert [pack.origin for pack in catalogue.packs] == ["builtin"]
    assert "ACME-BAK-007" not in catalogue.checks
