"""The one function every writer uses for a name read from a file, and the one check every
reader uses for a material path: attacked with what an attacker would put in a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from forms.errors import MaterialUnsafe
from forms.safenames import (
    MAX_NAME_BYTES,
    material_source,
    place,
    relative_material,
    safe_name,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("id-front.jpg", "id-front.jpg"),
    ("身份证 正面.jpg", "身份证 正面.jpg"),
    ("materials/001-a.jpg", "001-a.jpg"),
    ("../../../../../.bashrc", "bashrc"),
    ("../../victim", "victim"),
    ("/etc/passwd", "passwd"),
    ("/home/someone/secret.jpg/", None),        # a folder's name: nothing left
    ("..\\..\\Windows\\win.ini", "win.ini"),
    ("C:\\Users\\x\\evil.jpg", "evil.jpg"),
    ("C:evil.jpg", "evil.jpg"),
    ("c:", None),
    ("D:/x/y.png", "y.png"),
    ("a\x1b]0;pwned\x07b.jpg", "a_]0;pwned_b.jpg"),
    ("line\nbreak\r.jpg", "line_break_.jpg"),
    ("tab\tand\x7fdel.jpg", "tab_and_del.jpg"),
    ("gnp.\u202eexe.jpg", "gnp._exe.jpg"),    # a right-to-left override
    ('a<b>c:d"e|f?g*h.jpg', "a_b_c_d_e_f_g_h.jpg"),
    ("CON", "_CON"),
    ("con.jpg", "_con.jpg"),
    ("NUL.txt", "_NUL.txt"),
    ("nul", "_nul"),
    ("COM1.jpg", "_COM1.jpg"),
    ("lpt1.tar.gz", "_lpt1.tar.gz"),
    ("LPT9 .jpg", "_LPT9 .jpg"),
    ("COM¹.png", "_COM¹.png"),
    ("CONSOLE.jpg", "CONSOLE.jpg"),             # only the exact device names
    ("name.jpg.", "name.jpg"),
    ("name.jpg . . ", "name.jpg"),
    ("  spaced.jpg  ", "spaced.jpg"),
    (".hidden.jpg", "hidden.jpg"),
    ("", None),
    (".", None),
    ("..", None),
    ("...", None),
    (". .", None),
    ("/", None),
    ("a/..", None),
    ("\x01\x02", None),                        # only controls: nothing but underscores left
])
def test_names_are_reduced_or_refused(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(MaterialUnsafe) as caught:
            safe_name(raw, file="application.json")
        assert caught.value.params["material"] == raw
        assert caught.value.params["file"] == "application.json"
    else:
        assert safe_name(raw) == expected


def test_nul_is_refused_naming_the_material() -> None:
    with pytest.raises(MaterialUnsafe) as caught:
        safe_name("evil.exe\x00.jpg", file="a.json")
    assert caught.value.params["material"] == "evil.exe\x00.jpg"
    assert caught.value.params["reason"] == "material_bad_name"


@pytest.mark.parametrize("stem", ["a" * 300, "身" * 120, "😀" * 80, "a" * 254 + "é" * 3])
def test_overlong_names_are_cut_on_a_character_boundary_keeping_the_suffix(stem: str) -> None:
    name = safe_name(stem + ".jpg")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert name.endswith(".jpg") and stem.startswith(name[:-4])
    name.encode("utf-8").decode("utf-8")        # whole characters only


def test_an_overlong_suffix_is_not_kept_at_the_expense_of_the_name() -> None:
    name = safe_name("x." + "y" * 400)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES and name.startswith("x.")


def test_room_leaves_space_for_a_prefix() -> None:
    assert len(safe_name("身" * 200 + ".png", room=100).encode()) <= 100


@pytest.mark.parametrize("raw", ["a.jpg", "CON.jpg", "../../x", "身" * 200 + ".jpg",
                                 "C:\\a\\b", "x\x1by.png"])
def test_the_reduction_is_stable(raw: str) -> None:
    once = safe_name(raw)
    assert safe_name(once) == once


@pytest.mark.parametrize("raw", ["../../victim", "/abs/x.jpg", "C:\\x.jpg", "a/b/c.jpg",
                                 "aux.png", "q" * 600])
def test_place_stays_directly_inside_the_folder(tmp_path: Path, raw: str) -> None:
    target = place(tmp_path, raw)
    assert target.parent == tmp_path
    target.write_bytes(b"x")                    # the OS accepts it, too
    assert target.resolve().parent == tmp_path.resolve()


@pytest.mark.parametrize(("raw", "reason"), [
    ("../x.jpg", "material_outside"),
    ("materials/../../x.jpg", "material_outside"),
    ("/etc/passwd", "material_outside"),
    ("/tmp/secret.jpg/", "material_outside"),
    ("materials/x/", "material_not_regular"),
    ("materials\\x.jpg", "material_bad_name"),
    ("C:x.jpg", "material_bad_name"),
    ("materials/x\x00.jpg", "material_bad_name"),
    ("materials/\x1b[2Kx.jpg", "material_bad_name"),
    ("", "material_bad_name"),
])
def test_material_paths_that_leave_their_folder_are_refused(raw: str, reason: str) -> None:
    with pytest.raises(MaterialUnsafe) as caught:
        relative_material(raw, file="application.json")
    assert caught.value.params["reason"] == reason


def test_material_source_follows_links_only_inside(tmp_path: Path) -> None:
    folder = tmp_path / "app"
    (folder / "materials").mkdir(parents=True)
    (folder / "materials" / "ok.jpg").write_bytes(b"x")
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"secret")
    os.symlink(secret, folder / "materials" / "link.jpg")
    os.symlink(tmp_path, folder / "up")
    os.symlink(folder / "materials" / "ok.jpg", folder / "materials" / "inside.jpg")
    os.symlink(folder / "nowhere", folder / "materials" / "dangling.jpg")
    assert material_source(folder, "materials/ok.jpg") == (folder / "materials/ok.jpg").resolve()
    assert material_source(folder, "materials/inside.jpg") is not None
    assert material_source(folder, "materials/missing.jpg") is None
    for raw, reason in [("materials/link.jpg", "material_outside"),
                        ("up/secret.jpg", "material_outside"),
                        ("materials/dangling.jpg", "material_not_regular"),
                        ("materials", "material_not_regular")]:
        with pytest.raises(MaterialUnsafe) as caught:
            material_source(folder, raw, file="application.json")
        assert caught.value.params["reason"] == reason, raw


def test_a_pipe_or_device_is_never_a_material(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jpg")
    os.symlink("/dev/zero", tmp_path / "zero.jpg")
    with pytest.raises(MaterialUnsafe, match=r"pipe\.jpg"):
        material_source(tmp_path, "pipe.jpg")
    with pytest.raises(MaterialUnsafe):
        material_source(tmp_path, "zero.jpg")
