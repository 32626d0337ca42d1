"""The admin's switch that marks an action public (smartcity.publication), under an action's details.

Shown to admins only; editors and viewers never see it (and the write refuses them anyway).
"""
from __future__ import annotations

import streamlit as st

from smartcity import publication
from smartcity.errors import SmartCityError
from smartcity.i18n import t
from ui.common import get_store, load, md_escape
from ui.session import session_actor

FLASH_KEY = "pubmark_flash"


def _toggled(widget_key: str, action_id: int, action_code: str, was: bool, lang: str) -> None:
    """The switch moved: write it as the signed-in admin; on refusal put the switch back and say why."""
    wanted = bool(st.session_state[widget_key])
    try:
        publication.set_action_public(get_store(), session_actor(), action_id, wanted)
    except SmartCityError as e:
        st.session_state[widget_key] = was
        st.session_state[FLASH_KEY] = ("error", e.message(lang))
        return
    st.session_state[FLASH_KEY] = ("success", t("pubmark.marked" if wanted else "pubmark.unmarked", lang,
                                                 code=action_code))


def publication_toggle(action_id: int, action_code: str, lang: str, key: str) -> None:
    """For an admin: a switch showing whether the action's notes are public, which changes it."""
    actor = session_actor()
    if actor is None or actor.role != "admin":
        return
    current = load(publication.is_action_public, int(action_id))
    widget_key = f"{key}_public_{int(action_id)}"
    st.session_state[widget_key] = current          # what is stored, even if another admin changed it
    st.toggle(t("pubmark.toggle", lang), key=widget_key, help=t("pubmark.help", lang),
              on_change=_toggled, args=(widget_key, int(action_id), str(action_code), current, lang))
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        kind, message = flash
        (st.success if kind == "success" else st.error)(md_escape(message))
