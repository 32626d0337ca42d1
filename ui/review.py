"""The sections of the Tinjauan Mingguan page: the comparison controls, who has not reported (with
the reminder to copy), the counts of changes, last review's decisions and their follow-up, this
review's decisions, the changes per agency, red actions without reasons, corrections and the
history charts. Each list has an Excel download (ui.widgets.table(excel=...) / excel_download:
rupiah and dates formatted, text a spreadsheet would run as a formula neutralised).

The review read model holds counts and the first rows of each long list; a download asks for
every row when it is pressed. The long sections (each agency's changes, red actions without
reasons) are drawn once per data version and replayed on reruns (_agency_table, _missing_first), and
the history's charts are built once per data version (_history_chart): a rerun only reads widgets and
replays. Of the agencies' changes, the first OPEN_FIRST agencies with bad news are open; the others
are drawn when opened.

Drafts of a decision or follow-up are widget values kept for the whole session
(persist_state="session"): typing survives reruns and switching pages. Saving runs in the
button's callback, which clears the draft on success and leaves a message for the next run.
"""
from __future__ import annotations

import copy
import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import qualitative
from plotly.subplots import make_subplots

import ui.common as common
from smartcity import decisions as decision_book
from smartcity import views, views_review
from smartcity.auth import Actor
from smartcity.changes import KINDS
from smartcity.decisions import MAX_TEXT
from smartcity.errors import SmartCityError
from smartcity.formatting import format_count, format_date, format_number, format_rupiah, is_missing
from smartcity.history import History, breakdown, history_grid
from smartcity.i18n import t
from smartcity.views_review import DEFAULT_STALLED_WEEKS, WeeklyReview
from ui.widgets import PILLAR_HEX, STATUS_HEX, Col, _label, _layout, excel_download, kpi_card, show, table

# Session-state keys. SINCE_KEY is a plain key (see common.bound); the others are widget keys
# whose values persist for the session.
SINCE_KEY = "review_since"
WEEKS_KEY = "rv_weeks"
BY_KEY = "rv_history_by"
DECISION = {"agency": "rv_dec_agency", "action": "rv_dec_action", "text": "rv_dec_text", "due": "rv_dec_due"}
FOLLOW_UP = {"decision": "rv_fu_pick", "done": "rv_fu_done", "note": "rv_fu_note"}
FLASH = {"decision": "rv_flash_decision", "follow_up": "rv_flash_follow_up"}
WHOLE_AGENCY = 0          # the action choice of a decision about the agency as a whole (action ids start at 1)

LINE_HEX = "#1f5fa8"


def chosen() -> tuple[date | None, int]:
    """The comparison date (None: the previous snapshot) and the stalled weeks, as last chosen."""
    return st.session_state.get(SINCE_KEY), int(st.session_state.get(WEEKS_KEY) or DEFAULT_STALLED_WEEKS)


def _actor() -> Actor | None:
    try:
        return common.current_actor()
    except SmartCityError:
        return None


# -- controls and the comparison ----------------------------------------------------------------

def controls(data: WeeklyReview, lang: str) -> None:
    """The date compared with and the weeks an action must stand still to count as stalled."""
    with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
        if data.since_choices:
            previous = t("rv.since_previous", lang, date=format_date(data.since_choices[0], lang))
            common.bound(st.selectbox, t("rv.since", lang), [None, *data.since_choices], SINCE_KEY,
                         widget_key="rv_since", width=300,
                         format_func=lambda d: previous if d is None else format_date(d, lang))
        st.number_input(t("rv.weeks", lang), min_value=1, max_value=12, value=DEFAULT_STALLED_WEEKS, step=1,
                        key=WEEKS_KEY, persist_state="session", help=t("rv.weeks_help", lang), width=220)
    if data.since is None:
        st.info(t("rv.no_previous", lang, date=format_date(data.as_of, lang)), icon=":material/info:")
    else:
        st.caption(t("rv.compared", lang, as_of=format_date(data.as_of, lang), since=format_date(data.since, lang),
                     base=format_date(data.stalled_base, lang)))


# -- who has not reported -----------------------------------------------------------------------

def not_reported(data: WeeklyReview, lang: str) -> None:
    """Silent agencies with the days since their last report, the reminder to copy, and the KPI."""
    st.subheader(t("rv.not_reported", lang))
    left, right = st.columns([1, 2], gap="medium")
    with left:
        st.metric(t("rv.not_reported_metric", lang), f"{len(data.not_reported)} / {data.agencies_in_scope}",
                  help=t("m.not_reported_help", lang, days=data.cycle_days), border=True)
        if data.reported_kpi is not None:
            kpi_card(data.reported_kpi, lang)
    with right:
        if data.not_reported.empty:
            st.success(t("ov.all_reported", lang), icon=":material/check_circle:")
            return
        # The owners (PJ) are named in the reminder below.
        table(data.not_reported, [Col("agency_name", label="col.agency"), Col("last_report", "date"),
                                  Col("days_since", "count")], lang, key="rv_not_reported",
              excel=f"tinjauan-belum-melapor-{data.as_of}")
        st.markdown(f"**{t('rv.reminder', lang)}**")
        st.code(data.reminder, language=None, wrap_lines=True)


# -- counts -------------------------------------------------------------------------------------

def counts(data: WeeklyReview, lang: str) -> None:
    """One card per kind of change, worst first, then red actions without reasons and corrections."""
    st.subheader(t("rv.counts", lang))
    cards = [(t(f"rv.kind.{k}", lang), data.counts.get(k, 0), None) for k in KINDS]
    cards += [(t("rv.missing_metric", lang), data.missing_total, t("rv.missing_help", lang)),
              (t("rv.corrections_metric", lang), data.corrections_total, t("rv.corrections_help", lang))]
    for start in range(0, len(cards), 5):
        for column, (label, n, help_text) in zip(st.columns(5), cards[start:start + 5]):
            column.metric(label, str(n), help=help_text, border=True)


# -- decisions ----------------------------------------------------------------------------------

# This review's decisions: what, for whom, by when, and who recorded it when (automatic).
_DECISION_COLS = [Col("agency_short", label="col.agency"), Col("action_code", label="rv.col.action"),
                  Col("text", label="rv.col.decision", width="large"), Col("due_date", "date"),
                  Col("decided_by", label="rv.col.decided_by"), Col("decided_at", "datetime", "col.recorded_at")]
# Last review's decisions at the next review: what, and whether it was done (note, by whom).
_FOLLOWED_COLS = [Col("agency_short", label="col.agency"), Col("action_code", label="rv.col.action"),
                  Col("text", label="rv.col.decision", width="medium"), Col("due_date", "date"),
                  Col("done_text", label="rv.col.done"), Col("follow_up_note", label="rv.col.follow_up_note",
                                                            width="medium"),
                  Col("followed_up_by", label="rv.col.followed_up_by")]


def _flash(which: str) -> None:
    shown = st.session_state.pop(FLASH[which], None)
    if shown:
        kind, text = shown
        (st.success if kind == "success" else st.error)(text, icon=":material/check_circle:" if kind == "success"
                                                        else ":material/error:")


def last_decisions(data: WeeklyReview, lang: str) -> None:
    """The previous review's decisions, whether each was followed up, and the follow-up form."""
    if data.last_review is None:
        st.subheader(t("rv.decisions_previous", lang))
        st.caption(t("rv.decisions_last_none", lang))
        return
    st.subheader(t("rv.decisions_last", lang, date=format_date(data.last_review, lang)))
    rows = data.last_decisions.assign(done_text=data.last_decisions["done"].map(
        lambda d: t(f"rv.done.{str(bool(d)).lower()}", lang)))
    table(rows, _FOLLOWED_COLS, lang, key="rv_last_decisions", lines=2,
          excel=f"tinjauan-keputusan-{data.last_review}")
    follow_up_form(data.last_decisions, _actor(), lang)


def decisions(data: WeeklyReview, lang: str) -> None:
    """This review's decisions and the form to record one."""
    st.subheader(t("rv.decisions_now", lang, date=format_date(data.as_of, lang)))
    if data.decisions.empty:
        st.caption(t("rv.decisions_now_none", lang))
    else:
        table(data.decisions, _DECISION_COLS, lang, key="rv_decisions", lines=2,
              excel=f"tinjauan-keputusan-{data.as_of}")
    decision_form(data, _actor(), lang)


def follow_up_form(rows: pd.DataFrame, actor: Actor | None, lang: str) -> None:
    """Mark one of `rows` (decisions) carried out or not, with a note: for its agency's editors and admins."""
    mine = rows[[actor is not None and actor.can_write_agency(a) for a in rows["agency_code"]]]
    _flash("follow_up")
    if mine.empty:
        st.caption(t("rv.follow_up_nobody", lang))
        return
    labels = {int(r.id): f"#{r.id} · {r.agency_short} · {_short(r.text)}" for r in mine.itertuples()}
    if st.session_state.get(FOLLOW_UP["decision"]) not in labels:
        st.session_state[FOLLOW_UP["decision"]] = next(iter(labels))
    with st.container(border=True):
        st.markdown(f"**{t('rv.follow_up', lang)}**")
        st.selectbox(t("rv.follow_up_pick", lang), list(labels), format_func=labels.get, key=FOLLOW_UP["decision"],
                     persist_state="session")
        st.toggle(t("rv.follow_up_done", lang), key=FOLLOW_UP["done"], persist_state="session")
        st.text_area(t("rv.follow_up_note", lang), key=FOLLOW_UP["note"], persist_state="session", max_chars=MAX_TEXT,
                     height=80)
        st.button(t("rv.follow_up_save", lang), on_click=_save_follow_up, args=(lang,), key="rv_fu_save",
                  type="primary", icon=":material/task_alt:")


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _save_follow_up(lang: str) -> None:
    state = st.session_state
    decision_id = int(state[FOLLOW_UP["decision"]])
    try:
        decision_book.follow_up(common.get_store(), common.current_actor(), decision_id,
                                bool(state.get(FOLLOW_UP["done"])), state.get(FOLLOW_UP["note"]))
    except SmartCityError as e:
        state[FLASH["follow_up"]] = ("error", e.message(lang))
        return
    state[FLASH["follow_up"]] = ("success", t("rv.follow_up_saved", lang, id=decision_id))
    state[FOLLOW_UP["note"]] = ""
    state[FOLLOW_UP["done"]] = False


def decision_form(data: WeeklyReview, actor: Actor | None, lang: str) -> None:
    """Record a decision of this review for an agency or one of its actions (admins only)."""
    _flash("decision")
    if actor is None or actor.role != "admin":
        st.caption(t("rv.decision_admins", lang))
        return
    agencies = common.load(views.agency_choices)
    names = dict(zip(agencies["code"], agencies["short_name"]))
    if st.session_state.get(DECISION["agency"]) not in names:
        st.session_state[DECISION["agency"]] = None
    with st.container(border=True):
        st.markdown(f"**{t('rv.decision_add', lang)}**")
        left, right = st.columns(2)
        agency = left.selectbox(t("rv.decision_agency", lang), list(names), index=None, format_func=names.get,
                                placeholder=t("rv.decision_agency_pick", lang), key=DECISION["agency"],
                                persist_state="session")
        mine = common.load(views_review.decision_actions, data.filters, agency) if agency else None
        labels = {WHOLE_AGENCY: t("rv.decision_action_none", lang)}
        if mine is not None:
            labels.update({int(r.action_id): f"{r.action_code} · {r.activity}" for r in mine.itertuples()})
        if st.session_state.get(DECISION["action"]) not in labels:
            st.session_state[DECISION["action"]] = WHOLE_AGENCY
        right.selectbox(t("rv.decision_action", lang), list(labels), key=DECISION["action"], persist_state="session",
                        format_func=labels.get)
        st.text_area(t("rv.decision_text", lang), key=DECISION["text"], persist_state="session", max_chars=MAX_TEXT,
                     height=100)
        st.date_input(t("rv.decision_due", lang), value=None, key=DECISION["due"], persist_state="session",
                      format="DD/MM/YYYY", width=220)
        st.button(t("rv.decision_save", lang), on_click=_save_decision, args=(data.as_of, lang), key="rv_dec_save",
                  type="primary", icon=":material/save:")


def _save_decision(review_date: date, lang: str) -> None:
    state = st.session_state
    agency = state.get(DECISION["agency"])
    if not agency:
        state[FLASH["decision"]] = ("error", t("rv.decision_no_agency", lang))
        return
    try:
        new_id = decision_book.add_decision(
            common.get_store(), common.current_actor(), review_date, agency, state.get(DECISION["text"]) or "",
            due_date=state.get(DECISION["due"]), action_id=state.get(DECISION["action"]) or None)
    except SmartCityError as e:
        state[FLASH["decision"]] = ("error", e.message(lang))
        return
    state[FLASH["decision"]] = ("success", t("rv.decision_saved", lang, id=new_id))
    state[DECISION["text"]] = ""
    state[DECISION["due"]] = None
    state[DECISION["action"]] = WHOLE_AGENCY


# -- changes, reasons, corrections ---------------------------------------------------------------

def _from_to(before, after, fmt) -> str:
    """'40 → 60'; one value when it did not change or there was none before (a new action)."""
    if is_missing(before) or before == after:
        return fmt(after)
    return f"{fmt(before)} → {fmt(after)}"


def _money(value) -> str:
    return format_rupiah(value)


def change_rows(changes: pd.DataFrame) -> pd.DataFrame:
    """The changes with actual and budget spent written 'before → after'."""
    return changes.assign(
        actual=[_from_to(b, a, format_number) for b, a in zip(changes["actual_before"], changes["actual_after"])],
        spent=[_from_to(b, a, _money) for b, a in zip(changes["spent_before"], changes["spent_after"])])


# The kind says how the status went ("Menjadi terlambat"); the status now is beside it.
_CHANGE_COLS = [Col("kind", "change", "rv.col.kind"), Col("action_code"), Col("activity", width="medium"),
                Col("status_after", "status", "rv.col.status_after"), Col("actual", label="rv.col.actual"),
                Col("spent", label="rv.col.spent")]


# The download of every agency's changes in one sheet: the agency first, the kind named (as on screen).
_CHANGE_EXCEL_COLS = [Col("agency_short", label="col.agency"), Col("kind_name", label="rv.col.kind"),
                      *_CHANGE_COLS[1:]]


def _cut_note(shown: int, total: int, lang: str) -> None:
    """Under a list cut to its first rows: how many there are, and that the Excel holds them all."""
    if total > shown:
        st.caption(t("table.cut", lang, shown=format_count(shown), total=format_count(total))
                   + " " + t("table.cut_excel", lang))


def changes(data: WeeklyReview, lang: str) -> None:
    """Per agency (worst news first) its changes, worst first; agencies with bad news open."""
    st.subheader(t("rv.changes", lang))
    if not data.agencies:
        st.caption(t("rv.no_changes", lang))
        return
    _agency_changes(data, lang)
    store = common.get_store()

    def every() -> pd.DataFrame:   # made when the download is clicked: every change of every agency
        rows = change_rows(views_review.every_change(store, data.filters, data.since, data.as_of,
                                                     data.stalled_weeks))
        rows["kind_name"] = [t(f"rv.kind.{k}", lang) for k in rows["kind"]]
        return rows
    excel_download(every, _CHANGE_EXCEL_COLS, lang, f"tinjauan-perubahan-{data.as_of}.xlsx", key="xl_rv_changes")


# Agencies whose changes are open when the page opens: the first with bad news (worst first). The
# others open on a click, and only an open agency's table is drawn: at 100,000 actions 31 agencies'
# tables took ~1.3 s of the page's first run (issue 7), and a meeting goes through them in turn.
OPEN_FIRST = 3


def open_key(as_of: date, since: date | None, agency_code: str) -> str:
    """The session-state key of an agency's expander in the review of `as_of` against `since` (True: open)."""
    return f"rv_open_{as_of}_{since}_{agency_code}"


def _agency_changes(data: WeeklyReview, lang: str) -> None:
    key = _review_key(data)
    bad_news = [g.agency_code for g in data.agencies if g.bad_news][:OPEN_FIRST]
    for group in data.agencies:
        summary = " · ".join(f"{t(f'rv.kind.{k}', lang)} {n}" for k, n in group.counts.items())
        icon = ":material/warning:" if group.bad_news else ":material/check:"
        box = st.expander(f"**{common.md_escape(group.agency_short)}** — {common.md_escape(summary)}",
                          expanded=group.agency_code in bad_news, icon=icon,
                          key=open_key(data.as_of, data.since, group.agency_code), on_change="rerun")
        if box.open:
            with box:
                _agency_table(group, (*key, group.agency_code), lang)


@st.cache_data(show_spinner=False, max_entries=256)
def _agency_table(_group: views_review.AgencyChanges, key: tuple, lang: str) -> None:
    """One agency's worst changes (`key`: _review_key and the agency code; `_group` is not hashed),
    drawn once per data version and replayed on reruns like _missing_first."""
    # The worst CHANGES_SHOWN of the agency (it may have thousands): the download holds them all.
    table(change_rows(_group.changes), _CHANGE_COLS, lang, key=f"rv_changes_{_group.agency_code}",
          max_rows=10, lines=2)
    _cut_note(len(_group.changes), _group.total, lang)


def _missing_named(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`rows` with what is missing named: kendala, tindak lanjut or both."""
    said = {(o, f): ", ".join(t(f"rv.missing.{what}", lang)
                              for what, gone in (("obstacle", o), ("follow_up", f)) if gone)
            for o in (False, True) for f in (False, True)}
    return rows.assign(missing=[said[bool(o), bool(f)]
                                for o, f in zip(rows["missing_obstacle"], rows["missing_follow_up"])])


def _missing_cols(agency: bool) -> list[Col]:
    return [Col("agency_short", label="col.agency")] * agency + [
        Col("action_code"), Col("activity", width="medium"), Col("status", "status"),
        Col("missing", label="rv.col.missing"), Col("owner")]


def missing_reasons_table(rows: pd.DataFrame, lang: str, key: str, *, agency: bool = True,
                          excel: str | None = None) -> None:
    """Late and at-risk actions with what is missing: kendala, tindak lanjut or both (and who owns them);
    `excel` (a file name without .xlsx) adds the download of the table as shown."""
    table(_missing_named(rows, lang), _missing_cols(agency), lang, key=key, excel=excel)


def reasons(data: WeeklyReview, lang: str) -> None:
    st.subheader(t("rv.missing", lang), help=t("rv.missing_help", lang))
    if data.missing_reasons.empty:
        st.caption(t("rv.missing_none", lang))
        return
    _missing_first(data, _review_key(data), lang)
    store = common.get_store()
    excel_download(lambda: _missing_named(views_review.every_missing_reason(store, data.filters, data.as_of), lang),
                   _missing_cols(True), lang, f"tinjauan-tanpa-alasan-{data.as_of}.xlsx", key="xl_rv_missing")


@st.cache_data(show_spinner=False, max_entries=64)
def _missing_first(_data: WeeklyReview, key: tuple, lang: str) -> None:
    """The first red actions without reasons (`key`: _review_key of `_data`, which is not hashed). A
    rerun replays the elements drawn the first time (Streamlit's replay of cached elements) instead of
    styling the table again (issue 7: the review's long tables took ~1 s a rerun)."""
    table(_missing_named(_data.missing_reasons, lang), _missing_cols(True), lang, key="rv_missing")
    _cut_note(len(_data.missing_reasons), _data.missing_total, lang)


def _review_key(data: WeeklyReview) -> tuple:
    """What names a review's drawing: the database and its data version, the date, scope and comparison."""
    store = common.get_store()
    return str(store.path), store.data_version(), data.as_of, data.filters, data.since, data.stalled_weeks


_CORRECTION_COLS = [Col("agency_short", label="col.agency"), Col("action_code"), Col("activity", width="medium"),
                    Col("as_of", "date"), Col("actual", label="rv.col.actual"), Col("spent", label="rv.col.spent"),
                    Col("recorded_by", label="rv.col.corrected_by"),
                    Col("recorded_at", "datetime", "rv.col.corrected_at"),
                    Col("original_recorded_at", "datetime", "col.recorded_at")]


def corrections(data: WeeklyReview, lang: str) -> None:
    """Snapshots sent again for a date already reported: both values, who and when."""
    st.subheader(t("rv.corrections", lang), help=t("rv.corrections_help", lang))
    if data.corrections.empty:
        st.caption(t("rv.corrections_none", lang))
        return
    table(change_rows(data.corrections), _CORRECTION_COLS, lang, key="rv_corrections")
    _cut_note(len(data.corrections), data.corrections_total, lang)
    store = common.get_store()
    excel_download(lambda: change_rows(views_review.every_correction(store, data.filters, data.as_of)),
                   _CORRECTION_COLS, lang, f"tinjauan-koreksi-{data.as_of}.xlsx", key="xl_rv_corrections")


# -- history ------------------------------------------------------------------------------------

def history_section(page: common.PageContext) -> None:
    """Achievement, budget absorption and status counts on every snapshot date, overall, per pillar or per agency."""
    lang = page.lang
    st.subheader(t("rv.history", lang))
    by = st.segmented_control(t("rv.history_by", lang), ["all", "pillar", "agency"], default="pillar", required=True,
                              format_func=lambda b: t(f"rv.by.{b}", lang), key=BY_KEY, persist_state="session")
    store = common.get_store()
    name = (str(store.path), store.data_version(), page.as_of, page.filters, by)
    if _history(*name) is None:
        st.caption(t("rv.history_one_date", lang))
        return
    # Only the chosen tab's chart is made and sent (on_change="rerun": a tab runs when it is opened).
    tabs = st.tabs([t(f"rv.tab.{k}", lang) for k in HISTORY_CHARTS], key=HISTORY_TAB_KEY, on_change="rerun")
    for tab, which in zip(tabs, HISTORY_CHARTS):
        if tab.open:
            with tab:
                show(_history_chart(*name, which, lang), key=f"rv_hist_{which}")


HISTORY_CHARTS = ("achievement", "absorption", "status")
HISTORY_TAB_KEY = "rv_history_tab"


@st.cache_resource(show_spinner=False, max_entries=64)
def _history(db: str, version: int, as_of: date, filters: views.Filters, by: str) -> History | None:
    """The history in the filters' scope by `by` (None with fewer than two dates), once per data
    version. One sum per date, pillar and agency (history_grid) serves every breakdown and filter."""
    data = breakdown(common.load(history_grid, as_of), as_of, filters, by)
    return data if len(data.dates) >= 2 else None


@st.cache_resource(show_spinner=False, max_entries=128)
def _history_chart(db: str, version: int, as_of: date, filters: views.Filters, by: str, which: str,
                   lang: str) -> go.Figure:
    """One of the history's figures (`which`: one of HISTORY_CHARTS), made once per data version and
    shared read-only: building the three took ~0.3 s a rerun (issue 7)."""
    data = _history(db, version, as_of, filters, by)
    return status_history(data, lang) if which == "status" else history_lines(data, which, lang)


def _group_name(data: History, key: str, label: str, lang: str) -> str:
    if data.by == "pillar":
        return t(f"pillar.{key}", lang)
    return t("pillar.all", lang) if data.by == "all" else label


def _colours(data: History) -> dict[str, str]:
    keys = data.keys()
    if data.by == "pillar":
        return {k: PILLAR_HEX.get(k, LINE_HEX) for k in keys}
    if data.by == "all":
        return {k: LINE_HEX for k in keys}
    palette = qualitative.D3 + qualitative.Set2
    return {k: palette[i % len(palette)] for i, k in enumerate(keys)}


def _ticks(dates: list[date], lang: str) -> dict[date, str]:
    """Each date's label on the axis: '7 Okt 2024', or '7 Okt' when every date is in the same year (a narrower axis)."""
    one_year = len({x.year for x in dates}) == 1
    return {d: format_date(d, lang).rsplit(" ", 1)[0] if one_year else format_date(d, lang) for d in dates}


# The history's figures are written as plain dicts and wrapped without plotly's validation of every
# property: validating them took ~0.3 s for the three charts per pillar at a page's first run, and
# seconds per agency (30 agencies: 150 bar traces; issue 7). The layout starts from ui.widgets._layout's
# (validated once per process) and make_subplots' grid; tests/test_review_charts.py checks that plotly's
# validation of the same dicts changes nothing.

def _figure(traces: list[dict], layout: dict) -> go.Figure:
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


_BASE_LAYOUT: dict = {}


def _base_layout(height: int) -> dict:
    """ui.widgets._layout's layout (the house style) as a dict, at `height`."""
    if not _BASE_LAYOUT:
        _BASE_LAYOUT.update(_layout(go.Figure(), 100).to_plotly_json()["layout"])
    layout = copy.deepcopy(_BASE_LAYOUT)
    layout["height"] = height
    return layout


def _axes(layout: dict, prefix: str, **props) -> None:
    """Set `props` on every axis of the layout named `prefix` (xaxis, xaxis2, ...): as update_xaxes does."""
    names = [k for k in layout if k == prefix or (k.startswith(prefix) and k[len(prefix):].isdigit())] or [prefix]
    for name in names:
        layout.setdefault(name, {}).update(props)


def history_lines(data: History, column: str, lang: str) -> go.Figure:
    """One line per group of `column` (percent) over the snapshot dates."""
    colours = _colours(data)
    ticks = _ticks(data.dates, lang)
    traces = []
    for key, rows in data.rows.groupby("key", sort=False):
        name = _label(_group_name(data, key, rows["label"].iloc[0], lang))
        values = rows[column]
        traces.append(dict(
            type="scatter", x=[ticks[d] for d in rows["as_of"]], y=values.to_numpy(), name=name,
            mode="lines+markers", line=dict(color=colours[key]),
            text=[format_number(round(v, 1), 1) + "%" if not is_missing(v) else "–" for v in values],
            hovertemplate="%{x} · " + name + ": %{text}<extra></extra>"))
    layout = _base_layout(380 if data.by == "agency" else 320)
    _axes(layout, "xaxis", type="category", categoryorder="array",
          categoryarray=list(ticks.values()))
    _axes(layout, "yaxis", ticksuffix="%", rangemode="tozero")
    # The legend above the plot: below it, two rows of agencies would cover the dates.
    layout["showlegend"] = data.by != "all"
    layout["legend"].update(y=1.02, yanchor="bottom", traceorder="normal")
    return _figure(traces, layout)


def status_history(data: History, lang: str) -> go.Figure:
    """Stacked bars of the status counts per snapshot date: one chart per group, in the status colours."""
    keys = data.keys()
    columns = 1 if len(keys) == 1 else 3
    rows_n = math.ceil(len(keys) / columns)
    height = 120 + (300 if len(keys) == 1 else 200) * rows_n
    labels = dict(zip(data.rows["key"], data.rows["label"]))
    ticks = _ticks(data.dates, lang)
    grid = make_subplots(rows=rows_n, cols=columns, shared_yaxes=True, vertical_spacing=70 / height,
                         horizontal_spacing=0.04,
                         subplot_titles=[_label(_group_name(data, k, labels[k], lang)) for k in keys]
                         if data.by != "all" else None)
    traces = []
    for i, key in enumerate(keys):
        rows = data.rows[data.rows["key"] == key]
        axis = "" if i == 0 else str(i + 1)        # make_subplots numbers the cells row by row
        x = [ticks[d] for d in rows["as_of"]]
        for s in views.STATUSES:
            traces.append(dict(type="bar", x=x, y=rows[s].to_numpy(), name=t(f"status.{s}", lang),
                               marker=dict(color=STATUS_HEX[s]), legendgroup=s, showlegend=i == 0,
                               hovertemplate="%{x}: %{y}<extra>" + t(f"status.{s}", lang) + "</extra>",
                               xaxis="x" + axis, yaxis="y" + axis))
    layout = _base_layout(height)
    for name, value in grid.layout.to_plotly_json().items():
        if name != "template":
            layout[name] = value
    top = 90   # px above the plots: the legend, then the first row's titles
    layout.update(barmode="stack", margin={**layout["margin"], "t": top})
    layout["legend"].update(y=1 + (top - 30) / (height - top - 8), yanchor="bottom", traceorder="normal")
    _axes(layout, "xaxis", type="category", categoryorder="array",
          categoryarray=list(ticks.values()))
    _axes(layout, "yaxis", tickformat="d", rangemode="tozero")
    return _figure(traces, layout)
