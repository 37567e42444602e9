"""Household registration (hukou) and residence, with the residence permit."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import section_specs
from desktop.pages.question import QuestionPage


def residence_page(ctx: PageContext) -> QuestionPage:
    return QuestionPage(ctx, "ui.task.residence", section_specs("residence"), "ui.intro.residence")
