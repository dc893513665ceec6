"""`--url http://...`: refused for platforms that send credentials, unless loopback and explicitly allowed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx

from crmsec.cli import main
from crmsec.connectors import PLATFORMS
from crmsec.connectors.base import Recorder
from crmsec.errors import InputError
from crmsec.target import Target, is_loopback, require_secure_transport

TOKEN = "plain-http-canary-token-0123456789"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize(
    ("command", "platform", "url", "extra", "expected"),
    [
        ("scan", "salesforce", "http://acme.my.salesforce.test", (), "plain http would send the salesforce"),
        ("collect", "bottlecrm", "http://crm.example.test:8000", (), "plain http would send the bottlecrm"),
        ("scan", "bottlecrm", "http://127.0.0.1:8000", (), "plain http"),  # loopback still needs the flag
        ("scan", "bottlecrm", "http://crm.example.test", ("--allow-insecure-http",), "loopback hosts only"),
        ("collect", "salesforce", "http://10.0.0.5", ("--allow-insecure-http",), "loopback hosts only"),
    ],
)
def test_plain_http_for_a_credentialed_platform_is_an_input_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    command: str,
    platform: str,
    url: str,
    extra: tuple[str, ...],
    expected: str,
) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", TOKEN)
    output = ("--out", str(tmp_path / "out")) if command == "scan" else ("--output", str(tmp_path / "e.json"))
    with respx.mock:  # any request at all would fail the test: respx refuses unmocked calls
        code, stdout, stderr = run(capsys, command, "--platform", platform, "--url", url, *extra, *output)
    assert code == 2, stderr
    assert expected in stderr
    assert stderr.count("crmsec: error:") == 1 and "Traceback" not in stderr
    assert TOKEN not in stdout + stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "e.json").exists()


def test_the_web_platform_sends_no_credentials_and_may_use_http(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CRMSEC_TOKEN", TOKEN)
    output = tmp_path / "evidence.json"
    with respx.mock(assert_all_called=False) as routes:
        site = routes.get(host="crm.example.test").mock(return_value=httpx.Response(404))
        code, _, stderr = run(capsys, "collect", "--platform", "web", "--url", "http://crm.example.test",
                              "--output", str(output), "--quiet")  # fmt: skip
    assert code == 0, stderr
    assert output.is_file()
    sent = [call.request.headers.get("authorization") for call in site.calls]
    assert sent and sent == [None] * len(sent)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("128.0.0.1", False),
        ("0.0.0.0", False),
        ("localhost.example.test", False),
        ("crm.example.test", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_is_loopback_never_resolves_names(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


@pytest.mark.parametrize("url", ["https://crm.example.test", "https://127.0.0.1:8443"])
def test_https_needs_no_flag(url: str) -> None:
    require_secure_transport(url, platform="salesforce")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://[::1]:8000", "http://localhost"])
def test_loopback_http_is_allowed_only_with_the_flag(url: str) -> None:
    require_secure_transport(url, platform="bottlecrm", allow_insecure_http=True)
    with pytest.raises(InputError, match="a loopback test server needs --allow-insecure-http"):
        require_secure_transport(url, platform="bottlecrm")


class UndeclaredConnector:
    """A plugin connector that does not say whether it sends credentials."""

    platform = "undeclared"
    version = "0"

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Collects nothing, so an accepted URL ends in "nothing could be collected" (exit 3)."""


class FileConnector(UndeclaredConnector):
    """A plugin connector that reads a file and says so."""

    sends_credentials = False


@pytest.mark.parametrize(("reference", "code"), [("UndeclaredConnector", 2), ("FileConnector", 3)])
def test_a_plugin_connector_is_assumed_to_send_credentials_unless_it_declares_otherwise(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reference: str, code: int
) -> None:
    monkeypatch.setitem(PLATFORMS, "undeclared", f"{__name__}:{reference}")
    exit_code, _, stderr = run(capsys, "collect", "--platform", "undeclared", "--url", "http://crm.example.test",
                               "--output", str(tmp_path / "e.json"))  # fmt: skip
    assert exit_code == code, stderr  # 3: the URL was accepted, then nothing was collected
    assert ("plain http would send" in stderr) is (code == 2)  # the refusal, not exit 3's https hint
    assert ("nothing could be collected" in stderr) is (code == 3)
