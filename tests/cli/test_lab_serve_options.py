"""`crmsec lab serve` options for org variants and page size: named in --help, bad values exit 2."""

from __future__ import annotations

import pytest

from crmsec.cli import main
from crmsec.lab.org import VARIANTS


def _exit(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as raised:
        main(argv)
    return int(raised.value.code or 0)


def test_help_names_the_variants_and_the_page_size(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(["lab", "serve", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--variant" in text and "--query-batch-size" in text
    assert all(name in text for name in VARIANTS)


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--variant", "no-such-variant"], id="unknown-variant"),
        pytest.param(["--query-batch-size", "0"], id="page-size-zero"),
        pytest.param(["--query-batch-size", "2001"], id="page-size-over-2000"),
    ],
)
def test_bad_values_are_input_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(["lab", "serve", *argv]) == 2
    assert capsys.readouterr().err.startswith("crmsec: ")
