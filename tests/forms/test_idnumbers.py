from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from forms import idnumbers
from forms.idnumbers import IdNumberError, parse, problem_of

TODAY = dt.date(2026, 11, 25)


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_domain_examples_decode() -> None:
    a = parse("11010519491231002X", today=TODAY)
    assert (a.kind, a.birth_date, a.sex, a.region_code) == (
        "resident_id", dt.date(1949, 12, 31), "female", "110105")
    assert a.region_name and "北京" in a.region_name
    b = parse("440304199001011233", today=TODAY)
    assert (b.birth_date, b.sex) == (dt.date(1990, 1, 1), "male")


def test_lower_case_x_spaces_and_dashes_are_accepted() -> None:
    assert parse("110105 1949-1231-002x", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(("text", "problem"), [
    ("11010519491231002", "length"),
    ("1101051949123100XX", "format"),
    ("110105194912310021", "checksum"),
    (with_check("11010519490231002"), "birth_date"),   # 31 February
    (with_check("11010520990101002"), "future_birth"),
    (with_check("99999919900101002")[:-1] + "0", "checksum"),
])
def test_problems_have_stable_codes(text: str, problem: str) -> None:
    with pytest.raises(IdNumberError) as info:
        parse(text, today=TODAY)
    assert info.value.problem == problem


def test_unknown_region_is_reported() -> None:
    number = with_check("00000019900101002")
    assert problem_of(number, today=TODAY) == "region"


@pytest.mark.parametrize(("prefix", "place"), [("810000", "hong_kong"), ("820000", "macau"),
                                                ("830000", "taiwan")])
def test_hmt_residence_permits_validate_where_stdnum_refuses(prefix: str, place: str) -> None:
    number = with_check(prefix + "19900101003")
    assert not ric.is_valid(number)  # the gap this module fills
    parsed = parse(number, today=TODAY)
    assert parsed.kind == "hmt_residence_permit" and parsed.sex == "male"
    assert idnumbers.HMT_PREFIXES[prefix] == place


def test_foreign_permanent_residence_number() -> None:
    number = with_check("93315619850615004")
    parsed = parse(number, today=TODAY)
    assert parsed.kind == "foreign_permanent_residence"
    assert parsed.birth_date == dt.date(1985, 6, 15) and parsed.sex == "female"


def test_type_mismatch_is_a_problem() -> None:
    permit = with_check("81000019900101003")
    assert problem_of(permit, expected="resident_id", today=TODAY) == "type"
    assert problem_of(permit, expected="hmt_residence_permit", today=TODAY) is None


def test_mask_keeps_region_and_last_two_only() -> None:
    assert idnumbers.mask("11010519491231002X") == "110105**********2X"
    assert idnumbers.mask(None) == ""
    assert idnumbers.mask("1234") == "****"


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    seq=st.integers(min_value=0, max_value=999),
)
def test_any_well_formed_number_round_trips(birth: dt.date, seq: int) -> None:
    number = with_check(f"440304{birth:%Y%m%d}{seq:03d}")
    parsed = parse(number, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.sex == ("male" if seq % 2 else "female")


@given(
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    pos=st.integers(min_value=0, max_value=16),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_typo_is_caught(birth: dt.date, pos: int, delta: int) -> None:
    number = with_check(f"440304{birth:%Y%m%d}123")
    typo = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1:]
    assert problem_of(typo, today=TODAY) is not None
