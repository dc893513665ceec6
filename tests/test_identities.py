"""Usernames are masked by default from evidence to every rendering; `--show-identities` keeps them (issue 11)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from crmsec import engine
from crmsec.connectors.base import Recorder
from crmsec.errors import EvidenceFileError
from crmsec.evidence import EvidenceSnapshot, snapshot_from_json
from crmsec.pii.identities import ROLE_WORDS, is_masked_identity, mask_identity
from crmsec.plugin import Status
from crmsec.profiles import load_profile
from crmsec.redaction import Identities, mask_identities
from crmsec.registry import load_catalogue
from crmsec.render import render
from crmsec.report.model import Report
from crmsec.target import Target
from crmsec.testing import run_check, snapshot_from_values

CHECKS = Path(__file__).parent / "checks"
TARGET = Target(platform="salesforce", url="https://crm.example.test")
CANARY = "canary.person@canary-corp.example"


def test_mask_identity_keeps_the_shape_and_adds_a_stable_case_insensitive_suffix() -> None:
    masked = mask_identity("John.Smith@Acme.com")
    assert masked == mask_identity("john.smith@acme.com") == "j***@a***.com#5df387fd"
    assert mask_identity("  ") == ""


def test_users_sharing_a_masked_shape_stay_distinct() -> None:
    addresses = [f"j{number}smith@acme.com" for number in range(5000)]
    masked = {mask_identity(address) for address in addresses}
    assert len(masked) == len(addresses)
    assert {entry.partition("#")[0] for entry in masked} == {"j***@a***.com"}


@pytest.mark.parametrize(
    ("username", "masked_stem"),
    [
        ("admin@acme.com", "admin@a***.com"),
        ("admin.john@acme.com", "admin.j***@a***.com"),
        ("a.admin@acme.com", "a***.admin@a***.com"),
        ("sales-team2@acme.com", "sales-team2@a***.com"),
        ("测试账号@corp.cn", "测试***@c***.cn"),
        ("张伟@corp.cn", "张***@c***.cn"),
        ("jsmith", "j***"),
        ("svc-sync@acme.test", "svc-sync@a***.test"),  # service-account prefixes stay usable by naming checks
    ],
)
def test_role_words_survive_and_personal_words_keep_one_character(username: str, masked_stem: str) -> None:
    assert mask_identity(username).rpartition("#")[0] == masked_stem


def test_every_generic_account_word_of_crm_ac_006_survives_masking() -> None:
    words = load_catalogue(plugins=False).get("CRM-AC-006").params["generic_account_words"]
    assert isinstance(words, list)
    assert set(words) | {"user", "account", "crm", "the"} <= ROLE_WORDS


@given(st.emails() | st.text(min_size=1, max_size=40))
def test_masking_is_idempotent_and_recognisable(value: str) -> None:
    masked = mask_identity(value)
    assert mask_identity(masked) == masked
    assert masked == "" or is_masked_identity(masked)


@given(st.emails())
def test_a_masked_address_keeps_only_first_characters_when_it_holds_no_role_word(address: str) -> None:
    local, _, domain = address.lower().rpartition("@")
    assume(not any(re.sub(r"\d+", "", word) in ROLE_WORDS for word in re.split(r"[._\-+\s]+", local)))
    stem, _, top = domain.rpartition(".")
    assume(bool(stem) and re.fullmatch("[a-z]{2,24}", top) is not None)
    assert mask_identity(address).rpartition("#")[0] == f"{local[0]}***@{stem[0]}***.{top}"


def test_mask_identities_masks_the_identity_fields_and_joins_still_work() -> None:
    users: list[dict[str, Any]] = [{"id": "005A", "username": CANARY, "name": "C*** P***", "active": True}]
    tokens: list[dict[str, Any]] = [{"app": "Sync", "user": "005A"}, {"app": "Mail", "user": CANARY.upper()}]
    keys: list[dict[str, Any]] = [{"name": "sync", "owner": "Canary Person"}, {"name": "org key", "owner": None}]
    masked_users = mask_identities("identity.users", users)
    masked_tokens = mask_identities("integrations.oauth_tokens", tokens)
    masked_keys = mask_identities("integrations.api_keys", keys)
    assert masked_users == [{**users[0], "username": mask_identity(CANARY)}]
    assert [token["user"] for token in masked_tokens] == ["005A", mask_identity(CANARY)]
    assert [key["owner"] for key in masked_keys] == [mask_identity("Canary Person"), None]
    assert users[0]["username"] == CANARY  # the input is not modified
    assert mask_identities("org.info", {"name": CANARY}) == {"name": CANARY}
    assert mask_identities("identity.users", None) is None


def _recorded(identities: Identities | None) -> EvidenceSnapshot:
    recorder = (
        Recorder(clock=lambda: "2026-11-23T00:00:00Z")
        if identities is None
        else Recorder(clock=lambda: "2026-11-23T00:00:00Z", identities=identities)
    )
    recorder.add("identity.users", [{"id": "005A", "username": CANARY, "active": True}], source="GET /users")
    return recorder.build(TARGET, connector="Fixture", connector_version="1")


@pytest.mark.parametrize(
    ("identities", "expected"),
    [(None, Identities.MASKED), (Identities.MASKED, Identities.MASKED), (Identities.SHOWN, Identities.SHOWN)],
)
def test_the_recorder_masks_by_default_and_records_which_copy_it_is(
    identities: Identities | None, expected: Identities
) -> None:
    snapshot = _recorded(identities)
    document = snapshot.to_bytes().decode()
    assert snapshot.metadata.identities is expected
    assert (CANARY in document) is (expected is Identities.SHOWN)
    reloaded = snapshot_from_json(json.loads(document))
    assert reloaded.metadata.identities is expected and reloaded.sha256 == snapshot.sha256


def test_evidence_without_the_field_reads_as_shown_and_an_unknown_value_is_refused() -> None:
    document: dict[str, Any] = _recorded(Identities.MASKED).to_json()
    del document["metadata"]["identities"]
    assert snapshot_from_json(document).metadata.identities is Identities.SHOWN
    document["metadata"]["identities"] = "partly"
    with pytest.raises(EvidenceFileError, match="identities"):
        snapshot_from_json(document)


def _masked_fixture(case: str) -> EvidenceSnapshot:
    raw = json.loads((CHECKS / "access_control" / "generic_accounts" / f"{case}.json").read_text(encoding="utf-8"))
    return snapshot_from_values({key: mask_identities(key, value) for key, value in raw.items()})


@pytest.mark.parametrize("case", ["pass", "fail"])
def test_generic_accounts_judges_masked_usernames_as_it_judges_raw_ones(case: str) -> None:
    raw = run_check("CRM-AC-006", snapshot_from_values(CHECKS / "access_control" / "generic_accounts" / f"{case}.json"))
    masked = run_check("CRM-AC-006", _masked_fixture(case))
    assert [finding.status for finding in masked] == [finding.status for finding in raw]
    if case == "fail":
        assert Status.FAIL in [finding.status for finding in masked]
        assert all(is_masked_identity(finding.resource) for finding in masked)


def _report(snapshot: EvidenceSnapshot) -> Report:
    return engine.check_snapshot(snapshot, load_profile("baseline"), load_catalogue(plugins=False))


@pytest.mark.parametrize("identities", list(Identities))
def test_the_report_and_its_renderings_say_which_copy_the_reader_holds(identities: Identities) -> None:
    users = CHECKS / "access_control" / "inactive_users" / "fail.json"
    snapshot = snapshot_from_values(users)
    snapshot = EvidenceSnapshot(replace(snapshot.metadata, identities=identities), snapshot.items)
    report = _report(snapshot)
    assert report.evidence["identities"] == str(identities)
    assert Report.from_json(report.to_json()) == report
    expected = "raw usernames" if identities is Identities.SHOWN else "usernames pseudonymised"
    assert expected in render(report, "html").decode()
    assert f"identities {identities}" in render(report, "md").decode()


def test_a_report_from_an_earlier_version_renders_without_the_field() -> None:
    report = _report(snapshot_from_values(CHECKS / "access_control" / "inactive_users" / "pass.json"))
    document = report.to_json()
    evidence = document["evidence"]
    assert isinstance(evidence, dict)
    del evidence["identities"]
    older = Report.from_json(document)
    assert "not recorded" in render(older, "md").decode()
