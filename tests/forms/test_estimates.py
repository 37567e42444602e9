from __future__ import annotations

import datetime as dt

import pytest

from forms.estimates import estimate
from forms.profiles import load_profile
from tests.forms.helpers import changed, id_number, sample

D = dt.date


def test_beijing_flexible_is_a_fixed_monthly_amount() -> None:
    est = estimate(sample(), load_profile("beijing"), D(2026, 11, 25))
    assert est.flexible.method == "fixed"
    assert est.flexible.monthly_chosen and est.flexible.monthly_chosen.value == 584.92
    assert est.flexible.monthly_chosen.source == "jrsf_2025_11"


def test_shenzhen_range_is_base_times_rate() -> None:
    app = changed(scheme={"scheme": "flexible", "contribution_base": 10000})
    est = estimate(app, load_profile("shenzhen"), D(2026, 2, 1)).flexible
    assert est.method == "base_rate"
    assert (est.monthly_min.value, est.monthly_max.value) == (538.16, 2690.64)  # type: ignore[union-attr]
    assert est.monthly_chosen.value == 800.0  # type: ignore[union-attr]


def test_shenzhen_2025_has_a_rate_but_no_base_figures() -> None:
    est = estimate(sample(), load_profile("shenzhen"), D(2025, 6, 1)).flexible
    assert est.method == "rate_only" and est.rate.value == 0.07  # type: ignore[union-attr]


def test_guangzhou_rate_follows_its_dates() -> None:
    gz = load_profile("guangzhou")
    rates = [estimate(sample(), gz, d).flexible.rate.value  # type: ignore[union-attr]
             for d in (D(2024, 2, 1), D(2025, 6, 1), D(2026, 6, 1))]
    assert rates == [0.08, 0.065, 0.08]


def test_national_has_no_flexible_figures() -> None:
    assert estimate(sample(), load_profile("national"), D(2026, 1, 5)).flexible.method == "unknown"


@pytest.mark.parametrize(("birth", "situation", "category", "amount"), [
    (D(1992, 3, 8), "platform_worker", "working_age", 795),
    (D(1960, 3, 8), "retired", "elderly", 460),
    (D(2012, 3, 8), "unemployed", "student_child", 435),
    (D(2004, 3, 8), "student", "student_child", 435),
])
def test_beijing_resident_premium_by_category(birth: dt.date, situation: str, category: str,
                                              amount: float) -> None:
    app = changed(applicant={"birth_date": birth.isoformat(),
                             "id_number": id_number("410102", birth, 26)},
                  employment={"situation": situation}, scheme={"start_date": "2026-01-01"})
    est = estimate(app, load_profile("beijing"), D(2025, 11, 1)).resident
    assert (est.category, est.yearly.value) == (category, amount)  # type: ignore[union-attr]


def test_without_a_city_figure_the_national_per_capita_standard_is_shown() -> None:
    est = estimate(sample(), load_profile("shanghai"), D(2026, 11, 25)).resident
    assert est.yearly is None and est.national_minimum.value == 400  # type: ignore[union-attr]
    # 2027 has no published figure: the 2025 one stands in, flagged as such
    assert est.national_minimum.estimated_from_year == 2025  # type: ignore[union-attr]
    assert est.subsidy_minimum.value == 724  # type: ignore[union-attr]
    assert est.subsidy_minimum.estimated_from_year == 2026  # type: ignore[union-attr]


def test_collection_period_buys_next_years_cover() -> None:
    app = changed(scheme={"start_date": None})
    nat = load_profile("national")
    assert estimate(app, nat, D(2026, 10, 1)).resident.coverage_year == 2027
    assert estimate(app, nat, D(2026, 3, 1)).resident.coverage_year == 2026


# Gap years as in Qingdao's worked example (the first missed year is in the fixed 3):
# expectations changed from 4/4/8 to 3/3/7 when the "one month per missed year" reading
# was replaced by the official example.
@pytest.mark.parametrize(("on", "gap", "backpay", "months"), [
    (D(2026, 10, 1), 0, 0, 0),   # inside the period, continuous cover
    (D(2026, 3, 1), 0, 0, 3),    # outside the period: the fixed wait
    (D(2026, 10, 1), 1, 0, 3),
    (D(2026, 10, 1), 3, 2, 3),   # paying back two years removes the two variable months
    (D(2026, 10, 1), 5, 0, 7),
    (D(2026, 10, 1), 5, 5, 6),   # after 4+ years the floor is six months
    (D(2024, 10, 1), 5, 0, None),  # before the rule took effect
])
def test_waiting_period(on: dt.date, gap: int, backpay: int, months: int | None) -> None:
    app = changed(scheme={"gap_years": gap, "backpay_years": backpay})
    wait = estimate(app, load_profile("national"), on).waiting
    assert (wait.months if wait else None) == months


def test_every_figure_names_a_source_the_profile_knows() -> None:
    for pid in ("national", "beijing", "shenzhen", "hangzhou"):
        profile = load_profile(pid)
        est = estimate(changed(scheme={"contribution_base": 9000}), profile, D(2026, 6, 1))
        assert est.figures()
        assert all(f.source in profile.sources for f in est.figures())


@pytest.mark.parametrize(("on", "method", "words"), [
    (D(2026, 2, 1), "base_rate", "538.16"), (D(2025, 6, 1), "rate_only", "7.00%")])
def test_the_words_state_what_the_method_rests_on(on: dt.date, method: str, words: str) -> None:
    """forms.estimate_text's cases: a range names its low end, a bare rate names the rate,
    in the command line's and the app's lines alike."""
    from forms.estimate_text import estimate_lines, flexible_case

    app = changed(scheme={"scheme": "flexible", "contribution_base": 10000})
    profile = load_profile("shenzhen")
    est = estimate(app, profile, on)
    assert flexible_case(est.flexible) == method
    assert any(words in line for line in estimate_lines(est, profile, "zh"))
