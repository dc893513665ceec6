"""`crmsec pii scan` through click's CliRunner and the real entry point: output is masked, errors exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmsec.cli import cli, main

RAW = {
    "full_name": ["张伟", "Jane Doe", "王芳"],
    "email": ["zhang.wei@example.cn", "jane.doe@example.com", "wang.fang@example.cn"],
    "phone": ["13800138000", "+1 415 867 5309", "+86 139 0013 9000"],
    "id_card": ["11010519491231002X", "110105194912310029", "11010519491231002X"],
    "card_number": ["4111 1111 1111 1111", "5555555555554444", "378282246310005"],
}


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    header = ",".join(RAW)
    rows = [",".join(column[index] for column in RAW.values()) for index in range(3)]
    path.write_text("\n".join([header, *rows * 5]) + "\n", encoding="utf-8")
    return path


def assert_no_raw_values(output: str) -> None:
    for values in RAW.values():
        for value in values:
            assert value not in output, value
    for fragment in ("zhang.wei", "jane.doe", "0013", "1111 1111", "19491231", "867"):
        assert fragment not in output, fragment


def test_scan_json(export: Path) -> None:
    result = CliRunner().invoke(cli, ["pii", "scan", str(export), "--format", "json", "--sample", "0"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    found = {item["field"]: item["categories"] for item in document}
    assert found == {
        "full_name": ["person_name"],
        "email": ["email"],
        "phone": ["phone"],
        "id_card": ["cn_resident_id"],
        "card_number": ["payment_card"],
    }
    for item in document:
        assert set(item) >= {"field", "categories", "confidence", "counts", "sampled", "non_empty", "masked_examples"}
        assert item["sampled"] == 15
    assert_no_raw_values(result.output)


def test_scan_table(export: Path) -> None:
    result = CliRunner().invoke(cli, ["pii", "scan", str(export), "--sample", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "cn_resident_id" in result.stdout and "j***@e***.com" in result.stdout
    assert_no_raw_values(result.output)


def test_bad_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("email,phone\njane.doe@example.com\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["pii", "scan", str(path)])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "ragged.csv:2: expected 2 fields, found 1" in captured.err
    assert "jane.doe" not in captured.err + captured.out


def test_negative_sample_is_a_usage_error(export: Path) -> None:
    result = CliRunner().invoke(cli, ["pii", "scan", str(export), "--sample", "-1"])
    assert result.exit_code == 2
