"""Live end to end: scan two real BottleCRM servers (careless and careful) on loopback and judge the findings.

Runs only under `make test-live` (CRMSEC_LIVE=1): it installs django-crm from PyPI into a cached venv under
Python 3.12 and runs gunicorn. Everything it starts is stopped in the fixture's `finally`.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
from bottlecrm_server import DJANGO_CRM_VERSION, Deployment, careful, careless, prepare
from live_processes import running

from crmsec.engine import check_snapshot, collect
from crmsec.errors import TargetError
from crmsec.evidence import EvidenceSnapshot
from crmsec.plugin import Status
from crmsec.profiles import load_profile
from crmsec.redaction import mask_identity
from crmsec.registry import load_catalogue
from crmsec.report.model import Report
from crmsec.target import Secret, Target

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(os.environ.get("CRMSEC_LIVE") != "1", reason="runs under `make test-live` (CRMSEC_LIVE=1)"),
]

VERIFIED_DJANGO_CRM = "1.35.0"
FACTS = """version: 1
database: {encrypted_at_rest: true, provider: LUKS on the database volume, customer_managed_key: true}
backup: {configured: true, schedule: daily 02:00 UTC, last_success_at: 2026-11-22T02:13:00Z, retention_days: 35,
         encrypted: true, last_restore_test_at: 2026-10-01T09:00:00Z}
audit_log: {retention_days: 365}
"""


@dataclass
class Scan:
    """One deployment's evidence, report and the raw credentials used (to prove they never leak)."""

    snapshot: EvidenceSnapshot
    report: Report
    credentials: dict[str, str]

    def statuses(self, check_id: str) -> dict[str, Status]:
        """resource -> status of every finding of one check."""
        return {finding.resource: finding.status for finding in self.report.findings if finding.check_id == check_id}


def scan(deployment: Deployment, *, auth: str = "jwt", facts: Path | None = None) -> Scan:
    """Collect through the connector and evaluate with the baseline profile, as `crmsec scan` does."""
    assert deployment.credentials is not None
    credentials = json.loads(deployment.credentials.read_text(encoding="utf-8"))
    options = {"auth": auth, **({"facts": str(facts)} if facts else {})}
    target = Target(platform="bottlecrm", url=deployment.url, secret=Secret(credentials[auth]), options=options)
    snapshot = anyio.run(lambda: collect(target))
    report = check_snapshot(snapshot, load_profile("baseline"), load_catalogue(plugins=False))
    return Scan(snapshot, report, credentials)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Deployment]]:
    """Both deployments, started from the cached migrated database; stopped whatever happens."""
    cache = prepare()
    folder = tmp_path_factory.mktemp("bottlecrm")
    deployments = [careless(folder), careful(folder, secrets.token_urlsafe(48))]
    with running(deployments, cache) as started:
        yield started


@pytest.fixture(scope="module")
def careless_scan(servers: dict[str, Deployment]) -> Scan:
    return scan(servers["careless"])


@pytest.fixture(scope="module")
def careful_scan(servers: dict[str, Deployment], tmp_path_factory: pytest.TempPathFactory) -> Scan:
    facts = tmp_path_factory.mktemp("facts") / "facts.yaml"
    facts.write_text(FACTS, encoding="utf-8")
    return scan(servers["careful"], facts=facts)


def test_the_verified_django_crm_version_is_the_one_installed() -> None:
    assert DJANGO_CRM_VERSION == VERIFIED_DJANGO_CRM
    venv_python = prepare().bin / "python"
    code = "import importlib.metadata as m; print(m.version('django-crm'))"
    installed = subprocess.run([str(venv_python), "-c", code], capture_output=True, text=True, check=True).stdout
    assert installed.strip() == VERIFIED_DJANGO_CRM
    assert importlib.metadata.version("crmsec")


CONFIGURATION = ("CRM-CFG-001", "CRM-CFG-002", "CRM-CFG-003", "CRM-CFG-004", "CRM-CFG-005")


def test_careless_deployment_fails_the_configuration_checks(careless_scan: Scan) -> None:
    for check_id in CONFIGURATION:
        assert careless_scan.statuses(check_id) == {"organization": Status.FAIL}, check_id
    assert careless_scan.statuses("CRM-CFG-006") == {"organization": Status.PASS}  # gunicorn names no version
    assert careless_scan.snapshot.values()["platform.config"]["secret_key_source"] == "probe"


def test_careful_deployment_passes_the_configuration_checks(careful_scan: Scan) -> None:
    for check_id in (*CONFIGURATION, "CRM-CFG-006"):
        assert careful_scan.statuses(check_id) == {"organization": Status.PASS}, check_id


def test_national_ids_in_notes_fail_only_the_careless_deployment(careless_scan: Scan, careful_scan: Scan) -> None:
    careless_notes = careless_scan.statuses("CRM-PII-005")
    assert careless_notes["contacts.description"] == Status.FAIL
    assert careless_notes["leads.description"] == Status.FAIL
    careful_notes = careful_scan.statuses("CRM-PII-005")
    assert careful_notes and set(careful_notes.values()) == {Status.PASS}


def test_access_checks_fail_the_careless_deployment_and_pass_the_careful_one(
    careless_scan: Scan, careful_scan: Scan
) -> None:
    assert careless_scan.statuses("CRM-AC-001") == {"organization": Status.FAIL}  # 7 of 9 members are admins
    assert careless_scan.statuses("CRM-AC-004")[mask_identity("departed.admin@example.com")] == Status.FAIL
    assert careless_scan.statuses("CRM-AC-006")[mask_identity("admin@example.com")] == Status.FAIL
    assert careful_scan.statuses("CRM-AC-001") == {"organization": Status.PASS}
    assert set(careful_scan.statuses("CRM-AC-004").values()) == {Status.PASS}
    assert careful_scan.statuses("CRM-AC-006") == {"organization": Status.PASS}


def test_tokens_and_audit_log_are_collected_with_a_session_jwt(careless_scan: Scan, careful_scan: Scan) -> None:
    careless_keys = {key["name"]: key for key in careless_scan.snapshot.values()["integrations.api_keys"]}
    assert careless_keys["legacy-sync"]["expires_at"] is None and careless_keys["legacy-sync"]["scopes"] == ["*"]
    assert careless_keys["legacy-sync"]["created_at"] < "2025-12-01T00:00:00Z"
    careful_keys = {key["name"]: key for key in careful_scan.snapshot.values()["integrations.api_keys"]}
    assert careful_keys["nightly-export"]["scopes"] == ["contacts:read"]
    assert careful_keys["nightly-export"]["expires_at"] is not None
    audit = careless_scan.snapshot.values()["audit.settings"]["audit_log"]
    assert audit["enabled"] is True and audit["recent_security_events"] >= 2


def test_backup_and_encryption_come_from_the_facts_file_or_stay_unknown(
    careless_scan: Scan, careful_scan: Scan
) -> None:
    assert careless_scan.snapshot.values()["backup.status"]["source"] == "unknown"
    assert careful_scan.snapshot.values()["backup.status"]["source"] == "facts_file"
    assert careful_scan.snapshot.values()["encryption.platform"]["database_encrypted"] is True
    unknown_keys = {"backup.status", "encryption.platform"}
    undecided = {Status.MANUAL, Status.NOT_APPLICABLE}  # CRM-ENC-004 calls unknown keys NOT_APPLICABLE
    judged = [f for f in careless_scan.report.findings if {r.key for r in f.evidence} <= unknown_keys and f.evidence]
    assert judged and {finding.status for finding in judged} <= undecided
    assert any(finding.status is Status.MANUAL for finding in judged)
    assert careful_scan.statuses("CRM-BAK-001") == {"organization": Status.PASS}
    assert careful_scan.statuses("CRM-ENC-001") == {"organization": Status.PASS}


def test_the_scan_stays_inside_its_own_tenant(careless_scan: Scan) -> None:
    usernames = {user["username"] for user in careless_scan.snapshot.values()["identity.users"]}
    assert mask_identity("other.admin@example.net") not in usernames and mask_identity("admin@example.com") in usernames
    contacts = next(entry for entry in careless_scan.snapshot.values()["schema.objects"] if entry["name"] == "contacts")
    assert contacts["record_count"] == 40 and contacts["field_source"] == "openapi"


def test_credentials_and_raw_pii_never_reach_evidence_or_report(careless_scan: Scan) -> None:
    written = json.dumps(careless_scan.snapshot.to_json()) + json.dumps(careless_scan.report.to_json())
    for kind in ("jwt", "pat", "api_key"):
        assert careless_scan.credentials[kind] not in written, kind
    assert "@example.com" not in json.dumps(careless_scan.snapshot.values()["data.samples"])
    assert "example.com" not in json.dumps(careless_scan.snapshot.values()["identity.users"])  # usernames masked


def test_a_personal_access_token_collects_everything_but_credentials_and_audit(servers: dict[str, Deployment]) -> None:
    result = scan(servers["careless"], auth="pat")
    for key in ("integrations.api_keys", "audit.settings"):
        error = result.snapshot.items[key].error
        assert error is not None and error.reason == "permission_denied" and "auth=jwt" in error.message
    assert result.snapshot.items["data.samples"].error is None
    assert result.statuses("CRM-CFG-002") == {"organization": Status.FAIL}


def test_the_org_api_key_reads_fields_from_records_when_the_schema_is_refused(servers: dict[str, Deployment]) -> None:
    result = scan(servers["careless"], auth="api_key")
    schema = {entry["name"]: entry for entry in result.snapshot.values()["schema.objects"]}
    assert schema["contacts"]["field_source"] == "records"
    error = result.snapshot.items["integrations.api_keys"].error
    assert error is not None and error.reason == "permission_denied"


def test_the_careful_deployment_refuses_its_org_api_key(servers: dict[str, Deployment]) -> None:
    with pytest.raises(TargetError) as refused:
        scan(servers["careful"], auth="api_key")
    assert refused.value.reason == "authentication_failed"


def test_token_checks_fail_the_careless_deployment_and_pass_the_careful_one(
    careless_scan: Scan, careful_scan: Scan
) -> None:
    lifetime = careless_scan.statuses("CRM-INT-005")
    assert lifetime["legacy-sync"] == Status.FAIL and lifetime["organization API key"] == Status.FAIL
    assert careless_scan.statuses("CRM-INT-006")["legacy-sync"] == Status.FAIL
    assert set(careful_scan.statuses("CRM-INT-005").values()) == {Status.PASS}
    assert set(careful_scan.statuses("CRM-INT-006").values()) == {Status.PASS}
    careful_keys = {key["name"]: key for key in careful_scan.snapshot.values()["integrations.api_keys"]}
    assert careful_keys["organization API key"]["active"] is False


def test_the_cli_scan_gates_the_careless_deployment_and_leaks_no_token(
    servers: dict[str, Deployment], tmp_path: Path
) -> None:
    deployment = servers["careless"]
    assert deployment.credentials is not None
    token = json.loads(deployment.credentials.read_text(encoding="utf-8"))["jwt"]
    out = tmp_path / "report"
    crmsec = Path(sys.executable).parent / "crmsec"
    command = [str(crmsec), "scan", "--platform", "bottlecrm", "--url", deployment.url, "--allow-insecure-http",
               "--option", "auth=jwt", "--out", str(out), "--format", "md", "--fail-on", "critical"]  # fmt: skip
    environment = {**os.environ, "CRMSEC_TOKEN": token}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False, timeout=300)
    assert done.returncode == 1, done.stderr  # CRM-CFG-002 (critical) fails the gate
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    statuses = {(finding["check_id"], finding["resource"]): finding["status"] for finding in report["findings"]}
    assert statuses[("CRM-CFG-002", "organization")] == "FAIL"
    assert token not in done.stdout + done.stderr
    for written in out.rglob("*"):
        assert not written.is_file() or token not in written.read_text(encoding="utf-8", errors="replace"), written


def test_audit_log_retention_is_manual_without_facts(careless_scan: Scan, careful_scan: Scan) -> None:
    assert careless_scan.statuses("CRM-AUD-005") == {"organization": Status.MANUAL}
    assert careful_scan.statuses("CRM-AUD-005") == {"organization": Status.PASS}
