"""`crmsec fleet plan`: targets.yaml validated through the safe YAML loader and its schema; one-line errors, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.fleet.plan import FleetPlanError, load_plan

VALID = """\
version: 1
defaults:
  profile: baseline
  options: {concurrency: 4, tls_scan: false}
  max_requests: 500
  tags: [acme]
targets:
  - name: acme-prod
    url: https://acme.my.salesforce.com/
    credentials: {env: ACME_PROD_TOKEN}
    tags: [production]
    options: {concurrency: 8}
  - name: acme-sandbox
    platform: salesforce
    url: https://acme--dev.sandbox.my.salesforce.com
    credentials: {file: secrets/sandbox.env}
    ca_bundle: certs/ca.pem
    profile: profiles/strict.yaml
    max_requests: 50
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *arguments: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(argument) for argument in arguments])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_a_valid_plan_resolves_defaults_paths_and_options(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, VALID))
    assert plan.names() == ("acme-prod", "acme-sandbox")
    production, sandbox = plan.targets
    assert production.url == "https://acme.my.salesforce.com"
    assert production.platform == "salesforce"
    assert production.options == {"concurrency": "8", "tls_scan": "false"}
    assert production.tags == ("acme", "production")
    assert (production.max_requests, sandbox.max_requests) == (500, 50)
    assert production.credentials_env == "ACME_PROD_TOKEN"
    assert production.credentials_file is None
    base = tmp_path.resolve()
    assert sandbox.credentials_file == base / "secrets" / "sandbox.env"
    assert sandbox.ca_bundle == base / "certs" / "ca.pem"
    assert (production.profile, sandbox.profile) == ("baseline", str(base / "profiles" / "strict.yaml"))


def test_file_order_does_not_matter(tmp_path: Path) -> None:
    first = load_plan(write(tmp_path, VALID)).targets
    reordered = VALID.replace("  - name: acme-prod", "  - name: TEMP").replace(
        "  - name: acme-sandbox", "  - name: acme-prod"
    )
    reordered = reordered.replace("  - name: TEMP", "  - name: acme-sandbox")
    assert [target.name for target in load_plan(write(tmp_path, reordered)).targets] == [t.name for t in first]


BAD = [
    ("version: 1\ntargets: []\n", "targets: [] should be non-empty"),
    ("version: 2\ntargets: [{name: a, url: 'https://a.example'}]\n", "version"),
    ("version: 1\ntargets: [{name: Acme Prod, url: 'https://a.example'}]\n", "targets[0].name"),
    ("version: 1\ntargets: [{name: a, url: 'https://a.example', token: s3cret}]\n", "targets[0] ('a')"),
    ("version: 1\ntargets: [{name: a, url: 'https://a.example', credentials: {env: X, file: y}}]\n", "credentials"),
    ("version: 1\ntargets: [{name: a, url: 'https://a.example', max_requests: 0}]\n", "targets[0].max_requests"),
    ("version: 1\ntargets: [{name: a, url: 'https://a.example'}, {name: a, url: 'https://b.example'}]\n",
     "targets[1] (a): name: duplicate of targets[0]"),
    ("version: 1\ntargets: [{name: a, platform: nosuch, url: 'https://a.example'}]\n", "targets[0] (a): platform"),
    ("version: 1\ntargets: [{name: a, url: 'http://a.example'}]\n", "targets[0] (a): url"),
    ("version: 1\ntargets: [{name: a, url: 'https://user:pw@a.example'}]\n", "targets[0] (a): url"),
    ("version: 1\ntargets: [{name: a, url: 'http://127.0.0.1:8080', allow_insecure_http: false}]\n", "url"),
    ("version: 1\nx: &anchor {a: 1}\ntargets: [*anchor]\n", "aliases are not allowed"),
    ("version: 1\ntargets: [{name: a\n", "invalid YAML"),
    ("- just a list\n", "the document"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BAD)
def test_a_bad_targets_file_is_one_line_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FleetPlanError) as raised:
        load_plan(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)
    code, _, stderr = run(capsys, "fleet", "plan", path)
    assert code == 2
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("crmsec: error:")]) == 1
    assert "s3cret" not in stderr


def test_loopback_http_is_allowed_only_when_asked(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, "version: 1\ntargets: [{name: a, url: 'http://127.0.0.1:8080', "
                                     "allow_insecure_http: true}]\n"))  # fmt: skip
    assert plan.targets[0].allow_insecure_http


def test_missing_and_oversized_files_are_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "fleet", "plan", tmp_path / "absent.yaml")
    assert code == 2 and "absent.yaml" in stderr
    big = write(tmp_path, "version: 1\n# " + "x" * (1024 * 1024 + 10) + "\ntargets: []\n")
    code, _, stderr = run(capsys, "fleet", "plan", big)
    assert code == 2 and "limit" in stderr


def test_plan_shows_shards_and_credentials_without_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_PROD_TOKEN", "canary-secret-value")
    path = write(tmp_path, VALID)
    code, stdout, _ = run(capsys, "fleet", "plan", path, "--shards", "2", "--output-format", "json")
    assert code == 0
    assert "canary-secret-value" not in stdout
    document = json.loads(stdout)
    rows = {row["name"]: row for row in document["targets"]}
    assert rows["acme-prod"]["credentials"] == "env ACME_PROD_TOKEN"
    assert rows["acme-prod"]["credentials_available"] is True
    assert rows["acme-sandbox"]["credentials_available"] is False
    assert sorted(row["shard"] for row in rows.values()) == ["0/2", "1/2"]
    code, _, stderr = run(capsys, "fleet", "plan", path, "--require-credentials")
    assert code == 2 and "acme-sandbox" in stderr


def test_preflight_needs_credentials_only_for_platforms_that_send_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crmsec.errors import InputError
    from crmsec.fleet.runner import preflight

    monkeypatch.delenv("CRMSEC_TOKEN", raising=False)
    plan = load_plan(write(tmp_path, "version: 1\ntargets: [{name: site, platform: web, url: 'https://crm.example'}, "
                                     "{name: org, url: 'https://org.example'}]\n"))  # fmt: skip
    site, org = plan.targets[1], plan.targets[0]
    assert (site.name, org.name) == ("site", "org")
    assert preflight([site])["site"].secret is None
    with pytest.raises(InputError, match="target org: credentials: variable CRMSEC_TOKEN is not set"):
        preflight([site, org])
