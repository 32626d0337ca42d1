"""The sections of the Briefing Bupati page, drawn from a smartcity.briefing.Briefing.

Made for a projector and a tablet (1024x768 and up): big figures, few words, nothing wider
than the screen. The words and the figures are the exports' own (smartcity.briefing_text), so
the screen and the PDF/PPTX say the same thing. User text goes through md_escape or a table.
"""
from __future__ import annotations

import streamlit as st

from smartcity.briefing import MIME_TYPES, Briefing, KpiBrief, Measure, PillarBrief, export_bytes
from smartcity.briefing_text import change_text, kpi_change, kpi_target, pct, plain, reason_text
from smartcity.formatting import MISSING, format_count, format_date, format_percent, format_rupiah, format_value
from smartcity.i18n import t
from ui.common import md_escape
from ui.widgets import (RAG_BADGE, STATUS_BADGE, Col, excel_download, figure_tile, pillar_heading, predikat_badge,
                        table)

RANK_ROWS = 12            # agencies shown without scrolling in a ranking table

# The colour of each kind of change: bad news red and orange, no news yellow and gray, good news blue and green.
CHANGE_BADGE = {"slipped_late": "red", "slipped_at_risk": "orange", "removed": "gray", "stalled": "yellow",
                "new": "blue", "completed": "blue", "improved": "green", "moved": "green"}

RISK_COLUMNS = [Col("rank", "count", "col.rank"), Col("status", "status"), Col("agency_name", label="col.agency"),
                Col("action_code"), Col("activity"), Col("progress", "percent"), Col("achievement", "percent"),
                Col("due_date", "date"), Col("obstacle"), Col("notes"), Col("follow_up"), Col("owner")]
RANKING_COLUMNS = [Col("rank_achievement", "count", "br.by_achievement"), Col("agency_name", label="col.agency"),
                   Col("actions", "count"), Col("achievement", "percent"),
                   Col("rank_absorption", "count", "br.by_absorption"), Col("absorption", "percent"),
                   Col("budget", "rupiah"), Col("budget_spent", "rupiah"), Col("done", "count", "col.done"),
                   Col("at_risk", "count"), Col("late", "count")]


def export_buttons(brief: Briefing) -> None:
    """PDF and PPTX downloads, each built on the server only when clicked (deferred download)."""
    stem = f"briefing-bupati-{brief.as_of.isoformat()}"
    for suffix, label in ((".pdf", "br.pdf"), (".pptx", "br.pptx")):
        st.download_button(t(label, brief.lang), data=lambda s=suffix: export_bytes(brief, s),
                           file_name=stem + suffix, mime=MIME_TYPES[suffix], key=f"br_export{suffix}",
                           help=t(f"{label}_help", brief.lang), icon=":material/download:", on_click="ignore")


# -- pillars -------------------------------------------------------------------------------------

def _measure(label: str, measure: Measure, lang: str) -> None:
    """A figure against its target; the target line takes the figure's traffic-light colour."""
    target = (t("br.target", lang, value=format_percent(measure.target)) if measure.target is not None
              else t("br.no_target", lang))
    st.metric(label, format_percent(measure.value), delta=target, delta_color=RAG_BADGE.get(measure.status, "gray"),
              delta_arrow="off", help=t(f"rag.{measure.status}", lang))


def pillar_card(pillar: PillarBrief, lang: str) -> None:
    """One pillar: achievement and absorption against target, predikat, late/at-risk count, budget."""
    with st.container(border=True, height="stretch"):
        pillar_heading(pillar.key, lang)
        if pillar.actions == 0:
            st.caption(t("brief.no_actions", lang))
            return
        _measure(t("m.achievement", lang), pillar.achievement, lang)
        _measure(t("m.absorption", lang), pillar.absorption, lang)
        predikat_badge(pillar.predikat, lang)
        counts = pillar.status_counts
        st.markdown(f":{STATUS_BADGE['late']}[{t('status.late', lang)}: **{format_count(counts.get('late', 0))}**]  \n"
                    f":{STATUS_BADGE['at_risk']}[{t('status.at_risk', lang)}: **{format_count(counts.get('at_risk', 0))}**]")
        st.caption(" · ".join([
            t("m.n_actions", lang, n=format_count(pillar.actions)),
            t("m.budget_line", lang, spent=format_rupiah(pillar.budget_spent), budget=format_rupiah(pillar.budget)),
        ]))


def pillars(brief: Briefing) -> None:
    st.subheader(t("br.pillars", brief.lang))
    for column, pillar in zip(st.columns(len(brief.pillars)), brief.pillars):
        with column:
            pillar_card(pillar, brief.lang)


# -- KPIs ----------------------------------------------------------------------------------------

def kpi_tile(kpi: KpiBrief, brief: Briefing) -> None:
    """A headline KPI: value, traffic light, target, and the change since the previous briefing."""
    lang = brief.lang
    flat = kpi.change is not None and abs(kpi.change) < 0.05
    figure_tile(kpi.name, format_value(kpi.value, kpi.unit), kpi.status, lang,
                target=t("br.target", lang, value=kpi_target(kpi)) if kpi.target is not None else None,
                delta=kpi_change(kpi, lang) if kpi.change is not None else None,
                delta_color="off" if flat else "inverse" if kpi.direction == "lower" else "normal",
                delta_arrow="off" if flat else "auto")


def kpis(brief: Briefing) -> None:
    st.subheader(t("brief.kpis", brief.lang))
    if brief.since is not None:
        st.caption(t("br.change_since", brief.lang, date=format_date(brief.since, brief.lang)))
    with st.container(horizontal=True, wrap=True, gap="small"):
        for kpi in brief.kpis:
            kpi_tile(kpi, brief)


# -- risks ---------------------------------------------------------------------------------------

def risk_card(row, lang: str) -> None:
    """A late or at-risk action: status, activity, where and when, why, and what is being done."""
    with st.container(border=True, height="stretch"):
        st.badge(f"{int(row.rank)}. {t(f'status.{row.status}', lang)}", color=STATUS_BADGE.get(row.status, "gray"))
        st.markdown(f"**{md_escape(plain(row.activity))}**")
        st.caption(md_escape(t("br.risk_line", lang, agency=plain(row.agency_short), code=plain(row.action_code),
                               due=format_date(row.due_date, lang), progress=pct(row.progress))))
        st.markdown(f"**{t('br.reason', lang)}:** {md_escape(reason_text(row, lang))}")
        st.markdown(f"**{t('br.follow_up', lang)}:** {md_escape(plain(row.follow_up) or MISSING)}")
        if plain(row.owner):
            st.caption(md_escape(f"{t('br.owner', lang)}: {plain(row.owner)}"))


def risks(brief: Briefing) -> None:
    lang = brief.lang
    st.subheader(t("br.risks", lang))
    if brief.risks.empty:
        st.success(t("brief.no_risks", lang), icon=":material/check_circle:")
        return
    rows = list(brief.risks.itertuples(index=False))
    half = (len(rows) + 1) // 2
    for column, part in zip(st.columns(2), (rows[:half], rows[half:])):
        with column:
            for row in part:
                risk_card(row, lang)
    excel_download(brief.risks, RISK_COLUMNS, lang, f"risiko-{brief.as_of.isoformat()}.xlsx", key="xl_br_risks",
                   sheet=t("br.risks", lang))


# -- agencies ranked -----------------------------------------------------------------------------

def ranking(brief: Briefing) -> None:
    """Agencies ranked by achievement and by budget absorption, side by side."""
    lang = brief.lang
    st.subheader(t("br.ranking", lang))
    by_achievement = brief.agencies_by_achievement
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('br.by_achievement', lang)}**")
        table(by_achievement, [Col("rank_achievement", "count", "col.rank"), Col("agency_short", label="col.agency"),
                               Col("achievement", "percent")], lang, max_rows=RANK_ROWS, key="br_rank_achievement")
    with right:
        st.markdown(f"**{t('br.by_absorption', lang)}**")
        table(brief.agencies_by_absorption, [Col("rank_absorption", "count", "col.rank"),
                                             Col("agency_short", label="col.agency"), Col("absorption", "percent")],
              lang, max_rows=RANK_ROWS, key="br_rank_absorption")
    excel_download(by_achievement, RANKING_COLUMNS, lang, f"peringkat-opd-{brief.as_of.isoformat()}.xlsx",
                   key="xl_br_ranking", sheet=t("br.ranking", lang))


# -- changes -------------------------------------------------------------------------------------

def changes(brief: Briefing) -> None:
    """What changed since the previous briefing: counts by kind, worst news first, then the top items."""
    lang = brief.lang
    if brief.since is None:
        st.subheader(t("br.changes_plain", lang))
        st.caption(t("brief.no_previous", lang))
        return
    st.subheader(t("brief.changes_title", lang, date=format_date(brief.since, lang)))
    counts = brief.changes.counts
    if not counts:
        st.caption(t("brief.no_changes", lang))
        return
    with st.container(horizontal=True, wrap=True, gap="small"):
        for kind, n in counts.items():
            st.badge(f"{t(f'brief.kind.{kind}', lang)}: {format_count(n)}", color=CHANGE_BADGE.get(kind, "gray"))
    lines = [f"- {md_escape(change_text(row, lang))}" for row in brief.changes.top.itertuples(index=False)]
    if lines:
        st.markdown("\n".join(lines))
    more = sum(counts.values()) - len(lines)
    if more > 0:
        st.caption(t("brief.more", lang, n=format_count(more)))
