"""Helpers for testing checks, ours and third-party packs': build snapshots from values, run one check.

    snapshot = snapshot_from_values(FIXTURES / "pass.json")     # {"evidence.key": value, ...}
    [finding] = run_check("CRM-AUTH-004", snapshot, max_idle_minutes=30)

`run_check` goes through the registry and the engine's guards, so a test sees what a scan sees.
A fixture value of the form `{"__error__": {"reason": "permission_denied", "message": "..."}}` records
the key as collected with that error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from crmsec import evidence_keys
from crmsec.engine import EvaluationOptions, record_finding, run_checks
from crmsec.errors import Reason
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, SnapshotMetadata, shape_problem
from crmsec.profiles import Profile
from crmsec.registry import Catalogue, load_catalogue
from crmsec.report.model import FindingRecord
from crmsec.version import __version__

FIXED_TIME = "2026-01-01T00:00:00Z"


def snapshot_from_values(
    source: Path | Mapping[str, Any], *, platform: str = "salesforce", collected_at: str = FIXED_TIME
) -> EvidenceSnapshot:
    """A schema-valid snapshot with real hashes from `{evidence key: value}` (a mapping or a JSON file).

    As in a scan, a value that breaks its key's catalogued shape (`crmsec.evidence_keys`) becomes an
    `evidence_unusable` error item naming the JSON path (every `EvidenceSnapshot` does that).
    """
    values: Mapping[str, Any]
    values = json.loads(source.read_text(encoding="utf-8")) if isinstance(source, Path) else source
    items: dict[str, EvidenceItem] = {}
    for key, value in values.items():
        if isinstance(value, dict) and set(value) == {"__error__"}:
            error = value["__error__"]
            items[key] = EvidenceItem.of_error(
                key, Reason(error["reason"]), error.get("message", "fixture error"),
                source="fixture", collected_at=collected_at,
            )  # fmt: skip
        else:
            items[key] = EvidenceItem.of_value(key, value, source="fixture", collected_at=collected_at)
    metadata = SnapshotMetadata(
        platform=platform,
        target_url="https://crm.example.test",
        collected_at=collected_at,
        connector="fixture",
        connector_version="0",
        tool_version=__version__,
    )
    return EvidenceSnapshot(metadata, items)


@cache
def _builtin_catalogue() -> Catalogue:
    return load_catalogue(plugins=False)


def run_check(
    check_id: str, snapshot: EvidenceSnapshot, *, catalogue: Catalogue | None = None, **params: Any
) -> list[FindingRecord]:
    """Run one check (built-in unless `catalogue` is given) over a snapshot, with parameter overrides."""
    spec = (catalogue or _builtin_catalogue()).get(check_id)
    profile = Profile(name="test", description="", sha256="0" * 64, sources=(), check_parameters={check_id: params})
    results = run_checks([spec], snapshot, profile, EvaluationOptions())
    return [record_finding(spec, finding, snapshot) for _, finding in results]


def contract_problems(connector: object, snapshot: EvidenceSnapshot) -> list[str]:
    """What breaks a connector's declared key contract in a snapshot it collected; empty when none does.

    The connector declares `produces` (keys it records values for) and `unsupported` (keys it always records
    as `not_supported`). The snapshot must hold exactly those keys (`tls.scan` only for an https target), each
    produced one with a value of its catalogued shape, each unsupported one as a `not_supported` error.
    """
    produces = tuple(getattr(connector, "produces", ()))
    unsupported = tuple(getattr(connector, "unsupported", ()))
    problems = [f"{key}: declared both produced and unsupported" for key in sorted(set(produces) & set(unsupported))]
    problems += [
        f"{key}: not in the evidence key catalogue"
        for key in sorted({*produces, *unsupported})
        if not key.startswith("raw.") and evidence_keys.get(key) is None
    ]
    expected = {*produces, *unsupported}
    if not snapshot.metadata.target_url.startswith("https://"):
        expected.discard("tls.scan")
    problems += [f"{key}: recorded but not declared" for key in sorted(set(snapshot.items) - expected)]
    problems += [f"{key}: declared but not recorded" for key in sorted(expected - set(snapshot.items))]
    for key in sorted(expected & set(snapshot.items)):
        item = snapshot.items[key]
        if key in unsupported and (item.error is None or item.error.reason is not Reason.NOT_SUPPORTED):
            problems.append(f"{key}: declared unsupported but not recorded as not_supported")
        elif key in produces and item.error is not None:
            problems.append(f"{key}: no value ({item.error.reason}: {item.error.message})")
        elif key in produces and (problem := shape_problem(key, item.value)) is not None:
            problems.append(problem)
    return problems
