"""The digest's three PNG charts, drawn with matplotlib's Agg canvas (no display, no pyplot).

DejaVu Sans ships with matplotlib and has every Vietnamese glyph. The files are byte-identical
when regenerated: no "Software" stamp and nothing else that depends on the run.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tasks.digest.compile import Digest
from tasks.digest.tables import CHARTS
from tasks.status import CATEGORIES
from tasks.words import CATEGORY_LABELS, CHART_LABELS, KIND_LABELS, fmt_date, fmt_num, fmt_pct

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

COLOURS = {"done_on_time": "#2e7d32", "done_late": "#9e9d24", "in_progress": "#1565c0",
           "overdue": "#c62828", "not_due": "#b0bec5"}
LINES = ("#1565c0", "#6a1b9a", "#ef6c00", "#00838f", "#5d4037", "#ad1457")
STYLE: dict[RcKeyType, Any] = {"font.family": "DejaVu Sans", "font.size": 10,
                               "axes.spines.top": False, "axes.spines.right": False}
DPI = 120


def _title(fig: Figure, text: str) -> None:
    """A title from the figure's left edge: long agency names would push an axes title off."""
    fig.suptitle(text, x=0.01, ha="left", fontsize=12, fontweight="bold")


def _save(fig: Figure, path: Path) -> Path:
    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
    return path


def status_by_kind(d: Digest, path: Path, lang: str) -> Path:
    """Stacked horizontal bars: one per task kind, one segment per status category."""
    kinds = list(reversed(d.by_kind))  # the first kind on top
    words = CHART_LABELS[lang]
    fig = Figure(figsize=(8, 1.6 + 0.55 * max(len(kinds), 1)), layout="constrained")
    ax = fig.add_subplot()
    labels = [KIND_LABELS[lang].get(g["kind"], g["kind"]) for g in kinds]
    left = [0] * len(kinds)
    for cat in CATEGORIES:
        widths = [g[cat] for g in kinds]
        bars = ax.barh(labels, widths, left=left, color=COLOURS[cat],
                       label=CATEGORY_LABELS[lang][cat], height=0.6)
        ax.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center",
                     color="white" if cat != "not_due" else "#263238", fontsize=9)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    _title(fig, words["kinds"].format(day=fmt_date(d.as_of)))
    ax.set_xlabel(words["count"])
    fig.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=9)
    return _save(fig, path)


def agencies_on_time(d: Digest, path: Path, lang: str) -> Path:
    """Horizontal bars of each agency's on-time rate, best on top (none due yet: left out)."""
    rated = [g for g in d.agencies if g["on_time_rate"] is not None][::-1]
    words = CHART_LABELS[lang]
    fig = Figure(figsize=(8, 1.4 + 0.3 * max(len(rated), 2)), layout="constrained")
    ax = fig.add_subplot()
    _title(fig, words["agencies"].format(day=fmt_date(d.as_of)))
    if rated:
        rates = [g["on_time_rate"] * 100 for g in rated]
        bars = ax.barh([g[f"name_{lang}"] for g in rated], rates, height=0.65,
                       color=[COLOURS["done_on_time"] if r >= 80 else COLOURS["done_late"]
                              if r >= 50 else COLOURS["overdue"] for r in rates])
        ax.bar_label(bars, labels=[fmt_pct(r, lang) for r in rates], padding=3, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
    else:
        ax.text(0.5, 0.5, words["none"], ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlim(0, 110)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(words["rate"])
    return _save(fig, path)


def kpi_trend(d: Digest, path: Path, lang: str) -> Path:
    """Each indicator as an index of its 30/06/2024 baseline, month by month, with its target."""
    words = CHART_LABELS[lang]
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    ax = fig.add_subplot()
    _title(fig, words["trend"])
    series = [k for k in d.kpi_trend if k["points"] and k["points"][0]["index"] is not None]
    months = [p["month"] for p in series[0]["points"]] if series else [d.month]
    xs = list(range(len(months)))
    ax.axhline(100, color="#90a4ae", linewidth=1)
    for colour, k in zip(LINES * 3, series, strict=False):
        pts = [(x, p["index"]) for x, p in zip(xs, k["points"], strict=True)
               if p["index"] is not None]
        ax.plot([x for x, _ in pts], [y for _, y in pts], marker="o", color=colour,
                label=k[f"name_{lang}"], linewidth=2)
        if k["target_index"] is not None:
            ax.axhline(k["target_index"], color=colour, linestyle="--", linewidth=1,
                       label=words["target"].format(value=fmt_num(k["target_index"], lang)))
    if all(p["index"] is None for k in series for p in k["points"][1:]):
        ax.text(0.5, 0.5, words["missing"], ha="center", va="center",
                transform=ax.transAxes, color="#607d8b")
    ax.set_xticks(xs, [f"{m[5:]}/{m[:4]}" for m in months])
    ax.set_ylabel(words["index"])
    if series:
        fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=8)
    return _save(fig, path)


def render_charts(d: Digest, out: Path, lang: str = "vi") -> list[Path]:
    """The three charts written into `out` (file names as in tasks.digest.tables.CHARTS)."""
    with rc_context(STYLE):
        return [status_by_kind(d, out / CHARTS["by_kind"], lang),
                agencies_on_time(d, out / CHARTS["agencies"], lang),
                kpi_trend(d, out / CHARTS["kpis"], lang)]
