"""The fleet examples, the container recipe and the composite action: they parse, and they use the same
shard and merge commands the CLI offers (the container is not built here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crmsec.fleet.plan import load_plan
from crmsec.fleet.shard import parse_shard

ROOT = Path(__file__).parent.parent.parent
FLEET = ROOT / "examples" / "fleet"


def load_all(path: Path) -> list[Any]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document is not None]


def test_every_example_yaml_parses() -> None:
    paths = [*FLEET.rglob("*.yaml"), *FLEET.rglob("*.yml"), ROOT / "action.yml"]
    assert len(paths) >= 5
    for path in paths:
        assert load_all(path), path


def test_the_example_targets_file_is_a_valid_plan() -> None:
    plan = load_plan(FLEET / "targets.yaml")
    assert len(plan.targets) >= 3
    assert {target.platform for target in plan.targets} >= {"salesforce", "bottlecrm"}


def _indexed_job() -> dict[str, Any]:
    documents = load_all(FLEET / "kubernetes" / "fleet-scan-job.yaml")
    [job] = [document for document in documents if document["kind"] == "Job"]
    assert isinstance(job, dict)
    return job


def test_the_kubernetes_job_maps_the_completion_index_to_the_shard() -> None:
    job = _indexed_job()
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    [container] = spec["template"]["spec"]["containers"]
    arguments = container["args"]
    assert arguments[:3] == ["scan", "--targets", "/config/targets.yaml"]
    shard = arguments[arguments.index("--shard") + 1]
    assert shard == f"$(JOB_COMPLETION_INDEX)/{spec['completions']}"
    assert (
        parse_shard(shard.replace("$(JOB_COMPLETION_INDEX)", str(spec["completions"] - 1))).count == spec["completions"]
    )
    out = arguments[arguments.index("--out") + 1]
    merge = load_all(FLEET / "kubernetes" / "merge-job.yaml")[0]
    [merger] = merge["spec"]["template"]["spec"]["containers"]
    assert merger["args"][0] == "merge"
    folders = [argument for argument in merger["args"][1:] if argument.startswith("/reports/")][: spec["completions"]]
    assert folders == [out.replace("$(JOB_COMPLETION_INDEX)", str(index)) for index in range(spec["completions"])]
    for document in (job, merge):
        pod = document["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert all(c["securityContext"]["allowPrivilegeEscalation"] is False for c in pod["containers"])


def test_the_github_matrix_shards_and_merges_with_the_same_commands() -> None:
    [workflow] = load_all(FLEET / "github-actions" / "fleet-scan.yml")
    jobs = workflow["jobs"]
    shards = jobs["scan"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(int(workflow["env"]["SHARDS"])))
    scan = " ".join(step.get("run", "") for step in jobs["scan"]["steps"])
    assert 'crmsec scan --targets "$TARGETS" --shard "$SHARD/$SHARDS"' in scan
    merge = " ".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert "crmsec merge shards/fleet-shard-*" in merge and "--targets" in merge
    assert jobs["merge"]["if"] == "always()"
    assert workflow["permissions"] == {"contents": "read"}


def _run_scripts(document: Any) -> list[str]:
    steps = document["runs"]["steps"] if "runs" in document else []
    for job in document.get("jobs", {}).values():
        steps = [*steps, *job["steps"]]
    return [step["run"] for step in steps if "run" in step]


@pytest.mark.parametrize("path", [ROOT / "action.yml", FLEET / "github-actions" / "fleet-scan.yml"])
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    """`${{ inputs.x }}` or `${{ secrets.x }}` inside `run:` is script injection; they go through `env:`."""
    for script in _run_scripts(load_all(path)[0]):
        assert "${{" not in script, script


def test_the_composite_action_uploads_sarif_and_keeps_the_token_off_argv() -> None:
    [action] = load_all(ROOT / "action.yml")
    assert action["runs"]["using"] == "composite"
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)
    [scan] = [step for step in action["runs"]["steps"] if step.get("id") == "scan"]
    assert scan["env"]["CRMSEC_TOKEN"] == "${{ inputs.token }}"
    assert "CRMSEC_TOKEN" not in scan["run"] and "token" not in scan["run"].lower()


def test_the_dockerfile_is_multi_stage_non_root_without_compilers() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    stages = re.split(r"(?m)^FROM ", text)[1:]
    assert len(stages) >= 2
    final = stages[-1]
    assert re.search(r"(?m)^USER (?!0\b|root\b)\S+", final)
    assert not re.search(r"(?i)\b(gcc|g\+\+|build-essential|clang|make)\b", final)
    assert "COPY --from=build" in final
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ignored[ignored.index("*") + 1 :] and "!crmsec/" in ignored and ".git" not in ignored
