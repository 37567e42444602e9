"""Optional passphrase protection for .yibao files (and the recovery copies of sealed work).

A sealed file is ``header || AES-256-GCM(ciphertext) || tag`` under a key derived from the
passphrase by scrypt with a random salt. The header (magic, version, KDF parameters, salt,
nonce) is the associated data, so a wrong passphrase and a tampered file are both refused —
the two cannot be told apart, and the message says so.

The header is attacker-controlled, so its KDF parameters are never obeyed: each format
version has exactly one parameter set (``KDFS``), and anything else is refused before any
work is done (a header asking for N=2^20, r=16, p=4 would otherwise cost 2 GB and many
seconds before the passphrase is even checked).

Version 1 (scrypt N=2^15, r=8, p=1, the passphrase's UTF-8 as typed) is read only.
Version 2 (N=2^17, r=8, p=1 as OWASP advises, passphrase normalised to NFC so the same
characters typed on another system give the same key) is what is written.

Deriving costs a few hundred milliseconds, so a :class:`SealKey` keeps the result: sealing
with a key writes the same salt and a fresh random nonce. The app derives once when a file
is opened or first sealed and seals every save and recovery copy with that key; anyone
with the passphrase derives the same key again from the salt in the header.
"""

from __future__ import annotations

import io
import os
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from forms.errors import ArchiveUnsafe, PassphraseNeeded, PassphraseWrong

MAGIC = b"YIBAOENC"
_HEADER = struct.Struct(">8sBBBB16s12s")   # magic, version, log2 n, r, p, salt, nonce
HEADER_SIZE = _HEADER.size
TAG_SIZE = 16
OVERHEAD = HEADER_SIZE + TAG_SIZE
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Kdf:
    log_n: int
    r: int
    p: int
    nfc: bool          # the passphrase is NFC-normalised before deriving


KDFS = {1: Kdf(15, 8, 1, nfc=False), 2: Kdf(17, 8, 1, nfc=True)}
VERSION = 2            # what seal() writes


@dataclass(frozen=True)
class SealKey:
    """A derived key with the format version and salt it belongs to. Kept in memory only."""

    version: int
    salt: bytes
    key: bytes

    def __repr__(self) -> str:   # never print key material into a log or traceback
        return f"SealKey(version={self.version})"


Secret = str | SealKey


@dataclass(frozen=True)
class Header:
    version: int
    salt: bytes
    nonce: bytes
    raw: bytes


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def is_sealed_file(path: Path) -> bool:
    try:
        with Path(path).open("rb") as fh:
            return is_sealed(fh.read(len(MAGIC)))
    except OSError:
        return False


def _passphrase_bytes(passphrase: str, kdf: Kdf) -> list[bytes]:
    """Candidates to try: v2 normalises; v1 used the text as typed, so the composed and
    decomposed forms are tried too in case the same characters now arrive differently
    (cheap: v1's scrypt is 4x lighter)."""
    nfc = unicodedata.normalize("NFC", passphrase)
    if kdf.nfc:
        return [nfc.encode("utf-8")]
    forms = [passphrase, nfc, unicodedata.normalize("NFD", passphrase)]
    return [f.encode("utf-8") for f in dict.fromkeys(forms)]


def _derive_raw(secret: bytes, salt: bytes, kdf: Kdf) -> bytes:
    return Scrypt(salt=salt, length=32, n=2 ** kdf.log_n, r=kdf.r, p=kdf.p).derive(secret)


def derive(passphrase: str, *, salt: bytes | None = None, version: int = VERSION) -> SealKey:
    """Run scrypt once; a new random salt unless one is given (to reopen a file)."""
    kdf = KDFS[version]
    salt = os.urandom(16) if salt is None else salt
    return SealKey(version, salt, _derive_raw(_passphrase_bytes(passphrase, kdf)[0], salt, kdf))


def _candidates(header: Header, secret: Secret) -> list[SealKey]:
    if isinstance(secret, SealKey):
        if secret.version == header.version and secret.salt == header.salt:
            return [secret]
        return []   # another salt: a key cannot be re-derived without the passphrase
    kdf = KDFS[header.version]
    return [SealKey(header.version, header.salt, _derive_raw(b, header.salt, kdf))
            for b in _passphrase_bytes(secret, kdf)]


def parse_header(head: bytes, *, file: str) -> Header:
    """The header, if it asks for exactly what some version of this program writes."""
    if len(head) < HEADER_SIZE:
        raise PassphraseWrong(file, file=file)
    magic, version, log_n, r, p, salt, nonce = _HEADER.unpack(head[:HEADER_SIZE])
    kdf = KDFS.get(version)
    if magic != MAGIC or kdf is None or (log_n, r, p) != (kdf.log_n, kdf.r, kdf.p):
        raise ArchiveUnsafe(f"version {version}, scrypt log2 N={log_n} r={r} p={p}",
                            file=file, reason="kdf_unsupported")
    return Header(version, salt, nonce, head[:HEADER_SIZE])


def seal(data: bytes, secret: Secret) -> bytes:
    """Seal ``data`` with a passphrase (derives a new key) or an already derived key."""
    key = secret if isinstance(secret, SealKey) else derive(secret)
    header = _new_header(key)
    return header + AESGCM(key.key).encrypt(header[-12:], data, header)


def _new_header(key: SealKey) -> bytes:
    kdf = KDFS[key.version]
    return _HEADER.pack(MAGIC, key.version, kdf.log_n, kdf.r, kdf.p, key.salt, os.urandom(12))


def seal_stream(src: BinaryIO, out: BinaryIO, key: SealKey) -> None:
    """Seal a file of any size chunk by chunk (same format as :func:`seal`)."""
    header = _new_header(key)
    enc = Cipher(algorithms.AES(key.key), modes.GCM(header[-12:])).encryptor()
    enc.authenticate_additional_data(header)
    out.write(header)
    while chunk := src.read(_CHUNK):
        out.write(enc.update(chunk))
    out.write(enc.finalize())
    out.write(enc.tag)


def unseal_stream(fh: BinaryIO, size: int, secret: Secret | None, *, file: str,
                  limit: int) -> tuple[io.BytesIO, SealKey]:
    """Decrypt ``size`` bytes from ``fh`` chunk by chunk; returns the plaintext and the key
    that opened it. Refuses before any work: sizes over ``limit`` plaintext bytes, headers
    asking for other KDF parameters, and (then) a missing passphrase."""
    if size > limit + OVERHEAD:
        raise ArchiveUnsafe(f"{size} bytes", file=file, reason="sealed_too_large")
    header = parse_header(fh.read(HEADER_SIZE), file=file)
    if secret is None:
        raise PassphraseNeeded(file, file=file)
    if size < OVERHEAD:
        raise PassphraseWrong(file, file=file)
    fh.seek(size - TAG_SIZE)
    tag = fh.read(TAG_SIZE)
    for key in _candidates(header, secret):
        plain = io.BytesIO()
        dec = Cipher(algorithms.AES(key.key), modes.GCM(header.nonce, tag)).decryptor()
        dec.authenticate_additional_data(header.raw)
        fh.seek(HEADER_SIZE)
        remaining = size - OVERHEAD
        while remaining > 0:
            chunk = fh.read(min(_CHUNK, remaining))
            if not chunk:
                break   # the file shrank while being read: the tag check fails below
            remaining -= len(chunk)
            plain.write(dec.update(chunk))
        try:
            dec.finalize()
        except InvalidTag:
            continue
        if remaining == 0:
            plain.seek(0)
            return plain, key
    raise PassphraseWrong(file, file=file)


def unseal_file(path: Path, secret: Secret | None, *, limit: int) -> tuple[io.BytesIO, SealKey]:
    """Open a sealed file without reading more than ``limit`` + overhead bytes: the size is
    checked on the open file before anything is read."""
    path = Path(path)
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        return unseal_stream(fh, size, secret, file=path.name, limit=limit)
