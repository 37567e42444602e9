"""What to bring to the counter, derived from the same requirements as the cover's
checklist, so the two can never disagree (the profile's free-text list of originals named
a household register for an adult and a residence permit where none was asked)."""

from __future__ import annotations

from typing import Any, NamedTuple

from forms.messages import t
from forms.packet.context import Context
from forms.rules.materials import requirements_for

# The original document a clerk checks a copy against; photos, papers of no fixed kind
# and employment proofs (kept by the counter) have no original to show.
ORIGINAL = {
    "id_card_front": "packet.original_id",
    "id_card_back": "packet.original_id",
    "hukou_head_page": "packet.original_hukou",
    "hukou_personal_page": "packet.original_hukou",
    "residence_permit": "packet.original_permit",
    "guardian_id": "packet.original_guardian_id",
    "birth_certificate": "packet.original_birth_certificate",
    "employment_proof": "packet.original_employment",
}


class BringItem(NamedTuple):
    """One thing to bring, as a catalog key: the packet's cover says it in Chinese, the
    app's confirmation in the language of the UI."""
    key: str
    params: dict[str, Any]
    if_asked: bool = False

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params) + (t("packet.if_asked", lang)
                                                    if self.if_asked else "")


def bring_list(ctx: Context) -> list[str]:
    """What to bring, in the packet's language."""
    return [item.text(ctx.lang) for item in bring_items(ctx)]


def bring_items(ctx: Context) -> list[BringItem]:
    """Each original once, for the checklist's required and recommended materials and any
    whose copy the packet holds, then the packet itself and the printed photos when the
    packet has a photo page."""
    needs: dict[str, str] = {}  # original's key -> the strongest need, in checklist order
    for req in requirements_for(ctx.app, ctx.profile, ctx.on):
        key = ORIGINAL.get(req.kind)
        copied = bool(ctx.of_kind(req.kind))  # a copy in the packet: show its original
        if key is None or (req.need == "optional" and not copied):
            continue
        if needs.get(key) != "required":
            needs[key] = "required" if copied else req.need
    out = [BringItem(key, {}, need == "recommended") for key, need in needs.items()]
    out.append(BringItem("packet.bring_packet", {}))
    if ctx.photo_copies and ctx.of_kind("photo"):
        out.append(BringItem("packet.bring_photos", {"count": ctx.photo_copies}))
    return out
