"""Publik: the read-only progress page for citizens and partners (the kolaborasi pillar), without login.

Shows only what smartcity.public returns (whitelisted columns): progress per pillar and per agency,
the KPIs marked public, and the completed activities, a page of 50 per pillar with their total
(smartcity.public.completed_actions: a plan of 100,000 actions has tens of thousands). No person
is named and no note is shown, except the notes of a completed action an admin marked public
(smartcity.publication); nothing here uploads, edits or links to the internal pages. The one
download is the agency table, exactly as shown.
"""
import streamlit as st

from smartcity import public
from smartcity.formatting import format_count, format_percent, format_rupiah, format_value, is_missing
from ui.common import PageContext, load, md_escape, run_page
from ui.widgets import Col, figure_tile, pillar_heading, predikat_badge, table

AGENCY_COLUMNS = [Col("agency_short", label="col.agency"), Col("actions", "count"), Col("achievement", "progress"),
                  Col("absorption", "percent"), Col("done", "count", "col.done")]


def pillar_card(summary, page: PageContext) -> None:
    with st.container(border=True, height="stretch"):
        pillar_heading(summary.key, page.lang)
        st.metric(page.t("m.achievement"), format_percent(summary.achievement), help=page.t("m.achievement_help"))
        st.metric(page.t("m.absorption"), format_percent(summary.absorption),
                  help=page.t("m.budget_line", spent=format_rupiah(summary.budget_spent),
                              budget=format_rupiah(summary.budget)))
        predikat_badge(summary.predikat, page.lang)
        st.caption(page.t("pub.n_actions", n=format_count(summary.actions),
                          done=format_count(summary.status_counts.get("done", 0))))


def completed_item(row, page: PageContext) -> str:
    """One completed activity as a Markdown item: activity in bold, agency, public notes (all as text)."""
    item = f"- **{md_escape(row.activity)}** · {md_escape(row.agency_short)}"
    if not is_missing(row.public_note):
        note = " ".join(str(row.public_note).split())          # one line: a line break would end the item
        item += "  \n  " + md_escape(page.t("pubmark.note", note=note))
    return item


def completed_list(view: public.PublicView, page: PageContext) -> None:
    """The completed activities, one tab per pillar, a page at a time, with the notes an admin marked public."""
    keys = {p.key: f"pub_done_page_{p.key}" for p in view.pillars}
    done = load(public.completed_actions, view.as_of, {p: st.session_state.get(k, 1) for p, k in keys.items()})
    tabs = st.tabs([f"{page.t(f'pillar.{p.key}')} ({format_count(p.status_counts.get('done', 0))})"
                    for p in view.pillars])
    for tab, pillar in zip(tabs, view.pillars):
        with tab:
            shown = done[pillar.key]
            if shown.rows.empty:
                st.caption(page.t("pub.completed_none"))
                continue
            st.markdown("\n".join(completed_item(r, page) for r in shown.rows.itertuples(index=False)))
            with st.container(horizontal=True, vertical_alignment="center"):
                st.caption(page.t("pub.completed_shown", first=format_count(shown.first), last=format_count(shown.last),
                                  total=format_count(shown.total)), width="content")
                if shown.pages > 1:
                    st.pagination(shown.pages, key=keys[pillar.key])


def render(page: PageContext) -> None:
    view = load(public.public_view, page.lang)
    if view is None:
        st.info(page.t("pub.empty"), icon=":material/info:")
        return
    st.write(page.t("pub.intro"))

    st.subheader(page.t("pub.pillars"))
    for column, summary in zip(st.columns(len(view.pillars)), view.pillars):
        with column:
            pillar_card(summary, page)

    st.subheader(page.t("pub.kpis"))
    with st.container(horizontal=True, wrap=True, gap="small"):
        for kpi in view.kpis.itertuples(index=False):
            figure_tile(kpi.name, format_value(kpi.value, kpi.unit), kpi.status, page.lang, help=kpi.description,
                        target=None if is_missing(kpi.target) else page.t("br.target",
                                                                         value=format_value(kpi.target, kpi.unit)))

    st.subheader(page.t("pub.agencies"))
    table(view.agencies, AGENCY_COLUMNS, page.lang, key="pub_agencies", excel=f"publik-opd-{view.as_of}")

    st.subheader(page.t("pub.completed", n=format_count(view.total.status_counts.get("done", 0))))
    completed_list(view, page)
    st.caption(page.t("pub.note"))


run_page("page.public", render, public=True)
