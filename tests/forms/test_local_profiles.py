"""Rule files a service point updates: validated, used when newer, shown as 本地规则文件,
checked line by line, and audited."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli import main
from forms.profiles.loader import (
    clear_cache,
    load_profile,
    local_in_use,
    profiles_dir,
    set_local_dir,
    validate_file,
)
from tests.conftest import SAMPLES

COMPLETE = SAMPLES / "complete" / "application.json"


@pytest.fixture
def local(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "rules"
    folder.mkdir()
    set_local_dir(folder)
    yield folder
    set_local_dir(None)
    clear_cache()


def shenzhen(verified: str, rate: str = "0.08") -> str:
    text = (profiles_dir() / "shenzhen.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^verified: .*$", f"verified: {verified}", text, count=1)
    return text.replace("2026-01-01: 0.08}", f"2026-01-01: {rate}}}")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_newer_local_profile_replaces_the_shipped_one(local: Path) -> None:
    (local / "shenzhen.yaml").write_text(shenzhen("2027-01-15", "0.085"), encoding="utf-8")
    clear_cache()
    profile = load_profile("shenzhen")
    rate = profile.schemes.flexible.contribution.rate
    assert rate is not None and rate.value_at(dt.date(2026, 6, 1)) == 0.085
    assert local_in_use("shenzhen") is not None


def test_an_older_local_profile_is_not_used(local: Path) -> None:
    (local / "shenzhen.yaml").write_text(shenzhen("2020-01-01", "0.085"), encoding="utf-8")
    clear_cache()
    assert local_in_use("shenzhen") is None
    assert load_profile("shenzhen").verified.isoformat() != "2020-01-01"


def test_an_invalid_local_profile_is_reported_and_ignored(
        local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (local / "shenzhen.yaml").write_text(shenzhen("2027-01-15", '"eight"'), encoding="utf-8")
    code, out, _ = run(capsys, "profiles", "--lang", "zh", "--profiles", str(local))
    assert code == 0 and "shenzhen.yaml 有 1 个问题，未使用" in out
    assert load_profile("shenzhen").schemes.flexible.contribution.rate.values  # shipped one


def test_validate_reports_every_problem_with_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = shenzhen("2027-01-15", '"eight"').replace(
        "verified: 2025-12-31\n        note: Tier 1", "verified: someday\n        note: Tier 1")
    path = tmp_path / "shenzhen.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    rate_line = next(i for i, ln in enumerate(lines, 1) if '"eight"' in ln)
    date_line = next(i for i, ln in enumerate(lines, 1) if "someday" in ln)
    code, out, _ = run(capsys, "profiles", "--validate", str(path), "--lang", "zh")
    assert code == 1
    assert f"shenzhen.yaml:{rate_line}: schemes.flexible.contribution.rate" in out
    assert f"shenzhen.yaml:{date_line}: schemes.flexible.contribution.base_min.verified" in out


@pytest.mark.parametrize(("text", "line"), [
    ("id: x\n  bad: [\n", 2),            # YAML syntax
    ("a: &x [1]\nb: *x\n", 2),          # aliases refused
])
def test_validate_yaml_problems_have_lines(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    profile, problems = validate_file(path)
    assert profile is None and problems[0].line == line


def test_a_valid_file_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles", "--validate", str(profiles_dir() / "shanghai.yaml"),
                       "--lang", "zh")
    assert code == 0 and "规则文件有效" in out


def test_audit_lists_unverified_and_stale_values_with_sources(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "profiles", "--audit", "--format", "json", "--on", "2026-11-29")
    rows = json.loads(out)
    assert code == 0
    assert {"profile": "shanghai", "path": "schemes.flexible.waiting_period",
            "source": "shyb_2025_7", "unverified": True} .items() <= next(
        r for r in rows if r["path"] == "schemes.flexible.waiting_period").items()
    assert any(r["stale"] and not r["unverified"] for r in rows)  # Beijing 2025 figures
    # an inherited value is listed once, under the profile that sets it
    # (Shanghai restates the national value: listed once, under national)
    assert [r["profile"] for r in rows if r["path"] == "schemes.flexible.upper_age"] == [
        "national"]


def test_check_shows_the_local_file_and_estimates_in_json(
        local: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (local / "shenzhen.yaml").write_text(shenzhen("2027-01-15"), encoding="utf-8")
    _code, out, _ = run(capsys, "check", str(COMPLETE), "--profile", "shenzhen", "--on",
                        "2026-11-25", "--format", "json", "--profiles", str(local))
    data = json.loads(out)
    assert data["profile"]["local_file"] == str(local / "shenzhen.yaml")
    assert data["estimates"]["flexible"]["rate"]["value"] == 0.08
    assert data["estimates"]["waiting"]["reading"] == "first_gap_year_in_fixed"
    _code, out, _ = run(capsys, "check", str(COMPLETE), "--profile", "shenzhen", "--on",
                        "2026-11-25", "--lang", "zh", "--profiles", str(local))
    assert f"本地规则文件：{local / 'shenzhen.yaml'}（核实于 2027-01-15）" in out
