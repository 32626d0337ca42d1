"""KPI: each KPI's value against its target and traffic light, the formula in words, by agency and over time."""
import streamlit as st

from smartcity import views
from smartcity.formatting import format_count, format_date, format_value
from ui.common import PageContext, load, md_escape, run_page, scope_label
from ui.widgets import KPI_CARD_WIDTH, Col, excel_download, kpi_agency_chart, kpi_card, show, table, trend_chart

KPI_COLUMNS = [Col("name", label="col.kpi"), Col("value", "kpi_value"), Col("target", "kpi_value"), Col("status", "rag"),
               Col("n", "count")]


def render(page: PageContext) -> None:
    board = load(views.kpi_board, page.filters, page.lang)
    if not board.kpis:
        st.info(page.t("kp.none"))
        return
    scope = scope_label(page) or page.t("kp.scope.all")
    st.caption(page.t("kp.values_of", date=format_date(board.as_of, page.lang), scope=scope))
    with st.container(horizontal=True, wrap=True, gap="medium"):
        for kpi in board.kpis:
            kpi_card(kpi, page.lang, width=KPI_CARD_WIDTH)
    excel_download(board.table(), KPI_COLUMNS, page.lang, f"kpi-{board.as_of}.xlsx", key="xl_kpis")

    names = {k.id: k.name for k in board.kpis}
    chosen = st.selectbox(page.t("col.kpi"), list(names), format_func=names.get, key="kp_kpi", width=480)
    kpi = next(k for k in board.kpis if k.id == chosen)
    with st.container(border=True):
        st.subheader(kpi.name)
        st.markdown(md_escape(kpi.description))
        st.markdown(f"**{page.t('kp.formula')}:** {md_escape(kpi.formula)}")
        facts = [page.t("kp.target", value=format_value(kpi.target, kpi.unit)) if kpi.target is not None
                 else page.t("kp.no_target"), page.t(f"direction.{kpi.direction}"),
                 page.t("kp.n", n=format_count(kpi.n))]
        if kpi.green is not None:
            facts.append(page.t("kp.thresholds", green=format_value(kpi.green, kpi.unit),
                                amber=format_value(kpi.amber, kpi.unit)))
        st.caption(" · ".join(facts))
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{page.t('kp.by_agency')}**")
            if kpi.by_agency["value"].notna().any():
                show(kpi_agency_chart(kpi.by_agency, kpi.unit, page.lang), key=f"kpi_agency_{kpi.id}")
            table(kpi.by_agency.assign(unit=kpi.unit), [Col("agency_short", label="col.agency"),
                                                        Col("value", "kpi_value"), Col("status", "rag"),
                                                        Col("n", "count")], page.lang,
                  excel=f"kpi-{kpi.id}-opd-{board.as_of}")
        with right:
            st.markdown(f"**{page.t('kp.trend')}**")
            show(trend_chart(kpi.trend, kpi.unit, page.lang), key=f"kpi_trend_{kpi.id}")


run_page("page.kpi", render)
