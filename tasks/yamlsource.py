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


def _build(node: yaml.Node, path: tuple, src: Source) -> Any:
    src.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _LOADER.construct_object(key_node, deep=True)
            if key in out:
                src.problems.append(Problem(src.file, key_node.start_mark.line + 1,
                                            dotted(path + (key,)), f"duplicate key '{key}'"))
                continue
            out[key] = _build(value_node, path + (key,), src)
            src.lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), src) for i, item in enumerate(node.value)]
    return _LOADER.construct_object(node, deep=True)


_LOADER = yaml.SafeLoader("")


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
    src.data = _build(node, (), src)
    return src
