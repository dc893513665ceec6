"""A small SOQL evaluator over in-memory sObject tables, so the lab answers queries it has never seen.

Supported: `SELECT f1, Rel.Field, COUNT() FROM Object [WHERE ...] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST]]
[LIMIT n] [OFFSET n]`; conditions with `= != <> < <= > >=`, `IN (...)`, `NOT IN (...)`, `LIKE`, `AND`,
`OR`, `NOT` and parentheses; literals: strings, numbers, `true/false/null`, dates, datetimes and the date
literals `TODAY`, `YESTERDAY`, `LAST_N_DAYS:n`. Field and object names are case-insensitive, as in
Salesforce. Unknown objects and fields raise `SoqlError` with Salesforce's error codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from crmsec.lab.soql_conditions import (
    DateRange,
    both,
    compare,
    either,
    field_value,
    folded,
    like_pattern,
    start_of_day,
)
from crmsec.lab.soql_conditions import Record as Record  # the lab modules' row type, defined with the conditions


class SoqlError(Exception):
    """A query Salesforce would refuse; `code` is the errorCode of the REST error body."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(slots=True)
class Table:
    """An sObject table: its rows (any sequence, possibly generated lazily) and its schema."""

    name: str
    rows: Sequence[Record]
    fields: tuple[str, ...]
    relationships: Mapping[str, str] = field(default_factory=dict)
    """Relationship name -> target object (e.g. `Profile` -> `Profile` on User)."""

    def field_name(self, name: str) -> str | None:
        """The canonical spelling of field `name`, or None."""
        lowered = name.lower()
        return next((candidate for candidate in self.fields if candidate.lower() == lowered), None)

    def relationship(self, name: str) -> tuple[str, str] | None:
        """(canonical relationship name, target object) for `name`, or None."""
        lowered = name.lower()
        for candidate, target in self.relationships.items():
            if candidate.lower() == lowered:
                return candidate, target
        return None


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query."""

    object_name: str
    fields: tuple[tuple[str, ...], ...]
    count_only: bool
    where: Callable[[Record], bool] | None
    order_by: tuple[tuple[tuple[str, ...], bool, bool], ...]
    limit: int | None
    offset: int


_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^'\\]|\\.)*')|(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))"
    r"|(?P<date>\d{4}-\d{2}-\d{2})|(?P<number>-?\d+(?:\.\d+)?)|(?P<op><=|>=|!=|<>|=|<|>)"
    r"|(?P<punct>[(),])|(?P<word>[A-Za-z_][A-Za-z0-9_.]*(?::\d+)?))",
)


def tokenize(text: str) -> list[tuple[str, str]]:
    """The query as (kind, text) tokens; anything unrecognised is MALFORMED_QUERY."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise SoqlError("MALFORMED_QUERY", f"unexpected token at position {position}")
        kind = match.lastgroup or "word"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, tables: Mapping[str, Table], now: datetime) -> None:
        self.tokens = tokenize(text)
        self.index = 0
        self.tables = {name.lower(): table for name, table in tables.items()}
        self.now = now
        self.table: Table | None = None

    def peek(self, offset: int = 0) -> tuple[str, str]:
        position = self.index + offset
        return self.tokens[position] if position < len(self.tokens) else ("end", "")

    def keyword(self, *words: str) -> bool:
        kind, text = self.peek()
        if kind == "word" and text.upper() in words:
            self.index += 1
            return True
        return False

    def expect(self, kind: str, text: str | None = None) -> str:
        actual_kind, actual = self.peek()
        if actual_kind != kind or (text is not None and actual.upper() != text):
            raise SoqlError("MALFORMED_QUERY", f"expected {text or kind} but found {actual or 'end of query'}")
        self.index += 1
        return actual

    def parse(self) -> Query:
        self.expect("word", "SELECT")
        raw_fields, count_only = self._select_list()
        self.expect("word", "FROM")
        object_name = self.expect("word")
        table = self.tables.get(object_name.lower())
        if table is None:
            raise SoqlError("INVALID_TYPE", f"sObject type '{object_name}' is not supported.")
        self.table = table
        fields = tuple(self.path(name) for name in raw_fields)
        where = self._condition() if self.keyword("WHERE") else None
        order = self._order_by() if self.keyword("ORDER") else ()
        limit = int(self.expect("number")) if self.keyword("LIMIT") else None
        offset = int(self.expect("number")) if self.keyword("OFFSET") else 0
        if self.peek()[0] != "end":
            raise SoqlError("MALFORMED_QUERY", f"unexpected token: {self.peek()[1]}")
        return Query(table.name, fields, count_only, where, order, limit, offset)

    def _select_list(self) -> tuple[list[str], bool]:
        if self.peek()[1].upper() == "COUNT" and self.peek(1)[1] == "(":
            self.index += 2
            self.expect("punct", ")")
            return [], True
        names = [self.expect("word")]
        while self.peek()[1] == ",":
            self.index += 1
            names.append(self.expect("word"))
        return names, False

    def path(self, dotted: str) -> tuple[str, ...]:
        """Canonical path segments for a (possibly dotted) field name, checked against the schema."""
        assert self.table is not None
        table, segments = self.table, dotted.split(".")
        canonical: list[str] = []
        for position, segment in enumerate(segments):
            if position < len(segments) - 1:
                found = table.relationship(segment)
                if found is None or found[1].lower() not in self.tables:
                    raise SoqlError("INVALID_FIELD", f"Didn't understand relationship '{segment}' in field path.")
                canonical.append(found[0])
                table = self.tables[found[1].lower()]
            else:
                name = table.field_name(segment)
                if name is None:
                    raise SoqlError(
                        "INVALID_FIELD",
                        f"No such column '{segment}' on entity '{table.name}'. If you are attempting to use a custom "
                        "field, be sure to append the '__c' after the custom field name. Please reference your WSDL "
                        "or the describe call for the appropriate names.",
                    )
                canonical.append(name)
        return tuple(canonical)

    def _order_by(self) -> tuple[tuple[tuple[str, ...], bool, bool], ...]:
        self.expect("word", "BY")
        items = []
        while True:
            path = self.path(self.expect("word"))
            descending = self.keyword("DESC")
            if not descending:
                self.keyword("ASC")
            nulls_last = descending
            if self.keyword("NULLS"):
                nulls_last = self.keyword("LAST")
                if not nulls_last:
                    self.expect("word", "FIRST")
            items.append((path, descending, nulls_last))
            if self.peek()[1] != ",":
                return tuple(items)
            self.index += 1

    def _condition(self) -> Callable[[Record], bool]:
        left = self._conjunction()
        while self.keyword("OR"):
            right, previous = self._conjunction(), left
            left = either(previous, right)
        return left

    def _conjunction(self) -> Callable[[Record], bool]:
        left = self._negation()
        while self.keyword("AND"):
            right, previous = self._negation(), left
            left = both(previous, right)
        return left

    def _negation(self) -> Callable[[Record], bool]:
        if self.keyword("NOT"):
            inner = self._negation()
            return lambda record: not inner(record)
        if self.peek()[1] == "(":
            self.index += 1
            inner = self._condition()
            self.expect("punct", ")")
            return inner
        return self._comparison()

    def _comparison(self) -> Callable[[Record], bool]:
        path = self.path(self.expect("word"))
        if self.keyword("NOT"):
            self.expect("word", "IN")
            values = [folded(value) for value in self._value_list()]
            return lambda record: folded(field_value(record, path)) not in values
        if self.keyword("IN"):
            values = [folded(value) for value in self._value_list()]
            return lambda record: folded(field_value(record, path)) in values
        if self.keyword("LIKE"):
            pattern = like_pattern(self._literal())
            return lambda record: isinstance(value := field_value(record, path), str) and bool(pattern.fullmatch(value))
        operator = self.expect("op")
        return compare(path, operator, self._literal())

    def _value_list(self) -> list[Any]:
        self.expect("punct", "(")
        values = [self._literal()]
        while self.peek()[1] == ",":
            self.index += 1
            values.append(self._literal())
        self.expect("punct", ")")
        return values

    def _literal(self) -> Any:
        kind, text = self.peek()
        self.index += 1
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind == "datetime":
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        if kind == "date":
            return date.fromisoformat(text)
        if kind == "word":
            return self._word_literal(text)
        raise SoqlError("MALFORMED_QUERY", f"expected a value but found {text or 'end of query'}")

    def _word_literal(self, text: str) -> Any:
        upper = text.upper()
        if upper in ("TRUE", "FALSE"):
            return upper == "TRUE"
        if upper == "NULL":
            return None
        today = self.now.date()
        if upper == "TODAY":
            return DateRange(start_of_day(today), start_of_day(today + timedelta(days=1)))
        if upper == "YESTERDAY":
            return DateRange(start_of_day(today - timedelta(days=1)), start_of_day(today))
        if upper.startswith("LAST_N_DAYS:"):
            days = int(upper.partition(":")[2])
            return DateRange(start_of_day(today - timedelta(days=days)), start_of_day(today + timedelta(days=1)))
        raise SoqlError("MALFORMED_QUERY", f"unknown literal {text}")


def parse(text: str, tables: Mapping[str, Table], *, now: datetime) -> Query:
    """Parse `text` against `tables`; unknown objects/fields and bad syntax raise SoqlError."""
    return _Parser(text, tables, now).parse()


def execute(query: Query, tables: Mapping[str, Table]) -> list[int]:
    """The indices of the matching rows, ordered, offset and limited (rows are fetched again per page).

    Each row is generated once here: the filter and the sort keys are read from the same fetch.
    """
    table = next(table for name, table in tables.items() if name.lower() == query.object_name.lower())
    rows = table.rows
    paths = [path for path, _descending, _nulls_last in query.order_by]
    matched: list[tuple[int, tuple[Any, ...]]] = []
    for index in range(len(rows)):
        row = rows[index]
        if query.where is None or query.where(row):
            matched.append((index, tuple(field_value(row, path) for path in paths)))
    for position in reversed(range(len(paths))):
        _path, descending, nulls_last = query.order_by[position]
        present = [entry for entry in matched if entry[1][position] is not None]
        missing = [entry for entry in matched if entry[1][position] is None]
        present.sort(key=lambda entry: _sort_key(entry[1][position]), reverse=descending)
        matched = present + missing if nulls_last else missing + present
    indices = [index for index, _keys in matched[query.offset :]]
    return indices[: query.limit] if query.limit is not None else indices


def _sort_key(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def project(row: Record, query: Query, *, api_version: str, shift: timedelta = timedelta(0)) -> Record:
    """The row as the REST API returns it: `attributes` plus the selected fields (nested for relationships).

    `shift` moves every datetime by the lab's whole days of uptime (`LabOrg.shift`), so ages stay put."""
    output: Record = {"attributes": _attributes(query.object_name, row, api_version)}
    for path in query.fields:
        _place(output, row, path, api_version, shift)
    return output


def _attributes(object_name: str, row: Record, api_version: str) -> Record:
    return {"type": object_name, "url": f"/services/data/v{api_version}/sobjects/{object_name}/{row.get('Id', '')}"}


def _place(output: Record, row: Record, path: tuple[str, ...], api_version: str, shift: timedelta) -> None:
    head = path[0]
    if len(path) == 1:
        output[head] = to_json_value(row.get(head), shift)
        return
    child = row.get(head)
    if not isinstance(child, dict):
        output[head] = None
        return
    nested = output.get(head)
    if not isinstance(nested, dict):
        nested = {"attributes": _attributes(child.get("__type__", head), child, api_version)}
        output[head] = nested
    _place(nested, child, path[1:], api_version, shift)


def to_json_value(value: Any, shift: timedelta = timedelta(0)) -> Any:
    """Datetimes (moved by `shift`) and dates in Salesforce's wire format; everything else unchanged.

    Dates (birthdates) are facts, not ages relative to the lab's clock, so they never move."""
    if isinstance(value, datetime):
        return (value + shift).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
    if isinstance(value, date):
        return value.isoformat()
    return value
