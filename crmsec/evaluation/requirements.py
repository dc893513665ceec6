"""Deciding each requirement of requirements.yaml against the evidence: met, partial, missing or unknown.

Detection rules (docs/inputs.md):
- `{object: Opportunity, min_records: 1}`: the object is in `schema.objects` (and holds enough records; fewer
  gives partial);
- `{field: Case.Priority}`: the field is in that object's fields in `schema.objects`;
- `{evidence: auth.sso, path: enabled, equals: true}`: the value at the dotted path equals `equals`, or is
  truthy without `equals`; a null/absent path means missing;
- `{manual: met|partial|missing|unknown, note: ...}`: a person's verdict, taken as stated.
Evidence that was not collected makes a requirement `unknown`, never `missing`.
"""

from __future__ import annotations

from collections.abc import Mapping

from crmsec.vocabulary import JsonValue

SCHEMA_KEY = "schema.objects"


def decide_all(requirements: list[dict[str, JsonValue]], values: Mapping[str, JsonValue]) -> list[dict[str, JsonValue]]:
    """One `{id, title, priority, status, how}` per requirement, in file order."""
    decided = []
    for requirement in requirements:
        status, how = decide(requirement["detect"], values)
        decided.append({"id": requirement["id"], "title": requirement["title"],
                        "priority": requirement["priority"], "status": status, "how": how})  # fmt: skip
    return decided


def decide(detect: Mapping[str, JsonValue], values: Mapping[str, JsonValue]) -> tuple[str, str]:
    """The status of one requirement and a short explanation of how it was decided."""
    if "manual" in detect:
        note = f": {str(detect['note'])[:120]}" if detect.get("note") else ""
        return str(detect["manual"]), f"manual verdict{note}"
    if "evidence" in detect:
        return _by_evidence(detect, values)
    objects = _objects(values)
    if objects is None:
        return "unknown", f"{SCHEMA_KEY} was not collected"
    if "object" in detect:
        return _by_object(str(detect["object"]), detect.get("min_records"), objects)
    object_name, _, field_name = str(detect["field"]).partition(".")
    found = objects.get(object_name.lower())
    if found is None:
        return "missing", f"object {object_name} is not in {SCHEMA_KEY}"
    names = {str(field.get("name", "")).lower() for field in found.get("fields") or [] if isinstance(field, dict)}
    if field_name.lower() in names:
        return "met", f"field {object_name}.{field_name} is in {SCHEMA_KEY}"
    return "missing", f"field {object_name}.{field_name} is not in {SCHEMA_KEY}"


def _objects(values: Mapping[str, JsonValue]) -> dict[str, dict[str, JsonValue]] | None:
    listed = values.get(SCHEMA_KEY)
    if not isinstance(listed, list):
        return None
    return {str(item.get("name", "")).lower(): item for item in listed if isinstance(item, dict)}


def _by_object(name: str, min_records: JsonValue, objects: dict[str, dict[str, JsonValue]]) -> tuple[str, str]:
    found = objects.get(name.lower())
    if found is None:
        return "missing", f"object {name} is not in {SCHEMA_KEY}"
    if not isinstance(min_records, int):
        return "met", f"object {name} is in {SCHEMA_KEY}"
    count = found.get("record_count")
    if not isinstance(count, int):
        return "unknown", f"object {name} exists but its record count is unknown"
    if count >= min_records:
        return "met", f"object {name} holds {count} records (at least {min_records})"
    return "partial", f"object {name} exists but holds {count} records (fewer than {min_records})"


def _by_evidence(detect: Mapping[str, JsonValue], values: Mapping[str, JsonValue]) -> tuple[str, str]:
    key = str(detect["evidence"])
    if key not in values:
        return "unknown", f"{key} was not collected"
    value: JsonValue = values[key]
    path = str(detect.get("path") or "")
    for part in path.split(".") if path else ():
        value = value.get(part) if isinstance(value, dict) else None
    where = f"{key}{'.' + path if path else ''}"
    if "equals" in detect:
        met = value == detect["equals"]
        return ("met" if met else "missing"), f"{where} is {_short(value)} (expected {_short(detect['equals'])})"
    return ("met" if value else "missing"), f"{where} is {_short(value)}"


def _short(value: JsonValue) -> str:
    if isinstance(value, dict | list):
        return f"a {type(value).__name__} of {len(value)}"
    text = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return text[:60]
