"""Tinjauan Mingguan: the weekly review meeting on one page, in the order the meeting goes.

Who has not reported (with the reminder to send), last review's decisions and their follow-up,
what changed per agency since the last review (worst news first), red actions without reasons,
corrections, this review's decisions, and the history over every snapshot date.
"""
import streamlit as st

from smartcity.views_review import weekly_review
from ui import review
from ui.common import PageContext, load, run_page


def render(page: PageContext) -> None:
    since, weeks = review.chosen()
    data = load(weekly_review, page.filters, since, weeks, page.lang)
    review.controls(data, page.lang)
    review.not_reported(data, page.lang)
    review.last_decisions(data, page.lang)
    review.counts(data, page.lang)
    review.changes(data, page.lang)
    review.reasons(data, page.lang)
    review.corrections(data, page.lang)
    review.decisions(data, page.lang)
    st.divider()
    review.history_section(page)


run_page("page.review", render)
