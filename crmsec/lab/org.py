"""One lab org: every table of the REST and Tooling APIs for a scenario, plus SOQL cursors for paging."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crmsec.lab.identity import identity_tables
from crmsec.lab.people import People
from crmsec.lab.records import business_tables
from crmsec.lab.scenarios import Posture
from crmsec.lab.setup import setup_tables
from crmsec.lab.soql import Query, SoqlError, Table, execute, parse, project
from crmsec.lab.tooling import tooling_tables

API_VERSION = "62.0"
MAX_CURSORS = 64


@dataclass(slots=True)
class _Cursor:
    query: Query
    indices: list[int]
    tooling: bool


class LabOrg:
    """The in-memory org behind the lab server."""

    def __init__(self, posture: Posture, *, seed: int, users: int, contacts: int, now: datetime) -> None:
        self.posture = posture
        self.now = now
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
        self._cursors: OrderedDict[str, _Cursor] = OrderedDict()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    def tables(self, *, tooling: bool) -> dict[str, Table]:
        """The REST or the Tooling API's tables."""
        return self.tooling if tooling else self.data

    def query(self, text: str, *, tooling: bool, batch_size: int) -> dict[str, Any]:
        """Run a SOQL query and return its first page (SoqlError on a bad query)."""
        tables = self.tables(tooling=tooling)
        query = parse(text, tables, now=self.now)
        indices = execute(query, tables)
        if query.count_only:
            return self._page(query, [], total=len(indices), locator=None, start=0, tooling=tooling, batch=0)
        locator = None
        if len(indices) > batch_size:
            with self._lock:
                locator = f"01gLb{next(self._numbers):013d}"
                self._cursors[locator] = _Cursor(query, indices, tooling)
                while len(self._cursors) > MAX_CURSORS:
                    self._cursors.popitem(last=False)
        return self._page(
            query, indices, total=len(indices), locator=locator, start=0, tooling=tooling, batch=batch_size
        )

    def next_page(self, token: str, *, tooling: bool, batch_size: int) -> dict[str, Any]:
        """The page `<locator>-<start>` of an earlier query (SoqlError INVALID_QUERY_LOCATOR when unknown)."""
        locator, _, start_text = token.rpartition("-")
        with self._lock:
            cursor = self._cursors.get(locator)
        if cursor is None or cursor.tooling != tooling or not start_text.isdigit():
            raise SoqlError("INVALID_QUERY_LOCATOR", "invalid query locator")
        return self._page(
            cursor.query,
            cursor.indices,
            total=len(cursor.indices),
            locator=locator,
            start=int(start_text),
            tooling=tooling,
            batch=batch_size,
        )

    def _page(
        self,
        query: Query,
        indices: list[int],
        *,
        total: int,
        locator: str | None,
        start: int,
        tooling: bool,
        batch: int,
    ) -> dict[str, Any]:
        rows = self.tables(tooling=tooling)[query.object_name].rows
        chosen = indices[start : start + batch]
        records = [project(rows[index], query, api_version=API_VERSION) for index in chosen]
        done = start + len(chosen) >= len(indices)
        page: dict[str, Any] = {"totalSize": total, "done": done, "records": records}
        if not done and locator is not None:
            base = "/tooling" if tooling else ""
            page["nextRecordsUrl"] = f"/services/data/v{API_VERSION}{base}/query/{locator}-{start + len(chosen)}"
        elif locator is not None:
            with self._lock:
                self._cursors.pop(locator, None)
        if tooling:
            page.update({"size": total, "entityTypeName": query.object_name, "queryLocator": None})
        return page

    def record_count(self, object_name: str) -> int | None:
        """How many rows an object has (None when the org has no such object)."""
        table = self.data.get(object_name)
        return None if table is None else len(table.rows)
