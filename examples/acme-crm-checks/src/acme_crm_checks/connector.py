"""An example connector plugin: reads ACME's nightly JSON export of CRM settings instead of calling an API.

Declared as `[project.entry-points."crmsec.connectors"] acme-export = "acme_crm_checks.connector:ExportConnector"`,
it makes `crmsec scan --platform acme-export --url https://crm.acme.test --option export=settings.json` work
without any change to crmsec itself.

The export holds CRM data, so it is read the way crmsec reads a CRM's answers: a regular file under a size cap
(`crmsec.files.read_regular`, so a FIFO or /dev/zero cannot hang the scan), strict JSON (no NaN or Infinity),
and lone surrogates such as `"\\udc80"` in a user name turned into U+FFFD (`without_lone_surrogates`), instead
of failing the whole snapshot later. An unusable export is an InputError naming the file: exit 2.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import httpx

from crmsec import files
from crmsec.connectors.base import Recorder
from crmsec.connectors.exchange import without_lone_surrogates
from crmsec.errors import InputError, Reason
from crmsec.target import Target

MAX_EXPORT_BYTES = 64 * 1024 * 1024


def _export_error(message: str) -> InputError:
    return InputError(f"--option export: {message}")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def read_export(path: Path) -> Any:
    """The parsed export: a regular UTF-8 JSON file of at most MAX_EXPORT_BYTES, lone surrogates as U+FFFD."""
    data = files.read_regular(path, limit=MAX_EXPORT_BYTES, error=_export_error)
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite)
    except UnicodeDecodeError as error:
        raise _export_error(f"{path}: not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise _export_error(f"{path}: invalid JSON at line {error.lineno} column {error.colno}") from error
    except ValueError as error:
        raise _export_error(f"{path}: {error}") from error
    except RecursionError as error:
        raise _export_error(f"{path}: nested too deeply") from error
    return without_lone_surrogates(document)


class ExportConnector:
    """Maps the export's sections onto crmsec's platform-neutral evidence keys."""

    platform = "acme-export"
    version = "1.0.0"
    sends_credentials = False  # reads a local file: crmsec need not insist on an https --url

    async def collect(self, target: Target, client: httpx.AsyncClient, recorder: Recorder) -> None:
        """Record each known section of the export; absent sections become `not_supported` errors."""
        export = target.options.get("export")
        if not export:
            raise InputError("acme-export needs --option export=FILE")
        document = read_export(Path(export))
        if not isinstance(document, dict):
            raise _export_error(f"{export}: expected a JSON object of sections")
        sections = {
            "password_policy": "auth.password_policy",
            "session": "auth.session_settings",
            "users": "identity.users",
        }
        for section, key in sections.items():
            if section in document:
                recorder.add(key, document[section], source=f"file {Path(export).name}#{section}")
            else:
                recorder.fail(key, Reason.NOT_SUPPORTED, f"the export has no {section} section", source="file")
