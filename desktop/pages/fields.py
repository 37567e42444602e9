"""Input widgets bound to one application field each.

A field widget writes to the session as the user types and redraws from the model when
told to, except while it holds text that does not parse yet (a half-typed date): that
text is kept, as the user typed it, with its own error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

Kind = Literal["text", "choice", "date", "bool", "int", "money"]


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: Kind = "text"
    choices: tuple[str, ...] = ()
    prefix: str = ""                      # catalog prefix for choice labels
    hint: str | None = None               # catalog key of a hint under the label
    labels: dict[str, str] = field(default_factory=dict)  # fixed labels for choices


_DATE_FORMS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """2026-09-01, 2026/9/1, 2026年9月1日 or 20260901; raises ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for pattern in _DATE_FORMS:
        m = pattern.match(text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(text)


class FieldInput(QWidget):
    """Wraps the concrete input; ``edited(path, value)`` carries typed values only."""

    edited = Signal(str, object)
    invalid = Signal(str, str)   # path, catalog key of the format error

    def __init__(self, spec: FieldSpec, tr: Any) -> None:
        super().__init__()
        from PySide6.QtWidgets import QHBoxLayout

        self.spec, self.tr = spec, tr
        self.format_error: str | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.widget: QWidget
        if spec.kind == "choice":
            box = QComboBox()
            box.activated.connect(self._choice)
            self.widget = box
        elif spec.kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda on: self.edited.emit(self.spec.path, bool(on)))
            self.widget = check
        elif spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 60)
            spin.valueChanged.connect(lambda v: self.edited.emit(self.spec.path, int(v)))
            self.widget = spin
        else:
            line = QLineEdit()
            if spec.kind == "date":
                line.setPlaceholderText("YYYY-MM-DD")
            if spec.kind == "money":
                line.setValidator(QDoubleValidator(0, 10_000_000, 2))
            line.textEdited.connect(self._text)
            self.widget = line
        self.widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay.addWidget(self.widget, 1 if spec.kind in ("text", "choice") else 0)
        if spec.kind not in ("text", "choice"):
            lay.addStretch(1)
        self.setFocusProxy(self.widget)
        self.retranslate()

    # user input -> typed value
    def _choice(self, index: int) -> None:
        box = self.widget
        assert isinstance(box, QComboBox)
        self.edited.emit(self.spec.path, box.itemData(index) or None)

    def _text(self, text: str) -> None:
        kind = self.spec.kind
        self.format_error = None
        try:
            if kind == "date":
                value: Any = parse_date(text)
            elif kind == "money":
                value = float(text.replace(",", "")) if text.strip() else None
            else:
                value = text if text.strip() else None
        except ValueError:
            self.format_error = f"ui.error.{kind}"
            self.invalid.emit(self.spec.path, self.format_error)
            return
        self.edited.emit(self.spec.path, value)

    # model -> widget
    def show_value(self, value: Any) -> None:
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, QComboBox):
                index = w.findData(value) if value is not None else 0
                w.setCurrentIndex(max(0, index))
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QLineEdit):
                if self.format_error and w.hasFocus():
                    return  # keep what the user is typing
                text = "" if value is None else (
                    value.isoformat() if isinstance(value, dt.date) else
                    f"{value:g}" if isinstance(value, float) else str(value))
                if w.text() != text and not (w.hasFocus() and self._same(w.text(), value)):
                    w.setText(text)
                    self.format_error = None
        finally:
            w.blockSignals(False)

    def _same(self, text: str, value: Any) -> bool:
        """While typing, "2026/9/1" already means the model's date: leave it alone."""
        try:
            if self.spec.kind == "date":
                return parse_date(text) == value
            if self.spec.kind == "money":
                return (float(text) if text.strip() else None) == value
        except ValueError:
            return False
        return (text if text.strip() else None) == value

    def retranslate(self) -> None:
        w = self.widget
        if isinstance(w, QComboBox):
            current = w.currentData()
            w.blockSignals(True)
            w.clear()
            w.addItem(self.tr("ui.choose"), None)
            for value in self.spec.choices:
                label = self.spec.labels.get(value) or self.tr(f"{self.spec.prefix}.{value}")
                w.addItem(label, value)
            w.setCurrentIndex(max(0, w.findData(current)) if current else 0)
            w.blockSignals(False)
        label = self.tr(f"field.{self.spec.path}")
        w.setAccessibleName(label)
        self.setAccessibleName(label)
        if isinstance(w, QSpinBox):
            w.lineEdit().setAccessibleName(label)
