"""Reading generated cards: random names, addresses and numbers, drawn in several fonts,
photographed at an angle, noised and blurred. Prints the share of ID numbers read exactly
(target >= 95%), of names read exactly, the time per card side (target < 1.5 s) and the
peak memory.

A second set follows the real card layout (``synthetic.real_front``/``real_back``: the
security print, the split birth date, the wrapped address, rounded corners) on the desks
people use: textured tables, a white desk lit unevenly, ruled notebook paper, flatbed
scans with white margins, and scans lying sideways; with shadows, glare, JPEG quality
60-85 and 1000-4032 px. It measures the outline (within 2 mm of the truth, and no
confident wrong crop), the fields (ID number, name, sex, birth date exactly; address
characters), the time per card side and a fresh ``read`` process."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from benchmarks.timing import Row  # noqa: E402
from forms.analysis.reading import read_document  # noqa: E402
from forms.ocr.engine import available  # noqa: E402
from tests.support import synthetic  # noqa: E402

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
            "潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱"
            "江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
RARE = "堃喆淼赟溦"
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥"
         "玲芬燕彬鹏辉宇浩凯健俊帆鑫波斌宁琳雪梅莉晨晓东亮瑞欣怡佳慧婷倩颖")
PLACES = [("110105", "北京市朝阳区", ["建国路", "望京街", "朝阳北路"]),
          ("310104", "上海市徐汇区", ["漕溪北路", "天钥桥路", "龙华西路"]),
          ("440106", "广东省广州市天河区", ["天河路", "体育西路", "黄埔大道"]),
          ("510107", "四川省成都市武侯区", ["人民南路", "科华北路", "武侯大道"]),
          ("410102", "河南省郑州市中原区", ["建设西路", "中原西路", "桐柏路"])]


def fonts() -> list[tuple[str, int]]:
    """CJK fonts with Latin digits (Droid Sans Fallback has none: its cards would print
    boxes for the number, which says nothing about the OCR)."""
    found = [("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
             ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 1),
             ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
             ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
             ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)]
    return [f for f in found if Path(f[0]).exists()]


def random_person(rng: random.Random) -> synthetic.Person:
    code, place, streets = rng.choice(PLACES)
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    first = f"{code}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    number = first + ric.calc_check_digit(first + "0")
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    address = (f"{place}{rng.choice(streets)}{rng.randrange(1, 300)}号"
               f"{rng.randrange(1, 20)}号楼{rng.randrange(1, 6)}单元{rng.randrange(101, 2800)}")
    return synthetic.Person(name, "男" if int(number[16]) % 2 else "女", "汉", birth, address,
                            number)


def run(count: int = 24) -> dict[str, float]:
    rng = random.Random(2026)
    faces = fonts()
    numbers = names = 0
    times = []
    try:  # this measure's own peak, even when other benchmarks ran first
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    start = time.perf_counter()
    assert available(), "the OCR engine did not load"
    load_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            person = random_person(rng)
            synthetic.FONT = faces[i % len(faces)]
            try:
                card = synthetic.id_front(person)
            finally:
                synthetic.FONT = None
            nrng = np.random.default_rng(i)
            bg = synthetic.texture(synthetic.TEXTURES[i % 4], (2400, 1800), i)
            quad = synthetic.random_quad(nrng, bg.size, 85.6 / 54, fill=0.7, max_rotation=20)
            photo = synthetic.degrade(synthetic.photograph(card.resize((1600, 1009)), bg, quad),
                                      nrng, noise=4 + i % 5, blur=0.4 * (i % 4))
            path = Path(tmp) / f"card{i}.jpg"
            photo.save(path, quality=88)
            start = time.perf_counter()
            read = read_document(path, "id_card_front")
            times.append(time.perf_counter() - start)
            numbers += read.value("id_number") == person.id_number
            names += read.value("name") == person.name
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(int(line.split()[1]) for line in status
               if line.startswith("VmHWM")) / 1024  # since the reset below, when run alone
    return {"count": count, "numbers": numbers / count, "names": names / count,
            "median_s": sorted(times)[len(times) // 2], "max_s": max(times), "peak_mb": hwm,
            "fonts": len(faces), "load_s": load_s}


def _edits(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def real_person(rng: random.Random) -> synthetic.Person:
    person = random_person(rng)
    if rng.random() < 0.2:  # names with characters outside GB 2312 (堃 喆 赟 溦) and 淼
        person.name = person.name[0] + rng.choice(RARE)
    return person


def _scenes(rng: random.Random, count: int, base: int, folder: Path):  # type: ignore[no-untyped-def]
    """The real-layout photos of a set, saved in ``folder``: (person, desk, front, scene,
    path); scene ``base + i`` on the desks in turn, every third card its back."""
    for i in range(count):
        person = real_person(rng)
        desk = synthetic.DESKS[i % len(synthetic.DESKS)]
        front = i % 3 != 2
        card = synthetic.real_front(person, i) if front else synthetic.real_back(person, i)
        scene = synthetic.card_scene(card, base + i, desk)
        path = folder / f"scene{base + i}.jpg"
        scene.photo.save(path, quality=95)
        yield person, desk, front, scene, path


HELD_OUT = (3000, 60, 33)  # scene seed base, count, person seed: never looked at in tuning
FRESH = (20000, 200, 200)  # a larger held-out range on seeds no round used (round 7)
FRESH_8 = (40000, 200, 400)  # round 7's fresh set was looked at (20132): another (round 8)


def _judge(job: tuple[str, bool, list[list[float]], str]) -> tuple[str, str]:
    """One scene's outline as the app finds it: "good" (trusted, within 2 mm), "wrong"
    (trusted, further off) or "doubted"; and its desk."""
    from forms.imaging.scans import process_scan

    path, front, quad, desk = job
    scan = process_scan(Path(path), "id_card_front" if front else "id_card_back")
    if scan.doubtful or not scan.auto or scan.corners is None:
        return "doubted", desk
    ok = synthetic.corner_error_mm(scan.corners, quad) <= 2.0
    return ("good" if ok else "wrong"), desk


def run_held_out(base: int = HELD_OUT[0], count: int = HELD_OUT[1],
                 person_seed: int = HELD_OUT[2], *, edge: str = synthetic.EDGE,
                 workers: int = 2) -> dict[str, float]:
    """The outline alone on a held-out range of scenes (the tuning set was seen while the
    finder was tuned; these are only measured): share within 2 mm and trusted, and
    confident wrong crops. ``edge``: how the card's cut edge is drawn
    (``synthetic.EDGES``); the scenes are made here, the outlines found by ``workers``
    processes (nothing here is timed)."""
    from concurrent.futures import ProcessPoolExecutor

    rng = random.Random(person_seed)
    was, synthetic.EDGE = synthetic.EDGE, edge
    try:
        with tempfile.TemporaryDirectory() as tmp:
            jobs = [(str(path), front, scene.quad.tolist(), desk)
                    for _person, desk, front, scene, path in _scenes(rng, count, base, Path(tmp))]
            with ProcessPoolExecutor(workers) as pool:
                verdicts = list(pool.map(_judge, jobs))
    finally:
        synthetic.EDGE = was
    per_desk: dict[str, list[int]] = {}
    for verdict, desk in verdicts:
        tally = per_desk.setdefault(desk, [0, 0])
        tally[0] += verdict == "good"
        tally[1] += 1
    good = sum(v == "good" for v, _ in verdicts)
    wrong = sum(v == "wrong" for v, _ in verdicts)
    out: dict[str, float] = {"count": count, "good": good / count, "wrong": wrong}
    for desk, (ok, n) in per_desk.items():
        out[f"desk:{desk}"] = ok / n
    return out


def run_real(count: int = 48, *, fresh: int = 3) -> dict[str, float]:
    """The real-layout set: outline, fields, time per side, a fresh ``read``."""
    import statistics
    import subprocess

    from forms.analysis.reading import read_scan
    from forms.imaging.scans import process_scan

    rng = random.Random(14)
    assert available(), "the OCR engine did not load"
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    out: dict[str, float] = {}
    good = wrong = doubtful = fronts = 0
    hits = {"id_number": 0, "name": 0, "sex": 0, "birth_date": 0}
    addr_chars = addr_edits = 0
    times: list[float] = []
    cpus: list[float] = []   # all threads' CPU: less disturbed by a busy machine than wall time
    errors: list[float] = []
    per_desk: dict[str, list[int]] = {}
    sample: Path | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for person, desk, front, scene, path in _scenes(rng, count, 1000, Path(tmp)):
            kind = "id_card_front" if front else "id_card_back"
            start, cpu = time.perf_counter(), time.process_time()
            scan = process_scan(path, kind)
            read = read_scan(scan, kind)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            found = scan.corners or scan.suggested
            err = synthetic.corner_error_mm(found, scene.quad) if found else float("inf")
            errors.append(err)
            tally = per_desk.setdefault(desk, [0, 0])
            tally[1] += 1
            if scan.doubtful or not scan.auto:
                doubtful += 1
            elif err <= 2.0:
                good += 1
                tally[0] += 1
            else:
                wrong += 1
            if front:
                fronts += 1
                sample = sample or path
                want = {"id_number": person.id_number, "name": person.name,
                        "sex": "male" if person.sex == "男" else "female",
                        "birth_date": person.birth.isoformat()}
                for name, value in want.items():
                    hits[name] += read.value(name) == value
                truth = person.address[:33]
                addr_chars += len(truth)
                addr_edits += min(len(truth), _edits(read.value("address") or "", truth))
        # One 12-MP photo on its own: the pipeline's peak, not the scene generator's.
        from benchmarks.timing import peak_of

        twelve = Path(tmp) / "twelve.jpg"
        synthetic.card_scene(synthetic.real_front(real_person(rng)), 7, "table",
                             long_side=4032).photo.save(twelve, quality=90)
        out["peak_one_mb"] = peak_of(
            lambda: read_scan(process_scan(twelve, "id_card_front"), "id_card_front")) or 0.0
        if sample is not None and fresh:
            cmd = [sys.executable, "-c", "import sys; from cli import main; "
                   "sys.exit(main(sys.argv[1:]))", "read", str(sample), "--kind",
                   "id_card_front", "--format", "json"]
            import resource

            walls, child_cpu = [], []
            for _ in range(fresh):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False,
                               env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
                walls.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                child_cpu.append(after.ru_utime + after.ru_stime
                                 - before.ru_utime - before.ru_stime)
            out["fresh_median_s"], out["fresh_max_s"] = statistics.median(walls), max(walls)
            out["fresh_cpu_s"] = statistics.median(child_cpu)
    status = Path("/proc/self/status").read_text().splitlines()
    hwm = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    out.update({"count": count, "good": good / count, "wrong": wrong, "doubtful": doubtful,
                "fronts": fronts, **{k: v / max(fronts, 1) for k, v in hits.items()},
                "address": 1 - addr_edits / max(addr_chars, 1),
                "median_s": statistics.median(times), "max_s": max(times), "peak_mb": hwm,
                "cpu_median_s": statistics.median(cpus), "cpu_max_s": max(cpus),
                "load": os.getloadavg()[0],
                "median_mm": statistics.median(e for e in errors if e != float("inf"))})
    for desk, (ok, n) in per_desk.items():
        out[f"desk:{desk}"] = ok / n
    return out


def real_rows(r: dict[str, float] | None = None) -> list[Row]:
    r = r or run_real()
    n, f = int(r["count"]), int(r["fronts"])
    desks = ", ".join(f"{k[5:]} {100 * v:.0f}%" for k, v in r.items() if k.startswith("desk:"))
    rows_ = [
        Row("Real layout: outline within 2 mm, trusted (%)", 100 * r["good"], 100 * r["good"], n,
            note=f"target >= 95%: {'ok' if r['good'] >= 0.95 else 'MISSED'}; {desks}; "
                 f"median error {r['median_mm']:.2f} mm"),
        Row("Real layout: confident wrong crops (count)", r["wrong"], r["wrong"], n,
            note=f"target 0: {'ok' if r['wrong'] == 0 else 'MISSED'}; "
                 f"{int(r['doubtful'])} doubtful (whole image kept, corners asked)"),
    ]
    sets = [(HELD_OUT, edge) for edge in ("contact", "drawn_line", "bare")]
    sets += [(FRESH, "contact"), (FRESH_8, "contact")]
    for (base, count, seed), edge in sets:
        held = run_held_out(base, count, seed, edge=edge)
        held_desks = ", ".join(f"{k[5:]} {100 * v:.0f}%" for k, v in held.items()
                               if k.startswith("desk:"))
        rows_.append(Row(
            f"Real layout, held-out scenes {base}-{base + count - 1}, card edge {edge}: "
            "outline within 2 mm, trusted (%)", 100 * held["good"], 100 * held["good"],
            int(held["count"]),
            note=f"target >= 95%: {'ok' if held['good'] >= 0.95 else 'MISSED'}; "
                 f"confident wrong crops {int(held['wrong'])} "
                 f"({'ok' if held['wrong'] == 0 else 'MISSED'}); {held_desks}"))
    for key, label, target in (("id_number", "ID numbers", 1.0), ("name", "names", 0.98),
                               ("sex", "sex", 0.98), ("birth_date", "birth dates", 0.98),
                               ("address", "address characters", 0.97)):
        rows_.append(Row(f"Real layout: {label} read exactly (%)", 100 * r[key], 100 * r[key], f,
                         note=f"target >= {100 * target:g}%: "
                              f"{'ok' if r[key] >= target else 'MISSED'}"))
    rows_.append(Row("Real layout: time per side, 1000-5700 px, incl. straightening (ms)",
                     1000 * r["median_s"], 1000 * r["max_s"], n, target_ms=1000,
                     peak_mb=r["peak_one_mb"],
                     note=f"p95 column shows the max (target 1500: "
                          f"{'ok' if r['max_s'] <= 1.5 else 'MISSED'}); CPU median "
                          f"{r['cpu_median_s']:.2f} s, max {r['cpu_max_s']:.2f} s (2 threads); "
                          f"load {r['load']:.1f}; peak: one 12-MP photo"))
    if "fresh_median_s" in r:
        rows_.append(Row("Real layout: `read` as a fresh process (ms)", 1000 * r["fresh_median_s"],
                         1000 * r["fresh_max_s"], 3, target_ms=2000,
                         note=f"p95 column: max; CPU median {r['fresh_cpu_s']:.2f} s; "
                              f"load {r['load']:.1f}"))
    return rows_


def rows() -> list[Row]:
    r = run()
    return [
        *real_rows(),
        Row("OCR: ID numbers read exactly (%)", 100 * r["numbers"], 100 * r["numbers"],
            int(r["count"]), note=f"target >= 95%: {'ok' if r['numbers'] >= 0.95 else 'MISSED'}"
                                  f"; {int(r['count'])} cards, {r['fonts']} fonts"),
        Row("OCR: names read exactly (%)", 100 * r["names"], 100 * r["names"], int(r["count"])),
        Row("OCR: time per card side, incl. straightening (ms)", 1000 * r["median_s"],
            1000 * r["max_s"], int(r["count"]), target_ms=1500, peak_mb=r["peak_mb"],
            note="p95 column shows the max"),
        Row("OCR: engine load, once per run (ms)", 1000 * r["load_s"], 1000 * r["load_s"], 1),
        Row("OCR: peak memory of the run (MB)", r["peak_mb"], r["peak_mb"], 1),
    ]


if __name__ == "__main__":
    from benchmarks.timing import print_table

    if "--real" in sys.argv:  # only the real-layout set
        print_table(real_rows())
    else:
        print_table(rows())
