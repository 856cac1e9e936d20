"""YAML files read with the line of every value, so errors can say FILE:LINE: path: message.

Reading is bounded: a file must be a regular file of at most MAX_PLAN_BYTES, UTF-8 text without
control characters; YAML nests at most MAX_YAML_DEPTH levels, and aliases (`*name`, `<<:
*name`) may add at most MAX_ALIAS_VALUES values in all, so no file — an alias bomb, a device,
a file of brackets — takes unbounded time or memory. Whatever is wrong becomes a Problem naming
the file and line, never an exception. YAML is composed by libyaml when PyYAML has it (about
four times faster); its error messages are PyYAML's, found again by the pure-Python parser.
"""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tasks.errors import char_name, visible
from tasks.settings import MAX_ALIAS_VALUES, MAX_PLAN_BYTES, MAX_YAML_DEPTH
from tasks.words.phrase import Figure, Phrase, said

_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters YAML refuses or an editor does not show as they count: C0 controls but tab, line
# feed and carriage return; DEL; C1 controls (NEL included); the line and paragraph separators.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
# In a value (written as an escape, "\x07"): every control character but tab and line feed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SHOWN_CONTROLS = 20  # control characters reported one by one, then counted
_RETRACE_BYTES = 2_000_000  # malformed YAML: the pure-Python parser looks again up to here


@dataclass
class Problem:
    file: str
    line: int
    path: str
    message: str | Phrase

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        """FILE:LINE: PATH: what is wrong, in `lang`."""
        return f"{self.file}:{self.line}: {self.path}: {said(self.message, lang)}"


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

    def problem(self, path: tuple, message: str | Phrase) -> None:
        self.problems.append(Problem(self.file, self.line(path), dotted(path), message))


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        part = part if isinstance(part, int) else visible(str(part))
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


MERGE = "tag:yaml.org,2002:merge"
STR = "tag:yaml.org,2002:str"


class _Stop(Exception):
    """A bound was passed: the problem is recorded, and building stops."""


@dataclass
class _Budget:
    """What building may still do, shared by a builder and the ones it makes for merges."""

    built: int = 0  # values built, aliases expanded included
    seen: set[int] = field(default_factory=set)  # the nodes of the document, once each
    told: set[int] = field(default_factory=set)  # scalars whose problem is reported (once)


class _Builder:
    """Turns a composed YAML node tree into Python values, noting the line of every value.

    Unlike PyYAML's loader it reports duplicate keys instead of keeping the last one, and it
    never raises: a scalar that looks like a date but is not one (2024-13-01) stays a string,
    so that schema validation can say what is wrong with it.
    """

    def __init__(self, src: Source, budget: _Budget | None = None):
        self.src = src
        self.loader = yaml.SafeLoader("")
        self.open: set[int] = set()  # nodes being built, to stop recursive aliases
        self.budget = budget or _Budget()

    def build(self, node: yaml.Node, path: tuple) -> Any:
        line = node.start_mark.line + 1
        self.src.lines.setdefault(path, line)
        self._count(node, path, line)
        if id(node) in self.open:
            self.src.problems.append(Problem(self.src.file, line, dotted(path),
                                             Phrase("an alias refers to itself")))
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
            return self._scalar(node, path)
        finally:
            self.open.discard(id(node))

    def _count(self, node: yaml.Node, path: tuple, line: int) -> None:
        b = self.budget
        b.built += 1
        b.seen.add(id(node))
        if len(path) > MAX_YAML_DEPTH:
            self.src.problems.append(Problem(
                self.src.file, line, dotted(path[:MAX_YAML_DEPTH]), _too_deep()))
            raise _Stop
        if b.built - len(b.seen) > MAX_ALIAS_VALUES:
            self.src.problems.append(Problem(self.src.file, line, dotted(path), Phrase(
                "aliases (*name and <<: *name) repeat more than {most} values: an alias should "
                "repeat a short list or a few settings, not multiply them",
                most=Figure(MAX_ALIAS_VALUES))))
            raise _Stop

    def _scalar(self, node: yaml.Node, path: tuple = ()) -> Any:
        if node.tag == STR:
            value: Any = node.value
        else:
            try:
                value = self.loader.yaml_constructors[node.tag](self.loader, node)
            except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError):
                value = node.value
        if isinstance(value, str) and (bad := _CONTROL.search(value)) \
                and id(node) not in self.budget.told:  # once, not again at each alias
            self.budget.told.add(id(node))
            self.src.problems.append(Problem(
                self.src.file, node.start_mark.line + 1, dotted(path),
                Phrase("control character {char} in '{text}': remove it",
                       char=char_name(bad.group()), text=visible(value))))
        return value

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
                    Phrase("a key must be a plain word, not a list or mapping")))
                continue
            key = self._scalar(key_node, path)
            if key in out:
                self.src.problems.append(Problem(
                    self.src.file, line, dotted(path + (key,)),
                    Phrase("duplicate key '{key}'", key=visible(str(key)))))
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
                why = (Phrase("an alias refers to itself") if id(part) in self.open
                       else Phrase("<< merges only mappings"))
                self.src.problems.append(Problem(self.src.file, part.start_mark.line + 1,
                                                 dotted(path), why))
                continue
            # Built aside: the anchor's own problems are reported where it is defined.
            aside = _Builder(Source(self.src.file), self.budget)
            aside.open = self.open
            try:
                merged = aside._mapping(part, path)
            finally:
                stops = [p for p in aside.src.problems if "levels deep" in str(p.message)
                         or "aliases (*name" in str(p.message)]
                self.src.problems += stops  # a bound passed inside the merge is the plan's
            for key, value in merged.items():
                if key in out:
                    continue
                out[key] = value
                below = path + (key,)
                self.src.lines.update({p: n for p, n in aside.lines_under(below)})

    def lines_under(self, path: tuple) -> list[tuple[tuple, int]]:
        return [(p, n) for p, n in self.src.lines.items() if p[:len(path)] == path]


def _size(n: int) -> Phrase:
    return Phrase("{size} MB", size=Figure(round(n / 1e6, 1)))


def _too_deep() -> Phrase:
    return Phrase("nested more than {most} levels deep: a plan nests its mappings and lists "
                  "about 10 levels deep", most=MAX_YAML_DEPTH)


def _text(path: Path, src: Source) -> str | None:
    """The file's text, once it is known to be a regular file of a bounded size, in UTF-8 and
    without control characters; None (and the problems) otherwise."""
    def refuse(message: Phrase, line: int = 1) -> str | None:
        src.problems.append(Problem(str(path), line, "(file)", message))
        return None

    try:
        st = path.stat()
    except FileNotFoundError:
        return refuse(Phrase("there is no such file"))
    except OSError as exc:
        return refuse(_unreadable(exc))
    if stat.S_ISDIR(st.st_mode):
        return refuse(Phrase("this is a folder, not a file"))
    if not stat.S_ISREG(st.st_mode):
        return refuse(Phrase("not a regular file (a device, a pipe or a socket): give a YAML "
                             "file"))
    if st.st_size > MAX_PLAN_BYTES:
        return refuse(Phrase("too large: {size} (a plan file or agency directory is at most "
                             "{most}; a national plan's is under 1 MB)",
                             size=_size(st.st_size), most=_size(MAX_PLAN_BYTES)))
    try:
        with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as f:
            data = f.read(MAX_PLAN_BYTES + 1)
    except OSError as exc:
        return refuse(_unreadable(exc))
    if len(data) > MAX_PLAN_BYTES:  # it grew since
        return refuse(Phrase("too large: more than {most}", most=_size(MAX_PLAN_BYTES)))
    text = _decode(data, refuse)
    if text is None:
        return None
    found = list(_RAW_CONTROL.finditer(text))
    for m in found[:_SHOWN_CONTROLS]:
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        refuse(Phrase("control character {char} at column {column}: remove it",
                      char=char_name(m.group()), column=column), line)
    if len(found) > _SHOWN_CONTROLS:
        refuse(Phrase("{n} more control characters: is this a text file?",
                      n=Figure(len(found) - _SHOWN_CONTROLS)),
               text.count("\n", 0, found[_SHOWN_CONTROLS].start()) + 1)
    return None if found else text


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _decode(data: bytes, refuse: Callable[..., str | None]) -> str | None:
    """UTF-8 text (a UTF-8 byte-order mark is allowed); anything else is named in words."""
    save = Phrase("save it as UTF-8 (in Notepad: Save As, Encoding UTF-8)")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return refuse(Phrase("the file is {name} text (it starts with a {name} byte-order "
                                 "mark): {save}", name=name, save=save))
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:  # every other byte: UTF-16 without a mark
        return refuse(Phrase("the file looks like UTF-16 text (every other byte is zero): "
                             "{save}", save=save))
    if b"\x00" in head:
        return refuse(Phrase("not a text file (it contains zero bytes): give the YAML file"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start:exc.start + 1].hex().upper()
        try:
            data.decode("cp1258")
            guess: Phrase | str = Phrase(", probably Windows-1258 (Vietnamese Windows)")
        except UnicodeDecodeError:
            guess = ""
        refuse(Phrase("the file is not UTF-8 text (byte 0x{byte} on this line{guess}): {save}",
                      byte=byte, guess=guess, save=save), line)
        return None


def _unreadable(exc: OSError) -> Phrase:
    return Phrase("cannot read it: {reason}", reason=(exc.strerror or str(exc)).lower())


def _malformed(exc: yaml.YAMLError, text: str) -> tuple[int, Phrase]:
    """(line, message) of malformed YAML, in PyYAML's words: libyaml's differ, so the
    pure-Python parser reads the text again up to the line libyaml stopped at."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 1
    problem = str(getattr(exc, "problem", None) or exc)
    if "maximum nesting depth" in problem:
        return line, _too_deep()
    end = -1
    for _ in range(line + 1):  # up to the end of the line after the one libyaml names
        end = text.find("\n", end + 1)
        if end < 0:
            end = len(text)
            break
    if _COMPOSER is not yaml.SafeLoader and end <= _RETRACE_BYTES:
        try:
            yaml.compose(text[:end], Loader=yaml.SafeLoader)
        except yaml.YAMLError as again:
            mark2 = getattr(again, "problem_mark", None)
            if mark2 is not None and mark2.line + 1 == line:
                problem = str(getattr(again, "problem", None) or again)
        except RecursionError:
            pass
    return line, Phrase("malformed YAML: {problem}", problem=problem)


def read(path: Path | str) -> Source:
    """Parse a YAML file; malformed YAML becomes a Problem, never an exception."""
    path = Path(path)
    src = Source(str(path))
    text = _text(path, src)
    if text is None:
        return src
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError as exc:
        line, message = _malformed(exc, text)
        src.problems.append(Problem(str(path), line, "(file)", message))
        return src
    if node is None:
        src.problems.append(Problem(str(path), 1, "(file)", Phrase("the file is empty")))
        return src
    try:
        src.data = _Builder(src).build(node, ())
    except _Stop:
        src.data = None
    return src
