"""Where a rendered packet puts its text and its rules, read with pdfium (what a viewer
and a printer draw), in PDF points from the page's bottom-left corner."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass(frozen=True)
class Glyph:
    char: str
    box: tuple[float, float, float, float]  # left, bottom, right, top
    size: float


def glyphs(page: pdfium.PdfPage) -> list[Glyph]:
    """Every drawn character with its tight box (spaces and line breaks left out)."""
    text = page.get_textpage()
    out = []
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if not ch.strip():
            continue
        box = text.get_charbox(i)
        size = raw.FPDFText_GetFontSize(text.raw, i)
        out.append(Glyph(ch, (box[0], box[1], box[2], box[3]), size))
    return out


def rules(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Every stroked straight segment (x0, y0, x1, y1), in page coordinates."""
    out = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=8):
        h = obj.raw
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(h, ctypes.byref(fill), ctypes.byref(stroke))
        if not stroke.value:
            continue
        m = raw.FS_MATRIX()
        raw.FPDFPageObj_GetMatrix(h, ctypes.byref(m))
        last = None
        for i in range(raw.FPDFPath_CountSegments(h)):
            seg = raw.FPDFPath_GetPathSegment(h, i)
            x, y = ctypes.c_float(), ctypes.c_float()
            raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
            pt = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
            if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_LINETO and last:
                out.append((last[0], last[1], pt[0], pt[1]))
            last = pt
    return out


def overlapping_pairs(boxes: list[Glyph], slack: float = 0.2) -> list[tuple[Glyph, Glyph]]:
    """Pairs of characters whose boxes overlap by more than ``slack`` points each way."""
    if len(boxes) < 2:
        return []
    b = np.array([g.box for g in boxes])
    ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    oy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    hit = np.triu((ox > slack) & (oy > slack), k=1)
    return [(boxes[i], boxes[j]) for i, j in zip(*np.nonzero(hit), strict=True)]


def crossing(boxes: list[Glyph], segments: list[tuple[float, float, float, float]],
             slack: float = 0.2) -> list[tuple[Glyph, tuple[float, float, float, float]]]:
    """Characters a horizontal or vertical rule runs through."""
    out = []
    for g in boxes:
        left, bottom, right, top = g.box
        for x0, y0, x1, y1 in segments:
            if abs(y0 - y1) < 0.01:  # horizontal
                if (bottom + slack < y0 < top - slack
                        and min(x0, x1) < right - slack and max(x0, x1) > left + slack):
                    out.append((g, (x0, y0, x1, y1)))
            elif abs(x0 - x1) < 0.01:  # vertical
                if (left + slack < x0 < right - slack
                        and min(y0, y1) < top - slack and max(y0, y1) > bottom + slack):
                    out.append((g, (x0, y0, x1, y1)))
    return out


def open_pdf(path: Path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(str(path))
