"""The interface language, switchable live: widgets call ``tr(key)`` and redraw their text
when ``changed`` fires. Text comes from the same catalogs as the CLI and the packet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from forms.messages import t
from forms.vocabulary import LANGS


class Translator(QObject):
    changed = Signal(str)

    def __init__(self, lang: str = "zh") -> None:
        super().__init__()
        self._lang = lang if lang in LANGS else "zh"

    @property
    def lang(self) -> str:
        return self._lang

    def set_lang(self, lang: str) -> None:
        if lang in LANGS and lang != self._lang:
            self._lang = lang
            self.changed.emit(lang)

    def __call__(self, key: str, **params: Any) -> str:
        return t(key, self._lang, **params)
