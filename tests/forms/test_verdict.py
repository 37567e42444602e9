"""The whole verdict from the command line: what the materials show is part of `check`,
and `export` refuses without --draft on any of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli import main
from forms.analysis.cache import cache_file, parse_cache, read_cache_file
from forms.analysis.model import ANALYSIS_VERSION
from tests.conftest import TODAY
from tests.support.scenarios import SCENARIOS, build

ON = ("--on", TODAY.isoformat())


def _check(capsys: pytest.CaptureFixture[str], app: Path, *extra: str) -> tuple[int, dict]:
    code = main(["check", str(app), *ON, "--format", "json", "--lang", "en", *extra])
    out, _err = capsys.readouterr()
    return code, json.loads(out)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_check_and_export_report_what_the_materials_show(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app = build(name, tmp_path)
    _answers, _images, codes, exit_code = SCENARIOS[name]
    code, report = _check(capsys, app)
    found = {f["code"] for f in report["findings"]}
    assert codes <= found, found
    assert code == exit_code
    for f in report["findings"]:
        if f["code"] in codes and f["code"].startswith("material."):
            assert f["field"].startswith("materials.")
    pdf = tmp_path / f"{name}.pdf"
    code = main(["export", str(app), "-o", str(pdf), *ON, "--lang", "en"])
    out, _ = capsys.readouterr()
    if exit_code:
        assert code == 1 and not pdf.exists()
        assert "not written" in out.lower() or "draft" in out.lower()
    else:
        assert code == 0 and pdf.exists()


def test_wrong_person_names_who_the_card_shows(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    app = build("wrong_person", tmp_path)
    code = main(["check", str(app), *ON, "--lang", "en"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert "shows 李文静, not 张伟" in out, out


def test_draft_cover_lists_the_material_findings(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    app = build("two_face", tmp_path)
    pdf = tmp_path / "draft.pdf"
    assert main(["export", str(app), "-o", str(pdf), *ON, "--draft"]) == 0
    capsys.readouterr()
    cover = PdfReader(str(pdf)).pages[0].extract_text()
    assert "照片中有 2 张人脸" in cover.replace("\n", "")


def test_analyses_are_cached_beside_the_application_and_reused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = build("wrong_person", tmp_path, shipped=False)
    first_code, first = _check(capsys, app)
    cached = cache_file(app)
    assert cached.is_file() and cached.stat().st_mode & 0o777 == 0o600
    assert len(parse_cache(cached.read_bytes())) == 4

    import forms.analysis.compute as compute

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("analysed again although cached")

    monkeypatch.setattr(compute, "analyse", refuse)
    second_code, second = _check(capsys, app)
    assert (second_code, second["findings"]) == (first_code, first["findings"])


def test_a_changed_file_is_analysed_again(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    app = build("two_face", tmp_path)
    assert "photo.many_faces" in {f["code"] for f in _check(capsys, app)[1]["findings"]}
    # the user replaces the photo with the sample's one-person portrait (same name)
    from tests.support.scenarios import COMPLETE

    (app.parent / "materials" / "photo.jpg").write_bytes(
        (COMPLETE / "materials" / "photo.jpg").read_bytes())
    assert "photo.many_faces" not in {f["code"] for f in _check(capsys, app)[1]["findings"]}


GARBAGE = [b"{", b"[]", b'{"analyses": 5}', b'{"analyses": [{"sha256": "x"}]}', b"x" * 3_000_000]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_a_hostile_cache_reads_as_no_cache(garbage: bytes, tmp_path: Path) -> None:
    cached = tmp_path / ".yibao-cache" / "analyses.json"
    cached.parent.mkdir()
    cached.write_bytes(garbage)
    assert read_cache_file(cached) == {}


def test_a_hostile_cache_is_ignored_and_recomputed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """End to end once (each shape of garbage reads as no cache, above): every file is
    analysed again and the verdict is the true one."""
    app = build("two_face", tmp_path)
    cached = cache_file(app)   # the shipped analyses replaced by garbage
    cached.write_bytes(GARBAGE[3])
    code, report = _check(capsys, app)
    assert code == 1 and "photo.many_faces" in {f["code"] for f in report["findings"]}
    assert len(read_cache_file(cached)) == 4       # and the cache is whole again


def test_a_forged_clean_bill_for_other_bytes_is_not_taken(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A cache entry claiming the photo is fine, keyed to other bytes, changes nothing."""
    app = build("two_face", tmp_path)
    _check(capsys, app)
    cached = cache_file(app)
    data = json.loads(cached.read_bytes())
    for entry in data["analyses"]:
        if entry["kind"] == "photo":
            entry["findings"], entry["faces"] = [], 1
            entry["sha256"] = "0" * 64
    cached.write_text(json.dumps(data))
    code, report = _check(capsys, app)
    assert code == 1 and "photo.many_faces" in {f["code"] for f in report["findings"]}


def test_unknown_finding_codes_in_a_cache_are_dropped() -> None:
    entry = {"sha256": "a" * 64, "version": ANALYSIS_VERSION, "setup": "0" * 16, "kind": "photo",
             "findings": [{"code": "made.up", "severity": "error"}]}
    assert parse_cache(json.dumps({"analyses": [entry]}).encode()) == {}
    entry["findings"] = []
    assert len(parse_cache(json.dumps({"analyses": [entry]}).encode())) == 1


def test_no_read_skips_ocr_and_says_so(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    app = build("wrong_person", tmp_path, shipped=False)
    code, report = _check(capsys, app, "--no-read")
    found = {f["code"] for f in report["findings"]}
    assert "material.not_read" in found
    assert "material.name_differs" not in found
    assert code == 0


def test_read_only_folder_means_no_cache_not_a_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    app = build("two_face", tmp_path, shipped=False)
    os.chmod(app.parent, 0o555)
    try:
        if os.access(app.parent, os.W_OK):
            pytest.skip("running as root: the folder stays writable")
        code, _report = _check(capsys, app)
        assert code == 1 and not cache_file(app).exists()
    finally:
        os.chmod(app.parent, 0o755)


def test_a_yibao_carries_its_analyses_and_a_bad_member_is_ignored(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    from forms import storage
    from forms.analysis.cache import cache_for, dump_cache
    from forms.analysis.compute import analyse_all

    app_json = build("two_face", tmp_path)
    with storage.load(app_json) as opened:
        analyses, _fresh = analyse_all(opened.app, opened.base_dir, cache_for(opened),
                                       read=True)
        dest = tmp_path / "saved.yibao"
        storage.save(opened.app, opened.base_dir, dest,
                     analyses=dump_cache(analyses.values()))
    with storage.load(dest) as reopened:
        assert len(cache_for(reopened)) == 4
    code, report = _check(capsys, dest)
    assert code == 1 and "photo.many_faces" in {f["code"] for f in report["findings"]}

    # A member that is too large or not JSON is ignored: the file opens, analyses are made
    # (end to end once; the too-large one only opens without analyses).
    for bad in (b"[" * (storage.MAX_ANALYSES_BYTES + 10), b"\x00not json"):
        forged = tmp_path / "forged.yibao"
        with zipfile.ZipFile(dest) as src, zipfile.ZipFile(forged, "w") as out:
            for info in src.infolist():
                if info.filename != storage.ANALYSES_MEMBER:
                    out.writestr(info, src.read(info))
            out.writestr(storage.ANALYSES_MEMBER, bad)
        with storage.load(forged) as opened:
            assert cache_for(opened) == {}
    code, report = _check(capsys, forged)
    assert code == 1 and "photo.many_faces" in {f["code"] for f in report["findings"]}


def test_a_doubtful_crop_is_never_printed_as_true_size(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pypdf import PdfReader

    ok = tmp_path / "ok.pdf"
    assert main(["export", str(build("swapped_side", tmp_path)), "-o", str(ok), *ON,
                 "--draft"]) == 0
    bad = tmp_path / "bad.pdf"
    assert main(["export", str(build("bad_crop", tmp_path)), "-o", str(bad), *ON,
                 "--draft"]) == 0
    capsys.readouterr()

    def says_true_size(pdf: Path) -> bool:
        return any("实际尺寸" in page.extract_text().replace("\n", "")
                   for page in PdfReader(str(pdf)).pages)

    assert says_true_size(ok) and not says_true_size(bad)
