"""The desktop application's start-up. Until the full app lands (desktop issue) this opens
a window that lists the region profiles, so `make run` shows the install works."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from forms.messages import system_lang
from forms.profiles.loader import available_profiles, load_profile


def build_window(lang: str) -> QMainWindow:
    window = QMainWindow()
    window.setWindowTitle("yibao-desk · 医保参保助手")
    body = QWidget()
    layout = QVBoxLayout(body)
    title = QLabel("异地户籍医保参保助手" if lang == "zh" else "Medical insurance enrolment assistant")
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    title.setStyleSheet("font-size: 20px; font-weight: bold; padding: 12px;")
    layout.addWidget(title)
    profiles = QListWidget()
    profiles.setAccessibleName("region profiles")
    for pid in available_profiles():
        p = load_profile(pid)
        profiles.addItem(f"{p.name.get(lang)}  ({p.verified.isoformat()})")
    layout.addWidget(profiles)
    window.setCentralWidget(body)
    window.resize(640, 480)
    return window


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = build_window(system_lang())
    window.show()
    return int(app.exec())
