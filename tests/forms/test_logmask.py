"""Personal numbers never reach a log line in full, whatever surrounds them."""

from __future__ import annotations

import logging

import pytest

from forms.logmask import MaskIdNumbers, scrub

ID = "110105194912310021"
ID_X = "11010519491231002X"
OLD_ID = "110105491231002"           # 15-digit first-generation card
PERMIT = "810000199408230012"        # Hong Kong residents' residence permit
ACCOUNT = "6222020200112233445"      # 19-digit bank card
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _digits(text: str) -> list[str]:
    """Every digit run left in ``text`` (ASCII or not)."""
    runs, current = [], ""
    for ch in text:
        if ch.isdecimal():
            current += ch
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


@pytest.mark.parametrize("text, secret", [
    (f"idX{ID}", ID),
    (f"ID:{ID_X}abc", ID_X),
    (f"ID:{ID_X.lower()}abc", ID_X.lower()),
    (f"_{ID}_", ID),
    (f"身份证号{ID}请核对", ID),
    (f"{ID}{ID}", ID),
    (f"no.{OLD_ID}x", OLD_ID),
    (f"permit={PERMIT};", PERMIT),
    (f"acct{ACCOUNT}end", ACCOUNT),
    ("acct 6222 0202 0011 2233 445 end", "0011 2233"),
    ("id 110105 19491231 002X typed with spaces", "19491231"),
    ("id 110105-19491231-002X typed with dashes", "19491231"),
    ("mobile13800138000", "13800138000"),
    (f"全角：{ID.translate(FULL_WIDTH)}。", ID.translate(FULL_WIDTH)),
    (f"ｉｄ{ID_X.translate(FULL_WIDTH)}ａｂｃ", ID_X.translate(FULL_WIDTH)),
    ("mixed 1101０５19491２31002X", "19491"),
    ("arabic-indic ١١٠١٠٥١٩٤٩١٢٣١٠٠٢١", "١٢٣١"),
])
def test_a_personal_number_is_masked_whatever_its_neighbours(text: str, secret: str) -> None:
    out = scrub(text)
    assert secret not in out
    assert "*" in out
    assert all(len(run) < 8 for run in _digits(out)), out   # no long run survives


def test_ids_keep_region_and_last_two_as_everywhere_in_the_app() -> None:
    assert scrub(f"idX{ID}") == "idX110105**********21"
    assert scrub(f"ID:{ID_X}abc") == "ID:110105**********2Xabc"
    assert scrub(ID.translate(FULL_WIDTH)) == "110105**********21"


@pytest.mark.parametrize("text", [
    "2026-11-25 12:05:58,123 INFO saved",
    "export took 1234 ms for 3 pages",
    "onnxruntime 1.32.0 on 192.168.1.10",
    "version 20261125",
    "phone 138 0013",
])
def test_ordinary_numbers_stay_readable(text: str) -> None:
    assert scrub(text) == text


def test_the_filter_masks_arguments_and_tracebacks() -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(MaskIdNumbers())
    log = logging.getLogger("test.logmask")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("number %s, account %s", f"idX{ID}", ACCOUNT)
        try:
            raise ValueError(f"bad ID:{ID_X}abc")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
        log.propagate = True
    text = "\n".join(records)
    for secret in (ID, ID_X, ACCOUNT):
        assert secret not in text
    assert "110105**********2X" in text and "Traceback" in text
