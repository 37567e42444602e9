from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from forms.errors import ProfileInvalid, UnknownProfile
from forms.profiles import Dated, available_profiles, load_profile
from forms.profiles.loader import load_profile_from, merge, profiles_dir
from forms.profiles.schema import referenced_sources, resolve

D = dt.date


def test_national_and_six_cities_ship_and_validate() -> None:
    ids = available_profiles()
    assert ids[0] == "national"
    assert set(ids) >= {"national", "beijing", "shanghai", "guangzhou", "shenzhen", "hangzhou",
                        "chengdu"}
    for pid in ids:
        p = load_profile(pid)
        assert p.id == pid and p.name.zh and p.name.en
        assert referenced_sources(p) <= set(p.sources)
        assert p.legal_basis and all(p.sources[s].quote for s in p.legal_basis)


def test_dated_value_holds_until_next_date_and_null_ends_it() -> None:
    d = Dated[float].model_validate({
        "source": "s", "verified": "2026-01-01",
        "values": {D(2024, 1, 1): 0.07, D(2026, 1, 1): {"value": 0.08, "unverified": True},
                   D(2027, 1, 1): None},
    })
    assert d.at(D(2023, 12, 31)) is None
    assert d.value_at(D(2024, 1, 1)) == 0.07
    assert d.value_at(D(2025, 12, 31)) == 0.07
    got = d.at(D(2026, 6, 1))
    assert got is not None and got.value == 0.08 and got.unverified and got.since == D(2026, 1, 1)
    assert d.at(D(2027, 1, 1)) is None


def test_every_value_needs_a_source_and_a_verification_date() -> None:
    with pytest.raises(ValidationError, match="no source"):
        Dated[int].model_validate({"verified": "2026-01-01", "values": {D(2024, 1, 1): 3}})
    with pytest.raises(ValidationError, match="no verified date"):
        Dated[int].model_validate({"source": "x", "values": {D(2024, 1, 1): 3}})


def test_figures_from_the_domain_notes() -> None:
    bj, sh, gz, sz = (load_profile(p) for p in ("beijing", "shanghai", "guangzhou", "shenzhen"))
    assert bj.schemes.flexible.contribution.fixed_monthly.value_at(D(2025, 7, 1)) == 584.92
    assert bj.schemes.resident.premium.individual["working_age"].value_at(D(2026, 1, 1)) == 795
    # the fixed 55 became the statutory retirement age by birth month (2024 NPC decision)
    assert not sh.schemes.flexible.max_age
    upper, sh_rate = sh.schemes.flexible.upper_age, sh.schemes.flexible.contribution.rate
    assert upper is not None and upper.value_at(D(2026, 1, 1)).female == "women_55"  # type: ignore[union-attr]
    assert sh_rate is not None and sh_rate.value_at(D(2026, 1, 1)) == 0.10  # SH-gov 2024-11-04
    rate = gz.schemes.flexible.contribution.rate
    assert [rate.value_at(D(y, m, 1)) for y, m in ((2023, 1), (2024, 3), (2026, 1))] == [
        0.08, 0.065, 0.08]
    assert sz.schemes.flexible.contribution.rate.value_at(D(2025, 12, 31)) == 0.07
    assert sz.schemes.flexible.contribution.base_min.value_at(D(2026, 1, 1)) == 6727


def test_cities_inherit_national_rules_they_do_not_override() -> None:
    nat, bj = load_profile("national"), load_profile("beijing")
    assert bj.schemes.resident.waiting_period == nat.schemes.resident.waiting_period
    assert bj.legal_basis == nat.legal_basis
    assert "jrsf_2025_11" in bj.sources and "sil_art23" in bj.sources


def test_a_city_replaces_a_dated_parameter_whole() -> None:
    parent = {"a": {"source": "n", "values": {D(2020, 1, 1): 1, D(2030, 1, 1): 9}}, "b": 1}
    child = {"a": {"source": "c", "values": {D(2025, 1, 1): 5}}}
    merged = merge(parent, child)
    assert merged["a"]["values"] == {D(2025, 1, 1): 5}  # no national 2030 value leaks in
    assert merged["b"] == 1


def test_unverified_sources_make_their_values_unverified() -> None:
    nat = load_profile("national")
    got = resolve(nat, nat.schemes.resident.collection_period, D(2026, 9, 1))
    assert got is not None and got.unverified
    got = resolve(nat, nat.schemes.resident.premium.subsidy_minimum, D(2024, 6, 1))
    assert got is not None and not got.unverified and got.value == 670


def _copy_profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    shutil.copytree(profiles_dir(), folder)
    return folder


def test_a_broken_profile_names_the_file_and_the_field(tmp_path: Path) -> None:
    folder = _copy_profiles(tmp_path)
    path = folder / "shenzhen.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["schemes"]["flexible"]["contribution"]["rate"]["values"][D(2026, 1, 1)] = "eight"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProfileInvalid) as info:
        load_profile_from(path)
    message = str(info.value)
    assert message.startswith("shenzhen.yaml: ")
    assert "schemes.flexible.contribution.rate.values.2026-01-01" in message


def test_an_unknown_source_is_refused(tmp_path: Path) -> None:
    folder = _copy_profiles(tmp_path)
    path = folder / "beijing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "source: jrsf_2025_11", "source: no_such_doc", 1), encoding="utf-8")
    with pytest.raises(ProfileInvalid, match=r"beijing\.yaml: .*unknown source.*no_such_doc"):
        load_profile_from(path)


@pytest.mark.parametrize("text", ["id: [unclosed", "- a list\n- not a mapping\n", ""])
def test_unparseable_profiles_are_reported(tmp_path: Path, text: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileInvalid, match=r"broken\.yaml"):
        load_profile_from(path)


def test_extends_loop_is_caught(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\nextends: b\n")
    (tmp_path / "b.yaml").write_text("id: b\nextends: a\n")
    with pytest.raises(ProfileInvalid, match="loops"):
        load_profile_from(tmp_path / "a.yaml")


@pytest.mark.parametrize("pid", ["atlantis", "../national", "", "Beijing"])
def test_unknown_profile_ids(pid: str) -> None:
    with pytest.raises(UnknownProfile):
        load_profile(pid)
