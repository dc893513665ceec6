"""`crmsec demo --no-plugins` (what `make demo` runs) evaluates with built-in checks only, as `scan` does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crmsec.cli import main, pipeline
from crmsec.registry import Catalogue, load_catalogue

pytestmark = pytest.mark.integration
MAKEFILE = Path(__file__).parents[2] / "Makefile"


@pytest.mark.parametrize(("flags", "plugins"), [(("--no-plugins",), False), ((), True)])
def test_demo_loads_installed_packs_only_without_no_plugins(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flags: tuple[str, ...],
    plugins: bool,
) -> None:  # fmt: skip
    asked: list[bool] = []

    def recording(*, plugins: bool = True, **rest: Any) -> Catalogue:
        asked.append(plugins)
        return load_catalogue(plugins=plugins, **rest)

    monkeypatch.setattr(pipeline, "load_catalogue", recording)
    arguments = ["demo", "--out", str(tmp_path / "demo"), "--users", "5", "--format", "md", "-q", *flags]
    with pytest.raises(SystemExit) as exited:
        main(arguments)
    assert int(exited.value.code or 0) == 0, capsys.readouterr().err
    assert asked == [plugins]


def test_make_demo_runs_without_plugins() -> None:
    assert "crmsec demo --no-plugins" in MAKEFILE.read_text(encoding="utf-8")
