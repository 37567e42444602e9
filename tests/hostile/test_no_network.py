"""The app and the command line open no network connection during a full journey.

A child process installs an audit hook before importing anything of ours, then runs every
command and the desktop journey; the hook records every connect, name lookup, send and
non-loopback bind. There must be none. (urllib3, imported by the OCR package for model
downloads that never happen here, binds a socket to ::1 at import to probe for IPv6: a
loopback probe, not a connection.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SAMPLES

_JOURNEY = r"""
import json, sys
events = []
NETWORK = {{"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
            "socket.sendmsg", "urllib.Request", "http.client.connect"}}
LOOPBACK = ("::1", "127.0.0.1", "localhost")
def hook(name, args):
    if name in NETWORK:
        events.append(f"{{name}} {{args[1:]!r}}")
    elif name == "socket.bind" and args[1][0] not in LOOPBACK:
        events.append(f"{{name}} {{args[1]!r}}")
sys.addaudithook(hook)
sys.path.insert(0, {root!r})
from pathlib import Path
out = Path({out!r})
from forms.cli import main
sample = {sample!r}
assert main(["check", sample, "--on", "2026-11-25"]) == 0
assert main(["export", sample, "-o", str(out / "p.pdf"), "--on", "2026-11-25"]) == 0
front = str(Path(sample).parent / "materials" / "id-front.jpg")
assert main(["scan", front, "-o", str(out / "f.png"), "--kind", "id_card_front"]) == 0
assert main(["read", front, "--kind", "id_card_front"]) == 0
assert main(["photo", str(Path(sample).parent / "materials" / "photo.jpg"), "-o",
             str(out / "p.jpg"), "--spec", "sscard", "--whiten"]) == 0
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop.app import build
from desktop import tasks
w = build(); w.show(); w.files.open_sample()
page = w.pages["export"]
page.export(out / "gui.pdf")
while page.result is None:
    app.processEvents(); tasks.wait_all(50)
w.session.save(out / "s.yibao")
w.session.dirty = False; w.close()
print(json.dumps(events))
"""


def test_a_full_journey_opens_no_socket(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "YIBAO_DATA_DIR": str(tmp_path / "d"),
           "XDG_CONFIG_HOME": str(tmp_path / "c")}
    code = _JOURNEY.format(root=str(ROOT), out=str(tmp_path),
                           sample=str(SAMPLES / "complete" / "application.json"))
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = json.loads(proc.stdout.strip().splitlines()[-1])
    assert events == []
    assert (tmp_path / "gui.pdf").exists() and (tmp_path / "s.yibao").exists()


def test_the_hook_would_see_a_connection(tmp_path: Path) -> None:
    header = _JOURNEY.split("sys.path.insert", 1)[0].format(root=str(ROOT), out="", sample="")
    code = header + (
        "import socket\n"
        "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError:\n    pass\n"
        "print(json.dumps(events))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    events = json.loads(proc.stdout.strip().splitlines()[-1])
    assert any(e.startswith("socket.connect") for e in events), proc.stderr
