"""Reading a packet back: where images were placed, in millimetres, and what they hold."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

PT_TO_MM = 25.4 / 72


@dataclass
class Placed:
    page: int
    name: str
    width_mm: float
    height_mm: float
    x_mm: float
    y_mm: float
    pixels: tuple[int, int]
    data: bytes
    filters: list[str]


def placed_images(path: Path | bytes, password: str | None = None) -> list[Placed]:
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    if password:
        reader.decrypt(password)
    out: list[Placed] = []
    for number, page in enumerate(reader.pages, start=1):
        xobjects = page["/Resources"].get("/XObject", {})
        seen: list[tuple[str, list[float]]] = []

        def visit(op: bytes, args: list[object], cm: list[float], tm: list[float],
                  seen: list[tuple[str, list[float]]] = seen) -> None:
            if op == b"Do":
                seen.append((str(args[0]), list(cm)))

        page.extract_text(visitor_operand_before=visit)
        for name, cm in seen:
            obj = xobjects[name].get_object()
            if obj.get("/Subtype") != "/Image":
                continue
            raw = obj.get("/Filter")
            filters = [str(f) for f in raw] if isinstance(raw, list) else [str(raw)]
            data = obj._data if filters == ["/DCTDecode"] else obj.get_data()
            out.append(Placed(number, name, abs(cm[0]) * PT_TO_MM, abs(cm[3]) * PT_TO_MM,
                              cm[4] * PT_TO_MM, cm[5] * PT_TO_MM,
                              (int(obj["/Width"]), int(obj["/Height"])), data, filters))
    return out


def page_texts(path: Path | bytes) -> list[str]:
    """Each page's extractable text, in order (the footers included)."""
    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    return [page.extract_text() or "" for page in reader.pages]
