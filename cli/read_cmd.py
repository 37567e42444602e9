"""``yibao-desk read IN --kind KIND``: the fields read from a card or page, each with a
confidence. Exit 0 when something was read, 1 when nothing could be, 2 for unusable input
or when the OCR engine cannot load here."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.output import json_text
from forms.messages import printable, system_lang, t

KINDS = ("id_card_front", "id_card_back", "residence_permit", "hukou_personal_page")


def add_parser(sub: Any) -> None:
    p = sub.add_parser("read", help="read the fields of an ID card side or register page")
    p.add_argument("input", type=Path)
    p.add_argument("--kind", choices=KINDS, required=True)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("zh", "en"))
    p.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from forms.ocr.engine import preload

    loading = preload()  # the engine loads while the photo is decoded and straightened
    try:
        from forms.analysis.reading import read_document  # OpenCV and OCR: only when used

        lang = args.lang or system_lang()
        read = read_document(args.input, args.kind)
    finally:
        loading.join()  # never left loading while the interpreter shuts down
    fields = {name: {"value": value, "confidence": round(score, 3)}
              for name, (value, score) in read.fields.items()}
    if args.format == "json":
        print(json_text({"kind": args.kind, "side": read.side,
                         "upside_down": read.upside_down, "fields": fields}))
    else:
        for name, item in fields.items():
            shown = (t(f"sex.{item['value']}", lang) if name == "sex"
                     else printable(str(item["value"])))
            print(f"{t(f'ocr.field.{name}', lang)}: {shown}  "
                  f"({t('cli.confidence', lang)} {item['confidence']:.0%})")
        if read.upside_down:
            print(t("cli.read_upside_down", lang))
        if not fields:
            print(t("cli.read_nothing", lang))
    return 0 if fields else 1
