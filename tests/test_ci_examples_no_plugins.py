"""CI and demo examples run built-in checks only (`--no-plugins`), as SECURITY.md advises: packs are trusted code."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[1]
FLEET = ROOT / "examples" / "fleet"


def test_the_composite_action_passes_no_plugins_unless_asked() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["plugins"]["default"] == "false"
    [scan] = [step for step in action["runs"]["steps"] if step.get("id") == "scan"]
    assert scan["env"]["INPUT_PLUGINS"] == "${{ inputs.plugins }}"
    assert 'if [ "$INPUT_PLUGINS" != "true" ]; then arguments+=(--no-plugins); fi' in scan["run"]


@pytest.mark.parametrize(
    "path",
    [FLEET / "github-actions" / "fleet-scan.yml", FLEET / "kubernetes" / "fleet-scan-job.yaml", ROOT / "Makefile"],
    ids=["github-fleet", "kubernetes-fleet", "make-demo"],
)
def test_fleet_and_demo_examples_pass_no_plugins(path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "crmsec scan" in line
             or "crmsec demo" in line or line.strip().startswith("- --")]  # fmt: skip
    assert any("--no-plugins" in line for line in lines), path


def test_the_readme_ci_example_and_the_pack_readme_name_real_files() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = readme[readme.index("### Gating a pipeline") :]
    assert "--no-plugins" in ci[: ci.index("\n### ")]
    pack = (ROOT / "examples" / "acme-crm-checks" / "README.md").read_text(encoding="utf-8")
    assert "examples/evidence/" not in pack
    assert "export=examples/acme-crm-checks/example-export.json" in pack
    assert (ROOT / "examples" / "acme-crm-checks" / "example-export.json").is_file()
