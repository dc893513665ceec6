"""`crmsec --help` and the README describe `verify`'s exit codes as it behaves now."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmsec.cli import main
from crmsec.cli.options import EXIT_CODES_HELP

README = Path(__file__).resolve().parents[2] / "README.md"


def test_help_describes_what_verify_compares(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert exited.value.code in (0, None)
    assert "signature and digests match" not in text
    assert "--report/--evidence" in text and "--signature-only" in text and "signed score, grade and gate" in text


def test_readme_exit_codes_name_the_same_verify_rules() -> None:
    readme = README.read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :]
    table = table[: table.index("\n### ")]
    for code, line in enumerate(row for row in table.splitlines() if row.startswith("| ") and row[2].isdigit()):
        assert line.startswith(f"| {code} |")
    assert "`--signature-only`" in table and "verdict" in table
    assert "--signature-only" in EXIT_CODES_HELP
