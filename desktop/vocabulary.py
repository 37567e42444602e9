"""The desktop's closed sets (no Qt here, so the catalog test can read them)."""

from __future__ import annotations

TASKS = ("region", "eligibility", "personal", "residence", "contact", "materials", "review",
         "export")
STATUSES = ("completed", "incomplete", "problem", "blocked", "checking")
MATERIAL_ACTIONS = ("add", "view", "rotate", "corners", "whiten", "replace", "remove")
CHECKED_INPUTS = ("date", "money")   # inputs whose text can fail to parse
