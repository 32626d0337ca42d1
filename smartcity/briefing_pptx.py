"""The briefing as a 16:9 PowerPoint deck (python-pptx): a summary slide, one per pillar, a risks slide.

Slide titles sit in the layout's title placeholder (so PowerPoint's outline and screen readers
see them) and are in the briefing's language. Text from agencies is set as plain runs (python-pptx
escapes it; nothing is interpreted) and cut to what fits its cell, since PowerPoint grows a
table row to fit its text and would push a long one off the slide.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from smartcity import charts_static
from smartcity.briefing import Briefing, Measure, PillarBrief
from smartcity.charts_static import (
    CHANGE_COLORS, DARK, GRID as RULE, HEADER_FILL, MUTED, RISK_BAND, SHADE, TEXT, change_text, filters_text,
    footer_text, kpi_change, kpi_target, kpi_value, long_date, pct, plain, ranking_rows, risk_cells, status_name,
)
from smartcity.domain import PILLAR_COLORS, RAG_COLORS, STATUS_COLORS, Pillar, Status
from smartcity.formatting import format_count, format_percent, format_rupiah
from smartcity.i18n import t

SLIDE_W, SLIDE_H, MARGIN = 13.333, 7.5, 0.4
CONTENT_W = SLIDE_W - 2 * MARGIN
TITLE_ONLY = 5            # the default template's "Title Only" layout
DOT = "●"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#"))


def write_pptx(briefing: Briefing) -> bytes:
    """The briefing as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)   # 13,333 x 7,5 in: 16:9
    total = len(briefing.pillars) + 2
    _summary_slide(prs, briefing, total)
    for i, pillar in enumerate(briefing.pillars, start=2):
        _pillar_slide(prs, briefing, pillar, i, total)
    _risks_slide(prs, briefing, total)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# -- shapes ------------------------------------------------------------------------------------------

def _rect(slide, x, y, w, h, color: str, shape=MSO_SHAPE.RECTANGLE):
    box = slide.shapes.add_shape(shape, Inches(x), Inches(y), Inches(w), Inches(h))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(color)
    box.line.fill.background()
    box.shadow.inherit = False
    return box


def _runs(paragraph, parts: list[tuple[str, dict]]) -> None:
    """Add runs (text, style) to a paragraph; style: size, bold, color."""
    for text, style in parts:
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(style.get("size", 11))
        run.font.bold = style.get("bold", False)
        run.font.color.rgb = _rgb(style.get("color", TEXT))


def _text(slide, x, y, w, h, parts, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, wrap=True):
    """A text box; `parts` is a text, a list of (text, style) runs, or a list of such lists (paragraphs)."""
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    frame = box.text_frame
    frame.word_wrap = wrap
    frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.02))
    if isinstance(parts, str):
        parts = [[(parts, {})]]
    elif parts and isinstance(parts[0], tuple):
        parts = [parts]
    for i, paragraph_parts in enumerate(parts):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        _runs(paragraph, paragraph_parts)
    return box


def _fit(text: str, width_in: float, size: float, lines: int = 1) -> str:
    """`text` cut to about what `lines` lines of `width_in` inches hold at `size` points."""
    per_line = max(4, int(width_in * 72 / (size * 0.6)))
    return plain(text, limit=max(4, int(per_line * lines * (0.85 if lines > 1 else 1))))


def _table(slide, x, y, columns: list[tuple[str, float, PP_ALIGN]], rows: list[list], size: float = 10,
           lines: int = 1, row_h: float | None = None):
    """A table of plain text; a cell may be (text, dot colour). Text is cut to fit `lines` lines."""
    row_h = row_h or (size * 1.25 * lines + 8) / 72
    shape = slide.shapes.add_table(len(rows) + 1, len(columns), Inches(x), Inches(y),
                                   Inches(sum(w for _, w, _ in columns)), Inches(row_h * (len(rows) + 1)))
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    for j, (_, w, _) in enumerate(columns):
        table.columns[j].width = Inches(w)
    for i in range(len(rows) + 1):
        table.rows[i].height = Inches(row_h if i else (size * 1.25 + 8) / 72)
    for i, row in enumerate([[title for title, _, _ in columns], *rows]):
        for j, (cell_value, (_, w, align)) in enumerate(zip(row, columns)):
            text, color = cell_value if isinstance(cell_value, tuple) else (cell_value, None)
            cell = table.cell(i, j)
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(HEADER_FILL if i == 0 else ("#ffffff" if i % 2 else "#f8f9fa"))
            cell.margin_left = cell.margin_right = Inches(0.05)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.TOP if i else MSO_ANCHOR.MIDDLE
            frame = cell.text_frame
            frame.word_wrap = True
            paragraph = frame.paragraphs[0]
            paragraph.alignment = align
            parts = []
            room = w - 0.1 - (0.18 if color else 0)
            if color:
                parts.append((DOT + " ", {"size": size, "color": color}))
            parts.append((_fit(str(text), room, size, 1 if i == 0 else lines),
                          {"size": size, "bold": i == 0, "color": TEXT}))
            _runs(paragraph, parts)
    return shape


# -- slide parts ---------------------------------------------------------------------------------------

def _slide(prs, b: Briefing, title: str, color: str, number: int, total: int):
    """A slide with the coloured title band, the date, the filters and the footer. Returns the slide."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
    band = _rect(slide, 0, 0, SLIDE_W, 0.95, color)
    tree = slide.shapes._spTree
    tree.remove(band._element)
    tree.insert(2, band._element)          # behind the title placeholder
    heading = slide.shapes.title
    heading.left, heading.top, heading.width, heading.height = Inches(MARGIN), Inches(0.1), Inches(8.6), Inches(0.75)
    heading.text_frame.text = title
    heading.text_frame.word_wrap = True
    heading.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = heading.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(26), True, _rgb("#ffffff")
    _text(slide, 9.1, 0.1, SLIDE_W - 9.1 - MARGIN, 0.75,
          [(t("brief.as_of", b.lang, date=long_date(b.as_of, b.lang)), {"size": 15, "bold": True, "color": "#ffffff"})],
          align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.MIDDLE)
    _text(slide, MARGIN, 1.0, CONTENT_W, 0.3,
          [(_fit(f"{t('brief.title', b.lang)}  |  {filters_text(b)}", CONTENT_W, 10), {"size": 10, "color": MUTED})])
    line = _rect(slide, MARGIN, SLIDE_H - 0.45, CONTENT_W, 0.01, RULE)
    line.line.fill.background()
    _text(slide, MARGIN, SLIDE_H - 0.42, CONTENT_W - 1.8, 0.3,
          [(_fit(footer_text(b), CONTENT_W - 1.8, 9), {"size": 9, "color": MUTED})])
    _text(slide, SLIDE_W - MARGIN - 1.8, SLIDE_H - 0.42, 1.8, 0.3,
          [(t("brief.page", b.lang, n=number, total=total), {"size": 9, "color": MUTED})], align=PP_ALIGN.RIGHT)
    return slide


def _measure_parts(label: str, m: Measure, lang: str, size: float = 22) -> list[list[tuple[str, dict]]]:
    target = t("brief.target", lang, value=format_percent(m.target)) if m.target is not None else ""
    return [[(label, {"size": 10, "color": MUTED})],
            [(DOT + " ", {"size": size * 0.7, "color": RAG_COLORS.get(m.status, RAG_COLORS["none"])}),
             (pct(m.value), {"size": size, "bold": True})],
            [(target, {"size": 10, "color": MUTED})]]


def _pillar_card(slide, x, y, w, h, p: PillarBrief, lang: str) -> None:
    color = PILLAR_COLORS[Pillar(p.key)]
    _rect(slide, x, y, w, h, SHADE)
    _rect(slide, x, y, 0.08, h, color)
    band = f"  |  {t('predikat.' + p.predikat, lang)}" if p.predikat else ""
    _text(slide, x + 0.2, y + 0.08, w - 0.3, 0.6,
          [[(t(f"pillar.{p.key}", lang), {"size": 17, "bold": True, "color": color})],
           [(t("brief.actions", lang, n=format_count(p.actions)) + band, {"size": 10, "color": MUTED})]])
    half = (w - 0.3) / 2
    _text(slide, x + 0.2, y + 0.68, half, 0.85, _measure_parts(t("brief.achievement", lang), p.achievement, lang))
    _text(slide, x + 0.2 + half, y + 0.68, half, 0.85, _measure_parts(t("brief.absorption", lang), p.absorption, lang))
    late, at_risk = p.status_counts.get("late", 0), p.status_counts.get("at_risk", 0)
    _text(slide, x + 0.2, y + 1.55, w - 0.3, 0.5, [
        [(_fit(t("brief.budget_line", lang, budget=format_rupiah(p.budget), spent=format_rupiah(p.budget_spent)),
               w - 0.3, 10), {"size": 10})],
        [(DOT + " ", {"size": 10, "color": STATUS_COLORS[Status.LATE]}),
         (f"{status_name('late', lang)} {late}   ", {"size": 10}),
         (DOT + " ", {"size": 10, "color": STATUS_COLORS[Status.AT_RISK]}),
         (f"{status_name('at_risk', lang)} {at_risk}   ", {"size": 10}),
         (DOT + " ", {"size": 10, "color": STATUS_COLORS[Status.DONE]}),
         (f"{status_name('done', lang)} {p.status_counts.get('done', 0)}", {"size": 10})]])


def _heading(slide, x, y, w, text: str) -> None:
    _text(slide, x, y, w, 0.32, [(_fit(text, w, 13), {"size": 13, "bold": True})])


# -- slides ----------------------------------------------------------------------------------------------

def _summary_slide(prs, b: Briefing, total: int) -> None:
    lang = b.lang
    slide = _slide(prs, b, t("brief.summary_title", lang), DARK, 1, total)
    gap = 0.2
    card_w = (CONTENT_W - 2 * gap) / 3
    for i, p in enumerate(b.pillars):
        _pillar_card(slide, MARGIN + i * (card_w + gap), 1.35, card_w, 2.1, p, lang)
    y = 3.6
    kpi_w, rank_w = 5.2, 3.5
    change_w = CONTENT_W - kpi_w - rank_w - 2 * gap
    _heading(slide, MARGIN, y, kpi_w, t("brief.kpis", lang))
    rows = [[(k.name, RAG_COLORS.get(k.status, RAG_COLORS["none"])), kpi_value(k), kpi_target(k), kpi_change(k, lang)]
            for k in b.kpis]
    _table(slide, MARGIN, y + 0.35, [(t("brief.col_kpi", lang), kpi_w - 2.85, PP_ALIGN.LEFT),
                                     (t("brief.col_value", lang), 0.85, PP_ALIGN.RIGHT),
                                     (t("brief.col_target", lang), 0.8, PP_ALIGN.RIGHT),
                                     (t("brief.col_change", lang), 1.2, PP_ALIGN.RIGHT)], rows, size=9, row_h=0.27)
    x = MARGIN + kpi_w + gap
    _heading(slide, x, y, rank_w, t("brief.ranking", lang))
    rows = ranking_rows(b, 10)
    _table(slide, x, y + 0.35, [(t("brief.col_rank", lang), 0.35, PP_ALIGN.RIGHT),
                                (t("brief.col_agency", lang), rank_w - 0.35 - 0.8 - 1.15, PP_ALIGN.LEFT),
                                (t("brief.col_achievement", lang), 0.8, PP_ALIGN.RIGHT),
                                (t("brief.col_absorption", lang), 1.15, PP_ALIGN.RIGHT)], rows, size=8.5, row_h=0.245)
    _changes(slide, x + rank_w + gap, y, change_w, b)


def _changes(slide, x, y, w, b: Briefing) -> None:
    lang, ch = b.lang, b.changes
    since = long_date(ch.since, lang) if ch.since else "–"
    _heading(slide, x, y, w, t("brief.changes_title", lang, date=since))
    if ch.since is None or not ch.counts:
        _text(slide, x, y + 0.4, w, 0.5,
              [(t("brief.no_previous" if ch.since is None else "brief.no_changes", lang), {"size": 10, "color": MUTED})])
        return
    paragraphs = [[(DOT + " ", {"size": 10, "color": CHANGE_COLORS[k]}),
                   (f"{t(f'brief.kind.{k}', lang)}: ", {"size": 10}), (format_count(n), {"size": 10, "bold": True})]
                  for k, n in ch.counts.items()]
    _text(slide, x, y + 0.38, w, 0.22 * len(paragraphs), paragraphs)
    top = ch.top.head(5)
    items = [[(DOT + " ", {"size": 9, "color": CHANGE_COLORS[r.kind]}),
              (_fit(f"{plain(r.agency_short)}: {change_text(r, lang)}", w - 0.2, 9, 2), {"size": 9})]
             for r in top.itertuples()]
    if items:
        _text(slide, x, y + 0.45 + 0.22 * len(paragraphs), w, SLIDE_H - 0.55 - (y + 0.45 + 0.22 * len(paragraphs)),
              items)


def _pillar_slide(prs, b: Briefing, p: PillarBrief, number: int, total: int) -> None:
    lang = b.lang
    color = PILLAR_COLORS[Pillar(p.key)]
    slide = _slide(prs, b, t("brief.pillar_title", lang, pillar=t(f"pillar.{p.key}", lang)), color, number, total)
    figures = []
    for label, m in ((t("brief.achievement", lang), p.achievement), (t("brief.absorption", lang), p.absorption)):
        target = f" ({t('brief.target', lang, value=format_percent(m.target))})" if m.target is not None else ""
        figures += [(DOT + " ", {"size": 13, "color": RAG_COLORS.get(m.status, RAG_COLORS["none"])}),
                    (f"{label} ", {"size": 13}), (pct(m.value), {"size": 13, "bold": True}),
                    (f"{target}     ", {"size": 11, "color": MUTED})]
    band = f"  |  {t('predikat.' + p.predikat, lang)}" if p.predikat else ""
    figures.append((t("brief.actions", lang, n=format_count(p.actions)) + band + "     ", {"size": 13, "bold": True}))
    figures.append((t("brief.budget_line", lang, budget=format_rupiah(p.budget), spent=format_rupiah(p.budget_spent)),
                    {"size": 11}))
    statuses = []
    for status in charts_static.STATUS_ORDER:
        statuses += [(DOT + " ", {"size": 11, "color": STATUS_COLORS[status]}),
                     (f"{status_name(status.value, lang)} {p.status_counts.get(status.value, 0)}    ", {"size": 11})]
    _text(slide, MARGIN, 1.3, CONTENT_W, 0.62, [figures, statuses])
    chart_w = 5.4
    chart_h = chart_w * charts_static.SIZE[1] / charts_static.SIZE[0]
    titles = (t("brief.chart_agencies", lang), t("brief.chart_status", lang))
    for i, (title, png) in enumerate(zip(titles, charts_static.pillar_charts(b, p))):
        x = MARGIN + i * (CONTENT_W - chart_w) + (0.25 if i == 0 else -0.25)
        _heading(slide, x, 1.9, chart_w, title)
        slide.shapes.add_picture(io.BytesIO(png), Inches(x), Inches(2.22), Inches(chart_w), Inches(chart_h))
    y = 2.22 + chart_h + 0.02
    _heading(slide, MARGIN, y, CONTENT_W, f"{t('brief.pillar_risks', lang)} ({format_count(p.risk_count)})")
    if p.risks.empty:
        _text(slide, MARGIN, y + 0.35, CONTENT_W, 0.3, [(t("brief.no_risks", lang), {"size": 10, "color": MUTED})])
        return
    shown = p.risks.head(3)
    _risk_table(slide, y + 0.35, shown, lang, size=9, lines=1, row_h=0.25)
    if p.risk_count > len(shown):
        _text(slide, MARGIN, y + 0.35 + 0.25 * (len(shown) + 1) + 0.02, CONTENT_W, 0.25,
              [(t("brief.more", lang, n=format_count(p.risk_count - len(shown))), {"size": 9, "color": MUTED})])


def _risk_columns(lang: str) -> list[tuple[str, float, PP_ALIGN]]:
    left, right = PP_ALIGN.LEFT, PP_ALIGN.RIGHT
    widths = [0.4, 1.2, 1.3, 2.9, 0.85, 1.0, 1.95, 1.65]
    return [(t("brief.col_rank", lang), widths[0], right), (t("brief.col_status", lang), widths[1], left),
            (t("brief.col_agency", lang), widths[2], left), (t("brief.col_activity", lang), widths[3], left),
            (t("brief.col_progress", lang), widths[4], right), (t("brief.col_due", lang), widths[5], left),
            (t("brief.col_reason", lang), widths[6], left), (t("brief.col_follow_up", lang), widths[7], left),
            (t("brief.col_owner", lang), CONTENT_W - sum(widths), left)]


def _risk_table(slide, y, risks, lang: str, **style) -> None:
    rows = []
    for i, r in enumerate(risks.itertuples(), start=1):
        cells: list = risk_cells(r, i, lang)
        cells[1] = (cells[1], STATUS_COLORS[Status(r.status)])
        rows.append(cells)
    _table(slide, MARGIN, y, _risk_columns(lang), rows, **style)


def _risks_slide(prs, b: Briefing, total: int) -> None:
    lang = b.lang
    slide = _slide(prs, b, t("brief.risks_title", lang), RISK_BAND, total, total)
    _text(slide, MARGIN, 1.3, CONTENT_W, 0.3,
          [(t("brief.risk_count", lang, n=format_count(b.total.risk_count)), {"size": 12, "color": MUTED})])
    if b.risks.empty:
        _text(slide, MARGIN, 1.7, CONTENT_W, 0.3, [(t("brief.no_risks", lang), {"size": 12})])
        return
    _risk_table(slide, 1.7, b.risks, lang, size=9, lines=2, row_h=0.46)
    if b.total.risk_count > len(b.risks):
        _text(slide, MARGIN, 1.7 + 0.27 + 0.46 * len(b.risks) + 0.05, CONTENT_W, 0.25,
              [(t("brief.more", lang, n=format_count(b.total.risk_count - len(b.risks))), {"size": 9, "color": MUTED})])
