"""The command line's help and usage errors: every command, option and argument has its help in
every language, in one catalog (tasks/words/vi.py and en.py HELP), and nothing else is there;
a help page and a mistyped option read in the language asked for."""
from __future__ import annotations

import re

import pytest
import typer

from flows.cli import app
from flows.cli.app import _tree
from tasks.words import HELP_WORDS, LANGS


def _keys() -> set[str]:
    keys = {"--help"}
    for path, cmd in _tree(typer.main.get_command(app), ()):
        keys.add(" ".join(path))
        for p in cmd.params:
            name = p.opts[0] if p.param_type_name == "option" else str(p.name).upper()
            keys.add(" ".join((*path, name)))
    return keys


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_option_and_argument_has_its_help_and_nothing_else_is_there(lang):
    keys = _keys()
    assert not sorted(keys - HELP_WORDS[lang].keys()), "missing help"
    assert not sorted(HELP_WORDS[lang].keys() - keys), "help for nothing"
    assert all(HELP_WORDS[lang].values())


@pytest.mark.parametrize("args", [["--help"], ["status", "--help"], ["plan", "check", "--help"],
                                  ["report", "--help"]])
def test_help_pages_are_vietnamese_by_default_and_english_when_asked(cli, args):
    vi = cli(*args).stdout
    assert "Cách dùng: " in vi and "Tùy chọn" in vi
    english = re.compile(r"\b(Usage|Options|Commands|Arguments|OPTIONS|COMMAND|required|Show "
                         r"this|<str>|<bool>|<int>|<list)\b")
    assert not english.findall(vi)
    en = cli("--lang", "en", *args).stdout
    assert "Usage: " in en and "Options" in en and "Cách dùng" not in en


def test_a_subcommands_own_lang_option_does_not_change_the_language_spoken(cli):
    assert "Cách dùng: root digest" in cli("digest", "--lang", "en", "--help").stdout


@pytest.mark.parametrize("args, vi, en", [
    (["statu"], "không có lệnh 'statu'. Có phải là 'status'?", "No such command 'statu'"),
    (["status", "--as-of"], "tùy chọn '--as-of' cần một giá trị.", "requires an argument"),
    (["web", "--port", "abc"], "giá trị không hợp lệ cho '--port': cần một số nguyên",
     "Invalid value for '--port': expected a whole number"),
    (["report"], "thiếu tham số 'NHIỆM_VỤ'", "Missing argument 'TASK'"),
])
def test_a_mistyped_command_line_is_told_in_the_language_asked_for(cli, args, vi, en):
    said = cli(*args)
    assert said.exit_code == 2 and vi in said.stderr
    said = cli("--lang", "en", *args)
    assert said.exit_code == 2 and en in said.stderr


def test_a_language_plantrack_does_not_speak_is_refused_naming_where_it_came_from(
        cli, monkeypatch):
    said = cli("--lang", "xx", "status")
    assert (said.exit_code, said.stderr) == (
        2, "plantrack: --lang: 'xx' không phải là vi hoặc en\n")
    monkeypatch.setenv("PLANTRACK_LANG", "xx")
    said = cli("status")
    assert (said.exit_code, said.stderr) == (
        2, "plantrack: PLANTRACK_LANG: 'xx' không phải là vi hoặc en\n")
