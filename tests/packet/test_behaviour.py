"""Drafts, refusals, passwords, missing glyphs and fonts, cancelling, and never half a file."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from cli import main
from forms.analysis.cache import cache_for
from forms.application import Application
from forms.errors import Cancelled, DiskFull, FontMissing, FontUnusable, NotReady
from forms.packet import fonts
from forms.packet.builder import build_packet
from forms.profiles import load_profile
from forms.storage import load
from tests.conftest import SAMPLES
from tests.packet.conftest import ON

NATIONAL = load_profile("national")


def _build(dest: Path, sample: str = "complete", **kw: object):  # type: ignore[no-untyped-def]
    with load(SAMPLES / sample / "application.json") as opened:
        app = kw.pop("app", opened.app)
        kw.setdefault("analyses", cache_for(opened))
        return build_packet(app, NATIONAL, opened.base_dir, dest, on=ON, **kw)  # type: ignore[arg-type]


def test_an_incomplete_application_is_refused_and_nothing_written(tmp_path: Path) -> None:
    dest = tmp_path / "p.pdf"
    with pytest.raises(NotReady) as info:
        _build(dest, "incomplete")
    assert {f.code for f in info.value.findings} >= {"id_number.checksum", "mobile.format"}
    assert not dest.exists() and not list(tmp_path.iterdir())


def test_a_draft_is_marked_on_every_page(tmp_path: Path) -> None:
    result = _build(tmp_path / "d.pdf", "incomplete", draft=True)
    assert result.draft
    for page in PdfReader(str(result.path)).pages:
        assert "草稿 / DRAFT" in page.extract_text()


def test_password_protection(tmp_path: Path) -> None:
    result = _build(tmp_path / "s.pdf", password="示例密码-2026")
    reader = PdfReader(str(result.path))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(str(result.path)).decrypt("wrong")
    ok = PdfReader(str(result.path))
    assert ok.decrypt("示例密码-2026")
    assert "李文静" in ok.pages[0].extract_text()


def _with_name(name: str) -> Application:
    raw = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
    raw["applicant"]["name"] = name
    raw["bank"]["holder"] = name
    return Application.model_validate(raw)


def test_a_character_the_font_lacks_is_named_not_dropped(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # a machine with no font that has 䶮 (no fallback found)
    monkeypatch.setattr("forms.packet.builder.with_fallbacks", lambda font, texts: font)
    app = _with_name("王䶮")
    with pytest.raises(NotReady) as info:
        _build(tmp_path / "n.pdf", app=app)
    gaps = [f for f in info.value.findings if f.code == "packet.glyph_missing"]
    assert {(f.field, f.params["char"], f.params["codepoint"]) for f in gaps} == {
        ("applicant.name", "䶮", "U+4DAE"), ("bank.holder", "䶮", "U+4DAE")}
    draft = _build(tmp_path / "n.pdf", app=app, draft=True)
    text = PdfReader(str(draft.path)).pages[0].extract_text()
    assert "王(U+4DAE)" in text   # visible, never a hole


def test_no_chinese_font_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "candidates", lambda: [Path("/nonexistent/a.ttf")])
    with pytest.raises(FontMissing) as info:
        fonts.find_font()
    from forms.messages import render_error

    assert "fonts-wqy-microhei" in render_error(info.value, "zh")
    assert "fonts-wqy-microhei" in render_error(info.value, "en")


def test_a_chosen_font_that_is_not_a_font_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "font.ttf"
    bogus.write_bytes(b"not a font at all" * 100)
    with pytest.raises(FontUnusable):
        fonts.find_font(str(bogus))


def test_a_latin_only_font_is_refused_for_chinese(tmp_path: Path) -> None:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    with pytest.raises(FontUnusable) as info:
        fonts.find_font(str(vera))
    assert info.value.params["reason"] == "font_no_chinese"


class _CancelAfter:
    def __init__(self, steps: int) -> None:
        self.steps, self.seen = steps, 0

    def step(self, done: int, total: int, label: str) -> None:
        self.seen += 1

    def cancelled(self) -> bool:
        return self.seen >= self.steps


def test_cancel_stops_and_writes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "c.pdf"
    progress = _CancelAfter(2)
    with pytest.raises(Cancelled):
        _build(dest, progress=progress)
    assert not dest.exists()


def test_progress_reaches_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []

    class Record:
        def step(self, done: int, total: int, label: str) -> None:
            seen.append((done, total))

        def cancelled(self) -> bool:
            return False

    _build(tmp_path / "p.pdf", progress=Record())
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_full_disk_leaves_the_previous_packet(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "p.pdf"
    first = _build(dest)
    before = dest.read_bytes()
    real_replace = os.replace

    def full(src: str, dst: str) -> None:
        if str(dst).endswith(".pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFull):
        _build(dest)
    assert dest.read_bytes() == before and first.size_bytes == len(before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]


def test_cli_export(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    ok = tmp_path / "ok.pdf"
    assert main(["export", str(SAMPLES / "complete" / "application.json"), "-o", str(ok),
                 "--on", "2026-11-25", "--lang", "en"]) == 0
    assert "Wrote the packet" in capsys.readouterr().out and ok.exists()
    refused = tmp_path / "no.pdf"
    assert main(["export", str(SAMPLES / "incomplete" / "application.json"), "-o",
                 str(refused), "--on", "2026-11-25"]) == 1
    out = capsys.readouterr().out
    assert "--draft" in out and "校验位" in out and not refused.exists()
    for argv in (["export", str(tmp_path / "none.yibao"), "-o", str(ok)],
                 ["export", str(SAMPLES / "complete" / "application.json"), "-o",
                  str(tmp_path / "x.docx")],
                 ["export", str(SAMPLES / "complete" / "application.json"), "-o", str(ok),
                  "--font", str(tmp_path / "nofont.ttf")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_empty_pdf_password_is_refused_not_ignored(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = str(SAMPLES / "complete" / "application.json")
    dest = tmp_path / "p.pdf"
    empty_file = tmp_path / "empty.txt"
    empty_file.write_text("\n", encoding="utf-8")
    for argv, env in ((["--password", ""], None), (["--password-file", str(empty_file)], None),
                      ([], "")):
        if env is None:
            monkeypatch.delenv("YIBAO_PDF_PASSWORD", raising=False)
        else:
            monkeypatch.setenv("YIBAO_PDF_PASSWORD", env)
        assert main(["export", app, "-o", str(dest), "--lang", "en", *argv]) == 2
        err = capsys.readouterr().err
        assert "password is empty" in err and len(err.strip().splitlines()) == 1
        assert not dest.exists()


@pytest.mark.parametrize("source", ["file", "env"])
def test_the_pdf_password_can_stay_off_the_command_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        source: str) -> None:
    dest = tmp_path / "p.pdf"
    argv = ["export", str(SAMPLES / "complete" / "application.json"), "-o", str(dest),
            "--on", "2026-11-25"]
    monkeypatch.delenv("YIBAO_PDF_PASSWORD", raising=False)
    if source == "file":
        secret = tmp_path / "pw.txt"
        secret.write_text("示例密码-2026\n", encoding="utf-8")
        argv += ["--password-file", str(secret)]
    else:
        monkeypatch.setenv("YIBAO_PDF_PASSWORD", "示例密码-2026")
    assert main(argv) == 0
    reader = PdfReader(str(dest))
    assert reader.is_encrypted and not PdfReader(str(dest)).decrypt("示例密码-202")
    assert reader.decrypt("示例密码-2026") and "李文静" in reader.pages[0].extract_text()


def test_a_read_only_folder_gives_a_clear_message_and_no_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from forms import atomic
    from forms.errors import PermissionDenied
    from forms.messages import render_error

    dest = tmp_path / "p.pdf"
    dest.write_bytes(b"%PDF-1.4 the earlier packet")

    def read_only(*args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(atomic, "_create_temporary", read_only)   # no new file may be made
    with pytest.raises(PermissionDenied) as info:
        _build(dest)
    assert dest.read_bytes() == b"%PDF-1.4 the earlier packet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.pdf"]
    assert "原文件保持不变" in render_error(info.value, "zh")
