"""Fixtures shared by the domain's tests."""

from __future__ import annotations

import pytest

from tests.support import synthetic


@pytest.fixture
def scenes_before_round_7(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scenes drawn as before round 7, with a dark line round the card ("drawn_line"). The
    outline evidence some tests keep was found wanting on those scenes; with the contact
    shade of a card lying on a desk most of them are found by their steps alone, and that
    evidence would go untested."""
    monkeypatch.setattr(synthetic, "EDGE", "drawn_line")
