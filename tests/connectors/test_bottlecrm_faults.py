"""BottleCRM fails closed: a request that fails, also one of several a key is built from, makes the key an error.

Each fault here used to leave a field `null` (MANUAL), read as "no" (PASS) or drop entries silently. The
faulted answers carry `Retry-After: 999`, above the retry ceiling, so they come back without a wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from test_bottlecrm import BASE, ORG_ID, TOKEN, collect, mock_bottlecrm

from crmsec.errors import Reason
from crmsec.evidence import EvidenceSnapshot

UNAVAILABLE = httpx.Response(503, headers={"retry-after": "999"}, json={"detail": "unavailable"})
RATE_LIMITED = httpx.Response(429, headers={"retry-after": "999"}, json={"detail": "slow down"})
ORG = {"id": ORG_ID, "name": "Acme", "member_count": 3, "timezone": "UTC", "created_at": "2026-01-01T00:00:00Z"}


def _only_our_token(faulted: httpx.Response) -> Callable[[httpx.Request], httpx.Response]:
    """`/api/org/settings/` answers the scan's own token, and `faulted` to anything else (forged, org key)."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("authorization") == f"Bearer {TOKEN}":
            return httpx.Response(200, json=ORG)
        return faulted

    return answer


def _fault_probe(router: respx.Router, probe: str) -> None:
    if probe == "forged_token":
        router.route(method="GET", path="/api/org/settings/").mock(side_effect=_only_our_token(UNAVAILABLE))
    elif probe == "preflight":
        router.route(method="OPTIONS", path="/api/org/settings/").mock(return_value=RATE_LIMITED)
    else:
        router.get(path=probe).mock(return_value=UNAVAILABLE)


def _error_reason(snapshot: EvidenceSnapshot, key: str) -> Reason | None:
    error = snapshot.items[key].error
    return None if error is None else Reason(error.reason)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "probe", ["/crmsec-probe-not-found/", "/healthz/", "/admin/login/", "preflight", "forged_token"]
)
async def test_a_probe_that_saw_nothing_makes_platform_config_an_error(probe: str) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        _fault_probe(router, probe)
        snapshot = await collect()
    assert _error_reason(snapshot, "platform.config") in (Reason.HTTP_ERROR, Reason.RATE_LIMITED)
    assert snapshot.items["http.probe"].error is None  # the front page answered: only the config is unknown


@pytest.mark.anyio
async def test_a_failed_profile_lookup_fails_the_secret_key_probe_instead_of_leaving_it_unknown() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/users/").mock(return_value=httpx.Response(403, json={"errors": "Permission Denied"}))
        router.get(path="/api/profile/").mock(return_value=UNAVAILABLE)
        snapshot = await collect()
    assert _error_reason(snapshot, "platform.config") is Reason.HTTP_ERROR


@pytest.mark.anyio
async def test_without_the_secret_key_probe_no_member_is_looked_up() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/users/").mock(return_value=httpx.Response(403, json={"errors": "Permission Denied"}))
        profile = router.get(path="/api/profile/").mock(return_value=UNAVAILABLE)
        snapshot = await collect({"secret_key_probe": "off"})
    assert not profile.called
    config = snapshot.values()["platform.config"]
    assert config["secret_key_weak"] is None and config["secret_key_source"] is None


@pytest.mark.anyio
@pytest.mark.parametrize("failing", ["read", "sign_in"])
async def test_a_failed_org_api_key_test_fails_the_api_keys(failing: str) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        if failing == "read":
            router.get(path="/api/org/api-key/").mock(return_value=UNAVAILABLE)
        else:
            router.route(method="GET", path="/api/org/settings/").mock(side_effect=_only_our_token(UNAVAILABLE))
        snapshot = await collect({"auth": "jwt", "secret_key_probe": "off"})
    assert _error_reason(snapshot, "integrations.api_keys") is Reason.HTTP_ERROR


@pytest.mark.anyio
async def test_an_org_api_key_refused_to_this_credential_stays_unknown_not_an_error() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/org/api-key/").mock(return_value=httpx.Response(403, json={"detail": "denied"}))
        snapshot = await collect({"auth": "jwt"})
    org_key = snapshot.values()["integrations.api_keys"][-1]
    assert org_key["kind"] == "org_api_key" and org_key["active"] is None


@pytest.mark.anyio
@pytest.mark.parametrize("answer", [UNAVAILABLE, RATE_LIMITED, httpx.Response(200, content=b'{"components": ')])
async def test_a_failed_openapi_document_fails_the_schema_instead_of_falling_back_to_records(
    answer: httpx.Response,
) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/schema/").mock(return_value=answer)
        snapshot = await collect()
    for key in ("schema.objects", "data.samples"):
        assert _error_reason(snapshot, key) in (Reason.HTTP_ERROR, Reason.RATE_LIMITED, Reason.MALFORMED_RESPONSE)


@pytest.mark.anyio
@pytest.mark.parametrize("status", [403, 404])
async def test_an_openapi_document_refused_or_absent_reads_fields_from_records(status: int) -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/schema/").mock(return_value=httpx.Response(status, json={"detail": "no"}))
        snapshot = await collect()
    schema: list[dict[str, Any]] = snapshot.values()["schema.objects"]
    assert {entry["field_source"] for entry in schema} == {"records"}


@pytest.mark.anyio
async def test_a_list_answer_without_its_rows_is_malformed_not_an_empty_sample() -> None:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/contacts/").mock(return_value=httpx.Response(200, json={"count": 3}))
        snapshot = await collect()
    for key in ("schema.objects", "data.samples"):
        assert _error_reason(snapshot, key) is Reason.MALFORMED_RESPONSE
