"""Everything the app keeps about a person — log, settings, recovery copies, lock files and
their folders — is readable by the owner only, even under a umask of 000.

The app runs in a child process with HOME in a temporary folder (so the real default
places are used: ~/.local/state, ~/.config, ~/.local/share) and a permissive umask, starts
as ``desktop.app.main`` does, opens an application, changes settings, writes its recovery
copy and logs enough to rotate the log.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

_CHILD = r"""
import json, logging, os, sys
os.umask(0)
from PySide6.QtWidgets import QApplication
app = QApplication([])
app.setApplicationName("yibao-desk"); app.setOrganizationName("yibao-desk")
from desktop.app import build
from desktop.errors import setup_logging
log_path = setup_logging()
window = build(); window.show(); window.files.open_sample()
window.settings.language = "en"
window.settings.add_recent(str(window.session.path))
window.settings.store.sync()
window.session.set_value("applicant.name", "王五")
window.session.write_recovery()
log = logging.getLogger("yibao")
log.warning("typed idX110105194912310021 and ID:１１０１０５１９４９１２３１００２Ｘabc")
for handler in logging.getLogger().handlers:
    if hasattr(handler, "doRollover"):
        handler.doRollover()
log.warning("after rotation, account 6222020200112233445")
logging.shutdown()
print(json.dumps({"log": str(log_path), "settings": window.settings.store.fileName(),
                  "recovery": str(window.session.workspace.recovery)}))
sys.stdout.flush()
os._exit(0)   # as a crash would: the recovery copy and the workspace stay
"""


def _modes(folder: Path) -> dict[str, str]:
    found = {str(folder): oct(stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        found[str(path)] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def test_logs_settings_and_recovery_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k != "YIBAO_DATA_DIR"}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", _CHILD], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    paths = {k: Path(v) for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}
    for path in paths.values():
        assert home in path.parents and path.is_file()          # the default places
    assert (paths["log"].parent / (paths["log"].name + ".1")).is_file()   # it rotated

    ours = [home / ".local" / "state" / "yibao-desk", home / ".config" / "yibao-desk",
            home / ".local" / "share" / "yibao-desk"]
    modes: dict[str, str] = {}
    for folder in ours:
        assert folder.is_dir(), folder
        modes.update(_modes(folder))
    wrong = {path: mode for path, mode in modes.items()
             if mode != ("0o700" if Path(path).is_dir() else "0o600")}
    assert wrong == {}
    assert any(p.endswith(".lock") for p in modes) and any(p.endswith(".json") for p in modes)

    logged = "".join(p.read_text(encoding="utf-8") for p in paths["log"].parent.iterdir())
    assert "after rotation" in logged and "typed idX110105" in logged
    for secret in ("110105194912310021", "１１０１０５１９４９１２３１００２Ｘ",
                   "6222020200112233445"):
        assert secret not in logged
