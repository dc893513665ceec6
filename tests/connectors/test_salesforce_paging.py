"""Query paging: every result is read to its last page (`done: true`), composite subqueries included.

Salesforce answers at most 2,000 records per page and names the next page in `nextRecordsUrl`; field
definitions of five objects easily exceed one page. A result read only to its first page would judge the
org on part of it, so a later page that fails, or a page that is not the last but names no next page,
makes every key built from that result an evidence error.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from test_salesforce import fake_org, item, run

from crmsec.errors import Reason

NEXT = "/services/data/v62.0/tooling/query/01gXX0000000002AAA-1"
HEADERS = {"Sforce-Limit-Info": "api-usage=100/100000"}


def _field(name: str, *, tracked: bool) -> dict[str, Any]:
    return {
        "attributes": {"type": "FieldDefinition"},
        "QualifiedApiName": name,
        "EntityDefinition": {"attributes": {"type": "EntityDefinition"}, "QualifiedApiName": "Contact"},
        "IsFieldHistoryTracked": tracked,
        "SecurityClassification": None,
        "ComplianceGroup": None,
    }


def paged_field_definitions(
    second: httpx.Response | None, *, next_url: str | None = NEXT
) -> Callable[[httpx.Request], httpx.Response]:
    """An org whose FieldDefinition subquery answers one untracked field and a next page (`second`)."""
    base = fake_org()
    first: dict[str, Any] = {"totalSize": 2, "done": False, "records": [_field("Email", tracked=False)]}
    if next_url:
        first["nextRecordsUrl"] = next_url

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == NEXT and second is not None:
            return httpx.Response(second.status_code, content=second.content, headers=HEADERS)
        response = base(request)
        if not request.url.path.endswith("/tooling/composite"):
            return response
        document = json.loads(response.content)
        for answer in document["compositeResponse"]:
            if answer["referenceId"] == "fields":
                answer["body"] = first
        return httpx.Response(200, json=document, headers=response.headers)

    return handler


@pytest.mark.anyio
async def test_a_composite_subquery_is_read_to_its_last_page() -> None:
    """The tracked field sits on page two: read to page one only, field history would look off."""
    second = httpx.Response(200, json={"totalSize": 2, "done": True, "records": [_field("Phone", tracked=True)]})
    recorder = await run(paged_field_definitions(second))
    audit = item(recorder, "audit.settings")
    assert audit.error is None, audit.error
    assert audit.value["field_history"]["enabled"] is True


@pytest.mark.anyio
async def test_a_failing_second_page_is_an_evidence_error_not_a_shorter_list() -> None:
    second = httpx.Response(500, json=[{"errorCode": "UNKNOWN_EXCEPTION", "message": "x"}])
    recorder = await run(paged_field_definitions(second))
    for key in ("audit.settings", "schema.objects"):
        error = item(recorder, key).error
        assert error is not None, f"{key} was built from the first page only"
        assert error.reason is Reason.HTTP_ERROR
    assert item(recorder, "integrations.oauth_tokens").error is None


@pytest.mark.anyio
async def test_a_page_that_is_not_the_last_but_names_no_next_page_is_malformed() -> None:
    recorder = await run(paged_field_definitions(None, next_url=None))
    error = item(recorder, "audit.settings").error
    assert error is not None and error.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.anyio
async def test_a_plain_query_page_without_its_next_page_is_malformed() -> None:
    def users(text: str, path: str) -> httpx.Response | None:
        if "FROM User" in text:
            return httpx.Response(200, json={"totalSize": 5, "done": False, "records": []})
        return None

    recorder = await run(fake_org(users))
    error = item(recorder, "identity.users").error
    assert error is not None and error.reason is Reason.MALFORMED_RESPONSE
