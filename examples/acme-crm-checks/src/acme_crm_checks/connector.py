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

from pathlib import Path
from typing import Any

import httpx

from crmsec import documents
from crmsec.connectors.base import Recorder
from crmsec.connectors.exchange import without_lone_surrogates
from crmsec.errors import InputError, Reason
from crmsec.target import Target

MAX_EXPORT_BYTES = 64 * 1024 * 1024


def _export_error(message: str) -> InputError:
    return InputError(f"--option export: {message}")


def _parse_crm_data(data: bytes) -> Any:
    """Strict JSON like any crmsec input, but lone surrogates become U+FFFD instead of refusing the file."""
    return without_lone_surrogates(documents.strict_loads(data.decode("utf-8")))


def read_export(path: Path) -> Any:
    """The parsed export: a regular UTF-8 JSON file of at most MAX_EXPORT_BYTES, lone surrogates as U+FFFD."""
    return documents.read_json(path, _export_error, max_bytes=MAX_EXPORT_BYTES, parse=_parse_crm_data)


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
