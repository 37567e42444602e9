"""An application with every text field at the longest the schema allows, in realistic
characters: what a form's cells must hold without running into each other."""

from __future__ import annotations

import json
from typing import Any

from forms.application import Application
from tests.conftest import SAMPLES

_TEXT = {
    "address": ("新疆维吾尔自治区伊犁哈萨克自治州霍尔果斯市卡拉苏河路"
                "１２３号院（东区）7号楼3单元1201室"),
    "name": "阿卜杜热合曼·买买提艾力·欧阳䶮𠇔",
    "number": "410102199203080262",
}


def _max_lengths(schema: dict[str, Any], defs: dict[str, Any], prefix: str = "",
                 ) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf", [prop])
        for opt in options:
            if "$ref" in opt:
                sub = defs[opt["$ref"].split("/")[-1]]
                out |= _max_lengths(sub, defs, f"{prefix}{name}.")
            elif opt.get("type") == "string" and "maxLength" in opt and "enum" not in opt \
                    and "format" not in opt and "pattern" not in opt:
                out[f"{prefix}{name}"] = opt["maxLength"]
    return out


def _fill(path: str, length: int) -> str:
    key = ("address" if "address" in path else "number"
           if any(k in path for k in ("number", "account", "mobile")) else "name")
    seed = _TEXT[key]
    return (seed * (length // len(seed) + 1))[:length]


def longest_application() -> Application:
    raw = json.loads((SAMPLES / "complete" / "application.json").read_text("utf-8"))
    schema = Application.model_json_schema()
    raw.setdefault("guardian", {})
    for path, length in _max_lengths(schema, schema.get("$defs", {})).items():
        if path.startswith("materials") or path == "profile_id":
            continue
        *parents, leaf = path.split(".")
        node = raw
        for part in parents:
            node = node.setdefault(part, {}) if node.get(part) is not None else \
                node.__setitem__(part, {}) or node[part]
        node[leaf] = _fill(path, length)
    raw["applicant"]["assisted_group"] = "dibao"
    return Application.model_validate(raw)
