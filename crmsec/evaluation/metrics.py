"""Metrics from evidence: connector keys (`data.quality`, `usage.activity`, `stability.api`, `schema.objects`)
and input items (`inputs.*`), through the formulas in `crmsec.evaluation.formulas`.

`compute(values)` returns `{metric id: {value, unit, dimension, source, label, notes?, details?}}`; a metric
whose source evidence is absent is left out, one whose source is present but undefined has value None and
a note saying why. Values are rounded to two decimals once, here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from crmsec.evaluation import formulas
from crmsec.evaluation.requirements import decide_all
from crmsec.evaluation.themes import CONCERNS, summarize
from crmsec.vocabulary import JsonValue

logger = logging.getLogger(__name__)

Metric = dict[str, JsonValue]
SHAPE_ERRORS = (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError)


def _metric(
    value: float | None, unit: str, dimension: str, source: str, label: str, *,
    notes: list[str] | None = None, details: Mapping[str, JsonValue] | None = None,
) -> Metric:  # fmt: skip
    metric: Metric = {
        "value": None if value is None else round(value, 2),
        "unit": unit,
        "dimension": dimension,
        "source": source,
        "label": label,
    }
    if notes:
        metric["notes"] = notes
    if details:
        metric["details"] = dict(details)
    return metric


def _number(value: JsonValue) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def data_quality(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """Completeness, duplicates, invalid email/phone, stale and inconsistent records from `data.quality`."""
    objects = [item for item in values.get("data.quality") or [] if isinstance(item, dict)]
    sampled = {str(item.get("object")): int(_number(item.get("sampled")) or 0) for item in objects}
    completeness = formulas.weighted_completeness(
        [(sampled[str(item.get("object"))], [r for r in (item.get("completeness") or {}).values()
                                               if _number(r) is not None]) for item in objects]
    )  # fmt: skip
    metrics = {"data_completeness": _metric(completeness, "percent", "data_quality", "data.quality",
                                            "Key-field completeness (sample-weighted)")}  # fmt: skip
    labels = {
        "duplicates": ("duplicate_rate", "Duplicate records"),
        "invalid_email": ("invalid_email_rate", "Invalid email addresses"),
        "invalid_phone": ("invalid_phone_rate", "Invalid phone numbers"),
        "stale": ("stale_record_rate", "Stale records"),
        "inconsistent": ("inconsistent_record_rate", "Inconsistent records"),
    }
    for field, (metric_id, label) in labels.items():
        counted: list[tuple[str, float]] = []
        for item in objects:
            name, count = str(item.get("object")), _number(item.get(field))
            if count is not None and sampled[name] > 0:
                counted.append((name, count))
        total = sum(sampled[name] for name, _ in counted)
        by_object = {name: round(100.0 * count / sampled[name], 2) for name, count in counted}
        value = formulas.percent(sum(count for _, count in counted), total)
        metrics[metric_id] = _metric(value, "percent", "data_quality", "data.quality", label,
                                     details={"by_object": by_object, "sampled": total})  # fmt: skip
    return metrics


def usage(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """Active user rate, logins per active user per week and object adoption from `usage.activity`."""
    activity = values["usage.activity"] if isinstance(values.get("usage.activity"), dict) else {}
    licensed, active = _number(activity.get("licensed_users")), _number(activity.get("active_users_30d"))
    logins = _number(activity.get("logins_last_30d"))
    rate = formulas.percent(active, licensed) if active is not None and licensed else None
    weekly = logins / active / (30 / 7) if logins is not None and active else None
    adoption = {str(name): count for name, count in (activity.get("object_adoption") or {}).items()
                if _number(count) is not None}  # fmt: skip
    used = formulas.percent(sum(1 for count in adoption.values() if count > 0), len(adoption))
    source = "usage.activity"
    return {
        "active_user_rate": _metric(rate, "percent", "usability", source, "Licensed users active in 30 days"),
        "logins_per_user_week": _metric(weekly, "logins", "usability", source, "Logins per active user per week"),
        "object_adoption": _metric(used, "percent", "usability", source, "Objects with records touched in 90 days",
                                   details={"records_touched_90d": adoption}),
    }  # fmt: skip


def stability_api(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """API p95 latency and error rate from `stability.api` (measured during collection)."""
    api = values["stability.api"] if isinstance(values.get("stability.api"), dict) else {}
    requests, errors = _number(api.get("requests")), _number(api.get("errors"))
    latency: dict[str, JsonValue] = api["latency_ms"] if isinstance(api.get("latency_ms"), dict) else {}
    rate = formulas.percent(errors, requests) if errors is not None and requests else None
    return {
        "api_latency_p95_ms": _metric(_number(latency.get("p95")), "ms", "stability", "stability.api",
                                      "API latency, 95th percentile"),
        "api_error_rate": _metric(rate, "percent", "stability", "stability.api", "API requests that failed",
                                  details={"requests": requests, "errors": errors}),
    }  # fmt: skip


def survey(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """SUS, NPS, CSAT, respondent counts and comment themes from `inputs.survey`."""
    data = values["inputs.survey"]
    people = data["respondents"]
    source = f"inputs.survey ({data['file']})"
    notes = [f"{data['rejected_count']} of {data['rows']} rows skipped as unusable (see inputs.survey rejected)"]
    notes = notes if data["rejected_count"] else []
    sus_answers = [person["sus"] for person in people if person["sus"] is not None]
    nps_answers = [person["nps"] for person in people if person["nps"] is not None]
    csat_answers = [person["csat"] for person in people if person["csat"] is not None]
    metrics = {
        "sus": _metric(formulas.mean_sus(sus_answers), "score", "usability", source, "System Usability Scale",
                       notes=[*notes, f"{len(sus_answers)} complete SUS answers"]),
        "nps": _metric(formulas.net_promoter_score(nps_answers), "score", "satisfaction", source,
                       "Net Promoter Score", notes=[*notes, f"{len(nps_answers)} answers"]),
        "csat": _metric(formulas.customer_satisfaction(csat_answers), "percent", "satisfaction", source,
                        "Satisfied (4-5 of 5)", notes=[*notes, f"{len(csat_answers)} answers"]),
        "survey_respondents": _metric(len(people), "count", "satisfaction", source, "Usable survey rows"),
        "survey_rejected_rows": _metric(data["rejected_count"], "count", "satisfaction", source,
                                        "Survey rows skipped as unusable", details={"rows": data["rows"]}),
    }  # fmt: skip
    comments = [person["comment"] for person in people if person["comment"]]
    themes = summarize(comments)
    metrics["survey_comments"] = _metric(len(comments), "count", "satisfaction", source, "Rows with a comment")
    for theme in CONCERNS:
        metrics[f"survey_theme.{theme}"] = _metric(
            themes[theme]["share"],
            "percent",
            "satisfaction",
            source,
            f"Comments about {theme.replace('_', ' ')}",
            details={"count": themes[theme]["count"]},
        )
    return metrics


def incidents(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """Failure rate, MTTR, availability and open incidents from `inputs.incidents`."""
    data = values["inputs.incidents"]
    window_start, window_end = _moment(data["observed_from"]), _moment(data["observed_to"])
    window_hours = (window_end - window_start).total_seconds() / 3600
    listed = data["incidents"]
    resolved = [(_moment(i["start"]), _moment(i["end"])) for i in listed if i["end"] is not None]
    durations = [(end - start).total_seconds() / 3600 for start, end in resolved]
    outages = [
        (_hours(_moment(i["start"]), window_start), min(_hours(_moment(i["end"]) if i["end"] else window_end,
                                                               window_start), window_hours))
        for i in listed if i["kind"] == "outage"
    ]  # fmt: skip
    source = f"inputs.incidents ({data['file']})"
    window = {"observed_from": data["observed_from"], "observed_to": data["observed_to"]}
    return {
        "failure_rate": _metric(formulas.failure_rate(len(listed), window_hours / 24), "per_month", "stability",
                                source, "Incidents per month", details={**window, "incidents": len(listed)}),
        "mttr_hours": _metric(formulas.mean_time_to_recover(durations), "hours", "stability", source,
                              "Mean time to recover", details={"resolved": len(durations)}),
        "availability": _metric(formulas.availability(formulas.merged_duration(outages), window_hours), "percent",
                                "stability", source, "Time without an outage", details=window),
        "open_incidents": _metric(len(listed) - len(durations), "count", "stability", source,
                                  "Incidents without an end time"),
    }  # fmt: skip


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _hours(moment: datetime, origin: datetime) -> float:
    return (moment - origin).total_seconds() / 3600


def requirements(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """Weighted coverage, must-have coverage and undecided count from `inputs.requirements` and evidence."""
    data = values["inputs.requirements"]
    decided = decide_all(data["requirements"], values)
    pairs = [(str(item["priority"]), str(item["status"])) for item in decided]
    must = [pair for pair in pairs if pair[0] == "must"]
    undecided = sum(1 for _, status in pairs if status == "unknown")
    source = f"inputs.requirements ({data['file']})"
    return {
        "requirements_coverage": _metric(formulas.requirements_coverage(pairs), "percent", "functionality", source,
                                         "Requirements met (weighted must 3, should 2, could 1)",
                                         details={"requirements": decided}),
        "must_have_coverage": _metric(formulas.requirements_coverage(must), "percent", "functionality", source,
                                      "Must-have requirements met"),
        "requirements_undecided": _metric(undecided, "count", "functionality", source,
                                          "Requirements the evidence could not decide"),
    }  # fmt: skip


def kpis(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """`kpi.<name>.change` (percent, positive = improvement) for each KPI in `inputs.kpis`."""
    data = values["inputs.kpis"]
    metrics: dict[str, Metric] = {}
    for name, kpi in sorted(data["kpis"].items()):
        lower = kpi["direction"] == "lower"
        target = kpi.get("target")
        met = None if target is None else formulas.target_met(kpi["after"], target, lower_is_better=lower)
        notes = [] if kpi["before"] else ["before is 0: a relative change is undefined"]
        metrics[f"kpi.{name}.change"] = _metric(
            formulas.change_percent(kpi["before"], kpi["after"], lower_is_better=lower), "percent",
            "business_value", f"inputs.kpis ({data['file']})", f"{kpi['label']}: change (positive = better)",
            notes=notes, details={"before": kpi["before"], "after": kpi["after"], "target": target,
                                  "target_met": met, "direction": kpi["direction"], "unit": kpi["unit"]},
        )  # fmt: skip
    return metrics


def costs(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """ROI, payback, total cost of ownership and the share of hidden costs from `inputs.costs`."""
    data = values["inputs.costs"]
    hidden = data["hidden"].values()
    hidden_yearly = sum(item["per_year"] for item in hidden)
    horizon = data["horizon_years"]
    flows = formulas.CashFlows(
        upfront=sum(data["initial"].values()) + sum(item["one_off"] for item in hidden),
        yearly_costs=(sum(data["operating_per_year"].values()) + hidden_yearly,) * horizon,
        yearly_benefits=tuple(data["benefits_per_year"]),
        discount_rate=data["discount_rate"],
    )
    hidden_flows = formulas.CashFlows(sum(item["one_off"] for item in hidden), (hidden_yearly,) * horizon,
                                      (0.0,) * horizon, data["discount_rate"])  # fmt: skip
    total = formulas.present_costs(flows)
    source = f"inputs.costs ({data['file']})"
    currency = data["currency"] or "currency"
    basis = {"horizon_years": horizon, "discount_rate": data["discount_rate"]}
    return {
        "roi": _metric(formulas.return_on_investment(flows), "percent", "business_value", source,
                       f"Return on investment over {horizon} years", details=basis),
        "payback_months": _metric(formulas.payback_months(flows), "months", "business_value", source,
                                  "Payback period", details=basis),
        "tco": _metric(total, currency, "business_value", source, f"Total cost of ownership over {horizon} years"),
        "net_value": _metric(formulas.present_benefits(flows) - total, currency, "business_value", source,
                             "Benefits minus costs over the horizon"),
        "hidden_cost_share": _metric(formulas.percent(formulas.present_costs(hidden_flows), total), "percent",
                                     "business_value", source, "Hidden costs (training, integration, downtime)"),
    }  # fmt: skip


SOURCES: tuple[tuple[str, Callable[[Mapping[str, JsonValue]], dict[str, Metric]]], ...] = (
    ("data.quality", data_quality),
    ("usage.activity", usage),
    ("stability.api", stability_api),
    ("inputs.survey", survey),
    ("inputs.incidents", incidents),
    ("inputs.requirements", requirements),
    ("inputs.kpis", kpis),
    ("inputs.costs", costs),
)
"""Evidence key -> the function computing its metrics; a key absent from the values adds nothing."""


def compute(values: Mapping[str, JsonValue]) -> dict[str, Metric]:
    """Every metric the collected evidence allows, keyed by metric id (sorted)."""
    metrics: dict[str, Metric] = {}
    for key, function in SOURCES:
        if key not in values:
            continue
        try:
            metrics.update(function(values))
        except SHAPE_ERRORS as error:  # evidence of an unexpected shape: its checks become ERROR, not a crash
            logger.warning("%s has an unexpected shape; its metrics are left out (%s)", key, type(error).__name__)
    return dict(sorted(metrics.items()))
