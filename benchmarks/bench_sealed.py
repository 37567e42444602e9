"""Sealed .yibao files: what the stronger KDF (scrypt N=2^17) costs on open and save, and
what keeping the derived key saves (the app derives once per file). `make bench` runs it."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import Row, measure, print_table  # noqa: E402
from forms import crypto, storage  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "complete" / "application.json"
PASSPHRASE = "门口的梧桐树2026"


def rows() -> list[Row]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sealed-"))
    try:
        return _rows(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _rows(tmp: Path) -> list[Row]:
    opened = storage.load(SAMPLE)
    dest = tmp / "sealed.yibao"
    storage.save(opened.app, opened.base_dir, dest, passphrase=PASSPHRASE)
    with storage.load(dest, passphrase=PASSPHRASE) as again:
        key = again.key
    record = b'{"application": {}}' * 200
    return [
        measure("scrypt v1 (N=2^15, old files, read only)",
                lambda: crypto.derive(PASSPHRASE, version=1), runs=5, warmup=1),
        measure("scrypt v2 (N=2^17, written now)", lambda: crypto.derive(PASSPHRASE),
                runs=5, warmup=1, target_ms=1000),
        measure("open sealed sample with the passphrase",
                lambda: storage.load(dest, passphrase=PASSPHRASE).close(), runs=5, warmup=1,
                target_ms=1500),
        measure("open sealed sample with the kept key",
                lambda: storage.load(dest, passphrase=key).close(), runs=10, warmup=1),
        measure("save sealed sample with a new passphrase",
                lambda: storage.save(opened.app, opened.base_dir, dest, passphrase=PASSPHRASE),
                runs=5, warmup=1, target_ms=1500),
        measure("save sealed sample with the kept key",
                lambda: storage.save(opened.app, opened.base_dir, dest, passphrase=key),
                runs=10, warmup=1, target_ms=300),
        measure("seal a recovery copy with the kept key", lambda: crypto.seal(record, key),
                runs=200, target_ms=5),
    ]


if __name__ == "__main__":
    print_table(rows())
