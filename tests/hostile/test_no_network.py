"""The app and the command line open no network connection, native threads included.

Each case runs tests/hostile/offline_child.py under ``strace -f``, which sees every
connect/send/bind system call of every thread, Python or native; strace also makes each
connect and send fail (ENETUNREACH), so nothing leaves the machine even when something
tries. HOME is a fresh folder, so anything written under ~/.cache/Microsoft shows.

Allowed: AF_UNIX and netlink sockets (local), and loopback traffic other than DNS (urllib3,
imported by the OCR package, binds a socket to ::1 at import to probe for IPv6). A name
lookup sent to a resolver on 127.0.0.53 is still a lookup, so port 53 counts everywhere.

Why not an audit hook: onnxruntime's telemetry looks up mobile.events.data.microsoft.com
from its own native threads, which no Python hook sees. The first test's control and the
second test show the tracer catches that lookup and a libc connect that the hook misses.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.forms.imaging_support import card_photo, save

STRACE = shutil.which("strace")
SENDS = "connect,sendto,sendmsg,sendmmsg"
# every thread; socket details on descriptors; only these calls, filtered in the kernel;
# each connect and send fails as if there were no network
FLAGS = ["-f", "-qq", "-yy", "--seccomp-bpf", "-e", f"trace={SENDS},bind",
         "-e", f"inject={SENDS}:error=ENETUNREACH"]
CANARY = '"127.0.0.9"'  # offline_child connects a UDP socket here first: loopback, allowed


def _strace_works() -> bool:
    if STRACE is None:
        return False
    return subprocess.run([STRACE, *FLAGS, "-o", os.devnull, "true"],
                          capture_output=True, timeout=30).returncode == 0


needs_strace = pytest.mark.skipif(
    not _strace_works(),
    reason="needs strace that may trace (scripts/sysdeps.sh test installs it; ptrace must be "
           "allowed)")

_CALL = re.compile(r"^\d+\s+(connect|sendto|sendmsg|sendmmsg|bind)\((.*)$")
_ADDR = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6?, )?"([^"]+)"')
_PORT = re.compile(r"htons\((\d+)\)")


def outside_attempts(trace: str) -> list[str]:
    """The traced calls that reach for the network: every inet connect or send except to
    loopback (and loopback DNS), and every bind to a non-loopback address."""
    found = []
    for line in trace.splitlines():
        match = _CALL.match(line)
        if not match:
            continue
        name, rest = match.groups()
        fd = rest.split(",", 1)[0]
        if "AF_UNIX" in rest or "AF_NETLINK" in rest or re.search(r"<(UNIX|NETLINK)", fd):
            continue
        addrs = [ipaddress.ip_address(a) for a in _ADDR.findall(rest)]
        port = _PORT.search(rest)
        loopback = bool(addrs) and all(a.is_loopback for a in addrs)
        if name == "bind":
            if not addrs or loopback:
                continue
        elif loopback and not (port and port.group(1) == "53"):
            continue
        found.append(line.strip())
    return found


def _env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    home = tmp_path / "home"
    home.mkdir()
    # Without CI: onnxruntime's telemetry client stays quiet when CI is set (seen under
    # .ci/run), which would prove nothing about a person's machine, where it is not.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k not in ("ORT_DISABLE_TELEMETRY", "CI")}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               YIBAO_DATA_DIR=str(tmp_path / "data"))
    return env, home


def _traced(tmp_path: Path, *args: str) -> list[str]:
    log = tmp_path / "strace.log"
    return [STRACE or "strace", *FLAGS, "-o", str(log),
            sys.executable, "-m", "tests.hostile.offline_child", *args]


def _card(tmp_path: Path) -> Path:
    return save(card_photo(12)[0], tmp_path / "card.jpg")


class _TelemetryLeftOn:
    """The control: a child that reads a card with onnxruntime's telemetry turned on before
    our code can turn it off. The tracer must see its native thread try the resolver, and
    a device ID must appear. It runs beside the journey: both wait seconds for the
    telemetry timer (8-9 s after the engine starts), and side by side they wait once."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        env, self.home = _env(folder)
        with (folder / "stderr").open("w") as err:
            self.proc = subprocess.Popen(_traced(folder, "telemetry-on", str(_card(folder))),
                                         env=env, cwd=ROOT, stdout=subprocess.PIPE,
                                         stderr=err, text=True)

    def lookups(self) -> list[str]:
        """The outside attempts the tracer saw, once it saw any (then the child is ended)."""
        first = self.proc.stdout.readline() if self.proc.stdout else ""
        child = int(first) if first.strip().isdigit() else 0
        log = self.folder / "strace.log"
        seen: list[str] = []
        deadline = time.monotonic() + 120  # a bound against hanging, not a speed assertion
        try:
            while not seen and self.proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.5)
                seen = outside_attempts(log.read_text()) if log.exists() else []
        finally:
            if child:
                os.kill(child, signal.SIGKILL)
            self.proc.wait(timeout=30)
        ended_early = not seen and self.proc.returncode not in (None, -signal.SIGKILL)
        assert not ended_early, self.stderr()           # a broken child fails
        return seen

    def stderr(self) -> str:
        return (self.folder / "stderr").read_text()[-3000:]


@needs_strace
def test_a_full_journey_opens_no_socket_and_the_tracer_sees_telemetry_left_on(
        tmp_path: Path) -> None:
    control = _TelemetryLeftOn(tmp_path / "telemetry-on")
    journey = tmp_path / "journey"
    journey.mkdir()
    env, home = _env(journey)
    out = journey / "out"
    out.mkdir()
    proc = subprocess.run(_traced(journey, "journey", str(out), str(_card(journey))),
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    seen = control.lookups()

    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["cards_read_in_app"] == 1          # the app really ran OCR
    assert (out / "p.pdf").exists() and (out / "gui.pdf").exists()
    assert (out / "s.yibao").exists()
    trace = (journey / "strace.log").read_text()
    assert CANARY in trace                            # the tracer was watching
    assert outside_attempts(trace) == []
    assert not (home / ".cache" / "Microsoft").exists()
    assert not [p for p in home.rglob("*") if "microsoft" in p.name.lower()]

    # The same trace fails the control: a native thread tried the resolver.
    if not seen and not (control.home / ".cache" / "Microsoft").exists():
        pytest.skip("the journey opened no socket; this onnxruntime build has no telemetry "
                    "client for the control to catch")
    assert any("htons(53)" in line for line in seen), control.stderr()
    assert (control.home / ".cache" / "Microsoft").is_dir()      # and its device ID


@needs_strace
def test_the_tracer_sees_a_native_connect_that_an_audit_hook_misses(tmp_path: Path) -> None:
    env, _home = _env(tmp_path)
    proc = subprocess.run(_traced(tmp_path, "native"), env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["hook_saw"] == []
    seen = outside_attempts((tmp_path / "strace.log").read_text())
    assert any('"192.0.2.1"' in line for line in seen), seen


@pytest.mark.parametrize("line, outside", [
    ('7 connect(8<UNIX-STREAM:[1]>, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0', False),
    ('7 bind(6<TCPv6:[2]>, {sa_family=AF_INET6, sin6_port=htons(0), '
     'inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0', False),
    ('7 connect(8<UDP:[3]>, {sa_family=AF_INET, sin_port=htons(53), '
     'sin_addr=inet_addr("127.0.0.53")}, 16) = -1 ENETUNREACH', True),
    ('7 connect(8<TCP:[4]>, {sa_family=AF_INET, sin_port=htons(443), '
     'sin_addr=inet_addr("13.69.109.130")}, 16 <unfinished ...>', True),
    ('7 sendto(9<UDP:[10.0.0.2:4000->10.255.255.53:53]>, "\\1", 1, 0, NULL, 0) = 1', True),
    ('7 bind(6<TCP:[5]>, {sa_family=AF_INET, sin_port=htons(80), '
     'sin_addr=inet_addr("0.0.0.0")}, 16) = 0', True),
])
def test_what_counts_as_reaching_outside(line: str, outside: bool) -> None:
    assert bool(outside_attempts(line)) is outside
