"""The shared vocabulary: the closed sets of values every layer speaks.

Kept as ``Literal`` types (not enums) so JSON stays plain strings and pydantic reports the
allowed values itself; the tuples let code and tests iterate over them.
"""

from __future__ import annotations

from typing import Literal, get_args

MaterialKind = Literal[
    "id_card_front",
    "id_card_back",
    "hukou_head_page",
    "hukou_personal_page",
    "residence_permit",
    "photo",
    "employment_proof",
    "guardian_id",
    "birth_certificate",
    "other",
]
MATERIAL_KINDS: tuple[str, ...] = get_args(MaterialKind)

IdType = Literal["resident_id", "hmt_residence_permit", "foreign_permanent_residence"]
ID_TYPES: tuple[str, ...] = get_args(IdType)

Sex = Literal["male", "female"]
SEXES: tuple[str, ...] = get_args(Sex)

HukouType = Literal["urban", "rural"]
HUKOU_TYPES: tuple[str, ...] = get_args(HukouType)

Situation = Literal[
    "flexible_employee",
    "self_employed",
    "part_time",
    "platform_worker",
    "unemployed",
    "student",
    "preschool_child",
    "newborn",
    "retired",
    "employed",
]
SITUATIONS: tuple[str, ...] = get_args(Situation)

Scheme = Literal["flexible", "resident"]
SCHEMES: tuple[str, ...] = get_args(Scheme)

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = get_args(Severity)

# Who may enrol with a hukou from elsewhere: nobody extra, holders of a residence permit,
# or anyone living there.
# "restricted": only some non-local people (named by the city) may enrol; the app cannot
# tell who, so it warns instead of deciding.
ResidenceRule = Literal["local_hukou_only", "restricted", "residence_permit", "any_resident"]

Need = Literal["required", "recommended", "optional"]

PremiumCategory = Literal["working_age", "elderly", "student_child"]
PREMIUM_CATEGORIES: tuple[str, ...] = get_args(PremiumCategory)

# Who enrols, as the rules see it: each group may have its own route (38号 sends students
# to where they study and children to where they live; newborns have no waiting period).
Group = Literal["adult", "student", "child", "newborn", "elderly"]
GROUPS: tuple[str, ...] = get_args(Group)

# Groups whose resident premium the state subsidises (社会保险法 Art. 25): people on the
# minimum living allowance (低保), people in extreme poverty (特困) and the severely disabled.
AssistedGroup = Literal["dibao", "tekun", "severe_disability"]
ASSISTED_GROUPS: tuple[str, ...] = get_args(AssistedGroup)

# The statutory retirement age a person started from before the 2024 NPC decision:
# men 60, women cadres 55, women workers 50.
RetirementCategory = Literal["men_60", "women_55", "women_50"]
RETIREMENT_CATEGORIES: tuple[str, ...] = get_args(RetirementCategory)

# How gap years count towards the resident waiting period (see WaitingRule).
WaitingReading = Literal["first_gap_year_in_fixed", "per_gap_year"]
WAITING_READINGS: tuple[str, ...] = get_args(WaitingReading)

# How a household member is related to the person who acts for them (the main applicant):
# "child" means the acting person is the member's parent, so they may sign as guardian.
Relation = Literal["spouse", "child", "parent", "other"]
RELATIONS: tuple[str, ...] = get_args(Relation)

Lang = Literal["zh", "en"]
LANGS: tuple[str, ...] = get_args(Lang)
