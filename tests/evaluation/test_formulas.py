"""Metric formulas against hand-computed values."""

import pytest

from crmsec.evaluation import formulas


def test_sus_extremes_and_a_hand_computed_case() -> None:
    assert formulas.sus_score([5, 1] * 5) == 100.0
    assert formulas.sus_score([1, 5] * 5) == 0.0
    assert formulas.sus_score([3] * 10) == 50.0
    # odd items 4,4,5,4,3 -> 3+3+4+3+2 = 15; even items 2,1,2,3,2 -> 3+4+3+2+3 = 15; 30 * 2.5 = 75
    assert formulas.sus_score([4, 2, 4, 1, 5, 2, 4, 3, 3, 2]) == 75.0
    assert formulas.mean_sus([[5, 1] * 5, [3] * 10]) == 75.0
    assert formulas.mean_sus([]) is None
    with pytest.raises(ValueError, match="10 answers"):
        formulas.sus_score([3] * 9)


def test_nps_counts_promoters_minus_detractors() -> None:
    # 3 promoters (9, 10, 9), 2 passives (7, 8), 5 detractors (0, 3, 6, 6, 5) -> 30% - 50% = -20
    assert formulas.net_promoter_score([9, 10, 9, 7, 8, 0, 3, 6, 6, 5]) == pytest.approx(-20.0)
    assert formulas.net_promoter_score([10, 10]) == 100.0
    assert formulas.net_promoter_score([]) is None


def test_csat_is_the_share_of_four_and_five() -> None:
    assert formulas.customer_satisfaction([5, 4, 3, 2, 4]) == pytest.approx(60.0)
    assert formulas.customer_satisfaction([]) is None


def test_roi_and_payback_undiscounted() -> None:
    flows = formulas.CashFlows(upfront=120.0, yearly_costs=(0.0,) * 3, yearly_benefits=(60.0,) * 3)
    assert formulas.return_on_investment(flows) == pytest.approx(50.0)  # (180 - 120) / 120
    assert formulas.payback_months(flows) == pytest.approx(24.0)  # 5 per month


def test_roi_discounted() -> None:
    flows = formulas.CashFlows(upfront=100.0, yearly_costs=(0.0,), yearly_benefits=(110.0,), discount_rate=0.1)
    assert formulas.present_benefits(flows) == pytest.approx(100.0)
    assert formulas.return_on_investment(flows) == pytest.approx(0.0)


def test_payback_beyond_the_horizon_and_never() -> None:
    flows = formulas.CashFlows(upfront=240.0, yearly_costs=(0.0,), yearly_benefits=(60.0,))
    assert formulas.payback_months(flows) == pytest.approx(48.0)  # last year's flow continues
    losing = formulas.CashFlows(upfront=10.0, yearly_costs=(50.0,), yearly_benefits=(40.0,))
    assert formulas.payback_months(losing) is None
    assert formulas.payback_months(formulas.CashFlows(0.0, (1.0,), (2.0,))) == 0.0


def test_mttr_failure_rate_and_availability() -> None:
    assert formulas.mean_time_to_recover([1.0, 2.0, 6.0]) == pytest.approx(3.0)
    assert formulas.mean_time_to_recover([]) is None
    assert formulas.failure_rate(12, 365.25) == pytest.approx(1.0)
    assert formulas.failure_rate(3, 0) is None
    assert formulas.availability(7.2, 720.0) == pytest.approx(99.0)


def test_overlapping_outages_count_once() -> None:
    assert formulas.merged_duration([(0.0, 2.0), (1.0, 3.0), (5.0, 6.0)]) == pytest.approx(4.0)
    assert formulas.merged_duration([]) == 0.0


def test_requirements_coverage_weights_and_unknowns() -> None:
    # must met 3*1, should partial 2*0.5, could missing 0; unknown left out -> 4 / 6
    pairs = [("must", "met"), ("should", "partial"), ("could", "missing"), ("must", "unknown")]
    assert formulas.requirements_coverage(pairs) == pytest.approx(400 / 6)
    assert formulas.requirements_coverage([("must", "unknown")]) is None


def test_kpi_change_is_signed_as_improvement() -> None:
    assert formulas.change_percent(20, 26, lower_is_better=True) == pytest.approx(-30.0)
    assert formulas.change_percent(10, 12, lower_is_better=False) == pytest.approx(20.0)
    assert formulas.change_percent(0, 5, lower_is_better=False) is None
    assert formulas.target_met(10, 12, lower_is_better=True)
    assert not formulas.target_met(10, 12, lower_is_better=False)


def test_weighted_completeness() -> None:
    # object A: 100 records, mean(1.0, 0.5) = 0.75; object B: 300 records, mean(1.0) -> (75 + 300) / 400
    assert formulas.weighted_completeness([(100, [1.0, 0.5]), (300, [1.0]), (0, [0.1])]) == pytest.approx(93.75)
    assert formulas.weighted_completeness([]) is None
