"""The digest as documents: Markdown, an HTML email, JSON, charts and a workbook, in one folder.

Templates live in config/templates: `digest.md.j2` and `digest.html.j2` lay the documents out;
`digest.vi.j2` / `digest.en.j2` hold each language's words, so that an office editing the
Vietnamese wording edits one file and both documents follow.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from markupsafe import Markup, escape

from tasks.digest.compile import Digest
from tasks.digest.tables import CHARTS, build_tables, headline, peer_tables
from tasks.settings import TEMPLATES
from tasks.templating import environment
from tasks.words import (
    check_lang,
    fmt_date,
    fmt_num,
    fmt_pct,
    month_label,
    period_label,
    plan_reference,
)

NAMED = 5  # agencies a sentence names before it counts the rest

ROWS = 40  # rows of a table the documents show; the workbook and the JSON keep them all
DOCUMENTS = {"md": "digest.md", "html": "digest.html", "xlsx": "digest.xlsx", "json": "digest.json"}
FILES = DOCUMENTS | {Path(name).stem: name for name in CHARTS.values()}  # key → file name


def names(items: list[str], lang: str) -> str:
    """'A, B và C'; beyond NAMED names, the first ones and how many others."""
    word, others = ("và", "{n} cơ quan, đơn vị khác") if lang == "vi" else ("and", "{n} others")
    if len(items) > NAMED:
        items = [*items[:NAMED - 1], others.format(n=len(items) - NAMED + 1)]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def formats(lang: str) -> SimpleNamespace:
    """How the templates write numbers, dates, months, periods, a plan and a list of names."""
    return SimpleNamespace(num=lambda v: fmt_num(v, lang), pct=lambda v: fmt_pct(v, lang),
                           rate=lambda v: fmt_pct(None if v is None else v * 100, lang),
                           date=fmt_date, month=lambda m: month_label(m, lang),
                           period=lambda p: period_label(p, lang),
                           plan=lambda title: plan_reference(title, lang),
                           names=lambda items: names(list(items), lang) if items else "")


def _render(name: str, d: Digest, lang: str, bold: Callable[[str], Any], templates: Path) -> str:
    check_lang(lang)
    env = environment(templates, escape_all=name.endswith(".html.j2"))
    return env.get_template(name).render(
        d=d, lang=lang, f=formats(lang), h=headline(d), b=bold,
        tables=build_tables(d, lang), peers=peer_tables(d, lang), charts=CHARTS, rows=ROWS)


def render_markdown(d: Digest, lang: str = "vi", templates: Path = TEMPLATES) -> str:
    """The digest in Markdown; charts are linked by file name (they sit beside it)."""
    return _render("digest.md.j2", d, lang, lambda x: f"**{x}**", templates)


def render_html(d: Digest, lang: str = "vi", templates: Path = TEMPLATES) -> str:
    """The HTML email; charts are linked by file name (sending turns them into cid: parts)."""
    return _render("digest.html.j2", d, lang, lambda x: Markup("<strong>%s</strong>") % escape(x),
                   templates)


def subject(d: Digest, lang: str = "vi", templates: Path = TEMPLATES) -> str:
    """The email's subject line, from the language's words."""
    check_lang(lang)
    module = environment(templates).get_template(f"digest.{lang}.j2").make_module()
    # A template's macros are its module's attributes, which jinja2's TemplateModule type
    # cannot declare.
    line = module.subject(d, formats(lang))  # type: ignore[attr-defined]
    return " ".join(str(line).split())


def digest_json(d: Digest) -> str:
    return json.dumps(d.as_json(), ensure_ascii=False, indent=2) + "\n"


def write_digest(d: Digest, out_dir: Path, lang: str = "vi",
                 templates: Path = TEMPLATES) -> dict[str, Path]:
    """Write the digest's files into `out_dir` (by convention out/digests/YYYY-MM): digest.md,
    .html, .xlsx, .json and the three charts; their paths by key (md, html, xlsx, json and
    the charts' names: status-by-kind, agencies-on-time, kpi-trend)."""
    from tasks.digest.charts import render_charts
    from tasks.digest.xlsx import write_workbook

    check_lang(lang)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {key: folder / name for key, name in FILES.items()}
    for key, text in (("md", render_markdown(d, lang, templates)),
                      ("html", render_html(d, lang, templates)), ("json", digest_json(d))):
        paths[key].write_text(text, encoding="utf-8")
    write_workbook(d, paths["xlsx"], lang)
    render_charts(d, folder, lang)
    return paths
