"""The start screen lists every region profile, with its verification date, in the language."""

from __future__ import annotations

from desktop.mainwindow import MainWindow
from forms.profiles import available_profiles


def test_start_screen_lists_the_profiles(window: MainWindow) -> None:
    combo = window.start.region
    assert combo.count() == len(available_profiles())
    assert combo.itemData(0) == "national" and combo.itemText(0).startswith("全国通用规则")
    window.set_language("en")
    assert combo.itemText(combo.findData("beijing")).startswith("Beijing")
    assert "verified 31 December 2025" in combo.itemText(combo.findData("beijing"))
