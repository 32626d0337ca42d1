"""Unggah Data: upload one or many files, see each file's result with every problem, and the upload history."""
from datetime import date

import streamlit as st

from smartcity import uploads
from smartcity.settings import setting
from ui.common import PageContext, current_actor, get_store, load, md_escape, run_page
from ui.widgets import upload_history, upload_report

RESULTS_KEY = "upload_reports"


def render(page: PageContext) -> None:
    st.write(page.t("up.intro"))
    limit_mb = int(setting("max_upload_mb"))
    with st.container(border=True):
        files = st.file_uploader(page.t("up.files", mb=limit_mb), type=["xlsx", "xlsm", "xls", "ods", "csv"],
                                 accept_multiple_files=True, max_upload_size=limit_mb, key="up_files")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            as_of = st.date_input(page.t("up.as_of"), value=date.today(), format="DD/MM/YYYY", key="up_as_of",
                                  width=220)
            load_clicked = st.button(page.t("up.load"), type="primary", icon=":material/upload:", key="up_load")
        st.caption(md_escape(page.t("up.actor", user=current_actor().username)))
    if load_clicked:
        if not files:
            st.warning(page.t("up.no_files"))
        else:
            with st.spinner(page.t("up.loading", file=", ".join(f.name for f in files))):
                st.session_state[RESULTS_KEY] = uploads.load_uploads(
                    get_store(), [(f.name, f.getvalue()) for f in files], as_of, current_actor())
            st.rerun()  # the sidebar's dates and every figure follow the new data version

    if st.session_state.get(RESULTS_KEY):
        st.subheader(page.t("up.results"))
        for report in st.session_state[RESULTS_KEY]:
            upload_report(report, page.lang)

    st.subheader(page.t("up.history"))
    upload_history(load(uploads.upload_history), page.lang)


run_page("page.upload", render, needs_data=False)
