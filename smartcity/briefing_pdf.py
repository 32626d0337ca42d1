"""The briefing as an A4 landscape PDF (fpdf2): a summary page, one page per pillar, a risks page.

Text is set in DejaVu Sans from matplotlib's own font folder, so Indonesian text renders the
same on every machine without any system font. Text from agencies (activity names, notes,
obstacles) is written as plain text (fpdf2 interprets no markup unless asked) and is wrapped
and cut to a fixed number of lines, so nothing runs off a page.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from smartcity import charts_static
from smartcity.briefing import Briefing, KpiBrief, PillarBrief
from smartcity.charts_static import (
    CHANGE_COLORS, DARK, GRID as RULE, HEADER_FILL, MUTED, RISK_BAND, SHADE, TEXT, change_text, filters_text,
    footer_text, kpi_change, kpi_target, kpi_value, long_date, pct, plain, ranking_rows, risk_cells, status_name,
)
from smartcity.domain import PILLAR_COLORS, RAG_COLORS, STATUS_COLORS, Pillar, Status
from smartcity.formatting import format_count, format_percent, format_rupiah
from smartcity.i18n import t

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
PAGE_W, PAGE_H, MARGIN = 297.0, 210.0, 10.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = 196.0                    # content stops here; the footer is below


class _Pdf(FPDF):
    """A4 landscape with the briefing's footer (as-of date, filters, source, page) on every page."""

    def __init__(self, briefing: Briefing):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_auto_page_break(False)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.alias_nb_pages("{nb}")
        self.set_title(t("brief.title", briefing.lang))
        self.set_creator("Kotim Smart City")
        self.set_lang("en" if briefing.lang == "en" else "id")

    def footer(self) -> None:
        self.set_draw_color(RULE)
        self.line(MARGIN, BOTTOM + 2, PAGE_W - MARGIN, BOTTOM + 2)
        self.set_xy(MARGIN, BOTTOM + 3.5)
        self.font(7, color=MUTED)
        page = t("brief.page", self.briefing.lang, n=self.page_no(), total="{nb}")
        self.cell(CONTENT_W - 30, 4, footer_text(self.briefing))
        self.cell(30, 4, page, align="R")

    def font(self, size: float, bold: bool = False, color: str = TEXT) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(color)

    def fit(self, text: str, width: float) -> str:
        """`text` on one line of `width`, cut with an ellipsis when too long."""
        width -= 2 * self.c_margin
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text.rstrip() + "…"

    def lines(self, text: str, width: float, max_lines: int) -> list[str]:
        """`text` wrapped to `width`, at most `max_lines` lines (the last cut with an ellipsis)."""
        if not text:
            return [""]
        if self.get_string_width(text) <= width - 2 * self.c_margin - 0.2:
            return [text]  # fits on one line: skip the (slow) line breaker
        wrapped = self.multi_cell(width, 4, text, dry_run=True, output=MethodReturnValue.LINES)
        if len(wrapped) <= max_lines:
            return wrapped
        return [*wrapped[: max_lines - 1], self.fit(wrapped[max_lines - 1] + "…", width)]

    def dot(self, x: float, y: float, color: str, r: float = 1.3) -> None:
        self.set_fill_color(color)
        self.circle(x, y, r, style="F")


def write_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes."""
    pdf = _Pdf(briefing)
    _summary_page(pdf, briefing)
    for pillar in briefing.pillars:
        _pillar_page(pdf, briefing, pillar)
    _risks_page(pdf, briefing)
    return bytes(pdf.output())


# -- page parts ------------------------------------------------------------------------------------

def _header(pdf: _Pdf, b: Briefing, title: str, color: str) -> float:
    """The coloured band with the page title and the date, and the filters under it. Returns the y below."""
    pdf.add_page()
    pdf.set_fill_color(color)
    pdf.rect(0, 0, PAGE_W, 17, style="F")
    pdf.set_xy(MARGIN, 4)
    pdf.font(16, bold=True, color="#ffffff")
    date_text = t("brief.as_of", b.lang, date=long_date(b.as_of, b.lang))
    pdf.cell(CONTENT_W - 70, 9, pdf.fit(title, CONTENT_W - 70))
    pdf.font(11, bold=True, color="#ffffff")
    pdf.cell(70, 9, date_text, align="R")
    pdf.set_xy(MARGIN, 19)
    pdf.font(8, color=MUTED)
    pdf.cell(CONTENT_W, 5, pdf.fit(f"{t('brief.title', b.lang)}  |  {filters_text(b)}", CONTENT_W))
    return 27


def _section(pdf: _Pdf, x: float, y: float, w: float, title: str) -> float:
    pdf.set_xy(x, y)
    pdf.font(10, bold=True)
    pdf.cell(w, 6, pdf.fit(title, w))
    pdf.set_draw_color(RULE)
    pdf.line(x, y + 6.5, x + w, y + 6.5)
    return y + 8


def _status_strip(pdf: _Pdf, x: float, y: float, w: float, counts: dict[str, int]) -> None:
    """A thin bar split by status counts, in the status colours."""
    total = sum(counts.values())
    pdf.set_fill_color(SHADE)
    pdf.rect(x, y, w, 2.5, style="F")
    if not total:
        return
    for status in charts_static.STATUS_ORDER:
        part = w * counts.get(status.value, 0) / total
        if part > 0:
            pdf.set_fill_color(STATUS_COLORS[status])
            pdf.rect(x, y, part, 2.5, style="F")
            x += part


def _status_legend(pdf: _Pdf, x: float, y: float, w: float, counts: dict[str, int], lang: str,
                   size: float = 7.5) -> None:
    """"● Selesai 11  ● Sesuai jadwal 21 ..." on one line."""
    pdf.font(size)
    end = x + w
    for status in charts_static.STATUS_ORDER:
        text = f"{status_name(status.value, lang)} {counts.get(status.value, 0)}"
        need = pdf.get_string_width(text) + 6
        if x + need > end:
            break
        pdf.dot(x + 1.3, y + 2, STATUS_COLORS[status])
        pdf.set_xy(x + 3, y)
        pdf.cell(need - 3, 4, text)
        x += need


def _pillar_card(pdf: _Pdf, x: float, y: float, w: float, h: float, p: PillarBrief, lang: str) -> None:
    color = PILLAR_COLORS[Pillar(p.key)]
    pdf.set_fill_color(SHADE)
    pdf.rect(x, y, w, h, style="F")
    pdf.set_fill_color(color)
    pdf.rect(x, y, 2.5, h, style="F")
    inner, cx = w - 8, x + 5
    pdf.set_xy(cx, y + 2)
    pdf.font(12, bold=True, color=color)
    pdf.cell(inner, 6, t(f"pillar.{p.key}", lang))
    pdf.set_xy(cx, y + 8)
    pdf.font(8, color=MUTED)
    band = f"  |  {t('predikat.' + p.predikat, lang)}" if p.predikat else ""
    pdf.cell(inner, 4, pdf.fit(t("brief.actions", lang, n=format_count(p.actions)) + band, inner))
    half = inner / 2
    for i, (label, m) in enumerate(((t("brief.achievement", lang), p.achievement),
                                    (t("brief.absorption", lang), p.absorption))):
        mx = cx + i * half
        pdf.set_xy(mx, y + 13.5)
        pdf.font(7.5, color=MUTED)
        pdf.cell(half, 4, pdf.fit(label, half))
        pdf.dot(mx + 2, y + 22.5, RAG_COLORS.get(m.status, RAG_COLORS["none"]), r=1.6)
        pdf.set_xy(mx + 4.5, y + 18.5)
        pdf.font(16, bold=True)
        pdf.cell(half - 4.5, 8, pct(m.value))
        pdf.set_xy(mx, y + 26.5)
        pdf.font(7.5, color=MUTED)
        target = t("brief.target", lang, value=format_percent(m.target)) if m.target is not None else ""
        pdf.cell(half, 4, target)
    pdf.set_xy(cx, y + 31.5)
    pdf.font(7.5)
    pdf.cell(inner, 4, pdf.fit(t("brief.budget_line", lang, budget=format_rupiah(p.budget),
                                 spent=format_rupiah(p.budget_spent)), inner))
    _status_strip(pdf, cx, y + 37, inner, p.status_counts)
    pdf.set_xy(cx, y + 40.5)
    late, at_risk = p.status_counts.get("late", 0), p.status_counts.get("at_risk", 0)
    pdf.font(7.5)
    text = f"{status_name('late', lang)} {late}  |  {status_name('at_risk', lang)} {at_risk}  |  " \
           f"{status_name('done', lang)} {p.status_counts.get('done', 0)}"
    pdf.cell(inner, 4, pdf.fit(text, inner))


def _table(pdf: _Pdf, x: float, y: float, columns: list[tuple[str, float, str]], rows: list[list],
           bottom: float, max_lines: int = 2, size: float = 7.5, line_h: float = 3.4, total: int | None = None) -> float:
    """A table of plain-text cells wrapped to `max_lines`. A cell may be (text, dot colour).

    Rows that do not fit above `bottom`, and items beyond `rows` up to `total`, are counted in a
    last line ("... dan 3 lainnya"). Returns the y below the table.
    """
    total = max(total or 0, len(rows))
    width = sum(w for _, w, _ in columns)
    pdf.set_fill_color(HEADER_FILL)
    pdf.rect(x, y, width, 6, style="F")
    pdf.font(size, bold=True)
    cx = x
    for title, w, align in columns:
        pdf.set_xy(cx, y + 1)
        pdf.cell(w, 4, pdf.fit(title, w), align=align)
        cx += w
    y += 6.5
    drawn = 0
    for row in rows:
        pdf.font(size)
        cells = []
        for (_, w, _), cell in zip(columns, row):
            text, color = cell if isinstance(cell, tuple) else (cell, None)
            cells.append((pdf.lines(plain(text), w - (3 if color else 0), max_lines), color))
        height = max(len(c[0]) for c in cells) * line_h + 1.6
        room_for_more = 5 if drawn < total - 1 else 0
        if y + height > bottom - room_for_more:
            break
        cx = x
        for (_, w, align), (lines, color) in zip(columns, cells):
            tx = cx
            if color:
                pdf.dot(cx + 1.8, y + 0.8 + line_h / 2, color, r=1.1)
                tx += 3
            for j, line in enumerate(lines):
                pdf.set_xy(tx, y + 0.8 + j * line_h)
                pdf.cell(w - (tx - cx), line_h, line, align=align)
            cx += w
        y += height
        drawn += 1
        pdf.set_draw_color(RULE)
        pdf.line(x, y, x + width, y)
    if drawn < total:
        pdf.set_xy(x, y + 0.5)
        pdf.font(size, color=MUTED)
        pdf.cell(width, 4, t("brief.more", pdf.briefing.lang, n=format_count(total - drawn)))
        y += 5
    return y


# -- pages -------------------------------------------------------------------------------------------

def _summary_page(pdf: _Pdf, b: Briefing) -> None:
    y = _header(pdf, b, t("brief.summary_title", b.lang), DARK)
    gap = 5
    card_w = (CONTENT_W - 2 * gap) / 3
    for i, p in enumerate(b.pillars):
        _pillar_card(pdf, MARGIN + i * (card_w + gap), y, card_w, 46, p, b.lang)
    y += 52
    kpi_w, rank_w = 108.0, 80.0
    change_w = CONTENT_W - kpi_w - rank_w - 2 * gap
    _kpi_table(pdf, MARGIN, y, kpi_w, b.kpis, b.lang)
    _ranking(pdf, MARGIN + kpi_w + gap, y, rank_w, b)
    _changes(pdf, MARGIN + kpi_w + rank_w + 2 * gap, y, change_w, b)


def _kpi_table(pdf: _Pdf, x: float, y: float, w: float, kpis: list[KpiBrief], lang: str) -> None:
    y = _section(pdf, x, y, w, t("brief.kpis", lang))
    cols = [(t("brief.col_kpi", lang), w - 62, "L"), (t("brief.col_value", lang), 20, "R"),
            (t("brief.col_target", lang), 17, "R"), (t("brief.col_change", lang), 25, "R")]
    rows = [[(k.name, RAG_COLORS.get(k.status, RAG_COLORS["none"])), kpi_value(k), kpi_target(k),
             kpi_change(k, lang)] for k in kpis]
    _table(pdf, x, y, cols, rows, BOTTOM, max_lines=2)


def _ranking(pdf: _Pdf, x: float, y: float, w: float, b: Briefing) -> None:
    """Agencies ranked by achievement, with their budget absorption and its rank."""
    lang = b.lang
    y = _section(pdf, x, y, w, t("brief.ranking", lang))
    cols = [(t("brief.col_rank", lang), 7, "R"), (t("brief.col_agency", lang), w - 7 - 16 - 26, "L"),
            (t("brief.col_achievement", lang), 16, "R"), (t("brief.col_absorption", lang), 26, "R")]
    fitting = int((BOTTOM - y - 6.5) // 5.0)      # one 7-point line per row
    _table(pdf, x, y, cols, ranking_rows(b, fitting), BOTTOM, max_lines=1, size=7)


def _changes(pdf: _Pdf, x: float, y: float, w: float, b: Briefing) -> None:
    lang, ch = b.lang, b.changes
    if ch.since is None:
        y = _section(pdf, x, y, w, t("brief.changes_title", lang, date="–"))
        pdf.set_xy(x, y)
        pdf.font(8, color=MUTED)
        pdf.multi_cell(w, 4, t("brief.no_previous", lang))
        return
    y = _section(pdf, x, y, w, t("brief.changes_title", lang, date=long_date(ch.since, lang)))
    if not ch.counts:
        pdf.set_xy(x, y)
        pdf.font(8, color=MUTED)
        pdf.cell(w, 4, t("brief.no_changes", lang))
        return
    for kind, n in ch.counts.items():
        pdf.dot(x + 1.5, y + 2, CHANGE_COLORS[kind])
        pdf.set_xy(x + 4, y)
        pdf.font(8)
        pdf.cell(w - 16, 4, t(f"brief.kind.{kind}", lang))
        pdf.font(8, bold=True)
        pdf.cell(12, 4, format_count(n), align="R")
        y += 4.3
    y += 2
    rows = [[(plain(r.agency_short), CHANGE_COLORS[r.kind]), change_text(r, lang)] for r in ch.top.itertuples()]
    _table(pdf, x, y, [(t("brief.col_agency", lang), 24, "L"), (t("brief.col_kind", lang), w - 24, "L")],
           rows, BOTTOM, max_lines=2, size=7, line_h=3.2)


def _pillar_page(pdf: _Pdf, b: Briefing, p: PillarBrief) -> None:
    lang = b.lang
    color = PILLAR_COLORS[Pillar(p.key)]
    y = _header(pdf, b, t("brief.pillar_title", lang, pillar=t(f"pillar.{p.key}", lang)), color)
    # Key figures on one line of boxes.
    figures = [
        (t("brief.achievement", lang), p.achievement),
        (t("brief.absorption", lang), p.absorption),
    ]
    box_w = 62.0
    for i, (label, m) in enumerate(figures):
        bx = MARGIN + i * (box_w + 4)
        pdf.set_fill_color(SHADE)
        pdf.rect(bx, y, box_w, 14, style="F")
        pdf.dot(bx + 4, y + 7, RAG_COLORS.get(m.status, RAG_COLORS["none"]), r=1.8)
        pdf.set_xy(bx + 7, y + 1.5)
        pdf.font(7.5, color=MUTED)
        pdf.cell(box_w - 8, 4, pdf.fit(label, box_w - 8))
        pdf.set_xy(bx + 7, y + 5.5)
        pdf.font(13, bold=True)
        pdf.cell(24, 7, pct(m.value))
        pdf.font(7.5, color=MUTED)
        if m.target is not None:
            pdf.cell(box_w - 32, 7, t("brief.target", lang, value=format_percent(m.target)))
    bx = MARGIN + 2 * (box_w + 4)
    rest = CONTENT_W - (bx - MARGIN)
    pdf.set_fill_color(SHADE)
    pdf.rect(bx, y, rest, 14, style="F")
    pdf.set_xy(bx + 3, y + 1.5)
    pdf.font(8, bold=True)
    band = f"  |  {t('predikat.' + p.predikat, lang)}" if p.predikat else ""
    pdf.cell(rest - 6, 4, pdf.fit(t("brief.actions", lang, n=format_count(p.actions)) + band, rest - 6))
    pdf.set_xy(bx + 3, y + 5.5)
    pdf.font(7.5)
    pdf.cell(rest - 6, 4, pdf.fit(t("brief.budget_line", lang, budget=format_rupiah(p.budget),
                                    spent=format_rupiah(p.budget_spent)), rest - 6))
    _status_legend(pdf, bx + 3, y + 9.5, rest - 6, p.status_counts, lang, size=7)
    y += 18
    # The two charts side by side.
    chart_w = (CONTENT_W - 7) / 2
    chart_h = chart_w * charts_static.SIZE[1] / charts_static.SIZE[0]
    titles = (t("brief.chart_agencies", lang), t("brief.chart_status", lang))
    for i, (title, png) in enumerate(zip(titles, charts_static.pillar_charts(b, p))):
        cx = MARGIN + i * (chart_w + 7)
        pdf.set_xy(cx, y)
        pdf.font(9, bold=True)
        pdf.cell(chart_w, 5, title)
        pdf.image(png, x=cx, y=y + 5.5, w=chart_w, h=chart_h)
    y += chart_h + 7
    title = f"{t('brief.pillar_risks', lang)} ({format_count(p.risk_count)})"
    y = _section(pdf, MARGIN, y, CONTENT_W, title)
    if p.risks.empty:
        pdf.set_xy(MARGIN, y)
        pdf.font(8, color=MUTED)
        pdf.cell(CONTENT_W, 4, t("brief.no_risks", lang))
        return
    _risk_table(pdf, y, p.risks, lang, total=p.risk_count, max_lines=2)


def _risk_columns(lang: str) -> list[tuple[str, float, str]]:
    return [(t("brief.col_rank", lang), 7, "R"), (t("brief.col_status", lang), 28, "L"),
            (t("brief.col_agency", lang), 27, "L"), (t("brief.col_activity", lang), 58, "L"),
            (t("brief.col_progress", lang), 20, "R"), (t("brief.col_due", lang), 22, "L"),
            (t("brief.col_reason", lang), 46, "L"), (t("brief.col_follow_up", lang), 43, "L"),
            (t("brief.col_owner", lang), CONTENT_W - 251, "L")]


def _risk_table(pdf: _Pdf, y: float, risks: pd.DataFrame, lang: str, total: int, **style) -> None:
    rows = []
    for i, r in enumerate(risks.itertuples(), start=1):
        cells: list = risk_cells(r, i, lang)
        cells[1] = (cells[1], STATUS_COLORS[Status(r.status)])
        rows.append(cells)
    _table(pdf, MARGIN, y, _risk_columns(lang), rows, BOTTOM, total=total, **style)


def _risks_page(pdf: _Pdf, b: Briefing) -> None:
    lang = b.lang
    y = _header(pdf, b, t("brief.risks_title", lang), RISK_BAND)
    pdf.set_xy(MARGIN, y)
    pdf.font(9, color=MUTED)
    pdf.cell(CONTENT_W, 5, t("brief.risk_count", lang, n=format_count(b.total.risk_count)))
    y += 7
    if b.risks.empty:
        pdf.set_xy(MARGIN, y)
        pdf.font(9)
        pdf.cell(CONTENT_W, 5, t("brief.no_risks", lang))
        return
    _risk_table(pdf, y, b.risks, lang, total=b.total.risk_count, max_lines=3, size=8.5, line_h=3.9)
