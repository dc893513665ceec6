"""scan_file on CSV and JSON lines: full reads, seeded sampling, and malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmsec.errors import InputError
from crmsec.pii import ColumnResult, scan_file

ROWS = [
    {"full_name": "张伟", "email": "zhang.wei@example.cn", "phone": "13800138000", "order_no": "SO-2024-000001"},
    {
        "full_name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+1 415 867 5309",
        "order_no": "SO-2024-000002",
    },
    {"full_name": "王芳", "email": "wang.fang@example.cn", "phone": "+86 139 0013 9000", "order_no": "SO-2024-000003"},
] * 20


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(rows[0])] + [",".join(row.values()) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def categories(results: list[ColumnResult]) -> dict[str, list[str]]:
    return {result.field: result.categories for result in results}


EXPECTED = {"full_name": ["person_name"], "email": ["email"], "phone": ["phone"], "order_no": []}


def test_csv_every_row(tmp_path: Path) -> None:
    results = scan_file(write_csv(tmp_path / "contacts.csv", ROWS), sample=0)
    assert categories(results) == EXPECTED
    assert all(result.sampled == 60 for result in results)


def test_jsonl_every_row_with_missing_keys_and_non_strings(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [dict(row) for row in ROWS]
    rows[0] = {"full_name": "张伟", "email": None, "score": 3}
    results = scan_file(write_jsonl(tmp_path / "contacts.jsonl", rows), sample=0)
    found = categories(results)
    assert found["email"] == ["email"] and found["phone"] == ["phone"] and found["score"] == []
    email = next(result for result in results if result.field == "email")
    assert (email.sampled, email.non_empty) == (60, 59)


def test_sampling_is_bounded_and_seeded(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "contacts.csv", ROWS)
    first = scan_file(path, sample=10, seed=7)
    again = scan_file(path, sample=10, seed=7)
    assert first == again
    assert all(result.sampled == 10 for result in first)
    assert categories(first) == EXPECTED


def test_sample_larger_than_the_file_reads_everything(tmp_path: Path) -> None:
    results = scan_file(write_csv(tmp_path / "contacts.csv", ROWS), sample=1000)
    assert all(result.sampled == 60 for result in results)


def test_format_sniffed_without_a_known_suffix(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "export.data", [dict(row) for row in ROWS])
    assert categories(scan_file(path, sample=0)) == EXPECTED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ragged.csv", "a,b\n1,2\n3\n", "ragged.csv:3: expected 2 fields, found 1"),
        ("empty.csv", "", "empty.csv:1: missing CSV header row"),
        ("duplicate.csv", "a,a\n1,2\n", "duplicate.csv:1: duplicate column names"),
        ("broken.jsonl", '{"a": 1}\n{"a": \n', "broken.jsonl:2: not valid JSON"),
        ("array.jsonl", '{"a": 1}\n[1, 2]\n', "array.jsonl:2: expected a JSON object"),
        ("nan.jsonl", '{"a": NaN}\n', "nan.jsonl:1: not valid JSON"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        scan_file(path, sample=0)
    text = str(error.value)
    assert "\n" not in text
    assert message in text


def test_binary_and_undecodable_files(tmp_path: Path) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(InputError, match="not a CSV or JSON-lines file"):
        scan_file(binary)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name\nJos\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.csv: not UTF-8"):
        scan_file(latin)


def test_missing_file_and_negative_sample(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        scan_file(tmp_path / "absent.csv")
    with pytest.raises(InputError, match="--sample -1"):
        scan_file(tmp_path / "absent.csv", sample=-1)


def test_error_messages_never_quote_values(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("email,phone\njane.doe@example.com\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        scan_file(path)
    assert "jane.doe" not in str(error.value)
