"""The catalog: every sentence the code writes in English has its Vietnamese, with the same
fields, and the catalog holds nothing the code no longer says. Sentences are found in the
source: the first argument of an error of tasks.errors or of a Phrase."""
from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import tasks.errors as errors
from tasks.words import vi
from tasks.words.phrase import Figure, Phrase, either

ROOT = Path(__file__).resolve().parents[1]
SAYERS = {name for name, obj in vars(errors).items()
          if isinstance(obj, type) and issubclass(obj, errors.PlantrackError)
          and not issubclass(obj, (errors.Unavailable, errors.Invalid))} | {"Phrase"}


def _calls() -> list[tuple[str, int, ast.expr]]:
    """(file, line, first argument) of every call that makes a sentence."""
    out = []
    for path in sorted([*ROOT.glob("tasks/**/*.py"), *ROOT.glob("flows/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in SAYERS:
                    out.append((str(path.relative_to(ROOT)), node.lineno, node.args[0]))
    return out


CALLS = _calls()
TEMPLATES = {arg.value for _, _, arg in CALLS
             if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_sentences_are_templates_not_formatted_strings():
    formatted = [f"{f}:{line}" for f, line, arg in CALLS if isinstance(arg, ast.JoinedStr)]
    assert not formatted, f"f-strings given as sentences (use a template and values): {formatted}"


def test_every_sentence_has_its_vietnamese_with_the_same_fields():
    missing = sorted(TEMPLATES - vi.MESSAGES.keys())
    assert not missing, f"no Vietnamese for: {missing}"
    differ = [t for t in TEMPLATES if _fields(t) != _fields(vi.MESSAGES[t])]
    assert not differ, f"fields differ: {differ}"


def test_the_catalog_holds_only_what_the_code_says():
    assert not sorted(vi.MESSAGES.keys() - TEMPLATES - set(vi.SAID_ELSEWHERE))


@pytest.mark.parametrize("lang, expected", [
    ("en", "bad: 'xx' is not vi or en"), ("vi", "bad: 'xx' không phải là vi hoặc en")])
def test_a_phrase_is_said_in_the_readers_language(lang, expected):
    assert Phrase("{field}: '{lang}' is not {choices}", field="bad", lang="xx",
                  choices=either(["vi", "en"])).said(lang) == expected


def test_figures_are_shown_the_readers_way_and_nested_phrases_translated():
    inner = errors.BadInput("{field}: '{lang}' is not {choices}", field="f", lang="x",
                            choices="y")
    outer = Phrase("{field}: '{lang}' is not {choices}", field=inner, lang=Figure(11441),
                   choices=Figure(72.5))
    assert outer.said("vi") == "f: 'x' không phải là y: '11.441' không phải là 72,5"
    assert str(outer) == "f: 'x' is not y: '11,441' is not 72.5"
