"""Unggah Data: choose files and their date, preview what each would load (and map unknown
agencies, unrecognised columns and the pillars of Renja programmes), then load them; each file's
result with every problem, the templates, the history."""
from datetime import date

import streamlit as st

from smartcity import uploads
from smartcity.settings import setting
from ui.common import PageContext, current_actor, load, md_escape, run_page
from ui.upload import RESULTS_KEY, preview_step, ready_reader, start_preview, template_downloads, upload_result
from ui.widgets import upload_history


def render(page: PageContext) -> None:
    ready_reader()
    st.write(page.t("up.intro"))
    template_downloads(page.lang, page.as_of or date.today())
    limit_mb = int(setting("max_upload_mb"))
    with st.container(border=True):
        files = st.file_uploader(page.t("up.files", mb=limit_mb), type=["xlsx", "xlsm", "xls", "ods", "csv"],
                                 accept_multiple_files=True, max_upload_size=limit_mb, key="up_files")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            as_of = st.date_input(page.t("up.as_of"), value=date.today(), format="DD/MM/YYYY", key="up_as_of",
                                  width=220)
            preview_clicked = st.button(page.t("up.preview"), type="primary", icon=":material/preview:",
                                        key="up_load")
        st.caption(md_escape(page.t("up.actor", user=current_actor().username)))
    if preview_clicked:
        if not files:
            st.warning(page.t("up.no_files"))
        else:
            with st.spinner(page.t("up.previewing", file=", ".join(f.name for f in files))):
                start_preview([(f.name, f.getvalue()) for f in files], as_of)

    preview_step(page.lang)

    if st.session_state.get(RESULTS_KEY):
        st.subheader(page.t("up.results"))
        for report in st.session_state[RESULTS_KEY]:
            upload_result(report, page.lang)

    st.subheader(page.t("up.history"))
    upload_history(load(uploads.upload_history), page.lang)


run_page("page.upload", render, needs_data=False)
