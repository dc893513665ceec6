"""The one way crmsec reads YAML: size-capped, aliases refused, `yaml.safe_load`, errors with file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from crmsec.errors import InputError

MAX_YAML_BYTES = 1024 * 1024


def load_yaml_text(text: str, *, where: str, error: Callable[[str], InputError]) -> Any:
    """Parse YAML text safely; problems raise `error(message)` naming `where` and the line."""
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise error(f"{where}: larger than {MAX_YAML_BYTES} bytes")
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                position = event.start_mark.line + 1 if event.start_mark else 0
                raise error(f"{where}:{position}: YAML aliases are not allowed")
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as problem:
        mark = problem.problem_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        raise error(f"{where}{line}: invalid YAML: {problem.problem}") from problem
    except yaml.YAMLError as problem:
        raise error(f"{where}: invalid YAML: {problem}") from problem
    except (ValueError, TypeError, OverflowError) as problem:  # e.g. `expires: 2099-13-45` parsed as a date
        raise error(f"{where}: invalid value: {problem}") from problem
    except RecursionError as problem:
        raise error(f"{where}: nested too deeply") from problem


def load_yaml_file(path: Path, *, error: Callable[[str], InputError]) -> Any:
    """Read and parse a YAML file safely; unreadable, oversized or invalid files raise `error`."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(f"{path}: {size} bytes is over the {MAX_YAML_BYTES}-byte limit")
        text = path.read_text(encoding="utf-8")
    except OSError as problem:
        raise error(f"{path}: cannot read ({problem.strerror or type(problem).__name__})") from problem
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 text") from problem
    return load_yaml_text(text, where=str(path), error=error)
