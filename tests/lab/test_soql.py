"""The lab's SOQL evaluator: selection, relationships, conditions, date literals, ordering, limits, errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crmsec.lab.soql import SoqlError, Table, execute, parse, project

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
PROFILES = [
    {"__type__": "Profile", "Id": "00e1", "Name": "System Administrator"},
    {"__type__": "Profile", "Id": "00e2", "Name": "Standard User"},
]
USERS = [
    {"Id": "0051", "Name": "Ada", "Email": "ada@example.test", "IsActive": True, "Age": 36,
     "LastLoginDate": NOW - timedelta(days=2), "Birthdate": date(1990, 5, 1), "Profile": PROFILES[0]},
    {"Id": "0052", "Name": "bob", "Email": None, "IsActive": False, "Age": 52,
     "LastLoginDate": NOW - timedelta(days=200), "Birthdate": date(1974, 1, 2), "Profile": PROFILES[1]},
    {"Id": "0053", "Name": "Cy", "Email": "cy@corp.example.test", "IsActive": True, "Age": 29,
     "LastLoginDate": None, "Birthdate": None, "Profile": PROFILES[1]},
    {"Id": "0054", "Name": "Dee", "Email": "dee@example.test", "IsActive": True, "Age": 41,
     "LastLoginDate": NOW - timedelta(days=89, hours=11), "Birthdate": date(1985, 7, 9), "Profile": PROFILES[1]},
]  # fmt: skip
TABLES = {
    "User": Table("User", USERS, ("Id", "Name", "Email", "IsActive", "Age", "LastLoginDate", "Birthdate"),
                  {"Profile": "Profile"}),
    "Profile": Table("Profile", PROFILES, ("Id", "Name")),
}  # fmt: skip


def ids(text: str) -> list[str]:
    query = parse(text, TABLES, now=NOW)
    return [USERS[index]["Id"] for index in execute(query, TABLES)]


def test_select_with_relationship_fields_projects_nested_records() -> None:
    query = parse("SELECT Id, name, Profile.Name FROM user WHERE Id = '0051'", TABLES, now=NOW)
    [index] = execute(query, TABLES)
    row = project(USERS[index], query, api_version="62.0")
    assert row["Name"] == "Ada"  # canonical spelling, case-insensitive lookup
    assert row["Profile"]["Name"] == "System Administrator"
    assert row["Profile"]["attributes"]["type"] == "Profile"
    assert row["attributes"] == {"type": "User", "url": "/services/data/v62.0/sobjects/User/0051"}


def test_datetimes_are_projected_in_the_wire_format() -> None:
    query = parse("SELECT LastLoginDate, Birthdate FROM User WHERE Id = '0051'", TABLES, now=NOW)
    row = project(USERS[execute(query, TABLES)[0]], query, api_version="62.0")
    assert row["LastLoginDate"] == "2026-03-08T12:00:00.000+0000"
    assert row["Birthdate"] == "1990-05-01"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("IsActive = true AND Age > 30", ["0051", "0054"]),
        ("IsActive = false OR Age < 30", ["0052", "0053"]),
        ("IsActive = true AND (Age < 30 OR Age >= 41)", ["0053", "0054"]),
        ("NOT IsActive = true", ["0052"]),
        ("Name IN ('ada', 'Cy')", ["0051", "0053"]),  # case-insensitive, as in Salesforce
        ("Id NOT IN ('0051', '0052')", ["0053", "0054"]),
        ("Email LIKE '%@example.test'", ["0051", "0054"]),
        ("Name LIKE 'b_b'", ["0052"]),
        ("Email = null", ["0052"]),
        ("Email != null", ["0051", "0053", "0054"]),
        ("Profile.Name = 'Standard User' AND IsActive = true", ["0053", "0054"]),
        ("LastLoginDate = LAST_N_DAYS:90", ["0051", "0054"]),
        ("LastLoginDate < LAST_N_DAYS:90", ["0052"]),
        ("LastLoginDate = TODAY", []),
        ("LastLoginDate > 2026-01-01T00:00:00Z", ["0051"]),
        ("Birthdate < 1980-01-01", ["0052"]),
    ],
)
def test_where(where: str, expected: list[str]) -> None:
    assert ids(f"SELECT Id FROM User WHERE {where}") == expected


def test_order_by_limit_and_offset() -> None:
    assert ids("SELECT Id FROM User ORDER BY Age DESC") == ["0052", "0054", "0051", "0053"]
    assert ids("SELECT Id FROM User ORDER BY Name") == ["0051", "0052", "0053", "0054"]  # case-insensitive
    assert ids("SELECT Id FROM User ORDER BY LastLoginDate NULLS FIRST")[0] == "0053"
    assert ids("SELECT Id FROM User ORDER BY LastLoginDate DESC")[-1] == "0053"  # DESC puts nulls last
    assert ids("SELECT Id FROM User ORDER BY IsActive, Age DESC") == ["0052", "0054", "0051", "0053"]
    assert ids("SELECT Id FROM User ORDER BY Age LIMIT 2") == ["0053", "0051"]
    assert ids("SELECT Id FROM User ORDER BY Age LIMIT 2 OFFSET 1") == ["0051", "0054"]


def test_count_only() -> None:
    query = parse("SELECT COUNT() FROM User WHERE IsActive = true", TABLES, now=NOW)
    assert query.count_only and len(execute(query, TABLES)) == 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SELECT Id FROM Nothing", "INVALID_TYPE"),
        ("SELECT Nope FROM User", "INVALID_FIELD"),
        ("SELECT Owner.Name FROM User", "INVALID_FIELD"),
        ("SELECT Id User", "MALFORMED_QUERY"),
        ("SELECT Id FROM User WHERE", "MALFORMED_QUERY"),
        ("SELECT Id FROM User WHERE Age = ", "MALFORMED_QUERY"),
        ("SELECT Id FROM User WHERE Name IN ('a'", "MALFORMED_QUERY"),
        ("SELECT Id FROM User LIMIT 5 extra", "MALFORMED_QUERY"),
        ("SELECT Id FROM User WHERE Age ~ 3", "MALFORMED_QUERY"),
        ("SELECT Id FROM User WHERE LastLoginDate = NEXT_WEEK", "MALFORMED_QUERY"),
        ("DELETE FROM User", "MALFORMED_QUERY"),
    ],
)
def test_errors_carry_salesforce_codes(text: str, code: str) -> None:
    with pytest.raises(SoqlError) as caught:
        parse(text, TABLES, now=NOW)
    assert caught.value.code == code
