"""Say where a profile came from when it is a local rule file, for every display."""

from __future__ import annotations

from forms.messages import t
from forms.profiles.loader import local_in_use


def origin_text(profile_id: str, lang: str) -> str:
    """"本地规则文件：PATH（核实于 DATE）" when a local file is in use, else ""."""
    local = local_in_use(profile_id)
    if local is None or local.profile is None:
        return ""
    return t("cli.local_profile", lang, path=str(local.path),
             verified=local.profile.verified.isoformat())
