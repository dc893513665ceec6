"""Live end to end: scan two real Tryton servers (careless and careful) on loopback and judge the findings.

Runs only under `make test-live` (CRMSEC_LIVE=1): it installs trytond and its modules from PyPI into a cached
venv (`tryton_server.py`) and runs them. Everything it starts is stopped in the fixture's `finally`. The score
is the security score: the baseline profile restricted to the nine security dimensions
(`tryton_security.yaml`), since the business dimensions need input files this test does not give.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
from live_processes import running
from tryton_server import PACKAGES, TRYTOND_VERSION, Deployment, careful, careless, installed_versions, prepare

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

VERIFIED_TRYTOND = "8.2.1"
SECURITY_PROFILE = Path(__file__).with_name("tryton_security.yaml")
SECURITY_DIMENSIONS = frozenset({"tls", "access_control", "authentication", "encryption", "backup", "pii",
                                 "audit_logging", "integrations", "platform_configuration"})  # fmt: skip


def facts_text(now: dt.datetime) -> str:
    """Deployment facts of the careful operator: a backup two hours old, an encrypted volume, a year of logs."""
    backup = (now - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        "version: 1\n"
        "database: {encrypted_at_rest: true, provider: LUKS on the database volume, customer_managed_key: true}\n"
        f"backup: {{configured: true, schedule: daily, last_success_at: {backup}, retention_days: 35,\n"
        "         encrypted: true, last_restore_test_at: 2026-11-01T09:00:00Z}\n"
        "audit_log: {retention_days: 365}\n"
    )


@dataclass
class Scan:
    """One deployment's evidence and report, and the password used (to prove it never leaks)."""

    snapshot: EvidenceSnapshot
    report: Report
    password: str

    def statuses(self, check_id: str) -> dict[str, Status]:
        """resource -> status of every finding of one check."""
        return {finding.resource: finding.status for finding in self.report.findings if finding.check_id == check_id}

    def failing_dimensions(self) -> set[str]:
        """The security dimensions with at least one FAIL."""
        dimension_of = {str(check["id"]): str(check["dimension"]) for check in self.report.checks}
        return {
            dimension_of[finding.check_id]
            for finding in self.report.findings
            if finding.status is Status.FAIL and dimension_of[finding.check_id] in SECURITY_DIMENSIONS
        }


def scan(
    deployment: Deployment, *, facts: Path | None = None, config: bool = True, password: str | None = None
) -> Scan:
    """Collect through the connector and evaluate with the security profile, as `crmsec scan` does."""
    assert deployment.credentials is not None
    credentials = json.loads(deployment.credentials.read_text(encoding="utf-8"))
    options = {"database": "crm", "user": credentials["user"]}
    if config:
        options["config"] = str(deployment.config)
    if facts:
        options["facts"] = str(facts)
    secret = password or credentials["password"]
    target = Target(platform="tryton", url=deployment.url, secret=Secret(secret), options=options,
                    ca_bundle=deployment.ca_bundle)  # fmt: skip
    snapshot = anyio.run(lambda: collect(target))
    report = check_snapshot(snapshot, load_profile(SECURITY_PROFILE), load_catalogue(plugins=False))
    return Scan(snapshot, report, credentials["password"])


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Deployment]]:
    """Both deployments, started from the cached database; stopped whatever happens."""
    cache = prepare()
    folder = tmp_path_factory.mktemp("tryton")
    deployments = [careless(folder), careful(folder)]
    with running(deployments, cache) as started:
        yield started


@pytest.fixture(scope="module")
def careless_scan(servers: dict[str, Deployment]) -> Scan:
    return scan(servers["careless"])


@pytest.fixture(scope="module")
def careful_scan(servers: dict[str, Deployment], tmp_path_factory: pytest.TempPathFactory) -> Scan:
    facts = tmp_path_factory.mktemp("facts") / "facts.yaml"
    facts.write_text(facts_text(dt.datetime.now(dt.UTC)), encoding="utf-8")
    return scan(servers["careful"], facts=facts)


def test_the_pinned_tryton_versions_are_the_ones_installed() -> None:
    assert TRYTOND_VERSION == VERIFIED_TRYTOND
    installed = installed_versions(prepare())
    for pin in PACKAGES:
        name, _, version = pin.partition("==")
        assert installed.get(name) == version, name
    assert all(version.startswith("8.2.") for version in installed.values()), installed


def test_the_careless_deployment_fails_at_least_five_security_dimensions(careless_scan: Scan) -> None:
    failing = careless_scan.failing_dimensions()
    assert len(failing) >= 5, failing
    assert {"access_control", "authentication", "pii", "integrations", "platform_configuration"} <= failing


def test_the_careful_deployment_scores_at_least_90(careful_scan: Scan) -> None:
    score = careful_scan.report.scores.overall
    assert score is not None and score >= 90, (score, careful_scan.report.scores.points_lost[:10])
    assert careful_scan.failing_dimensions() <= {"authentication", "pii"}  # trytond's fixed password rules, no FLE


def test_server_settings_fail_careless_and_pass_careful(careless_scan: Scan, careful_scan: Scan) -> None:
    for check_id in ("CRM-AUTH-001", "CRM-AUTH-004", "CRM-AUTH-005", "CRM-AUTH-008", "CRM-CFG-001"):
        assert careless_scan.statuses(check_id) == {"organization": Status.FAIL}, check_id
        assert careful_scan.statuses(check_id) == {"organization": Status.PASS}, check_id
    careless_policy = careless_scan.snapshot.values()["auth.password_policy"]
    assert (careless_policy["min_length"], careless_policy["max_login_attempts"]) == (4, 1001)
    assert careful_scan.snapshot.values()["auth.password_policy"]["forbidden_list"] is True
    assert careful_scan.snapshot.values()["auth.mfa"]["exempt_networks"] == ["127.0.0.1/32"]
    assert careless_scan.statuses("CRM-AUTH-003")[mask_identity("admin")] == Status.FAIL  # no phone for the SMS
    assert careful_scan.statuses("CRM-AUTH-003") == {mask_identity("li.wei"): Status.PASS}


def test_admin_used_daily_and_broad_access_fail_only_the_careless_deployment(
    careless_scan: Scan, careful_scan: Scan
) -> None:
    assert careless_scan.statuses("CRM-AC-001") == {"organization": Status.FAIL}  # 3 administrators of 4
    assert careless_scan.statuses("CRM-AC-006")[mask_identity("admin")] == Status.FAIL  # the built-in login
    assert careless_scan.statuses("CRM-AC-010")["party.party"] == Status.FAIL  # no access rows: open to all
    everyone = {row["object"]: row for row in careless_scan.snapshot.values()["access.object_permissions"]
                if row["profile"] == "Everyone"}  # fmt: skip
    assert everyone["sale.opportunity"]["edit"] is True  # the everyone row the careless admin added
    careless_users = {user["username"]: user for user in careless_scan.snapshot.values()["identity.users"]}
    assert careless_users[mask_identity("admin")]["active_sessions"] >= 1
    assert careful_scan.statuses("CRM-AC-001") == {"organization": Status.PASS}  # 1 of 10
    assert set(careful_scan.statuses("CRM-AC-006").values()) == {Status.PASS}
    assert careful_scan.snapshot.values()["access.org_defaults"]["sale.opportunity"] == "private"
    assert careful_scan.statuses("CRM-AC-010")["party.party"] == Status.WARN  # everyone may read parties


def test_keys_pii_and_the_model_log(careless_scan: Scan, careful_scan: Scan) -> None:
    assert set(careless_scan.statuses("CRM-INT-005").values()) == {Status.FAIL}  # a REST key never expires
    assert careful_scan.snapshot.values()["integrations.api_keys"] == []
    assert careless_scan.statuses("CRM-PII-005")["sale.opportunity.comment"] == Status.FAIL
    assert careful_scan.statuses("CRM-PII-005")["sale.opportunity.comment"] == Status.PASS
    for result in (careless_scan, careful_scan):
        audit = result.snapshot.values()["audit.settings"]["audit_log"]
        assert audit["enabled"] is True and audit["recent_security_events"] >= 2  # the administrator's edits


def test_tls_and_headers_come_from_the_careful_front(careless_scan: Scan, careful_scan: Scan) -> None:
    assert careful_scan.snapshot.values()["tls.scan"]["certificate"]["trusted"] is True
    for check_id in ("CRM-TLS-002", "CRM-TLS-005", "CRM-TLS-011", "CRM-CFG-006"):
        assert set(careful_scan.statuses(check_id).values()) == {Status.PASS}, check_id
    assert careless_scan.statuses("CRM-CFG-006") == {"organization": Status.FAIL}  # Werkzeug/x.y Python/x.y
    assert "tls.scan" not in careless_scan.snapshot.items  # plain http: nothing to scan


def test_credentials_and_raw_pii_never_reach_evidence_or_report(careless_scan: Scan) -> None:
    written = json.dumps(careless_scan.snapshot.to_json()) + json.dumps(careless_scan.report.to_json())
    assert careless_scan.password not in written
    assert "@example.com" not in written
    assert "身份证号" not in written


def test_without_the_config_file_the_server_settings_are_manual(servers: dict[str, Deployment]) -> None:
    result = scan(servers["careless"], config=False)
    assert result.snapshot.values()["auth.password_policy"]["source"] == "unknown"
    for check_id in ("CRM-AUTH-001", "CRM-AUTH-004", "CRM-AUTH-005", "CRM-AUTH-008"):
        assert result.statuses(check_id) == {"organization": Status.MANUAL}, check_id


def test_a_wrong_password_is_refused_before_anything_is_collected(servers: dict[str, Deployment]) -> None:
    with pytest.raises(TargetError) as refused:
        scan(servers["careful"], password="not-the-password-of-anyone")
    assert refused.value.reason == "authentication_failed"


def test_the_cli_scan_gates_the_careless_deployment_and_leaks_no_password(
    servers: dict[str, Deployment], tmp_path: Path
) -> None:
    deployment = servers["careless"]
    assert deployment.credentials is not None
    credentials = json.loads(deployment.credentials.read_text(encoding="utf-8"))
    out = tmp_path / "report"
    crmsec = Path(sys.executable).parent / "crmsec"
    command = [str(crmsec), "scan", "--platform", "tryton", "--url", deployment.url, "--allow-insecure-http",
               "--option", "database=crm", "--option", f"user={credentials['user']}",
               "--option", f"config={deployment.config}", "--out", str(out), "--format", "md",
               "--fail-on", "critical"]  # fmt: skip
    environment = {**os.environ, "CRMSEC_TOKEN": credentials["password"]}
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=False, timeout=300)
    assert done.returncode == 1, done.stderr  # CRM-AUTH-002 (critical: admins without MFA) fails the gate
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    statuses = {(finding["check_id"], finding["resource"]): finding["status"] for finding in report["findings"]}
    assert statuses[("CRM-AUTH-002", "organization")] == "FAIL"
    assert credentials["password"] not in done.stdout + done.stderr
    for written in out.rglob("*"):
        assert not written.is_file() or credentials["password"] not in written.read_text(errors="replace"), written
