"""The fleet plan: targets.yaml read safely, schema-checked and resolved into one `PlannedTarget` per org.

A targets file names each org (platform, URL, profile, tags, connector options, API budget) and says where its
secret is, by environment variable name or credentials file, never the secret itself. Relative paths
(credentials files, CA bundles, profile files) are resolved against the folder of the targets file, so a plan
means the same from any working directory. Every problem is one `FleetPlanError` line naming the file, the
target and the field (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from crmsec import resources
from crmsec.connectors import available_platforms
from crmsec.errors import InputError
from crmsec.safe_yaml import load_yaml_file
from crmsec.target import DEFAULT_TOKEN_ENV, clean_url, require_secure_transport

SCHEMA_NAME = "fleet_targets"
DEFAULT_PLATFORM = "salesforce"


class FleetPlanError(InputError):
    """A targets file is unusable; the message names the file, the target and the field (exit 2)."""

    hint = "fix the targets file (see `crmsec schema fleet_targets` and docs/fleet.md)"


@dataclass(frozen=True, slots=True)
class PlannedTarget:
    """One org of the fleet, resolved: paths absolute, options as strings, defaults applied."""

    name: str
    platform: str
    url: str
    profile: str | None = None
    """None: the `--profile` flag decides."""
    credentials_env: str | None = None
    credentials_file: Path | None = None
    ca_bundle: Path | None = None
    tags: tuple[str, ...] = ()
    options: Mapping[str, str] = field(default_factory=dict)
    max_requests: int | None = None
    allow_insecure_http: bool = False

    @property
    def credentials_reference(self) -> str:
        """Where the secret comes from, for display: `env NAME` or `file PATH` (never the secret)."""
        if self.credentials_file is not None:
            return f"file {self.credentials_file}"
        return f"env {self.credentials_env or DEFAULT_TOKEN_ENV}"

    def credentials_available(self) -> bool:
        """Whether the referenced variable is set (non-empty) or the referenced file exists."""
        if self.credentials_file is not None:
            return self.credentials_file.is_file()
        return bool(os.environ.get(self.credentials_env or DEFAULT_TOKEN_ENV, "").strip())

    def to_json(self) -> dict[str, Any]:
        """The plan entry as JSON (what `crmsec fleet plan --output-format json` prints; no secret in it)."""
        return {
            "name": self.name,
            "platform": self.platform,
            "url": self.url,
            "profile": self.profile,
            "credentials": self.credentials_reference,
            "ca_bundle": None if self.ca_bundle is None else str(self.ca_bundle),
            "tags": list(self.tags),
            "options": dict(self.options),
            "max_requests": self.max_requests,
        }


@dataclass(frozen=True, slots=True)
class FleetPlan:
    """A validated targets file: its path and the targets sorted by name."""

    path: Path
    targets: tuple[PlannedTarget, ...]

    def names(self) -> tuple[str, ...]:
        """Target names, sorted."""
        return tuple(target.name for target in self.targets)


def _plan_error(message: str) -> FleetPlanError:
    return FleetPlanError(message)


def load_plan(path: Path) -> FleetPlan:
    """Read, validate and resolve a targets file; any problem raises one `FleetPlanError` line."""
    document = load_yaml_file(path, error=_plan_error)
    _validate(document, path)
    defaults: Mapping[str, Any] = document.get("defaults", {})
    base = path.resolve().parent
    targets: list[PlannedTarget] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document["targets"]):
        where = f"{path}: targets[{index}] ({entry['name']})"
        if entry["name"] in seen:
            raise FleetPlanError(f"{where}: name: duplicate of targets[{seen[entry['name']]}]")
        seen[entry["name"]] = index
        targets.append(_resolve(entry, defaults, base=base, where=where))
    return FleetPlan(path=path, targets=tuple(sorted(targets, key=lambda target: target.name)))


def _validate(document: Any, path: Path) -> None:
    validator = jsonschema.Draft202012Validator(resources.schema(SCHEMA_NAME))
    problem = best_match(validator.iter_errors(document))
    if problem is None:
        return
    location = _field_path(problem.absolute_path)
    if isinstance(document, dict) and len(problem.absolute_path) >= 2 and problem.absolute_path[0] == "targets":
        index = problem.absolute_path[1]
        entries = document.get("targets")
        entry = entries[index] if isinstance(entries, list) and isinstance(index, int) else None
        name = entry.get("name") if isinstance(entry, dict) else None
        if isinstance(name, str):
            location = f"{location} ({name[:64]!r})"
    message = problem.message if len(problem.message) < 160 else problem.message[:160] + "..."
    raise FleetPlanError(f"{path}: {location or 'the document'}: {message}")


def _field_path(parts: Sequence[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _resolve(entry: Mapping[str, Any], defaults: Mapping[str, Any], *, base: Path, where: str) -> PlannedTarget:
    platform = entry.get("platform", defaults.get("platform", DEFAULT_PLATFORM))
    if platform not in available_platforms():
        known = ", ".join(available_platforms())
        raise FleetPlanError(f"{where}: platform: {platform!r} is unknown (available: {known})")
    try:
        url = clean_url(entry["url"])
        require_secure_transport(
            url, platform=platform, allow_insecure_http=bool(entry.get("allow_insecure_http", False))
        )
    except InputError as error:
        raise FleetPlanError(f"{where}: url: {str(error).removeprefix('--url ')}") from error
    credentials: Mapping[str, str] = entry.get("credentials", defaults.get("credentials", {}))
    ca_bundle = entry.get("ca_bundle", defaults.get("ca_bundle"))
    options = {**defaults.get("options", {}), **entry.get("options", {})}
    return PlannedTarget(
        name=entry["name"],
        platform=platform,
        url=url,
        profile=_profile(entry.get("profile", defaults.get("profile")), base),
        credentials_env=credentials.get("env"),
        credentials_file=_path(credentials["file"], base) if "file" in credentials else None,
        ca_bundle=None if ca_bundle is None else _path(ca_bundle, base),
        tags=tuple(sorted({*defaults.get("tags", ()), *entry.get("tags", ())})),
        options={key: _option_text(value) for key, value in sorted(options.items())},
        max_requests=entry.get("max_requests", defaults.get("max_requests")),
        allow_insecure_http=bool(entry.get("allow_insecure_http", False)),
    )


def _path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def _profile(value: str | None, base: Path) -> str | None:
    """A built-in profile name stays a name; a YAML file is resolved against the targets file's folder."""
    if value is not None and value.endswith((".yaml", ".yml")):
        return str(_path(value, base))
    return value


def _option_text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
