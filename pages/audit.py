"""Jejak Audit (admin): every change with who, when, what, before and after; a progress edit can be undone.

Undoing is a new change (smartcity.progress.revert_edit, audited as 'revert'); nothing is deleted.
Before and after are shown as plain text in a table, never as markup. The list is a page at a time
(smartcity.audit.audit_page), cached until the next audited change (audit_version: changes of users
and passwords are audited without changing the data version).
"""
import streamlit as st

from smartcity import audit
from smartcity.errors import SmartCityError
from smartcity.formatting import format_count
from smartcity.progress import revert_edit
from ui.common import PageContext, current_actor, get_store, load, md_escape, run_page
from ui.editor import outcome_box
from ui.widgets import Col, table

RESULT_KEY = "au_result"
COLUMNS = [Col("id", "count", "au.col.id"), Col("changed_at", "datetime", "au.col.when"), Col("actor", label="au.col.who"),
           Col("kind", label="au.col.kind"), Col("subject", label="au.col.subject"),
           Col("agency_code", label="col.agency"), Col("before_text", label="au.col.before", width="large"),
           Col("after_text", label="au.col.after", width="large")]


def kind_name(action: str | None, page: PageContext) -> str:
    if action is None:
        return page.t("au.all")
    try:
        return page.t(f"au.kind.{action}")
    except KeyError:
        return action


def filters(page: PageContext, version: int) -> dict:
    facets = load(audit.audit_facets, version)
    everyone = lambda v: page.t("au.all") if v is None else v  # noqa: E731
    with st.container(horizontal=True, vertical_alignment="bottom"):
        who = st.selectbox(page.t("au.who"), [None, *facets["actors"]], format_func=everyone, key="au_who")
        kind = st.selectbox(page.t("au.kind"), [None, *facets["actions"]], key="au_kind",
                            format_func=lambda v: kind_name(v, page))
        agency = st.selectbox(page.t("au.agency"), [None, *facets["agencies"]], format_func=everyone, key="au_agency")
        since = st.date_input(page.t("au.since"), value=None, format="DD/MM/YYYY", key="au_since")
    return {"actor": who, "action": kind, "agency_code": agency, "since": since}


def revert(page: PageContext, rows) -> None:
    """Choose a progress edit in the list and undo it; the result stays shown until the next undo."""
    st.subheader(page.t("au.revert"))
    st.caption(page.t("au.revert_help"))
    choices = {int(r.id): f"#{r.id} · {r.subject} · {r.actor} · {r.changed_at:%d/%m/%Y %H:%M}"
               for r in rows[rows["revertable"]].itertuples()}
    if not choices:
        st.caption(page.t("au.revert_none"))
        return
    with st.container(horizontal=True, vertical_alignment="bottom"):
        picked = st.selectbox(page.t("au.revert_pick"), list(choices), format_func=choices.get, key="au_revert_pick",
                              width=520)
        clicked = st.button(page.t("au.revert_button"), icon=":material/undo:", key="au_revert")
    if clicked:
        try:
            outcome = revert_edit(get_store(), current_actor(), picked)
            st.session_state[RESULT_KEY] = (picked, choices[picked], outcome)
        except SmartCityError as e:
            st.session_state[RESULT_KEY] = (picked, choices[picked], e)
        st.rerun()
    shown = st.session_state.get(RESULT_KEY)
    if shown:
        audit_id, label, outcome = shown
        if isinstance(outcome, SmartCityError):
            st.error(outcome.message(page.lang), icon=":material/error:")
        elif outcome.status == "saved":
            st.success(md_escape(page.t("au.reverted", id=audit_id, label=label)), icon=":material/check_circle:")
        elif outcome.status == "unchanged":
            st.info(page.t("au.revert_unchanged"), icon=":material/info:")
        else:
            outcome_box(outcome, label, page.lang, mine_key="au.restore")


def render(page: PageContext) -> None:
    st.write(page.t("au.intro"))
    version = audit.audit_version(get_store())    # not the data version: user changes leave that alone
    chosen = filters(page, version)
    # A new filter starts again at page 1: the pager's key names what it pages through.
    pager_key = f"au_page_{hash(tuple(chosen.items()))}"
    data = load(audit.audit_page, page.lang, page=st.session_state.get(pager_key, 1), up_to=version, **chosen)
    rows = data.rows.assign(kind=[kind_name(a, page) for a in data.rows["action"]])
    st.caption(page.t("au.count", n=format_count(data.total), page=format_count(data.page),
                      pages=format_count(data.pages)))
    if rows.empty:
        st.info(page.t("au.empty"), icon=":material/filter_alt:")
    else:
        table(rows, COLUMNS, page.lang, max_rows=15, key="au_table", lines=2)
        if data.pages > 1:
            st.pagination(data.pages, key=pager_key)
    revert(page, rows)


run_page("page.audit", render, needs_data=False)
