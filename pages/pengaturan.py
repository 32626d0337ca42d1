"""Pengaturan (admin): the KPI definitions in words with the form to change their target, thresholds,
public flag and names, and the agency registry with the forms to add and edit an agency.

Every change goes through smartcity.registry_admin with the signed-in admin as the actor (checked and audited there).
"""
import streamlit as st

from smartcity import registry_admin
from smartcity.errors import SmartCityError
from ui.common import PageContext, current_actor, get_store, load, md_escape, run_page
from ui.widgets import Col, table

KPI_COLUMNS = [Col("name", label="set.col.name", width="medium"),
               Col("formula", label="set.col.formula", width="large"),
               Col("unit", label="set.col.unit"), Col("direction", label="set.col.direction"),
               Col("target", label="set.col.target"), Col("thresholds", label="set.col.thresholds", width="medium"),
               Col("public", label="set.col.public"), Col("changed", label="set.col.changed")]
AGENCY_COLUMNS = [Col("code", label="set.col.code"), Col("name", label="set.col.agency_name", width="medium"),
                  Col("short_name", label="set.col.short_name"),
                  Col("aliases", label="set.col.aliases", width="medium")]
DONE_KEY = "set_done"


def attempt(page: PageContext, change, message: str) -> None:
    """Run one change; a refusal is shown here, and success after the rerun that refreshes the tables."""
    try:
        change()
    except SmartCityError as e:
        st.error(md_escape(e.message(page.lang)), icon=":material/error:")   # it may quote what was typed
    else:
        st.session_state[DONE_KEY] = message
        st.rerun()


def kpi_section(page: PageContext) -> None:
    st.caption(page.t("set.kpi_fixed"))
    table(load(registry_admin.kpi_definitions, page.lang), KPI_COLUMNS, page.lang, key="set_kpis", lines=3)
    kpis = {k.id: k for k in load(registry_admin.kpi_settings)}
    kpi_id = st.selectbox(page.t("set.kpi_pick"), list(kpis), format_func=lambda k: kpis[k].name.get(page.lang),
                          key="set_kpi_pick", width=420)
    kpi = kpis[kpi_id]
    limits = kpi.thresholds
    with st.form(f"set_kpi_{kpi_id}", border=True):
        help_text = page.t("set.kpi_numbers_help")
        a, b, c = st.columns(3)
        target = a.number_input(page.t("set.kpi_target"), value=kpi.target, step=1.0, help=help_text,
                                key=f"set_kpi_target_{kpi_id}")
        green = b.number_input(page.t("set.kpi_green"), value=limits.green if limits else None, step=1.0,
                               help=help_text, key=f"set_kpi_green_{kpi_id}")
        amber = c.number_input(page.t("set.kpi_amber"), value=limits.amber if limits else None, step=1.0,
                               help=help_text, key=f"set_kpi_amber_{kpi_id}")
        left, right = st.columns(2)
        name_id = left.text_input(page.t("set.kpi_name_id"), value=kpi.name.id, key=f"set_kpi_name_id_{kpi_id}")
        name_en = right.text_input(page.t("set.kpi_name_en"), value=kpi.name.en, key=f"set_kpi_name_en_{kpi_id}")
        public = st.toggle(page.t("set.kpi_public"), value=kpi.public, key=f"set_kpi_public_{kpi_id}")
        submitted = st.form_submit_button(page.t("set.kpi_save"), type="primary", icon=":material/save:")
    if submitted:
        attempt(page, lambda: registry_admin.set_kpi_definition(
            get_store(), current_actor(), kpi_id, target=target, green=green, amber=amber, public=public,
            name_id=name_id, name_en=name_en), page.t("set.kpi_saved", kpi=kpi_id))


def add_agency_form(page: PageContext) -> None:
    st.markdown(f"**{page.t('set.agency_add_heading')}**")
    with st.form("set_agency_add", border=True):
        a, b = st.columns([1, 2])
        code = a.text_input(page.t("set.agency_code"), key="set_ag_add_code", help=page.t("set.agency_code_help"))
        name = b.text_input(page.t("set.agency_name"), key="set_ag_add_name")
        short = a.text_input(page.t("set.agency_short"), key="set_ag_add_short")
        aliases = b.text_area(page.t("set.agency_aliases"), key="set_ag_add_aliases", height=80,
                              help=page.t("set.agency_aliases_help"))
        submitted = st.form_submit_button(page.t("set.agency_add"), icon=":material/add_business:")
    if submitted:
        attempt(page, lambda: registry_admin.add_agency(get_store(), current_actor(), code, name, short, aliases),
                page.t("set.agency_added", code=code.strip().upper()))


def edit_agency_form(page: PageContext, agencies) -> None:
    st.markdown(f"**{page.t('set.agency_edit_heading')}**")
    by_code = {r["code"]: r for r in agencies.to_dict("records")}
    code = st.selectbox(page.t("set.agency_pick"), list(by_code), key="set_ag_pick", width=420,
                        format_func=lambda c: f"{c} · {by_code[c]['short_name']}")
    current = by_code[code]
    with st.form(f"set_agency_edit_{code}", border=True):
        a, b = st.columns([1, 2])
        name = b.text_input(page.t("set.agency_name"), value=current["name"], key=f"set_ag_name_{code}")
        short = a.text_input(page.t("set.agency_short"), value=current["short_name"], key=f"set_ag_short_{code}")
        aliases = b.text_area(page.t("set.agency_aliases"), value="\n".join(current["aliases"].split(", ")),
                              key=f"set_ag_aliases_{code}", height=80, help=page.t("set.agency_aliases_help"))
        submitted = st.form_submit_button(page.t("set.agency_save"), icon=":material/save:")
    if submitted:
        attempt(page, lambda: registry_admin.edit_agency(get_store(), current_actor(), code, name=name,
                                                         short_name=short, aliases=aliases),
                page.t("set.agency_saved", code=code))


def render(page: PageContext) -> None:
    message = st.session_state.pop(DONE_KEY, None)
    if message:
        st.success(md_escape(message), icon=":material/check_circle:")
    st.write(page.t("set.intro"))
    kpi_tab, agency_tab = st.tabs([page.t("set.tab_kpi"), page.t("set.tab_agency")])
    with kpi_tab:
        kpi_section(page)
    with agency_tab:
        agencies = load(registry_admin.agency_list)
        table(agencies, AGENCY_COLUMNS, page.lang, key="set_agencies", max_rows=12)
        add_agency_form(page)
        edit_agency_form(page, agencies)


run_page("page.settings", render, needs_data=False)
