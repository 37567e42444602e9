"""Completeness: the answers a counter needs before it can register someone.

Drafts parse with gaps; this is where a gap becomes a finding, tied to the field so the
GUI can link to it. The residence-permit fields are asked for by the eligibility rules,
which know when the profile needs them.
"""

from __future__ import annotations

from forms.application import value_at
from forms.findings import Finding, error, warning
from forms.rules.facts import Facts

_ALWAYS = (
    "applicant.name",
    "applicant.id_number",
    "residence.city",
    "residence.address",
    "contact.mobile",
    "employment.situation",
    "scheme.scheme",
)
# 户口性质 (hukou.type) is not asked for: 农业/非农业 was abolished in 2014.
_MAINLAND = ("applicant.ethnicity", "hukou.region", "hukou.address")
_GUARDIAN = ("guardian.name", "guardian.id_number")
_BANK = ("bank.bank", "bank.holder", "bank.account")


def check(facts: Facts) -> list[Finding]:
    app = facts.app
    wanted = list(_ALWAYS)
    if facts.id_parsed is None:  # a valid ID number supplies both
        wanted += ["applicant.sex", "applicant.birth_date"]
    if facts.is_resident_id:
        wanted += _MAINLAND
    else:
        wanted.append("applicant.nationality")
    minor = facts.minor
    # A minor enrols on the register's personal page: no ID card validity to ask for.
    if not app.applicant.id_long_term and app.applicant.has_id_card and not minor:
        wanted.append("applicant.id_valid_until")
    if not app.applicant.has_id_card or minor:
        wanted += _GUARDIAN  # a minor is enrolled by a parent or guardian
    if app.scheme.scheme == "flexible" and facts.profile.schemes.flexible.contribution.base_min:
        fixed = facts.profile.schemes.flexible.contribution.fixed_monthly
        if fixed is None or fixed.at(facts.on) is None:
            wanted.append("scheme.contribution_base")
    if app.bank is not None and any(value_at(app, p) for p in _BANK):
        wanted += _BANK  # an account half filled in cannot be used for deduction
    out = []
    for path in wanted:
        if value_at(app, path) not in (None, ""):
            continue
        if path == "applicant.id_number" and facts.group == "newborn":
            # A newborn gets a number with the birth registration (落户); some places
            # enrol on the birth certificate first: the counter says which.
            out.append(warning("newborn.no_id_number", path))
        else:
            out.append(error("required", path))
    return out
