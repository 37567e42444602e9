"""A question page in the GOV.UK manner: label, hint, the error above the input, an error
summary at the top whose entries focus their field, and Continue that validates.

Errors appear when Continue is pressed, never while typing; a problem put right is cleared
in place (its space kept until the next Continue), so nothing moves under the cursor.
Questions that do not apply to this person are hidden and not asked."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.pages.context import PageContext
from desktop.pages.fields import FieldInput, FieldSpec, FormatError
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


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of ``layout`` now (deleteLater alone leaves them
    on screen until the event loop runs, drawn over their replacements)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


class Page(QScrollArea):
    """Common frame: a title, an optional intro and a scrollable column that wraps to the
    window's width."""

    continued = Signal()
    status_changed = Signal()   # something the task list shows has changed

    def __init__(self, ctx: PageContext, title_key: str, intro_key: str | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.session, self.translate = ctx.session, ctx.translate
        self.title_key, self.intro_key = title_key, intro_key
        self._stale = False
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
        ctx.translate.changed.connect(lambda _lang: self.retranslate())

    def retranslate(self) -> None:
        self.title.setText(self.translate(self.title_key))
        self.intro.setText(self.translate(self.intro_key) if self.intro_key else "")
        self.intro.setVisible(bool(self.intro_key))

    def refresh(self) -> None:
        """Redraw from the session's model and findings."""

    def commit(self) -> None:
        """Hand on anything typed but not yet committed (before Save, Continue, export)."""

    def focus_field(self, path: str) -> None:
        """Put the keyboard focus on one answer (a Change link, an error summary entry)."""

    def refresh_when_seen(self) -> None:
        """For pages that are costly to redraw: now if visible, else when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._stale = False
            self.refresh()
        super().showEvent(event)


def _wrapping_label(style: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


class QuestionPage(Page):
    def __init__(self, ctx: PageContext, title_key: str, specs: list[FieldSpec],
                 intro_key: str | None = None) -> None:
        super().__init__(ctx, title_key, intro_key)
        self.specs = specs
        self.attempted = False
        self.summary = QFrame()
        self.summary.setObjectName("errorSummary")
        self.summary.setStyleSheet("#errorSummary { border: 3px solid #d4351c; }")
        summary_lay = QVBoxLayout(self.summary)
        self.summary_title = _wrapping_label("font-size: 14pt; font-weight: bold;")
        self.summary_list = _wrapping_label()
        self.summary_list.setTextFormat(Qt.TextFormat.RichText)
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
            label = _wrapping_label("font-weight: bold;")
            hint = _wrapping_label(f"color: {muted_colour(self)};")
            error = _wrapping_label(ERROR_STYLE)
            error.hide()
            field = FieldInput(spec, ctx.translate)
            field.edited.connect(self._edited)
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
        self.session.changed.connect(self.refresh)
        self.session.checked.connect(self._after_check)
        self.retranslate()
        self.refresh()

    @property
    def paths(self) -> set[str]:
        """The questions asked of this person on this page."""
        return {p for p, field in self.inputs.items() if field.spec.applies(self.session.app)}

    def _edited(self, path: str, value: Any) -> None:
        try:
            self.session.set_value(path, value)
        except ValueError:
            self.inputs[path].format_error = FormatError("ui.error.value")

    def retranslate(self) -> None:
        super().retranslate()
        self.summary_title.setText(self.translate("ui.error_summary"))
        self.continue_button.setText(self.translate("ui.continue"))
        for spec in self.specs:
            self.labels[spec.path].setText(self.translate(f"field.{spec.path}"))
            hint = self.hints[spec.path]
            hint.setText(self.translate(spec.hint) if spec.hint else "")
            self.inputs[spec.path].retranslate()
        self._show_applicable()
        if self.attempted:
            self.show_problems(self.problems())

    def refresh(self) -> None:
        for path, field in self.inputs.items():
            field.show_value(self.session.value(path))
        self._show_applicable()

    def _show_applicable(self) -> None:
        asked = self.paths
        for spec in self.specs:
            on = spec.path in asked
            self.labels[spec.path].setVisible(on)
            self.hints[spec.path].setVisible(on and bool(spec.hint))
            self.inputs[spec.path].setVisible(on)
            if not on:
                self.errors[spec.path].hide()

    def _after_check(self) -> None:
        """A problem put right disappears where it stood; new ones wait for Continue."""
        if not self.attempted:
            return
        still = {path for path, _ in self.problems()}
        for path, error in self.errors.items():
            if error.isVisible() and path not in still:
                policy = error.sizePolicy()
                policy.setRetainSizeWhenHidden(True)
                error.setSizePolicy(policy)
                error.hide()

    # --- validation -------------------------------------------------------------------
    def commit(self) -> None:
        for field in self.inputs.values():
            field.commit()

    def problems(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        asked = self.paths
        for path, field in self.inputs.items():
            text = field.error_text()
            if text and path in asked:
                out.append((path, text))
        seen = {p for p, _ in out}
        for f in self.session.findings_for(asked):
            if f.severity == "error" and f.field not in seen and f.field is not None:
                out.append((f.field, render_finding(f, self.translate.lang,
                                                    self.session.profile)))
                seen.add(f.field)
        order = {spec.path: i for i, spec in enumerate(self.specs)}
        return sorted(out, key=lambda item: order.get(item[0], 99))

    def named(self, path: str, text: str) -> str:
        """A summary entry says which answer it is about."""
        label = self.translate(f"field.{path}")
        return text if label in text else self.translate("ui.error.named", field=label,
                                                         message=text)

    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        for error in self.errors.values():
            policy = error.sizePolicy()
            policy.setRetainSizeWhenHidden(False)
            error.setSizePolicy(policy)
            error.hide()
        for path, text in problems:
            label = self.errors.get(path)
            if label is not None:
                label.setText(text)
                label.show()
        if problems:
            items = "".join(f'<li><a href="{p}" style="color:#d4351c">'
                            f'{html.escape(self.named(p, t), quote=False)}</a></li>'
                            for p, t in problems)
            self.summary_list.setText(f"<ul>{items}</ul>")
        self.summary.setVisible(bool(problems))

    def submit(self) -> None:
        self.commit()
        self.session.recheck()
        self.attempted = True
        problems = self.problems()
        self.show_problems(problems)
        if problems:
            self.verticalScrollBar().setValue(0)
            self.summary_list.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.continued.emit()

    def focus_field(self, path: str) -> None:
        field = self.inputs.get(path)
        if field is not None:
            self.ensureWidgetVisible(self.labels[path], 0, 40)
            self.ensureWidgetVisible(field, 0, 40)
            field.focus()
