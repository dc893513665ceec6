"""A credential no HTTP header can carry is an input error (exit 2) naming its source, never a crash (exit 3).

Tokens travel in `Authorization` (or BottleCRM's `Token`) headers, which carry printable ASCII only. A pasted
typographic dash, a line break, or an environment variable holding bytes that are not UTF-8 used to give an
"internal error" (UnicodeEncodeError) or a protocol error with exit 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.connectors.auth import auth_for
from crmsec.errors import InputError
from crmsec.lab import Lab, LabConfig, start_lab
from crmsec.target import Secret, Target, credentials_from_file, secret_from_environment

pytestmark = pytest.mark.integration

UNSENDABLE = {
    "en dash": "bcrm_pat_abc\u2013def",
    "non-breaking space": "bcrm_pat_abc\u00a0def",
    "line break": "bcrm_pat_abc\ndef",
    "undecodable byte": "bcrm_pat_abc\udce9def",  # how Python keeps a non-UTF-8 byte of the environment
}


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(LabConfig(scenario="mixed", users=5, contacts=5)) as running:
        yield running


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(arguments))
    return int(exited.value.code or 0), capsys.readouterr().err


def collect(lab: Lab, tmp_path: Path, *extra: str) -> list[str]:
    return ["collect", "--platform", "bottlecrm", "--url", lab.url, "--ca-bundle", str(lab.ca_bundle),
            "--output", str(tmp_path / "evidence.json"), *extra]  # fmt: skip


@pytest.mark.parametrize("token", UNSENDABLE.values(), ids=UNSENDABLE.keys())
def test_an_unsendable_token_in_the_environment_is_an_input_error_naming_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lab: Lab, tmp_path: Path, token: str
) -> None:
    monkeypatch.setenv("CRMSEC_ACME_TOKEN", token)
    code, stderr = run(capsys, *collect(lab, tmp_path, "--token-env", "CRMSEC_ACME_TOKEN"))
    assert code == 2, stderr
    assert "environment variable CRMSEC_ACME_TOKEN" in stderr and "internal error" not in stderr
    assert token.strip() not in stderr and "abc" not in stderr
    assert not (tmp_path / "evidence.json").exists()


@pytest.mark.parametrize("auth", ["pat", "api_key"])
def test_an_unsendable_token_in_a_credentials_file_is_an_input_error_naming_the_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lab: Lab, tmp_path: Path, auth: str
) -> None:
    monkeypatch.delenv("CRMSEC_TOKEN", raising=False)
    credentials = tmp_path / "bottle.credentials"
    credentials.write_text("token = bcrm_pat_abc\u2013def\n", encoding="utf-8")
    code, stderr = run(
        capsys, *collect(lab, tmp_path, "--credentials-file", str(credentials), "--option", f"auth={auth}")
    )
    assert code == 2, stderr
    assert f"--credentials-file {credentials} (token)" in stderr and "non-ASCII" in stderr
    assert "abc" not in stderr


def test_the_salesforce_bearer_flow_refuses_an_unsendable_token_before_any_request() -> None:
    target = Target(platform="salesforce", url="https://acme.my.salesforce.com",
                    secret=Secret("00D\u2019token", origin="environment variable CRMSEC_TOKEN"))  # fmt: skip
    with pytest.raises(InputError, match="environment variable CRMSEC_TOKEN: the token holds a non-ASCII"):
        auth_for(target)


def test_non_ascii_passwords_stay_allowed_where_they_go_into_a_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = tmp_path / "tryton.credentials"
    credentials.write_text("username = admin\npassword = pässwörd\n", encoding="utf-8")
    assert credentials_from_file(credentials)["password"].reveal() == "pässwörd"
    monkeypatch.setenv("CRMSEC_TOKEN", "pässwörd")
    secret = secret_from_environment("CRMSEC_TOKEN")
    assert secret is not None and secret.origin == "environment variable CRMSEC_TOKEN"
