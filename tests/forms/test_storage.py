from __future__ import annotations

import errno
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from forms import atomic, storage
from forms.application import SCHEMA_VERSION
from forms.errors import (
    ApplicationMalformed,
    ArchiveCorrupt,
    ArchiveMemberMissing,
    ArchiveUnsafe,
    DiskFull,
    FileMissing,
    PermissionDenied,
    SchemaTooNew,
)
from tests.forms.helpers import sample


def _save_sample(sample_dir: Path, dest: Path) -> None:
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest)


def test_round_trip_keeps_data_and_material_bytes(sample_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "李文静.yibao"
    _save_sample(sample_dir, dest)
    with storage.load(dest) as opened:
        assert opened.app.applicant == sample().applicant
        assert [m.kind for m in opened.app.materials] == [m.kind for m in sample().materials]
        front = opened.base_dir / opened.app.materials[0].file
        assert front.read_bytes() == (sample_dir / "materials" / "id-front.jpg").read_bytes()
        workdir = opened.base_dir
    assert not workdir.exists()  # extracted copies are removed on close


def test_saved_files_are_private(sample_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "a.yibao"
    _save_sample(sample_dir, dest)
    _save_sample(sample_dir, dest)
    for path in (dest, tmp_path / "a.yibao.bak"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with storage.load(dest) as opened:
        mode = stat.S_IMODE((opened.base_dir / opened.app.materials[0].file).stat().st_mode)
        assert mode == 0o600


def test_saving_again_keeps_the_previous_version_as_backup(sample_dir: Path,
                                                           tmp_path: Path) -> None:
    dest = tmp_path / "a.yibao"
    _save_sample(sample_dir, dest)
    first = dest.read_bytes()
    with storage.load(dest) as opened:
        opened.app.applicant.name = "李文"
        storage.save(opened.app, opened.base_dir, dest)
    assert (tmp_path / "a.yibao.bak").read_bytes() == first
    with storage.load(dest) as opened:
        assert opened.app.applicant.name == "李文"


def test_a_failure_while_writing_leaves_the_old_file_and_no_temp(
        sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "a.yibao"
    _save_sample(sample_dir, dest)
    before = dest.read_bytes()

    def boom(*args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(DiskFull):
        _save_sample(sample_dir, dest)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["a.yibao"]


def test_read_only_folder_is_a_clear_permission_error(
        sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: object, **kw: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic, "_create_temporary", denied)   # the folder refuses new files
    with pytest.raises(PermissionDenied):
        _save_sample(sample_dir, tmp_path / "a.yibao")


def test_saving_with_a_material_file_gone_is_refused(sample_dir: Path, tmp_path: Path) -> None:
    (sample_dir / "materials" / "photo.jpg").unlink()
    with pytest.raises(FileMissing):
        _save_sample(sample_dir, tmp_path / "a.yibao")
    assert not list(tmp_path.glob("*.yibao*"))


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _app_bytes(**over: object) -> bytes:
    data = json.loads(sample().model_dump_json())
    data["materials"] = []
    data.update(over)
    return json.dumps(data).encode()


@pytest.mark.parametrize(("content", "error"), [
    (b"PK\x03\x04 this is not really a zip", ArchiveCorrupt),
    (b"", ArchiveCorrupt),
    (b"\x00\x01\x02 binary junk", ArchiveCorrupt),
])
def test_corrupt_archives_are_refused_and_left_alone(tmp_path: Path, content: bytes,
                                                     error: type[Exception]) -> None:
    path = tmp_path / "bad.yibao"
    path.write_bytes(content)
    with pytest.raises(error):
        storage.load(path)
    assert path.read_bytes() == content


def test_missing_application_member(tmp_path: Path) -> None:
    path = _zip(tmp_path / "a.yibao", {"materials/001-x.jpg": b"\xff\xd8\xff"})
    with pytest.raises(ArchiveMemberMissing, match=r"application\.json"):
        storage.load(path)


def test_missing_material_member(tmp_path: Path) -> None:
    app = _app_bytes(materials=[{"kind": "photo", "file": "materials/001-p.jpg"}])
    path = _zip(tmp_path / "a.yibao", {"application.json": app})
    with pytest.raises(ArchiveMemberMissing, match=r"001-p\.jpg"):
        storage.load(path)


@pytest.mark.parametrize("name", ["../evil.jpg", "/etc/passwd", "materials/../../x",
                                  "materials\\..\\x", "other/x.jpg", "C:/x"])
def test_path_traversal_names_are_refused(tmp_path: Path, name: str) -> None:
    path = _zip(tmp_path / "a.yibao", {"application.json": _app_bytes(), name: b"x"})
    with pytest.raises(ArchiveUnsafe):
        storage.load(path)
    assert not (tmp_path.parent / "evil.jpg").exists()


def test_zip_bomb_is_refused_before_it_fills_the_disk(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "MAX_MEMBER_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.yibao"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("application.json", _app_bytes())
        zf.writestr("materials/001-a.jpg", b"\0" * (8 * 1024 * 1024))
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(ArchiveUnsafe):
        storage.load(path)


def _forge_size(path: Path, member: str, claimed: int) -> None:
    """Rewrite the uncompressed size ``member``'s headers declare (local header and central
    directory both), leaving the compressed data and its CRC as they are."""
    raw = bytearray(path.read_bytes())
    name = member.encode()
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = raw.find(sig)
        while at != -1 and raw[at + name_at:at + name_at + len(name)] != name:
            at = raw.find(sig, at + 4)
        assert at != -1, f"{member} has no {sig!r} header"
        raw[at + size_at:at + size_at + 4] = claimed.to_bytes(4, "little")
    path.write_bytes(bytes(raw))


def _spy_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many bytes every read of a zip member asked for (-1: all there is)."""
    seen: list[int] = []
    real = zipfile.ZipExtFile.read

    def read(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        seen.append(-1 if n is None or n < 0 else n)
        return real(self, n)

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    return seen


def test_a_header_claiming_less_than_the_member_holds_is_not_believed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "MAX_JSON_BYTES", 100)
    real = b" " * 5000 + _app_bytes()
    path = _zip(tmp_path / "a.yibao", {"application.json": real})
    _forge_size(path, "application.json", 60)
    with zipfile.ZipFile(path) as zf:   # the lie passes the check of declared sizes
        assert zf.getinfo("application.json").file_size == 60 < storage.MAX_JSON_BYTES
    seen = _spy_reads(monkeypatch)
    with pytest.raises(ArchiveCorrupt):  # the data does not match its own checksum
        storage.load(path)
    # it was read with a bound of its own, not up to whatever the header says
    assert seen and all(0 <= n <= storage.MAX_JSON_BYTES + 1 for n in seen)


def test_a_header_claiming_more_than_the_limit_is_refused_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "MAX_MEMBER_BYTES", 20_000)
    material = b"\xff\xd8\xff\xe0" + bytes(200)
    app = json.loads(_app_bytes())
    app["materials"] = [{"kind": "id_card_front", "file": "materials/001-f.jpg"}]
    path = _zip(tmp_path / "a.yibao", {"application.json": json.dumps(app).encode(),
                                        "materials/001-f.jpg": material})
    _forge_size(path, "materials/001-f.jpg", 50_000)
    seen = _spy_reads(monkeypatch)
    with pytest.raises(ArchiveUnsafe) as info:
        storage.load(path)
    assert info.value.params["reason"] == "too_large"
    assert info.value.params["member"] == "materials/001-f.jpg"
    assert seen == []  # refused on the header's word, before any member was decompressed


def test_newer_schema_is_refused_with_its_version(tmp_path: Path) -> None:
    path = _zip(tmp_path / "a.yibao",
                {"application.json": _app_bytes(schema_version=SCHEMA_VERSION + 1)})
    with pytest.raises(SchemaTooNew) as info:
        storage.load(path)
    assert info.value.params["version"] == SCHEMA_VERSION + 1


def test_version_1_files_migrate(tmp_path: Path) -> None:
    data = json.loads(_app_bytes())
    data.pop("profile_id")
    data.update(schema_version=1, profile="beijing",
                materials={"id_card_front": ["materials/001-f.jpg"],
                           "photo": "materials/002-p.jpg"})
    path = _zip(tmp_path / "old.yibao", {"application.json": json.dumps(data).encode(),
                                          "materials/001-f.jpg": b"\xff\xd8\xff\xe0",
                                          "materials/002-p.jpg": b"\xff\xd8\xff\xe0"})
    with storage.load(path) as opened:
        assert opened.app.schema_version == SCHEMA_VERSION
        assert opened.app.profile_id == "beijing"
        assert [(m.kind, m.file) for m in opened.app.materials] == [
            ("id_card_front", "materials/001-f.jpg"), ("photo", "materials/002-p.jpg")]


@pytest.mark.parametrize(("text", "match"), [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "top level"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b'{"applicant": {"sex": "robot"}}', "applicant.sex"),
    (b'{"unknown_section": 1}', "unknown_section"),
    (b'{"schema_version": "two"}', "schema_version"),
    (b"[" * 100000 + b"]" * 100000, "."),
])
def test_malformed_application_json(tmp_path: Path, text: bytes, match: str) -> None:
    path = tmp_path / "application.json"
    path.write_bytes(text)
    with pytest.raises(ApplicationMalformed, match=match):
        storage.load(path)


def test_write_json_is_atomic_and_private(tmp_path: Path) -> None:
    dest = tmp_path / "r.json"
    atomic.write_json({"a": "甲"}, dest)
    assert json.loads(dest.read_text(encoding="utf-8")) == {"a": "甲"}
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600


def test_saving_into_a_missing_folder_says_so(sample_dir: Path, tmp_path: Path) -> None:
    from forms.errors import SaveFailed
    from forms.messages import render_error

    with pytest.raises(SaveFailed) as info:
        _save_sample(sample_dir, tmp_path / "no" / "such" / "a.yibao")
    assert "原文件保持不变" in render_error(info.value, "zh")


def test_phone_metadata_is_stripped_from_stored_copies(sample_dir: Path, tmp_path: Path) -> None:
    from PIL import Image

    from tests.support import synthetic

    phone = sample_dir / "materials" / "photo.jpg"
    original = Image.open(phone).convert("RGB")
    synthetic.save_with_orientation(original, phone, 6, gps=True)   # stored sideways + GPS
    assert b"SyntheticPhone" in phone.read_bytes()
    dest = tmp_path / "a.yibao"
    _save_sample(sample_dir, dest)
    with zipfile.ZipFile(dest) as zf:
        for name in zf.namelist():
            assert b"SyntheticPhone" not in zf.read(name), name
    with storage.load(dest) as opened:
        stored = next(m for m in opened.app.materials if m.kind == "photo")
        img = Image.open(opened.base_dir / stored.file)
        assert not img.getexif()
        assert img.size == original.size              # upright, as the user saw it
        front = next(m for m in opened.app.materials if m.kind == "id_card_front")
        assert (opened.base_dir / front.file).read_bytes() == (
            sample_dir / "materials" / "id-front.jpg").read_bytes()  # clean: untouched


def test_a_pdf_material_is_stored_as_its_page_image(sample_dir: Path, tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    pdf = sample_dir / "materials" / "scan.pdf"
    c = canvas.Canvas(str(pdf))
    c.setAuthor("Scanner Owner")
    c.drawString(100, 700, "page one")
    c.showPage()
    c.drawString(100, 700, "page two")
    c.showPage()
    c.save()
    with storage.load(sample_dir / "application.json") as opened:
        from forms.application import Material

        extra = Material(kind="other", file="materials/scan.pdf", page=1)
        app = opened.app.model_copy(update={"materials": [*opened.app.materials, extra]})
        saved = storage.save(app, opened.base_dir, tmp_path / "a.yibao")
    other = saved.materials[-1]
    assert other.file.endswith(".jpg") and other.page == 0
    with zipfile.ZipFile(tmp_path / "a.yibao") as zf:
        assert b"Scanner Owner" not in zf.read(other.file)


def test_a_passphrase_seals_the_archive(sample_dir: Path, tmp_path: Path) -> None:
    from forms.errors import PassphraseNeeded, PassphraseWrong

    dest = tmp_path / "secret.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase="长城 2026!")
    sealed = dest.read_bytes()
    assert sealed.startswith(b"YIBAOENC") and b"410102199203080262" not in sealed
    assert "李文静".encode() not in sealed and b"application.json" not in sealed
    with storage.load(dest, passphrase="长城 2026!") as opened:
        assert opened.app.applicant.name == "李文静" and len(opened.app.materials) == 4
    with pytest.raises(PassphraseNeeded):
        storage.load(dest)
    with pytest.raises(PassphraseWrong):
        storage.load(dest, passphrase="长城 2025!")
    tampered = bytearray(sealed)
    tampered[len(tampered) // 2] ^= 0x01
    (tmp_path / "tampered.yibao").write_bytes(bytes(tampered))
    with pytest.raises(PassphraseWrong):
        storage.load(tmp_path / "tampered.yibao", passphrase="长城 2026!")
    assert dest.read_bytes() == sealed  # refused files are left as they were


def _seal_v1(data: bytes, passphrase: str) -> bytes:
    """What the first version of the program wrote (kept readable): scrypt N=2^15, r=8,
    p=1 over the passphrase exactly as typed. Built from primitives, not forms.crypto."""
    import struct

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt, nonce = os.urandom(16), os.urandom(12)
    header = struct.pack(">8sBBBB16s12s", b"YIBAOENC", 1, 15, 8, 1, salt, nonce)
    key = Scrypt(salt=salt, length=32, n=2 ** 15, r=8, p=1).derive(passphrase.encode("utf-8"))
    return header + AESGCM(key).encrypt(nonce, data, header)


def test_files_sealed_by_the_old_parameters_still_open(sample_dir: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.yibao"
    _save_sample(sample_dir, plain)
    old = tmp_path / "old.yibao"
    decomposed = "Cafe\u0301 长城 2024"          # é typed as e + combining accent
    old.write_bytes(_seal_v1(plain.read_bytes(), decomposed))
    for typed in (decomposed, "Caf\u00e9 长城 2024"):   # as typed then, or composed now
        with storage.load(old, passphrase=typed) as opened:
            assert opened.app.applicant.name == "李文静" and len(opened.app.materials) == 4


def test_new_files_use_the_stronger_kdf_and_a_normalised_passphrase(
        sample_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "new.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase="Cafe\u0301 长城 2026")
    header = dest.read_bytes()[:12]
    assert header[8:12] == bytes([2, 17, 8, 1])   # version 2: scrypt N=2^17, r=8, p=1
    with storage.load(dest, passphrase="Caf\u00e9 长城 2026") as opened:
        assert opened.app.applicant.name == "李文静"


def test_a_key_derived_once_seals_again_without_scrypt(sample_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from forms import crypto

    dest = tmp_path / "k.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase="门口的梧桐树2026")
    with storage.load(dest, passphrase="门口的梧桐树2026") as opened:
        key = opened.key
        assert key is not None and "key=" not in repr(key)   # never printed
        monkeypatch.setattr(crypto, "_derive_raw", lambda *a: pytest.fail("scrypt ran"))
        first = dest.read_bytes()
        storage.save(opened.app, opened.base_dir, dest, passphrase=key)
    second = dest.read_bytes()
    assert first[12:28] == second[12:28] and first[28:40] != second[28:40]  # salt, new nonce
    with storage.load(dest, passphrase=key) as again:
        assert again.app.applicant.name == "李文静"


@pytest.mark.parametrize("params", [(2, 20, 16, 4), (2, 15, 8, 1), (1, 17, 8, 1), (9, 17, 8, 1),
                                    (2, 17, 8, 2), (1, 30, 255, 255)])
def test_kdf_parameters_this_program_never_writes_are_refused_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, params: tuple[int, ...]) -> None:
    import struct

    from forms import crypto

    monkeypatch.setattr(crypto, "_derive_raw", lambda *a: pytest.fail("scrypt ran"))
    hostile = tmp_path / "costly.yibao"
    hostile.write_bytes(struct.pack(">8sBBBB16s12s", b"YIBAOENC", *params, b"s" * 16,
                                    b"n" * 12) + os.urandom(4096))
    for passphrase in (None, "anything at all"):
        with pytest.raises(ArchiveUnsafe) as err:
            storage.load(hostile, passphrase=passphrase)
        assert err.value.params["reason"] == "kdf_unsupported"


def test_a_sealed_file_over_the_size_cap_is_refused_by_its_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from forms import crypto

    big = tmp_path / "big.yibao"
    head = crypto.seal(b"PK", crypto.derive("12345678", version=1))[:crypto.HEADER_SIZE]
    with big.open("wb") as fh:                     # sparse: takes no disk space
        fh.write(head)
        fh.truncate(storage.MAX_ARCHIVE_BYTES + crypto.OVERHEAD + 1)
    monkeypatch.setattr(crypto, "_derive_raw", lambda *a: pytest.fail("scrypt ran"))
    with pytest.raises(ArchiveUnsafe) as err:
        storage.load(big, passphrase="12345678")
    assert err.value.params["reason"] == "sealed_too_large"


def test_saving_sealed_over_a_plain_file_leaves_no_plaintext_backup(
        sample_dir: Path, tmp_path: Path) -> None:
    dest = tmp_path / "work.yibao"
    _save_sample(sample_dir, dest)
    assert b"410102199203080262" in zipfile.ZipFile(dest).read("application.json")
    with storage.load(dest) as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase="门口的梧桐树2026")
    bak = dest.with_name("work.yibao.bak")
    for path in (dest, bak):
        data = path.read_bytes()
        assert data.startswith(b"YIBAOENC") and b"PK\x03\x04" not in data
        assert path.stat().st_mode & 0o077 == 0
    with storage.load(bak, passphrase="门口的梧桐树2026") as previous:   # still usable
        assert previous.app.applicant.id_number == "410102199203080262"
    with storage.load(dest, passphrase="门口的梧桐树2026") as opened:  # sealed over sealed
        storage.save(opened.app, opened.base_dir, dest, passphrase=opened.key)
    assert bak.read_bytes().startswith(b"YIBAOENC")


def test_archives_are_extracted_into_the_private_scratch_folder(
        sample_dir: Path, tmp_path: Path, runtime_dir: Path) -> None:
    dest = tmp_path / "a.yibao"
    _save_sample(sample_dir, dest)
    with storage.load(dest) as opened:
        assert opened.base_dir.parent == runtime_dir
        assert stat.S_IMODE(runtime_dir.stat().st_mode) == 0o700
        assert stat.S_IMODE(opened.base_dir.stat().st_mode) == 0o700
    assert list(runtime_dir.iterdir()) == []
