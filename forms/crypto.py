"""Optional passphrase protection for .yibao files.

The archive is sealed whole with AES-256-GCM under a key derived from the passphrase by
scrypt with a random salt. The header (magic, version, KDF parameters, salt) is
authenticated too, so a wrong passphrase and a tampered file are both refused — the two
cannot be told apart, and the message says so.
"""

from __future__ import annotations

import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from forms.errors import PassphraseNeeded, PassphraseWrong

MAGIC = b"YIBAOENC"
VERSION = 1
_HEADER = struct.Struct(">8sBBBB16s12s")   # magic, version, log2 n, r, p, salt, nonce
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1


def is_sealed(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2 ** log_n, r=r, p=p).derive(
        passphrase.encode("utf-8"))


def seal(data: bytes, passphrase: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _HEADER.pack(MAGIC, VERSION, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt, nonce)
    key = _key(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
    return header + AESGCM(key).encrypt(nonce, data, header)


def unseal(blob: bytes, passphrase: str | None, *, file: str) -> bytes:
    if passphrase is None:
        raise PassphraseNeeded(file, file=file)
    if len(blob) < _HEADER.size + 16:
        raise PassphraseWrong(file, file=file)
    header = blob[:_HEADER.size]
    magic, version, log_n, r, p, salt, nonce = _HEADER.unpack(header)
    if version != VERSION or not (10 <= log_n <= 20) or not (1 <= r <= 16) or not (1 <= p <= 4):
        raise PassphraseWrong(file, file=file)
    try:
        return AESGCM(_key(passphrase, salt, log_n, r, p)).decrypt(nonce, blob[_HEADER.size:],
                                                                    header)
    except InvalidTag:
        raise PassphraseWrong(file, file=file) from None
