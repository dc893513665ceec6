"""Messages that name the real cause: the token variable, http vs https, the platform, did-you-mean, widths."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from crmsec.cli import main, pipeline
from crmsec.cli.diagnose import explain_collection_failure
from crmsec.cli.summary import fit, print_summary
from crmsec.errors import ConnectorError, Reason
from crmsec.report.model import load_report
from crmsec.spelling import ID_CUTOFF, did_you_mean
from crmsec.target import Target


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    code = exit_info.value.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_an_unset_token_env_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_CRM_TOKEN", raising=False)
    monkeypatch.setenv("CRMSEC_TOKEN", "canary-token")  # the default variable is set: it must not be used or named
    argv = ["scan", "--platform", "salesforce", "--url", "https://crm.example.test", "--token-env", "ACME_CRM_TOKEN"]
    code, _, err = _run(capsys, *argv, "--out", tmp_path / "o")
    assert code == 2
    assert "environment variable ACME_CRM_TOKEN is not set or empty (--token-env ACME_CRM_TOKEN)" in err
    assert "CRMSEC_TOKEN" not in err
    assert "export ACME_CRM_TOKEN=" in err


def test_a_platform_without_credentials_needs_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMSEC_TOKEN", raising=False)
    target = pipeline.build_target(platform="web", url="https://crm.example.test")
    assert target.secret is None


RICH = load_report(Path(__file__).parents[1] / "render" / "fixtures" / "rich.json")
TARGET = Target(platform="bottlecrm", url="https://crm.example.test:8443")


@pytest.mark.parametrize(
    ("url", "error", "expected"),
    [
        (
            "http://127.0.0.1:8443",
            ConnectorError("GET /x: the connection broke off", endpoint="GET /x", reason=Reason.HTTP_ERROR),
            "may speak https only; try https://127.0.0.1:8443",
        ),
        (
            "https://crm.example.test:8443",
            ConnectorError(
                "GET /api/org/settings/: HTTP 404", endpoint="GET /api/org/settings/", reason=Reason.HTTP_ERROR
            ),
            "has no GET /api/org/settings/: is it a bottlecrm server? Check --platform",
        ),
        (
            "https://crm.example.test:8443",
            ConnectorError("GET /users: HTTP 403", endpoint="GET /users", reason=Reason.PERMISSION_DENIED),
            "may not read GET /users",
        ),
        (
            "https://crm.example.test:8443",
            ConnectorError("GET /users: HTTP 503", endpoint="GET /users", reason=Reason.HTTP_ERROR),
            "the server failed on GET /users (HTTP 503)",
        ),
    ],
)
def test_collection_failures_get_their_real_cause(url: str, error: ConnectorError, expected: str) -> None:
    hint = explain_collection_failure(error, dataclasses.replace(TARGET, url=url))
    assert expected in hint
    assert "permissions on the named endpoint" not in hint


def test_the_cli_prints_the_explained_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def collect(target: Target, **_: object) -> object:
        raise ConnectorError("GET /api/org/settings/: HTTP 404", endpoint="GET /api/org/settings/",
                             reason=Reason.HTTP_ERROR)  # fmt: skip

    monkeypatch.setattr(pipeline.engine, "collect", collect)
    monkeypatch.setenv("CRMSEC_TOKEN", "canary-token")
    argv = ["scan", "--platform", "bottlecrm", "--url", "https://crm.example.test", "--out", tmp_path / "o"]
    code, _, err = _run(capsys, *argv)
    assert code == 3
    assert "is it a bottlecrm server? Check --platform" in err


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (("checks", "show", "CRM-AUTH-4"), "(did you mean CRM-AUTH-004"),
        (("checks", "list", "--dimension", "autentication"), "(did you mean authentication?)"),
        (("profiles", "show", "stict"), "(did you mean strict?)"),
        (("scan", "--platform", "salesfroce", "--url", "https://crm.example.test"), "(did you mean salesforce?)"),
    ],
)
def test_did_you_mean(argv: tuple[str, ...], suggestion: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, *argv)
    assert code == 2
    assert suggestion in err


def test_no_suggestion_when_nothing_is_close() -> None:
    assert did_you_mean("zzzz", ["strict", "baseline"]) == ""
    assert did_you_mean("CRM-XYZ-999", ["CRM-AUTH-004"], cutoff=ID_CUTOFF) == ""


def test_summary_lines_fit_the_terminal(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    print_summary(RICH, [Path("out") / ("x" * 90) / "report.html"], output_format="text")
    lines = capsys.readouterr().out.splitlines()
    cut = [line for line in lines if line.endswith("…")]
    assert cut, "the fixture has lines longer than 72 columns"
    assert all(len(line) <= 72 for line in lines if not line.startswith(("Report: ", "Gate ", "No gate")))
    assert any(line.startswith("Report: ") and len(line) > 72 for line in lines)  # paths are never cut
    assert fit("abc", 10) == "abc" and fit("x" * 100, 10) == "x" * 39 + "…"  # never under 40 columns


def test_a_mistyped_profile_parameter_gets_a_suggestion() -> None:
    from crmsec import engine
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue
    from crmsec.testing import snapshot_from_values

    profile = dataclasses.replace(load_profile("baseline"), parameters={"max_idle_minute": 5})
    report = engine.check_snapshot(snapshot_from_values({}), profile, load_catalogue(plugins=False))
    assert any("parameter max_idle_minute is used by no selected check (did you mean max_idle_minutes?)" in error
               for error in report.errors)  # fmt: skip


def test_the_coverage_line_and_the_scores_count_the_same_checks() -> None:
    """The "N of M checks decided" line uses report.coverage; the dimension table uses the scorecard: they agree."""
    from crmsec import engine
    from crmsec.profiles import load_profile
    from crmsec.registry import load_catalogue
    from crmsec.report.verdict import coverage_wording
    from crmsec.testing import snapshot_from_values

    settings = {"idle_timeout_minutes": 120, "lock_sessions_to_ip": False, "https_required": True}
    snapshot = snapshot_from_values({"auth.session_settings": settings, "tls.scan": {"error": "not a scan"}})
    report = engine.check_snapshot(snapshot, load_profile("baseline"), load_catalogue(plugins=False))
    decided = sum(dimension.decided for dimension in report.scores.dimensions)
    selected = sum(dimension.checks for dimension in report.scores.dimensions)
    assert decided > 0
    assert (decided, selected) == (report.coverage["decided"], report.coverage["selected"])
    line = coverage_wording(report.coverage)
    assert line.startswith(f"{decided} of {selected} checks decided ({round(100 * decided / selected)}%)")


@pytest.mark.parametrize(
    ("weights_or_select", "pointer"),
    [
        ("select: {dimensions: [autentication]}", "/select/dimensions/0"),
        ("weights: {dimensions: {autentication: 2}}", "/weights/dimensions"),
    ],
)
def test_a_mistyped_dimension_in_a_profile_gets_a_suggestion(
    weights_or_select: str, pointer: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "typo.yaml"
    profile.write_text(f"name: typo\nextends: baseline\n{weights_or_select}\n", encoding="utf-8")
    code, _, err = _run(capsys, "profiles", "show", profile)
    assert code == 2
    assert f"{pointer}: 'autentication' is not an allowed value (did you mean authentication?)" in err


def test_a_profile_selecting_nothing_stops_a_scan_before_collection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def collect(target: Target, **_: object) -> object:
        raise AssertionError("collected although the profile selects no check")

    monkeypatch.setattr(pipeline.engine, "collect", collect)
    monkeypatch.setenv("CRMSEC_TOKEN", "canary-token")
    profile = tmp_path / "typo.yaml"
    profile.write_text("name: typo\nselect: {ids: [CRM-AUTH-04]}\n", encoding="utf-8")
    argv = ["scan", "--platform", "salesforce", "--url", "https://crm.example.test", "--profile", profile]
    code, _, err = _run(capsys, *argv, "--out", tmp_path / "o")
    assert code == 2
    assert (
        "selects no check: select.ids names CRM-AUTH-04, which is not a known check (did you mean CRM-AUTH-004?)" in err
    )
