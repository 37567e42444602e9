"""Household registration (hukou) and residence, with the residence permit."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import FieldSpec
from desktop.pages.question import QuestionPage
from forms import vocabulary as v


def residence_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("hukou.type", "choice", v.HUKOU_TYPES, prefix="hukou_type"),
        FieldSpec("hukou.region", hint="ui.hint.hukou_region"),
        FieldSpec("hukou.region_code", hint="ui.hint.region_code"),
        FieldSpec("hukou.address"),
        FieldSpec("residence.city"),
        FieldSpec("residence.address"),
        FieldSpec("residence.living_since", "date", hint="ui.hint.date"),
        FieldSpec("residence.permit_number", hint="ui.hint.permit"),
        FieldSpec("residence.permit_valid_until", "date", hint="ui.hint.date"),
    ]
    return QuestionPage(ctx, "ui.task.residence", specs, "ui.intro.residence")
