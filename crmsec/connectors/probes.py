"""The `http.probe` collector every connector uses: one fail-closed rule for the anonymous front-page GET.

Each connector fetches its front page its own way (`web.probe_http` for web and Salesforce, `BottleApi.get`,
a Tryton probe request) and hands the fetch to `record_http_probe`, which:

- records the `http.probe` value with the endpoint that answered as its source, and returns the answer, so
  the connector's further probes (`platform.config`, ...) can read it;
- when no answer arrives (`ConnectorError` after the retries), records that error on `http.probe` and on
  every key in `fails` (the keys that needed the answer), and returns None: unknown, never "fine";
- lets a `TargetError` (the target as a whole is unusable) stop the collection, unless the connector never
  raises for its target (`web`, which records every failure as evidence: `target_errors_recorded=True`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from crmsec.connectors.base import Recorder
from crmsec.connectors.exchange import HttpResponse
from crmsec.errors import ConnectorError, TargetError
from crmsec.vocabulary import JsonValue

EVIDENCE_KEY = "http.probe"

ProbeFetch = Callable[[], Awaitable[tuple[dict[str, JsonValue], HttpResponse]]]
"""Fetches the front page: the `http.probe` value and the answer it was drawn from."""


async def record_http_probe(
    recorder: Recorder, fetch: ProbeFetch, *, fails: Sequence[str] = (), target_errors_recorded: bool = False
) -> HttpResponse | None:
    """Run `fetch` and record `http.probe`; on no answer, its error on `http.probe` and `fails` (see module)."""
    try:
        value, response = await fetch()
    except TargetError as error:
        if not target_errors_recorded:
            raise
        _fail(recorder, (EVIDENCE_KEY, *fails), error)
        return None
    except ConnectorError as error:
        _fail(recorder, (EVIDENCE_KEY, *fails), error)
        return None
    recorder.add(EVIDENCE_KEY, value, source=response.endpoint)
    return response


def _fail(recorder: Recorder, keys: Sequence[str], error: ConnectorError) -> None:
    for key in keys:
        recorder.fail_from(key, error)
