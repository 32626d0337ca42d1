"""Widgets of the Unggah Data page: the preview step (with the unknown-agency mapping, the
column mapping of a file whose headers were not recognised, and the pillars of programmes whose
rows wait for one), each file's result with its rejected rows as Excel, and the template downloads.

The uploaded bytes and the previews live in st.session_state between reruns, so the preview
can be confirmed, cancelled or re-run after a mapping without choosing the files again.
"""
from __future__ import annotations

from datetime import date

import streamlit as st

from smartcity import mappings, templates, uploads
from smartcity.domain import Pillar
from smartcity.errors import SmartCityError
from smartcity.export import XLSX_MIME
from smartcity.formatting import format_count
from smartcity.i18n import t
from ui.common import current_actor, get_store, md_escape
from ui.widgets import UPLOAD_BADGE, UPLOAD_ICON, Col, problem_tables, table, upload_report

FILES_KEY = "upload_files"          # [(file name, bytes)] being previewed
AS_OF_KEY = "upload_as_of"          # their data date
PREVIEW_KEY = "upload_previews"     # [uploads.FilePreview]
RESULTS_KEY = "upload_reports"      # [uploads.UploadReport] of the last load

_BY_PILLAR_AGENCY_COLS = [Col("agency_short", label="col.agency"), Col("pillar", "pillar"), Col("actions", "count")]
_CHANGE_COLS = [Col("kind", "change", "rv.col.kind"), Col("agency_short", label="col.agency"), Col("action_code"),
                Col("activity", width="large"), Col("status_before", "status", "up.col.status_before"),
                Col("status_after", "status", "rv.col.status_after")]


# -- preview ------------------------------------------------------------------------------------

def ready_reader() -> None:
    """Have a reading worker started before the user sends a file (smartcity.ingest.isolate.prestart):
    the preview and the load then do not wait for a Python process to start and import the readers."""
    from smartcity.ingest.isolate import prestart

    prestart()


def start_preview(files: list[tuple[str, bytes]], as_of: date) -> None:
    """Keep the files and their date, preview them and forget the last results."""
    st.session_state[FILES_KEY] = files
    st.session_state[AS_OF_KEY] = as_of
    _refresh_preview()
    st.session_state.pop(RESULTS_KEY, None)


def _refresh_preview() -> None:
    st.session_state[PREVIEW_KEY] = uploads.preview_uploads(
        get_store(), st.session_state[FILES_KEY], st.session_state[AS_OF_KEY], current_actor())


def _clear_preview() -> None:
    for key in (FILES_KEY, AS_OF_KEY, PREVIEW_KEY):
        st.session_state.pop(key, None)


def _confirm() -> None:
    st.session_state[RESULTS_KEY] = uploads.load_uploads(
        get_store(), st.session_state[FILES_KEY], st.session_state[AS_OF_KEY], current_actor())
    _clear_preview()


def preview_step(lang: str) -> None:
    """Each previewed file, the unknown agencies to map, then 'Muat data' and 'Batal'."""
    previews = st.session_state.get(PREVIEW_KEY)
    if not previews:
        return
    st.subheader(t("up.preview_title", lang))
    for i, preview in enumerate(previews):
        preview_card(preview, lang, key=f"preview_{i}")
    with st.container(horizontal=True):
        confirm = st.button(t("up.confirm", lang), type="primary", icon=":material/upload:", key="up_confirm",
                            disabled=not any(p.rows_loaded or p.rows_rejected for p in previews))
        st.button(t("up.cancel", lang), key="up_cancel", on_click=_clear_preview)
    if confirm:
        with st.spinner(t("up.loading", lang, file=", ".join(p.file_name for p in previews))):
            _confirm()
        st.rerun()  # the sidebar's dates and every figure follow the new data version


def preview_card(preview: uploads.FilePreview, lang: str, key: str) -> None:
    """One file's preview: what loads per pillar and agency, what changes, what is rejected and why."""
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.badge(t(f"up.status.{preview.status}", lang), color=UPLOAD_BADGE.get(preview.status, "blue"),
                     icon=UPLOAD_ICON.get(preview.status, ":material/preview:"))
            st.markdown(f"**{md_escape(preview.file_name)}**")
        st.caption(t("up.preview_line", lang, loaded=format_count(preview.rows_loaded),
                     rejected=format_count(preview.rows_rejected)))
        if not preview.by_pillar_agency.empty:
            st.markdown(f"**{t('up.by_pillar_agency', lang)}**")
            table(preview.by_pillar_agency, _BY_PILLAR_AGENCY_COLS, lang, key=f"{key}_by")
        if preview.status == "preview":
            st.markdown(f"**{t('up.changes', lang)}**")
            if preview.changes.empty:
                st.caption(t("up.no_changes", lang))
            else:
                table(preview.changes, _CHANGE_COLS, lang, key=f"{key}_changes")
        problem_tables(preview.problems, preview.rejected, lang, key=key)
        if preview.unknown_agencies:
            unknown_agencies(preview, lang, key)
        if preview.column_mapping:
            column_mapping(preview.column_mapping, lang, key)
        if preview.waiting_for_pillar:
            waiting_for_pillar(preview.waiting_for_pillar, lang, key)


def unknown_agencies(preview: uploads.FilePreview, lang: str, key: str) -> None:
    """Admins map each unknown agency name (suggestions first); others are told an admin must."""
    actor = current_actor()
    st.markdown(f"**{t('up.unknown_title', lang)}**")
    if preview.unknown_more:
        st.warning(t("up.unknown_more", lang, n=format_count(preview.unknown_more),
                     rows=format_count(preview.unknown_more_rows)))
    if actor.role != "admin":
        for u in preview.unknown_agencies:
            st.warning(md_escape(t("up.unknown_admin_only", lang, name=u.name_as_written, n=format_count(len(u.rows)))))
        return
    agencies = uploads.template_agencies(get_store(), actor)
    names = dict(zip(agencies["code"], agencies["short_name"]))
    for j, u in enumerate(preview.unknown_agencies):
        suggested = [c.code for c in u.suggestions if c.code in names]
        options = suggested + [c for c in names if c not in suggested]
        with st.container(horizontal=True, vertical_alignment="bottom"):
            code = st.selectbox(md_escape(t("up.unknown_name", lang, name=u.name_as_written,
                                            n=format_count(len(u.rows)))),
                                options, format_func=lambda c: f"{names[c]} ({c})", key=f"{key}_map_{j}", width=420)
            if st.button(t("up.map_save", lang), key=f"{key}_map_save_{j}", icon=":material/save:"):
                mappings.map_agency_alias(get_store(), actor, u.name_as_written, code)
                _refresh_preview()
                st.toast(t("up.mapped", lang, name=u.name_as_written, agency=names[code]))
                st.rerun()


def column_mapping(sheets: list[uploads.SheetMapping], lang: str, key: str) -> None:
    """For each of our fields (required first, then those we suggest a column for, the rest folded
    away) a column of the file, with a few of its values; the profile's name; then save the profile
    and preview again, which applies it by itself."""
    st.markdown(f"**{t('up.colmap.title', lang)}**")
    st.caption(t("up.colmap.intro", lang))
    i = 0
    if len(sheets) > 1:
        i = st.selectbox(t("up.colmap.sheet", lang), range(len(sheets)), format_func=lambda k: sheets[k].sheet,
                         key=f"{key}_cm_sheet", width=320)
    sheet = sheets[i]
    st.caption(md_escape(t("up.colmap.sheet_line", lang, sheet=sheet.sheet or "-", row=sheet.header_row)))
    shown = [f for f in sheet.fields if f.required or f.suggested]
    chosen = {f.name: _field_column(sheet, f, lang, key=f"{key}_cm_{i}_{f.name}") for f in shown}
    with st.expander(t("up.colmap.optional", lang)):
        chosen |= {f.name: _field_column(sheet, f, lang, key=f"{key}_cm_{i}_{f.name}")
                   for f in sheet.fields if f not in shown}
    name = st.text_input(t("up.colmap.profile_name", lang), value=sheet.profile_name, max_chars=100,
                         key=f"{key}_cm_{i}_name", width=420)
    problems = uploads.mapping_problems(sheet, chosen)
    for problem in problems:
        st.warning(md_escape(problem.message(lang)))
    if st.button(t("up.colmap.save", lang), key=f"{key}_cm_save", icon=":material/save:", disabled=bool(problems)):
        try:
            uploads.save_column_profile(get_store(), current_actor(), sheet, name, chosen)
        except SmartCityError as e:
            st.error(md_escape(e.message(lang)))
            return
        _refresh_preview()
        st.toast(md_escape(t("up.colmap.saved", lang, name=name.strip())))
        st.rerun()


def _field_column(sheet: uploads.SheetMapping, choice: uploads.FieldChoice, lang: str, key: str) -> str | None:
    """One field's column ("" = none), the suggestion pre-selected, and the chosen column's values."""
    options = ["", *sheet.samples]
    label = t("up.colmap.required", lang, label=choice.label(lang)) if choice.required else choice.label(lang)
    index = options.index(choice.suggested) if choice.suggested in options else 0
    with st.container(horizontal=True, vertical_alignment="bottom"):
        header = st.selectbox(label, options, index=index, key=key, width=320,
                              format_func=lambda h: h or t("up.colmap.none", lang))
        if header:
            values = sheet.samples[header]
            st.caption(md_escape(t("up.colmap.samples", lang, values=", ".join(values))) if values else
                       t("up.colmap.empty_column", lang))
    return header or None


# Programmes asked about at once: the rest are asked for once these are saved (one selectbox each).
MAX_WAITING_SHOWN = 25


def waiting_for_pillar(waiting: list[uploads.WaitingProgram], lang: str, key: str) -> None:
    """Admins choose the pillar of each programme code whose rows wait for one, save, and the
    preview runs again; others are told an admin must."""
    actor = current_actor()
    rows = sum(len(w.rows) for w in waiting)
    st.markdown(f"**{t('up.assign.title', lang)}**")
    if not uploads.may_assign_pillars(actor):
        codes = ", ".join(w.code_prefix for w in waiting[:MAX_WAITING_SHOWN])
        st.warning(md_escape(t("up.assign.admin_only", lang, n=format_count(rows),
                               codes=codes + (", …" if len(waiting) > MAX_WAITING_SHOWN else ""))))
        return
    st.caption(t("up.assign.intro", lang, n=format_count(rows)))
    pillars = [p.value for p in Pillar]
    choices = {}
    for w in waiting[:MAX_WAITING_SHOWN]:
        code = w.code_prefix if len(w.prefixes) < 2 else t(
            "up.assign.codes", lang, first=w.prefixes[0], last=w.prefixes[-1], n=format_count(len(w.prefixes)))
        label = t("up.assign.program", lang, code=code, program=w.program or "-", n=format_count(len(w.rows)))
        # Keyed by the programme, not its place: once some are saved the rest move up, and a place's
        # key would hand the next programme the pillar chosen for the one saved.
        chosen = st.selectbox(md_escape(label), pillars, index=None, key=f"{key}_pillar_{w.code_prefix}|{w.program}",
                              format_func=lambda v: t(f"pillar.{v}", lang), width=520,
                              placeholder=t("up.assign.placeholder", lang))
        choices.update(dict.fromkeys(w.prefixes, chosen))
    if len(waiting) > MAX_WAITING_SHOWN:
        st.caption(t("up.assign.more", lang, n=format_count(len(waiting) - MAX_WAITING_SHOWN)))
    if st.button(t("up.assign.save", lang), key=f"{key}_pillar_save", icon=":material/save:",
                 disabled=not any(choices.values())):
        try:
            saved = uploads.assign_program_pillars(get_store(), actor, choices)
        except SmartCityError as e:
            st.error(md_escape(e.message(lang)))
            return
        _refresh_preview()
        st.toast(t("up.assign.saved", lang, n=format_count(saved)))
        st.rerun()


# -- results and downloads ------------------------------------------------------------------------

def rejected_download(upload_id: int, lang: str, key: str) -> None:
    """The rejected rows of an upload as Excel: the columns as sent, plus sheet, row and reason."""
    st.download_button(t("up.download_rejected", lang), key=key, mime=XLSX_MIME, icon=":material/download:",
                       data=lambda: templates.rejected_rows_workbook(get_store(), upload_id, lang),
                       file_name=f"baris-ditolak-{upload_id}.xlsx", type="tertiary", on_click="ignore")


def upload_result(report: uploads.UploadReport, lang: str) -> None:
    """One loaded file's result, with its rejected rows to download when there are any."""
    upload_report(report, lang)
    if report.upload_id is not None and report.rows_rejected and report.status in ("loaded", "rejected"):
        rejected_download(report.upload_id, lang, key=f"up_rejected_{report.upload_id}")


def template_downloads(lang: str, as_of: date) -> None:
    """'Unduh templat': the blank template, and one pre-filled with an agency's actions on `as_of`."""
    actor = current_actor()
    with st.expander(t("up.templates", lang), icon=":material/download:"):
        st.download_button(t("up.template_blank", lang), key="up_tpl_blank", mime=XLSX_MIME,
                           data=lambda: templates.blank_template(get_store(), lang),
                           file_name="templat-rencana-aksi.xlsx", icon=":material/download:", on_click="ignore")
        agencies = uploads.template_agencies(get_store(), actor)
        if agencies.empty:
            st.caption(t("up.template_none", lang))
            return
        names = dict(zip(agencies["code"], agencies["short_name"]))
        with st.container(horizontal=True, vertical_alignment="bottom"):
            code = st.selectbox(t("up.template_agency", lang), list(names), format_func=names.get,
                                key="up_tpl_agency", width=320)
            st.download_button(t("up.template_prefilled", lang), key="up_tpl_prefilled", mime=XLSX_MIME,
                               data=lambda: templates.prefilled_template(get_store(), code, as_of, lang),
                               file_name=f"templat-{code.lower()}-{as_of:%Y-%m-%d}.xlsx",
                               icon=":material/download:", on_click="ignore")
