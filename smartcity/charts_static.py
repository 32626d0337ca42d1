"""What the PDF and the PPTX briefing both draw: charts and the words every page repeats.

Charts are PNG images drawn offline with matplotlib (Agg) at DPI 200, in the dashboard's
colours: pillars from domain.PILLAR_COLORS, statuses from domain.STATUS_COLORS. Labels that come
from data are drawn as plain text (no mathtext: a "$" stays a "$").

The words (dates, filters, KPI figures, risk rows) are formatted here once so that both exports
say the same thing; numbers are written the Indonesian way ("75,5%") in both languages.
"""
from __future__ import annotations

import io
from functools import lru_cache
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # no display on the server; must come before pyplot

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from smartcity.domain import PILLAR_COLORS, STATUS_COLORS, Pillar, Status  # noqa: E402
from smartcity.formatting import format_percent, is_missing  # noqa: E402
from smartcity.i18n import t  # noqa: E402
from smartcity.briefing_text import (  # noqa: E402,F401 - the words, for briefing_pdf / briefing_pptx too
    CHANGE_COLORS, change_text, filters_text, footer_text, kpi_change, kpi_target, kpi_value, long_date, pct, plain,
    ranking_rows, reason_text, risk_cells, status_name,
)

if TYPE_CHECKING:
    from smartcity.briefing import Briefing, KpiBrief, PillarBrief

DPI = 200
SIZE = (6.4, 3.6)          # inches, 16:9: the same image fits a PDF half page and a PPTX half slide
MAX_AGENCIES = 12          # bars per chart; the rest are counted under the chart
MIN_SLOTS = 6              # the bar thickness of six agencies is the thickest a chart draws
# The briefing's palette besides the status, pillar and traffic-light colours of smartcity.domain.
TEXT, MUTED, GRID, SHADE = "#202124", "#5f6368", "#dadce0", "#f1f3f4"
DARK = "#1f3b5c"          # title band of the summary
RISK_BAND = "#8c1d18"     # title band of the risks page
HEADER_FILL = "#e8eef7"   # table headings
# The order statuses stack in, best news first, and the order of the legend.
STATUS_ORDER = (Status.DONE, Status.ON_TRACK, Status.NOT_STARTED, Status.AT_RISK, Status.LATE)

plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "axes.edgecolor": GRID,
                     "axes.labelcolor": TEXT, "xtick.color": TEXT, "ytick.color": TEXT})


def _png(fig: Figure, hidden: int = 0, lang: str = "id") -> bytes:
    """The figure as PNG bytes at DPI; `hidden` agencies that did not fit are counted under it."""
    if hidden:
        fig.text(0.01, 0.005, t("brief.chart_more", lang, n=hidden), fontsize=8, color=MUTED)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return buffer.getvalue()


def _label(text: object, limit: int = 22) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lighter(hex_color: str, share: float = 0.55) -> str:
    """`hex_color` mixed with white (share 0..1 of white)."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * share) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def _rows(agencies: pd.DataFrame, columns: tuple[str, ...]) -> tuple[tuple, ...]:
    """The first MAX_AGENCIES agencies (already ranked) as plain tuples (missing -> None): a cache key."""
    head = agencies.head(MAX_AGENCIES)[list(columns)].astype(object)
    return tuple(tuple(None if is_missing(v) else v for v in row) for row in head.itertuples(index=False))


def _empty(fig: Figure, lang: str) -> bytes:
    fig.text(0.5, 0.5, t("brief.no_actions", lang), ha="center", va="center", color=MUTED, parse_math=False)
    return _png(fig)


def _frame(fig: Figure, ax, labels: list[str], top: float, bottom: float) -> None:
    """Agencies down the side, best at the top; a light grid along the values.

    Margins are set from the longest label rather than by a layout engine (several times faster).
    """
    labels = [_label(x) for x in labels]
    longest = max((len(x) for x in labels), default=4)
    left = min(0.36, (longest * 6.2 + 14) / (SIZE[0] * 72))
    fig.subplots_adjust(left=left, right=0.98, top=top, bottom=bottom)
    positions = range(len(labels))
    ax.set_yticks(list(positions), labels=labels, parse_math=False)
    # Best at the top; room for at least MIN_SLOTS agencies, so that a lone bar is not a slab.
    ax.set_ylim(max(len(labels), MIN_SLOTS) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def agency_chart(agencies: pd.DataFrame, pillar: str, target: float | None, lang: str = "id") -> bytes:
    """Achievement and budget absorption per agency (ranked by achievement), with the achievement target.

    `agencies` has agency_short, achievement and absorption in percent.
    """
    rows = _rows(agencies, ("agency_short", "achievement", "absorption"))
    return _agency_png(rows, len(agencies) - len(rows), pillar, target, lang)


def status_chart(agencies: pd.DataFrame, lang: str = "id") -> bytes:
    """Actions per agency stacked by status, in the same agency order as `agency_chart`.

    `agencies` has agency_short and one count column per status.
    """
    rows = _rows(agencies, ("agency_short", *(s.value for s in STATUS_ORDER)))
    return _status_png(rows, len(agencies) - len(rows), lang)


# Drawing is the slow part of an export; the same figures (a PDF and a PPTX of one briefing,
# or the same week asked twice) are drawn once.
@lru_cache(maxsize=64)
def _agency_png(rows: tuple, hidden: int, pillar: str, target: float | None, lang: str) -> bytes:
    fig = plt.figure(figsize=SIZE)
    if not rows:
        return _empty(fig, lang)
    names, raw_ach, raw_abs = zip(*rows)
    color = PILLAR_COLORS[Pillar(pillar)] if pillar in {p.value for p in Pillar} else PILLAR_COLORS[Pillar.INTEGRATION]
    ax = fig.add_subplot()
    n, height = len(rows), 0.38
    ach = [float(v or 0) for v in raw_ach]
    absorb = [float(v or 0) for v in raw_abs]
    ys = list(range(n))
    ax.barh([y - height / 2 for y in ys], ach, height, color=color, label=t("brief.achievement", lang))
    ax.barh([y + height / 2 for y in ys], absorb, height, color=_lighter(color),
            label=t("brief.absorption", lang))
    _frame(fig, ax, list(names), top=0.9, bottom=0.09)
    ax.set_xlim(0, max(110.0, *(v + 18 for v in ach + absorb)))
    ax.xaxis.set_major_formatter(lambda v, _pos: format_percent(v, 0))
    small = max(6.5, 9 - 0.2 * max(0, n - 8))
    # Value labels are outlined in white so that the target line never runs through a number.
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    for y, a, b, value_a, value_b in zip(ys, ach, absorb, raw_ach, raw_abs):
        ax.text(a + 1, y - height / 2, pct(value_a), va="center", fontsize=small, color=TEXT,
                path_effects=halo, zorder=4)
        ax.text(b + 1, y + height / 2, pct(value_b), va="center", fontsize=small, color=MUTED,
                path_effects=halo, zorder=4)
    if target is not None:
        ax.axvline(target, color=TEXT, linestyle="--", linewidth=0.9, zorder=3)
        ax.text(target, 1.0, " " + t("brief.target", lang, value=format_percent(target, 0)), ha="left",
                va="bottom", fontsize=9, color=TEXT, transform=ax.get_xaxis_transform())
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2, fontsize=9, frameon=False,
              handlelength=1.0, borderaxespad=0.2)
    return _png(fig, hidden, lang)


@lru_cache(maxsize=64)
def _status_png(rows: tuple, hidden: int, lang: str) -> bytes:
    fig = plt.figure(figsize=SIZE)
    if not rows:
        return _empty(fig, lang)
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    left = [0.0] * len(rows)
    for i, status in enumerate(STATUS_ORDER, start=1):
        counts = [float(row[i] or 0) for row in rows]
        ax.barh(ys, counts, 0.7, left=left, color=STATUS_COLORS[status], label=t(f"status.{status.value}", lang))
        for y, x0, c in zip(ys, left, counts):
            if c >= 1:
                ax.text(x0 + c / 2, y, f"{int(c)}", ha="center", va="center", fontsize=8.5,
                        color="white" if status is not Status.AT_RISK else TEXT)
        left = [a + b for a, b in zip(left, counts)]
    _frame(fig, ax, [row[0] for row in rows], top=0.98, bottom=0.16)
    ax.set_xlim(0, max(left) * 1.05 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    # Centred on the figure, not the axes, so that the legend has the figure's whole width.
    fig.legend(loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=len(STATUS_ORDER), fontsize=8.5,
               frameon=False, handlelength=1.0, columnspacing=0.8)
    return _png(fig, hidden, lang)


def pillar_charts(briefing: Briefing, pillar: PillarBrief) -> tuple[bytes, bytes]:
    """The agency chart and the status chart of one pillar of a briefing."""
    return (agency_chart(pillar.agencies, pillar.key, pillar.achievement.target, briefing.lang),
            status_chart(pillar.agencies, briefing.lang))
