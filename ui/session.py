"""Who is signed in: the login form, the session's time-out, the account box, and who may open which page.

The session keeps only the username and the time of its last page view. The Actor (role and
agencies) is read from the users table on every run (smartcity.users.active_actor), so that
disabling a user or changing their role takes effect at once. A session idle for longer than the
setting `session_timeout_minutes` ends. Reloading the browser tab starts a new Streamlit
session, and so asks for the login again.
"""
from __future__ import annotations

import time

import streamlit as st
from streamlit.errors import StreamlitAPIException

from smartcity import users
from smartcity.auth import Actor
from smartcity.demo.accounts import demo_accounts
from smartcity.errors import SmartCityError
from smartcity.i18n import t
from smartcity.settings import setting
from ui.common import (LANG_KEY, PAGES, PAGES_DIR, PUBLIC, PageSpec, _leave_pages_directory_mode, current_lang,
                       get_store, language_switch, load, md_escape)

AUTH_USER = "auth_user"          # the signed-in username
AUTH_SEEN = "auth_seen"          # time.time() of the session's last page view
EXPIRED = "auth_expired"         # set when a session timed out: the login form says why
LOGIN_PAGE = "masuk"
HOME_PAGE = "ringkasan"


class LoginRequired(SmartCityError):
    key = "auth.login_required"


# -- the session --------------------------------------------------------------------------------

def session_actor() -> Actor | None:
    """The signed-in Actor, or None: nobody signed in, the session timed out, or the user was disabled."""
    name = st.session_state.get(AUTH_USER)
    if not name:
        return None
    now = time.time()
    idle = now - st.session_state.get(AUTH_SEEN, now)
    if idle > float(setting("session_timeout_minutes")) * 60:
        log_out()
        st.session_state[EXPIRED] = True
        return None
    actor = users.active_actor(get_store(), name)
    if actor is None:
        log_out()
        return None
    st.session_state[AUTH_SEEN] = now
    return actor


def require_actor() -> Actor:
    actor = session_actor()
    if actor is None:
        raise LoginRequired()
    return actor


def log_in(username: str, password: str) -> users.LoginResult:
    """Check the password (failed attempts are slowed down by smartcity.users); on success start the session."""
    result = users.authenticate(get_store(), username.strip(), password)
    if result.actor is not None:
        log_out()                                # nothing of an earlier session stays
        st.session_state[AUTH_USER] = result.actor.username
        st.session_state[AUTH_SEEN] = time.time()
    return result


def log_out() -> None:
    """End the session: everything in it goes (drafts, filters), except the language."""
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]


def page_spec(title_key: str) -> PageSpec | None:
    return next((s for s in PAGES.values() if s.title_key == title_key), None)


def may_open(spec: PageSpec | None, actor: Actor | None) -> bool:
    """Public pages for everyone; any other page for a signed-in user whose role it lists."""
    if spec is not None and spec.roles == PUBLIC:
        return True
    if actor is None:
        return False
    return spec is None or actor.role in spec.roles


# -- what the pages show ------------------------------------------------------------------------

def role_line(actor: Actor, lang: str) -> str:
    """'Editor OPD · Dinkes' : the role and, for an editor, the agencies' short names."""
    from smartcity import views

    parts = [t(f"role.{actor.role}", lang)]
    if actor.agencies:
        names = load(views.agency_choices)
        short = dict(zip(names["code"], names["short_name"]))
        parts.append(", ".join(short.get(code, code) for code in sorted(actor.agencies)))
    return " · ".join(parts)


def account_box(actor: Actor, lang: str) -> None:
    """Who is signed in, with their role and agencies, and the logout button (in the sidebar)."""
    with st.sidebar.container(border=True, key="account_box"):
        st.markdown(f":material/account_circle: **{md_escape(actor.username)}**")
        st.caption(md_escape(role_line(actor, lang)))
        st.button(t("auth.logout", lang), on_click=log_out, icon=":material/logout:", key="auth_logout",
                  width="stretch")


def admitted(title_key: str) -> bool:
    """Whether the signed-in user may open the page titled `title_key`; if not, show why instead.

    Signed out: the login form in place of the page (after login the page itself shows).
    Signed in without the role: a refusal. Either way the sidebar keeps the language switch.
    """
    spec = page_spec(title_key)
    actor = session_actor()
    lang = current_lang()
    if may_open(spec, actor):
        if actor is not None:
            account_box(actor, lang)
        return True
    _leave_pages_directory_mode()
    if actor is not None:
        account_box(actor, lang)
    with st.sidebar:
        language_switch(lang)
    st.caption(t("app.title", lang))
    st.title(t(title_key, lang))
    if actor is None:
        st.info(t("auth.needed", lang), icon=":material/lock:")
        login_form(lang)
    else:
        st.error(t("auth.refused", lang, role=t(f"role.{actor.role}", lang)), icon=":material/block:")
    return False


def login_form(lang: str, *, then: str | None = None) -> None:
    """Username and password; on success the session starts and `then` (a url_path) opens, else this page again."""
    if st.session_state.pop(EXPIRED, False):
        st.warning(t("auth.expired", lang, minutes=setting("session_timeout_minutes")), icon=":material/timer_off:")
    accounts = demo_accounts(get_store())
    with st.container(horizontal=True, gap="medium", vertical_alignment="top"):
        with st.form("login", width=400):
            st.subheader(t("auth.title", lang))
            username = st.text_input(t("auth.username", lang), key="login_user", autocomplete="username")
            password = st.text_input(t("auth.password", lang), type="password", key="login_password",
                                     autocomplete="current-password")
            if st.form_submit_button(t("auth.submit", lang), type="primary", icon=":material/login:",
                                     key="login_submit"):
                _submit(username, password, lang, then)
        if accounts:
            demo_accounts_box(accounts, lang)


def _submit(username: str, password: str, lang: str, then: str | None) -> None:
    """Sign in, or say why not (a wrong password and an unknown user get the same answer)."""
    if not (username and password):
        st.error(t("auth.fill_both", lang), icon=":material/error:")
        return
    result = log_in(username, password)
    if result.actor is None:
        params = {"seconds": result.wait_seconds} if result.key == "login.wait" else {}
        st.error(t(result.key, lang, **params), icon=":material/error:")
    else:
        _open_after_login(then)


def _open_after_login(url_path: str | None) -> None:
    if url_path:
        try:
            st.switch_page(PAGES_DIR / PAGES[url_path].file)
        except StreamlitAPIException:
            pass                                     # the page runs on its own (a test)
    st.rerun()


def demo_accounts_box(accounts: list, lang: str) -> None:
    """The demo accounts and their passwords: shown only on the demo database."""
    import pandas as pd

    with st.container(border=True, width=440):
        st.markdown(f"**:material/science: {t('auth.demo_title', lang)}**")
        st.caption(t("auth.demo_body", lang))
        rows = pd.DataFrame([(a.username, a.password, t(f"role.{a.role}", lang), ", ".join(a.agencies) or "–")
                             for a in accounts], columns=["user", "password", "role", "agencies"])
        st.dataframe(rows, hide_index=True, width="stretch", key="demo_accounts", column_config={
            "user": st.column_config.TextColumn(t("auth.username", lang)),
            "password": st.column_config.TextColumn(t("auth.password", lang)),
            "role": st.column_config.TextColumn(t("usr.role", lang)),
            "agencies": st.column_config.TextColumn(t("col.agency", lang)),
        })


def login_page(page) -> None:
    """The body of the Masuk page: the login form, or who is signed in."""
    actor = session_actor()
    if actor is None:
        login_form(page.lang, then=HOME_PAGE)
        return
    st.success(t("auth.signed_in_as", page.lang, user=actor.username, role=role_line(actor, page.lang)),
               icon=":material/check_circle:")
    try:
        st.page_link(PAGES_DIR / PAGES[HOME_PAGE].file, label=t("auth.go_home", page.lang), icon=":material/dashboard:")
    except StreamlitAPIException:
        pass
