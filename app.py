"""The entry point: page configuration and navigation only. Every page sets itself up (ui.common)."""
import streamlit as st

from smartcity.i18n import t
from ui.common import current_lang, navigation_pages

lang = current_lang()
# The icon before st.navigation: otherwise the page's Material icon becomes the favicon, fetched from Google.
st.set_page_config(page_title=t("app.title", lang), page_icon="🏙️", layout="wide")
page = st.navigation(navigation_pages(lang), expanded=True)  # no "View N more" (English only)
st.set_page_config(page_title=f"{page.title} · {t('app.title', lang)}")
page.run()
