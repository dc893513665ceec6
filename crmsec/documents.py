"""Reading and writing the JSON documents crmsec trusts (evidence, reports): size caps, no NaN, schema checks.

Every load goes through `read_json` and `validate`, so a bad file always yields one line naming the file
and the JSON pointer of the first problem, never a traceback.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from crmsec import resources
from crmsec.errors import InputError

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_json(path: Path, error: Callable[[str], InputError], *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Parse a JSON file; oversized, unreadable or invalid files raise `error(message)` naming the file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise error(f"{path}: {size} bytes is over the {max_bytes}-byte limit")
        with path.open("rb") as handle:
            return json.loads(handle.read().decode("utf-8"), parse_constant=_refuse_constant)
    except OSError as problem:
        raise error(f"{path}: cannot read ({problem.strerror or type(problem).__name__})") from problem
    except UnicodeDecodeError as problem:
        raise error(f"{path}: not UTF-8 text") from problem
    except json.JSONDecodeError as problem:
        raise error(f"{path}: invalid JSON at line {problem.lineno} column {problem.colno}") from problem
    except ValueError as problem:
        raise error(f"{path}: {problem}") from problem
    except RecursionError as problem:
        raise error(f"{path}: nested too deeply") from problem


def pointer(path: Any) -> str:
    """A JSON pointer (RFC 6901) for a jsonschema error path."""
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "/" + "/".join(parts) if parts else "/"


def validate(document: Any, schema_name: str, *, where: str, error: Callable[[str], InputError]) -> None:
    """Validate against a bundled schema; the first problem raises `error` with file and JSON pointer."""
    validator = jsonschema.Draft202012Validator(resources.schema(schema_name))
    problem = best_match(validator.iter_errors(document))
    if problem is not None:
        message = problem.message if len(problem.message) < 200 else problem.message[:200] + "..."
        raise error(f"{where}: {pointer(problem.absolute_path)}: {message}")


def write_private(path: Path, data: bytes) -> None:
    """Write bytes to a file readable by its owner only (0600), replacing it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    temporary.chmod(0o600)
    temporary.replace(path)


def pretty_bytes(document: Any) -> bytes:
    """Stable, human-readable JSON bytes: sorted keys, two-space indent, UTF-8, trailing newline."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode()
