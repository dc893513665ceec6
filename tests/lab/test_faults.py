"""The lab's fault injection: kinds selectable one by one, scope api or all, draws repeatable for a seed."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from crmsec.connectors.salesforce.metadata import _envelope, _read_operation
from crmsec.errors import InputError
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.lab.org import LabOrg
from crmsec.lab.scenarios import SCENARIOS
from crmsec.lab.server import FAULT_KINDS, ServerState

REQUESTS = [f"GET /services/data/v62.0/query?q={number} e3b0" for number in range(200)]


def _state(*, seed: int, rate: float, kinds: tuple[str, ...] = FAULT_KINDS) -> ServerState:
    org = LabOrg(SCENARIOS["hardened"], seed=1, users=3, contacts=1, now=datetime(2026, 1, 1, tzinfo=UTC))
    state = ServerState(token="t", org=org, oauth=None, lock=threading.Lock())  # type: ignore[arg-type]
    state.configure_faults(seed=seed, rate=rate, kinds=kinds)
    return state


def test_the_same_seed_gives_each_request_the_same_faults_in_any_order() -> None:
    forward, backward = _state(seed=5, rate=0.5), _state(seed=5, rate=0.5)
    drawn = {request: [forward.draw_fault(request) for _ in range(3)] for request in REQUESTS}
    replayed = {request: [backward.draw_fault(request) for _ in range(3)] for request in reversed(REQUESTS)}
    assert drawn == replayed
    assert {fault for faults in drawn.values() for fault in faults} == {None, *FAULT_KINDS}


def test_another_seed_draws_other_faults_and_reconfiguring_starts_over() -> None:
    state = _state(seed=5, rate=0.5)
    first = [state.draw_fault(request) for request in REQUESTS]
    state.configure_faults(seed=6, rate=0.5)
    assert [state.draw_fault(request) for request in REQUESTS] != first
    state.configure_faults(seed=5, rate=0.5)
    assert [state.draw_fault(request) for request in REQUESTS] == first


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_one_kind_alone_is_all_that_is_drawn(kind: str) -> None:
    state = _state(seed=3, rate=0.6, kinds=(kind,))
    assert {state.draw_fault(request) for request in REQUESTS} == {None, kind}


def test_an_unknown_kind_or_scope_is_refused() -> None:
    with pytest.raises(InputError, match="--fault-kinds"):
        LabConfig(fault_kinds=("teapot",)).validate()
    with pytest.raises(InputError, match="--fault-scope"):
        LabConfig(fault_scope="everywhere").validate()
    with pytest.raises(ValueError, match="bad fault plan"):
        _state(seed=1, rate=0.1).configure_faults(seed=1, rate=0.1, kinds=("teapot",))


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(LabConfig(scenario="hardened", users=5, contacts=5)) as running:
        yield running


def _get(lab: Lab, path: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {lab.token}"}
    with httpx.Client(verify=ssl.create_default_context(cafile=str(lab.ca_bundle)), timeout=10) as client:
        return client.get(lab.url + path, headers=headers)


@pytest.mark.integration
@pytest.mark.parametrize(("kind", "status"), [("rate_limited", 429), ("unavailable", 503), ("server_error", 500)])
def test_scope_api_faults_the_apis_only(lab: Lab, kind: str, status: int) -> None:
    lab.state.configure_faults(seed=1, rate=1.0, kinds=(kind,))
    try:
        assert _get(lab, "/services/data/v62.0/limits").status_code == status
        assert _get(lab, "/admin/").status_code == 404  # not an API path: answered as usual
    finally:
        lab.state.configure_faults(seed=0, rate=0.0)


@pytest.mark.integration
def test_scope_all_faults_every_path_and_truncated_bodies_break_off(lab: Lab) -> None:
    lab.state.configure_faults(seed=1, rate=1.0, kinds=("rate_limited",), scope="all")
    try:
        answer = _get(lab, "/admin/")
        assert (answer.status_code, answer.headers["Retry-After"]) == (429, "1")
        lab.state.configure_faults(seed=1, rate=1.0, kinds=("truncated",), scope="all")
        with pytest.raises(httpx.RemoteProtocolError):
            _get(lab, "/admin/")
    finally:
        lab.state.configure_faults(seed=0, rate=0.0)


def _soap_statuses(lab: Lab) -> list[int]:
    """Status of 12 readMetadata calls, each for another profile (the session id is the lab's own token)."""
    statuses = []
    with httpx.Client(verify=ssl.create_default_context(cafile=str(lab.ca_bundle)), timeout=10) as client:
        for number in range(12):
            body = _envelope(lab.token, _read_operation("Profile", [f"Profile{number}"]))
            answer = client.post(f"{lab.url}/services/Soap/m/62.0", content=body, headers={"SOAPAction": '""'})
            statuses.append(answer.status_code)
    return statuses


@pytest.mark.integration
def test_two_labs_with_the_same_seed_fault_the_same_metadata_calls_despite_their_own_tokens() -> None:
    """The session id in a SOAP body differs per lab start; the faults it draws must not."""
    runs = []
    for _ in range(2):
        with start_lab(LabConfig(scenario="hardened", users=5, contacts=5)) as running:
            running.state.configure_faults(seed=9, rate=0.5, kinds=("server_error",))
            runs.append(_soap_statuses(running))
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500}
