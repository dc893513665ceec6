"""The metric formulas, as pure functions of plain numbers (docs/metrics.md states each one).

Nothing here reads files, evidence or clocks; `crmsec.evaluation.metrics` feeds these functions from the
snapshot, and checks see their results through the evidence item `metrics.computed`. Functions return
None when a metric is undefined (no respondents, no requests, zero cost) rather than a made-up number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SUS_ITEMS = 10
MONTH_DAYS = 365.25 / 12
PAYBACK_LIMIT_MONTHS = 600
REQUIREMENT_WEIGHTS = {"must": 3, "should": 2, "could": 1}
REQUIREMENT_SCORES = {"met": 1.0, "partial": 0.5, "missing": 0.0}


def sus_score(answers: Sequence[int]) -> float:
    """One respondent's System Usability Scale score (0-100) from the ten 1-5 answers, in item order.

    Odd items (positively worded) score `answer - 1`, even items (negatively worded) `5 - answer`;
    the sum (0-40) times 2.5 gives 0-100.
    """
    if len(answers) != SUS_ITEMS:
        raise ValueError(f"SUS needs {SUS_ITEMS} answers, got {len(answers)}")
    total = sum(answer - 1 if index % 2 == 0 else 5 - answer for index, answer in enumerate(answers))
    return total * 2.5


def mean_sus(respondents: Sequence[Sequence[int]]) -> float | None:
    """The mean SUS score over respondents who answered all ten items; None without any."""
    scores = [sus_score(answers) for answers in respondents]
    return sum(scores) / len(scores) if scores else None


def net_promoter_score(answers: Sequence[int]) -> float | None:
    """NPS (-100..100): percent promoters (9-10) minus percent detractors (0-6) of the 0-10 answers."""
    if not answers:
        return None
    promoters = sum(1 for answer in answers if answer >= 9)
    detractors = sum(1 for answer in answers if answer <= 6)
    return 100.0 * (promoters - detractors) / len(answers)


def customer_satisfaction(answers: Sequence[int]) -> float | None:
    """CSAT in percent: the share of 1-5 answers that are 4 or 5."""
    if not answers:
        return None
    return 100.0 * sum(1 for answer in answers if answer >= 4) / len(answers)


def percent(part: float, whole: float) -> float | None:
    """`100 * part / whole`, or None when `whole` is zero."""
    return 100.0 * part / whole if whole else None


def weighted_completeness(objects: Sequence[tuple[int, Sequence[float]]]) -> float | None:
    """Data completeness in percent: per object the mean fill ratio of its key fields, weighted by sample size.

    `objects` holds `(sampled records, [fill ratio per key field])`; objects without key fields or samples
    are left out.
    """
    usable = [(sampled, ratios) for sampled, ratios in objects if sampled > 0 and ratios]
    total = sum(sampled for sampled, _ in usable)
    if not total:
        return None
    return 100.0 * sum(sampled * sum(ratios) / len(ratios) for sampled, ratios in usable) / total


def change_percent(before: float, after: float, *, lower_is_better: bool) -> float | None:
    """Relative change of a KPI in percent, signed so that a positive number is an improvement."""
    if before == 0:
        return None
    change = 100.0 * (after - before) / abs(before)
    return -change if lower_is_better else change


def target_met(after: float, target: float, *, lower_is_better: bool) -> bool:
    """Whether a KPI's after value reaches its target in the KPI's direction."""
    return after <= target if lower_is_better else after >= target


@dataclass(frozen=True, slots=True)
class CashFlows:
    """Costs and benefits over an evaluation horizon: `upfront` at go-live, then one entry per year."""

    upfront: float
    yearly_costs: tuple[float, ...]
    yearly_benefits: tuple[float, ...]
    discount_rate: float = 0.0

    def factor(self, years: float) -> float:
        """The discount factor for an amount `years` after go-live."""
        return float(1.0 / (1.0 + self.discount_rate) ** years)


def present_costs(flows: CashFlows) -> float:
    """Total cost of ownership over the horizon, discounted to go-live (upfront is not discounted)."""
    return flows.upfront + sum(cost * flows.factor(year) for year, cost in enumerate(flows.yearly_costs, start=1))


def present_benefits(flows: CashFlows) -> float:
    """Benefits over the horizon, discounted to go-live (each year's benefit at the end of its year)."""
    return sum(benefit * flows.factor(year) for year, benefit in enumerate(flows.yearly_benefits, start=1))


def return_on_investment(flows: CashFlows) -> float | None:
    """ROI in percent over the horizon: (benefits - costs) / costs, both discounted; None at zero cost."""
    costs = present_costs(flows)
    return percent(present_benefits(flows) - costs, costs)


def payback_months(flows: CashFlows) -> float | None:
    """Months until the cumulative (discounted) net cash flow turns non-negative, interpolated within a month.

    Yearly net flows are spread evenly over their months and discounted at each month's end. After the
    horizon the last year's flows are assumed to continue (so a payback beyond the horizon gets a number);
    None when the investment never pays back within PAYBACK_LIMIT_MONTHS.
    """
    cumulative = -flows.upfront
    if cumulative >= 0:
        return 0.0
    years = len(flows.yearly_costs)
    if years == 0:
        return None
    for month in range(1, PAYBACK_LIMIT_MONTHS + 1):
        year = min(math.ceil(month / 12), years) - 1
        flow = (flows.yearly_benefits[year] - flows.yearly_costs[year]) / 12 * flows.factor(month / 12)
        if flow > 0 and cumulative + flow >= 0:
            return month - 1 + (-cumulative / flow)
        cumulative += flow
    return None


def mean_time_to_recover(durations_hours: Sequence[float]) -> float | None:
    """MTTR in hours: the mean duration of resolved incidents; None without any."""
    return sum(durations_hours) / len(durations_hours) if durations_hours else None


def failure_rate(incidents: int, window_days: float) -> float | None:
    """Incidents per month (30.44 days) over the observed window; None for an empty window."""
    return incidents / (window_days / MONTH_DAYS) if window_days > 0 else None


def availability(outage_hours: float, window_hours: float) -> float | None:
    """Percent of the observed window without an outage."""
    return 100.0 * (1 - outage_hours / window_hours) if window_hours > 0 else None


def merged_duration(intervals: Sequence[tuple[float, float]]) -> float:
    """Total length of the union of `(start, end)` intervals (overlapping outages count once)."""
    total = 0.0
    current_start: float | None = None
    current_end = 0.0
    for start, end in sorted(intervals):
        if current_start is None or start > current_end:
            if current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None:
        total += current_end - current_start
    return total


def requirements_coverage(results: Sequence[tuple[str, str]]) -> float | None:
    """Weighted coverage in percent of `(priority, status)` pairs; `unknown` statuses are left out.

    Weights: must 3, should 2, could 1. Scores: met 1, partial 0.5, missing 0.
    """
    decided = [(REQUIREMENT_WEIGHTS[priority], REQUIREMENT_SCORES[status]) for priority, status in results
               if status in REQUIREMENT_SCORES]  # fmt: skip
    total = sum(weight for weight, _ in decided)
    return percent(sum(weight * score for weight, score in decided), total)
