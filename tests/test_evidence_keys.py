"""The evidence key catalogue: every check's keys are catalogued, and a wrong shape fails closed as ERROR."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from crmsec import evidence_keys
from crmsec.canonical import digest
from crmsec.connectors.base import Recorder
from crmsec.errors import Reason
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, load_snapshot, save_snapshot, shape_problem
from crmsec.registry import load_catalogue
from crmsec.target import Target
from crmsec.testing import contract_problems, run_check, snapshot_from_values
from crmsec.vocabulary import Dimension, Status


def test_every_schema_is_a_valid_json_schema_with_an_owner() -> None:
    for key in evidence_keys.CATALOGUE.values():
        jsonschema.Draft202012Validator.check_schema(key.schema)
        assert isinstance(key.owner, Dimension)
        assert key.description


def test_every_key_a_builtin_check_reads_is_catalogued() -> None:
    catalogue = load_catalogue(plugins=False)
    missing = {
        (spec.id, key)
        for spec in catalogue.checks.values()
        for key in (*spec.requires, *spec.optional)
        if not key.startswith("raw.") and key not in evidence_keys.CATALOGUE
    }
    assert missing == set()


def test_a_wrong_shape_names_the_key_and_the_json_path() -> None:
    value = [{"name": "Setup", "fields": "Email"}]
    assert shape_problem("schema.objects", value) == "schema.objects/0/fields: 'Email' is not of type 'array'"
    assert shape_problem("schema.objects", [{"name": "Setup", "fields": []}]) is None
    assert shape_problem("raw.example.thing", "anything") is None


def test_a_wrong_shape_makes_the_check_error_not_pass() -> None:
    apps = [{"name": "Legacy", "ip_relaxed": "BYPASS", "admin_approved_only": True}]
    snapshot = snapshot_from_values({"integrations.connected_apps": apps})
    item = snapshot.items["integrations.connected_apps"]
    assert item.error is not None and item.error.reason is Reason.EVIDENCE_UNUSABLE
    [finding] = run_check("CRM-INT-004", snapshot)
    assert finding.status is Status.ERROR
    assert "integrations.connected_apps/0/ip_relaxed" in finding.message


def test_a_loaded_file_with_a_wrong_shape_gives_an_error_item(tmp_path: Path) -> None:
    good = snapshot_from_values({"auth.mfa": {"enforced_for_all": True}})
    path = tmp_path / "evidence.json"
    save_snapshot(good, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["items"]["auth.mfa"] = {**document["items"]["auth.mfa"], "value": {"enforced_for_all": "yes"}}
    document["items"]["auth.mfa"]["sha256"] = digest({"enforced_for_all": "yes"})
    path.write_text(json.dumps(document), encoding="utf-8")
    item = load_snapshot(path).items["auth.mfa"]
    assert item.error is not None and item.error.reason is Reason.EVIDENCE_UNUSABLE
    assert "auth.mfa/enforced_for_all" in item.error.message
    assert load_snapshot(path).items.keys() == good.items.keys()


def test_a_connector_recording_a_wrong_shape_gets_an_error_item() -> None:
    recorder = Recorder(clock=lambda: "2026-01-01T00:00:00Z")
    recorder.add("tls.scan", {"protocols": ["tls_1_2"]}, source="scan")
    recorder.add("raw.example.thing", ["kept as is"], source="GET /x")
    snapshot = recorder.build(
        Target(platform="web", url="https://crm.example.test"), connector="x", connector_version="0"
    )
    scan = snapshot.items["tls.scan"]
    assert scan.error is not None and "tls.scan/protocols" in scan.error.message
    assert snapshot.items["raw.example.thing"].value == ["kept as is"]


@pytest.mark.parametrize("key", sorted(evidence_keys.CATALOGUE))
def test_a_bare_string_never_matches_a_catalogued_key(key: str) -> None:
    assert shape_problem(key, "not a value") is not None


class _Declared:
    produces = ("auth.mfa", "auth.sso")
    unsupported = ("backup.status",)


def test_the_connector_contract_names_every_breach() -> None:
    snapshot = snapshot_from_values(
        {
            "auth.mfa": {"enforced_for_all": "yes"},
            "backup.status": {"configured": True},
            "org.info": {"name": "Acme"},
        }
    )
    assert contract_problems(_Declared(), snapshot) == [
        "org.info: recorded but not declared",
        "auth.sso: declared but not recorded",
        "auth.mfa: no value (evidence_unusable: value does not have the catalogued shape (docs/evidence-keys.md)"
        " at auth.mfa/enforced_for_all: 'yes' is not of type 'boolean', 'null')",
        "backup.status: declared unsupported but not recorded as not_supported",
    ]


def test_the_key_docs_are_current() -> None:
    from crmsec import keydocs  # imports every built-in connector

    page = Path(__file__).parents[1] / "docs" / "evidence-keys.md"
    assert page.read_text(encoding="utf-8") == keydocs.render(), "docs/evidence-keys.md is stale: run make docs"


def test_every_snapshot_however_built_holds_only_catalogued_shapes() -> None:
    base = snapshot_from_values({"org.info": {"name": "Acme"}})
    wrong = EvidenceItem.of_value("access.org_defaults", ["Account"], source="api caller", collected_at="x")
    for snapshot in (
        EvidenceSnapshot(base.metadata, {"access.org_defaults": wrong}),
        base.with_items({"access.org_defaults": wrong}),
    ):
        [item] = [item for item in snapshot.items.values() if item.source == "api caller"]
        assert item.error is not None and item.error.reason is Reason.EVIDENCE_UNUSABLE
        assert "access.org_defaults/: ['Account'] is not of type 'object'" in item.error.message


@pytest.mark.parametrize(
    ("check_id", "field"),
    [
        ("CRM-CFG-001", "debug_mode"),
        ("CRM-CFG-002", "secret_key_weak"),
        ("CRM-CFG-003", "cors_allow_all_origins"),
        ("CRM-CFG-004", "allowed_hosts_wildcard"),
        ("CRM-CFG-005", "admin_interface_exposed"),
    ],
)
def test_a_flag_of_the_wrong_type_is_an_error_without_the_checks_own_guard(check_id: str, field: str) -> None:
    """The platform.config checks no longer re-check their flag's type: the catalogue does, before them."""
    [finding] = run_check(check_id, snapshot_from_values({"platform.config": {field: "yes"}}))
    assert finding.status is Status.ERROR
    assert f"platform.config/{field}: 'yes' is not of type 'boolean', 'null'" in finding.message


def test_a_scope_that_is_not_text_is_an_error_without_the_checks_own_guard() -> None:
    apps = [{"name": "Sync", "scopes": ["api", 7]}]
    [finding] = run_check("CRM-INT-001", snapshot_from_values({"integrations.connected_apps": apps}))
    assert finding.status is Status.ERROR
    assert "integrations.connected_apps/0/scopes/1: 7 is not of type 'string'" in finding.message
