"""A fleet of lab orgs on loopback: N Salesforce-compatible labs and the targets file that scans them.

For the fleet tests, `crmsec fleet lab`, and the fleet benchmark. Scenarios rotate through hardened,
misconfigured and mixed, each org with its own seed, token, throwaway CA and port. Tokens go into
credentials files (0600) next to targets.yaml, which references them by path, as a real fleet would.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from crmsec import documents
from crmsec.lab import SCENARIOS, Lab, LabConfig

TARGETS_NAME = "targets.yaml"


def org_name(index: int) -> str:
    """The name of lab org number `index`: org-000, org-001, ..."""
    return f"org-{index:03d}"


@contextmanager
def start_lab_fleet(
    folder: Path,
    count: int,
    *,
    latency_ms: float = 0.0,
    users: int = 20,
    contacts: int = 50,
    options: Mapping[str, str] | None = None,
    max_requests: int | None = None,
) -> Iterator[Path]:
    """Start `count` labs, write folder/targets.yaml for them, yield its path; stop every lab on exit."""
    scenarios = sorted(SCENARIOS)
    labs: list[Lab] = []
    try:
        for index in range(count):
            config = LabConfig(
                scenario=scenarios[index % len(scenarios)],
                users=users,
                contacts=contacts,
                seed=7 + index,
                latency_ms=latency_ms,
            )
            labs.append(Lab(config).start())
        yield write_targets(folder, labs, options=options, max_requests=max_requests)
    finally:
        for lab in labs:
            lab.stop()


def write_targets(
    folder: Path, labs: list[Lab], *, options: Mapping[str, str] | None = None, max_requests: int | None = None
) -> Path:
    """Write one credentials file per lab and the targets file naming them; returns the targets file."""
    secrets = folder / "credentials"
    secrets.mkdir(parents=True, exist_ok=True)
    targets: list[dict[str, Any]] = []
    for index, lab in enumerate(labs):
        name = org_name(index)
        documents.write_private(secrets / f"{name}.token", (lab.token + "\n").encode())
        targets.append(
            {
                "name": name,
                "url": lab.url,
                "credentials": {"file": f"credentials/{name}.token"},
                "ca_bundle": str(lab.ca_bundle),
                "tags": ["lab", lab.config.scenario],
            }
        )
    defaults: dict[str, Any] = {"platform": "salesforce"}
    if options:
        defaults["options"] = dict(options)
    if max_requests is not None:
        defaults["max_requests"] = max_requests
    path = folder / TARGETS_NAME
    text = yaml.safe_dump({"version": 1, "defaults": defaults, "targets": targets}, sort_keys=False)
    documents.write_private(path, text.encode("utf-8"))
    return path
