"""Screenshots of the service-point desk: the recent applicants on the start screen, a
household's page and a child member's materials page, in Chinese and English.

Run under a virtual display (or QT_QPA_PLATFORM=offscreen: the window grabs itself):
    xvfb-run -a -s "-screen 0 1366x768x24" \
        .venv/bin/python scripts/household_shots.py docs/screenshots
The people, numbers and pictures are made up here (synthetic cards, check digits computed).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("YIBAO_DATA_DIR", tempfile.mkdtemp(prefix="yibao-desk-shots-"))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from desktop import tasks  # noqa: E402
from desktop.i18n import Translator  # noqa: E402
from desktop.mainwindow import MainWindow  # noqa: E402
from desktop.settings import Settings  # noqa: E402
from forms import crypto, storage  # noqa: E402
from forms.application import Application  # noqa: E402
from tests.forms.imaging_support import card_photo, save  # noqa: E402

SAMPLE = ROOT / "resources" / "samples" / "complete"


def settle(app: QApplication, window: MainWindow, rounds: int = 400) -> None:
    """Until the materials are analysed and the verdict is fresh."""
    for _ in range(rounds):
        app.processEvents()
        tasks.wait_all(100)
        if not window.session.processor.pending:
            break
    for _ in range(20):
        app.processEvents()
        tasks.wait_all(20)
    window.session.recheck()
    app.processEvents()


def person_file(folder: Path, stem: str, name: str, first17: str, *,
                materials: bool = True, **changes: object) -> Path:
    raw = json.loads((SAMPLE / "application.json").read_text(encoding="utf-8"))
    raw["applicant"].update(name=name, id_number=first17 + ric.calc_check_digit(first17))
    raw["applicant"].update(changes)
    if not materials:
        raw["materials"] = []
    dest = folder / f"{stem}.yibao"
    storage.save(Application.model_validate(raw), SAMPLE, dest)
    return dest


def household_file(folder: Path) -> Path:
    """王建国 enrols his wife, their daughter and their newborn son."""
    (folder / "materials").mkdir(parents=True)
    for seed, name in ((3, "head"), (5, "girl")):
        save(card_photo(seed, frame=(900, 675))[0], folder / "materials" / f"{name}.jpg")
    first17 = "41010219850312003"
    data = {
        "schema_version": 3, "profile_id": "beijing",
        "applicant": {"name": "王建国", "id_number": first17 + ric.calc_check_digit(first17),
                      "sex": "male", "birth_date": "1985-03-12"},
        "hukou": {"type": "urban", "region": "河南省郑州市中原区", "region_code": "410102",
                  "address": "河南省郑州市中原区建设西路88号"},
        "residence": {"city": "北京市", "address": "北京市朝阳区望京街道阜通东大街6号院"},
        "contact": {"mobile": "13800138000"},
        "scheme": {"scheme": "resident"},
        "employment": {"situation": "flexible_employee"},
        "members": [
            {"id": "m1", "relation": "spouse", "applicant": {"name": "李娜"},
             "scheme": {"scheme": "resident"}},
            {"id": "m2", "relation": "child",
             "applicant": {"name": "王小雨", "birth_date": "2016-09-01", "has_id_card": False},
             "employment": {"situation": "student"}, "scheme": {"scheme": "resident"}},
            {"id": "m3", "relation": "child", "applicant": {"name": "王小宝"},
             "employment": {"situation": "newborn"}, "scheme": {"scheme": "resident"}}],
        "materials": [{"kind": "hukou_head_page", "file": "materials/head.jpg"},
                      {"kind": "hukou_personal_page", "file": "materials/girl.jpg",
                       "member": "m2"}]}
    dest = folder.parent / "wang-jianguo.yibao"
    storage.save(Application.model_validate(data), folder, dest)
    return dest


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    work = Path(tempfile.mkdtemp(prefix="yibao-desk-people-"))
    ini = str(work / "settings.ini")
    # the desk's morning: four people's files opened and closed
    family = household_file(work / "family")
    files = [family, person_file(work, "li-wenjing", "李文静", "41010219920308026"),
             person_file(work, "zhao-li", "赵丽", "44030519850615456", materials=False),
             person_file(work, "chen-gang", "陈刚", "32010219781111789", materials=False,
                         birth_date="1999-01-01"),
             person_file(work, "wang-fang", "王芳", "11010519900101123", materials=False),
             person_file(work, "sealed", "周敏", "51010419880808121", materials=False)]
    window = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)), Translator("zh"))
    window.resize(1280, 760)
    window.show()
    for f in files:
        window.files.open_file(f)
        settle(app, window)
        if f.stem == "sealed":
            window.session.save(f, key=crypto.derive("a household passphrase"))
        window.show_start()
    files[4].unlink()   # moved away since: shown as missing
    window.session.dirty = False
    window.close()

    for lang in ("zh", "en"):
        window = MainWindow(Settings(QSettings(ini, QSettings.Format.IniFormat)),
                            Translator(lang))
        window.resize(1280, 760)
        window.show()
        settle(app, window)
        window.start.fill_recent()
        settle(app, window)
        assert window.grab().save(str(out / f"{lang}-recent.png"))
        window.files.open_file(family)
        settle(app, window)
        window.household.show_household()
        settle(app, window)
        assert window.grab().save(str(out / f"{lang}-household.png"))
        window.household.open_person("m2", "materials")
        settle(app, window)
        assert window.grab().save(str(out / f"{lang}-household-child.png"))
        window.session.dirty = False
        window.close()
        settle(app, window)
    tasks.wait_all(10000)


if __name__ == "__main__":
    main()
