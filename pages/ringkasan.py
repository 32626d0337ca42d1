"""Ringkasan: the three pillars at a glance and achievement by agency in each pillar."""
import streamlit as st

from smartcity import views
from smartcity.formatting import format_count, format_percent
from ui.common import PageContext, go_to, load, run_page
from ui.widgets import PILLAR_HEX, Col, achievement_chart, pillar_card, show, status_chart, table


def render(page: PageContext) -> None:
    data = load(views.overview, page.filters)
    total = data.total
    a, b, c, d = st.columns(4)
    a.metric(page.t("m.actions"), format_count(total.actions), border=True)
    b.metric(page.t("m.achievement"), format_percent(total.achievement), help=page.t("m.achievement_help"), border=True)
    c.metric(page.t("m.absorption"), format_percent(total.absorption), help=page.t("m.absorption_help"), border=True)
    d.metric(page.t("m.not_reported"), f"{format_count(len(data.not_reported))} / {format_count(data.agencies)}",
             border=True, help=page.t("m.not_reported_help", days=data.cycle_days))

    st.subheader(page.t("ov.pillars"))
    for column, summary in zip(st.columns(len(data.pillars)), data.pillars):
        with column:
            pillar_card(summary, page.lang, on_open=lambda p=summary.key: go_to("pilar", pillar=p))

    st.subheader(page.t("ov.status_chart"))
    show(status_chart([(page.t(f"pillar.{s.key}"), s.status_counts) for s in data.pillars], page.lang))

    st.subheader(page.t("ov.by_agency"))
    tabs = st.tabs([page.t(f"pillar.{s.key}") for s in data.pillars])
    for tab, summary in zip(tabs, data.pillars):
        with tab:
            rows = data.by_agency[summary.key]
            if rows.empty:
                st.caption(page.t("ov.no_actions"))
            else:
                show(achievement_chart(rows, "agency_short", "achievement", PILLAR_HEX[summary.key], page.lang),
                     key=f"by_agency_{summary.key}")

    st.subheader(page.t("ov.not_reported"))
    if data.not_reported.empty:
        st.caption(page.t("ov.all_reported"))
    else:
        table(data.not_reported, [Col("agency_name", label="col.agency"), Col("last_report", "date"),
                                  Col("days_since", "count"), Col("owners", label="col.owners")], page.lang,
              excel=f"opd-belum-melapor-{data.as_of}")


run_page("page.overview", render)
