"""The interface language, switchable live: widgets call ``translate(key)`` and redraw their
text when ``changed`` fires. Text comes from the same catalogs as the CLI and the packet.

Qt's own words (the buttons of message boxes, the file and print dialogs, the context menu
of a text field) come from the translations shipped with PySide6, installed and removed
with the language, and dates and times are written the way the language writes them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

from forms.messages import t
from forms.vocabulary import LANGS

_QT_CATALOGS = ("qtbase",)
_LOCALES = {"zh": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
            "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)}
_DATE_FORMAT = {"zh": "yyyy年M月d日", "en": "d MMMM yyyy"}
_TIME_FORMAT = {"zh": "yyyy年M月d日 HH:mm", "en": "d MMMM yyyy, HH:mm"}
_MNEMONIC = re.compile(r"\(&\w\)|&(?=\w)")
# Qt's catalogs are the application's, not one window's: one set installed at a time.
_installed: list[QTranslator] = []
# Qt 6's file dialog asks for "&Look in:" and "Files of &type:", while the shipped Chinese
# catalog still holds the Qt 5 texts without the mnemonic, so those two labels stayed
# English. The catalog's own wording, with the mnemonic Chinese menus use.
_QT_GAPS_ZH = {("QFileDialog", "&Look in:"): "查找范围(&L)：",
               ("QFileDialog", "Files of &type:"): "文件类型(&T)："}


class _GapTranslator(QTranslator):
    """Fills the few Qt texts the shipped Chinese catalog misses; everything else falls
    through to Qt's catalog (None, a null string to Qt, means "not mine")."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return _QT_GAPS_ZH.get((context, source))

    def isEmpty(self) -> bool:
        return False


def plain(text: str) -> str:
    """A menu or button text without its Alt mnemonic ("打开(&O)…" -> "打开…"), for
    window titles and accessible names."""
    return _MNEMONIC.sub("", text)


class Translator(QObject):
    changed = Signal(str)

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        self._lang = lang if lang in LANGS else "zh"
        self._install_qt()

    @property
    def lang(self) -> str:
        return self._lang

    @property
    def locale(self) -> QLocale:
        return _LOCALES[self._lang]

    def set_lang(self, lang: str) -> None:
        if lang in LANGS and lang != self._lang:
            self._lang = lang
            self._install_qt()
            self.changed.emit(lang)

    def __call__(self, key: str, **params: Any) -> str:
        return t(key, self._lang, **params)

    def date(self, value: dt.date) -> str:
        return self.locale.toString(QDate(value.year, value.month, value.day),
                                    _DATE_FORMAT[self._lang])

    def timestamp(self, value: dt.datetime | str) -> str:
        """A moment as a person reads it; ISO text that does not parse is shown as is."""
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            moment = value
        return self.locale.toString(QDateTime(moment), _TIME_FORMAT[self._lang])

    def _install_qt(self) -> None:
        """Qt's translations for Chinese; none (Qt's built-in English) for English."""
        app = QCoreApplication.instance()
        QLocale.setDefault(self.locale)
        if app is None:
            return
        while _installed:
            app.removeTranslator(_installed.pop())
        if self._lang != "zh":
            return
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for name in _QT_CATALOGS:
            qt = QTranslator(app)
            if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_",
                       folder):
                app.installTranslator(qt)
                _installed.append(qt)
        gaps = _GapTranslator(app)
        app.installTranslator(gaps)
        _installed.append(gaps)
