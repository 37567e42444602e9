"""Read a profile file keeping the line of every key, so each problem names its line.

A service point edits these files by hand; "schemes.flexible.rate.values.2026-01-01:
not a number" is only useful with "line 31" beside it. PyYAML's composer keeps a mark on
every node, so the file is composed once, its lines indexed by dotted path, and the data
constructed from the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

MAX_BYTES = 1_000_000  # a profile is a few kilobytes; anything this big is not one


@dataclass
class Problem:
    line: int | None
    where: str
    message: str

    def text(self, file: str) -> str:
        at = f"{file}:{self.line}" if self.line else file
        return f"{at}: {self.where}: {self.message}" if self.where else f"{at}: {self.message}"


@dataclass
class Marked:
    data: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, loc: tuple[str, ...]) -> int | None:
        """The line of the deepest part of ``loc`` the file spells out."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None


class MarkedError(ValueError):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _index(node: yaml.Node, path: tuple[str, ...], lines: dict[tuple[str, ...], int],
           seen: set[int]) -> None:
    if id(node) in seen:  # an alias: refuse, as a "billion laughs" file would use them
        raise MarkedError(Problem(lines.get(path, node.start_mark.line + 1), ".".join(path),
                                  "anchors and aliases are not allowed"))
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, str(key.value))
            lines.setdefault(sub, key.start_mark.line + 1)
            _index(value, sub, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            sub = (*path, str(i))
            lines.setdefault(sub, item.start_mark.line + 1)
            _index(item, sub, lines, seen)


def read_marked(path: Path) -> Marked:
    """The file's data and the line of every key; raises MarkedError with the line."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise MarkedError(Problem(None, "", f"larger than {MAX_BYTES // 1000} kB"))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MarkedError(Problem(None, "", exc.strerror or "cannot be read")) from exc
    except UnicodeDecodeError as exc:
        raise MarkedError(Problem(None, "", "not UTF-8 text")) from exc
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise MarkedError(Problem(1, "", "empty file"))
        lines: dict[tuple[str, ...], int] = {}
        _index(node, (), lines, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise MarkedError(Problem(mark.line + 1 if mark else None, "",
                                  f"not valid YAML ({exc.problem})")) from exc
    except yaml.YAMLError as exc:
        raise MarkedError(Problem(None, "", "not valid YAML")) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise MarkedError(Problem(1, "", "not a mapping"))
    return Marked(data, lines)


def _loc_text(part: object) -> str:
    from forms.profiles.loader import _loc_part

    return _loc_part(part)


def problems_of(exc: ValidationError, marked: Marked) -> list[Problem]:
    """Every pydantic error, each with the line of the key it is about."""
    out: list[Problem] = []
    for err in exc.errors():
        loc = tuple(_loc_text(p) for p in err["loc"])
        out.append(Problem(marked.line_of(loc), ".".join(loc), err["msg"]))
    return out
