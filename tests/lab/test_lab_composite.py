"""The lab's composite resources, record counts and query paging behave like Salesforce's.

`/composite` serves sObject and query resources only and refuses the whole request when a subrequest names
another resource (as a real org does), so a connector that sends `limits/recordCount` through it fails here
instead of passing on a lenient lab. Query pages follow Salesforce's locators (`/query/01g...-<offset>`).
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from crmsec import engine
from crmsec.evidence import EvidenceSnapshot
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.target import Secret, Target

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).parents[1] / "fixtures" / "salesforce_reference"
VERSION = "v62.0"


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(LabConfig(scenario="hardened", users=30, contacts=20)) as running:
        yield running


@pytest.fixture(scope="module")
def client(lab: Lab) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {lab.token}"}
    verify = ssl.create_default_context(cafile=str(lab.ca_bundle))
    with httpx.Client(base_url=lab.url, verify=verify, headers=headers, timeout=30) as session:
        yield session


def reference(name: str) -> Any:
    return json.loads((FIXTURES / name).read_bytes())


def composite(client: httpx.Client, urls: list[str]) -> httpx.Response:
    request = {
        "allOrNone": False,
        "compositeRequest": [
            {"method": "GET", "referenceId": f"r{index}", "url": url} for index, url in enumerate(urls)
        ],
    }
    return client.post(f"/services/data/{VERSION}/composite", json=request)


def test_composite_refuses_a_record_count_subrequest_as_a_whole(client: httpx.Client) -> None:
    answer = composite(
        client,
        [
            f"/services/data/{VERSION}/sobjects/Account/describe",
            f"/services/data/{VERSION}/limits/recordCount?sObjects=Account",
        ],
    )
    assert answer.status_code == 400
    [error] = answer.json()
    assert error["errorCode"] == "INVALID_API_INPUT"
    assert "/limits/recordCount" in error["message"]


def test_composite_serves_describes_and_queries(client: httpx.Client) -> None:
    answer = composite(
        client,
        [
            f"/services/data/{VERSION}/sobjects/Account/describe",
            f"/services/data/{VERSION}/query?q=SELECT+Id+FROM+User",
        ],
    )
    assert answer.status_code == 200, answer.text
    assert [part["httpStatusCode"] for part in answer.json()["compositeResponse"]] == [200, 200]


def test_record_counts_answer_alone_and_in_a_batch_with_the_reference_shape(client: httpx.Client) -> None:
    expected = reference("rest/limits_recordCount.json")
    alone = client.get(f"/services/data/{VERSION}/limits/recordCount", params={"sObjects": "Account,Contact"})
    assert alone.status_code == 200, alone.text
    assert sorted(alone.json()) == sorted(expected)
    assert {row["name"] for row in alone.json()["sObjects"]} == {"Account", "Contact"}
    assert all(sorted(row) == sorted(expected["sObjects"][0]) for row in alone.json()["sObjects"])
    batch = client.post(
        f"/services/data/{VERSION}/composite/batch",
        json={"batchRequests": [{"method": "GET", "url": f"{VERSION}/limits/recordCount?sObjects=Account"}]},
    )
    assert batch.status_code == 200, batch.text
    assert batch.json() == {
        "hasErrors": False,
        "results": [
            {
                "statusCode": 200,
                "result": alone.json()
                | {"sObjects": [row for row in alone.json()["sObjects"] if row["name"] == "Account"]},
            }
        ],
    }


def test_query_pages_carry_salesforce_locators_and_add_up(lab: Lab) -> None:
    """At a page size of 5 a result spans pages named like Salesforce's (`/query/01g<15 characters>-<offset>`)."""
    with start_lab(LabConfig(scenario="hardened", users=12, contacts=5, query_batch_size=5)) as small:
        verify = ssl.create_default_context(cafile=str(small.ca_bundle))
        headers = {"Authorization": f"Bearer {small.token}"}
        with httpx.Client(base_url=small.url, verify=verify, headers=headers, timeout=30) as session:
            page = session.get(f"/services/data/{VERSION}/query", params={"q": "SELECT Id FROM User"}).json()
            ids = [record["Id"] for record in page["records"]]
            assert (page["totalSize"], page["done"], len(ids)) == (12, False, 5)
            assert re.fullmatch(rf"/services/data/{VERSION}/query/01g[A-Za-z0-9]{{15}}-5", page["nextRecordsUrl"])
            while not page["done"]:
                page = session.get(page["nextRecordsUrl"]).json()
                ids += [record["Id"] for record in page["records"]]
            assert len(ids) == len(set(ids)) == 12


def _evidence(config: LabConfig) -> dict[str, Any]:
    async def collect() -> EvidenceSnapshot:
        with start_lab(config) as running:
            target = Target(
                platform="salesforce",
                url=running.url,
                secret=Secret(running.token),
                ca_bundle=Path(running.ca_bundle),
                options={"tls_scan": "false"},
            )
            return await engine.collect(target)

    snapshot = anyio.run(collect)
    return {key: (item.value, item.error) for key, item in snapshot.items.items() if key != "stability.api"}


def test_a_scan_at_five_records_per_page_collects_exactly_what_one_page_does() -> None:
    """Users, permissions, field definitions (a composite subquery) and samples span many pages at size 5."""
    config = LabConfig(scenario="mixed", users=40, contacts=30)
    whole, paged = _evidence(config), _evidence(replace(config, query_batch_size=5))
    assert [key for key, (_value, error) in paged.items() if error is not None and whole[key][1] is None] == []
    assert {key for key in whole if whole[key] != paged[key]} == set()
    assert len(paged["identity.users"][0]) == 40
