"""An org without a permission column (`--variant no-encryption-keys-permission`) scans with every check decided.

Permission fields vary per org. In this variant PermissionSet has no `PermissionsManageEncryptionKeys`: its
describe omits the field and SOQL naming it fails with INVALID_FIELD, as a real org answers. The connector must
describe first and leave the column out; checks that need it must say so (MANUAL, naming the field), never PASS.
"""

from __future__ import annotations

import json
import ssl
from collections import Counter
from dataclasses import replace
from pathlib import Path

import anyio
import httpx
import pytest

from crmsec import engine
from crmsec.errors import InputError
from crmsec.evidence import EvidenceSnapshot
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.lab.org import VARIANTS
from crmsec.plugin import Status
from crmsec.report.model import FindingRecord as Finding
from crmsec.target import Secret, Target

pytestmark = pytest.mark.integration
VERSION = "v62.0"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "salesforce_reference"
FIELD = "PermissionsManageEncryptionKeys"
VARIANT = LabConfig(
    scenario="misconfigured", users=40, contacts=20, missing_fields=VARIANTS["no-encryption-keys-permission"]
)
SECURITY = ("CRM-AC-", "CRM-AUTH-", "CRM-INT-", "CRM-ENC-", "CRM-AUD-", "CRM-PII-", "CRM-BAK-", "CRM-TLS-")


def test_the_variant_describe_omits_the_field_and_soql_refuses_it() -> None:
    with start_lab(VARIANT) as lab:
        verify = ssl.create_default_context(cafile=str(lab.ca_bundle))
        headers = {"Authorization": f"Bearer {lab.token}"}
        with httpx.Client(base_url=lab.url, verify=verify, headers=headers, timeout=30) as client:
            describe = client.get(f"/services/data/{VERSION}/sobjects/PermissionSet/describe")
            names = {field["name"] for field in describe.json()["fields"]}
            assert "PermissionsModifyAllData" in names and FIELD not in names
            refused = client.get(
                f"/services/data/{VERSION}/query", params={"q": f"SELECT Id, {FIELD} FROM PermissionSet"}
            )
    assert refused.status_code == 400
    [error] = refused.json()
    assert error["errorCode"] == "INVALID_FIELD"
    assert error["message"].startswith(f"No such column '{FIELD}' on entity 'PermissionSet'.")


async def _collect(config: LabConfig) -> EvidenceSnapshot:
    with start_lab(config) as running:
        target = Target(
            platform="salesforce",
            url=running.url,
            secret=Secret(running.token),
            ca_bundle=Path(running.ca_bundle),
            options={"tls_scan": "false"},
        )
        return await engine.collect(target)


def _findings(snapshot: EvidenceSnapshot) -> list[Finding]:
    from crmsec import evaluation
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue

    prepared, metrics, extras = evaluation.prepare(snapshot, None)
    options = engine.EvaluationOptions(metrics=metrics, extras=extras)
    return list(
        engine.check_snapshot(prepared, load_profile("baseline"), load_catalogue(plugins=False), options).findings
    )


def _statuses(findings: list[Finding]) -> dict[str, Counter[str]]:
    statuses: dict[str, Counter[str]] = {}
    for finding in findings:
        statuses.setdefault(finding.check_id, Counter())[finding.status.value] += 1
    return statuses


def test_scanning_the_variant_decides_every_security_check_as_the_full_org_does_but_key_custody() -> None:
    full = anyio.run(_collect, replace(VARIANT, missing_fields=()))
    variant = anyio.run(_collect, VARIANT)
    for key in ("identity.users", "identity.profiles", "identity.permission_sets", "access.object_permissions"):
        assert variant.items[key].error is None, (key, variant.items[key].error)
    full_findings, variant_findings = _findings(full), _findings(variant)
    security = [f for f in variant_findings if f.check_id.startswith(SECURITY)]
    assert security
    assert all(f.reason is not None and f.message for f in security if f.status is Status.ERROR)
    full_statuses, variant_statuses = _statuses(full_findings), _statuses(variant_findings)
    assert {check for check in full_statuses if full_statuses[check] != variant_statuses.get(check)} == {"CRM-AC-009"}
    # The full org shows its key custodians; the variant cannot, so it says which field it lacks instead.
    assert any("manages encryption keys" in f.message for f in full_findings if f.check_id == "CRM-AC-009")
    duties = [f for f in variant_findings if f.check_id == "CRM-AC-009"]
    assert not any("manages encryption keys" in f.message for f in duties)
    [manual] = [f for f in duties if f.status is Status.MANUAL]
    assert f"PermissionSet.{FIELD}" in manual.message


def test_a_missing_field_the_org_does_not_have_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"PermissionSet\.NoSuchField"):
        Lab(LabConfig(missing_fields=("PermissionSet.NoSuchField",)))


def _kinds(document: dict[str, object]) -> dict[str, str]:
    return {key: type(value).__name__ for key, value in document.items() if value is not None}


def test_the_lab_describe_keeps_to_the_reference_keys_and_types() -> None:
    """Every key the lab's PermissionSet describe sends is in the reference fixture, with the same JSON type."""
    reference = json.loads((FIXTURES / "rest/describe_PermissionSet.json").read_bytes())
    with start_lab(VARIANT) as lab:
        verify = ssl.create_default_context(cafile=str(lab.ca_bundle))
        headers = {"Authorization": f"Bearer {lab.token}"}
        with httpx.Client(base_url=lab.url, verify=verify, headers=headers, timeout=30) as client:
            describe = client.get(f"/services/data/{VERSION}/sobjects/PermissionSet/describe").json()
    expected, expected_field = _kinds(reference), _kinds(reference["fields"][0])
    assert {key: kind for key, kind in _kinds(describe).items() if expected.get(key) != kind} == {}
    for field in describe["fields"]:
        assert {key: kind for key, kind in _kinds(field).items() if expected_field.get(key) != kind} == {}, field
    lab_types = {field["name"]: field["type"] for field in describe["fields"]}
    reference_types = {field["name"]: field["type"] for field in reference["fields"]}
    names = ("Id", "ProfileId", "IsOwnedByProfile", "PermissionsModifyAllData", "Name")
    assert {name: lab_types[name] for name in names} == {name: reference_types[name] for name in names}
