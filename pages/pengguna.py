"""Pengguna (admin): the accounts, and adding a user, changing a role, disabling and resetting a password.

Every change goes through smartcity.users with the signed-in admin as the actor (checked and audited there).
"""
import pandas as pd
import streamlit as st

from smartcity import users
from smartcity.auth import ROLES
from smartcity.errors import SmartCityError
from ui.common import PageContext, current_actor, get_store, md_escape, run_page
from ui.widgets import Col, table

COLUMNS = [Col("username", label="usr.username"), Col("display_name", label="usr.display_name"),
           Col("role_name", label="usr.role"), Col("agency_names", label="usr.agencies"),
           Col("state", label="usr.state"), Col("created_at", "datetime", "usr.created")]


def done(message: str) -> None:
    """Show `message` after the rerun that refreshes the list."""
    st.session_state["usr_done"] = message
    st.rerun()


def attempt(page: PageContext, change, message: str) -> None:
    """Run one change; a refusal (bad name, short password, no permission) is shown here, not as a page error."""
    try:
        change()
    except SmartCityError as e:
        st.error(e.message(page.lang), icon=":material/error:")
    else:
        done(message)


def user_list(page: PageContext, accounts: list[dict], agencies: dict[str, str]) -> None:
    df = pd.DataFrame(accounts, columns=["username", "display_name", "role", "agencies", "active", "created_at"])
    df["role_name"] = [page.t(f"role.{r}") for r in df["role"]]
    df["agency_names"] = [", ".join(agencies.get(a, a) for a in codes) or "–" for codes in df["agencies"]]
    df["state"] = [page.t("usr.active" if a else "usr.disabled") for a in df["active"]]
    table(df, COLUMNS, page.lang, key="usr_table", max_rows=20)


def add_form(page: PageContext, agencies: dict[str, str]) -> None:
    with st.form("usr_add", clear_on_submit=False, border=False):
        a, b = st.columns(2)
        username = a.text_input(page.t("usr.username"), key="usr_add_name", help=page.t("usr.username_help"))
        display = b.text_input(page.t("usr.display_name"), key="usr_add_display")
        role = a.selectbox(page.t("usr.role"), ROLES, index=1, format_func=lambda r: page.t(f"role.{r}"),
                           key="usr_add_role")
        chosen = b.multiselect(page.t("usr.agencies"), list(agencies), format_func=agencies.get, key="usr_add_agencies",
                               help=page.t("usr.agencies_help"), placeholder=page.t("usr.agencies_placeholder"))
        password = a.text_input(page.t("usr.password"), type="password", key="usr_add_password",
                                help=page.t("usr.password_help"), autocomplete="new-password")
        submitted = st.form_submit_button(page.t("usr.add"), type="primary", icon=":material/person_add:")
    if submitted:
        attempt(page, lambda: users.add_user(get_store(), current_actor(), username.strip(), password, role,
                                             chosen if role == "editor" else [], display.strip() or None),
                page.t("usr.added", user=username.strip()))


def role_form(page: PageContext, accounts: list[dict], agencies: dict[str, str]) -> None:
    by_name = {u["username"]: u for u in accounts}
    name = st.selectbox(page.t("usr.pick"), list(by_name), key="usr_role_user", width=420)
    with st.form("usr_role", border=False):
        current = by_name[name]
        role = st.selectbox(page.t("usr.role"), ROLES, index=ROLES.index(current["role"]),
                            format_func=lambda r: page.t(f"role.{r}"), key=f"usr_role_role_{name}")
        chosen = st.multiselect(page.t("usr.agencies"), list(agencies), default=list(current["agencies"]),
                                format_func=agencies.get, key=f"usr_role_agencies_{name}",
                                placeholder=page.t("usr.agencies_placeholder"), help=page.t("usr.agencies_help"))
        submitted = st.form_submit_button(page.t("usr.change_role"), icon=":material/badge:")
    if submitted:
        attempt(page, lambda: users.set_role(get_store(), current_actor(), name, role,
                                             chosen if role == "editor" else []),
                page.t("usr.role_changed", user=name))


def access_form(page: PageContext, accounts: list[dict]) -> None:
    by_name = {u["username"]: u for u in accounts}
    name = st.selectbox(page.t("usr.pick"), list(by_name), key="usr_access_user", width=420)
    active = bool(by_name[name]["active"])
    with st.container(horizontal=True):
        if st.button(page.t("usr.disable" if active else "usr.enable"), key="usr_toggle",
                     icon=":material/person_off:" if active else ":material/person_check:"):
            attempt(page, lambda: users.set_active(get_store(), current_actor(), name, not active),
                    page.t("usr.disabled_done" if active else "usr.enabled_done", user=name))
        if st.button(page.t("usr.reset"), key="usr_reset", icon=":material/key:"):
            try:
                password = users.reset_password(get_store(), current_actor(), name)
            except SmartCityError as e:
                st.error(e.message(page.lang), icon=":material/error:")
            else:
                st.session_state["usr_new_password"] = (name, password)
    shown = st.session_state.pop("usr_new_password", None)
    if shown:                                   # shown once: gone on the next interaction
        st.success(md_escape(page.t("usr.reset_done", user=shown[0])), icon=":material/key:")
        st.code(shown[1], language=None)


def render(page: PageContext) -> None:
    message = st.session_state.pop("usr_done", None)
    if message:
        st.success(md_escape(message), icon=":material/check_circle:")
    store = get_store()
    accounts = users.list_users(store)        # not cached: account changes do not change the data version
    agencies = users.assignable_agencies(store)
    user_list(page, accounts, agencies)
    add, role, access = st.tabs([page.t("usr.tab_add"), page.t("usr.tab_role"), page.t("usr.tab_access")])
    with add:
        add_form(page, agencies)
    with role:
        role_form(page, accounts, agencies)
    with access:
        access_form(page, accounts)


run_page("page.users", render, needs_data=False)
