"""Start the desktop application: settings, language, logging, the window, and the offer
to restore work left by a crash."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.errors import setup_logging
from desktop.i18n import Translator
from desktop.mainwindow import MainWindow
from desktop.memory import limit_arenas
from desktop.settings import Settings


def build(app: QApplication | None = None) -> MainWindow:
    limit_arenas()
    settings = Settings()
    window = MainWindow(settings, Translator(settings.language))
    sys.excepthook = window.reporter.hook
    return window


def main() -> int:
    limit_arenas()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("yibao-desk")
    app.setOrganizationName("yibao-desk")
    setup_logging()
    window = build()
    window.show()
    QTimer.singleShot(0, window.files.offer_recovery)
    return int(app.exec())
