"""Personal details: the ID document, and a guardian or helper where one acts for the
person."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import section_specs
from desktop.pages.question import QuestionPage


def personal_page(ctx: PageContext) -> QuestionPage:
    return QuestionPage(ctx, "ui.task.personal", section_specs("personal"), "ui.intro.personal")
