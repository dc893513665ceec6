"""Reading and writing the JSON documents crmsec trusts (evidence, reports): size caps, no NaN, schema checks.

Every load goes through `read_json` and `validate`, so a bad file always yields one line naming the file
and the JSON pointer of the first problem, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

from crmsec import files, resources
from crmsec.errors import InputError
from crmsec.spelling import did_you_mean

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


# A `\uD800`-`\uDFFF` escape is the only way a parsed JSON string can hold a surrogate; most documents
# have none, so the walk over the parsed document only runs when the text holds one.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(data: bytes) -> Any:
    """Parse JSON bytes strictly: UTF-8 only, then as `parse_json_text`.

    Raises `ValueError` (UnicodeDecodeError and JSONDecodeError are ValueErrors) or `RecursionError`.
    """
    return parse_json_text(data.decode("utf-8"))


def parse_json_text(text: str) -> Any:
    """Parse JSON text strictly: no NaN or Infinity, no number overflowing to infinity, and no lone
    surrogate (which no UTF-8 file can hold and nothing downstream could encode or print).

    Raises `ValueError` (JSONDecodeError is one) or `RecursionError`.
    """
    document = strict_loads(text)
    if _SURROGATE_ESCAPE.search(text) and _holds_surrogate(document):
        raise ValueError("a string holds a lone surrogate escape (\\ud800-\\udfff), which is not Unicode text")
    return document


def strict_loads(text: str) -> Any:
    """`json.loads` refusing NaN, Infinity and numbers that overflow to infinity (ValueError); surrogates pass."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def _holds_surrogate(document: Any) -> bool:
    pending = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            strings = [value]
        elif isinstance(value, dict):
            strings = list(value)
            pending.extend(value.values())
        elif isinstance(value, list):
            strings = []
            pending.extend(value)
        else:
            continue
        for text in strings:
            if not text.isascii() and any("\ud800" <= character <= "\udfff" for character in text):
                return True
    return False


def read_json(
    path: Path,
    error: Callable[[str], InputError],
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    parse: Callable[[bytes], Any] = parse_json,
) -> Any:
    """Parse a JSON file; a non-regular, oversized, unreadable or invalid file raises `error(message)` naming it.

    `parse` turns the bytes into the document (default `parse_json`, which refuses lone surrogates; a reader of
    CRM data passes one that replaces them, as connectors do with API answers).
    """
    data = files.read_regular(path, limit=max_bytes, error=error)
    try:
        return parse(data)
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
        if problem.validator == "enum" and isinstance(problem.instance, str):  # a typo: suggest, do not list
            choices = [choice for choice in problem.validator_value if isinstance(choice, str)]
            suggestion = did_you_mean(problem.instance, choices)
            message = f"{problem.instance!r} is not an allowed value{suggestion}" if suggestion else message
        raise error(f"{where}: {pointer(problem.absolute_path)}: {message}")


def write_private(path: Path, data: bytes) -> None:
    """Write bytes to a file readable by its owner only (0600), replacing it atomically (`files.write_atomic`).

    A failure raises `InputError` naming the file; the old content stays in place.
    """
    files.write_output(path, data, mode=0o600)


def pretty_bytes(document: Any) -> bytes:
    """Stable, human-readable JSON bytes: sorted keys, two-space indent, UTF-8, trailing newline."""
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n").encode()
