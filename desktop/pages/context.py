"""What a page is given when it is built: the session it edits and the services it uses,
so that no page reaches into the window that holds it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

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
    member: str | None = None   # whose answers the pages show: None for the whole file

    def for_member(self, key: str) -> PageContext:
        """The same services, with the session narrowed to one person of the household
        ("applicant" for the acting applicant, else a member id): the question and
        materials pages then read and write that person's part (desktop.member_session)."""
        from desktop.member_session import MemberSession, TranslatorRelay

        root = getattr(self.session, "session", self.session)
        narrowed = MemberSession(root, key)
        # the translator too is relayed by an object of the member's, so that pages built
        # for a member and deleted with them leave no connection behind
        translate = cast(Translator, TranslatorRelay(self.translate, narrowed))
        return replace(self, session=cast(Session, narrowed), translate=translate, member=key)
