"""Pure Salesforce evidence builders: audit trail by Action API value, backup, external client apps."""

from __future__ import annotations

from datetime import UTC, datetime

from crmsec.connectors.salesforce import platform

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _trail(section: str, display: str) -> list[dict[str, str]]:
    rows = [
        ("PermSetAssign", section, "2026-11-20"),
        ("resetpassword", section, "2026-11-21"),
        ("changedApexClass", "Apex-Klasse", "2026-11-22"),
        ("suOrgAdminLogin", section, "2026-01-01"),
    ]
    return [
        {"Action": action, "Section": where, "Display": display, "CreatedDate": f"{day}T10:00:00.000+0000"}
        for action, where, day in rows
    ]


def _security_events(trail: list[dict[str, str]]) -> object:
    value = platform.audit_settings(trail=trail, events=[], logins_30d=1, tracked_fields=0, now=NOW)
    return value["audit_log"]["recent_security_events"]


def test_security_events_are_counted_by_action_whatever_the_section_language() -> None:
    english = _security_events(_trail("Manage Users", "Assigned a permission set"))
    german = _security_events(_trail("Benutzer verwalten", "Berechtigungssatz zugewiesen"))
    assert english == german == 2  # Apex is not a security change; the login-as is older than 90 days


def test_unknown_or_missing_actions_are_not_security_events() -> None:
    assert not platform.is_security_action(None)
    assert not platform.is_security_action("changedValidationFormula")
    assert platform.is_security_action("PermSetGroupAssign")
    assert platform.is_security_action("changedprofileforuserstdtocust")


def test_connected_app_metadata_is_joined_by_record_id_not_a_name_derived_from_the_label() -> None:
    apps = [{"Id": "0H4XX0000000001AAA", "Name": "Data Loader Sync", "OptionsAllowAdminApprovedUsersOnly": True}]
    listed = [{"fullName": "DataLoaderSync", "id": "0H4XX0000000001", "type": "ConnectedApp"}]
    records = [{"fullName": "DataLoaderSync", "label": "Datenlader", "oauthConfig": {"scopes": "Api"}}]
    [app] = platform.connected_apps(apps, (listed, records))
    assert (app["api_name"], app["scopes"], app["note"]) == ("DataLoaderSync", ["Api"], None)
    [unmatched] = platform.connected_apps(apps, ([], records))
    assert unmatched["scopes"] is None and unmatched["note"].startswith("no ConnectedApp metadata matched")


def test_record_ids_compare_in_their_15_and_18_character_forms_only() -> None:
    from crmsec.connectors.salesforce.metadata import same_id

    assert same_id("0H4XX0000000001", "0H4XX0000000001AAA")
    assert same_id("0H4XX0000000001AAA", "0H4XX0000000001AAA")
    assert not same_id("0H4XX0000000001AAA", "0H4XX0000000001AAB")  # two records: the checksum differs
    assert not same_id(None, "0H4XX0000000001AAA")
