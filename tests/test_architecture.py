"""The domain must run without Qt: forms/ never imports PySide6 or a front end, and its
layers (pyproject.toml, import-linter) hold."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

_BLOCK_AND_IMPORT = r"""
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "desktop", "cli"):
            raise ImportError(f"forbidden import of {name}")
        return None

sys.meta_path.insert(0, Block())
import forms
names = [m.name for m in pkgutil.walk_packages(forms.__path__, "forms.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_forms_module_imports_with_qt_unavailable() -> None:
    proc = subprocess.run([sys.executable, "-c", _BLOCK_AND_IMPORT], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip()) >= 15  # really walked the package


def test_import_linter_contract_holds() -> None:
    exe = shutil.which("lint-imports", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "lint-imports")
    assert exe, "import-linter is part of the test extra"
    proc = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 4 kept, 0 broken" in proc.stdout


def test_every_module_of_the_domain_has_a_layer() -> None:
    """A layer contract says nothing about a module it does not name: a new module of
    forms/ has to be placed in the layers (or it could import anything)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c.get("containers") == ["forms"])
    named = {m.strip() for layer in layers for m in layer.replace("|", ":").split(":")}
    present = {p.stem if p.is_file() else p.name for p in (ROOT / "forms").iterdir()
               if (p.suffix == ".py" and p.stem != "__init__")
               or (p.is_dir() and (p / "__init__.py").exists())}
    assert present - named == set(), "modules of forms/ in no layer"
    assert named - present == set(), "layers naming modules that do not exist"


def test_the_blocker_would_catch_a_qt_import(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Guard the guard: a forms-like package importing PySide6 fails the same check."""
    pkg = tmp_path / "forms"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text("import PySide6\n")
    proc = subprocess.run([sys.executable, "-c", _BLOCK_AND_IMPORT], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0
    assert "forbidden import of PySide6" in proc.stderr


def test_the_domain_type_checks() -> None:
    """mypy: strict on forms/, every function typed and checked on desktop/ and cli/
    (configuration in pyproject.toml)."""
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Success" in proc.stdout
