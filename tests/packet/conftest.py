from __future__ import annotations

import datetime as dt

import pytest

from forms.analysis.cache import cache_for
from forms.packet.builder import PacketResult, build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES

ON = dt.date(2026, 11, 25)


@pytest.fixture(scope="session")
def packet(tmp_path_factory: pytest.TempPathFactory) -> PacketResult:
    """The complete sample's packet, with two printed photos so the photo page exists."""
    dest = tmp_path_factory.mktemp("packet") / "packet.pdf"
    with load(SAMPLES / "complete" / "application.json") as opened:
        return build_packet(opened.app, load_profile("national"), opened.base_dir, dest, on=ON,
                            photo_copies=2, invariant=True, analyses=cache_for(opened))
