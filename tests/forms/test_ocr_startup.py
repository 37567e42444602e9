"""Starting the reader quickly: the engine loads on a thread while the photo is
straightened and reads exactly as one loaded on the spot; its threads sleep rather than
spin; a `read` from a cold start loads none of the PDF machinery."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from PIL import Image

from forms.analysis.reading import read_image
from forms.ocr import engine
from tests.support import synthetic
from tests.support.cold import imported_by

ROOT = Path(__file__).resolve().parents[2]
PERSON = synthetic.Person("刘淼", "男", "汉", dt.date(1968, 12, 30),
                          "河南省郑州市中原区桐柏路18号4号楼2单元302", "41010219681230001X")


@pytest.fixture(scope="module")
def card() -> Image.Image:
    if not engine.available():
        pytest.skip("OCR engine not available")
    return synthetic.real_front(PERSON, 9).resize((1011, 638))


def test_an_engine_loaded_in_the_background_reads_the_same(
        card: Image.Image, monkeypatch: pytest.MonkeyPatch) -> None:
    before = read_image(card, "id_card_front", upright=True)
    monkeypatch.setattr(engine, "_engine", None)       # as in a fresh process
    loading = engine.preload()
    # The read starts while the engine is still loading: it waits, it does not fail.
    after = read_image(card, "id_card_front", upright=True)
    loading.join()
    assert engine._engine is not None and loading is not threading.current_thread()
    assert after.fields == before.fields
    assert after.value("id_number") == PERSON.id_number and after.value("name") == PERSON.name


def test_a_failed_background_load_is_reported_by_the_read(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    from cli import main

    monkeypatch.setattr(engine, "_engine", None)
    monkeypatch.setattr(engine, "_failure", "ImportError: no onnxruntime")
    photo = tmp_path / "card.jpg"
    synthetic.real_front(PERSON).save(photo)
    assert main(["read", str(photo), "--kind", "id_card_front", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_engine_threads_sleep_between_operators(card: Image.Image) -> None:
    read_image(card, "id_card_front")   # loads detector, classifier and recogniser
    loaded = engine._engine
    for part in (loaded.text_det, loaded.text_cls, loaded.text_rec):
        options = part.session.session.get_session_options()
        assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"


def test_a_cold_read_loads_no_pdf_or_profile_machinery(tmp_path: Path) -> None:
    exit_code, loaded = imported_by(
        ["read", str(tmp_path / "missing.jpg"), "--kind", "id_card_front"],
        ("reportlab", "pypdf", "pikepdf"), ("forms.packet", "forms.profiles", "forms.batch"))
    assert exit_code == 2           # the missing file is reported as usual …
    assert loaded == []             # … and nothing but the reader was loaded for it
