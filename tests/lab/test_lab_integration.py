"""The Salesforce connector against the lab over real loopback TLS, per scenario."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crmsec import engine
from crmsec.connectors.salesforce import SalesforceConnector
from crmsec.errors import Reason, TargetError
from crmsec.evidence import EvidenceSnapshot
from crmsec.lab import LabConfig, start_lab
from crmsec.target import Secret, Target
from crmsec.testing import contract_problems

pytestmark = pytest.mark.integration
SECURITY_DIMENSIONS = (
    "tls",
    "access_control",
    "authentication",
    "encryption",
    "backup",
    "pii",
    "audit_logging",
    "integrations",
    "platform_configuration",
)
DECIDED_DIMENSIONS = tuple(name for name in SECURITY_DIMENSIONS if name != "backup")
"""Salesforce shows no backup status through its API: without a facts file, backup checks are MANUAL."""


def _target(lab: Any, *, ca: bool = True, **options: str) -> Target:
    return Target(
        platform="salesforce",
        url=lab.url,
        secret=Secret(lab.token),
        ca_bundle=Path(lab.ca_bundle) if ca else None,
        options=options,
    )


async def _collect(config: LabConfig, **options: str) -> EvidenceSnapshot:
    with start_lab(config) as lab:
        return await engine.collect(_target(lab, **options))


@pytest.fixture(scope="module")
def snapshots() -> Iterator[dict[str, EvidenceSnapshot]]:
    import anyio

    result = {
        name: anyio.run(_collect, LabConfig(scenario=name, users=120, contacts=300))
        for name in ("hardened", "misconfigured", "mixed")
    }
    yield result


def _value(snapshot: EvidenceSnapshot, key: str) -> Any:
    item = snapshot.items[key]
    assert item.error is None, f"{key}: {item.error}"
    return item.value


def test_every_scenario_collects_every_key(snapshots: dict[str, EvidenceSnapshot]) -> None:
    for snapshot in snapshots.values():
        failed = {key: item.error.reason for key, item in snapshot.items.items() if item.error is not None}
        assert failed == {"platform.config": Reason.NOT_SUPPORTED, "integrations.api_keys": Reason.NOT_SUPPORTED}
        assert snapshot.metadata.api_calls > 0


def test_hardened_and_misconfigured_differ_where_they_should(snapshots: dict[str, EvidenceSnapshot]) -> None:
    hardened, bad = snapshots["hardened"], snapshots["misconfigured"]
    assert _value(hardened, "auth.mfa")["enforced_for_all"] is True
    assert _value(bad, "auth.mfa")["enforced_for_all"] is False
    assert _value(hardened, "auth.password_policy")["min_length"] == 14
    assert _value(bad, "auth.password_policy")["complexity"] == "NoRestriction"
    assert _value(bad, "auth.session_settings")["idle_timeout_minutes"] == 720
    assert _value(hardened, "encryption.platform")["enabled"] is True
    assert "Contact.National_ID__c" in _value(hardened, "encryption.platform")["encrypted_fields"]
    assert _value(bad, "encryption.platform")["enabled"] is False
    assert _value(bad, "audit.settings")["event_monitoring"]["enabled"] is False
    assert _value(hardened, "backup.status")["source"] == "unknown"  # no backup API: manual evidence
    bad_apps = _value(bad, "integrations.connected_apps")
    assert {app["kind"] for app in bad_apps} == {"connected_app", "external_client_app"}
    assert all(
        app["note"] is None and app["api_name"] for app in bad_apps + _value(hardened, "integrations.connected_apps")
    )
    # Metadata names come from listMetadata: a custom profile's URL-encoded full name is found, not guessed.
    admin_profiles = {p["name"]: p for p in _value(hardened, "identity.profiles") if p["is_admin"]}
    assert admin_profiles["Sales Ops: Admin"]["login_ip_ranges"] == [{"start": "10.20.0.0", "end": "10.20.255.255"}]
    assert all("Full" in app["scopes"] and app["refresh_token_policy"] == "infinite" for app in bad_apps)
    guest_rows = [row for row in _value(bad, "access.object_permissions") if row["user_type"] == "guest"]
    assert any(row["object"] == "Contact" and row["read"] for row in guest_rows)
    admins = [user for user in _value(bad, "identity.users") if user["is_admin"]]
    assert len(admins) > len([user for user in _value(hardened, "identity.users") if user["is_admin"]])


def test_samples_hold_counts_and_masked_examples_only(snapshots: dict[str, EvidenceSnapshot]) -> None:
    samples = _value(snapshots["misconfigured"], "data.samples")
    national = next(entry for entry in samples if entry["object"] == "Contact" and entry["field"] == "National_ID__c")
    assert national["detections"].get("cn_resident_id", 0) > 0 or national["detections"]
    text = str(snapshots["misconfigured"].to_json()["items"]["data.samples"])
    assert "@example.com" not in text  # emails are masked
    quality = {entry["object"]: entry for entry in _value(snapshots["misconfigured"], "data.quality")}
    assert quality["Contact"]["duplicates"] > 0 and quality["Contact"]["invalid_email"] > 0


@pytest.mark.anyio
async def test_without_the_ca_bundle_tls_verification_fails() -> None:
    with start_lab(LabConfig(users=10, contacts=10)) as lab, pytest.raises(TargetError) as caught:
        await engine.collect(_target(lab, ca=False))
    assert caught.value.reason is Reason.TLS_ERROR
    assert "TLS verification failed" in str(caught.value)


@pytest.mark.anyio
async def test_wrong_token_is_rejected_as_target_error() -> None:
    with start_lab(LabConfig(users=10, contacts=10)) as lab:
        target = Target(platform="salesforce", url=lab.url, secret=Secret("wrong"), ca_bundle=Path(lab.ca_bundle))
        with pytest.raises(TargetError) as caught:
            await engine.collect(target)
    assert caught.value.reason is Reason.AUTHENTICATION_FAILED


@pytest.mark.anyio
async def test_token_expiring_mid_collection_stops_the_scan() -> None:
    """A token that expires halfway must not yield a partial snapshot that misjudges the org (exit 3)."""
    with pytest.raises(TargetError) as stopped:
        await _collect(LabConfig(users=10, contacts=10, expire_after=6), concurrency="1")
    assert stopped.value.reason is Reason.AUTHENTICATION_FAILED
    assert "rejected the credentials during collection" in str(stopped.value)


@pytest.mark.anyio
async def test_faults_are_retried_and_collection_completes() -> None:
    config = LabConfig(users=30, contacts=50, seed=3)
    clean = await _collect(config)
    faulty = await _collect(replace(config, fault_rate=0.2))
    clean_api, faulty_api = clean.items["stability.api"].value, faulty.items["stability.api"].value
    assert faulty_api["requests"] > clean_api["requests"]  # retried attempts are sent and counted
    assert faulty.metadata.api_calls == faulty_api["requests"]
    assert faulty.items["identity.users"].error is None
    assert faulty.items["identity.users"].value == clean.items["identity.users"].value


def _report(snapshot: EvidenceSnapshot) -> Any:
    """Evaluate as `crmsec scan` does without --inputs: input files absent, metrics computed."""
    from crmsec import evaluation
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue

    prepared, metrics, extras = evaluation.prepare(snapshot, None)
    options = engine.EvaluationOptions(metrics=metrics, extras=extras)
    return engine.check_snapshot(prepared, load_profile("baseline"), load_catalogue(plugins=False), options)


def test_hardened_scores_at_least_90_overall_under_baseline(snapshots: dict[str, EvidenceSnapshot]) -> None:
    report = _report(snapshots["hardened"])
    scores = {str(d.dimension): d.score for d in report.scores.dimensions}
    failing = sorted((f.check_id, f.resource) for f in report.findings if f.status.value in ("FAIL", "ERROR"))
    assert report.scores.overall >= 90, (report.scores.overall, scores, failing)
    assert all(scores[name] is not None and scores[name] >= 90 for name in DECIDED_DIMENSIONS), scores


def test_backup_checks_are_manual_with_the_reason_on_every_scenario(snapshots: dict[str, EvidenceSnapshot]) -> None:
    for snapshot in snapshots.values():
        backup = [f for f in _report(snapshot).findings if f.check_id.startswith("CRM-BAK-")]
        assert len(backup) == 5 and all(f.status.value == "MANUAL" for f in backup), backup
        assert all(f.message.startswith("Salesforce exposes no backup status through its API") for f in backup)


def test_misconfigured_fails_in_every_security_dimension(snapshots: dict[str, EvidenceSnapshot]) -> None:
    report = _report(snapshots["misconfigured"])
    failing = {str(f.dimension) for f in report.findings if f.status.value == "FAIL"}
    assert set(DECIDED_DIMENSIONS) <= failing, set(DECIDED_DIMENSIONS) - failing
    health_check_fails = {
        f.check_id for f in report.findings if f.status.value == "FAIL" and f.check_id.startswith("CRM-CFG-1")
    }
    assert health_check_fails, "platform_configuration should fail through the Health Check import (CRM-CFG-1xx)"


@pytest.mark.parametrize("scenario", ["hardened", "misconfigured", "mixed"])
def test_emits_exactly_the_declared_keys_each_of_its_catalogued_shape(
    snapshots: dict[str, EvidenceSnapshot], scenario: str
) -> None:
    assert contract_problems(SalesforceConnector(), snapshots[scenario]) == []
