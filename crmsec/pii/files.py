"""Scan a CSV (header row) or JSON-lines export column by column, streaming, with reservoir sampling.

The file is read once. With `sample=0` every row is classified as it streams by; otherwise a uniform
reservoir of `sample` rows (Algorithm R, `random.Random(seed)`) is kept and classified at the end, so
memory stays bounded by the sample. Unreadable or malformed input raises `InputError` naming the file and
line; the message never quotes a value, since values may be personal data.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from crmsec import files
from crmsec.documents import parse_json_text
from crmsec.errors import InputError
from crmsec.pii.columns import ColumnAccumulator, ColumnResult

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonlines")
_CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_HINT = "pass a UTF-8 CSV file with a header row, or a JSON-lines file with one object per line"

Row = dict[str, str | None]


def scan_file(path: Path, *, sample: int = 1000, seed: int = 0) -> list[ColumnResult]:
    """Classify every column of a CSV or JSON-lines file; `sample=0` reads every row.

    Results come in column order (CSV header order, or first appearance of a JSON key). Raises
    InputError for an unreadable file, an unknown format, a ragged CSV row or a line that is not a
    JSON object.
    """
    if sample < 0:
        raise InputError(f"--sample {sample}: expected 0 (every row) or a positive row count")
    columns: dict[str, ColumnAccumulator] = {}
    rows = _rows(path, columns)
    if sample == 0:
        for row in rows:
            _feed(columns, row)
    else:
        for row in _reservoir(rows, sample, random.Random(seed)):  # noqa: S311 -- sampling, not security
            _feed(columns, row)
    return [accumulator.result() for accumulator in columns.values()]


def _feed(columns: dict[str, ColumnAccumulator], row: Row) -> None:
    for field, accumulator in columns.items():
        accumulator.add(row.get(field))


def _reservoir(rows: Iterator[Row], size: int, generator: random.Random) -> list[Row]:
    kept: list[Row] = []
    for index, row in enumerate(rows):
        if index < size:
            kept.append(row)
        else:
            slot = generator.randint(0, index)
            if slot < size:
                kept[slot] = row
    return kept


def _rows(path: Path, columns: dict[str, ColumnAccumulator]) -> Iterator[Row]:
    """Rows as dicts; registers columns in `columns` as they are discovered."""
    kind = _format(path)
    return _jsonl_rows(path, columns) if kind == "jsonl" else _csv_rows(path, columns)


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _CSV_SUFFIXES:
        return "csv"
    try:
        with files.open_regular(path, limit=None, error=_input_error) as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})", hint=_HINT) from error
    if head.startswith(b"{"):
        return "jsonl"
    if b"\x00" in head or not head:
        raise InputError(f"{path}: not a CSV or JSON-lines file", hint=_HINT)
    return "csv"


def _input_error(message: str) -> InputError:
    return InputError(message, hint=_HINT)


@contextlib.contextmanager
def _open_text(path: Path, *, newline: str | None) -> Iterator[TextIO]:
    """The export as UTF-8 text (BOM skipped), streamed; a FIFO, device or folder is refused, not read."""
    with files.open_regular(path, limit=None, error=_input_error) as handle:
        yield io.TextIOWrapper(handle, encoding="utf-8-sig", newline=newline)


def _csv_rows(path: Path, columns: dict[str, ColumnAccumulator]) -> Iterator[Row]:
    try:
        with _open_text(path, newline="") as handle:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            header = _header(path, next(reader, None))
            for field in header:
                columns[field] = ColumnAccumulator(field)
            for record in reader:
                if not record:
                    continue
                if len(record) != len(header):
                    raise InputError(
                        f"{path}:{reader.line_num}: expected {len(header)} fields, found {len(record)}", hint=_HINT
                    )
                yield dict(zip(header, record, strict=True))
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})", hint=_HINT) from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte offset {error.start})", hint=_HINT) from error
    except csv.Error as error:
        raise InputError(f"{path}: malformed CSV ({error})", hint=_HINT) from error


def _header(path: Path, header: list[str] | None) -> list[str]:
    if not header or not any(name.strip() for name in header):
        raise InputError(f"{path}:1: missing CSV header row", hint=_HINT)
    names = [name.strip() for name in header]
    if len(set(names)) != len(names):
        raise InputError(f"{path}:1: duplicate column names in the header", hint=_HINT)
    return names


def _jsonl_rows(path: Path, columns: dict[str, ColumnAccumulator]) -> Iterator[Row]:
    try:
        with _open_text(path, newline=None) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _json_row(path, number, line, columns)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})", hint=_HINT) from error
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte offset {error.start})", hint=_HINT) from error


def _json_row(path: Path, number: int, line: str, columns: dict[str, ColumnAccumulator]) -> Row:
    try:
        document = parse_json_text(line)
    except (json.JSONDecodeError, ValueError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise InputError(f"{path}:{number}: not valid JSON ({reason})", hint=_HINT) from error
    except RecursionError as error:
        raise InputError(f"{path}:{number}: nested too deeply", hint=_HINT) from error
    if not isinstance(document, dict):
        raise InputError(f"{path}:{number}: expected a JSON object per line", hint=_HINT)
    row: Row = {}
    for key, value in document.items():
        if key not in columns:
            columns[key] = ColumnAccumulator(key)
        row[key] = _cell(value)
    return row


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
