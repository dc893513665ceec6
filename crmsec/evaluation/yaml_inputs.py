"""requirements.yaml, kpis.yaml and costs.yaml: safe YAML, JSON Schema, then the rules a schema cannot say.

Every problem raises InputError naming the file and the field (JSON pointer), e.g.
`kpis.yaml: /kpis/conversion_rate/after: 'high' is not of type 'number'`.
"""

from __future__ import annotations

from pathlib import Path

from crmsec import documents
from crmsec.errors import InputError
from crmsec.safe_yaml import load_yaml_file
from crmsec.vocabulary import JsonValue

KNOWN_KPIS: dict[str, tuple[str, str]] = {
    "customer_acquisition_cost": ("lower", "Customer acquisition cost"),
    "customer_lifetime_value": ("higher", "Customer lifetime value"),
    "customer_satisfaction_index": ("higher", "Customer satisfaction index"),
    "conversion_rate": ("higher", "Lead-to-customer conversion rate"),
    "service_response_time": ("lower", "Service response time"),
    "retention_rate": ("higher", "Customer retention rate"),
    "sales_cycle_length": ("lower", "Sales cycle length"),
}
"""KPI name -> (direction, label) for the KPIs every template lists; other names must state a direction."""


def _document(path: Path, schema: str) -> dict[str, JsonValue] | None:
    document = load_yaml_file(path, error=InputError)
    if document is None:
        return None
    documents.validate(document, f"inputs_{schema}", where=path.name, error=InputError)
    loaded: dict[str, JsonValue] = document
    return loaded


def load_requirements(path: Path) -> dict[str, JsonValue] | None:
    """The evidence value of `inputs.requirements`; None when the file lists no requirement."""
    document = _document(path, "requirements")
    if document is None or not document.get("requirements"):
        return None
    seen: set[str] = set()
    for index, requirement in enumerate(document["requirements"]):
        if requirement["id"] in seen:
            raise InputError(f"{path.name}: /requirements/{index}/id: {requirement['id']!r} is used twice")
        seen.add(requirement["id"])
    return {"file": path.name, "requirements": document["requirements"]}


def load_kpis(path: Path) -> dict[str, JsonValue] | None:
    """The evidence value of `inputs.kpis` with each KPI's direction and label filled in; None when empty."""
    document = _document(path, "kpis")
    if document is None or not document.get("kpis"):
        return None
    kpis: dict[str, JsonValue] = {}
    for name, entry in document["kpis"].items():
        known = KNOWN_KPIS.get(name)
        if known is None and "direction" not in entry:
            raise InputError(f"{path.name}: /kpis/{name}/direction: required for a KPI crmsec does not know")
        direction, label = known or (entry["direction"], name.replace("_", " ").capitalize())
        kpis[name] = {"direction": direction, "label": label, "target": None, "unit": "", **entry}
    return {"file": path.name, "period": document.get("period", {}), "kpis": kpis}


def load_costs(path: Path) -> dict[str, JsonValue] | None:
    """The evidence value of `inputs.costs`, with benefits expanded to one number per year; None when empty."""
    document = _document(path, "costs")
    if document is None:
        return None
    horizon = document["horizon_years"]
    benefits = document["benefits_per_year"]
    if isinstance(benefits, list) and len(benefits) != horizon:
        raise InputError(f"{path.name}: /benefits_per_year: {len(benefits)} entries, but horizon_years is {horizon}")
    yearly = benefits if isinstance(benefits, list) else [benefits] * horizon
    hidden = {name: {"one_off": 0, "per_year": 0, **amounts} for name, amounts in document.get("hidden", {}).items()}
    return {
        "file": path.name,
        "currency": document.get("currency", ""),
        "horizon_years": horizon,
        "discount_rate": document.get("discount_rate", 0),
        "initial": document["initial"],
        "operating_per_year": document["operating_per_year"],
        "hidden": hidden,
        "benefits_per_year": yearly,
    }
