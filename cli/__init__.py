"""The headless command line: ``yibao-desk check|profiles|schema …``.

Exit codes are part of the interface: 0 fine (warnings allowed), 1 the application has
errors, 2 the input is unusable — with exactly one line on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Sequence

from forms import scratch
from forms.errors import BadArgument, FormsError, NoSpace
from forms.messages import render_error, system_lang

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


_ARGPARSE_MESSAGES = (
    (re.compile(r"argument (?P<arg>\S+): invalid choice: '(?P<value>[^']*)'"), "arg_choice"),
    (re.compile(r"the following arguments are required: (?P<arg>.+)"), "arg_required"),
    (re.compile(r"unrecognized arguments: (?P<arg>.+)"), "arg_unknown"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "arg_value"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """argparse speaks English only: map its common complaints to catalog reasons."""
        for pattern, reason in _ARGPARSE_MESSAGES:
            m = pattern.search(message)
            if m:
                raise BadArgument(message, reason=reason, **m.groupdict())
        raise BadArgument(message, reason="arg_other")


# Which module registers each command: a run imports only its own command's module (the
# PDF, batch and profile machinery take a quarter of a second to import, and `check` and
# `read` are timed from a cold start).
_COMMANDS = {"check": ("check_cmd", "add_parser"), "export": ("export_cmd", "add_parser"),
             "read": ("read_cmd", "add_parser"), "batch": ("batch_cmd", "add_parser"),
             "scan": ("image_cmds", "add_parsers"), "photo": ("image_cmds", "add_parsers"),
             "profiles": ("profiles_cmd", "add_parsers"),
             "schema": ("profiles_cmd", "add_parsers")}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command; for a known ``command``, of its module's commands
    alone (help and a mistyped command still list them all)."""
    import importlib

    parser = _Parser(prog="yibao-desk", description="yibao-desk: medical insurance enrolment "
                     "assistant / 异地户籍医保参保助手. Without a command it opens the app.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = [_COMMANDS[command]] if command in _COMMANDS else list(dict.fromkeys(
        _COMMANDS.values()))
    for module, register in wanted:
        getattr(importlib.import_module(f"cli.{module}"), register)(sub)
    return parser


def _lang_from(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in ("zh", "en"):
            return arg[7:]
    return system_lang()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv)
    scratch.sweep()   # plaintext a killed run left behind goes first
    try:
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        with scratch.exit_on_sigterm():
            return int(args.run(args))
    except FormsError as exc:
        print(_one_line(render_error(exc, lang)), file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            return _unexpected(exc, lang)
        # Mostly the temporary folder (image and PDF work files): name where it was.
        where = os.path.dirname(exc.filename) if isinstance(exc.filename, str) else ""
        folder = where or tempfile.gettempdir()
        print(_one_line(render_error(NoSpace(folder, folder=folder), lang)), file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug: still one line for the user
        return _unexpected(exc, lang)


def _unexpected(exc: Exception, lang: str) -> int:
    """A bug: still one line for the user (the traceback only with YIBAO_DEBUG)."""
    if os.environ.get("YIBAO_DEBUG"):
        traceback.print_exc()
    print(_one_line(render_error(exc, lang)), file=sys.stderr)
    return EXIT_UNUSABLE
