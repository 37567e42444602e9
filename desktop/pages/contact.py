"""Contact and payment: a mobile number the office can reach, and the bank account."""

from __future__ import annotations

from desktop.pages.context import PageContext
from desktop.pages.fields import FieldSpec
from desktop.pages.question import QuestionPage


def contact_page(ctx: PageContext) -> QuestionPage:
    specs = [
        FieldSpec("contact.mobile", hint="ui.hint.mobile"),
        FieldSpec("contact.email"),
        FieldSpec("bank.bank", hint="ui.hint.bank"),
        FieldSpec("bank.holder"),
        FieldSpec("bank.account"),
    ]
    return QuestionPage(ctx, "ui.task.contact", specs, "ui.intro.contact")
