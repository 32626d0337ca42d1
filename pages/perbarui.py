"""Perbarui Progres: an agency's editor types realisasi, realisasi anggaran, status and notes of its own actions.

Each save is a new snapshot per changed action, dated today or a chosen date no earlier than the latest
data (smartcity.updates.edit_dates; the demo database offers its own latest date first), checked
for permission and conflicts in smartcity.progress; an admin sees every action, a viewer reads only.
The table is read a page at a time; evidence goes with an action of the page or one found by typing
part of its code or activity (smartcity.updates.find_actions).
"""
import streamlit as st

from smartcity import updates
from smartcity.formatting import format_count
from smartcity.progress import EVIDENCE_TYPES, MAX_EVIDENCE_MB
from ui.common import PageContext, current_actor, get_store, md_escape, run_page
from ui.editor import (after_save, discard, draft, draft_bases, evidence_key, evidence_picker, load_table,
                       progress_editor, save_results)
from ui.session import role_line


def render(page: PageContext) -> None:
    actor = current_actor()
    dates = updates.edit_dates(get_store())          # not cached: today moves on by itself
    read_only = actor.role == "viewer"
    st.write(page.t("upd.intro_viewer" if read_only else "upd.intro"))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        as_of = st.date_input(page.t("upd.as_of"), value=dates.default, min_value=dates.earliest,
                              max_value=dates.latest, format="DD/MM/YYYY", key="upd_as_of", width=220,
                              help=page.t("upd.as_of_help"), disabled=read_only)
        st.caption(md_escape(page.t("upd.scope", who=actor.username, role=role_line(actor, page.lang))))
    data, table = load_table(actor, as_of, page.filters.pillar, page.filters.agency)
    save_results(page.lang)
    if data.total == 0:
        st.info(page.t("upd.none"), icon=":material/filter_alt:")
        return

    edited = progress_editor(data, table, page.lang, read_only=read_only, pillar=page.filters.pillar,
                             agency=page.filters.agency)
    if read_only:
        return
    labels = dict(zip(table.index, table["action_code"] + " · " + table["activity"].fillna("")))
    pending = updates.edits_from_table(table, edited)
    elsewhere = len([a for a in draft() if a not in table.index])

    with st.expander(page.t("upd.evidence"), icon=":material/attach_file:"):
        evidence_action = evidence_picker(actor, as_of, page.filters, data, labels, page.lang)
        evidence = st.file_uploader(page.t("upd.evidence_file", mb=MAX_EVIDENCE_MB),
                                    type=sorted({"jpg", "jpeg", *(e.lstrip(".") for e in EVIDENCE_TYPES.values())}),
                                    max_upload_size=MAX_EVIDENCE_MB, key=evidence_key())

    with st.container(horizontal=True, vertical_alignment="center"):
        save = st.button(page.t("upd.save"), type="primary", icon=":material/save:", key="upd_save",
                         disabled=not pending and (evidence is None or evidence_action is None))
        st.button(page.t("upd.discard"), icon=":material/undo:", key="upd_discard", on_click=discard,
                  disabled=not pending and not draft())
        st.caption(page.t("upd.pending", n=format_count(len(pending))) if pending else page.t("upd.no_pending"))
        if elsewhere:
            st.caption(page.t("upd.pending_elsewhere", n=format_count(elsewhere)))

    if save:
        attached = (int(evidence_action), evidence.name, evidence.getvalue()) if (
            evidence is not None and evidence_action is not None) else None
        outcomes = updates.save_table(get_store(), actor, table, edited, as_of, bases=draft_bases(table),
                                      evidence=attached)
        after_save(outcomes, labels, pending)
        st.rerun()  # the table, the sidebar's dates and every figure follow the new data version


run_page("page.update", render)
