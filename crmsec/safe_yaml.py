"""The one way crmsec reads YAML: size-capped, aliases refused, `yaml.safe_load`, errors with file and line."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from crmsec import files
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
        document = yaml.safe_load(text)
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
    _refuse_non_finite(document, where=where, error=error)
    return document


def _refuse_non_finite(document: Any, *, where: str, error: Callable[[str], InputError]) -> None:
    """`.nan` and `.inf` are YAML floats but no JSON number: refuse them, naming the field."""
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:
        field, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((f"{field}.{key}" if field else str(key), item) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((f"{field}[{index}]", item) for index, item in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            raise error(f"{where}: {field or 'the document'}: {value} is not a finite number")


def load_yaml_file(path: Path, *, error: Callable[[str], InputError]) -> Any:
    """Read and parse a YAML file safely; non-regular, unreadable, oversized or invalid files raise `error`."""
    data = files.read_regular(path, limit=MAX_YAML_BYTES, error=error)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 text") from problem
    return load_yaml_text(text, where=str(path), error=error)
