"""A household of four, built in code: the acting flexible employee, a spouse in resident
insurance, a schoolchild on the register's personal page and a newborn. All fictitious;
ID numbers carry valid check digits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms.application import Application
from tests.forms.helpers import id_number

FATHER_ID = id_number("410102", dt.date(1988, 5, 12), 37)     # odd sequence: male
MOTHER_ID = id_number("410102", dt.date(1990, 8, 20), 48)     # even: female
CHILD_ID = id_number("410102", dt.date(2016, 3, 15), 26)
NEWBORN_BIRTH = dt.date(2026, 10, 2)


def household_data() -> dict[str, Any]:
    return {
        "profile_id": "national",
        "applicant": {"name": "陈志强", "sex": "male", "ethnicity": "汉",
                      "birth_date": "1988-05-12", "id_number": FATHER_ID,
                      "id_valid_from": "2019-01-10", "id_valid_until": "2039-01-10"},
        "hukou": {"region": "河南省郑州市中原区", "region_code": "410102",
                  "address": "河南省郑州市中原区建设西路18号"},
        "residence": {"city": "北京市", "address": "北京市朝阳区望京街道阜通东大街6号院3号楼801",
                      "living_since": "2022-03-01"},
        "contact": {"mobile": "13800138001"},
        "employment": {"situation": "flexible_employee"},
        "scheme": {"scheme": "flexible", "start_date": "2027-01-01"},
        "members": [
            {"id": "spouse", "relation": "spouse",
             "applicant": {"name": "刘芳", "sex": "female", "ethnicity": "汉",
                           "birth_date": "1990-08-20", "id_number": MOTHER_ID,
                           "id_valid_from": "2020-02-01", "id_valid_until": "2040-02-01"},
             "contact": {"mobile": "13900139002"},
             "employment": {"situation": "unemployed"},
             "scheme": {"scheme": "resident", "start_date": "2027-01-01"}},
            {"id": "child", "relation": "child",
             "applicant": {"name": "陈雨桐", "sex": "female", "ethnicity": "汉",
                           "birth_date": "2016-03-15", "id_number": CHILD_ID,
                           "has_id_card": False},
             "employment": {"situation": "student"},
             "scheme": {"scheme": "resident", "start_date": "2027-01-01"}},
            {"id": "baby", "relation": "child",
             "applicant": {"name": "陈小宝", "sex": "male", "ethnicity": "汉",
                           "birth_date": NEWBORN_BIRTH.isoformat(), "has_id_card": False},
             "employment": {"situation": "newborn"},
             "scheme": {"scheme": "resident", "start_date": NEWBORN_BIRTH.isoformat()}},
        ],
        "materials": [
            {"kind": "id_card_front", "file": "materials/father-front.jpg"},
            {"kind": "id_card_back", "file": "materials/father-back.jpg"},
            {"kind": "hukou_head_page", "file": "materials/hukou-head.jpg"},
            {"kind": "guardian_id", "file": "materials/father-guardian.jpg"},
            {"kind": "id_card_front", "file": "materials/mother-front.jpg", "member": "spouse"},
            {"kind": "id_card_back", "file": "materials/mother-back.jpg", "member": "spouse"},
            {"kind": "hukou_personal_page", "file": "materials/child-page.jpg",
             "member": "child"},
            {"kind": "birth_certificate", "file": "materials/baby-birth.jpg", "member": "baby"},
        ],
    }


def household(**changes: Any) -> Application:
    data = household_data()
    data.update(changes)
    return Application.model_validate(data)
