"""A question page in the GOV.UK manner: label, hint, the error under the field, an error
summary at the top whose entries focus their field, and Continue that validates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.pages.fields import FieldInput, FieldSpec
from desktop.session import Session
from forms.messages import render_finding

ERROR_STYLE = "color: #d4351c; font-weight: bold;"


def muted_colour(widget: QWidget) -> str:
    """Secondary text: two thirds of the way from the background to the text colour, so it
    reads in light and dark palettes alike."""
    pal = widget.palette()
    fg, bg = pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window)
    mix = [round(bg.red() + (fg.red() - bg.red()) * 0.7),
           round(bg.green() + (fg.green() - bg.green()) * 0.7),
           round(bg.blue() + (fg.blue() - bg.blue()) * 0.7)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def clear_layout(layout: Any) -> None:
    """Remove and delete every widget of ``layout`` now (deleteLater alone leaves them
    on screen until the event loop runs, drawn over their replacements)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


class Page(QScrollArea):
    """Common frame: a title, an optional intro and a scrollable column."""

    continued = Signal()

    def __init__(self, session: Session, tr: Any, title_key: str,
                 intro_key: str | None = None) -> None:
        super().__init__()
        self.session, self.tr = session, tr
        self.title_key, self.intro_key = title_key, intro_key
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(24, 16, 24, 16)
        self.column.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.column.addWidget(self.title)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.column.addWidget(self.intro)
        self.setWidget(body)
        tr.changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        self.title.setText(self.tr(self.title_key))
        self.intro.setText(self.tr(self.intro_key) if self.intro_key else "")
        self.intro.setVisible(bool(self.intro_key))

    def refresh(self) -> None:
        """Redraw from the session's model and findings."""

    def refresh_when_seen(self) -> None:
        """For pages that are costly to redraw: now if visible, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()
        super().showEvent(event)


class QuestionPage(Page):
    def __init__(self, session: Session, tr: Any, title_key: str, specs: list[FieldSpec],
                 intro_key: str | None = None) -> None:
        super().__init__(session, tr, title_key, intro_key)
        self.specs = specs
        self.attempted = False
        self.summary = QFrame()
        self.summary.setObjectName("errorSummary")
        self.summary.setStyleSheet("#errorSummary { border: 3px solid #d4351c; }")
        summary_lay = QVBoxLayout(self.summary)
        self.summary_title = QLabel()
        self.summary_title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.summary_list = QLabel()
        self.summary_list.setTextFormat(Qt.TextFormat.RichText)
        self.summary_list.setWordWrap(True)
        self.summary_list.linkActivated.connect(self.focus_field)
        self.summary_list.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.summary_list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        summary_lay.addWidget(self.summary_title)
        summary_lay.addWidget(self.summary_list)
        self.summary.hide()
        self.column.insertWidget(1, self.summary)

        self.inputs: dict[str, FieldInput] = {}
        self.labels: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for spec in specs:
            label, hint, error = QLabel(), QLabel(), QLabel()
            label.setStyleSheet("font-weight: bold;")
            hint.setStyleSheet(f"color: {muted_colour(self)};")
            for w in (label, hint, error):
                w.setWordWrap(True)
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            field = FieldInput(spec, tr)
            field.edited.connect(self._edited)
            field.invalid.connect(lambda path, key: self._show_field_error(path,
                                                                           self.tr(key)))
            label.setBuddy(field.widget)
            for w in (label, hint, error, field):
                self.column.addWidget(w)
            self.inputs[spec.path], self.labels[spec.path] = field, label
            self.hints[spec.path], self.errors[spec.path] = hint, error
        self.extra = QVBoxLayout()
        self.column.addLayout(self.extra)
        buttons = QHBoxLayout()
        self.continue_button = QPushButton()
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.submit)
        buttons.addWidget(self.continue_button)
        buttons.addStretch(1)
        self.column.addLayout(buttons)
        self.column.addStretch(1)
        session.changed.connect(self.refresh)
        session.checked.connect(self._after_check)
        self.retranslate()
        self.refresh()

    @property
    def paths(self) -> set[str]:
        return set(self.inputs)

    def _edited(self, path: str, value: Any) -> None:
        try:
            self.session.set_value(path, value)
        except ValueError:
            self._show_field_error(path, self.tr("ui.error.value"))
            return
        if self.attempted:
            self.errors[path].hide()

    def retranslate(self) -> None:
        super().retranslate()
        self.summary_title.setText(self.tr("ui.error_summary"))
        self.continue_button.setText(self.tr("ui.continue"))
        for spec in self.specs:
            self.labels[spec.path].setText(self.tr(f"field.{spec.path}"))
            hint = self.hints[spec.path]
            hint.setText(self.tr(spec.hint) if spec.hint else "")
            hint.setVisible(bool(spec.hint))
            self.inputs[spec.path].retranslate()
        if self.attempted:
            self.show_problems(self.problems())

    def refresh(self) -> None:
        for path, field in self.inputs.items():
            field.show_value(self.session.value(path))

    def _after_check(self) -> None:
        if self.attempted:
            self.show_problems(self.problems())

    # --- validation -------------------------------------------------------------------
    def problems(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for path, field in self.inputs.items():
            if field.format_error:
                out.append((path, self.tr(field.format_error)))
        seen = {p for p, _ in out}
        for f in self.session.findings_for(self.paths):
            if f.severity == "error" and f.field not in seen and f.field is not None:
                out.append((f.field, render_finding(f, self.tr.lang, self.session.profile)))
                seen.add(f.field)
        order = {spec.path: i for i, spec in enumerate(self.specs)}
        return sorted(out, key=lambda item: order.get(item[0], 99))

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        for error in self.errors.values():
            error.hide()
        for path, text in problems:
            self._show_field_error(path, text)
        if problems:
            items = "".join(f'<li><a href="{p}" style="color:#d4351c">{self._esc(t)}</a></li>'
                            for p, t in problems)
            self.summary_list.setText(f"<ul>{items}</ul>")
        self.summary.setVisible(bool(problems))

    @staticmethod
    def _esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def _show_field_error(self, path: str, text: str) -> None:
        label = self.errors.get(path)
        if label is not None:
            label.setText(text)
            label.show()

    def submit(self) -> None:
        self.session.recheck()
        self.attempted = True
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            self.ensureWidgetVisible(self.summary)
            self.summary_list.setFocus()
        else:
            self.continued.emit()

    def focus_field(self, path: str) -> None:
        field = self.inputs.get(path)
        if field is not None:
            self.ensureWidgetVisible(field)
            field.widget.setFocus(Qt.FocusReason.OtherFocusReason)
