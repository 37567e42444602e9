"""Sealed files, attacked: a header asking for a ruinous KDF, a ciphertext too large to hold,
and a run killed while decrypted scans are on disk."""

from __future__ import annotations

import os
import resource
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms import crypto, storage
from tests.conftest import ROOT, SAMPLES
from tests.support.shipped import shipped

PASSPHRASE = "门口的梧桐树2026"
ID_NUMBER = b"410102199203080262"
_MAIN = "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"


def _cli(*argv: str, env: dict[str, str], limit_as: int | None = None
         ) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    return subprocess.run([sys.executable, "-c", _MAIN, *argv], check=False, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=limit)


def _env(tmp_path: Path, runtime: Path, **extra: str) -> dict[str, str]:
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return {**os.environ, "PYTHONPATH": str(ROOT), "YIBAO_RUNTIME_DIR": str(runtime),
            "TMPDIR": str(tmp_path / "tmp"), "YIBAO_PASSPHRASE": PASSPHRASE, **extra}


def _sealed_sample(tmp_path: Path) -> Path:
    dest = tmp_path / "sealed.yibao"
    with storage.load(SAMPLES / "complete" / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase=PASSPHRASE,
                     analyses=shipped(opened))
    return dest


def test_a_ruinous_kdf_header_is_refused_at_once(tmp_path: Path, runtime_dir: Path) -> None:
    hostile = tmp_path / "costly.yibao"   # scrypt N=2^20, r=16, p=4: 2 GB and many seconds
    hostile.write_bytes(struct.pack(">8sBBBB16s12s", b"YIBAOENC", 2, 20, 16, 4, b"s" * 16,
                                    b"n" * 12) + os.urandom(10_000))
    # Under a 1 GiB address-space limit the derivation it asks for could not even start.
    proc = _cli("check", str(hostile), "--lang", "en", env=_env(tmp_path, runtime_dir),
                limit_as=1024 ** 3)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "encryption settings this program never writes" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_ciphertext_over_2_gib_is_refused_by_its_size(tmp_path: Path,
                                                       runtime_dir: Path) -> None:
    big = tmp_path / "big.yibao"
    head = crypto.seal(b"x", crypto.derive(PASSPHRASE))[:crypto.HEADER_SIZE]
    with big.open("wb") as fh:     # sparse: 2 GiB + 1 that take no disk space
        fh.write(head)
        fh.truncate(2 * 1024 ** 3 + 1)
    # Reading it whole would need 2 GiB: a 1 GiB address-space limit proves it is not read.
    proc = _cli("check", str(big), "--lang", "en", env=_env(tmp_path, runtime_dir),
                limit_as=1024 ** 3)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "PanicException" not in proc.stderr and "larger than any file" in proc.stderr


def _scratch_folders(runtime: Path) -> list[Path]:
    return [p for p in runtime.iterdir() if p.is_dir()] if runtime.is_dir() else []


def _holds_plaintext(folder: Path) -> bool:
    return any(p.is_file() for p in folder.rglob("*"))


def _start_export(tmp_path: Path, runtime: Path, sealed: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _MAIN, "export", str(sealed), "-o",
         str(tmp_path / "packet.pdf"), "--draft"],
        env=_env(tmp_path, runtime), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


def _wait_for_scratch(proc: subprocess.Popen[str], runtime: Path) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for folder in _scratch_folders(runtime):
            if _holds_plaintext(folder):
                return folder
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)
    raise AssertionError("export never extracted its materials")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_an_export_of_a_sealed_file_leaves_no_plaintext(
        tmp_path: Path, runtime_dir: Path, sig: signal.Signals) -> None:
    sealed = _sealed_sample(tmp_path)
    proc = _start_export(tmp_path, runtime_dir, sealed)
    folder = _wait_for_scratch(proc, runtime_dir)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    if sig == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM and "Traceback" not in err, err
        assert not folder.exists()                      # cleaned up before exiting
    else:
        assert proc.returncode == -signal.SIGKILL
        assert _holds_plaintext(folder)                 # nothing can run on SIGKILL...
        start = _cli("profiles", env=_env(tmp_path, runtime_dir))   # ...the next start
        assert start.returncode == 0, start.stderr
    assert _scratch_folders(runtime_dir) == []
    assert list(runtime_dir.glob("*.lock")) == []
    assert list((tmp_path / "tmp").iterdir()) == []     # nothing ever went to TMPDIR
    for path in tmp_path.rglob("*"):
        if path.is_file() and path != sealed and not path.name.endswith(".bak"):
            assert ID_NUMBER not in path.read_bytes(), path


_OWNER = r"""
import sys
from forms.scratch import Scratch
held = Scratch("open")
(held.path / "scan.jpg").write_bytes(b"decrypted")
print(held.name, flush=True)
sys.stdin.read()          # lives until the parent closes its stdin
"""


def test_the_sweep_spares_a_running_process_folder(tmp_path: Path, runtime_dir: Path) -> None:
    owner = subprocess.Popen([sys.executable, "-c", _OWNER], env=_env(tmp_path, runtime_dir),
                             cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None and owner.stdin is not None
    folder = Path(owner.stdout.readline().strip())
    start = _cli("profiles", env=_env(tmp_path, runtime_dir))
    assert start.returncode == 0 and (folder / "scan.jpg").exists()   # its owner is alive
    owner.stdin.close()
    assert owner.wait(timeout=60) == 0
    assert not folder.exists() and list(runtime_dir.iterdir()) == []  # removed at its exit
