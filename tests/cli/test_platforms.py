"""`crmsec platforms` and the `--option` errors a user sees (one line, exit 2, did-you-mean)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsec.cli import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(argument) for argument in argv])
    code = exit_info.value.code
    captured = capsys.readouterr()
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def test_platforms_show_lists_the_options_with_type_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "platforms", "show", "bottlecrm")
    assert code == 0
    assert "sample_size (a whole number from 1 to 200, default 50)" in out
    assert "secret_key_probe (on or off, default true)" in out and "concurrency" in out


def test_platforms_list_names_every_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "platforms", "list")
    assert code == 0 and all(name in out for name in ("salesforce", "web", "bottlecrm", "tryton"))


def test_a_mistyped_option_stops_the_collection_with_a_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(
        capsys, "collect", "--platform", "web", "--url", "http://127.0.0.1:9", "--output", tmp_path / "e.json",
        "--option", "follow_offsite_redirect=true",
    )  # fmt: skip
    assert code == 2
    assert "web has no option 'follow_offsite_redirect'" in err and "follow_offsite_redirects" in err


def test_a_bad_option_value_is_one_line_naming_platform_and_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = _run(
        capsys, "collect", "--platform", "web", "--url", "http://127.0.0.1:9", "--output", tmp_path / "e.json",
        "--option", "follow_offsite_redirects=sometimes",
    )  # fmt: skip
    assert code == 2
    assert "web option follow_offsite_redirects='sometimes': expected true or false" in err
    assert "Traceback" not in err
