"""Write the household sample's material images (resources/samples/household/materials).

A fictional household of four living in Beijing with a hukou in Zhengzhou: 陈志强 (a
flexible employee, who acts for the others), his wife 刘芳 (resident insurance, with a
Beijing residence permit), their daughter 陈雨桐 (a schoolchild without an ID card: the
register's personal page) and their newborn son 陈小宝 (the birth certificate, 出生医学证明).
Cards and papers are drawn by tests/support/synthetic.py and here, then "photographed"
on a table as in scripts/make_samples.py. Every ID number has a valid check digit.
Run again after changing the drawing code:
`.venv/bin/python scripts/make_household_sample.py`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.make_samples import _save, on_table  # noqa: E402
from tests.support import synthetic  # noqa: E402

ADDRESS = "河南省郑州市中原区建设西路18号"
FATHER = synthetic.Person("陈志强", "男", "汉", dt.date(1988, 5, 12), ADDRESS,
                          "410102198805120378", valid_from=dt.date(2019, 1, 10),
                          valid_until=dt.date(2039, 1, 10))
MOTHER = synthetic.Person("刘芳", "女", "汉", dt.date(1990, 8, 20), ADDRESS,
                          "410102199008200484", valid_from=dt.date(2020, 2, 1),
                          valid_until=dt.date(2040, 2, 1))
DAUGHTER = synthetic.Person("陈雨桐", "女", "汉", dt.date(2016, 3, 15), ADDRESS,
                            "410102201603150266")
SON = synthetic.Person("陈小宝", "男", "汉", dt.date(2026, 10, 2), ADDRESS,
                       "410102202610020317")
PAGE_PX = (1240, 1689)        # 105 × 143 mm at 300 dpi (a register page)
CERT_PX = (1654, 2339)        # an A4-sized certificate at 200 dpi
INK = (25, 25, 30)


def _paper(size: tuple[int, int], tint: tuple[int, int, int]) -> tuple[Image.Image,
                                                                        ImageDraw.ImageDraw]:
    img = Image.new("RGB", size, tint)
    draw = ImageDraw.Draw(img)
    draw.rectangle((30, 30, size[0] - 31, size[1] - 31), outline=(150, 120, 110), width=5)
    draw.text((size[0] - 420, size[1] - 130), "样本 SAMPLE", font=synthetic.font(64),
              fill=(200, 120, 120))
    return img, draw


def _rows(draw: ImageDraw.ImageDraw, rows: list[tuple[str, str]], top: int, x: int = 90,
          step: int = 118, size: int = 44) -> None:
    for i, (label, value) in enumerate(rows):
        y = top + i * step
        draw.text((x, y), f"{label}  {value}", font=synthetic.font(size), fill=INK)
        draw.line((x, y + size + 24, PAGE_PX[0] - 90, y + size + 24), fill=(190, 170, 160),
                  width=2)


def head_page() -> Image.Image:
    img, draw = _paper(PAGE_PX, (248, 240, 236))
    draw.text((300, 90), "居民户口簿", font=synthetic.font(84), fill=(120, 40, 30))
    draw.text((420, 210), "户主页", font=synthetic.font(56), fill=INK)
    _rows(draw, [("户别", "家庭户"), ("户主姓名", FATHER.name), ("户号", "00318427"),
                 ("住址", ADDRESS[:10]), ("", ADDRESS[10:]),
                 ("承办人签章", ""), ("签发日期", "2019年1月10日")], 380)
    return img


def personal_page(p: synthetic.Person, relation: str) -> Image.Image:
    img, draw = _paper(PAGE_PX, (246, 242, 234))
    draw.text((330, 80), "常住人口登记卡", font=synthetic.font(72), fill=(120, 40, 30))
    born = f"{p.birth.year}年{p.birth.month}月{p.birth.day}日"
    _rows(draw, [("姓名", p.name), ("户主或与户主关系", relation), ("性别", p.sex),
                 ("民族", p.ethnicity), ("出生日期", born), ("出生地", "河南省郑州市"),
                 ("住址", ADDRESS[:10]), ("", ADDRESS[10:]),
                 ("公民身份号码", p.id_number)], 250, step=124)
    return img


def birth_certificate(p: synthetic.Person) -> Image.Image:
    img, draw = _paper(CERT_PX, (240, 246, 240))
    draw.text((520, 140), "出生医学证明", font=synthetic.font(110), fill=(30, 90, 60))
    draw.text((600, 290), "编号 Q410391627", font=synthetic.font(48), fill=INK)
    born = f"{p.birth.year}年{p.birth.month}月{p.birth.day}日 08时16分"
    rows = [("新生儿姓名", p.name), ("性别", p.sex), ("出生时间", born),
            ("出生地点", "北京市朝阳区"), ("健康状况", "良好"),
            ("母亲姓名", MOTHER.name), ("母亲有效身份证件号码", MOTHER.id_number),
            ("父亲姓名", FATHER.name), ("父亲有效身份证件号码", FATHER.id_number),
            ("签发机构", "北京市朝阳区某妇幼保健院（样本）")]
    for i, (label, value) in enumerate(rows):
        y = 480 + i * 150
        draw.text((160, y), f"{label}  {value}", font=synthetic.font(54), fill=INK)
        draw.line((160, y + 86, CERT_PX[0] - 160, y + 86), fill=(170, 190, 170), width=2)
    return img


def paper_on_table(page: Image.Image, seed: int) -> Image.Image:
    """A paper page lying slightly askew on a table, photographed from above."""
    rng = np.random.default_rng(seed)
    table = synthetic.texture("wood", (2150, 2400), seed)
    quad = synthetic.random_quad(rng, table.size, page.width / page.height, fill=0.7,
                                 max_rotation=5, max_skew=0.03)
    return synthetic.degrade(synthetic.photograph(page, table, quad), rng, noise=3)


def main() -> None:
    out = ROOT / "resources" / "samples" / "household" / "materials"
    _save(on_table(synthetic.id_front(FATHER), 11), out / "father-id-front.jpg")
    _save(on_table(synthetic.id_back(FATHER), 12), out / "father-id-back.jpg")
    _save(on_table(synthetic.id_front(FATHER), 13), out / "guardian-id.jpg")
    _save(paper_on_table(head_page(), 14), out / "hukou-head.jpg")
    _save(on_table(synthetic.id_front(MOTHER), 21), out / "mother-id-front.jpg")
    _save(on_table(synthetic.id_back(MOTHER), 22), out / "mother-id-back.jpg")
    permit = synthetic.residence_permit(MOTHER, "110105202500023456", "北京市",
                                        dt.date(2031, 3, 31))
    _save(on_table(permit, 23), out / "mother-residence-permit.jpg")
    _save(paper_on_table(personal_page(DAUGHTER, "长女"), 31), out / "daughter-register.jpg")
    _save(paper_on_table(personal_page(SON, "长子"), 41), out / "son-register.jpg")
    _save(paper_on_table(birth_certificate(SON), 42), out / "son-birth-certificate.jpg")
    print(f"wrote the household sample under {out.parent}")


if __name__ == "__main__":
    main()
