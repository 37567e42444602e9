"""The bordered panel a question page uses to explain, beside its questions."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def panel() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName("panel")
    label.setStyleSheet("#panel { border-left: 5px solid palette(highlight); padding: 8px; }")
    return label
