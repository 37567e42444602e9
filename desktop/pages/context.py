"""What a page is given when it is built: the session it edits and the services it uses,
so that no page reaches into the window that holds it."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.errors import Reporter
from desktop.i18n import Translator
from desktop.session import Session
from desktop.settings import Settings


@dataclass(frozen=True)
class PageContext:
    session: Session
    translate: Translator
    settings: Settings
    reporter: Reporter
