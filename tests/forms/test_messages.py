"""Every message exists in Chinese and English, and every catalog entry is used."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string

import pytest

from forms import vocabulary as v
from forms.application import Application, field_paths
from forms.errors import ERROR_CLASSES, FileMissing, UnknownProfile
from forms.messages import catalog, render_error, render_finding, system_lang, t
from forms.profiles import load_profile
from tests.conftest import ROOT, SAMPLES, TODAY
from tests.forms.helpers import changed, check

_FINDING_FACTORIES = {"error", "warning", "info", "_finding"}
_LITERAL_KEY = re.compile(r"""["']((?:cli|note|hint|packet|ui)\.[a-z_.]+)["']""")


def _finding_codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in [*(ROOT / "forms").rglob("*.py"), *(ROOT / "cli").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in _FINDING_FACTORIES and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                codes.add(node.args[0].value)
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "_unusable" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                codes.add(f"reason.{node.args[0].value}")
        codes |= {
            "reason." + kw.value.value for node in ast.walk(tree) if isinstance(node, ast.Call)
            for kw in node.keywords if kw.arg == "reason"
            and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
        }
        codes |= {
            c.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
            for c in node.values if isinstance(c, ast.Constant) and isinstance(c.value, str)
            and c.value.startswith(("id_number.", "guardian.id_number."))
        }
    return codes


def keys_in_use() -> set[str]:
    found = _finding_codes_in_source()
    keys = {f"finding.{c}" for c in found if not c.startswith("reason.")}
    keys |= {c for c in found if c.startswith("reason.")}
    keys |= {cls.code for cls in ERROR_CLASSES}
    keys |= {f"field.{p}" for p in field_paths()}
    for prefix, values in [("material", v.MATERIAL_KINDS), ("scheme", v.SCHEMES),
                           ("situation", v.SITUATIONS), ("id_type", v.ID_TYPES),
                           ("sex", v.SEXES), ("hukou_type", v.HUKOU_TYPES),
                           ("severity", v.SEVERITIES), ("category", v.PREMIUM_CATEGORIES),
                           ("group", v.GROUPS), ("assisted_group", v.ASSISTED_GROUPS),
                           ("retirement_category", v.RETIREMENT_CATEGORIES),
                           ("waiting_reading", v.WAITING_READINGS),
                           ("relation", v.RELATIONS)]:
        keys |= {f"{prefix}.{x}" for x in values}
    from cli import _ARGPARSE_MESSAGES
    from desktop import vocabulary as dv
    from forms.ocr.fields import FIELD_NAMES

    # keys the desktop composes from its closed sets
    for prefix, values in [("ui.task", dv.TASKS), ("ui.status", dv.STATUSES),
                           ("ui.material", dv.MATERIAL_ACTIONS), ("ui.error", dv.CHECKED_INPUTS),
                           ("ui.help", v.MATERIAL_KINDS), ("ocr.field", FIELD_NAMES),
                           ("ui.need", ("required", "recommended", "optional"))]:
        keys |= {f"{prefix}.{x}" for x in values}

    keys |= {f"reason.{reason}" for _, reason in _ARGPARSE_MESSAGES}
    for folder in ("forms", "desktop", "cli"):
        for path in (ROOT / folder).rglob("*.py"):
            literal = set(_LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
            keys |= literal - found  # a finding code is keyed under "finding."
    return keys


def test_the_scan_finds_the_codes_it_should() -> None:
    found = _finding_codes_in_source()
    assert {"required", "id_number.checksum", "eligibility.too_old", "material.missing",
            "reason.not_json"} <= found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalog_has_every_key_in_use_and_nothing_else(lang: str) -> None:
    used, have = keys_in_use(), set(catalog(lang))
    assert not used - have, f"missing in {lang}: {sorted(used - have)}"
    assert not have - used, f"unused in {lang}: {sorted(have - used)}"


def test_both_languages_use_the_same_placeholders() -> None:
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en)
    fmt = string.Formatter()
    for key in zh:
        # a plural choice "{count|problem|problems}" names the parameter it counts
        names_zh = {f.split("|")[0] for _, f, _, _ in fmt.parse(zh[key]) if f}
        names_en = {f.split("|")[0] for _, f, _, _ in fmt.parse(en[key]) if f}
        assert names_zh == names_en, key


def test_chinese_catalog_is_chinese() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for key, text in catalog("zh").items():
        words = re.sub(r"\{[a-z_]+\}", "", text)
        if re.search(r"[A-Za-z]{3,}", words.replace("yibao-desk", "").replace("YYYY-MM-DD", "")):
            assert cjk.search(text), f"untranslated: {key}"


def _scenarios() -> list[Application]:
    raw = (SAMPLES / "incomplete" / "application.json").read_text(encoding="utf-8")
    return [
        Application(),
        Application.model_validate_json(raw),
        changed(applicant={"sex": "male", "birth_date": "1992-03-09",
                           "id_valid_until": "2026-12-01"},
                residence={"permit_number": None, "permit_valid_until": "2020-01-01"},
                bank={"holder": "别人", "account": "12"}, contact={"email": "x@"},
                scheme={"gap_years": 2}, employment={"situation": "employed"}),
        changed(materials=[{"kind": "hukou_head_page", "file": "x.jpg"}]),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_render_without_gaps(lang: str) -> None:
    rendered = 0
    for app in _scenarios():
        for on in (TODAY, dt.date(2027, 5, 1)):
            result = check(app, "national", on, base_dir=SAMPLES / "incomplete")
            for f in result.findings:
                text = render_finding(f, lang, load_profile("national"))
                assert "{" not in text and "?" not in text and "finding." not in text, text
                rendered += 1
    assert rendered > 30


def test_vocabulary_in_params_is_translated() -> None:
    f = next(f for f in check(changed(materials=[]), "national").findings
             if f.code == "material.missing")
    zh = render_finding(f, "zh", load_profile("national"))
    assert "身份证件人像面" in zh and "社会保险经办条例" in zh and "id_card" not in zh


def test_errors_render_in_both_languages() -> None:
    assert "atlantis" in render_error(UnknownProfile("atlantis", profile="atlantis"), "zh")
    assert render_error(FileMissing("a.json", file="a.json"), "en") == "File not found: a.json."
    assert "意外" in render_error(RuntimeError("boom"), "zh")


def test_missing_key_shows_itself_instead_of_crashing() -> None:
    assert t("no.such.key", "en") == "no.such.key"


@pytest.mark.parametrize(("env", "lang"), [({"LANG": "en_GB.UTF-8"}, "en"),
                                           ({"LANG": "zh_CN.UTF-8"}, "zh"),
                                           ({"LC_ALL": "C"}, "zh")])
def test_system_language(monkeypatch: pytest.MonkeyPatch, env: dict[str, str],
                         lang: str) -> None:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    for k, val in env.items():
        monkeypatch.setenv(k, val)
    assert system_lang() == lang
