"""Start the desktop application: settings, language, logging, the window, and the offer
to restore work left by a crash."""

from __future__ import annotations

import signal
import sys
from types import FrameType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.errors import setup_logging
from desktop.i18n import Translator
from desktop.mainwindow import MainWindow
from desktop.memory import limit_arenas
from desktop.settings import Settings
from forms import scratch


def build(app: QApplication | None = None) -> MainWindow:
    limit_arenas()
    settings = Settings()
    window = MainWindow(settings, Translator(settings.language))
    sys.excepthook = window.reporter.hook
    return window


def stop_on_sigterm(window: MainWindow) -> QTimer:
    """SIGTERM (logout, ``kill``): write the recovery copy — sealed for sealed work — and
    leave the event loop; scratch folders of decrypted scans go at exit (forms.scratch).
    Python runs signal handlers only between its own bytecodes, so a timer wakes it."""
    def stop(signum: int, _frame: FrameType | None) -> None:
        signal.signal(signum, signal.SIG_IGN)
        window.session.write_recovery()
        QApplication.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    wake = QTimer(window, interval=300)
    wake.timeout.connect(lambda: None)
    wake.start()
    return wake


def main() -> int:
    limit_arenas()
    scratch.sweep()   # decrypted scans a killed run left behind go first
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("yibao-desk")
    app.setOrganizationName("yibao-desk")
    setup_logging()
    window = build()
    stop_on_sigterm(window)
    window.show()
    QTimer.singleShot(0, window.files.offer_recovery)
    code = int(app.exec())
    scratch.cleanup_all()
    return code
