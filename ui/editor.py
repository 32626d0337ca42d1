"""The progress editor of Perbarui Progres: a data editor whose typed values survive reruns and page switches.

What is typed is copied, as it is typed, into a draft in session state ({action_id: {"base":
progress_id shown when typing began, "values": {field: value}}}); the table is drawn from the
data with the draft on top, so leaving the page and coming back keeps every value. Save hands the
table as edited to smartcity.updates.save_table; saved actions leave the draft, conflicting and
invalid ones stay in it (with their values) so nothing typed is lost. The editor reads one page of
PAGE_ROWS actions (smartcity.updates.update_page), and the actions typed on other pages by id.
"""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from smartcity import updates, views
from smartcity.auth import Actor
from smartcity.domain import FIELDS_BY_NAME
from smartcity.formatting import format_count, format_number
from smartcity.i18n import t
from smartcity.progress import EDITABLE, MAX_TEXT, EditOutcome, ProgressEdit
from smartcity.updates import COLUMNS, READ_ONLY, UpdatePage

DRAFT = "upd_draft"
SHOWN = "upd_shown"            # [(action_id, progress_id)] in the order of the table last drawn
GENERATION = "upd_generation"  # part of the editor's key: a new editor (no edits) after save or discard
RESULTS = "upd_results"        # (outcomes, {action_id: label}) of the last save


def editor_key(table: pd.DataFrame) -> str:
    """The editor's key: new after each save or discard, and for each set of rows.

    Streamlit keeps a keyed editor's edits by row position while the table keeps its shape; a
    different set of actions with the same number of rows (another filter, an upload meanwhile)
    must not inherit them, so the key names the actions shown.
    """
    return f"upd_editor_{st.session_state.get(GENERATION, 0)}_{_rows_tag(table)}"


def _rows_tag(table: pd.DataFrame) -> str:
    """A short name of the set of actions in `table`."""
    return hashlib.sha1(",".join(map(str, table.index.astype(int))).encode()).hexdigest()[:8]


def evidence_key() -> str:
    return f"upd_evidence_{st.session_state.get(GENERATION, 0)}"


def draft() -> dict:
    return st.session_state.setdefault(DRAFT, {})


def _capture(key: str) -> None:
    """on_change of the editor: copy its edited cells into the draft (by action, with the base shown)."""
    st.session_state.pop(RESULTS, None)          # typing again: the last save's results are old news
    edited_rows = (st.session_state.get(key) or {}).get("edited_rows") or {}
    shown = st.session_state.get(SHOWN, [])
    for position, changes in edited_rows.items():
        position = int(position)
        if position < len(shown):
            action_id, progress_id = shown[position]
            entry = draft().setdefault(action_id, {"base": progress_id, "values": {}})
            entry["values"].update(changes)


def discard() -> None:
    """Forget every typed value and start a new editor."""
    st.session_state[DRAFT] = {}
    st.session_state.pop(RESULTS, None)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def with_draft(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the draft's values on top (only for actions it lists)."""
    shown = table.copy()
    for action_id, entry in draft().items():
        if action_id in shown.index:
            for name, value in entry["values"].items():
                if name in EDITABLE:
                    shown.loc[action_id, name] = value
    return shown


def draft_bases(table: pd.DataFrame) -> dict[int, int]:
    """The base snapshot of each drafted action: the one shown when typing began (else the one shown now)."""
    return {action_id: entry["base"] for action_id, entry in draft().items()
            if entry.get("base") is not None and action_id in table.index}


def _label(name: str, lang: str) -> str:
    if name in FIELDS_BY_NAME:
        f = FIELDS_BY_NAME[name]
        return f.label_en if lang == "en" else f.label_id
    return t(f"col.{name}", lang)


# Number formats of the editor, written in the browser (Streamlit's printf, sprintf-js): "%'.,d" groups
# thousands with a dot whatever the browser's locale ("localized" would follow it: 1,870,569,300 in an
# en-US browser). It writes whole numbers only and has no decimal comma, so a column holding a fraction
# ("72,1") is written ungrouped with up to 10 digits ("72.1"; "%.10g" also hides float noise such as
# 116.99999999999999) rather than cut to "72". Rupiah are whole.
GROUPED = "%'.,d"
FRACTIONS = "%.10g"


def number_format(values: pd.Series) -> str:
    """The format of a column of numbers: grouped with dots when every value is whole, else FRACTIONS."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return GROUPED if (numbers == numbers.round()).all() else FRACTIONS


def _column_config(lang: str, shown: pd.DataFrame | None = None) -> dict:
    """The editor's columns; `shown` (the rows drawn) chooses the format of target and actual (number_format)."""
    status = lambda s: t(f"status.{s}", lang)  # noqa: E731
    quantity = {c: GROUPED if shown is None else number_format(shown[c]) for c in ("target", "actual")}
    return {
        "action_code": st.column_config.TextColumn(t("col.action_code", lang), width="small", pinned=True),
        "agency_short": st.column_config.TextColumn(t("col.agency", lang), width="small"),
        "activity": st.column_config.TextColumn(t("col.activity", lang), width="medium"),
        "target": st.column_config.NumberColumn(t("col.target", lang), format=quantity["target"], width="small"),
        "unit": st.column_config.TextColumn(t("col.unit", lang), width="small"),
        "budget": st.column_config.NumberColumn(t("upd.col.budget", lang), format=GROUPED),
        "status": st.column_config.SelectboxColumn(t("upd.col.status_computed", lang), options=list(views.STATUSES),
                                                   format_func=status),
        "actual": st.column_config.NumberColumn(_label("actual", lang), format=quantity["actual"], min_value=0,
                                                help=t("upd.help.actual", lang)),
        "budget_spent": st.column_config.NumberColumn(_label("budget_spent", lang), format=GROUPED, min_value=0,
                                                      help=t("upd.help.budget_spent", lang)),
        "reported_status": st.column_config.SelectboxColumn(t("upd.col.status", lang), options=list(views.STATUSES),
                                                            format_func=status, help=t("upd.help.status", lang)),
        "notes": st.column_config.TextColumn(_label("notes", lang), max_chars=MAX_TEXT, width="medium"),
        "obstacle": st.column_config.TextColumn(_label("obstacle", lang), max_chars=MAX_TEXT, width="medium"),
        "follow_up": st.column_config.TextColumn(_label("follow_up", lang), max_chars=MAX_TEXT, width="medium"),
    }


# The order on screen: what is typed right after what identifies the action, each value beside its target.
ORDER = ("action_code", "activity", "actual", "target", "unit", "budget_spent", "budget", "reported_status", "status",
         "notes", "obstacle", "follow_up", "agency_short")


# Rows in the editor at once: an admin's table may hold 100,000 actions, which would take seconds to
# read, draw and send (issue 7). Values typed on one page wait in the draft while another shows.
PAGE_ROWS = 200


def load_table(actor: Actor, as_of, pillar: str | None, agency: str | None) -> tuple[UpdatePage, pd.DataFrame]:
    """The page of actions the editor shows, and the table edits are checked against: that page and
    the actions in scope typed on other pages (their rows read by id, so a save still holds them)."""
    from ui.common import load

    pager = _pager_key(pillar, agency)
    data = load(updates.update_page, actor, as_of, pillar, agency, page=st.session_state.get(pager, 1),
                page_size=PAGE_ROWS)
    elsewhere = tuple(sorted(a for a in draft() if a not in data.rows.index))
    if not elsewhere:
        return data, data.rows
    others = load(updates.update_table, actor, as_of, pillar, agency, action_ids=elsewhere)
    return data, pd.concat([data.rows, others])


def _pager_key(pillar: str | None, agency: str | None) -> str:
    """The page picker's key: another set of actions (another filter) starts again at page 1."""
    return f"upd_page_{pillar or ''}_{agency or ''}"


def progress_editor(data: UpdatePage, table: pd.DataFrame, lang: str, *, read_only: bool,
                    pillar: str | None = None, agency: str | None = None) -> pd.DataFrame:
    """The editor over page `data` of the actions with the draft on top; returns `table` (load_table) as edited:
    this page's rows as typed, the other pages' drafted rows with the draft's values.

    The agency column shows only when the actions in scope (`pillar`, `agency`) belong to more than one agency.
    """
    part = data.rows
    st.session_state[SHOWN] = [(int(a), int(p)) for a, p in zip(part.index, part["progress_id"])]
    key = editor_key(part)      # edits are kept by row position: each page is an editor of its own
    order = [c for c in ORDER if c != "agency_short" or data.several_agencies]
    height = 38 + 35 * min(max(len(part), 1), 15)
    shown = with_draft(part)[list(COLUMNS)]
    edited = st.data_editor(
        shown, key=key, on_change=_capture, args=(key,), num_rows="fixed", hide_index=True,
        disabled=True if read_only else list(READ_ONLY), column_config=_column_config(lang, shown), column_order=order,
        width="stretch", height=height, placeholder="–")
    if data.pages > 1:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.caption(t("ac.count", lang, total=format_count(data.total), page=format_count(data.page),
                         pages=format_count(data.pages)), width="content")
            st.pagination(data.pages, key=_pager_key(pillar, agency))
    others = table[~table.index.isin(part.index)]
    return edited if others.empty else pd.concat([edited, with_draft(others)[list(COLUMNS)]])


# Actions offered for a typed search.
FOUND = 50


def evidence_picker(actor: Actor, as_of, filters: views.Filters, data: UpdatePage, labels: dict[int, str],
                    lang: str) -> int | None:
    """The action a file goes with: one of this page of the table, or one found by typing part of its code or
    activity (up to FOUND of the actions the user may update, asked of DuckDB). Adds the found ones to `labels`."""
    from ui.common import load

    search = st.text_input(t("upd.evidence_search", lang), key="upd_evidence_search", icon=":material/search:",
                           help=t("upd.evidence_search_help", lang))
    if search.strip():
        found = load(updates.find_actions, actor, as_of, search, filters.pillar, filters.agency, limit=FOUND)
        choices = dict(zip(found["action_id"].astype(int), found["label"]))
        if not choices:
            st.caption(_md(t("upd.evidence_no_match", lang, text=search.strip())))
        elif len(choices) == FOUND:
            st.caption(t("upd.evidence_more", lang, n=format_count(FOUND)))
    else:
        choices = {int(a): labels[a] for a in data.rows.index}
    labels.update(choices)
    return st.selectbox(t("upd.evidence_action", lang), list(choices), key="upd_evidence_action",
                        format_func=choices.get, disabled=not choices)


# -- results of a save --------------------------------------------------------------------------

def after_save(outcomes: list[EditOutcome], labels: dict[int, str], edits: list[ProgressEdit]) -> None:
    """Keep the results to show; saved actions leave the draft, refused ones stay in it with what was typed.

    After a conflict the draft's base is dropped: the editor has seen both values, so saving again
    (over the other value) is their decision.
    """
    typed = {e.action_id: e for e in edits}
    for o in outcomes:
        if o.status in ("saved", "unchanged"):
            draft().pop(o.action_id, None)
        elif o.action_id in typed:
            entry = draft().setdefault(o.action_id, {"base": typed[o.action_id].base_progress_id, "values": {}})
            entry["values"].update(typed[o.action_id].values)
            if o.status == "conflict":
                entry["base"] = None
    st.session_state[RESULTS] = (outcomes, labels)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _shown_value(name: str, value, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if name == "reported_status":
        return t(f"status.{value}", lang) if value in views.STATUSES else str(value)
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def save_results(lang: str) -> None:
    """What the last save did, per action: saved, unchanged, conflict (theirs beside mine), invalid (per cell)."""
    if RESULTS not in st.session_state:
        return
    outcomes, labels = st.session_state[RESULTS]
    saved = [labels.get(o.action_id, str(o.action_id)) for o in outcomes if o.status == "saved"]
    if saved:
        st.success(t("upd.saved", lang, n=format_count(len(saved))) + "\n\n" + "\n".join(f"- {_md(s)}" for s in saved),
                   icon=":material/check_circle:")
    if any(o.status == "unchanged" for o in outcomes) and not saved:
        st.info(t("upd.unchanged", lang), icon=":material/info:")
    for o in outcomes:
        if o.status in ("conflict", "invalid"):
            outcome_box(o, labels.get(o.action_id, str(o.action_id)), lang)


def outcome_box(o: EditOutcome, label: str, lang: str, *, mine_key: str = "upd.mine") -> None:
    """A refused change: a conflict with both values side by side (who saved theirs, and when), or each bad cell."""
    label = _md(label)
    if o.status == "conflict":
        with st.container(border=True):
            st.warning(f"**{label}**: {_md(o.problems[0].message(lang))}", icon=":material/sync_problem:")
            fields = list(o.mine or {})
            rows = pd.DataFrame({
                "field": [_label(f, lang) for f in fields],
                "theirs": [_shown_value(f, (o.theirs or {}).get(f), lang) for f in fields],
                "mine": [_shown_value(f, o.mine.get(f), lang) for f in fields],
            })
            who = o.problems[0].params
            st.dataframe(rows, hide_index=True, width="stretch", column_config={
                "field": st.column_config.TextColumn(t("ac.field", lang)),
                "theirs": st.column_config.TextColumn(t("upd.theirs", lang, who=who.get("who"), when=who.get("when"))),
                "mine": st.column_config.TextColumn(t(mine_key, lang)),
            })
    elif o.status == "invalid":
        lines = [f"- {_md(_label(p.column, lang) + ': ' if p.column else '')}{_md(p.message(lang))}"
                 for p in o.problems]
        st.error(f"**{label}**: {t('upd.invalid', lang)}\n\n" + "\n".join(lines), icon=":material/error:")


def _md(text: str) -> str:
    from ui.common import md_escape

    return md_escape(text)
