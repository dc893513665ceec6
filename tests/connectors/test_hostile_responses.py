"""Hostile answers at the connector boundary: lone surrogates in JSON become U+FFFD, once, for every connector."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from test_bottlecrm import TOKEN, USERS_BODY, mock_bottlecrm

from crmsec.canonical import canonical_bytes
from crmsec.cli import main
from crmsec.connectors.exchange import HttpResponse, _may_hold_surrogates, without_lone_surrogates
from crmsec.connectors.salesforce.metadata import parse_response
from crmsec.errors import ConnectorError, Reason

LOOPBACK = "http://127.0.0.1:8099"


def _response(content: bytes) -> HttpResponse:
    return HttpResponse(status=200, headers=httpx.Headers(), content=content, url="https://x.test/", endpoint="GET /")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (rb'{"Name": "\udc80"}', {"Name": "\ufffd"}),
        (rb'{"Name": "a\uD800b", "\udfff": ["\uDBFF", 1]}', {"Name": "a\ufffdb", "\ufffd": ["\ufffd", 1]}),
        (b'{"Name": "\xed\xb2\x80"}', {"Name": "\ufffd"}),  # surrogate bytes, never valid UTF-8
        ('{"Name": "\udc80"}'.encode("utf-16-le", "surrogatepass"), {"Name": "\ufffd"}),
        (rb'{"Name": "\ud83d\ude00 \u00e9"}', {"Name": "\U0001f600 \u00e9"}),  # a valid pair stays
        (rb'{"Name": "\\udc80"}', {"Name": "\\udc80"}),  # an escaped backslash: text, not a surrogate
    ],
)
def test_json_replaces_lone_surrogates_in_keys_and_values(content: bytes, expected: object) -> None:
    document = _response(content).json()
    assert document == expected
    canonical_bytes(document)  # what crashed the scan before: no canonical form for a lone surrogate


def test_without_lone_surrogates_leaves_other_values_alone() -> None:
    value = {"a": [True, None, 1.5, {"b": "\udc80x"}], "c": "plain"}
    assert without_lone_surrogates(value) == {"a": [True, None, 1.5, {"b": "\ufffdx"}], "c": "plain"}


@pytest.mark.parametrize(
    ("content", "walked"),
    [
        (b'{"Name": "Zo\\u00eb M\\u00fcller"}', False),  # the common escapes cost no walk
        ('{"Name": "\ud55c\uad6d Zo\u00eb"}'.encode(), False),  # raw Hangul and Latin: ED 95 9C is not a surrogate
        (b'{"Name": "\\udc80"}', True),
        (b'{"Name": "\\uDBFF"}', True),
        (b'{"Name": "\xed\xb2\x80"}', True),
        ('{"a": 1}'.encode("utf-16-le"), True),
    ],
)
def test_the_pre_check_walks_only_bodies_that_may_hold_a_surrogate(content: bytes, walked: bool) -> None:
    assert _may_hold_surrogates(content) is walked


@pytest.mark.parametrize("text", ["&#xDC80;", "\udc80"])
def test_metadata_xml_cannot_carry_a_lone_surrogate(text: str) -> None:
    """The Metadata API's XML parser (expat) refuses surrogates outright: a malformed answer, not a crash."""
    content = f"<Envelope><records><fullName>{text}</fullName></records></Envelope>".encode("utf-8", "surrogatepass")
    with pytest.raises(ConnectorError) as raised:
        parse_response(content, endpoint="POST /services/Soap/m", status=200)
    assert raised.value.reason is Reason.MALFORMED_RESPONSE


def test_not_json_is_still_malformed() -> None:
    with pytest.raises(ConnectorError) as raised:
        _response(b'{"Name": "\\udc80"').json()
    assert raised.value.reason is Reason.MALFORMED_RESPONSE


@pytest.mark.parametrize("value", [{"Name": "\udc80"}, {"\udc80": 1}, {"Name": "\udc80", "score": 0.5}])
def test_canonical_bytes_refuses_a_lone_surrogate_with_a_plain_error(value: object) -> None:
    with pytest.raises(ValueError, match=r"lone surrogate|non-UTF-8"):
        canonical_bytes(value)


def test_scan_completes_when_a_user_name_holds_a_lone_surrogate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A CRM user named `"\\udc80"` (JSON escape) used to crash the scan (exit 3, nothing written)."""
    users = json.loads(json.dumps(USERS_BODY))
    users["active_users"]["active_users"][1]["user_details"]["name"] = "\udc80rep"
    body = json.dumps(users).encode("ascii")  # ensure_ascii: the name goes out as the escape \udc80
    assert b"\\udc80rep" in body
    monkeypatch.setenv("CRMSEC_TOKEN", TOKEN)
    out = tmp_path / "out"
    with respx.mock(base_url=LOOPBACK, assert_all_called=False) as router:
        mock_bottlecrm(router)
        router.get(path="/api/users/").mock(return_value=httpx.Response(200, content=body))
        with pytest.raises(SystemExit) as exited:
            main(["scan", "--platform", "bottlecrm", "--url", LOOPBACK, "--allow-insecure-http",
                  "--option", "auth=pat", "--out", str(out), "--format", "md"])  # fmt: skip
    stderr = capsys.readouterr().err
    assert exited.value.code in (0, 1), stderr
    evidence = json.loads((out / "evidence.json").read_text(encoding="utf-8"))
    names = [user["name"] for user in evidence["items"]["identity.users"]["value"]]
    assert any(isinstance(name, str) and name.startswith("\ufffd") for name in names), names
    assert (out / "report.json").is_file() and (out / "report.md").is_file()
