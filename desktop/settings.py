"""What the app remembers between runs, in QSettings: language, last folder, packet font,
window geometry and recent files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from forms.messages import system_lang
from forms.paths import resources_dir
from forms.private_files import private_dir, private_file

RECENT_MAX = 8


def _private(store: QSettings, *, own_folder: bool) -> QSettings:
    """Keep the settings file (recent files, folders) 0600, in a 0700 folder when the
    folder is the app's own, whatever the umask. Qt's atomic save writes a new file with
    the umask's mode on every sync; written in place, the file keeps the mode set here."""
    if store.format() in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat) \
            and Path(store.fileName()).is_absolute():
        path = Path(store.fileName())
        private_dir(path.parent, tighten=own_folder)
        private_file(path)
        store.setAtomicSyncRequired(False)
    return store


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        own = store is None
        self.store = _private(store or QSettings("yibao-desk", "yibao-desk"), own_folder=own)

    def _str(self, key: str, default: str = "") -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def language(self) -> str:
        """The saved choice, or the system's language on first start."""
        return self._str("language") or system_lang()

    @language.setter
    def language(self, lang: str) -> None:
        self.store.setValue("language", lang)

    @property
    def last_folder(self) -> str:
        """Where the next open, save or export dialog starts: the person's last folder, or
        home when that folder is gone."""
        folder = self._str("last_folder")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    @last_folder.setter
    def last_folder(self, folder: str) -> None:
        """The program's own folder (the samples) is never remembered: after opening the
        sample, the packet would otherwise be offered a place inside the program, which an
        installed copy cannot write and an update would replace."""
        try:
            Path(folder).resolve().relative_to(resources_dir().resolve())
        except ValueError:
            self.store.setValue("last_folder", folder)

    @property
    def packet_font(self) -> str:
        return self._str("packet_font")

    @packet_font.setter
    def packet_font(self, path: str) -> None:
        self.store.setValue("packet_font", path)

    @property
    def geometry(self) -> QByteArray | None:
        value = self.store.value("geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, data: QByteArray) -> None:
        self.store.setValue("geometry", data)

    def recent(self) -> list[str]:
        value = self.store.value("recent", [])
        items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        return [p for p in items if isinstance(p, str) and Path(p).exists()][:RECENT_MAX]

    def add_recent(self, path: str) -> None:
        items = [path] + [p for p in self.recent() if p != path]
        self.store.setValue("recent", items[:RECENT_MAX])
