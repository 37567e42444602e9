"""The domain rules as tables, each case beside the source it comes from.

Sources (full references in resources/profiles/national.yaml):
  38号      国办发〔2024〕38号 (State Council General Office, 2024-07-26)
  NPC       NPC Standing Committee decision on the statutory retirement age, 2024-09-13
  Qingdao   Qingdao medical security bureau, worked example of the waiting period
  SH-gov    english.shanghai.gov.cn, 2024-11-04 (flexible medical rate 10 %)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms import retirement
from forms.application import Application
from forms.estimates import estimate
from forms.groups import group_of
from forms.profiles import load_profile
from forms.rules.materials import requirements_for
from tests.forms.helpers import by_code, changed, check, codes, id_number

D = dt.date
PERMIT_CODES = {"eligibility.permit_needed", "eligibility.permit_validity_needed"}


def person(birth: dt.date, situation: str, *, seq: int = 26, route: str = "resident",
           **sections: Any) -> Application:
    """A non-local applicant (hukou in Zhengzhou) born on ``birth``, without a permit."""
    base: dict[str, Any] = {
        "applicant": {"birth_date": birth.isoformat(), "id_number": id_number("410102", birth, seq),
                      "sex": "female" if seq % 2 == 0 else "male"},
        "residence": {"permit_number": None, "permit_valid_until": None},
        "employment": {"situation": situation},
        "scheme": {"scheme": route, "start_date": None},
    }
    for key, value in sections.items():
        base[key] = {**base.get(key, {}), **value}
    return changed(**base)


# --- 1. No national permit requirement; the route by group --------------------------------

@pytest.mark.parametrize(("birth", "situation", "group", "source"), [
    (D(2005, 9, 1), "student", "student", "38号: university students enrol where they study"),
    (D(2014, 3, 1), "student", "student", "38号: schoolchildren enrol where they live"),
    (D(2021, 6, 1), "preschool_child", "child", "38号: pre-school children where they live"),
    (D(2021, 6, 1), "unemployed", "child", "by age: under 18"),
    (D(2026, 10, 1), "newborn", "newborn", "38号: newborns, no waiting period"),
    (D(2026, 10, 1), "unemployed", "newborn", "by age: within 90 days of birth"),
    (D(2026, 5, 1), "newborn", "newborn", "offered as a newborn in the first year"),
    (D(1990, 1, 1), "platform_worker", "adult", "adult: a permit only where a city says so"),
    (D(1950, 1, 1), "retired", "elderly", "elderly"),
])
def test_no_national_permit_requirement_for_any_group(birth: dt.date, situation: str,
                                                     group: str, source: str) -> None:
    app = person(birth, situation)
    assert group_of(app, load_profile("national"), birth, D(2026, 11, 25)) == group, source
    result = check(app)
    assert not codes(result) & PERMIT_CODES, source
    assert "material.missing" not in codes(result) or all(
        f.params["kind"] != "residence_permit" for f in result.findings), source


@pytest.mark.parametrize(("profile", "group", "birth", "situation", "code", "source"), [
    ("beijing", "adult", D(1990, 1, 1), "platform_worker", "eligibility.permit_needed",
     "38号: megacities accept a permit (city rule, unverified)"),
    ("beijing", "student", D(2005, 9, 1), "student", None, "38号: students where they study"),
    ("beijing", "child", D(2021, 6, 1), "unemployed", None, "38号: children where they live"),
    ("shanghai", "adult", D(1990, 1, 1), "platform_worker", "eligibility.restricted",
     "Shanghai: non-hukou adults limited to named groups (unverified)"),
    ("shanghai", "student", D(2005, 9, 1), "student", None, "38号"),
    ("hangzhou", "adult", D(1990, 1, 1), "platform_worker", "eligibility.local_hukou_only",
     "Hangzhou 2022 rules exclude non-hukou adults (unverified)"),
    ("hangzhou", "newborn", D(2026, 10, 1), "unemployed", None, "38号"),
])
def test_city_routes_by_group(profile: str, group: str, birth: dt.date, situation: str,
                              code: str | None, source: str) -> None:
    result = check(person(birth, situation), profile)
    found = codes(result) & (PERMIT_CODES | {"eligibility.restricted",
                                             "eligibility.local_hukou_only"})
    expected = {code} if code else set()
    if code == "eligibility.permit_needed":
        expected.add("eligibility.permit_validity_needed")
    assert found == expected, source
    if code:  # unverified city rules never turn anyone away
        assert by_code(result, code).severity == "warning", source


def test_child_without_id_card_uses_register_page_and_guardian_id() -> None:
    # A child has an ID number on the household register but no card yet.
    app = person(D(2021, 6, 1), "unemployed", applicant={"has_id_card": False},
                 guardian={"name": "李文静", "id_number": "410102199203080262"})
    kinds = {r.kind for r in requirements_for(app, load_profile("national"), D(2026, 11, 25))}
    assert {"hukou_personal_page", "guardian_id"} <= kinds
    assert not kinds & {"id_card_front", "id_card_back"}
    required = {f.field for f in check(app).findings if f.code == "required"}
    assert "applicant.id_valid_until" not in required and "guardian.name" not in required


def test_a_minor_needs_a_guardian() -> None:
    required = {f.field for f in check(person(D(2014, 3, 1), "student")).findings
                if f.code == "required"}
    assert {"guardian.name", "guardian.id_number"} <= required


# --- 2. Statutory retirement age by birth month (NPC decision 2024-09-13) ------------------

@pytest.mark.parametrize(("category", "birth", "age", "retires"), [
    ("men_60", D(1964, 12, 15), (60, 0), D(2024, 12, 15)),   # born before 1965-01: unchanged
    ("men_60", D(1965, 1, 15), (60, 1), D(2025, 2, 15)),     # first month delayed
    ("men_60", D(1965, 4, 15), (60, 1), D(2025, 5, 15)),     # same 4-month step
    ("men_60", D(1965, 5, 15), (60, 2), D(2025, 7, 15)),     # next step
    ("men_60", D(1965, 6, 1), (60, 2), D(2025, 8, 1)),
    ("men_60", D(1966, 2, 10), (60, 4), D(2026, 6, 10)),
    ("men_60", D(1976, 8, 1), (62, 11), D(2039, 7, 1)),
    ("men_60", D(1976, 9, 1), (63, 0), D(2039, 9, 1)),       # reaches 63
    ("men_60", D(1990, 1, 1), (63, 0), D(2053, 1, 1)),       # capped
    ("women_55", D(1969, 12, 1), (55, 0), D(2024, 12, 1)),
    ("women_55", D(1970, 1, 1), (55, 1), D(2025, 2, 1)),
    ("women_55", D(1981, 9, 1), (58, 0), D(2039, 9, 1)),     # reaches 58
    ("women_50", D(1974, 12, 1), (50, 0), D(2024, 12, 1)),
    ("women_50", D(1975, 1, 1), (50, 1), D(2025, 2, 1)),
    ("women_50", D(1975, 3, 1), (50, 2), D(2025, 5, 1)),     # one month per two
    ("women_50", D(1984, 11, 1), (55, 0), D(2039, 11, 1)),   # reaches 55
])
def test_retirement_age_by_birth_month(category: str, birth: dt.date, age: tuple[int, int],
                                       retires: dt.date) -> None:
    months = retirement.retirement_age_months(category, birth)  # type: ignore[arg-type]
    assert retirement.age_text(months) == age  # NPC decision, annex table
    assert retirement.retirement_date(category, birth) == retires  # type: ignore[arg-type]


@pytest.mark.parametrize(("birth", "too_old", "source"), [
    (D(1966, 2, 10), False, "NPC: born 1966-02 → 60y4m, retires 2026-06"),
    (D(1965, 6, 1), True, "NPC: born 1965-06 → 60y2m, retired 2025-08"),
])
def test_flexible_upper_age_in_march_2026(birth: dt.date, too_old: bool, source: str) -> None:
    app = person(birth, "flexible_employee", seq=27, route="flexible")
    result = check(app, "shanghai", on=D(2026, 3, 15))
    assert ("eligibility.retirement_age" in codes(result)) is too_old, source
    assert "eligibility.too_old" not in codes(result)  # the fixed 60 is gone


def test_women_workers_category_can_be_chosen() -> None:
    # Born 1975-06, a woman worker (50 category) retires at 50y3m in 2025-09; as a cadre
    # (55 category) she would not retire before 2030.
    birth = D(1975, 6, 1)
    worker = person(birth, "flexible_employee", route="flexible",
                    employment={"retirement_category": "women_50"})
    assert "eligibility.retirement_age" in codes(check(worker, "shanghai"))
    assert "eligibility.retirement_age" not in codes(
        check(person(birth, "flexible_employee", route="flexible"), "shanghai"))


# --- 3. Waiting periods (38号; Qingdao worked example) -----------------------------------

@pytest.mark.parametrize(("gap", "months", "source"), [
    (0, 0, "continuous cover, inside the collection period"),
    (1, 3, "Qingdao: one missed year is in the fixed 3 months"),
    (2, 4, "Qingdao: 2025 and 2026 missed → 3 + 1 = 4"),
    (3, 5, "Qingdao reading: 3 + 2"),
    (4, 6, "38号: 4+ years → at least 6"),
    (5, 7, "Qingdao reading: 3 + 4"),
])
def test_gap_years_count_as_the_official_example(gap: int, months: int, source: str) -> None:
    app = changed(scheme={"gap_years": gap, "start_date": None})
    wait = estimate(app, load_profile("national"), D(2026, 10, 1)).waiting
    assert wait is not None and wait.months == months, source
    assert wait.reading == "first_gap_year_in_fixed"


def test_newborns_have_no_waiting_period() -> None:
    app = person(D(2026, 10, 1), "unemployed", scheme={"gap_years": 0})
    result = check(app, on=D(2026, 11, 25))  # 38号: "除新生儿等特殊群体外"
    assert result.estimates.waiting is not None and result.estimates.waiting.exempt
    # outside the collection period (March) a newborn still waits for nothing
    outside = check(person(D(2027, 1, 10), "unemployed"), on=D(2027, 3, 1))
    assert "timing.waiting_exempt" in codes(outside)
    assert not codes(outside) & {"timing.outside_collection_period_wait", "timing.waiting_period"}


def test_shanghai_flexible_waiting_is_labelled_for_its_route() -> None:
    app = person(D(1990, 1, 1), "flexible_employee", route="flexible",
                 applicant={"sex": "male"}, seq=27)
    result = check(app, "shanghai")
    f = by_code(result, "timing.flexible_waiting")  # 沪医保规〔2025〕7号 (unverified)
    assert (f.params["months"], f.params["within"], f.params["unverified"]) == (6, 3, True)
    assert "timing.waiting_period" not in codes(result)


# --- 4. Figures ---------------------------------------------------------------------------

@pytest.mark.parametrize(("profile", "method", "rate", "monthly", "source"), [
    ("national", "unknown", None, None, "no national flexible figure"),
    ("beijing", "fixed", None, 584.92, "京人社发〔2025〕11号"),
    ("shanghai", "base_rate", 0.10, None, "SH-gov 2024-11-04: 10 percent (not 11)"),
    ("guangzhou", "rate_only", 0.08, None, "穗医保规字〔2022〕1号: 8 % from 2026"),
    ("shenzhen", "base_rate", 0.08, None, "Shenzhen Order 358: 8 % from 2026-01-01"),
    ("hangzhou", "fixed_base", 0.095, 473.67, "杭医保〔2022〕41号 × fixed base 4,986"),
    ("chengdu", "rate_only", 0.095, None, "成医保办〔2025〕17号"),
])
def test_each_citys_flexible_rate(profile: str, method: str, rate: float | None,
                                  monthly: float | None, source: str) -> None:
    fx = estimate(changed(scheme={"contribution_base": None}), load_profile(profile),
                  D(2026, 6, 1)).flexible
    assert fx.method == method, source
    assert (fx.rate.value if fx.rate else None) == rate, source
    if monthly is not None:
        assert fx.monthly_chosen is not None and fx.monthly_chosen.value == monthly, source


def test_a_year_without_a_figure_is_labelled_as_estimated() -> None:
    app = changed(scheme={"start_date": "2027-01-01"})
    rs = estimate(app, load_profile("beijing"), D(2026, 11, 25)).resident
    assert rs.yearly is not None and rs.yearly.estimated_from_year == 2026
    from forms.estimate_text import estimate_lines

    text = "\n".join(estimate_lines(estimate(app, load_profile("beijing"), D(2026, 11, 25)),
                                    load_profile("beijing"), "zh"))
    assert "2027年标准未公布，按2026年标准估算" in text


def test_the_national_400_is_never_this_persons_price() -> None:
    from forms.estimate_text import estimate_lines

    est = estimate(changed(scheme={"start_date": "2026-01-01"}), load_profile("national"),
                   D(2026, 1, 5))
    text = "\n".join(estimate_lines(est, load_profile("national"), "zh"))
    assert "人均标准" in text and "不低于" not in text


@pytest.mark.parametrize(("on", "year"), [
    (D(2026, 10, 1), 2027),   # September–February period, autumn: next year's cover
    (D(2027, 1, 15), 2027),   # same period after New Year: the year just begun
    (D(2027, 3, 15), 2027),   # outside the period
])
def test_collection_period_past_new_year_picks_the_right_year(on: dt.date, year: int) -> None:
    nat = load_profile("national")
    data = nat.model_dump(mode="json", exclude_none=True)
    data["schemes"]["resident"]["collection_period"] = {
        "source": "custom_collection", "verified": "2026-11-29",
        "values": {"2024-01-01": {"value": {"start": "09-01", "end": "02-28"}}}}
    profile = type(nat).model_validate(data)
    app = changed(scheme={"start_date": None})
    assert estimate(app, profile, on).resident.coverage_year == year


def test_no_gap_in_the_collection_period_message() -> None:
    from forms.messages import render_finding

    nat = load_profile("national")
    data = nat.model_dump(mode="json", exclude_none=True)
    del data["schemes"]["resident"]["waiting_period"]
    profile = type(nat).model_validate(data)
    from forms.rules import run

    result = run(changed(), profile, D(2027, 3, 1))
    f = by_code(result, "timing.outside_collection_period")
    text = render_finding(f, "zh", profile)
    assert "约有  个月" not in text and "约有 ? 个月" not in text and "等待期" in text


# --- 5. IDs and fields --------------------------------------------------------------------

def test_2017_foreign_permanent_residence_card_is_accepted() -> None:
    app = changed(applicant={"id_type": "foreign_permanent_residence",
                             "id_number": "usa110090010000", "nationality": "美国",
                             "birth_date": "1985-06-15", "sex": "male"})
    result = check(app)
    assert app.applicant.id_number == "USA110090010000"  # stored upper-case
    assert not {c for c in codes(result) if c.startswith("id_number.")}
    bad = changed(applicant={"id_type": "foreign_permanent_residence",
                             "id_number": "US1110090010000"})
    assert "id_number.format" in codes(check(bad))


def test_lowercase_x_is_stored_as_x() -> None:
    assert changed(applicant={"id_number": "11010519491231002x"}).applicant.id_number == \
        "11010519491231002X"


def test_hukou_type_is_optional() -> None:
    result = check(changed(hukou={"type": None}))
    assert "hukou.type" not in {f.field for f in result.findings}


def test_region_names_keep_the_city() -> None:
    from forms.idnumbers import region_name_of

    assert region_name_of("440304") == "广东省深圳市福田区"
    assert region_name_of("110105") == "北京市朝阳区"


# --- 6. Legal text ------------------------------------------------------------------------

def test_legal_quotes_are_exact_or_marked() -> None:
    src = load_profile("national").sources
    quote = {k: v.quote or "" for k, v in src.items()}
    assert "法规" in quote["reg_art31"] and "行政法规" not in quote["reg_art31"]  # Art. 31
    assert src["reg_art31"].quote_is_summary and src["reg_art4"].quote_is_summary
    assert "主管" in quote["reg_art4"]  # Art. 4: 主管, not more
    assert quote["sil_art58"].startswith("……")  # Art. 58: first paragraph left out, marked
    assert "特大城市、超大城市要切实落实持居住证参保政策" in quote["gbf_2024_38"]  # 38号
