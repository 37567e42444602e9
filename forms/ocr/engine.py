"""The OCR engine, loaded once, used from one thread at a time."""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from forms.errors import OcrUnavailable

_lock = threading.Lock()
_engine: Any = None
_failure: str | None = None


@dataclass(frozen=True)
class Line:
    text: str
    score: float
    top: float      # box centre, as fractions of the image height and width
    left: float
    height: float = 0.0   # box height and width, as fractions of the image's
    width: float = 0.0
    aspect: float = 0.0   # box width over height in pixels: under 1 for text standing up
    slope: float = 0.0    # the box's baseline rise over run, in the fractions above


def _without_telemetry() -> None:
    """Keep onnxruntime off the network and out of ~/.cache/Microsoft.

    Its Linux wheels start a telemetry client when the module is imported: it writes a
    device ID under ~/.cache/Microsoft/DeveloperTools and, some seconds later, looks up
    mobile.events.data.microsoft.com from a native thread (a Python audit hook sees
    neither). ``disable_telemetry_events()`` alone does not stop that client (measured
    with 1.32); ``ORT_DISABLE_TELEMETRY`` set before the import does, so it is set here,
    before RapidOCR imports onnxruntime and creates its sessions.
    """
    if os.environ.get("ORT_DISABLE_TELEMETRY") != "1" and "onnxruntime" in sys.modules:
        logging.getLogger(__name__).warning(
            "onnxruntime was imported before its telemetry could be turned off")
    os.environ["ORT_DISABLE_TELEMETRY"] = "1"
    import onnxruntime

    onnxruntime.disable_telemetry_events()


def _load() -> Any:
    global _engine, _failure
    if _engine is not None:
        return _engine
    if _failure is not None:
        raise OcrUnavailable(_failure, reason="ocr_missing")
    try:
        _without_telemetry()
        with _each_file_parsed_once():
            _without_spinning()
            from rapidocr import RapidOCR

            # The per-line angle classifier turns upside-down lines before they are read:
            # an upside-down card is read in one pass (it costs ~5 % of a read; reading
            # twice cost 100 %). The reader puts the lines' positions the right way up.
            # The detector's default scales every image up until its short side is 736 px;
            # a straightened card (1011 × 638) needs no enlarging: larger images are only
            # shrunk, a card to CARD_DETECT_SIDE and a page past PAGE_DETECT_SIDE.
            # Lines are recognised one at a time: batched, each is padded to the widest of
            # its batch, which costs more than it saves on a card's few lines.
            _engine = RapidOCR(params={"Global.use_cls": True, "Global.log_level": "warning",
                                       "Det.limit_type": "max",
                                       "Det.limit_side_len": PAGE_DETECT_SIDE,
                                       "Rec.rec_batch_num": 1})
        _quiet(logging.getLogger("RapidOCR"))
    except Exception as exc:  # an import or model error: the feature is off, not the app
        _failure = f"{type(exc).__name__}: {exc}"
        raise OcrUnavailable(_failure, reason="ocr_missing") from None
    return _engine


def _detect_at(engine: Any, side: int) -> None:
    """The detector's input size for the next call. RapidOCR reads it from its detector
    on every call but takes it only from its configuration: it is set there (loading the
    detector first). Without that attribute the configured size stays."""
    load = getattr(engine, "_load_det_model", None)
    detector = load() if callable(load) else getattr(engine, "text_det", None)
    if detector is not None and hasattr(detector, "limit_side_len"):
        detector.limit_side_len = side


def _without_spinning() -> None:
    """Let onnxruntime's worker threads sleep between operators instead of spinning.

    By default each session's threads busy-wait for the next operator; on a machine whose
    cores are busy with other work (the app's own UI, a second worker, other programs) the
    spinning thread takes a core from the one doing the work. Measured on the real-layout
    cards at load 7 on 2 cores: 1.47 s wall (1.25 s CPU) a read with spinning, 0.72 s
    (0.72 s CPU) without, the same text. RapidOCR exposes no switch for it, so its
    session options are extended where it makes them."""
    from rapidocr.inference_engine.onnxruntime import main as ort_main

    make = ort_main.OrtInferSession._init_sess_opts
    if getattr(make, "_yibao_no_spin", False):
        return

    def options(cfg: Any) -> Any:
        opts = make(cfg)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return opts

    options._yibao_no_spin = True  # type: ignore[attr-defined]
    ort_main.OrtInferSession._init_sess_opts = staticmethod(options)  # type: ignore[method-assign]


@contextmanager
def _each_file_parsed_once() -> Iterator[None]:
    """RapidOCR parses its 1,600-line model table into OmegaConf objects twice while it
    loads (once per module that holds it): a third of its start-up, 0.17 s of CPU. While
    it loads, a file already parsed is handed out again; both only read it."""
    from omegaconf import OmegaConf

    parse = OmegaConf.load
    seen: dict[str, Any] = {}

    def once(path: Any) -> Any:
        key = str(path)
        if key not in seen:
            seen[key] = parse(path)
        return seen[key]

    OmegaConf.load = once  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        OmegaConf.load = parse  # type: ignore[method-assign]


def preload(*, upright: bool = True) -> threading.Thread:
    """Load the engine and its models on a thread of their own and return it.

    A fresh ``read`` spends about a second importing onnxruntime and building its
    sessions; started first, that overlaps the photo's decoding and straightening. Reads
    wait for it (it holds the engine's lock); a failure is left for the read to report.
    ``upright``: the half-turn classifier will likely not be needed, so it is not loaded.
    """
    def run() -> None:
        try:
            with _lock:
                _warm(_load(), upright)
        except OcrUnavailable:
            pass

    thread = threading.Thread(target=run, name="ocr-preload")
    thread.start()
    return thread


def _warm(engine: Any, upright: bool) -> None:
    """The models load lazily, on their first image: load them now (a warm-up run on a
    blank image cost more than it saved). RapidOCR names these loaders privately; without
    them the models simply load at the first read."""
    steps = ("_load_det_model", "_load_rec_model") + (() if upright else ("_load_cls_model",))
    for step in steps:
        load = getattr(engine, step, None)
        if callable(load):
            load()


def _quiet(logger: logging.Logger) -> None:
    """RapidOCR's own handler keeps the stderr of the moment it loaded (a closed one, once
    a test's capture or a redirected run has moved on) and says "no text found" as a
    warning: the command line prints one line per problem, so its messages stay inside."""
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.addHandler(logging.NullHandler())
    logger.propagate = False


def available() -> bool:
    try:
        with _lock:
            _load()
    except OcrUnavailable:
        return False
    return True


MAX_SIDE = 2000    # the engine shrinks larger images to this anyway: shrink before copying
# The text detector's input, long side. A straightened card (1011 px) is detected at
# 880 px: its smallest print (a one-character value such as 女) is still 25 px high there,
# the detector's working memory drops from about 150 MB to 110 MB and its time by a
# quarter, and the real-layout set read the same (ID, name, sex, birth 100 %; address
# characters 98.1 % against 96.3 % at full size, 1011 px). Pages keep 1280 px: a register
# page's print is several times smaller.
CARD_DETECT_SIDE = 880
PAGE_DETECT_SIDE = 1280
CARD_LONG_SIDE = 1100   # images up to this long are read as a card
MAX_ASPECT = 2.0   # the detector scales the short side up to 736 px: a strip 20 times
                   # longer than wide would become a 15,000-pixel raster, so it is padded


def bounded(img: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """What the engine is given: at most ``MAX_SIDE`` long, at most ``MAX_ASPECT`` long
    for its width (padded with white on the right or bottom, so positions in the original
    keep their coordinates), and that original's size in the returned image's pixels."""
    w, h = img.size
    factor = MAX_SIDE / max(w, h)
    if factor < 1:
        img = img.resize((max(1, round(w * factor)), max(1, round(h * factor))),
                         Image.Resampling.LANCZOS, reducing_gap=2.0)
        w, h = img.size
    padded = (max(w, math.ceil(h / MAX_ASPECT)), max(h, math.ceil(w / MAX_ASPECT)))
    if padded != (w, h):
        canvas = Image.new("RGB", padded, (255, 255, 255))
        canvas.paste(img.convert("RGB"), (0, 0))
        img = canvas
    return img, (w, h)


def read_lines(img: Image.Image, *, upright: bool = False) -> list[Line]:
    """Text lines, top to bottom, with their confidence and position. ``upright``: the
    image is known to stand the right way up, so no line is checked for a half turn
    (the angle classifier is neither run nor loaded)."""
    img, (w, h) = bounded(img)
    # RapidOCR takes an array as OpenCV's BGR (it converts only files and PIL images):
    # an RGB array would swap the card's blue labels and red seal.
    arr = np.ascontiguousarray(np.asarray(img.convert("RGB"))[:, :, ::-1])
    with _lock:
        engine = _load()
        _detect_at(engine, CARD_DETECT_SIDE if max(w, h) <= CARD_LONG_SIDE else PAGE_DETECT_SIDE)
        # Every step named on every call: RapidOCR keeps a call's switches for the next.
        result = engine(arr, use_det=True, use_cls=not upright, use_rec=True)
    if result.txts is None:
        return []
    lines = []
    for text, score, box in zip(result.txts, result.scores, result.boxes):
        pts = np.asarray(box, dtype=float)
        bw = float(np.hypot(*(pts[1] - pts[0])))
        bh = float(np.hypot(*(pts[3] - pts[0])))
        run = float(pts[1][0] - pts[0][0]) / w
        rise = float(pts[1][1] - pts[0][1]) / h
        lines.append(Line(str(text), float(score), min(1.0, float(pts[:, 1].mean() / h)),
                          min(1.0, float(pts[:, 0].mean() / w)), bh / h, bw / w,
                          bw / max(bh, 1e-6), rise / run if abs(run) > 1e-6 else 0.0))
    return sorted(lines, key=lambda ln: (ln.top, ln.left))
