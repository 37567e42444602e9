from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli import main
from tests.conftest import ROOT, SAMPLES
from tests.support.shipped import shipped

COMPLETE = SAMPLES / "complete" / "application.json"
INCOMPLETE = SAMPLES / "incomplete" / "application.json"
ON = ["--on", "2026-11-25"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_complete_sample_passes(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    code, out, err = run(capsys, "check", str(COMPLETE), *ON, "--lang", lang)
    assert code == 0 and not err
    assert ("北京市" if lang == "zh" else "Beijing") in out   # the sample lives in Beijing


@pytest.mark.parametrize(("lang", "phrase"), [("zh", "校验位"), ("en", "check digit")])
def test_incomplete_sample_fails_with_findings(capsys: pytest.CaptureFixture[str], lang: str,
                                               phrase: str) -> None:
    code, out, _ = run(capsys, "check", str(INCOMPLETE), *ON, "--lang", lang)
    assert code == 1 and phrase in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(INCOMPLETE), *ON, "--format", "json",
                       "--lang", "en")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["findings"] and all(
        {"code", "severity", "field", "message"} <= set(f) for f in data["findings"])
    assert {f["severity"] for f in data["findings"]} <= {"error", "warning", "info"}
    assert {"flexible", "resident", "waiting"} <= set(data["estimates"])


def test_profile_option_overrides_the_application(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(COMPLETE), *ON, "--profile", "beijing",
                       "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["profile"]["id"] == "beijing"
    assert data["estimates"]["resident"]["yearly"]["value"] == 795


def test_a_yibao_file_checks_like_its_folder(capsys: pytest.CaptureFixture[str],
                                             sample_dir: Path, tmp_path: Path) -> None:
    from forms import storage

    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, tmp_path / "a.yibao",
                     analyses=shipped(opened))
    code, _, _ = run(capsys, "check", str(tmp_path / "a.yibao"), *ON)
    assert code == 0


def _bad_inputs(tmp: Path) -> dict[str, list[str]]:
    (tmp / "junk.json").write_text("{oops")
    (tmp / "empty.yibao").write_bytes(b"")
    (tmp / "fake.yibao").write_bytes(b"PK\x03\x04garbage")
    (tmp / "photo.jpg.yibao").write_bytes(b"\xff\xd8\xff\xe0JFIF")
    (tmp / "future.json").write_text(json.dumps({"schema_version": 99}))
    (tmp / "nowhere.json").write_text(json.dumps({"profile_id": "atlantis"}))
    (tmp / "folder").mkdir()
    with zipfile.ZipFile(tmp / "evil.yibao", "w") as zf:
        zf.writestr("application.json", "{}")
        zf.writestr("../../evil.txt", "x")
    return {
        "missing": ["check", str(tmp / "none.json")],
        "folder": ["check", str(tmp / "folder")],
        "malformed": ["check", str(tmp / "junk.json")],
        "empty archive": ["check", str(tmp / "empty.yibao")],
        "corrupt archive": ["check", str(tmp / "fake.yibao")],
        "wrongly named": ["check", str(tmp / "photo.jpg.yibao")],
        "future schema": ["check", str(tmp / "future.json")],
        "unknown profile in file": ["check", str(tmp / "nowhere.json")],
        "unknown profile option": ["check", str(COMPLETE), "--profile", "atlantis"],
        "bad date": ["check", str(COMPLETE), "--on", "2026-02-30"],
        "traversal": ["check", str(tmp / "evil.yibao")],
        "unknown command": ["frobnicate"],
        "no arguments to check": ["check"],
        "bad format": ["check", str(COMPLETE), "--format", "xml"],
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_unusable_input_exits_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path, lang: str) -> None:
    for name, argv in _bad_inputs(tmp_path).items():
        code, _out, err = run(capsys, *argv, "--lang", lang)
        assert code == 2, name
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, (name, err)
        if lang == "zh":
            assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), (name, err)


def test_profiles_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles", "--format", "json")
    ids = [p["id"] for p in json.loads(out)]
    assert code == 0 and ids[0] == "national" and "shenzhen" in ids
    code, out, _ = run(capsys, "profiles", "--lang", "en")
    assert code == 0 and "Beijing" in out and "verified 2025-12-31" in out
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and "applicant" in schema["properties"]


def test_the_installed_command_works_without_a_traceback(tmp_path: Path) -> None:
    exe = shutil.which("yibao-desk", path=str(Path(sys.executable).parent))
    assert exe, "the entry point is installed with the package"
    ok = subprocess.run([exe, "check", str(COMPLETE), *ON], capture_output=True, text=True,
                        timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = subprocess.run([exe, "check", str(tmp_path / "missing.yibao"), "--lang", "en"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [f"File not found: {tmp_path / 'missing.yibao'}."]


def test_the_cli_never_loads_qt() -> None:
    code = ("import sys; from cli import main; main(['profiles']); "
            "print('PySide6' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.stdout.strip().endswith("False")


def test_a_sealed_file_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                             sample_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from forms import storage

    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, tmp_path / "s.yibao", passphrase="12345678",
                     analyses=shipped(opened))
    monkeypatch.delenv("YIBAO_PASSPHRASE", raising=False)
    assert main(["check", str(tmp_path / "s.yibao"), *ON, "--lang", "en"]) == 2
    assert "YIBAO_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("YIBAO_PASSPHRASE", "12345678")
    assert main(["check", str(tmp_path / "s.yibao"), *ON]) == 0


def test_a_command_loads_only_its_own_machinery() -> None:
    """`check` is timed from a cold start: the PDF and batch modules are no use to it,
    while help and a mistyped command still list every command."""
    from tests.support.cold import imported_by

    exit_code, loaded = imported_by(
        ["check", str(SAMPLES / "complete" / "application.json"), "--on", "2026-11-25"],
        ("reportlab", "pypdf"), ("forms.packet", "forms.batch", "cli.batch", "cli.export"))
    assert exit_code == 0 and loaded == []
    from cli import build_parser

    listed = build_parser("nope")._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(listed) == {"check", "export", "read", "batch", "scan", "photo", "profiles",
                           "schema"}
