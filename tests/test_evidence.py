from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsec.canonical import canonical_bytes, digest
from crmsec.errors import EvidenceFileError, Reason
from crmsec.evidence import EvidenceItem, load_snapshot, save_snapshot, snapshot_from_json
from crmsec.testing import snapshot_from_values


def _document() -> dict:
    snapshot = snapshot_from_values(
        {"auth.session_settings": {"idle_timeout_minutes": 15}, "identity.users": {"__error__": {"reason": "timeout"}}}
    )
    return snapshot.to_json()


def test_round_trip(tmp_path: Path) -> None:
    snapshot = snapshot_from_json(_document())
    path = tmp_path / "evidence.json"
    save_snapshot(snapshot, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_snapshot(path)
    assert loaded == snapshot
    assert loaded.sha256 == snapshot.sha256
    assert loaded.items["identity.users"].error is not None
    assert loaded.items["identity.users"].error.reason is Reason.TIMEOUT


def test_item_hash_is_canonical_value_hash() -> None:
    item = EvidenceItem.of_value(
        "org.info", {"b": 1, "a": [1, 2]}, source="GET /x", collected_at="2026-01-01T00:00:00Z"
    )
    assert item.sha256 == digest({"a": [1, 2], "b": 1})


@pytest.mark.parametrize(
    ("mutate", "pointer"),
    [
        (lambda d: d.pop("metadata"), "/"),
        (lambda d: d["metadata"].update(api_calls=-1), "/metadata/api_calls"),
        (lambda d: d["metadata"].update(target_url="https://user:pw@crm.example.test"), "/metadata/target_url"),
        (lambda d: d["items"].update({"NotDotted": d["items"]["auth.session_settings"]}), "/items"),
        (lambda d: d["items"]["auth.session_settings"].update(sha256="0" * 64), "/items/auth.session_settings/sha256"),
        (
            lambda d: d["items"]["auth.session_settings"].update(source="GET /q?token=abc"),
            "/items/auth.session_settings/source",
        ),
        (
            lambda d: d["items"]["auth.session_settings"].update(error={"reason": "timeout", "message": "x"}),
            "/items/auth.session_settings",
        ),
        (lambda d: d["items"]["identity.users"]["error"].update(reason="bogus"), "/items/identity.users/error/reason"),
    ],
)
def test_invalid_documents_name_the_pointer(tmp_path: Path, mutate, pointer: str) -> None:
    document = _document()
    mutate(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(EvidenceFileError) as caught:
        load_snapshot(path)
    assert str(path) in str(caught.value)
    assert pointer in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
        ("{not json", "invalid JSON at line 1"),
        ('{"a": NaN}', "NaN"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unparseable_files(tmp_path: Path, content: str | bytes, expected: str) -> None:
    path = tmp_path / "evidence.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(EvidenceFileError, match=expected):
        load_snapshot(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceFileError, match="cannot read"):
        load_snapshot(tmp_path / "absent.json")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(max_size=5), json_values, max_size=6))
def test_canonical_bytes_ignore_key_order(value: dict) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical_bytes(value) == canonical_bytes(reordered)
