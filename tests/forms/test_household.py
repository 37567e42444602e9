"""Households in one file: migration, one-person views, shared materials, hostile files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from forms import storage
from forms.application import MAX_MEMBERS, SCHEMA_VERSION, Application
from forms.errors import ApplicationMalformed
from forms.household import people, person
from forms.messages import render_error, render_finding
from forms.profiles import load_profile
from forms.verdict import household_verdict, verdict
from tests.conftest import SAMPLES, TODAY
from tests.forms.helpers import sample
from tests.forms.household_data import FATHER_ID, household, household_data


def _kinds(app: Application) -> list[str]:
    return [m.kind for m in app.materials]


def test_a_version_2_file_migrates_to_a_household_of_none() -> None:
    raw = (SAMPLES / "complete" / "application.json").read_bytes()
    assert json.loads(raw)["schema_version"] == 2
    app = storage.parse_application(raw, file="application.json")
    assert app.schema_version == SCHEMA_VERSION == 3
    assert app.members == [] and all(m.member is None for m in app.materials)
    assert app.applicant.name == "李文静"


def test_a_single_person_file_is_one_person_whose_view_is_the_file() -> None:
    app = sample()
    (only,) = people(app, TODAY)
    assert only.key == "applicant" and only.relation is None and only.acting
    assert only.view == app
    profile = load_profile("national")
    alone = verdict(app, profile, TODAY)
    (mine,) = household_verdict(app, profile, TODAY).verdicts
    assert mine.result == alone


def test_a_household_of_four_gives_four_views_in_order() -> None:
    views = {p.key: p for p in people(household(), TODAY)}
    assert list(views) == ["applicant", "spouse", "child", "baby"]
    assert [views[k].relation for k in views] == [None, "spouse", "child", "child"]
    assert [p.view.applicant.name for p in views.values()] == ["陈志强", "刘芳", "陈雨桐", "陈小宝"]
    for p in views.values():
        assert p.view.members == []
        assert all(m.member is None for m in p.view.materials)
    # adults with their own card need neither the head page nor a guardian's ID
    assert _kinds(views["applicant"].view) == ["id_card_front", "id_card_back"]
    assert _kinds(views["spouse"].view) == ["id_card_front", "id_card_back"]
    assert sorted(_kinds(views["child"].view)) == ["guardian_id", "hukou_head_page",
                                                   "hukou_personal_page"]
    assert sorted(_kinds(views["baby"].view)) == ["birth_certificate", "guardian_id",
                                                  "hukou_head_page"]
    # each person's own card is theirs: the spouse's view holds her files, not his
    assert [m.file for m in views["spouse"].view.materials][:2] == [
        "materials/mother-front.jpg", "materials/mother-back.jpg"]


def test_the_shared_head_page_reaches_only_members_on_the_same_register() -> None:
    data = household_data()
    data["members"][1]["same_household"] = False
    app = Application.model_validate(data)
    assert "hukou_head_page" not in _kinds(person(app, "child", TODAY).view)
    assert "guardian_id" in _kinds(person(app, "child", TODAY).view)
    assert "hukou_head_page" in _kinds(person(app, "baby", TODAY).view)


def test_with_a_profile_shared_materials_go_where_the_requirements_say() -> None:
    views = {p.key: p.view for p in people(household(), TODAY, load_profile("national"))}
    assert [k for k, v in views.items() if v.materials_of("hukou_head_page")] == [
        "child", "baby"]
    assert [k for k, v in views.items() if v.materials_of("guardian_id")] == ["child", "baby"]


def test_a_child_without_a_guardian_gets_the_acting_parent() -> None:
    child = person(household(), "child", TODAY).view
    assert child.guardian is not None
    assert (child.guardian.name, child.guardian.id_number) == ("陈志强", FATHER_ID)
    assert child.guardian.relation == "父亲"
    assert person(household(), "spouse", TODAY).view.guardian is None


def test_a_guardian_given_for_a_child_is_kept() -> None:
    data = household_data()
    data["members"][1]["guardian"] = {"name": "刘芳", "relation": "母亲",
                                      "id_number": data["members"][0]["applicant"]["id_number"]}
    child = person(Application.model_validate(data), "child", TODAY).view
    assert child.guardian is not None and child.guardian.name == "刘芳"


def test_a_parent_is_not_given_the_acting_child_as_guardian() -> None:
    data = household_data()
    data["members"][1]["relation"] = "other"   # a niece: the acting person is no parent
    child = person(Application.model_validate(data), "child", TODAY).view
    assert child.guardian is None


def test_a_members_blank_address_and_contact_are_the_households() -> None:
    app = household()
    baby = person(app, "baby", TODAY).view
    assert baby.residence == app.residence and baby.contact == app.contact
    assert baby.hukou == app.hukou
    spouse = person(app, "spouse", TODAY).view
    assert spouse.contact.mobile == "13900139002"   # her own, not his


def test_a_member_who_gave_their_own_head_page_keeps_it() -> None:
    data = household_data()
    data["materials"].append({"kind": "hukou_head_page", "file": "materials/other-head.jpg",
                              "member": "spouse"})
    spouse = person(Application.model_validate(data), "spouse", TODAY).view
    assert [m.file for m in spouse.materials_of("hukou_head_page")] == [
        "materials/other-head.jpg"]


def test_household_verdict_has_one_verdict_per_person() -> None:
    result = household_verdict(household(), load_profile("national"), TODAY)
    assert list(result.by_key()) == ["applicant", "spouse", "child", "baby"]
    assert result.findings == []
    assert result.status in ("ok", "warning", "error")


def _copy_materials(folder: Path) -> None:
    """Real image files for every material of the household, from the complete sample."""
    src = SAMPLES / "complete" / "materials"
    out = folder / "materials"
    out.mkdir(parents=True, exist_ok=True)
    for m in household_data()["materials"]:
        shutil.copy(src / "id-front.jpg", folder / m["file"])


def test_a_household_survives_a_yibao_round_trip(tmp_path: Path) -> None:
    app = household()
    _copy_materials(tmp_path)
    dest = tmp_path / "陈家.yibao"
    storage.save(app, tmp_path, dest)
    with storage.load(dest) as opened:
        back = opened.app
        assert back.members == app.members
        assert [(m.kind, m.member) for m in back.materials] == [
            (m.kind, m.member) for m in app.materials]
        for m in back.materials:
            assert (opened.base_dir / m.file).is_file()
        assert _kinds(person(back, "baby", TODAY).view).count("hukou_head_page") == 1


def _json(data: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "application.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_material_naming_no_member_is_an_error_not_a_crash(tmp_path: Path) -> None:
    data = household_data()
    data["materials"].append({"kind": "hukou_personal_page", "file": "materials/x.jpg",
                              "member": "ghost"})
    with storage.load(_json(data, tmp_path)) as opened:
        result = household_verdict(opened.app, load_profile("national"), TODAY)
    (f,) = result.findings
    assert (f.code, f.severity, f.params["member"]) == ("household.unknown_member", "error",
                                                        "ghost")
    assert not result.ok and result.status == "error"
    assert "ghost" in render_finding(f, "zh") and "ghost" in render_finding(f, "en")
    assert all("materials/x.jpg" not in [m.file for m in p.view.materials]
               for p in people(opened.app, TODAY))


def test_a_member_id_given_twice_is_a_clear_error(tmp_path: Path) -> None:
    data = household_data()
    data["members"][2]["id"] = "child"
    with pytest.raises(ApplicationMalformed) as info:
        storage.load(_json(data, tmp_path))
    assert info.value.params["reason"] == "duplicate_member"
    assert "“child”" in render_error(info.value, "en") and "重复" in render_error(info.value, "zh")


def test_more_than_twelve_members_is_a_clear_error(tmp_path: Path) -> None:
    data = household_data()
    extra = data["members"][0]
    data["members"] = [dict(extra, id=f"m{i}") for i in range(MAX_MEMBERS + 1)]
    with pytest.raises(ApplicationMalformed) as info:
        storage.load(_json(data, tmp_path))
    assert info.value.params["reason"] == "too_many_members"
    text = render_error(info.value, "zh")
    assert "13" in text and "12" in text
    data["members"] = data["members"][:MAX_MEMBERS]
    with storage.load(_json(data, tmp_path)) as opened:
        assert len(people(opened.app, TODAY)) == MAX_MEMBERS + 1


@pytest.mark.parametrize("bad_id", ["", "Kid", "../x", "a" * 17, "子女", 7])
def test_a_bad_member_id_is_a_clear_error(tmp_path: Path, bad_id: object) -> None:
    data = household_data()
    data["members"][1]["id"] = bad_id
    with pytest.raises(ApplicationMalformed) as info:
        storage.load(_json(data, tmp_path))
    assert info.value.params["field"] == "members.1.id"
    assert "members.1.id" in render_error(info.value, "en")


@pytest.mark.parametrize("bad", [{"relation": "cousin"}, {"applicant": {"nme": "x"}},
                                 {"id": None}])
def test_other_bad_members_are_clear_errors(tmp_path: Path, bad: dict[str, Any]) -> None:
    data = household_data()
    data["members"][1].update(bad)
    with pytest.raises(ApplicationMalformed):
        storage.load(_json(data, tmp_path))
    data["members"] = "everyone"
    with pytest.raises(ApplicationMalformed):
        storage.load(_json(data, tmp_path))


def test_the_command_line_says_it_in_one_line_never_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli import main

    data = household_data()
    data["members"][2]["id"] = "child"
    path = _json(data, tmp_path)
    assert main(["check", str(path), "--no-read", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "“child”" in err and "Traceback" not in err
    data = household_data()
    data["materials"] = [{"kind": "photo", "file": "materials/p.jpg", "member": "ghost"}]
    path = _json(data, tmp_path)
    assert main(["check", str(path), "--no-read", "--lang", "en",
                 "--on", TODAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert "ghost" in out.split("==")[0]   # said once, before the members
