"""The start-up window: built offscreen, it lists every shipped profile in the language."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.app import build_window
from forms.profiles import available_profiles


def test_window_lists_profiles_in_chinese(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QListWidget

    window = build_window("zh")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    items = window.findChild(QListWidget)
    texts = [items.item(i).text() for i in range(items.count())]
    assert len(texts) == len(available_profiles())
    assert texts[0].startswith("全国通用规则") and any(t.startswith("北京市") for t in texts)


def test_window_in_english(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QListWidget

    window = build_window("en")
    qtbot.addWidget(window)
    items = window.findChild(QListWidget)
    assert items.item(0).text().startswith("National rules")
