"""Contact and payment: a mobile number the office can reach, and the bank account."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import section_specs
from desktop.pages.question import QuestionPage


def contact_page(ctx: PageContext) -> QuestionPage:
    return QuestionPage(ctx, "ui.task.contact", section_specs("contact"), "ui.intro.contact")
