"""Evaluation dimensions beyond security: input files, metrics and their evidence items."""

from __future__ import annotations

from pathlib import Path

from crmsec.errors import InputError
from crmsec.evidence import EvidenceSnapshot


def prepare(
    snapshot: EvidenceSnapshot, inputs: Path | None
) -> tuple[EvidenceSnapshot, dict[str, dict[str, object]], dict[str, object]]:
    """Add input files as evidence and compute metrics; returns (snapshot, metrics, report extras)."""
    if inputs is not None:
        raise InputError(f"--inputs {inputs}: evaluation inputs are not supported by this build")
    return snapshot, {}, {}
