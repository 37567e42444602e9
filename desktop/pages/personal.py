"""Personal details: the ID document, and a guardian or helper where one acts for the
person."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import FieldSpec
from desktop.pages.question import QuestionPage
from forms import vocabulary as v
from forms.sections import acts_for_someone


def personal_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("applicant.id_type", "choice", v.ID_TYPES, prefix="id_type"),
        FieldSpec("applicant.id_number", hint="ui.hint.id_number"),
        FieldSpec("applicant.name"),
        FieldSpec("applicant.sex", "choice", v.SEXES, prefix="sex", hint="ui.hint.from_id"),
        FieldSpec("applicant.birth_date", "date", hint="ui.hint.from_id"),
        FieldSpec("applicant.ethnicity", hint="ui.hint.ethnicity"),
        FieldSpec("applicant.nationality"),
        FieldSpec("applicant.id_valid_from", "date", hint="ui.hint.date"),
        FieldSpec("applicant.id_valid_until", "date", hint="ui.hint.date"),
        FieldSpec("applicant.id_long_term", "bool"),
        FieldSpec("applicant.has_id_card", "bool"),
        FieldSpec("guardian.name", applies=acts_for_someone),
        FieldSpec("guardian.relation", applies=acts_for_someone),
        FieldSpec("guardian.id_number", applies=acts_for_someone),
    ]
    return QuestionPage(ctx, "ui.task.personal", specs, "ui.intro.personal")
