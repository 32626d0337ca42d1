"""Rencana Aksi: every action in scope, searchable and filterable by status, a page at a time, with an Excel download."""
import streamlit as st

from smartcity import views
from smartcity.export import export_actions
from smartcity.formatting import format_count
from ui.common import PageContext, get_store, load, run_page
from ui.widgets import Col, action_picker, table

PAGE_SIZE = 50
COLUMNS = [Col("action_code"), Col("agency_short", label="col.agency"), Col("activity"), Col("status", "status"),
           Col("achievement", "progress"), Col("target", "number"), Col("actual", "number"), Col("budget", "rupiah"),
           Col("budget_spent", "rupiah"), Col("due_date", "date"), Col("pillar", "pillar"), Col("indicator"),
           Col("owner")]


def render(page: PageContext) -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        search = st.text_input(page.t("ac.search"), key="ac_search", icon=":material/search:")
        status = st.pills(page.t("ac.status"), list(views.STATUSES), selection_mode="multi", key="ac_status",
                          format_func=lambda s: page.t(f"status.{s}"))
    status = tuple(status or ())
    # A new search or filter starts again at page 1: the pager's key names what it pages through.
    pager_key = f"ac_page_{hash((page.filters, status, search))}"
    data = load(views.actions_page, page.filters, status=status, search=search,
                page=st.session_state.get(pager_key, 1), page_size=PAGE_SIZE)

    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption(page.t("ac.count", total=format_count(data.total), page=format_count(data.page),
                          pages=format_count(data.pages)), width="content")
        st.download_button(
            page.t("ac.download"), icon=":material/download:", help=page.t("ac.download_help"),
            data=lambda: export_actions(get_store(), page.filters, page.lang, status=status, search=search),
            file_name=f"rencana-aksi-{data.as_of}.xlsx", disabled=data.total == 0,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if data.total == 0:
        st.info(page.t("state.no_rows"), icon=":material/filter_alt:")
        return
    table(data.rows, COLUMNS, page.lang, max_rows=20)
    if data.pages > 1:
        st.pagination(data.pages, key=pager_key)

    st.subheader(page.t("ac.detail"))
    action_picker(data.rows, page.filters, page.lang, key="ac_action")


run_page("page.actions", render)
