"""The one-way data flow, enforced on imports (STYLE.md section 2).

`imported_modules` resolves every way a module can be named: `import a.b`, `import a.b as c`,
`from a import b` (where `a.b` is a module), `from a.b import name`, relative imports, imports inside
functions, classes and `if TYPE_CHECKING:` blocks, and `importlib.import_module` / `__import__` with a
literal name (or an f-string's literal package prefix). The planted-violation tests below feed synthetic
source to the checker, so a checker that goes blind fails here rather than passing silently.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def module_name(path: Path) -> str:
    """`crmsec/render/to_html.py` -> `crmsec.render.to_html`; a package's `__init__.py` names the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether `name` is a module or package of this checkout (crmsec, checks)."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _from_import(node: ast.ImportFrom, path: Path) -> set[str]:
    if node.level:
        package = _package_of(path).split(".")
        if node.level - 1 > len(package):
            raise ValueError(f"{path}: relative import beyond the top-level package")
        base = ".".join(package[: len(package) - (node.level - 1)])
        module = f"{base}.{node.module}" if node.module and base else node.module or base
    else:
        module = node.module or ""
    names = set()
    for alias in node.names:
        candidate = f"{module}.{alias.name}"
        names.add(candidate if alias.name != "*" and is_module(candidate) else module)
    return names


def _dynamic_import(node: ast.Call) -> str | None:
    function = node.func
    dynamic = (isinstance(function, ast.Name) and function.id in ("__import__", "import_module")) or (
        isinstance(function, ast.Attribute) and function.attr == "import_module"
    )
    if not dynamic or not node.args:
        return None
    argument = node.args[0]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value
    if isinstance(argument, ast.JoinedStr) and argument.values:
        first = argument.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
            return first.value.rpartition(".")[0]
    return None


def imported_modules(path: Path, source: str | None = None) -> set[str]:
    """Every module `path` imports, fully qualified, wherever the import stands in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.update(_from_import(node, path))
        elif isinstance(node, ast.Call) and (dynamic := _dynamic_import(node)):
            names.add(dynamic)
    return names


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _matches(module: str, forbidden: tuple[str, ...]) -> bool:
    return any(module == bad or module.startswith(bad + ".") for bad in forbidden)


def violations(paths: list[Path], forbidden: tuple[str, ...], source: str | None = None) -> list[str]:
    found = []
    for path in paths:
        for module in sorted(imported_modules(path, source)):
            if _matches(module, forbidden):
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


NETWORK = ("httpx", "sslyze", "socket", "requests", "urllib", "subprocess")


def check_violations(path: Path, source: str | None = None) -> list[str]:
    """A check imports `crmsec.plugin` and nothing else of crmsec, and nothing that reaches the network."""
    bad = []
    for module in sorted(imported_modules(path, source)):
        outside_api = _matches(module, ("crmsec", "checks")) and module != "crmsec.plugin"
        if outside_api or _matches(module, NETWORK):
            bad.append(f"{path.relative_to(ROOT)} imports {module}")
    return bad


CHECK_AUTHOR_API = ("crmsec.plugin", "crmsec.check_kit", "crmsec.evidence_view", "crmsec.finding")
BEYOND_THE_CHECK_KIT = (
    "crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.profiles", "crmsec.scoring", "crmsec.report",
    "crmsec.render", "crmsec.cli", "crmsec.plugin", "crmsec.evidence", "crmsec.evaluation", "checks", *NETWORK,
)  # fmt: skip
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("crmsec/render", ("crmsec.registry", "crmsec.engine", "crmsec.connectors", "checks", "crmsec.cli")),
    (
        "crmsec/connectors",
        ("crmsec.scoring", "crmsec.report", "crmsec.registry", "crmsec.engine", "checks", *CHECK_AUTHOR_API),
    ),
    ("crmsec/report", ("crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.cli", "crmsec.render")),
    ("crmsec/pii", ("crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.report", "httpx")),
    ("crmsec/evidence.py", ("crmsec.engine", "crmsec.connectors", "httpx", *CHECK_AUTHOR_API)),
    ("crmsec/check_kit", BEYOND_THE_CHECK_KIT),
    ("crmsec/finding.py", BEYOND_THE_CHECK_KIT),
    ("crmsec/vocabulary.py", ("crmsec", "checks")),
    ("crmsec/version.py", ("crmsec", "checks")),
    ("crmsec/engine.py", ("httpx", "sslyze")),
    ("crmsec/runner.py", ("httpx", "sslyze", "crmsec.engine", "crmsec.connectors", "crmsec.report", "crmsec.registry")),
    ("crmsec/assemble.py", ("httpx", "sslyze", "crmsec.engine", "crmsec.connectors", "crmsec.runner")),
    ("crmsec/waivers.py", ("httpx", "crmsec.engine", "crmsec.connectors", "crmsec.registry", "crmsec.runner")),
    ("crmsec/signing_keys.py", ("crmsec.engine", "crmsec.report", "crmsec.registry", "crmsec.signing", "httpx")),
    ("crmsec/scoring.py", ("httpx", "crmsec.engine", "crmsec.connectors")),
    ("crmsec/signing.py", ("crmsec.engine", "crmsec.report", "crmsec.registry", "httpx")),
    ("crmsec/attestation.py", ("crmsec.engine", "crmsec.report", "crmsec.registry", "httpx")),
    ("crmsec/bundle.py", ("crmsec.cli", "crmsec.engine", "crmsec.connectors", "crmsec.registry", "checks", "httpx")),
]


def _paths(target: str) -> list[Path]:
    return [ROOT / target] if target.endswith(".py") else files(target)


def test_checks_import_only_the_plugin_api() -> None:
    paths = files("checks")
    assert paths
    assert [line for path in paths for line in check_violations(path)] == []


@pytest.mark.parametrize(("target", "forbidden"), RULES, ids=[target for target, _ in RULES])
def test_layers(target: str, forbidden: tuple[str, ...]) -> None:
    paths = _paths(target)
    assert paths
    assert violations(paths, forbidden) == []


# --- The checker itself: every import form is seen, every rule bites. ---

PLANTED = ROOT / "crmsec/render/planted.py"
IMPORT_FORMS = {
    "import": "import crmsec.engine\n",
    "import as": "import crmsec.engine as pipeline\n",
    "from package import module": "from crmsec import engine\n",
    "from package import module as": "from crmsec import profiles, engine as pipeline\n",
    "from module import name": "from crmsec.engine import assess\n",
    "from submodule import name": "from crmsec.connectors.http import make_client\n",
    "relative module": "from ..engine import assess\n",
    "relative package": "from .. import engine\n",
    "inside a function": "def run() -> None:\n    from crmsec.engine import assess\n",
    "inside a method": "class A:\n    def run(self) -> None:\n        import crmsec.engine\n",
    "TYPE_CHECKING": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from crmsec import engine\n",
    "try/except": "try:\n    import crmsec.engine\nexcept ImportError:\n    pass\n",
    "importlib": "import importlib\nengine = importlib.import_module('crmsec.engine')\n",
    "from importlib": "from importlib import import_module\nengine = import_module('crmsec.engine')\n",
    "__import__": "engine = __import__('crmsec.engine')\n",
    "f-string": (
        "import importlib\ndef load(name) -> object:\n    return importlib.import_module(f'crmsec.engine.{name}')\n"
    ),
}


@pytest.mark.parametrize("source", IMPORT_FORMS.values(), ids=IMPORT_FORMS.keys())
def test_a_planted_violation_of_each_import_form_is_caught(source: str) -> None:
    assert violations([PLANTED], ("crmsec.engine", "crmsec.connectors"), source) != []


def test_relative_imports_resolve_against_the_files_package() -> None:
    package_init = ROOT / "crmsec/connectors/__init__.py"
    assert imported_modules(package_init, "from . import http\nfrom .base import Recorder\n") == {
        "crmsec.connectors.http",
        "crmsec.connectors.base",
    }
    assert imported_modules(PLANTED, "from .view import sorted_findings\nfrom ..report import model\n") == {
        "crmsec.render.view",
        "crmsec.report.model",
    }


def test_names_from_a_module_are_not_taken_for_submodules() -> None:
    assert imported_modules(PLANTED, "from crmsec.vocabulary import Status\nfrom crmsec import version\n") == {
        "crmsec.vocabulary",
        "crmsec.version",
    }
    allowed = "from crmsec.report.model import Report\nfrom crmsec import resources\n"
    assert violations([PLANTED], RULES[0][1], allowed) == []


@pytest.mark.parametrize(("target", "forbidden"), RULES, ids=[target for target, _ in RULES])
def test_every_rule_catches_a_planted_violation(target: str, forbidden: tuple[str, ...]) -> None:
    path = _paths(target)[0]
    for bad in forbidden:
        module = bad if bad != "crmsec" else "crmsec.engine"
        package, _, name = module.rpartition(".")
        source = f"def late() -> None:\n    from {package} import {name}\n" if package else f"import {module}\n"
        assert violations([path], forbidden, source) != [], (target, source)


@pytest.mark.parametrize(
    "source",
    [
        "from crmsec import engine\n",
        "from crmsec.plugin import Status\nfrom crmsec.evidence import EvidenceSnapshot\n",
        "from crmsec.check_kit import pii_fields\n",
        "import httpx\n",
        "def later() -> None:\n    import socket\n",
        "from .tls_1_1_disabled import tls_1_1_disabled\n",
    ],
)
def test_the_check_rule_catches_planted_violations(source: str) -> None:
    assert check_violations(ROOT / "checks/tls/tls_1_0_disabled.py", source) != []


def test_the_check_rule_allows_the_plugin_api() -> None:
    source = "from crmsec.plugin import Dimension, Finding, Status, check\nimport re\n"
    assert check_violations(ROOT / "checks/tls/tls_1_0_disabled.py", source) == []


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


def names_from_the_package(path: Path, source: str | None = None) -> list[str]:
    """Names a module takes from `crmsec` itself that are not submodules (they would load the whole package)."""
    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "crmsec"
        for alias in node.names
        if not is_module(f"crmsec.{alias.name}")
    ]


def test_nothing_inside_the_package_imports_names_from_crmsec_itself() -> None:
    paths = [path for path in files("crmsec") if path != ROOT / "crmsec/__init__.py"]
    assert [line for path in paths for line in names_from_the_package(path)] == []


def test_a_name_taken_from_the_package_is_caught() -> None:
    assert names_from_the_package(PLANTED, "from crmsec import __version__\n") != []
    assert names_from_the_package(PLANTED, "def f() -> None:\n    from crmsec import assess\n") != []
    assert names_from_the_package(PLANTED, "from crmsec import resources, version\n") == []


LAB_PEOPLE = ROOT / "crmsec" / "lab" / "people.py"


def test_only_the_lab_imports_faker_and_only_when_a_lab_starts() -> None:
    """Faker is the `lab` extra: no module but lab/people.py names it, and that one only inside a function."""
    assert [line for path in files("crmsec") if path != LAB_PEOPLE for line in violations([path], ("faker",))] == []
    body = ast.parse(LAB_PEOPLE.read_text()).body
    top_level = {alias.name for node in body if isinstance(node, ast.Import) for alias in node.names}
    top_level |= {node.module or "" for node in body if isinstance(node, ast.ImportFrom)}
    assert "faker" in imported_modules(LAB_PEOPLE) and "faker" not in top_level
