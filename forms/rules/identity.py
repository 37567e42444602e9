"""Identity and consistency: is the ID number valid, does it agree with what was typed,
are the documents in date, are the contact and bank details well formed."""

from __future__ import annotations

import datetime as dt
import re

from forms import idnumbers
from forms.dates import age_on
from forms.findings import Finding, error, warning
from forms.rules.facts import ADULT_AGE, Facts

EXPIRY_WARNING_DAYS = 30

_ID_CODES: dict[str, str] = {
    "length": "id_number.length",
    "format": "id_number.format",
    "checksum": "id_number.checksum",
    "birth_date": "id_number.birth_date",
    "future_birth": "id_number.future_birth",
    "region": "id_number.region",
    "type": "id_number.type_mismatch",
}

# The same problems in the guardian's number, said as the guardian's (a child's packet
# carries two numbers; "the check digit is wrong" must say whose).
_GUARDIAN_ID_CODES: dict[str, str] = {
    "length": "guardian.id_number.length",
    "format": "guardian.id_number.format",
    "checksum": "guardian.id_number.checksum",
    "birth_date": "guardian.id_number.birth_date",
    "future_birth": "guardian.id_number.future_birth",
    "region": "guardian.id_number.region",
    "type": "guardian.id_number.type_mismatch",
}

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ACCOUNT = re.compile(r"^\d{10,30}$")


def _id_number(facts: Facts) -> list[Finding]:
    text = facts.app.applicant.id_number
    if not text:
        return []
    problem = idnumbers.problem_of(text, expected=facts.app.applicant.id_type, today=facts.on)
    if problem is None:
        return []
    return [error(_ID_CODES[problem], "applicant.id_number",
                  id_type=facts.app.applicant.id_type)]


def _guardian(facts: Facts) -> list[Finding]:
    """A guardian signs for a minor with their own ID: it must be valid, not the minor's
    own number, and (by its birth date) an adult's."""
    g = facts.app.guardian
    if g is None or not g.id_number:
        return []
    problem = idnumbers.problem_of(g.id_number, expected=g.id_type, today=facts.on)
    if problem is not None:
        return [error(_GUARDIAN_ID_CODES[problem], "guardian.id_number", id_type=g.id_type)]
    own = facts.app.applicant.id_number
    if own and idnumbers.normalise(own) == idnumbers.normalise(g.id_number):
        return [error("guardian.same_as_applicant", "guardian.id_number")]
    if g.id_type == "resident_id":
        born = idnumbers.parse(g.id_number, today=facts.on).birth_date
        if age_on(born, facts.on) < ADULT_AGE:
            return [warning("guardian.minor", "guardian.id_number")]
    return []


def _agreement(facts: Facts) -> list[Finding]:
    parsed, a = facts.id_parsed, facts.app.applicant
    out: list[Finding] = []
    if a.birth_date and a.birth_date > facts.on:
        out.append(error("birth_date.future", "applicant.birth_date"))
    if parsed is None:
        return out
    if a.birth_date and a.birth_date != parsed.birth_date:
        out.append(error("birth_date.mismatch", "applicant.birth_date",
                         typed=a.birth_date.isoformat(), from_id=parsed.birth_date.isoformat()))
    if a.sex and a.sex != parsed.sex:
        out.append(error("sex.mismatch", "applicant.sex", typed_sex=a.sex, id_sex=parsed.sex))
    return out


def _validity(facts: Facts) -> list[Finding]:
    a, on = facts.app.applicant, facts.on
    out: list[Finding] = []
    if a.id_valid_from and a.id_valid_until and a.id_valid_from > a.id_valid_until:
        out.append(error("id_document.dates_inverted", "applicant.id_valid_until"))
    elif a.id_valid_until and not a.id_long_term:
        if a.id_valid_until < on:
            out.append(error("id_document.expired", "applicant.id_valid_until",
                             until=a.id_valid_until.isoformat()))
        elif a.id_valid_until <= on + dt.timedelta(days=EXPIRY_WARNING_DAYS):
            out.append(warning("id_document.expires_soon", "applicant.id_valid_until",
                               until=a.id_valid_until.isoformat()))
    if a.id_valid_from and a.id_valid_from > on:
        out.append(error("id_document.not_yet_valid", "applicant.id_valid_from",
                         since=a.id_valid_from.isoformat()))
    return out


def _contact_and_bank(facts: Facts) -> list[Finding]:
    app = facts.app
    out: list[Finding] = []
    mobile = app.contact.mobile
    if mobile:
        digits = re.sub(r"[\s\-]", "", mobile)
        digits = digits.removeprefix("+86").removeprefix("0086")
        if not _MOBILE.match(digits):
            out.append(error("mobile.format", "contact.mobile"))
    if app.contact.email and not _EMAIL.match(app.contact.email):
        out.append(error("email.format", "contact.email"))
    code = app.hukou.region_code
    if code and not re.fullmatch(r"\d{6}", code):
        out.append(error("hukou.region_code_format", "hukou.region_code"))
    bank = app.bank
    if bank is not None:
        if bank.account and not _ACCOUNT.match(re.sub(r"\s", "", bank.account)):
            out.append(error("bank.account_format", "bank.account"))
        if bank.holder and app.applicant.name and bank.holder != app.applicant.name:
            out.append(warning("bank.holder_differs", "bank.holder"))
    return out


def check(facts: Facts) -> list[Finding]:
    return (_id_number(facts) + _guardian(facts) + _agreement(facts) + _validity(facts)
            + _contact_and_bank(facts))
