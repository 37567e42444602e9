"""``yibao-desk export APP -o OUT.pdf``: the packet from the command line.

Exit 0 and the PDF; 1 when the application has errors and --draft is not given (the
findings are printed and nothing is written); 2 for unusable input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

from cli.check_cmd import _date
from cli.output import finding_line, passphrase_from_env
from cli.profiles_cmd import add_profiles_option, apply_profiles_option
from forms.analysis.cache import cache_for, keep
from forms.errors import BadArgument, FileMissing, FileUnreadable, NotReady
from forms.messages import system_lang, t
from forms.profiles.loader import load_profile
from forms.storage import load
from forms.verdict import full_verdict


def add_parser(sub: Any) -> None:
    p = sub.add_parser("export", help="write the printable PDF packet")
    p.add_argument("app", type=Path, help="a .yibao file or an application.json")
    p.add_argument("-o", "--output", type=Path, required=True, help="the PDF to write")
    p.add_argument("--profile", help="region profile id (default: the application's)")
    p.add_argument("--on", type=_date, help="date the packet is prepared for (default today)")
    p.add_argument("--draft", action="store_true",
                   help="write even with open problems, marked 草稿 / DRAFT on every page")
    secret = p.add_mutually_exclusive_group()
    secret.add_argument("--password", help="protect the PDF with this password (AES-256); "
                        "better: --password-file or YIBAO_PDF_PASSWORD, kept off the "
                        "command line other users can see")
    secret.add_argument("--password-file", type=Path,
                        help="protect the PDF with the password on this file's first line")
    p.add_argument("--photos", type=int, help="printed one-inch photos to include")
    p.add_argument("--font", help="a TrueType Chinese font file to embed")
    p.add_argument("--lang", choices=("zh", "en"))
    p.add_argument("--per-member", action="store_true",
                   help="a household: one PDF per member into the folder OUT")
    add_profiles_option(p)
    p.set_defaults(run=_run)


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


MAX_PASSWORD_FILE = 4096


def _pdf_password(args: argparse.Namespace) -> str | None:
    """--password, --password-file or YIBAO_PDF_PASSWORD, in that order. An empty one is
    refused: it would silently write an unprotected PDF."""
    if args.password_file is not None:
        path: Path = args.password_file
        try:
            with path.open("rb") as fh:
                raw = fh.read(MAX_PASSWORD_FILE + 1)
        except FileNotFoundError:
            raise FileMissing(str(path), file=str(path)) from None
        except OSError as exc:
            raise FileUnreadable(exc.strerror or str(exc), file=str(path), reason="io") from None
        if len(raw) > MAX_PASSWORD_FILE:
            raise BadArgument(str(path), reason="password_file_too_large")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileUnreadable("not UTF-8", file=str(path), reason="not_utf8") from None
        password: str | None = text.splitlines()[0] if text.splitlines() else ""
    elif args.password is not None:
        password = args.password
    else:
        password = os.environ.get("YIBAO_PDF_PASSWORD")
    if password is not None and not password:
        raise BadArgument("empty password", reason="empty_password")
    return password


def _run(args: argparse.Namespace) -> int:
    lang = args.lang or system_lang()
    apply_profiles_option(args)
    if args.output.suffix.lower() != ".pdf" and not args.per_member:
        raise BadArgument(str(args.output), reason="bad_pdf_suffix")
    if args.photos is not None and not 0 <= args.photos <= 20:
        raise BadArgument(str(args.photos), reason="bad_photo_count")
    password = _pdf_password(args)
    from forms.packet.builder import build_packet  # reportlab and OpenCV: only to export

    with load(args.app, passphrase=passphrase_from_env()) as opened:
        profile = load_profile(args.profile or opened.app.profile_id)
        on = args.on or dt.date.today()
        # Analyse what the cache lacks once, and keep it beside an application.json as
        # `check` does: the next check or export (and the app) reuse it.
        cache = cache_for(opened)
        _, _, fresh = full_verdict(opened.app, profile, on, opened.base_dir, cache)
        keep(opened, cache, fresh)
        if opened.app.members or args.per_member:  # a household, or one file per person
            from cli.household_cmds import export

            return export(args, opened, profile, on, {**cache, **{a.key: a for a in fresh}},
                          password, lang)
        try:
            result = build_packet(opened.app, profile, opened.base_dir, args.output,
                                  on=on, draft=args.draft,
                                  password=password, font=args.font,
                                  photo_copies=args.photos,
                                  analyses={**cache, **{a.key: a for a in fresh}})
        except NotReady as exc:
            for f in exc.findings:
                if f.severity != "info":
                    print(finding_line(f, lang, profile))
            print(t("cli.export_refused", lang))
            return 1
    for f in result.findings:
        if f.severity != "info":
            print(finding_line(f, lang, profile))
    print(t("cli.export_done", lang, path=str(args.output), pages=result.pages,
            size=_size(result.size_bytes)))
    if result.draft:
        print(t("cli.export_draft", lang))
    return 0
