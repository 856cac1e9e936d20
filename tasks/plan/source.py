"""YAML files read with the line of every value, so errors can say FILE:LINE: path: message."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


@dataclass
class Source:
    """A parsed YAML document and where each value came from."""

    file: str
    data: Any = None
    lines: dict[tuple, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: tuple) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.file, self.line(path), dotted(path), message))


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


MERGE = "tag:yaml.org,2002:merge"


class _Builder:
    """Turns a composed YAML node tree into Python values, noting the line of every value.

    Unlike PyYAML's loader it reports duplicate keys instead of keeping the last one, and it
    never raises: a scalar that looks like a date but is not one (2024-13-01) stays a string,
    so that schema validation can say what is wrong with it.
    """

    def __init__(self, src: Source):
        self.src = src
        self.loader = yaml.SafeLoader("")
        self.open: set[int] = set()  # nodes being built, to stop recursive aliases

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.src.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.open:
            self.src.problems.append(Problem(self.src.file, node.start_mark.line + 1,
                                             dotted(path), "an alias refers to itself"))
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            return self._scalar(node)
        finally:
            self.open.discard(id(node))

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError):
            return node.value

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        merges = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.src.problems.append(Problem(
                    self.src.file, line, dotted(path),
                    "a key must be a plain word, not a list or mapping"))
                continue
            key = self._scalar(key_node)
            if key in out:
                self.src.problems.append(Problem(self.src.file, line, dotted(path + (key,)),
                                                 f"duplicate key '{key}'"))
                continue
            self.src.lines[path + (key,)] = line
            out[key] = self.build(value_node, path + (key,))
        for value_node in merges:
            self._merge(value_node, path, out)
        return out

    def _merge(self, value_node: yaml.Node, path: tuple, out: dict[Any, Any]) -> None:
        """`<<: *anchor` (or a list of anchors): keys written here win, then earlier anchors."""
        parts = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for part in parts:
            if not isinstance(part, yaml.MappingNode) or id(part) in self.open:
                why = ("an alias refers to itself" if id(part) in self.open
                       else "<< merges only mappings")
                self.src.problems.append(Problem(self.src.file, part.start_mark.line + 1,
                                                 dotted(path), why))
                continue
            # Built aside: the anchor's own problems are reported where it is defined.
            aside = _Builder(Source(self.src.file))
            aside.open = self.open
            merged = aside._mapping(part, path)
            for key, value in merged.items():
                if key in out:
                    continue
                out[key] = value
                below = path + (key,)
                self.src.lines.update({p: n for p, n in aside.lines_under(below)})

    def lines_under(self, path: tuple) -> list[tuple[tuple, int]]:
        return [(p, n) for p, n in self.src.lines.items() if p[:len(path)] == path]


def read(path: Path | str) -> Source:
    """Parse a YAML file; malformed YAML becomes a Problem, never an exception."""
    path = Path(path)
    src = Source(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        src.problems.append(Problem(str(path), 1, "(file)", f"cannot read: {exc}"))
        return src
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        src.problems.append(
            Problem(str(path), line, "(file)", f"malformed YAML: {getattr(exc, 'problem', exc)}"))
        return src
    if node is None:
        src.problems.append(Problem(str(path), 1, "(file)", "the file is empty"))
        return src
    src.data = _Builder(src).build(node, ())
    return src
