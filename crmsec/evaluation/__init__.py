"""Evaluation dimensions beyond security: input files, metrics and their evidence items.

`prepare(snapshot, inputs)` runs before the checks on every evaluate, scan and demo:

1. Each input file in `--inputs DIR` (survey.csv, requirements.yaml, kpis.yaml, costs.yaml, incidents.csv)
   becomes the evidence item `inputs.<name>` (parsed and validated; covered by the signature). A file that
   is absent, or an untouched template, becomes an item with error reason `not_supported`, so the checks
   that need it are NOT_APPLICABLE. Without `--inputs`, input items already in the snapshot are kept (an
   evidence.json from an earlier run re-evaluates to the same report) and absent ones are marked the same way.
2. The metrics are computed from the evidence (`crmsec.evaluation.metrics`) and recorded twice: as the
   report's `metrics` and as the evidence item `metrics.computed`, which checks declare and read, so they
   stay pure functions of evidence.
3. The report extras: `survey_themes` (keyword themes of the survey comments, or None).

`recommendations(report)` (in `crmsec.evaluation.recommend`) ranks remediations after scoring.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from crmsec.errors import Reason
from crmsec.evaluation.incidents import load_incidents
from crmsec.evaluation.metrics import compute
from crmsec.evaluation.recommend import recommendations, with_recommendations
from crmsec.evaluation.survey import load_survey
from crmsec.evaluation.themes import summarize
from crmsec.evaluation.yaml_inputs import load_costs, load_kpis, load_requirements
from crmsec.evidence import EvidenceItem, EvidenceSnapshot, timestamp, utc_now
from crmsec.vocabulary import JsonValue

METRICS_KEY = "metrics.computed"
METRICS_SOURCE = "crmsec.evaluation"
Loader = Callable[[Path], dict[str, JsonValue] | None]
INPUT_FILES: dict[str, tuple[str, Loader]] = {
    "inputs.survey": ("survey.csv", load_survey),
    "inputs.requirements": ("requirements.yaml", load_requirements),
    "inputs.kpis": ("kpis.yaml", load_kpis),
    "inputs.costs": ("costs.yaml", load_costs),
    "inputs.incidents": ("incidents.csv", load_incidents),
}
"""Evidence key -> (file name in the inputs folder, loader returning the value or None when empty)."""

__all__ = ["INPUT_FILES", "METRICS_KEY", "load_inputs", "prepare", "recommendations", "with_recommendations"]


def load_inputs(folder: Path | None, *, collected_at: str) -> dict[str, EvidenceItem]:
    """One evidence item per input file: its parsed value, or a `not_supported` error when absent or empty.

    Raises InputError (exit 2) naming the file, and line or field, when a present file is unusable.
    """
    items: dict[str, EvidenceItem] = {}
    for key, (name, loader) in INPUT_FILES.items():
        path = None if folder is None else folder / name
        present = path is not None and (path.exists() or path.is_symlink())  # the loader refuses a FIFO or device
        value = loader(path) if path is not None and present else None
        if value is not None:
            items[key] = EvidenceItem.of_value(key, value, source=name, collected_at=collected_at)
            continue
        if folder is None:
            message = f"{name} not provided (pass --inputs DIR; `crmsec init` writes templates)"
        elif present:
            message = f"{name} has no data (an untouched template?)"
        else:
            message = f"{name} not found in the inputs folder"
        items[key] = EvidenceItem.of_error(key, Reason.NOT_SUPPORTED, message, source=name, collected_at=collected_at)
    return items


def prepare(
    snapshot: EvidenceSnapshot, inputs: Path | None, *, clock: Callable[[], datetime] = utc_now
) -> tuple[EvidenceSnapshot, dict[str, dict[str, JsonValue]], dict[str, JsonValue]]:
    """Add input files as evidence and compute metrics; returns (snapshot, metrics, report extras).

    Raises InputError when an input file is unusable; nothing else about the evidence stops it.
    """
    collected_at = timestamp(clock())
    items = load_inputs(inputs, collected_at=collected_at)
    if inputs is None:
        items = {key: item for key, item in items.items() if _absent(snapshot, key)}
    snapshot = snapshot.with_items(items)
    values = snapshot.values()
    values.pop(METRICS_KEY, None)
    metrics = compute(values)
    record = EvidenceItem.of_value(METRICS_KEY, metrics, source=METRICS_SOURCE, collected_at=collected_at)
    snapshot = snapshot.with_items({METRICS_KEY: record})
    extras: dict[str, JsonValue] = {"survey_themes": _themes(values)}
    return snapshot, metrics, extras


def _absent(snapshot: EvidenceSnapshot, key: str) -> bool:
    item = snapshot.items.get(key)
    return item is None or item.error is not None


def _themes(values: dict[str, JsonValue]) -> dict[str, JsonValue] | None:
    survey = values.get("inputs.survey")
    if not isinstance(survey, dict):
        return None
    comments = [person.get("comment") for person in survey.get("respondents", []) if isinstance(person, dict)]
    return dict(summarize([comment for comment in comments if isinstance(comment, str)]))
