"""``yibao-desk scan`` and ``yibao-desk photo``: the imaging pipeline from the shell.

The processed image is written whenever one could be made (so the user can look at it);
the exit code says whether it can serve: 0 usable, 1 not (reasons printed), 2 unusable
input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path
from typing import Any

from PIL import Image

from cli.check_cmd import _date as parse_date
from cli.output import finding_json, finding_line, json_text
from forms.atomic import write_bytes
from forms.errors import BadArgument
from forms.findings import Finding, has_errors
from forms.messages import system_lang, t
from forms.profiles.loader import load_profile
from forms.profiles.schema import resolve
from forms.vocabulary import MATERIAL_KINDS

_SPECS = {"one-inch": "one_inch", "small-one-inch": "small_one_inch", "sscard": "sscard"}


def add_parsers(sub: Any) -> None:
    s = sub.add_parser("scan", help="straighten and check a document photo or scan")
    s.add_argument("input", type=Path)
    s.add_argument("-o", "--output", type=Path, required=True, help="processed image (.jpg/.png)")
    s.add_argument("--kind", choices=MATERIAL_KINDS, required=True)
    s.add_argument("--corners", type=_corners,
                   help="x1,y1,x2,y2,x3,y3,x4,y4: the document's corners, when found by hand")
    s.add_argument("--page", type=int, default=1, help="page of a PDF or TIFF (from 1)")
    s.add_argument("--rotate", type=int, choices=(0, 90, 180, 270), default=0)
    _common(s)
    s.set_defaults(run=_scan)

    p = sub.add_parser("photo", help="crop and check a portrait photo")
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--spec", choices=tuple(_SPECS), default="one-inch")
    p.add_argument("--profile", default="national", help="region profile (card photo limits)")
    p.add_argument("--on", type=parse_date, default=None)
    p.add_argument("--whiten", action="store_true", help="replace a busy background with white")
    p.add_argument("--sheet", type=Path, help="also write a 6-inch print sheet of copies")
    _common(p)
    p.set_defaults(run=_photo)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))


def _corners(text: str) -> list[tuple[float, float]]:
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        values = []
    if len(values) != 8:
        raise BadArgument(text, reason="bad_corners")
    if not all(math.isfinite(v) for v in values):
        raise BadArgument(text, reason="corners_not_finite")
    return [(values[i], values[i + 1]) for i in range(0, 8, 2)]


def _encode(img: Image.Image, dest: Path, dpi: int) -> bytes:
    from forms.imaging.encode import jpeg_bytes, png_bytes

    suffix = dest.suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        return jpeg_bytes(img, quality=92, dpi=dpi)
    if suffix == ".png":
        return png_bytes(img, dpi=dpi)
    raise BadArgument(str(dest), reason="bad_suffix")


def _report(args: argparse.Namespace, findings: list[Finding], written: Path | None,
            size: tuple[int, int] | None, dpi: int, extra: dict[str, Any]) -> int:
    lang = args.lang or system_lang()
    usable = written is not None and not has_errors(findings)
    if args.format == "json":
        print(json_text({
            "ok": usable, "output": str(written) if written else None,
            "size": list(size) if size else None, "dpi": dpi,
            "findings": [finding_json(f, lang) for f in findings], **extra,
        }))
    else:
        for f in findings:
            print(finding_line(f, lang))
        if written is not None and size is not None:
            print(t("cli.wrote_image", lang, path=str(written), width=size[0], height=size[1],
                    dpi=dpi))
    return 0 if usable else 1


def _scan(args: argparse.Namespace) -> int:
    from forms.imaging.scans import PRINT_DPI, process_scan  # OpenCV: only when used

    if args.page < 1:
        raise BadArgument(str(args.page), reason="bad_page")
    _encode(Image.new("RGB", (1, 1)), args.output, PRINT_DPI)  # refuse a bad suffix first
    result = process_scan(args.input, args.kind, corners=args.corners, page=args.page - 1,
                          rotate=args.rotate)
    write_bytes(_encode(result.image, args.output, PRINT_DPI), args.output)
    extra = {"corners": result.corners, "auto": result.auto, "true_size": result.true_size,
             "source_dpi": round(result.dpi) if result.dpi else None, "pages": result.pages,
             "confidence": result.confidence, "doubtful": result.doubtful,
             "suggested_corners": result.suggested, "turned": 180 if result.turned else 0}
    return _report(args, result.findings, args.output, result.image.size, PRINT_DPI, extra)


def _photo(args: argparse.Namespace) -> int:
    from forms.imaging.photos import process_photo
    from forms.imaging.portrait import print_sheet

    fmt = _SPECS[args.spec]
    profile = load_profile(args.profile)
    card = resolve(profile, profile.photos.card_photo, args.on or dt.date.today())
    if fmt == "sscard" and args.output.suffix.lower() not in (".jpg", ".jpeg"):
        raise BadArgument(str(args.output), reason="bad_suffix")
    _encode(Image.new("RGB", (1, 1)), args.output, 300)
    result = process_photo(args.input, fmt, card=card.value if card else None,  # type: ignore[arg-type]
                           whiten=args.whiten)
    written = None
    if result.photo is not None:
        data = result.jpeg.data if result.jpeg else _encode(result.photo, args.output,
                                                            result.dpi)
        write_bytes(data, args.output)
        written = args.output
        if args.sheet is not None:
            write_bytes(_encode(print_sheet(result.photo), args.sheet, 300), args.sheet)
    extra = {"whitened": result.whitened, "background_plain": result.background_plain,
             "file_kb": round(len(result.jpeg.data) / 1024, 1) if result.jpeg else None,
             "jpeg_quality": result.jpeg.quality if result.jpeg else None}
    size = result.photo.size if result.photo else None
    return _report(args, result.findings, written, size, result.dpi, extra)
