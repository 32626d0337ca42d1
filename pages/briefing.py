"""Briefing Bupati: the one-page summary for the regent's meeting, on a projector or a tablet, with PDF/PPTX.

The three pillars against their targets, the headline KPIs and how they moved since the previous
briefing, the top risks, the agencies ranked, and what changed; read model smartcity.briefing.
"""
import streamlit as st

from smartcity import briefing
from smartcity.formatting import format_date
from ui import briefing as sections
from ui.common import PageContext, load, run_page


def render(page: PageContext) -> None:
    earlier = load(briefing.earlier_dates, page.as_of)
    with st.container(horizontal=True, vertical_alignment="bottom", wrap=True):
        # Keyed by the date shown: another as-of date has other earlier dates to compare with.
        since = st.selectbox(page.t("br.since"), earlier or [None], key=f"br_since_{page.as_of}", width=260,
                             format_func=lambda d: page.t("br.since_none") if d is None else format_date(d, page.lang))
        brief = load(briefing.briefing_data, page.as_of, since, page.filters, page.lang)
        sections.export_buttons(brief)
    sections.pillars(brief)
    sections.kpis(brief)
    sections.risks(brief)
    sections.ranking(brief)
    sections.changes(brief)


run_page("page.briefing", render)
