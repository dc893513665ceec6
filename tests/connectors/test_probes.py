"""The shared collectors: `http.probe` (`connectors.probes`) and `tls.scan` (`connectors.collect_tls`)."""

from __future__ import annotations

import httpx
import pytest

from crmsec.connectors.base import Recorder
from crmsec.connectors.collect_tls import collect_tls
from crmsec.connectors.exchange import HttpResponse
from crmsec.connectors.probes import record_http_probe
from crmsec.errors import ConnectorError, Reason, TargetError
from crmsec.target import Target
from crmsec.vocabulary import JsonValue

ANSWER = HttpResponse(200, httpx.Headers(), b"", "https://crm.example.test/", "GET /")
VALUE: dict[str, JsonValue] = {"url": "https://crm.example.test/", "status": 200}


async def _answers() -> tuple[dict[str, JsonValue], HttpResponse]:
    return VALUE, ANSWER


async def _no_answer() -> tuple[dict[str, JsonValue], HttpResponse]:
    raise ConnectorError("GET /: timed out after retries", endpoint="GET /", reason=Reason.TIMEOUT)


async def _unusable() -> tuple[dict[str, JsonValue], HttpResponse]:
    raise TargetError("GET /: certificate not verified", endpoint="GET /", reason=Reason.TLS_ERROR)


def _snapshot(recorder: Recorder) -> dict[str, tuple[JsonValue, str | None]]:
    built = recorder.build(Target("web", "https://crm.example.test"), connector="test", connector_version="0")
    return {key: (item.value, item.error.reason if item.error else None) for key, item in built.items.items()}


@pytest.mark.anyio
async def test_an_answer_is_recorded_with_its_endpoint_and_returned() -> None:
    recorder = Recorder()
    assert await record_http_probe(recorder, _answers, fails=("platform.config",)) is ANSWER
    built = recorder.build(Target("web", "https://crm.example.test"), connector="test", connector_version="0")
    assert built.items["http.probe"].value == VALUE and built.items["http.probe"].source == "GET /"
    assert "platform.config" not in built.items


@pytest.mark.anyio
async def test_no_answer_fails_the_probe_and_every_key_that_needed_it() -> None:
    recorder = Recorder()
    assert await record_http_probe(recorder, _no_answer, fails=("platform.config", "stability.api")) is None
    assert _snapshot(recorder) == {
        "http.probe": (None, Reason.TIMEOUT),
        "platform.config": (None, Reason.TIMEOUT),
        "stability.api": (None, Reason.TIMEOUT),
    }


@pytest.mark.anyio
async def test_an_unusable_target_stops_the_collection_unless_the_connector_records_it() -> None:
    with pytest.raises(TargetError):
        await record_http_probe(Recorder(), _unusable, fails=("platform.config",))
    recorder = Recorder()
    assert await record_http_probe(recorder, _unusable, fails=("platform.config",), target_errors_recorded=True) is None
    assert _snapshot(recorder) == {"http.probe": (None, Reason.TLS_ERROR), "platform.config": (None, Reason.TLS_ERROR)}


@pytest.mark.anyio
async def test_a_plain_http_target_has_no_tls_scan() -> None:
    recorder = Recorder()
    await collect_tls(Target("web", "http://127.0.0.1:9"), recorder)
    assert recorder.keys == []
