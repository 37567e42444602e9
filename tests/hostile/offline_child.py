"""What test_no_network runs in a child process under strace.

``python -m tests.hostile.offline_child journey OUT CARD`` does what a person does: the
command line's check, export, scan and read of a card, then the desktop app opening an
application (its cards are read by OCR), exporting the packet with the button and saving.
``telemetry-on CARD`` reads a card with onnxruntime imported and its telemetry enabled
before our code runs, as if the fix were missing. ``native`` connects a UDP socket through
libc from a thread, which a Python audit hook cannot recognise.

Nothing here may import onnxruntime (or anything of ours) at module level: the order of
imports is what the cases are about.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

# onnxruntime's telemetry client makes its first lookup some seconds after it starts
# (measured: 8-9 s): the journey lives at least this long after OCR has loaded.
LINGER_AFTER_OCR = 12.0

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "samples" / "complete"

# What the audit-hook version of the test watched: Python-level network calls.
HOOKED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
          "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
          "socket.sendmsg", "urllib.Request", "http.client.connect"}


def _wait(app: object, done: object) -> None:
    from desktop import tasks

    while not done():  # type: ignore[operator]
        app.processEvents()  # type: ignore[attr-defined]
        tasks.wait_all(50)


def journey(out: Path, card: Path) -> dict[str, object]:
    from cli import main
    from tests.support.shipped import copy_sample

    # The command line writes beside its input; the copy's analyses are signed as after
    # this user's own check of it, so the check reads no card again.
    copy_sample(SAMPLE, out / "sample")
    application = str(out / "sample" / "application.json")
    assert main(["check", application, "--on", "2026-11-25"]) == 0
    assert main(["export", application, "-o", str(out / "p.pdf"), "--on", "2026-11-25"]) == 0
    assert main(["scan", str(card), "-o", str(out / "f.png"), "--kind", "id_card_front"]) == 0
    assert main(["read", str(card), "--kind", "id_card_front"]) == 0
    ocr_loaded = time.monotonic()
    assert "onnxruntime" in sys.modules

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog

    app = QApplication([])
    from desktop.app import build

    # A copy whose shipped analyses lack the card's front, so the app's own analysis
    # process must read that card.
    from forms.analysis.cache import cache_file, read_cache_file, write_cache_file

    fresh = copy_sample(SAMPLE, out / "unread")
    known = read_cache_file(cache_file(fresh / "application.json"))
    write_cache_file(cache_file(fresh / "application.json"),
                     [a for a in known.values() if a.kind != "id_card_front"])
    window = build()
    window.show()
    assert window.files.open_file(fresh / "application.json")
    analyses = window.session.processor.analyses   # the session's own verdict data
    _wait(app, lambda: all(m.file in analyses for m in window.session.app.materials))
    read = [f for f, analysis in analyses.items()
            if analysis.read and analysis.kind == "id_card_front"]
    window.go("export")
    page = window.pages["export"]
    QFileDialog.getSaveFileName = staticmethod(  # type: ignore[method-assign]
        lambda *a, **k: (str(out / "gui.pdf"), "PDF (*.pdf)"))
    QTest.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    _wait(app, lambda: page.result is not None)
    window.session.save(out / "s.yibao")
    window.session.dirty = False
    window.close()
    time.sleep(max(0.0, LINGER_AFTER_OCR - (time.monotonic() - ocr_loaded)))
    return {"cards_read_in_app": len(read)}


def telemetry_on(card: Path) -> dict[str, object]:
    import onnxruntime

    onnxruntime.enable_telemetry_events()
    from cli import main

    assert main(["read", str(card), "--kind", "id_card_front"]) == 0
    time.sleep(150)  # the test ends the process once the tracer has seen the lookup
    return {}


def native() -> dict[str, object]:
    """A UDP connect through libc from a thread; UDP connect sends no packet, and
    192.0.2.1 is a documentation address."""
    import ctypes
    import socket
    import struct

    seen: list[str] = []
    sys.addaudithook(lambda name, args: seen.append(name) if name in HOOKED else None)
    libc = ctypes.CDLL(None, use_errno=True)

    def connect() -> None:
        fd = libc.socket(socket.AF_INET, socket.SOCK_DGRAM, 0)
        addr = struct.pack("=HH4s8x", socket.AF_INET, socket.htons(9),
                           socket.inet_aton("192.0.2.1"))
        libc.connect(fd, ctypes.c_char_p(addr), len(addr))
        libc.close(fd)

    thread = threading.Thread(target=connect)
    thread.start()
    thread.join()
    return {"hook_saw": seen}


def canary() -> None:
    """A loopback UDP connect (no packet is sent) that the trace must show, so a tracer
    that saw nothing cannot pass for a journey that did nothing."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("127.0.0.9", 9))
        except OSError:
            pass  # the tracer makes it fail


if __name__ == "__main__":
    print(os.getpid(), flush=True)
    canary()
    case, args = sys.argv[1], [Path(a) for a in sys.argv[2:]]
    result = {"journey": journey, "telemetry-on": telemetry_on, "native": native}[case](*args)
    print(json.dumps(result), flush=True)
