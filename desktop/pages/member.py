"""One household member's part: the same question and materials pages the acting
applicant has, built on a context narrowed to this member (PageContext.for_member), as
tabs under the member's name, with the way back to the household."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop.pages.contact import contact_page
from desktop.pages.context import PageContext
from desktop.pages.eligibility import EligibilityPage
from desktop.pages.fields import FieldSpec
from desktop.pages.household import person_label
from desktop.pages.materials import MaterialsPage
from desktop.pages.personal import personal_page
from desktop.pages.question import Page, QuestionPage
from desktop.pages.residence import residence_page
from forms import vocabulary as v
from forms.sections import flexible

PARTS = ("scheme", "eligibility", "personal", "residence", "contact", "materials")


def scheme_page(ctx: PageContext) -> QuestionPage:
    """The region page's scheme questions; the city is the household's, chosen once."""
    specs = [
        FieldSpec("scheme.scheme", "choice", v.SCHEMES, prefix="scheme", hint="ui.hint.scheme"),
        FieldSpec("scheme.contribution_base", "money", hint="ui.hint.base", applies=flexible),
        FieldSpec("scheme.start_date", "date", hint="ui.hint.date"),
        FieldSpec("scheme.first_enrolment", "bool"),
        FieldSpec("scheme.gap_years", "int", hint="ui.hint.gap"),
        FieldSpec("scheme.backpay_years", "int"),
    ]
    return QuestionPage(ctx, "ui.household.scheme", specs, "ui.household.borrowed")


class MemberPages(QWidget):
    back = Signal()

    def __init__(self, ctx: PageContext, key: str) -> None:
        super().__init__()
        self.key = key
        self.ctx = ctx.for_member(key)
        self.session, self.translate = self.ctx.session, self.ctx.translate
        cast(QObject, self.session).setParent(self)   # goes with these pages
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back.emit)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)
        head.addWidget(self.back_button)
        head.addWidget(self.title, 1)
        lay.addLayout(head)
        c = self.ctx
        self.pages: dict[str, Page] = {
            "scheme": scheme_page(c), "eligibility": EligibilityPage(c),
            "personal": personal_page(c), "residence": residence_page(c),
            "contact": contact_page(c), "materials": MaterialsPage(c)}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)
        for i, name in enumerate(PARTS):
            self.tabs.addTab(self.pages[name], "")
            self.pages[name].continued.connect(lambda i=i: self._next(i))
        self.tabs.currentChanged.connect(lambda _i: self.commit_others())
        lay.addWidget(self.tabs, 1)
        self.session.changed.connect(self.retitle)
        self.translate.changed.connect(lambda _l: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        tr = self.translate
        self.back_button.setText(tr("ui.household.back"))
        for i, name in enumerate(PARTS):
            key = "ui.household.scheme" if name == "scheme" else f"ui.task.{name}"
            self.tabs.setTabText(i, tr(key).replace("&", ""))
        self.retitle()

    def retitle(self) -> None:
        member = getattr(self.session, "member", None)   # None once removed
        tr = self.translate
        name = self.session.app.applicant.name or tr("ui.recent.no_name")
        relation = member.relation if member is not None else "other"
        self.title.setText(tr("ui.household.member_title", name=name,
                              relation=person_label(tr, relation)))

    def show_part(self, part: str) -> None:
        self.tabs.setCurrentIndex(PARTS.index("materials" if part == "materials" else "scheme"))

    def _next(self, index: int) -> None:
        if index + 1 < len(PARTS):
            self.tabs.setCurrentIndex(index + 1)
        else:
            self.back.emit()

    def commit(self) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, Page):
            page.commit()

    def commit_others(self) -> None:
        """Leaving a tab takes what was typed there, as leaving a page does."""
        for page in self.pages.values():
            page.commit()
