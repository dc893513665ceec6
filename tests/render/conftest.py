"""Fixtures for the renderer tests: the rich and previous reports, and golden-file comparison.

Regenerate the golden files with `pytest tests/render --update-golden` and the fixture reports with
`python tests/render/fixtures/build_rich.py`, then review the diff like code.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from crmsec.report.model import Report, load_report

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    # tests/conftest.py registers the option for whole-suite runs; this covers `pytest tests/render` alone.
    with contextlib.suppress(ValueError):  # already registered by tests/conftest.py
        parser.addoption(
            "--update-golden",
            action="store_true",
            default=False,
            help="rewrite tests/render/golden/ instead of comparing",
        )


def updating(config: pytest.Config) -> bool:
    """True when the golden files should be rewritten (--update-golden, or CRMSEC_UPDATE_GOLDEN=1)."""
    try:
        option = bool(config.getoption("--update-golden"))
    except ValueError:  # the option is not registered when this conftest was not an initial one
        option = False
    return option or os.environ.get("CRMSEC_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def rich_report() -> Report:
    return load_report(FIXTURES / "rich.json")


@pytest.fixture(scope="session")
def previous_report() -> Report:
    return load_report(FIXTURES / "previous.json")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, bytes], None]:
    """Compare bytes with tests/render/golden/<name>, or rewrite it when updating."""

    def compare(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if updating(request.config):
            path.write_bytes(data)
            return
        assert path.is_file(), f"missing golden file {name}: run pytest tests/render --update-golden"
        expected = path.read_bytes()
        assert data.decode("utf-8") == expected.decode("utf-8"), f"{name} changed: review, then --update-golden"

    return compare
