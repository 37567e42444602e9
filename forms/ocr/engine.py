"""The OCR engine, loaded once, used from one thread at a time."""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
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
        from rapidocr import RapidOCR

        # No per-line angle classifier: upside-down cards are detected and turned by the
        # reader (forms.ocr.reader), which halves the time per card side.
        # Detection at most 736 px on the long side (the default scales the *short* side
        # up to 736): a straightened card is 1011 × 638, so this detects on a third of
        # the pixels. Lines are recognised one at a time: batched, each is padded to the
        # widest of its batch, which costs more than it saves on a card's few lines.
        # Both measured on the benchmark's cards: same fields read, half the time.
        _engine = RapidOCR(params={"Global.use_cls": False, "Global.log_level": "warning",
                                   "Det.limit_type": "max", "Det.limit_side_len": 736,
                                   "Rec.rec_batch_num": 1})
        _quiet(logging.getLogger("RapidOCR"))
    except Exception as exc:  # an import or model error: the feature is off, not the app
        _failure = f"{type(exc).__name__}: {exc}"
        raise OcrUnavailable(_failure, reason="ocr_missing") from None
    return _engine


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


def read_lines(img: Image.Image) -> list[Line]:
    """Text lines, top to bottom, with their confidence and position."""
    img, (w, h) = bounded(img)
    arr = np.asarray(img.convert("RGB"))
    with _lock:
        result = _load()(arr)
    if result.txts is None:
        return []
    lines = []
    for text, score, box in zip(result.txts, result.scores, result.boxes):
        pts = np.asarray(box, dtype=float)
        lines.append(Line(str(text), float(score), min(1.0, float(pts[:, 1].mean() / h)),
                          min(1.0, float(pts[:, 0].mean() / w))))
    return sorted(lines, key=lambda ln: (round(ln.top, 2), ln.left))
