"""OPD: one agency's actions, statuses, budget and KPIs (or the list of agencies to choose from)."""
import streamlit as st

from smartcity import views
from smartcity.formatting import format_count, format_date, format_percent, format_rupiah
from smartcity.review import missing_reasons
from ui.common import FILTER_KEYS, PageContext, bound, go_to, load, md_escape, run_page
from ui.review import missing_reasons_table
from ui.widgets import Col, action_picker, predikat_badge, status_badges, table

ACTION_COLUMNS = [Col("action_code"), Col("activity"), Col("status", "status"), Col("achievement", "progress"),
                  Col("target", "number"), Col("actual", "number"), Col("budget", "rupiah"),
                  Col("budget_spent", "rupiah"), Col("due_date", "date"), Col("pillar", "pillar"), Col("indicator")]


def choose(page: PageContext) -> None:
    """No agency chosen: every agency's figures, and a choice that sets the agency filter."""
    st.info(page.t("ag.choose_hint"), icon=":material/info:")
    agencies = load(views.agency_table, page.filters)
    names = dict(zip(agencies["agency_code"], agencies["agency_short"]))
    bound(st.selectbox, page.t("ag.choose"), [None, *names], FILTER_KEYS["agency"], widget_key="ag_agency",
          format_func=lambda c: page.t("ag.all_agencies") if c is None else names[c], width=360)
    table(agencies, [Col("agency_short", label="col.agency"), Col("actions", "count"), Col("achievement", "progress"),
                     Col("absorption", "percent"), Col("budget", "rupiah"), Col("on_track", "count", "status.on_track"),
                     Col("at_risk", "count"), Col("late", "count"), Col("done", "count", "status.done"),
                     Col("last_report", "date"), Col("days_since_report", "count", "col.days_since")], page.lang,
          excel=f"opd-{page.as_of}")


def render(page: PageContext) -> None:
    if not page.filters.agency:
        choose(page)
        return
    data = load(views.agency_detail, page.filters, page.filters.agency, page.lang)
    if data is None:
        st.warning(page.t("state.unknown_agency"))
        return
    st.subheader(md_escape(data.name))
    a, b, c, d = st.columns(4)
    a.metric(page.t("m.actions"), format_count(data.summary.actions), border=True)
    b.metric(page.t("m.achievement"), format_percent(data.summary.achievement), help=page.t("m.achievement_help"),
             border=True)
    c.metric(page.t("m.absorption"), format_percent(data.summary.absorption),
             help=page.t("m.budget_line", spent=format_rupiah(data.summary.budget_spent),
                         budget=format_rupiah(data.summary.budget)), border=True)
    d.metric(page.t("m.last_report"), format_date(data.last_report, page.lang), border=True,
             help=None if data.days_since_report is None else page.t("m.days_ago", days=data.days_since_report))
    left, right = st.columns([2, 3])
    with left:
        predikat_badge(data.summary.predikat, page.lang)
        status_badges(data.summary.status_counts, page.lang)
    with right:
        table(data.by_pillar, [Col("pillar", "pillar"), Col("actions", "count"), Col("achievement", "progress"),
                               Col("absorption", "percent"), Col("late", "count")], page.lang,
              excel=f"opd-{data.code}-pilar-{data.as_of}")

    st.subheader(page.t("ag.actions"))
    table(data.actions, ACTION_COLUMNS, page.lang, excel=f"opd-{data.code}-aksi-{data.as_of}")
    unexplained = load(missing_reasons, data.as_of, data.code, page.filters.pillar)
    if len(unexplained):  # late / at-risk actions with no obstacle or follow-up: the review asks for both
        st.warning(page.t("ag.missing_reasons", n=format_count(len(unexplained))), icon=":material/report:")
        missing_reasons_table(unexplained, page.lang, key="ag_missing_reasons", agency=False)
    if st.button(page.t("ag.open_actions"), icon=":material/checklist:"):
        go_to("rencana-aksi")
    action_picker(data.actions, page.filters, page.lang, key="ag_action")

    st.subheader(page.t("ag.kpis"))
    table(data.kpis, [Col("name", label="col.kpi"), Col("value", "kpi_value"), Col("target", "kpi_value"),
                      Col("status", "rag"), Col("n", "count")], page.lang, excel=f"opd-{data.code}-kpi-{data.as_of}")


run_page("page.agency", render)
