"""Eligibility: may this person take the chosen route here, and if not, which route is left.

A finding that rests on an unverified profile value is a warning, not an error: the app
must not turn someone away on a figure nobody has confirmed.
"""

from __future__ import annotations

from forms import retirement
from forms.findings import Finding
from forms.profiles.schema import SchemeRules, resolve
from forms.rules.facts import Facts


def _finding(code: str, field: str | None, unverified: bool, **params: object) -> Finding:
    severity = "warning" if unverified else "error"
    return Finding(code=code, severity=severity, field=field,
                   params={**params, "unverified": unverified})


def _other(scheme: str) -> str:
    return "resident" if scheme == "flexible" else "flexible"


def check(facts: Facts) -> list[Finding]:
    app, profile, on, rules = facts.app, facts.profile, facts.on, facts.scheme
    scheme = app.scheme.scheme
    if rules is None or scheme is None:
        return []
    out: list[Finding] = []

    offered = resolve(profile, rules.offered, on)
    if offered is None or not offered.value:
        return [_finding("scheme.not_offered", "scheme.scheme", False, scheme=scheme)]

    situation = app.employment.situation
    if situation == "employed":
        out.append(_finding("eligibility.employed", "employment.situation", False))
    elif situation and situation not in rules.situations:
        other = profile.scheme(_other(scheme))
        alternative = _other(scheme) if situation in other.situations else ""
        out.append(_finding("eligibility.situation", "employment.situation", False,
                            situation=situation, scheme=scheme, alternative=alternative))

    id_types = resolve(profile, rules.id_types, on)
    if id_types is not None and app.applicant.id_type not in id_types.value:
        out.append(_finding("eligibility.id_type", "applicant.id_type", id_types.unverified,
                            id_type=app.applicant.id_type, scheme=scheme))

    if facts.age is not None:
        low = resolve(profile, rules.min_age, on)
        if low is not None and facts.age < low.value:
            out.append(_finding("eligibility.too_young", "applicant.birth_date", low.unverified,
                                age=facts.age, limit=low.value, scheme=scheme,
                                alternative=_other(scheme)))
        if facts.sex in rules.max_age:
            high = resolve(profile, rules.max_age[facts.sex], on)
            if high is not None and facts.age >= high.value:
                out.append(_finding("eligibility.too_old", "applicant.birth_date",
                                    high.unverified, age=facts.age, limit=high.value,
                                    scheme=scheme, alternative=_other(scheme)))
        out += _retirement(facts, rules, scheme)

    out += _residence(facts, rules)
    return out


def _retirement(facts: Facts, rules: SchemeRules, scheme: str) -> list[Finding]:
    """The upper age as the person's own statutory retirement date (2024 NPC decision)."""
    upper = resolve(facts.profile, rules.upper_age, facts.on)
    if upper is None or facts.birth_date is None or facts.sex not in ("male", "female"):
        return []
    category = upper.value.male if facts.sex == "male" else (
        facts.app.employment.retirement_category or upper.value.female)
    if category == "men_60" and facts.sex != "male":
        category = upper.value.female
    retires = retirement.retirement_date(category, facts.birth_date)
    if facts.on < retires:
        return []
    years, months = retirement.age_text(
        retirement.retirement_age_months(category, facts.birth_date))
    assumed = facts.sex == "female" and facts.app.employment.retirement_category is None
    return [_finding("eligibility.retirement_age", "applicant.birth_date",
                     upper.unverified or assumed, age=facts.age, years=years, months=months,
                     date=retires.isoformat(), retirement_category=category,
                     source=retirement.SOURCE, scheme=scheme, alternative=_other(scheme))]


def _residence(facts: Facts, rules: SchemeRules) -> list[Finding]:
    """Who may enrol with a hukou from elsewhere: the group's own rule if the profile has
    one (students, children, newborns), else the route's. A permit is a city rule."""
    if not facts.non_local:
        return []
    group_rule = rules.groups.get(facts.group) if facts.group else None
    param = group_rule.residence if group_rule and group_rule.residence else rules.residence
    residence = resolve(facts.profile, param, facts.on)
    if residence is None:
        return []
    group = facts.group or ""
    if residence.value == "local_hukou_only":
        return [_finding("eligibility.local_hukou_only", "hukou.region", residence.unverified,
                         profile=facts.profile.id, group=group, source=residence.source)]
    if residence.value == "restricted":
        # the city names who may enrol; the app cannot tell, so it never refuses
        return [_finding("eligibility.restricted", "hukou.region", True,
                         profile=facts.profile.id, group=group, source=residence.source)]
    if residence.value == "residence_permit" and facts.is_resident_id:
        return _permit(facts, residence.unverified, residence.source)
    return []


def _permit(facts: Facts, unverified: bool, source: str) -> list[Finding]:
    r = facts.app.residence
    out: list[Finding] = []
    if not r.permit_number:
        out.append(_finding("eligibility.permit_needed", "residence.permit_number", unverified,
                            profile=facts.profile.id, source=source))
    if not r.permit_valid_until:
        out.append(_finding("eligibility.permit_validity_needed", "residence.permit_valid_until",
                            unverified, source=source))
    elif r.permit_valid_until < facts.on:
        out.append(_finding("residence_permit.expired", "residence.permit_valid_until",
                            unverified, until=r.permit_valid_until.isoformat()))
    return out
