"""An example connector plugin: reads ACME's nightly JSON export of CRM settings instead of calling an API.

Declared as `[project.entry-points."crmsec.connectors"] acme-export = "acme_crm_checks.connector:ExportConnector"`,
it makes `crmsec scan --platform acme-export --url https://crm.acme.test --option export=settings.json` work
without any change to crmsec itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from crmsec.connectors.base import Recorder
from crmsec.errors import InputError, Reason
from crmsec.target import Target


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
        document = json.loads(Path(export).read_text(encoding="utf-8"))
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
