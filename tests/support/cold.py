"""A command run in a fresh interpreter, and which of some modules it imported: the cold
start of `read` and `check` is timed, so what they import is part of their behaviour."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

_CHILD = ("import json, sys; from cli import main; code = main(sys.argv[3:]); "
          "roots, prefixes = json.loads(sys.argv[1]), tuple(json.loads(sys.argv[2])); "
          "print(json.dumps([code, sorted(m for m in sys.modules "
          "if m.split('.')[0] in roots or m.startswith(prefixes))]))")


def imported_by(argv: list[str], roots: tuple[str, ...],
                prefixes: tuple[str, ...]) -> tuple[int, list[str]]:
    """``yibao-desk ARGV``'s exit code, and the modules under ``roots`` (top-level
    packages) or starting with ``prefixes`` that it imported."""
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(roots),
                          json.dumps(prefixes), *argv],
                         cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    code, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return code, loaded
