"""Pilar: one pillar in depth: its figures, its agencies and dimensions, and the actions needing attention."""
import streamlit as st

from smartcity import views
from ui.common import FILTER_KEYS, PageContext, bound, go_to, load, run_page
from ui.widgets import PILLAR_DIVIDER, PILLAR_HEX, Col, achievement_chart, show, status_badges, summary_metrics, table


def render(page: PageContext) -> None:
    pillar = bound(st.segmented_control, page.t("pl.choose"), list(views.PILLARS), FILTER_KEYS["pillar"],
                   widget_key="pl_pillar", required=True, format_func=lambda p: page.t(f"pillar.{p}"))
    data = load(views.pillar_detail, page.filters, pillar)

    with st.container(border=True):
        st.subheader(page.t(f"pillar.{pillar}"), divider=PILLAR_DIVIDER[pillar])
        summary_metrics(data.summary, page.lang)
        status_badges(data.summary.status_counts, page.lang)

    left, right = st.columns([3, 2])
    with left:
        st.subheader(page.t("ov.by_agency"))
        if data.by_agency.empty:
            st.caption(page.t("ov.no_actions"))
        else:
            show(achievement_chart(data.by_agency, "agency_short", "achievement", PILLAR_HEX[pillar], page.lang))
    with right:
        st.subheader(page.t("pl.dimensions"))
        table(data.by_dimension, [Col("dimension"), Col("actions", "count"), Col("achievement", "progress"),
                                  Col("late", "count")], page.lang, excel=f"pilar-{pillar}-dimensi-{data.as_of}")

    st.subheader(page.t("pl.agencies"))
    table(data.by_agency, [Col("agency_short", label="col.agency"), Col("actions", "count"),
                           Col("achievement", "progress"), Col("budget", "rupiah"), Col("budget_spent", "rupiah"),
                           Col("absorption", "percent"), Col("late", "count"), Col("at_risk", "count"),
                           Col("last_report", "date")], page.lang, excel=f"pilar-{pillar}-opd-{data.as_of}")
    names = dict(zip(data.by_agency["agency_code"], data.by_agency["agency_short"]))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        code = st.selectbox(page.t("pl.pick_agency"), list(names), format_func=names.get, key="pl_agency", width=320)
        if st.button(page.t("pl.open_agency"), icon=":material/arrow_forward:", disabled=code is None):
            go_to("opd", agency=code)

    st.subheader(page.t("pl.attention"))
    if data.attention.empty:
        st.caption(page.t("pl.attention_none"))
    else:
        table(data.attention, [Col("action_code"), Col("activity"), Col("status", "status"),
                               Col("achievement", "progress"), Col("due_date", "date"),
                               Col("agency_short", label="col.agency")], page.lang,
              excel=f"pilar-{pillar}-perhatian-{data.as_of}")


run_page("page.pillar", render)
