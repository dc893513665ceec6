"""Input files: parsing, validation errors naming file and line or field, missing and empty inputs."""

from pathlib import Path

import pytest

from crmsec.errors import InputError, Reason
from crmsec.evaluation import load_inputs, prepare
from crmsec.evaluation.incidents import load_incidents
from crmsec.evaluation.survey import load_survey
from crmsec.evaluation.yaml_inputs import load_costs, load_kpis, load_requirements
from crmsec.testing import snapshot_from_values

HEADER = "respondent_id,role," + ",".join(f"sus_{n}" for n in range(1, 11)) + ",csat,nps,comment\n"
STAMP = "2026-01-01T00:00:00Z"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_survey_rows_are_skipped_and_reported_with_line_numbers(tmp_path: Path) -> None:
    text = ("# comment line\n" + HEADER + "R1,rep,5,1,5,1,5,1,5,1,5,1,5,10,\n" + "R2,rep,5,1,5,1,5,1,5,1,5,1,6,10,\n"
            + "R3,rep,5,1,,1,5,1,5,1,5,1,4,9,\n" + "R4,rep,,,,,,,,,,,x,9,\n" + "R1,rep,,,,,,,,,,,4,9,\n")  # fmt: skip
    value = load_survey(write(tmp_path, "survey.csv", text))
    assert value is not None
    assert [person["id"] for person in value["respondents"]] == ["R1"]
    assert value["rejected"] == [
        {"line": 4, "reason": "csat: 6 is outside 1-5"},
        {"line": 5, "reason": "sus_3 is empty while other SUS items are answered"},
        {"line": 6, "reason": "csat: 'x' is not a whole number"},
        {"line": 7, "reason": "respondent_id R1 repeats line 3"},
    ]
    assert value["rejected_count"] == 4


def test_survey_without_required_column_or_usable_rows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"survey.csv:1: missing column\(s\) respondent_id"):
        load_survey(write(tmp_path, "survey.csv", "role,csat\nrep,4\n"))
    with pytest.raises(InputError, match=r"survey.csv: no usable row .line 2: nps: 11 is outside 0-10"):
        load_survey(write(tmp_path, "survey.csv", "respondent_id,nps\nR1,11\n"))
    with pytest.raises(InputError, match=r"survey.csv:3: 3 cells but the header has 2 columns"):
        load_survey(write(tmp_path, "survey.csv", "respondent_id,nps\nR1,1\nR2,1,2\n"))


def test_survey_comments_are_masked(tmp_path: Path) -> None:
    text = 'respondent_id,comment\nR1,"Call me at jane.doe@example.com, it is slow"\n'
    value = load_survey(write(tmp_path, "survey.csv", text))
    assert value is not None
    comment = value["respondents"][0]["comment"]
    assert "jane.doe@example.com" not in comment and "slow" in comment


def test_incident_errors_name_file_and_line(tmp_path: Path) -> None:
    head = "# observed_from: 2025-01-01\n# observed_to: 2025-03-31\nid,start,end,severity\n"
    with pytest.raises(InputError, match=r"incidents.csv:4: severity 'huge'"):
        load_incidents(write(tmp_path, "incidents.csv", head + "A,2025-01-02T00:00:00Z,,huge\n"))
    with pytest.raises(InputError, match=r"incidents.csv:4: end is before start"):
        load_incidents(write(tmp_path, "incidents.csv", head + "A,2025-01-02,2025-01-01,low\n"))
    with pytest.raises(InputError, match=r"incidents.csv:4: start: 'yesterday'"):
        load_incidents(write(tmp_path, "incidents.csv", head + "A,yesterday,,low\n"))
    with pytest.raises(InputError, match=r"observed_from"):
        load_incidents(write(tmp_path, "incidents.csv", "id,start,end,severity\nA,2025-01-02,,low\n"))


def test_yaml_errors_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"kpis.yaml: /kpis/conversion_rate/after: 'high' is not of type 'number'"):
        load_kpis(write(tmp_path, "kpis.yaml", "kpis:\n  conversion_rate: {before: 1, after: high}\n"))
    with pytest.raises(InputError, match=r"kpis.yaml: /kpis/churn/direction: required"):
        load_kpis(write(tmp_path, "kpis.yaml", "kpis:\n  churn: {before: 1, after: 2}\n"))
    with pytest.raises(InputError, match=r"costs.yaml: /benefits_per_year: 2 entries, but horizon_years is 3"):
        load_costs(write(tmp_path, "costs.yaml", "horizon_years: 3\ninitial: {}\noperating_per_year: {}\n"
                                                 "benefits_per_year: [1, 2]\n"))  # fmt: skip
    with pytest.raises(InputError, match=r"costs.yaml: /horizon_years"):
        load_costs(write(tmp_path, "costs.yaml", "horizon_years: three\ninitial: {}\noperating_per_year: {}\n"
                                                 "benefits_per_year: 1\n"))  # fmt: skip
    with pytest.raises(InputError, match=r"requirements.yaml: /requirements/1/id: 'R1' is used twice"):
        load_requirements(write(tmp_path, "requirements.yaml", "requirements:\n"
                                "  - {id: R1, title: a, priority: must, detect: {manual: met}}\n"
                                "  - {id: R1, title: b, priority: could, detect: {manual: met}}\n"))  # fmt: skip
    with pytest.raises(InputError, match=r"requirements.yaml:3: invalid YAML"):
        load_requirements(write(tmp_path, "requirements.yaml", "requirements:\n  - {id: [\n"))


def test_absent_and_empty_inputs_become_not_supported(tmp_path: Path) -> None:
    write(tmp_path, "kpis.yaml", "kpis: {}\n")
    items = load_inputs(tmp_path, collected_at=STAMP)
    assert {key: item.error.reason for key, item in items.items() if item.error} == {
        key: Reason.NOT_SUPPORTED for key in items
    }
    assert "no data" in items["inputs.kpis"].error.message
    assert "not found" in items["inputs.survey"].error.message
    assert "--inputs" in load_inputs(None, collected_at=STAMP)["inputs.costs"].error.message


def test_prepare_keeps_earlier_inputs_without_the_flag(tmp_path: Path) -> None:
    write(tmp_path, "kpis.yaml", "kpis:\n  conversion_rate: {before: 10, after: 12}\n")
    first, metrics, _ = prepare(snapshot_from_values({}), tmp_path)
    again, metrics_again, extras = prepare(first, None)
    assert again.items["inputs.kpis"].sha256 == first.items["inputs.kpis"].sha256
    assert metrics == metrics_again and metrics["kpi.conversion_rate.change"]["value"] == 20.0
    assert again.items["metrics.computed"].value == metrics
    assert extras == {"survey_themes": None}


def test_metrics_of_malformed_connector_evidence_are_left_out() -> None:
    # The evidence key catalogue turns the misshapen value into an error before metrics see it.
    snapshot, metrics, _ = prepare(
        snapshot_from_values({"stability.api": {"requests": "many", "latency_ms": []}}), None
    )
    error = snapshot.items["stability.api"].error
    assert error is not None and error.reason is Reason.EVIDENCE_UNUSABLE
    assert "api_error_rate" not in metrics
    _, metrics, _ = prepare(snapshot_from_values({"usage.activity": {"object_adoption": ["x"]}}), None)
    assert "active_user_rate" not in metrics
