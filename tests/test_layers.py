"""The one-way data flow, enforced on imports (STYLE.md section 2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def violations(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in paths:
        for module in imported_modules(path):
            if any(module == bad or module.startswith(bad + ".") for bad in forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


def test_checks_import_only_the_plugin_api() -> None:
    paths = files("checks")
    assert paths
    bad = []
    for path in paths:
        for module in imported_modules(path):
            if module.startswith("crmsec") and module != "crmsec.plugin":
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
            if module.split(".")[0] in ("httpx", "sslyze", "socket", "requests", "urllib", "subprocess"):
                bad.append(f"{path.relative_to(ROOT)} imports {module}")
    assert bad == []


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("crmsec/render", ("crmsec.registry", "crmsec.engine", "crmsec.connectors", "checks", "crmsec.cli")),
        ("crmsec/connectors", ("crmsec.scoring", "crmsec.report", "crmsec.registry", "crmsec.engine", "checks")),
        ("crmsec/report", ("crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.cli", "crmsec.render")),
        ("crmsec/pii", ("crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.report", "httpx")),
    ],
)
def test_layers(folder: str, forbidden: tuple[str, ...]) -> None:
    assert violations(files(folder), forbidden) == []


def test_scoring_and_signing_stay_pure() -> None:
    assert violations([ROOT / "crmsec/scoring.py"], ("httpx", "crmsec.engine", "crmsec.connectors")) == []
    assert (
        violations(
            [ROOT / "crmsec/signing.py", ROOT / "crmsec/attestation.py"],
            ("crmsec.engine", "crmsec.report", "crmsec.registry", "httpx"),
        )
        == []
    )


def test_only_the_console_prints() -> None:
    offenders = []
    for path in files("crmsec"):
        if path.name == "console.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize(
    ("statement", "absent"),
    [
        ("import crmsec.plugin", ("httpx", "crmsec.connectors", "crmsec.engine", "sslyze", "jinja2", "faker")),
        ("import crmsec", ("httpx", "crmsec.connectors", "crmsec.engine", "crmsec.plugin")),
        ("from crmsec.version import __version__", ("httpx", "crmsec.connectors", "crmsec.engine")),
        ("import crmsec.vocabulary", ("httpx", "crmsec.connectors", "crmsec.engine", "crmsec.errors")),
    ],
)
def test_light_imports_stay_light(statement: str, absent: tuple[str, ...]) -> None:
    """Importing the check API or the package loads no HTTP client, connector or engine (a fresh interpreter)."""
    probe = f"{statement}; import sys; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = set(result.stdout.split())
    assert [name for name in absent if name in loaded or any(m.startswith(name + ".") for m in loaded)] == []


def test_the_public_api_still_loads_on_first_use() -> None:
    probe = "import crmsec, sys; crmsec.assess; print('crmsec.engine' in sys.modules, crmsec.__version__)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.split() == ["True", "0.1.0"]
