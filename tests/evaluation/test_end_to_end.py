"""The evaluation set through `crmsec evaluate`, the demo copy, `crmsec init`, recommendations, fixtures."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.evaluation import INPUT_FILES, prepare
from crmsec.evaluation.metrics import compute
from crmsec.evaluation.recommend import recommendations
from crmsec.evidence import save_snapshot
from crmsec.plugin import SECURITY_DIMENSIONS, Dimension
from crmsec.report.model import load_report
from crmsec.testing import snapshot_from_values

ROOT = Path(__file__).parent.parent.parent
EXAMPLES = ROOT / "examples" / "evaluation"
DEMO = ROOT / "crmsec" / "evaluation" / "demo_inputs"
CONNECTOR_VALUES = {
    "data.quality": [{"object": "Contact", "sampled": 200, "key_fields": ["Email"], "completeness": {"Email": 0.9},
                      "invalid_email": 3, "invalid_phone": None, "duplicates": 14, "inconsistent": 2, "stale": 30,
                      "stale_months": 24}],
    "usage.activity": {"licensed_users": 100, "active_users_30d": 64, "logins_last_30d": 700,
                       "object_adoption": {"Account": 40, "Contact": 90, "Opportunity": 0, "Case": 12}},
    "stability.api": {"requests": 300, "errors": 2, "latency_ms": {"p50": 90.0, "p95": 1200.0, "max": 3000.0}},
    "schema.objects": [{"name": "Account", "record_count": 40, "fields": []},
                       {"name": "Contact", "record_count": 90, "fields": [{"name": "Email"}]}],
}  # fmt: skip
EVALUATION = {Dimension(name) for name in Dimension} - SECURITY_DIMENSIONS


def run(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return int(exit_info.value.code or 0)


def test_evaluate_scores_every_evaluation_dimension(tmp_path: Path) -> None:
    save_snapshot(snapshot_from_values(CONNECTOR_VALUES), tmp_path / "evidence.json")
    out = tmp_path / "out"
    code = run(["evaluate", str(tmp_path / "evidence.json"), "--inputs", str(EXAMPLES), "--out", str(out),
                "--format", "md", "--quiet", "--no-plugins"])  # fmt: skip
    assert code in (0, 1)
    report = load_report(out / "report.json")
    scored = {d.dimension for d in report.scores.dimensions if d.score is not None}
    assert scored >= EVALUATION
    for metric in ("sus", "nps", "csat", "requirements_coverage", "data_completeness", "duplicate_rate",
                   "active_user_rate", "api_latency_p95_ms", "api_error_rate", "failure_rate", "mttr_hours", "roi",
                   "payback_months", "kpi.conversion_rate.change"):  # fmt: skip
        assert isinstance(report.metrics[metric]["value"], float | int), metric
    assert report.metrics["duplicate_rate"]["value"] == 7.0
    themes = json.loads((out / "report.json").read_text(encoding="utf-8"))["survey_themes"]
    assert 35 <= themes["complexity"]["share"] <= 45 and 25 <= themes["security"]["share"] <= 35
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))["items"]
    assert {"inputs.survey", "inputs.costs", "metrics.computed"} <= evidence.keys()
    ranked = recommendations(report)
    assert ranked and [item["points"] for item in ranked] == sorted((item["points"] for item in ranked), reverse=True)
    assert {"check_id", "title", "dimension", "remediation", "points"} <= ranked[0].keys()


def test_without_inputs_input_checks_are_not_applicable(tmp_path: Path) -> None:
    save_snapshot(snapshot_from_values(CONNECTOR_VALUES), tmp_path / "evidence.json")
    out = tmp_path / "out"
    run(["evaluate", str(tmp_path / "evidence.json"), "--out", str(out), "--format", "md", "--quiet", "--no-plugins"])
    report = load_report(out / "report.json")
    statuses = {f.check_id: f.status for f in report.findings}
    assert statuses["CRM-USE-001"] == "NOT_APPLICABLE" and statuses["CRM-BIZ-001"] == "NOT_APPLICABLE"
    assert statuses["CRM-DQ-002"] == "FAIL"  # 14 of 200 sampled are duplicates: 7% > 5%


def test_demo_copy_matches_the_examples_and_the_generator() -> None:
    for name, _ in INPUT_FILES.values():
        assert (DEMO / name).read_bytes() == (EXAMPLES / name).read_bytes(), name
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "generate.py"), "--check"], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_prepare_is_deterministic_apart_from_times() -> None:
    one = prepare(snapshot_from_values(CONNECTOR_VALUES), EXAMPLES)
    two = prepare(snapshot_from_values(CONNECTOR_VALUES), EXAMPLES)
    assert one[1] == two[1] and one[2] == two[2]
    assert {k: i.sha256 for k, i in one[0].items.items()} == {k: i.sha256 for k, i in two[0].items.items()}


def test_init_writes_templates_that_read_as_not_provided(tmp_path: Path) -> None:
    assert run(["init", "--out", str(tmp_path)]) == 0
    snapshot, metrics, extras = prepare(snapshot_from_values({}), tmp_path)
    assert metrics == {} and extras == {"survey_themes": None}
    assert all(snapshot.items[key].error is not None for key in INPUT_FILES)
    assert run(["init", "--out", str(tmp_path)]) == 2


FIXTURES = sorted(
    path
    for dimension in EVALUATION
    for case in ("pass", "fail")
    for path in (ROOT / "tests" / "checks" / str(dimension)).glob(f"*/{case}.json")
)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_check_fixtures_hold_the_metrics_their_sources_give(fixture: Path) -> None:
    values = json.loads(fixture.read_text(encoding="utf-8"))
    recorded = values.pop("metrics.computed")
    assert compute(values) == recorded
