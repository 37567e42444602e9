"""``yibao-desk batch DIR -o OUT`` as a service point uses it: a folder of what applicants
handed in — ready, incomplete, damaged, malformed, encrypted, a link out of the folder, a
hostile name — checked in one run that never stops at a bad file."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from cli import main
from forms import storage
from forms.batch.job import FileResult, Job, PersonRow
from forms.batch.outputs import LEDGER, Outputs
from forms.batch.rows import summary_rows
from forms.batch.runner import run_batch
from tests.conftest import SAMPLES, TODAY
from tests.forms.household_data import CHILD_ID, FATHER_ID, MOTHER_ID, household_data
from tests.support.shipped import copy_sample, shipped

ON = ["--on", TODAY.isoformat()]
READY_ID = "410102199203080262"          # the complete sample's applicant
INCOMPLETE_ID = "410102199203080264"     # the incomplete sample's (bad check digit)
NAME_ID = "110105194912310021"           # an ID number someone typed into a file name
HOSTILE = f"..\n..\u202e{NAME_ID} 李.yibao"


def _yibao(sample: str, dest: Path, passphrase: str | None = None) -> Path:
    with storage.load(SAMPLES / sample / "application.json") as opened:
        storage.save(opened.app, opened.base_dir, dest, passphrase=passphrase,
                     analyses=shipped(opened))
    return dest


def _mixed_folder(root: Path) -> Path:
    """Every kind of file a batch meets, generated here."""
    d = root / "handed-in"
    copy_sample(SAMPLES / "complete", d / "ok")
    copy_sample(SAMPLES / "incomplete", d / "incomplete")
    (d / "corrupt.yibao").write_bytes(b"PK\x03\x04" + os.urandom(300))
    (d / "malformed").mkdir()
    (d / "malformed" / "application.json").write_text('{"applicant": ', "utf-8")
    _yibao("complete", d / "sealed.yibao", passphrase="correct horse 1")
    outside = root / "elsewhere"
    outside.mkdir()
    _yibao("complete", outside / "secret.yibao")
    (d / "link-out.yibao").symlink_to(outside / "secret.yibao")
    (d / "linked-folder").symlink_to(outside, target_is_directory=True)
    (d / "deep").mkdir()
    _yibao("complete", d / "deep" / HOSTILE)
    (d / "notes.txt").write_text("not an application", "utf-8")
    (d / "household").mkdir()   # four people; their materials were not handed in
    (d / "household" / "application.json").write_text(
        json.dumps(household_data(), ensure_ascii=False), "utf-8")
    return d


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")        # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One batch over the mixed folder (it is the slow part), with an unrelated file in
    OUT under the name our first packet would take."""
    root = tmp_path_factory.mktemp("batch")
    folder = _mixed_folder(root)
    out = root / "out"
    out.mkdir()
    (out / "ok.pdf").write_bytes(b"a colleague's file")
    saved = os.environ.pop("YIBAO_PASSPHRASE", None)
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
    old_runtime = os.environ.get("YIBAO_RUNTIME_DIR")
    os.environ["YIBAO_RUNTIME_DIR"] = str(runtime)
    capture = io.StringIO()
    try:
        import contextlib

        with contextlib.redirect_stderr(capture), contextlib.redirect_stdout(io.StringIO()):
            code = main(["batch", str(folder), "-o", str(out), *ON, "--lang", "zh"])
    finally:
        if saved is not None:
            os.environ["YIBAO_PASSPHRASE"] = saved
        if old_runtime is None:
            os.environ.pop("YIBAO_RUNTIME_DIR", None)
        else:
            os.environ["YIBAO_RUNTIME_DIR"] = old_runtime
    return {"code": code, "err": capture.getvalue(), "out": out, "folder": folder}


def _by_source(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["申请文件"]: r for r in rows if r["申请文件"] != "household/application.json"}


def test_mixed_folder_gives_one_row_each_and_exit_1(mixed: dict[str, object]) -> None:
    assert mixed["code"] == 1
    rows = _by_source(_csv_rows(Path(str(mixed["out"])) / "summary.csv"))
    status = {src: r["状态"] for src, r in rows.items()}
    assert status["ok/application.json"] == "可以办理"
    assert status["incomplete/application.json"] == "有问题"
    assert status["corrupt.yibao"] == "无法使用"
    assert status["malformed/application.json"] == "无法使用"
    assert status["sealed.yibao"] == "需要口令"
    assert status["link-out.yibao"] == "未检查"
    assert status["linked-folder"] == "未检查"
    hostile = [src for src in rows if src.startswith("deep/")]
    assert len(hostile) == 1 and status[hostile[0]] == "可以办理"
    assert len(rows) == 8   # notes.txt and the caches are not applications


def test_a_household_file_gives_one_row_per_person(mixed: dict[str, object]) -> None:
    rows = [r for r in _csv_rows(Path(str(mixed["out"])) / "summary.csv")
            if r["申请文件"] == "household/application.json"]
    assert [r["姓名"] for r in rows] == ["陈志强", "刘芳（配偶）", "陈雨桐（子女）",
                                         "陈小宝（子女）"]
    assert {r["状态"] for r in rows} == {"有问题"} and all(r["问题"] for r in rows)
    assert [r["证件号码（后四位）"][-4:] for r in rows[:3]] == [
        FATHER_ID[-4:], MOTHER_ID[-4:], CHILD_ID[-4:]]
    assert [r["参保途径"] for r in rows[:2]] == ["灵活就业人员职工基本医疗保险",
                                              "城乡居民基本医疗保险"]


def test_every_person_of_a_ready_household_points_at_its_one_packet() -> None:
    result = FileResult("family.yibao", "ready",
                        (PersonRow(name="陈志强"), PersonRow(name="刘芳", relation="配偶")),
                        packet="family.pdf")
    rows = summary_rows([result], "zh")
    assert [(r.name, r.packet, r.no) for r in rows] == [
        ("陈志强", "family.pdf", 1), ("刘芳（配偶）", "family.pdf", 2)]


def test_rows_say_what_is_wrong_in_words(mixed: dict[str, object]) -> None:
    rows = _by_source(_csv_rows(Path(str(mixed["out"])) / "summary.csv"))
    assert "出生日期" in rows["incomplete/application.json"]["问题"]
    assert "corrupt.yibao" in rows["corrupt.yibao"]["问题"]
    assert "YIBAO_PASSPHRASE" in rows["sealed.yibao"]["问题"]
    assert "链接" in rows["link-out.yibao"]["问题"]
    ok = rows["ok/application.json"]
    assert (ok["姓名"], ok["参保城市"], ok["参保途径"]) == ("李文静", "北京市",
                                                        "城乡居民基本医疗保险")
    assert ok["问题"] == ""


def test_out_holds_exactly_the_ready_packets_and_keeps_a_colleagues_file(
        mixed: dict[str, object]) -> None:
    out = Path(str(mixed["out"]))
    rows = _by_source(_csv_rows(out / "summary.csv"))
    packets = {r["材料包文件"] for r in rows.values() if r["材料包文件"]}
    assert len(packets) == 2 and "ok (2).pdf" in packets   # ok.pdf was someone else's
    assert (out / "ok.pdf").read_bytes() == b"a colleague's file"
    assert {p.name for p in out.iterdir()} == packets | {"ok.pdf", "summary.csv",
                                                         "summary.pdf", LEDGER}
    for name in packets:   # a plain name, the typed ID number masked in it
        assert "/" not in name and "\n" not in name and NAME_ID not in name
        assert (out / name).read_bytes().startswith(b"%PDF")
    assert not list(Path(str(mixed["folder"])).parent.joinpath("elsewhere").glob("*.pdf"))


def test_id_numbers_show_only_their_last_four(mixed: dict[str, object]) -> None:
    out = Path(str(mixed["out"]))
    rows = _by_source(_csv_rows(out / "summary.csv"))
    assert rows["ok/application.json"]["证件号码（后四位）"] == "*" * 14 + READY_ID[-4:]
    texts = {"summary.csv": (out / "summary.csv").read_bytes().decode("utf-8-sig"),
             "summary.pdf": _pdf_text(out / "summary.pdf"), "stderr": str(mixed["err"])}
    for where, text in texts.items():
        for number in (READY_ID, INCOMPLETE_ID, NAME_ID, READY_ID[:6], NAME_ID[:6],
                       FATHER_ID, MOTHER_ID, CHILD_ID):
            assert number not in text, (where, number)
    assert READY_ID[-4:] in texts["summary.pdf"]


def test_progress_is_one_line_per_file_and_a_total(mixed: dict[str, object]) -> None:
    err = str(mixed["err"])
    lines = err.splitlines()
    assert sum(line.startswith("[") for line in lines) == 7   # files checked
    assert "完成" in lines[-1] and "可以办理 2" in lines[-1]
    assert "\u202e" not in err and "Traceback" not in err


def test_summary_pdf_is_a4_landscape_with_embedded_fonts(mixed: dict[str, object]) -> None:
    pdf = Path(str(mixed["out"])) / "summary.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    assert "841.89 x 595.276 pts" in info or "842 x 595 pts" in info
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in f for f in fonts)
    text = _pdf_text(pdf)
    assert "批量检查汇总" in text and TODAY.isoformat() in text
    found = re.search(r"第1页/共(\d+)页", text.replace(" ", ""))
    assert found and f"第{found[1]}页/共{found[1]}页" in text.replace(" ", "")
    assert "需要口令" in text and "ok (2).pdf" in text


def test_the_passphrase_from_the_environment_opens_a_sealed_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _yibao("complete", folder / "sealed.yibao", passphrase="correct horse 1")
    monkeypatch.setenv("YIBAO_PASSPHRASE", "correct horse 1")
    code, _, err = _run(capsys, "batch", str(folder), "-o", str(tmp_path / "out"), *ON,
                        "--lang", "en", "--workers", "1")
    assert code == 0, err
    assert (tmp_path / "out" / "sealed.pdf").is_file()
    rows = _csv_rows(tmp_path / "out" / "summary.csv")
    assert [r["Status"] for r in rows] == ["ready"]


@pytest.mark.parametrize("case", ["missing", "a_file", "out_is_a_file"])
def test_only_an_unusable_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         case: str) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    if case == "a_file":
        folder.write_text("x")
    elif case == "out_is_a_file":
        folder.mkdir()
        out.write_text("x")
    code, stdout, err = _run(capsys, "batch", str(folder), "-o", str(out), "--lang", "en")
    assert code == 2 and stdout == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_an_empty_folder_is_not_all_ready(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    code, _, err = _run(capsys, "batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                        "--lang", "en")
    assert code == 1 and "No .yibao or application.json" in err
    assert _csv_rows(tmp_path / "out" / "summary.csv") == []


def _dies_on(job: Job) -> FileResult:
    """A worker that dies on one file (as out of memory would) and is quick on the rest."""
    if "die" in job.rel:
        os._exit(9)
    return FileResult(job.rel, "ready")


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Also: workers are replaced in chunks (two files each here) and the batch still
    ends — Python 3.11's own worker recycling hung once every worker had retired."""
    import threading

    from forms.batch import runner

    monkeypatch.setattr(runner, "TASKS_PER_WORKER", 2)
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["a.yibao", "b.yibao", "die.yibao", "c.yibao", "d.yibao", "e.yibao"]
    for name in names:
        (folder / name).write_bytes(b"x")
    box: list[object] = []
    worker = threading.Thread(target=lambda: box.append(run_batch(
        folder, tmp_path / "out", on=TODAY, lang="en", job_fn=_dies_on)), daemon=True)
    worker.start()
    worker.join(600)   # a guard against a hang, not a speed test
    assert box, "the batch never ended"
    result = box[0]
    assert isinstance(result, runner.BatchResult)
    status = {r.rel: r.status for r in result.results}
    assert status == {"a.yibao": "ready", "b.yibao": "ready", "c.yibao": "ready",
                      "d.yibao": "ready", "e.yibao": "ready", "die.yibao": "unusable"}
    died = next(r for r in result.results if r.rel == "die.yibao")
    assert "stopped unexpectedly" in died.errors[0]


def test_an_earlier_packet_is_replaced_only_when_it_is_ours_and_unchanged(
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    first = Outputs.open(out)
    name = first.name_for("a/application.json", "a", ".pdf")
    (out / name).write_bytes(b"packet 1")
    first.record(name, "a/application.json", _sha(out / name))
    first.save()
    assert Outputs.open(out).name_for("a/application.json", "a", ".pdf") == "a.pdf"
    assert Outputs.open(out).name_for("b/a", "a", ".pdf") == "a (2).pdf"   # another source
    (out / "a.pdf").write_bytes(b"edited by hand")
    assert Outputs.open(out).name_for("a/application.json", "a", ".pdf") == "a (2).pdf"
    (out / LEDGER).write_text('{"written": {"../../etc/passwd": {"source": "x", '
                              '"sha256": "0"}}}', "utf-8")
    assert Outputs.open(out).ledger == {}


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _writes_packet(job: Job) -> FileResult:
    """A stand-in job: "ready" files get a packet, the rest have problems."""
    if (Path(job.source).read_text("utf-8")) != "ready":
        return FileResult(job.rel, "has_errors", errors=("problem",))
    Path(job.dest).write_bytes(b"%PDF packet of " + job.rel.encode())
    return FileResult(job.rel, "ready", packet=Path(job.dest).name,
                      packet_sha256=_sha(Path(job.dest)))


def test_a_packet_no_longer_earned_is_removed_but_never_someone_elses(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    source = folder / "a.yibao"

    def batch() -> list[str]:
        run_batch(folder, out, on=TODAY, lang="en", workers=0, job_fn=_writes_packet)
        return sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")

    source.write_text("ready", "utf-8")
    assert batch() == ["a.pdf", "summary.pdf"]
    assert batch() == ["a.pdf", "summary.pdf"]          # our own: replaced, not "a (2)"
    source.write_text("incomplete", "utf-8")
    assert batch() == ["summary.pdf"]                   # no stale packet suggests "ready"
    (out / "a.pdf").write_bytes(b"someone else's")
    source.write_text("ready", "utf-8")
    assert batch() == ["a (2).pdf", "a.pdf", "summary.pdf"]
    source.write_text("incomplete", "utf-8")
    assert batch() == ["a.pdf", "summary.pdf"]
    assert (out / "a.pdf").read_bytes() == b"someone else's"
