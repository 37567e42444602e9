"""Check answers: what the whole check found (answers and materials, the same findings
the command line prints), then every answer grouped by section, each with a Change link
to its page; missing optional answers read "未填写 / Not provided"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from desktop.pages.context import PageContext
from desktop.pages.materials import shown_name
from desktop.pages.question import Page, clear_layout
from forms.application import Material
from forms.messages import render_finding
from forms.sections import QUESTIONS, SECTIONS

MARK = {"error": "✗", "warning": "!", "info": "…"}


class ReviewPage(Page):
    change = Signal(str)  # the answer to change: a field path, or "materials"

    def __init__(self, ctx: PageContext) -> None:
        super().__init__(ctx, "ui.task.review", "ui.intro.review")
        self.findings_head = QLabel()
        self.findings_head.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.findings = QLabel()
        self.findings.setObjectName("reviewFindings")
        self.findings.setWordWrap(True)
        self.findings.setTextFormat(Qt.TextFormat.PlainText)  # words from files stay words
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(self.findings_head)
        self.column.addWidget(self.findings)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.column.addWidget(self.grid_host)
        self.continue_button = QPushButton()
        self.continue_button.clicked.connect(self.continued.emit)
        self.column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.column.addStretch(1)
        self.session.changed.connect(self.refresh_when_seen)
        self.session.checked.connect(self.refresh_when_seen)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        if hasattr(self, "grid"):
            self.continue_button.setText(self.translate("ui.continue"))
            self.refresh()

    def _text(self, path: str, value: Any) -> str:
        tr = self.translate
        if value is None or value == "":
            return tr("ui.not_provided")
        if path == "profile_id":
            return self.session.profile.name.get(tr.lang)
        prefix = QUESTIONS[path].prefix
        if prefix:
            return tr(f"{prefix}.{value}")
        if isinstance(value, bool):
            return tr("ui.yes") if value else tr("ui.no")
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float):
            return f"{value:,.2f}"
        return str(value)

    def _show_findings(self) -> None:
        s = self.session
        shown = [f for f in s.result.findings
                 if f.severity != "info" or f.code == "material.checking"]
        self.findings_head.setText(self.translate("ui.review.findings"))
        self.findings.setText("\n".join(
            f"{MARK[f.severity]} {render_finding(f, self.translate.lang, s.profile)}" for f in shown
        ) or self.translate("ui.review.no_problems"))

    def refresh(self) -> None:
        self._show_findings()
        clear_layout(self.grid)
        row = 0
        for task, questions in SECTIONS.items():   # every answer, as its page asks it
            # A question the person is not asked is not listed either (a resident has no
            # contribution base to choose).
            paths = [q.path for q in questions if q.reviewed and q.applies(self.session.app)]
            head = QLabel(self.translate(f"ui.task.{task}"))
            head.setStyleSheet("font-size: 14pt; font-weight: bold; padding-top: 10px;")
            head.setWordWrap(True)
            self.grid.addWidget(head, row, 0, 1, 3)
            row += 1
            for path in paths:
                label = QLabel(self.translate(f"field.{path}"))
                label.setStyleSheet("font-weight: bold;")
                label.setWordWrap(True)   # fits at 200 % instead of scrolling sideways
                value = QLabel(self._text(path, self.session.value(path)))
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                link = QPushButton(self.translate("ui.change"))
                link.setFlat(True)
                link.setStyleSheet("color: palette(link); text-decoration: underline;")
                link.setAccessibleName(
                    f"{self.translate('ui.change')} {self.translate(f'field.{path}')}")
                link.clicked.connect(lambda _c=False, p=path: self.change.emit(p))
                self.grid.addWidget(label, row, 0)
                self.grid.addWidget(value, row, 1)
                self.grid.addWidget(link, row, 2)
                row += 1
        materials = QLabel(self.translate("ui.task.materials"))
        materials.setStyleSheet("font-size: 14pt; font-weight: bold; padding-top: 10px;")
        materials.setWordWrap(True)
        self.grid.addWidget(materials, row, 0, 1, 3)
        row += 1
        # One row a file: the name the person chose and what its analysis found.
        files: list[Material | None] = [*self.session.app.materials] or [None]
        for m in files:
            text = self.translate(f"material.{m.kind}") if m else self.translate(
                "ui.not_provided")
            kind_label = QLabel(text)
            kind_label.setWordWrap(True)
            self.grid.addWidget(kind_label, row, 0)
            if m is not None:
                busy = m.file in self.session.processor.pending
                lang, profile = self.translate.lang, self.session.profile
                found = [] if busy else [
                    f"{MARK[f.severity]} {render_finding(f, lang, profile)}"
                    for f in self.session.findings_of_file(m.file) if f.severity != "info"]
                status = self.translate("ui.processing") if busy else "\n".join(found)
                value = QLabel("\n".join(x for x in (shown_name(m, self.translate), status) if x))
                value.setTextFormat(Qt.TextFormat.PlainText)
                value.setWordWrap(True)
                self.grid.addWidget(value, row, 1)
            link = QPushButton(self.translate("ui.change"))
            link.setFlat(True)
            link.clicked.connect(lambda _c=False: self.change.emit("materials"))
            self.grid.addWidget(link, row, 2)
            row += 1
        self.grid.setColumnStretch(1, 1)
