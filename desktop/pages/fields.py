"""Input widgets bound to one application field each.

A typed value reaches the session only when it is complete: when the person leaves the
field, presses Return, or presses Continue (``commit``). Nothing is written while typing,
so a half-typed date such as ``2027-04-3`` never becomes a value, and text that does not
parse is kept exactly as typed with its own error until the person changes it. Small
closed choices are radio buttons: what is chosen is always in view.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import Translator
from forms.sections import SECTIONS, Kind

Condition = Callable[[Any], bool]   # the Application -> whether the question applies

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def _always(_app: Any) -> bool:
    return True


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    prefix: str = ""                      # catalog prefix for choice labels
    hint: str | None = None               # catalog key of a hint under the label
    labels: dict[str, str] = field(default_factory=dict)  # fixed labels for choices
    applies: Condition = _always          # hidden (and not asked) when it does not apply


def section_specs(section: str, **choices: tuple[tuple[str, ...], dict[str, str]]
                  ) -> list[FieldSpec]:
    """The inputs of one section (forms.sections), in order; ``choices`` gives a choice
    whose values the desktop knows (the profiles on this machine) by its field's last
    part: ``profile_id=(ids, labels)``."""
    out = []
    for q in SECTIONS[section]:
        values, labels = choices.get(q.path.rsplit(".", 1)[-1], (q.choices, {}))
        out.append(FieldSpec(q.path, q.kind, values, prefix=q.prefix, hint=q.hint,
                             labels=dict(labels), applies=q.applies))
    return out


@dataclass(frozen=True)
class FormatError:
    """Why typed text is not a value: a catalog key and its parameters (without the field,
    which the page adds)."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


class DateProblem(ValueError):
    def __init__(self, problem: FormatError) -> None:
        super().__init__(problem.key)
        self.problem = problem


_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """2026-09-01, 2026/9/1, 2026年9月1日 or 20260901. A date that has the form but does not
    exist (2027-04-31, 2027-02-29, month 13) raises DateProblem saying which part is wrong;
    anything else raises ValueError. Never rolls over into another day."""
    text = text.strip()
    if not text:
        return None
    for pattern in _DATE_FORMS:
        m = pattern.match(text)
        if m:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            if not 1 <= month <= 12:
                raise DateProblem(FormatError("ui.error.date_month", {"month": month}))
            try:
                return dt.date(year, month, day)
            except ValueError:
                if month == 2 and day == 29:
                    raise DateProblem(FormatError("ui.error.date_leap", {"year": year})) from None
                raise DateProblem(FormatError("ui.error.date_day",
                                              {"month": month, "day": day})) from None
    raise ValueError(text)


def month_name(month: int, lang: str) -> str:
    return _MONTHS_EN[month - 1] if lang == "en" and 1 <= month <= 12 else str(month)


class FieldInput(QWidget):
    """Wraps the concrete input; ``edited(path, value)`` carries complete, typed values."""

    edited = Signal(str, object)

    def __init__(self, spec: FieldSpec, translate: Translator) -> None:
        super().__init__()
        self.spec, self.translate = spec, translate
        self.format_error: FormatError | None = None
        self.pending = False          # text typed since the last commit
        self._shown: Any = None       # the model value the widget last showed
        self.radios: dict[str, QRadioButton] = {}
        self.widget: QWidget
        if spec.kind == "choice":
            self.widget = self._radio_group()
            lay: QHBoxLayout | QVBoxLayout = QVBoxLayout(self)
        else:
            lay = QHBoxLayout(self)
            self.widget = self._single_input()
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.widget, 1 if spec.kind == "text" else 0)
        if spec.kind not in ("text",):
            lay.addStretch(1)
        self.setFocusProxy(self.widget)
        self.retranslate()

    def _radio_group(self) -> QWidget:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(4)
        self.group = QButtonGroup(self)
        for value in self.spec.choices:
            radio = QRadioButton()
            radio.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            radio.toggled.connect(lambda on, v=value: self._chosen(v) if on else None)
            self.group.addButton(radio)
            col.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeft)
            self.radios[value] = radio
        box.setFocusProxy(next(iter(self.radios.values())))
        return box

    def _single_input(self) -> QWidget:
        if self.spec.kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda on: self.edited.emit(self.spec.path, bool(on)))
            widget: QWidget = check
        elif self.spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 60)
            spin.setKeyboardTracking(False)   # a value when typing ends, not per digit
            spin.valueChanged.connect(lambda v: self.edited.emit(self.spec.path, int(v)))
            widget = spin
        else:
            line = QLineEdit()
            if self.spec.kind == "money":
                line.setValidator(QDoubleValidator(0, 10_000_000, 2))
            line.textEdited.connect(self._typing)
            line.editingFinished.connect(self.commit)
            widget = line
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return widget

    # --- user input -> typed value ---------------------------------------------------------
    def _chosen(self, value: str) -> None:
        if value != self._shown:
            self.edited.emit(self.spec.path, value)

    def _typing(self, _text: str) -> None:
        self.pending = True

    def commit(self) -> None:
        """Turn the typed text into a value and hand it on; text that is not a value keeps
        its error (shown on Continue) and changes nothing."""
        w = self.widget
        if not isinstance(w, QLineEdit) or not self.pending:
            return
        self.pending = False
        text, kind = w.text(), self.spec.kind
        self.format_error = None
        try:
            if kind == "date":
                value: Any = parse_date(text)
            elif kind == "money":
                value = float(text.replace(",", "")) if text.strip() else None
            else:
                value = text if text.strip() else None
        except DateProblem as problem:
            self.format_error = problem.problem
            return
        except ValueError:
            self.format_error = FormatError(f"ui.error.{kind}")
            return
        self.edited.emit(self.spec.path, value)

    def error_text(self) -> str | None:
        """The format error in the interface language, naming the field."""
        if self.format_error is None:
            return None
        params = dict(self.format_error.params)
        if "month" in params:
            params["month"] = month_name(params["month"], self.translate.lang)
        label = self.translate(f"field.{self.spec.path}")
        return self.translate(self.format_error.key, field=label, **params)

    # --- model -> widget -------------------------------------------------------------------
    def show_value(self, value: Any) -> None:
        w = self.widget
        if isinstance(w, QLineEdit) and value == self._shown and (
                self.pending or self.format_error):
            return  # the person's own text, not yet a value: keep it as typed
        self._shown = value
        if self.spec.kind == "choice":
            self._check(value)
            return
        w.blockSignals(True)
        try:
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QLineEdit):
                text = "" if value is None else (
                    value.isoformat() if isinstance(value, dt.date) else
                    f"{value:g}" if isinstance(value, float) else str(value))
                if w.text() != text:
                    w.setText(text)
                self.pending, self.format_error = False, None
        finally:
            w.blockSignals(False)

    def _check(self, value: Any) -> None:
        self.group.setExclusive(False)   # so that "nothing chosen" can be shown
        for choice, radio in self.radios.items():
            radio.blockSignals(True)
            radio.setChecked(choice == value)
            radio.blockSignals(False)
        self.group.setExclusive(True)

    def focus(self) -> None:
        """Keyboard focus on the input itself (the chosen radio button, if any)."""
        target: QWidget = self.widget
        if self.radios:
            target = next((r for r in self.radios.values() if r.isChecked()),
                          next(iter(self.radios.values())))
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        label = self.translate(f"field.{self.spec.path}")
        for value, radio in self.radios.items():
            radio.setText(self.spec.labels.get(value)
                          or self.translate(f"{self.spec.prefix}.{value}"))
            radio.setAccessibleName(f"{label}: {radio.text()}")
        w = self.widget
        if isinstance(w, QLineEdit) and self.spec.kind == "date":
            w.setPlaceholderText(self.translate("ui.placeholder.date"))
        w.setAccessibleName(label)
        self.setAccessibleName(label)
        if isinstance(w, QSpinBox):
            w.lineEdit().setAccessibleName(label)
