"""One lab org: every table of the REST and Tooling APIs for a scenario, plus SOQL cursors for paging."""

from __future__ import annotations

import itertools
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crmsec.lab.identity import identity_tables
from crmsec.lab.people import People
from crmsec.lab.records import business_tables
from crmsec.lab.scenarios import Posture
from crmsec.lab.setup import setup_tables
from crmsec.lab.soql import Query, SoqlError, Table, execute, parse, project
from crmsec.lab.tooling import describe, describe_table, tooling_tables

API_VERSION = "62.0"
VARIANTS: dict[str, tuple[str, ...]] = {
    "no-encryption-keys-permission": ("PermissionSet.PermissionsManageEncryptionKeys",),
}
"""Named org variants (`crmsec lab serve --variant`): the fields such an org lacks (`LabConfig.missing_fields`)."""
MAX_RESULTS = 64
MAX_CACHED_BYTES = 128 * 1024 * 1024


@dataclass(slots=True)
class _Result:
    """One query's matching rows, kept so repeated queries and later pages cost nothing to find again."""

    query: Query
    indices: list[int]
    tooling: bool
    locator: str


class LabOrg:
    """The in-memory org behind the lab server.

    The data never changes after start, so a query's result is computed once and its pages are encoded
    to JSON once: `query_page` answers a repeated query (or page) from bytes. Both caches are bounded
    (results by count, pages by bytes), and locators stay valid as long as their result is cached.

    Every timestamp is built relative to `now`, the lab's start (by default the start of that day). With a
    `clock`, the org serves them moved by the whole days the lab has been up (`shift`), so an age (last
    login, token use, key age) reads the same on day 30 of a long-running lab as on day one and no verdict
    drifts over its threshold; SOQL date literals (`LAST_N_DAYS:30`) are still evaluated at `now`, against
    the stored rows, which is the same window moved by the same days.
    """

    def __init__(
        self,
        posture: Posture,
        *,
        seed: int,
        users: int,
        contacts: int,
        now: datetime,
        missing_fields: tuple[str, ...] = (),
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.posture = posture
        self.now = now
        self.clock = clock
        people = People(seed)
        self.data: dict[str, Table] = {}
        self.data.update(identity_tables(posture, people, users=users, now=now))
        self.data.update(business_tables(posture, people, contacts=contacts, now=now, owners=users))
        self.data.update(setup_tables(posture, now))
        self.tooling: dict[str, Table] = {
            **tooling_tables(posture),
            "Profile": self.data["Profile"],
            "PermissionSet": self.data["PermissionSet"],
        }
        self.missing_fields = missing_fields
        for qualified in missing_fields:
            self._drop_field(qualified)
        self._results: OrderedDict[tuple[bool, str], _Result] = OrderedDict()
        self._locators: dict[str, _Result] = {}
        self._pages: OrderedDict[tuple[str, int, int, int], bytes] = OrderedDict()
        self._page_bytes = 0
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    def _drop_field(self, qualified: str) -> None:
        """Remove `Object.Field` from the org: SOQL naming it fails with INVALID_FIELD and describes omit it,
        as on an org without that field (permission columns vary per org)."""
        object_name, _, field_name = qualified.partition(".")
        table = self.data.get(object_name) or self.tooling.get(object_name)
        if table is None or field_name not in table.fields:
            raise ValueError(f"the lab org has no field {qualified} to leave out")
        table.fields = tuple(name for name in table.fields if name != field_name)

    def describe(self, object_name: str) -> dict[str, Any] | None:
        """The REST describe of `object_name` (business objects in detail, other tables from their schema)."""
        document = describe(object_name, self.posture)
        if document is None:
            table = self.data.get(object_name)
            return None if table is None else describe_table(table)
        missing = {
            qualified.partition(".")[2] for qualified in self.missing_fields if qualified.startswith(f"{object_name}.")
        }
        return document | {"fields": [entry for entry in document["fields"] if entry["name"] not in missing]}

    def tables(self, *, tooling: bool) -> dict[str, Table]:
        """The REST or the Tooling API's tables."""
        return self.tooling if tooling else self.data

    def shift(self) -> timedelta:
        """The whole days between `now` and the clock (never negative; none without a clock)."""
        if self.clock is None:
            return timedelta(0)
        return timedelta(days=max((self.clock() - self.now) // timedelta(days=1), 0))

    def current_now(self) -> datetime:
        """`now` moved by `shift`: the moment served timestamps are relative to."""
        return self.now + self.shift()

    def query(self, text: str, *, tooling: bool, batch_size: int) -> dict[str, Any]:
        """Run a SOQL query and return its first page as a document (SoqlError on a bad query)."""
        return self._page(self._result(text, tooling=tooling), start=0, batch=batch_size, shift=self.shift())

    def next_page(self, token: str, *, tooling: bool, batch_size: int) -> dict[str, Any]:
        """The page `<locator>-<start>` of an earlier query (SoqlError INVALID_QUERY_LOCATOR when unknown)."""
        result, start = self._locate(token, tooling=tooling)
        return self._page(result, start=start, batch=batch_size, shift=self.shift())

    def query_page(self, text: str, *, tooling: bool, batch_size: int) -> bytes:
        """`query` as JSON bytes, from the page cache when the same query was answered before."""
        return self._encoded(self._result(text, tooling=tooling), start=0, batch=batch_size, shift=self.shift())

    def next_page_bytes(self, token: str, *, tooling: bool, batch_size: int) -> bytes:
        """`next_page` as JSON bytes, from the page cache when possible."""
        result, start = self._locate(token, tooling=tooling)
        return self._encoded(result, start=start, batch=batch_size, shift=self.shift())

    def _result(self, text: str, *, tooling: bool) -> _Result:
        key = (tooling, text)
        with self._lock:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
                return cached
        tables = self.tables(tooling=tooling)
        query = parse(text, tables, now=self.now)
        result = _Result(query, execute(query, tables), tooling, f"01gLb{next(self._numbers):013d}")
        with self._lock:
            self._results[key] = result
            self._locators[result.locator] = result
            while len(self._results) > MAX_RESULTS:
                _key, evicted = self._results.popitem(last=False)
                self._locators.pop(evicted.locator, None)
        return result

    def _locate(self, token: str, *, tooling: bool) -> tuple[_Result, int]:
        locator, _, start_text = token.rpartition("-")
        with self._lock:
            result = self._locators.get(locator)
        if result is None or result.tooling != tooling or not start_text.isdigit():
            raise SoqlError("INVALID_QUERY_LOCATOR", "invalid query locator")
        return result, int(start_text)

    def _encoded(self, result: _Result, *, start: int, batch: int, shift: timedelta) -> bytes:
        key = (result.locator, start, batch, shift.days)
        with self._lock:
            cached = self._pages.get(key)
            if cached is not None:
                self._pages.move_to_end(key)
                return cached
        payload = encode(self._page(result, start=start, batch=batch, shift=shift))
        with self._lock:
            self._pages[key] = payload
            self._page_bytes += len(payload)
            while self._page_bytes > MAX_CACHED_BYTES and len(self._pages) > 1:
                _key, evicted = self._pages.popitem(last=False)
                self._page_bytes -= len(evicted)
        return payload

    def _page(self, result: _Result, *, start: int, batch: int, shift: timedelta) -> dict[str, Any]:
        query, total = result.query, len(result.indices)
        if query.count_only:
            return {"totalSize": total, "done": True, "records": []} | self._tooling_fields(result, total)
        rows = self.tables(tooling=result.tooling)[query.object_name].rows
        chosen = result.indices[start : start + batch]
        records = [project(rows[index], query, api_version=API_VERSION, shift=shift) for index in chosen]
        done = start + len(chosen) >= total
        page: dict[str, Any] = {"totalSize": total, "done": done, "records": records}
        if not done:
            base = "/tooling" if result.tooling else ""
            page["nextRecordsUrl"] = f"/services/data/v{API_VERSION}{base}/query/{result.locator}-{start + len(chosen)}"
        return page | self._tooling_fields(result, total)

    @staticmethod
    def _tooling_fields(result: _Result, total: int) -> dict[str, Any]:
        if not result.tooling:
            return {}
        return {"size": total, "entityTypeName": result.query.object_name, "queryLocator": None}

    def record_count(self, object_name: str) -> int | None:
        """How many rows an object has (None when the org has no such object)."""
        table = self.data.get(object_name)
        return None if table is None else len(table.rows)


def encode(document: Any) -> bytes:
    """Compact UTF-8 JSON, as the lab sends it."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
