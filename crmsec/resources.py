"""The only door to package data: JSON Schemas, built-in checks, profiles and report templates.

In a wheel the top-level `checks/`, `profiles/` and `reports/` folders live under `crmsec/builtin/`; in a
checkout (or an editable install) they sit next to the package. `builtin()` hides the difference.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_PACKAGE = files("crmsec")
_CHECKOUT = Path(__file__).resolve().parent.parent


def builtin(name: str) -> Path:
    """The folder of built-in `checks`, `profiles` or `reports`, in a wheel or in a checkout."""
    packaged = _PACKAGE / "builtin" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return _CHECKOUT / name


def schema_names() -> list[str]:
    """The names of the bundled schemas (`evidence`, `report`, `profile`, `check`, ...)."""
    return sorted(
        entry.name.removesuffix(".schema.json")
        for entry in (_PACKAGE / "schemas").iterdir()
        if entry.name.endswith(".schema.json")
    )


@cache
def schema(name: str) -> dict[str, Any]:
    """A bundled JSON Schema by short name; KeyError for an unknown name."""
    entry: Traversable = _PACKAGE / "schemas" / f"{name}.schema.json"
    if not entry.is_file():
        raise KeyError(name)
    loaded: dict[str, Any] = json.loads(entry.read_text(encoding="utf-8"))
    return loaded


def template(name: str) -> str:
    """The text of a report template (`report.html.j2`, ...) from the built-in reports folder."""
    return (builtin("reports") / name).read_text(encoding="utf-8")


def package_folder(relative: str) -> Path | None:
    """A folder of package data inside `crmsec/` (e.g. `evaluation/demo_inputs`), or None when absent."""
    entry = _PACKAGE.joinpath(*relative.split("/"))
    return Path(str(entry)) if entry.is_dir() else None
