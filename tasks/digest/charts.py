"""The digest's three PNG charts, drawn with matplotlib's Agg canvas (no display, no pyplot).

DejaVu Sans ships with matplotlib and has every Vietnamese glyph. The files are byte-identical
when regenerated: no "Software" stamp and nothing else that depends on the run.
"""
from __future__ import annotations

import textwrap
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


def _bar_colour(rate: float) -> str:
    return (COLOURS["done_on_time"] if rate >= 80 else COLOURS["done_late"] if rate >= 50
            else COLOURS["overdue"])


def agencies_on_time(d: Digest, path: Path, lang: str) -> Path:
    """Each group of peers in a panel of its own (never one league): horizontal bars of each
    agency's on-time rate, best on top; agencies with nothing due yet are left out."""
    words = CHART_LABELS[lang]
    groups = [(g[f"name_{lang}"], [a for a in g["agencies"] if a["on_time_rate"] is not None])
              for g in d.peer_groups]
    groups = [(name, rated) for name, rated in groups if rated]
    heights = [max(len(rated), 1) * 0.3 + 0.55 for _, rated in groups] or [1.0]
    fig = Figure(figsize=(8, 0.8 + sum(heights)), layout="constrained")
    _title(fig, words["agencies"].format(day=fmt_date(d.as_of)))
    if not groups:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, words["none"], ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
        ax.set_xticks([])
        return _save(fig, path)
    axes = fig.subplots(len(groups), 1, sharex=True, gridspec_kw={"height_ratios": heights},
                        squeeze=False)[:, 0]
    for ax, (name, rated) in zip(axes, groups, strict=True):
        rated = rated[::-1]
        rates = [g["on_time_rate"] * 100 for g in rated]
        bars = ax.barh([g[f"name_{lang}"] for g in rated], rates, height=0.65,
                       color=[_bar_colour(r) for r in rates])
        ax.bar_label(bars, labels=[fmt_pct(r, lang) for r in rates], padding=3, fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(name, loc="left", fontsize=9.5, fontweight="bold", color="#1f4e79")
        ax.set_xlim(0, 112)
        ax.set_xticks(range(0, 101, 20))
    axes[-1].set_xlabel(words["rate"])
    return _save(fig, path)


def _wrap(text: str, width: int = 44) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def kpi_trend(d: Digest, path: Path, lang: str) -> Path:
    """One panel per indicator, so that no line hides another: its figure month by month — a
    count as an index of its baseline (= 100, dotted), a rate in % as itself — the latest
    figure written at its last point, and its target (dashed, labelled) inside the panel's
    range rather than on its edge."""
    words = CHART_LABELS[lang]
    base_day = fmt_date(d.profile.get("baseline_on")) if d.profile.get("baseline_on") else ""
    series = [k for k in d.kpi_trend if k["points"] and k["points"][0][_plotted(k)] is not None]
    cols = 2 if len(series) > 1 else 1
    rows = max((len(series) + cols - 1) // cols, 1)
    fig = Figure(figsize=(8, 0.7 + 2.55 * rows), layout="constrained")
    _title(fig, words["trend"].format(day=base_day))
    if not series:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, words["missing"], ha="center", va="center", transform=ax.transAxes,
                color="#607d8b")
        ax.set_xticks([])
        ax.set_yticks([])
        return _save(fig, path)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for n, (ax, k) in enumerate(zip(axes, series, strict=False)):
        colour = LINES[n % len(LINES)]
        months = [p["month"] for p in k["points"]]
        xs = list(range(len(months)))
        percent = k["scale"] == "percent"
        pts = [(x, p[_plotted(k)], p["value"]) for x, p in zip(xs, k["points"], strict=True)
               if p[_plotted(k)] is not None]
        reference = 0.0 if percent else 100.0  # the baseline's level
        ax.axhline(reference, color="#90a4ae", linewidth=1, linestyle=":")
        ax.plot([x for x, _, _ in pts], [y for _, y, _ in pts], marker="o", markersize=4,
                color=colour, linewidth=2)
        ys = [y for _, y, _ in pts] + [reference]
        target = k["target"] if percent else k["target_index"]
        if target is not None:
            ys.append(target)
            ax.axhline(target, color="#c62828", linestyle="--", linewidth=1.2)
            shown = fmt_pct(target, lang) if percent else fmt_num(target, lang)
            ax.annotate(words["target"].format(value=shown), (0, target), xytext=(2, 3),
                        textcoords="offset points", fontsize=8, color="#c62828")
        if percent:
            ax.set_ylabel("%", fontsize=8)
        low, high = min(ys), max(ys)
        pad = max((high - low) * 0.25, 2.0)
        ax.set_ylim(low - pad, high + pad)
        if len(pts) > 1:
            x, y, value = pts[-1]
            ax.annotate((fmt_pct if percent else fmt_num)(value, lang), (x, y), xytext=(0, 6),
                        textcoords="offset points", ha="center", fontsize=8, color=colour,
                        fontweight="bold")
        else:
            ax.text(0.5, 0.62, words["no_data"], ha="center", transform=ax.transAxes,
                    fontsize=8, color="#607d8b")
        ax.set_title(_wrap(k[f"name_{lang}"]), loc="left", fontsize=8.5, fontweight="bold")
        ax.set_xticks(xs, [f"{int(m[5:])}/{m[2:4]}" for m in months], fontsize=7.5)
        ax.tick_params(axis="y", labelsize=7.5)
        ax.grid(axis="y", color="#eceff1", linewidth=0.8)
    for ax in axes[len(series):]:
        ax.set_visible(False)
    fig.supylabel(words["index"].format(day=base_day), fontsize=8.5)
    return _save(fig, path)


def _plotted(k: dict) -> str:
    """What a KPI's panel plots: a rate's value, a count's index."""
    return "value" if k["scale"] == "percent" else "index"


def render_charts(d: Digest, out: Path, lang: str = "vi") -> list[Path]:
    """The three charts written into `out` (file names as in tasks.digest.tables.CHARTS)."""
    with rc_context(STYLE):
        return [status_by_kind(d, out / CHARTS["by_kind"], lang),
                agencies_on_time(d, out / CHARTS["agencies"], lang),
                kpi_trend(d, out / CHARTS["kpis"], lang)]
