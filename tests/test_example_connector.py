"""The example connector plugin (`examples/acme-crm-checks`) reads its export as crmsec reads CRM data.

A user name holding a lone surrogate escape (`"\\udc80"`) becomes U+FFFD instead of failing the snapshot;
NaN, an out-of-range number, a FIFO, a missing file or a non-object export are input errors naming the option.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import anyio
import httpx
import pytest

from crmsec.connectors.base import Recorder
from crmsec.errors import InputError
from crmsec.evidence import EvidenceSnapshot
from crmsec.redaction import Identities
from crmsec.target import Target

PACK = Path(__file__).parents[1] / "examples" / "acme-crm-checks"


def _connector_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("acme_export_connector", PACK / "src/acme_crm_checks/connector.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CONNECTOR = _connector_module()


def collect(export: Path) -> EvidenceSnapshot:
    target = Target(platform="acme-export", url="https://crm.acme.test", options={"export": str(export)})
    recorder = Recorder(clock=lambda: "2026-11-23T00:00:00Z", identities=Identities.SHOWN)

    async def run() -> None:
        async with httpx.AsyncClient() as client:
            await CONNECTOR.ExportConnector().collect(target, client, recorder)

    anyio.run(run)
    return recorder.build(target, connector="ExportConnector", connector_version="1.0.0")


def test_the_shipped_example_export_is_read() -> None:
    snapshot = collect(PACK / "example-export.json")
    assert snapshot.values()["auth.password_policy"]["min_length"] == 10


def test_a_lone_surrogate_in_a_user_name_becomes_a_replacement_character(tmp_path: Path) -> None:
    document = json.loads((PACK / "example-export.json").read_text(encoding="utf-8"))
    document["users"][0]["name"] = "S*** \\udc80"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(document).replace("\\\\udc80", "\\udc80"), encoding="utf-8")
    assert "\\udc80" in export.read_text(encoding="utf-8")
    snapshot = collect(export)
    [user] = snapshot.values()["identity.users"]
    assert user["name"] == "S*** \ufffd"
    assert snapshot.items["identity.users"].sha256


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"password_policy": {"min_length": NaN}}', "NaN"),
        ('{"password_policy": {"min_length": 1e400}}', "out of range"),
        ('[{"password_policy": {}}]', "expected a JSON object"),
        ('{"password_policy": ', "invalid JSON"),
    ],
)
def test_an_unusable_export_is_an_input_error_naming_the_option(tmp_path: Path, content: str, message: str) -> None:
    export = tmp_path / "export.json"
    export.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as raised:
        collect(export)
    assert str(raised.value).startswith("--option export: ")


def test_a_fifo_or_a_missing_export_is_refused_without_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "export.fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path / "missing.json"):
        with pytest.raises(InputError, match="--option export: "):
            collect(path)
