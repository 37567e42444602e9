"""Inputs that used to end in "something unexpected" (or never end): each gets its own
line on stderr, exit 2 and no traceback, within seconds. Pipes and devices are tried in
a child process under ``timeout``, because the failure there was hanging forever."""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from cli import main
from cli.output import json_text
from forms import scratch, storage
from forms.messages import printable
from tests.conftest import ROOT
from tests.hostile.corpus import application
from tests.support.shipped import shipped

ON = ["--on", "2026-11-25"]
CHILD_S = 20   # a hang fails the test instead of the run


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and stderr of a command that must refuse its input (nothing on stdout)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert out == "", out
    return code, err


def _one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n") and "Traceback" not in err, err
    assert "unexpected" not in err and "意外" not in err, err
    return lines[0]


def _child(*argv: str | bytes, env: dict[bytes, bytes] | None = None
           ) -> subprocess.CompletedProcess[bytes]:
    """The command line in its own process, killed by coreutils ``timeout`` if it hangs."""
    base = {k.encode(): v.encode() for k, v in os.environ.items()}
    base[b"PYTHONPATH"] = str(ROOT).encode()
    code = "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(["timeout", str(CHILD_S), sys.executable, "-c", code, *argv],
                          env={**base, **(env or {})}, cwd=ROOT, capture_output=True,
                          timeout=CHILD_S + 10)


def _child_line(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)   # 124: timeout killed it
    return _one_line(proc.stderr.decode("utf-8"))


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


APP = json.dumps(application()).encode()


@pytest.mark.parametrize(("lang", "phrase"), [("en", "thousands of digits"), ("zh", "数千位")])
def test_a_number_with_5000_digits(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   lang: str, phrase: str) -> None:
    text = APP.decode().replace('"gap_years": 0', '"gap_years": ' + "9" * 5000)
    assert "9" * 5000 in text
    (tmp_path / "application.json").write_text(text, encoding="utf-8")
    code, err = _run(capsys, "check", str(tmp_path / "application.json"), *ON, "--lang", lang)
    assert code == 2 and phrase in _one_line(err)


@pytest.mark.parametrize("name", ["a" * 256 + ".jpg", "身" * 90 + ".jpg", "😀" * 70])
def test_an_archive_member_name_over_255_bytes(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, name: str) -> None:
    assert len(name.encode()) > 255
    path = _archive(tmp_path / "a.yibao", {"application.json": APP, f"materials/{name}": b"x"})
    code, err = _run(capsys, "check", str(path), *ON, "--lang", "en")
    line = _one_line(err)
    assert code == 2 and "longer than 255 bytes" in line and len(line) < 300


@pytest.mark.parametrize("corners", ["nan,1,2,3,4,5,6,7", "1,2,inf,4,5,6,7,8",
                                     "1,2,3,4,5,6,7,-Infinity"])
def test_corners_that_are_not_numbers_on_the_command_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, corners: str) -> None:
    image = tmp_path / "card.jpg"
    Image.new("RGB", (400, 260), "white").save(image)
    code, err = _run(capsys, "scan", str(image), "-o", str(tmp_path / "out.jpg"),
                     "--kind", "id_card_front", "--corners", corners, "--lang", "en")
    assert code == 2 and "not nan or inf" in _one_line(err)
    assert not (tmp_path / "out.jpg").exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_corners_stored_in_a_file_that_are_not_numbers(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, value: str) -> None:
    material = {"kind": "id_card_front", "file": "materials/a.jpg",
                "corners": [[0, 0], [100, 0], [100, 60], [0, 60]]}
    text = json.dumps(application([material])).replace("[0, 0]", f"[{value}, 0]")
    (tmp_path / "materials").mkdir()
    Image.new("RGB", (400, 260), "white").save(tmp_path / "materials" / "a.jpg")
    (tmp_path / "application.json").write_text(text, encoding="utf-8")
    code, err = _run(capsys, "check", str(tmp_path / "application.json"), *ON, "--lang", "en")
    assert code == 2 and "NaN and infinity are not allowed" in _one_line(err)


def test_a_passphrase_that_is_not_utf8(sample_dir: Path, tmp_path: Path) -> None:
    sealed = tmp_path / "s.yibao"
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, sealed, passphrase="门口的梧桐树2026",
                     analyses=shipped(opened))
    gbk = "门口的梧桐树2026".encode("gbk")   # typed in a GBK terminal
    proc = _child("check", str(sealed), "--lang", "en", env={b"YIBAO_PASSPHRASE": gbk})
    assert "YIBAO_PASSPHRASE is not valid UTF-8" in _child_line(proc)


def test_check_dev_zero_ends_at_once() -> None:
    proc = _child("check", "/dev/zero", "--lang", "en")
    assert "not a regular file" in _child_line(proc)


@pytest.mark.parametrize("suffix", [".json", ".yibao"])
def test_a_pipe_as_the_application_file_ends_at_once(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"application{suffix}"
    os.mkfifo(fifo)
    for command in (["check", str(fifo)], ["export", str(fifo), "-o", str(tmp_path / "p.pdf")]):
        proc = _child(*command, "--lang", "zh")
        assert "不是普通文件" in _child_line(proc)


def test_a_folder_as_the_application_file(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    code, err = _run(capsys, "check", str(tmp_path), "--lang", "en")
    assert code == 2 and "it is a folder" in _one_line(err)


def _sample_archive(sample_dir: Path, dest: Path) -> Path:
    with storage.load(sample_dir / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest,
                     analyses=shipped(opened))
    return dest


def test_no_room_for_the_temporary_folder(capsys: pytest.CaptureFixture[str],
                                          sample_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    archive = _sample_archive(sample_dir, tmp_path / "a.yibao")

    def full(*args: object, **kw: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(scratch, "Scratch", full)
    code, err = _run(capsys, "check", str(archive), "--lang", "en")
    assert code == 2 and "There is no space left in" in _one_line(err)
    assert str(scratch.private_root()) in err


def test_a_full_temporary_folder_for_real(sample_dir: Path, tmp_path: Path) -> None:
    """A 64 KiB tmpfs as the scratch folder, in a mount namespace of the child's own."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare here")
    archive = _sample_archive(sample_dir, tmp_path / "a.yibao")
    small = tmp_path / "small-tmp"
    small.mkdir()
    probe = subprocess.run(["unshare", "-rm", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs",
                            str(small)], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode().strip()}")
    code = "import sys; from cli import main; sys.exit(main(sys.argv[1:]))"
    child = shlex.join(["timeout", str(CHILD_S), sys.executable, "-c", code, "check",
                        str(archive), "--lang", "en"])
    mount = shlex.join(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)])
    proc = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{mount} && exec {child}"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "YIBAO_RUNTIME_DIR": str(small)}, cwd=ROOT,
        capture_output=True, timeout=CHILD_S + 10)
    assert proc.returncode == 2, proc.stderr
    line = _one_line(proc.stderr.decode())
    assert "There is no space left in" in line and str(small) in line


def test_escape_sequences_from_a_file_are_shown_not_sent(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path) -> None:
    evil = "\x1b]0;owned\x07\x1b[2K\r\u202e"
    controls = "\x1b\x07\r\u202e"
    path = _archive(tmp_path / "a.yibao", {"application.json": APP,
                                           f"materials/{evil}.jpg": b"x"})
    code, err = _run(capsys, "check", str(path), "--lang", "en")
    line = _one_line(err)
    assert code == 2 and not any(ch in line for ch in controls)
    assert "\\x1b]0;owned\\x07\\x1b[2K\\x0d\\u202e" in line

    data = json.loads(APP)
    data["applicant"][f"name{evil}"] = "x"    # an unknown key is named in the message
    (tmp_path / "application.json").write_text(json.dumps(data), encoding="utf-8")
    code, err = _run(capsys, "check", str(tmp_path / "application.json"), "--lang", "zh")
    line = _one_line(err)
    assert code == 2 and not any(ch in line for ch in controls) and "\\x1b" in line


def test_a_material_name_with_escapes_is_refused_and_shown_escaped(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = json.dumps(application([{"kind": "photo", "file": "materials/\x1b[31mred.jpg"}]))
    (tmp_path / "application.json").write_text(text, encoding="utf-8")
    code, err = _run(capsys, "check", str(tmp_path / "application.json"), "--lang", "en")
    line = _one_line(err)
    assert code == 2 and "\x1b" not in line and "materials/\\x1b[31mred.jpg" in line


def test_printable_and_json_text_escape_what_a_terminal_would_act_on() -> None:
    assert printable("普通 name.jpg") == "普通 name.jpg"
    assert printable("a\x1b[2Kb\x9bc\u202ed\te") == "a\\x1b[2Kb\\x9bc\\u202ed\\x09e"
    text = json_text({"file": "a\x1b\x9b\u202e身"})
    assert json.loads(text) == {"file": "a\x1b\x9b\u202e身"}
    assert not any(ch in text for ch in "\x1b\x9b\u202e") and "身" in text
