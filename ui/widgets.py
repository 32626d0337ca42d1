"""Shared widgets: summary and KPI cards, status badges, tables and charts.

One colour per status everywhere: tables colour their status cells with domain.STATUS_COLORS,
charts use the same colours, and badges use the Streamlit colour of the same hue.
User text (activity, agency names, notes) is shown through st.dataframe, st.text or escaped
Markdown only, and is HTML-escaped in chart labels.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from smartcity import views
from smartcity.domain import PILLAR_COLORS, RAG_COLORS, STATUS_COLORS, Pillar, Status
from smartcity.formatting import (format_change, format_count, format_date, format_number, format_percent,
                                  format_rupiah, format_value)
from smartcity.i18n import t
from smartcity.quarters import QuarterTrend, quarter_trend

STATUS_HEX = {s.value: c for s, c in STATUS_COLORS.items()}
PILLAR_HEX = {p.value: c for p, c in PILLAR_COLORS.items()}
# Streamlit's named colours closest to the domain colours, for badges and dividers.
STATUS_BADGE = {"not_started": "gray", "on_track": "green", "at_risk": "orange", "late": "red", "done": "blue"}
RAG_BADGE = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}
PREDIKAT_BADGE = {"very_high": "green", "high": "green", "medium": "yellow", "low": "orange", "very_low": "red"}
PILLAR_DIVIDER = {Pillar.INTEGRATION.value: "blue", Pillar.COLLABORATION.value: "violet",
                  Pillar.SUSTAINABILITY.value: "green"}

UPLOAD_HEX = {"loaded": RAG_COLORS["green"], "rejected": RAG_COLORS["red"], "duplicate": RAG_COLORS["none"],
              "error": RAG_COLORS["red"]}
# Kinds of change since the last review (smartcity.changes.KINDS) in the colour of the status they lead to.
CHANGE_HEX = {"slipped_late": STATUS_HEX["late"], "slipped_at_risk": STATUS_HEX["at_risk"],
              "removed": STATUS_HEX["not_started"], "stalled": STATUS_HEX["at_risk"], "new": STATUS_HEX["done"],
              "completed": STATUS_HEX["done"], "improved": STATUS_HEX["on_track"]}

_CHART_CONFIG = {"displayModeBar": False, "responsive": True}


# -- badges and cards ---------------------------------------------------------------------------

def status_badges(counts: dict[str, int], lang: str) -> None:
    """One badge per status with its count, in the order of the status life cycle."""
    with st.container(horizontal=True, gap="small"):
        for s in views.STATUSES:
            st.badge(f"{t(f'status.{s}', lang)}: {format_count(counts.get(s, 0))}", color=STATUS_BADGE[s])


def predikat_badge(key: str | None, lang: str) -> None:
    if key:
        st.badge(t("m.predikat", lang, predikat=t(f"predikat.{key}", lang)), color=PREDIKAT_BADGE[key])
    else:
        st.badge(t("m.predikat_none", lang), color="gray")


def summary_metrics(summary: views.Summary, lang: str) -> None:
    """Achievement (with its predikat) and budget absorption side by side."""
    # Side by side where there is room, one under the other on a narrow card (a tablet with the sidebar open).
    with st.container(horizontal=True, wrap=True, gap="medium"):
        st.metric(t("m.achievement", lang), format_percent(summary.achievement), help=t("m.achievement_help", lang),
                  width="content")
        st.metric(t("m.absorption_short", lang), format_percent(summary.absorption),
                  help=t("m.absorption_help", lang), width="content")
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        predikat_badge(summary.predikat, lang)
        st.caption(" · ".join([
            t("m.n_actions", lang, n=format_count(summary.actions)),
            t("m.budget_line", lang, spent=format_rupiah(summary.budget_spent), budget=format_rupiah(summary.budget)),
        ]))


def pillar_card(summary: views.Summary, lang: str, on_open: Callable[[], None] | None = None) -> None:
    """A bordered card for one pillar: name, achievement, absorption, predikat, status counts."""
    with st.container(border=True):
        st.subheader(t(f"pillar.{summary.key}", lang), divider=PILLAR_DIVIDER.get(summary.key, "gray"))
        if summary.actions == 0:
            st.caption(t("ov.no_actions", lang))
            return
        summary_metrics(summary, lang)
        status_badges(summary.status_counts, lang)
        if on_open and st.button(t("ov.open_pillar", lang), key=f"open_{summary.key}", icon=":material/arrow_forward:",
                                 type="tertiary"):
            on_open()


KPI_CARD_WIDTH = 264   # px: two cards a row beside the sidebar on a 1024 px tablet, three at 1366 px


def kpi_card(kpi: views.KpiView, lang: str, width: int | str = "stretch") -> None:
    """A KPI's value against its target with its traffic light (and predikat for achievement).

    The name is written above the figure, where it may wrap (a metric's own label is cut off at the
    card's width: "Aksi terlambat atau perlu perhatian" on a tablet); the metric keeps it as its
    hidden label.
    """
    from ui.common import md_escape

    with st.container(border=True, width=width, height="stretch"):
        st.markdown(md_escape(kpi.name), help=kpi.description)
        st.metric(kpi.name, format_value(kpi.value, kpi.unit), label_visibility="collapsed",
                  **kpi_change(kpi, lang))
        with st.container(horizontal=True, gap="small"):
            st.badge(t(f"rag.{kpi.status}", lang), color=RAG_BADGE.get(kpi.status, "gray"))
            if kpi.predikat:
                predikat_badge(kpi.predikat, lang)
        target = (t("kp.target", lang, value=format_value(kpi.target, kpi.unit)) if kpi.target is not None
                  else t("kp.no_target", lang))
        st.caption(" · ".join([target, t(f"direction.{kpi.direction}", lang)]))


def kpi_change(kpi: views.KpiView, lang: str) -> dict:
    """st.metric's delta for a KPI: "+4,2 poin sejak 7 Okt 2024", green when better (for its direction)."""
    if kpi.change is None:
        return {}
    change = format_change(kpi.change, kpi.unit)
    text = t("kp.change_points" if kpi.unit == "percent" else "kp.change", lang, change=change,
             date=format_date(kpi.previous_as_of, lang))
    if not change.startswith(("+", "-")):  # no change: grey, no arrow
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text, "delta_color": "inverse" if kpi.direction == "lower" else "normal"}


FIGURE_TILE_WIDTH = 172   # px: three tiles a row beside the sidebar on a 1024 px tablet, more when wider


def pillar_heading(key: str, lang: str) -> None:
    """A pillar's name in its colour, a size below st.subheader: "Keberlanjutan" fits a third of a tablet."""
    st.markdown(f"##### :{PILLAR_DIVIDER.get(key, 'gray')}[{t(f'pillar.{key}', lang)}]", anchors=False)


def figure_tile(name: str, value: str, status: str, lang: str, *, target: str | None = None,
                delta: str | None = None, delta_color: str = "normal", delta_arrow: str = "auto",
                help: str | None = None) -> None:
    """A KPI as a small tile for a projector or a tablet: the figure (and its change), the name, the traffic light.

    The figure comes first so that the figures of a row line up; the name below may wrap (a metric's
    own label would be cut off at the tile's width).
    """
    from ui.common import md_escape

    with st.container(border=True, width=FIGURE_TILE_WIDTH, height="stretch"):
        st.metric(name, value, delta=delta, delta_color=delta_color, delta_arrow=delta_arrow,
                  label_visibility="collapsed")
        st.markdown(f"**{md_escape(name)}**", help=help)
        st.badge(t(f"rag.{status}", lang), color=RAG_BADGE.get(status, "gray"))
        st.caption(md_escape(target) if target else t("br.no_target", lang))


# -- tables -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Col:
    """A column of a table: its name in the DataFrame, how to show it, its heading key (default col.<name>)."""

    name: str
    # text status pillar rag level change rupiah percent progress date datetime count number kpi_value
    kind: str = "text"
    label: str | None = None
    width: str | None = None   # small | medium | large; None sizes to the content


def _names(kind: str, lang: str) -> Callable[[object], object]:
    def name(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            return None
        key = {"status": "status", "pillar": "pillar", "rag": "rag", "level": "up.level",
               "upload_status": "up.status", "change": "rv.kind"}[kind]
        try:
            return t(f"{key}.{value}", lang)
        except KeyError:
            return str(value)
    return name


# Rows a table sends to the browser: formatting and sending 100,000 rows takes seconds and many MB
# (issue 7: a page sends at most 1 MB). The Excel download holds every row.
MAX_SHOWN = 1_000


def table(df: pd.DataFrame, cols: list[Col], lang: str, *, max_rows: int = 15, key: str | None = None,
          lines: int = 1, excel: str | None = None) -> None:
    """Show `df` with Indonesian number formats, named statuses in their colours, and headings in `lang`.

    Up to `max_rows` rows show without scrolling inside the table, and at most MAX_SHOWN rows are
    sent; `lines` > 1 makes rows tall enough for long text (messages) to wrap. `excel` (a file name
    without .xlsx) adds a download of the whole table (see excel_download).
    """
    shown = df.head(MAX_SHOWN)
    data = shown[[c.name for c in cols]].copy()
    config, formats, colour = {}, {}, {}
    for c in cols:
        label = t(c.label or f"col.{c.name}", lang)
        if c.kind in ("status", "pillar", "rag", "level", "upload_status", "change"):
            data[c.name] = data[c.name].map(_names(c.kind, lang))
            config[c.name] = st.column_config.TextColumn(label)
            if c.kind in ("status", "rag", "upload_status", "change"):
                source = {"status": STATUS_HEX, "rag": RAG_COLORS, "upload_status": UPLOAD_HEX,
                          "change": CHANGE_HEX}[c.kind]
                colour[c.name] = {_names(c.kind, lang)(k): v for k, v in source.items()}
        elif c.kind == "kpi_value":  # a KPI value in the unit named by the row's "unit" column
            data[c.name] = [format_value(v, u) for v, u in zip(shown[c.name], shown["unit"])]
            config[c.name] = st.column_config.TextColumn(label, alignment="right")
        elif c.kind == "progress":
            # The bar's label is printf-formatted in the browser (no decimal comma): whole percent only.
            config[c.name] = st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%.0f%%")
        elif c.kind in ("rupiah", "percent", "number", "count"):
            formats[c.name] = {"rupiah": format_rupiah, "percent": format_percent, "number": format_number,
                               "count": format_count}[c.kind]
            config[c.name] = st.column_config.NumberColumn(label)
        elif c.kind in ("date", "datetime"):
            data[c.name] = pd.to_datetime(data[c.name])
            formats[c.name] = (lambda v: format_date(v, lang)) if c.kind == "date" else (
                lambda v: "–" if pd.isna(v) else f"{format_date(v, lang)} {v:%H:%M}")
            config[c.name] = st.column_config.DatetimeColumn(label)
        else:
            config[c.name] = st.column_config.TextColumn(label)
        if c.width:
            config[c.name]["width"] = c.width
    styler = data.style.format(None, na_rep="–").format(formats, na_rep="–")
    for name, palette in colour.items():
        styler = styler.map(lambda v, p=palette: f"color: {p[v]}; font-weight: 600" if v in p else "", subset=[name])
    row_height = 35 + 20 * (lines - 1)
    height = 38 + row_height * max(1, min(len(data), max_rows))
    st.dataframe(styler, column_config=config, hide_index=True, width="stretch", height=height, key=key,
                 placeholder="–", row_height=row_height)
    if len(df) > len(shown):
        st.caption(t("table.cut", lang, shown=format_count(len(shown)), total=format_count(len(df)))
                   + (" " + t("table.cut_excel", lang) if excel else ""))
    if excel:
        excel_download(df, cols, lang, f"{excel}.xlsx", key=f"xl_{key or excel}")


# Column kinds of a table on screen -> kinds of smartcity.export.Column.
_EXCEL_KINDS = {"progress": "percent", "level": "text", "upload_status": "text"}


def excel_download(df: pd.DataFrame | Callable[[], pd.DataFrame], cols: list[Col], lang: str, file_name: str,
                   key: str, sheet: str | None = None) -> None:
    """A button that downloads `cols` of `df` as an .xlsx file, headed and formatted as on screen.

    The workbook is built on the server only when the button is clicked (Streamlit's deferred
    download), through smartcity.export.table_workbook: rupiah and percentages as number formats,
    statuses named in `lang`, and text that a spreadsheet would run as a formula neutralised.
    `df` may be a function that makes the rows (a large table: made only on the click, never empty).
    """
    from smartcity.export import XLSX_MIME, Column, table_workbook

    def workbook() -> bytes:
        data = (df() if callable(df) else df).copy()
        for c in cols:  # names the export does not know are written as shown on screen
            if c.kind in ("level", "upload_status"):
                data[c.name] = data[c.name].map(_names(c.kind, lang))
        return table_workbook(data, columns, lang, sheet)

    columns = [Column(c.name, _EXCEL_KINDS.get(c.kind, c.kind), t(c.label or f"col.{c.name}", lang)) for c in cols]
    st.download_button(t("xl.download", lang), data=workbook,
                       file_name=file_name, mime=XLSX_MIME, key=key, help=t("xl.download_help", lang),
                       icon=":material/download:", type="tertiary", on_click="ignore",
                       disabled=not callable(df) and df.empty)


# -- charts -------------------------------------------------------------------------------------

# A figure is built once per set of inputs and shared: building one with plotly's validation takes
# ~45 ms, which a page with four charts would spend on every rerun (issue 7: warm runs < 150 ms).
# The inputs are the data shown (they change with the data version), so a new upload builds anew.
# Shared figures are never changed after they are built.
_figure_cache = st.cache_resource(show_spinner=False, max_entries=256)


# Plotly's "plotly_white" as far as our charts (bars, lines, subplot titles) use it, written here: the named
# template is read from a file holding every kind of trace and checked on first use, ~0.2-0.3 s of each cold
# process (issue 7). White background, light grid, plotly's blue-grey text; bar and line colours are ours.
_GRID = "#EBF0F8"
_AXIS = dict(gridcolor=_GRID, linecolor=_GRID, ticks="", title=dict(standoff=15), zerolinecolor=_GRID,
             automargin=True, zerolinewidth=2)
_PATTERN = dict(fillmode="overlay", size=10, solidity=0.2)
CHART_TEMPLATE = dict(
    layout=dict(
        autotypenumbers="strict", font=dict(color="#2a3f5f"), hovermode="closest", hoverlabel=dict(align="left"),
        paper_bgcolor="white", plot_bgcolor="white", xaxis=_AXIS, yaxis=_AXIS, title=dict(x=0.05),
        colorway=["#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                  "#FF97FF", "#FECB52"],
        shapedefaults=dict(line=dict(color="#2a3f5f")),
        annotationdefaults=dict(arrowcolor="#2a3f5f", arrowhead=0, arrowwidth=1)),
    data=dict(
        bar=[dict(type="bar", error_x=dict(color="#2a3f5f"), error_y=dict(color="#2a3f5f"),
                  marker=dict(line=dict(color="white", width=0.5), pattern=_PATTERN))],
        scatter=[dict(type="scatter", fillpattern=_PATTERN)]),
)


# Axis ticks of counts and amounts written in full with a thousands dot (layout separators ",."): "44.703",
# not plotly's "44.7k".
WHOLE_TICKS = dict(separatethousands=True, exponentformat="none")


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.layout.template = CHART_TEMPLATE   # in place of Streamlit's default (update_layout would merge into it)
    fig.update_layout(
        height=height, margin=dict(l=8, r=48, t=8, b=8), separators=",.",
        font=dict(size=13), legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, title=None),
        bargap=0.25, hoverlabel=dict(font_size=13),
    )
    return fig


def show(fig: go.Figure, key: str | None = None) -> None:
    st.plotly_chart(fig, width="stretch", config=_CHART_CONFIG, key=key)


def _label(text: object) -> str:
    """Plotly reads some HTML in labels: escape user text."""
    return html.escape(str(text))


@_figure_cache
def status_chart(rows: list[tuple[str, dict[str, int]]], lang: str) -> go.Figure:
    """Stacked horizontal bars: for each (label, status counts) one bar, coloured by status."""
    labels = [_label(label) for label, _ in rows]
    fig = go.Figure()
    for s in views.STATUSES:
        counts = [c.get(s, 0) for _, c in rows]
        fig.add_bar(y=labels, x=counts, name=t(f"status.{s}", lang), orientation="h", marker_color=STATUS_HEX[s],
                    text=[format_count(n) if n else "" for n in counts], textposition="inside",
                    insidetextanchor="middle",
                    hovertemplate="%{y}: %{x:,d}<extra>" + t(f"status.{s}", lang) + "</extra>")
    most = max((sum(c.values()) for _, c in rows), default=0)
    _layout(fig, 90 + 44 * len(rows))
    fig.update_layout(barmode="stack", legend=dict(traceorder="normal", y=1.02, yanchor="bottom"))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickformat=",d", dtick=1 if most <= 10 else None, rangemode="tozero")
    return fig


@_figure_cache
def achievement_chart(df: pd.DataFrame, label_col: str, value_col: str, colour: str, lang: str) -> go.Figure:
    """Horizontal bars of achievement in percent, best on top, value written at the bar's end."""
    data = df.dropna(subset=[value_col]).sort_values(value_col)
    fig = go.Figure(go.Bar(
        y=[_label(v) for v in data[label_col]], x=data[value_col], orientation="h", marker_color=colour,
        text=[format_percent(v) for v in data[value_col]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return _layout(fig, 80 + 30 * max(len(data), 1))


@_figure_cache
def kpi_agency_chart(df: pd.DataFrame, unit: str, lang: str) -> go.Figure:
    """A KPI by agency: horizontal bars coloured by traffic light, best on top."""
    data = df.dropna(subset=["value"]).iloc[::-1]
    fig = go.Figure(go.Bar(
        y=[_label(v) for v in data["agency_short"]], x=data["value"], orientation="h",
        marker_color=[RAG_COLORS.get(s, RAG_COLORS["none"]) for s in data["status"]],
        text=[format_value(v, unit) for v in data["value"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>"))
    if unit == "percent":
        fig.update_xaxes(range=[0, max(100, float(data["value"].max() or 0) * 1.05) if len(data) else 100],
                         ticksuffix="%")
    else:
        fig.update_xaxes(**WHOLE_TICKS)
    return _layout(fig, 80 + 28 * max(len(data), 1))


@_figure_cache
def trend_chart(df: pd.DataFrame, unit: str, lang: str, colour: str = "#1f5fa8") -> go.Figure:
    """A KPI's value over the as-of dates."""
    fig = go.Figure(go.Scatter(
        x=pd.to_datetime(df["as_of"]), y=df["value"], mode="lines+markers", line_color=colour,
        text=[format_value(v, unit) for v in df["value"]],
        customdata=[format_date(d, lang) for d in df["as_of"]],
        hovertemplate="%{customdata}: %{text}<extra></extra>"))
    if len(df) <= 8:  # a tick per as-of date, in Indonesian; more dates: let plotly space them
        fig.update_xaxes(tickvals=pd.to_datetime(df["as_of"]), ticktext=[format_date(d, lang) for d in df["as_of"]])
    else:
        fig.update_xaxes(tickformat="%d/%m/%Y")
    if unit == "percent":
        fig.update_yaxes(ticksuffix="%", rangemode="tozero")
    else:
        fig.update_yaxes(**WHOLE_TICKS)
    return _layout(fig, 220)


# -- an action in detail ------------------------------------------------------------------------

# Rows of the detail table: (field in action_state, how to show it, heading key or domain field name).
_DETAIL_ROWS = (
    ("action_code", "text", "code"), ("agency_name", "text", "agency"), ("pillar", "pillar", "pillar"),
    ("dimension", "text", "dimension"), ("program", "text", "program"), ("activity", "text", "activity"),
    ("indicator", "text", "indicator"), ("unit", "text", "unit"), ("direction", "direction", "direction"),
    ("baseline", "number", "baseline"), ("target", "number", "target"), ("actual", "number", "actual"),
    ("actual_q1", "number", "actual_q1"), ("actual_q2", "number", "actual_q2"), ("actual_q3", "number", "actual_q3"),
    ("actual_q4", "number", "actual_q4"), ("quarter_rule", "text", "ac.quarter_rule"),
    ("budget", "rupiah_full", "budget"), ("budget_spent", "rupiah_full", "budget_spent"),
    ("budget_spent_q1", "rupiah_full", "budget_spent_q1"), ("budget_spent_q2", "rupiah_full", "budget_spent_q2"),
    ("budget_spent_q3", "rupiah_full", "budget_spent_q3"), ("budget_spent_q4", "rupiah_full", "budget_spent_q4"),
    ("start_date", "date", "start_date"), ("due_date", "date", "due_date"),
    ("reported_status", "status", "col.reported_status"), ("owner", "text", "owner"), ("notes", "text", "notes"),
    ("obstacle", "text", "col.obstacle"), ("follow_up", "text", "col.follow_up"),
)


def _heading(key: str, lang: str) -> str:
    from smartcity.domain import FIELDS_BY_NAME

    if key in FIELDS_BY_NAME:
        f = FIELDS_BY_NAME[key]
        return f.label_en if lang == "en" else f.label_id
    return t(key, lang)


def _shown(value, kind: str, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return "–"
    if kind == "number":
        return format_number(value)
    if kind == "rupiah_full":
        return format_rupiah(value, compact=False)
    if kind == "date":
        return format_date(value, lang)
    if kind in ("pillar", "status", "direction", "source"):
        try:
            return t(f"{'ac.source' if kind == 'source' else kind}.{value}", lang)
        except KeyError:
            return str(value)
    return str(value)


def action_detail(detail: views.ActionDetail, lang: str) -> None:
    """One action: achievement, progress and time as metrics; every field in a table; its report history."""
    f = detail.fields
    a, b, c, d = st.columns(4)
    a.metric(t("m.achievement", lang), format_percent(f["achievement"]))
    b.metric(t("ac.progress", lang), format_percent(f["progress"]))
    c.metric(t("ac.elapsed", lang), format_percent(f["elapsed"]))
    d.metric(t("m.absorption", lang), format_percent(f["absorption"]))
    status = f["status"]
    st.badge(t(f"status.{status}", lang), color=STATUS_BADGE.get(status, "gray"))
    rows = pd.DataFrame([(_heading(h, lang), _shown(f.get(name), kind, lang)) for name, kind, h in _DETAIL_ROWS],
                        columns=["field", "value"])
    half = (len(rows) + 1) // 2
    config = {"field": st.column_config.TextColumn(t("ac.field", lang), width="small"),
              "value": st.column_config.TextColumn(t("col.value", lang), width="large")}
    for column, part in zip(st.columns(2), (rows.iloc[:half], rows.iloc[half:])):
        column.dataframe(part, hide_index=True, width="stretch", column_config=config, height=38 + 35 * half)
    trend = quarter_trend(f)
    if trend.reported:
        st.markdown(f"**{t('aq.title', lang)}**")
        show(quarter_chart(trend, f.get("pillar"), lang), key=f"aq_{f.get('action_id')}")
        st.caption(" · ".join(quarter_notes(trend, lang)))
    st.markdown(f"**{t('ac.history', lang)}**")
    history = detail.history.assign(source=detail.history["source"].map(lambda s: _shown(s, "source", lang)))
    table(history, [Col("as_of", "date"), Col("actual", "number"), Col("target", "number"),
                    Col("budget_spent", "rupiah"), Col("source"), Col("recorded_by"), Col("file_name", label="col.file"),
                    Col("recorded_at", "datetime")], lang)


# Quarter trend: K in the action's pillar colour, Rp in the neutral grey of the app's "no value" shade.
QUARTER_K_HEX = PILLAR_HEX[Pillar.INTEGRATION.value]
QUARTER_RP_HEX = RAG_COLORS["none"]


@_figure_cache
def quarter_chart(trend: QuarterTrend, pillar: str | None, lang: str) -> go.Figure:
    """Two small bar charts side by side: K per quarter and Rp spent per quarter (TW I..IV),
    each bar labelled the Indonesian way ("1.250", "Rp 1,25 M"); an empty quarter has no bar."""
    from plotly.subplots import make_subplots

    labels = [t(f"aq.quarter.{q.quarter}", lang) for q in trend.quarters]
    k_title = t("aq.kinerja_unit", lang, unit=_label(trend.unit)) if trend.unit else t("aq.kinerja", lang)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(k_title, t("aq.rupiah", lang)), horizontal_spacing=0.12)
    actual = [q.actual for q in trend.quarters]
    spent = [q.budget_spent for q in trend.quarters]
    fig.add_bar(x=labels, y=actual, marker_color=PILLAR_HEX.get(pillar or "", QUARTER_K_HEX), row=1, col=1,
                text=["" if v is None else format_number(v) for v in actual], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{text}<extra></extra>", name=t("aq.kinerja", lang), showlegend=False)
    fig.add_bar(x=labels, y=spent, marker_color=QUARTER_RP_HEX, row=1, col=2,
                text=["" if v is None else format_rupiah(v) for v in spent], textposition="outside", cliponaxis=False,
                hovertemplate="%{x}: %{text}<extra></extra>", name=t("aq.rupiah", lang), showlegend=False)
    fig.update_yaxes(rangemode="tozero", showticklabels=False)
    _layout(fig, 240)
    fig.update_layout(margin=dict(l=8, r=8, t=36, b=8))
    return fig


def quarter_notes(trend: QuarterTrend, lang: str) -> list[str]:
    """The caption under the quarter chart: how the year follows from the quarters, target and budget."""
    notes = [t(f"aq.rule.{trend.rule}", lang)] if trend.rule in ("sum", "latest") else []
    if trend.target is not None:
        notes.append(t("aq.target", lang, target=format_number(trend.target)))
    if trend.budget is not None:
        notes.append(t("aq.budget", lang, budget=format_rupiah(trend.budget, compact=False)))
    return notes


def action_picker(actions: pd.DataFrame, filters: views.Filters, lang: str, key: str) -> None:
    """Choose one of `actions` (action_id, action_code, activity) and show it in detail.

    An admin also gets the switch that marks the action public (ui.publication).
    """
    from ui.common import load
    from ui.publication import publication_toggle

    labels = dict(zip(actions["action_id"], actions["action_code"] + " · " + actions["activity"].fillna("")))
    picked = st.selectbox(t("ac.pick", lang), [None, *labels], key=key,
                          format_func=lambda i: t("ac.pick_none", lang) if i is None else labels[i])
    if picked is not None:
        detail = load(views.action_detail, filters, int(picked))
        if detail is not None:
            publication_toggle(int(picked), detail.fields["action_code"], lang, key=key)
            action_detail(detail, lang)


# -- uploads ------------------------------------------------------------------------------------

UPLOAD_BADGE = {"loaded": "green", "rejected": "red", "duplicate": "gray", "error": "red"}
UPLOAD_ICON = {"loaded": ":material/check_circle:", "rejected": ":material/block:",
               "duplicate": ":material/content_copy:", "error": ":material/error:"}
_PROBLEM_COLS = [Col("level", "level"), Col("file", width="small"), Col("sheet"), Col("row", "count"), Col("column"),
                 Col("message", width="large")]
_REJECTED_COLS = [Col("sheet"), Col("row", "count"), Col("reasons", width="large"), Col("cells", width="large")]


def _in_lang(df: pd.DataFrame, lang: str, **columns: str) -> pd.DataFrame:
    """Pick the message columns of `lang` (e.g. message=message_id / message_en)."""
    return df.assign(**{name: df[f"{base}_{'en' if lang == 'en' else 'id'}"] for name, base in columns.items()})


def problem_tables(problems: pd.DataFrame, rejected: pd.DataFrame, lang: str, key: str) -> None:
    """Every problem located (file, sheet, row, column, message), then the rejected rows with their cells."""
    if problems.empty:
        st.caption(t("up.no_problems", lang))
    else:
        st.markdown(f"**{t('up.problems', lang)}**")
        table(_in_lang(problems, lang, message="message"), _PROBLEM_COLS, lang, key=f"{key}_problems", lines=3)
    if not rejected.empty:
        st.markdown(f"**{t('up.rejected_rows', lang)}**")
        table(_in_lang(rejected, lang, reasons="reasons"), _REJECTED_COLS, lang, key=f"{key}_rejected", lines=3)


def upload_report(report, lang: str) -> None:
    """One file's result: status badge, rows loaded and rejected, every problem and rejected row."""
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.badge(t(f"up.status.{report.status}", lang), color=UPLOAD_BADGE.get(report.status, "gray"),
                     icon=UPLOAD_ICON.get(report.status))
            st.text(report.file_name)
        st.caption(t("up.result_line", lang, loaded=format_count(report.rows_loaded),
                     rejected=format_count(report.rows_rejected)))
        problem_tables(report.problems, report.rejected, lang, key=f"report_{report.file_name}_{report.upload_id}")


def upload_history(history: pd.DataFrame, lang: str) -> None:
    """Every upload, latest first, and the problems of the one chosen."""
    if history.empty:
        st.caption(t("up.history_empty", lang))
        return
    table(history, [Col("id", "count", "col.upload_id"), Col("uploaded_at", "datetime"), Col("file_name", label="col.file"),
                    Col("as_of", "date"), Col("status", "upload_status"), Col("rows_loaded", "count"),
                    Col("rows_rejected", "count"), Col("problems", "count"), Col("warnings", "count"),
                    Col("uploaded_by")], lang, max_rows=12)
    labels = {int(i): f"#{i} · {name}" for i, name in zip(history["id"], history["file_name"])}
    picked = st.selectbox(t("up.history_pick", lang), [None, *labels], key="up_history_pick", width=480,
                          format_func=lambda i: t("up.history_none", lang) if i is None else labels[i])
    if picked is not None:
        from smartcity import uploads
        from ui.common import load

        problem_tables(load(uploads.upload_problems, picked), load(uploads.rejected_rows, picked), lang,
                       key=f"history_{picked}")
        if history.loc[history["id"] == picked, "rows_rejected"].sum():
            from ui.upload import rejected_download

            rejected_download(picked, lang, key=f"history_rejected_{picked}")
