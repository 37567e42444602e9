"""Walk the app's pages in a real window and screenshot each, in both languages.

Run under a virtual display:
    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screenshots.py OUT_DIR
It opens the sample application, waits for the materials to be processed, exports the
packet, and takes `import -window root` shots of every page.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("YIBAO_DATA_DIR", tempfile.mkdtemp(prefix="yibao-shots-"))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop import tasks  # noqa: E402
from desktop.i18n import Translator  # noqa: E402
from desktop.mainwindow import MainWindow  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from desktop.tasklist import TASKS  # noqa: E402


def settle(app: QApplication, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()
        tasks.wait_all(200)
    app.processEvents()


def shot(path: Path) -> None:
    """The whole X screen: imagemagick's import when installed, else Qt's grab of the root
    window (the same pixels)."""
    if shutil.which("import"):
        subprocess.run(["import", "-window", "root", str(path)], check=True)
        return
    screen = QApplication.primaryScreen()
    assert screen.grabWindow(0).save(str(path)), path


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    if os.environ.get("SHOTS_DARK"):  # how the app reads in a dark system palette
        from PySide6.QtGui import QColor, QPalette

        app.setStyle("Fusion")
        pal = QPalette()
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                             (QPalette.ColorRole.WindowText, "#e8e8e8"),
                             (QPalette.ColorRole.Base, "#1e1e1e"),
                             (QPalette.ColorRole.Text, "#e8e8e8"),
                             (QPalette.ColorRole.Button, "#3a3a3a"),
                             (QPalette.ColorRole.ButtonText, "#e8e8e8"),
                             (QPalette.ColorRole.Highlight, "#2f6fbf"),
                             (QPalette.ColorRole.Link, "#8ab4f8")):
            pal.setColor(role, QColor(colour))
        app.setPalette(pal)
    store = QSettings(str(Path(os.environ["YIBAO_DATA_DIR"]) / "settings.ini"),
                      QSettings.Format.IniFormat)
    window = MainWindow(Settings(store), Translator("zh"))
    screen = app.primaryScreen().availableGeometry()   # 200 %: half the pixels each way
    window.resize(min(1280, screen.width()), min(880, screen.height()))
    window.move(0, 0)
    window.show()
    settle(app)
    for lang in os.environ.get("SHOTS_LANGS", "zh en").split():
        window.set_language(lang)
        window.stack.setCurrentIndex(0)
        settle(app)
        shot(out / f"{lang}-0-start.png")
        window.files.open_sample()
        settle(app, 60)
        for i, task in enumerate(TASKS, start=1):
            window.go(task)
            settle(app)
            if task == "export":
                window.pages["export"].export(Path(os.environ["YIBAO_DATA_DIR"]) / "packet.pdf")
                settle(app, 80)
            shot(out / f"{lang}-{i}-{task}.png")
        # a problem, as the user meets it: a mistyped ID number and Continue
        window.go("personal")
        window.session.set_value("applicant.id_number", "410102199203080264")
        settle(app)
        window.pages["personal"].submit()
        settle(app)
        shot(out / f"{lang}-9-personal-error.png")
        window.session.dirty = False
    window.close()


if __name__ == "__main__":
    main()
