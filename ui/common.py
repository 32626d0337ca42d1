"""What every page shares: the store and cached read models, language, sidebar filters, header,
navigation between pages, and the guard that turns an unexpected error into a clear message.

A page is:

    from ui.common import run_page

    def render(page):            # page: PageContext (lang, filters, as_of)
        ...                      # call one read model through load(), render it

    run_page("page.overview", render)

and runs on its own (AppTest.from_file) as well as under st.navigation in app.py.
"""
from __future__ import annotations

import importlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from smartcity import views
from smartcity.auth import Actor
from smartcity.errors import SmartCityError
from smartcity.formatting import format_count, format_date
from smartcity.i18n import DEFAULT_LANG, LANGS, t
from smartcity.inbox import drain_inbox
from smartcity.settings import db_path
from smartcity.store import Store, open_store
from smartcity.users import ensure_first_admin

log = logging.getLogger(__name__)


def _skip_repl_check() -> None:
    """Spare each new process Streamlit's check for a Python prompt (~0.1 s, issue 7).

    Before the first element it draws, Streamlit asks whether it runs at a Python prompt, to warn
    that apps are started with `streamlit run`: inspect.stack() reads the source file of every frame
    and resolves the path of every module loaded. Our pages run under `streamlit run` or AppTest
    only, so the warning has nothing to say; marking it as said skips the check (a private flag of
    streamlit.delta_generator: if a later Streamlit drops it, setting it is harmless).
    """
    import streamlit.delta_generator as delta_generator

    delta_generator._use_warning_has_been_displayed = True


_skip_repl_check()

ROOT = Path(__file__).resolve().parent.parent
PAGES_DIR = ROOT / "pages"


# Who may open a page (PageSpec.roles): every signed-in role by default; PUBLIC needs no login.
SIGNED_IN = ("admin", "editor", "viewer")
WRITERS = ("admin", "editor")
ADMINS = ("admin",)
PUBLIC = ()


@dataclass(frozen=True)
class PageSpec:
    file: str
    url_path: str
    title_key: str
    icon: str
    roles: tuple[str, ...] = SIGNED_IN    # PUBLIC: no login needed


# The screens, in navigation order. Icons are Material Symbols bundled with Streamlit.
PAGES: dict[str, PageSpec] = {s.url_path: s for s in (
    PageSpec("ringkasan.py", "ringkasan", "page.overview", ":material/dashboard:"),
    PageSpec("pilar.py", "pilar", "page.pillar", ":material/account_tree:"),
    PageSpec("opd.py", "opd", "page.agency", ":material/apartment:"),
    PageSpec("rencana-aksi.py", "rencana-aksi", "page.actions", ":material/checklist:"),
    PageSpec("kpi.py", "kpi", "page.kpi", ":material/monitoring:"),
    PageSpec("tinjauan.py", "tinjauan", "page.review", ":material/fact_check:"),
    PageSpec("briefing.py", "briefing", "page.briefing", ":material/co_present:"),
    PageSpec("perbarui.py", "perbarui", "page.update", ":material/edit_note:"),
    PageSpec("unggah.py", "unggah", "page.upload", ":material/upload_file:", WRITERS),
    PageSpec("publik.py", "publik", "page.public", ":material/public:", PUBLIC),
    PageSpec("audit.py", "audit", "page.audit", ":material/history:", ADMINS),
    PageSpec("pengguna.py", "pengguna", "page.users", ":material/manage_accounts:", ADMINS),
    PageSpec("pengaturan.py", "pengaturan", "page.settings", ":material/settings:", ADMINS),
    PageSpec("masuk.py", "masuk", "page.login", ":material/login:", PUBLIC),
)}

# Session-state keys. Filters live under plain keys (not widget keys): widgets belong to one
# page under st.navigation, so each page re-creates them from these values.
LANG_KEY = "lang"
FILTER_KEYS = {"as_of": "filter_as_of", "pillar": "filter_pillar", "agency": "filter_agency"}


# -- store and cached read models ---------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def _open(path: str) -> Store:
    store = open_store(path)
    password = ensure_first_admin(store)
    if password:  # a database without users: the first admin's password, once, in the server log
        print(f"smartcity: no users yet; created user 'admin' with password: {password}\n"
              "smartcity: sign in and change it (or: python -m smartcity user set-password admin)", flush=True)
    return store


def get_store() -> Store:
    """The shared Store for the database named by settings.db_path() (SMARTCITY_DB)."""
    return _open(str(db_path()))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, db: str, version: int, args: tuple, kwargs: tuple):
    module, _, func = name.rpartition(".")
    return getattr(importlib.import_module(module), func)(_open(db), *args, **dict(kwargs))


def load(read_model: Callable, *args, **kwargs):
    """`read_model(store, *args, **kwargs)`, cached until the data changes (keyed by data version)."""
    store = get_store()
    name = f"{read_model.__module__}.{read_model.__name__}"
    return _cached(name, str(store.path), store.data_version(), args, tuple(sorted(kwargs.items())))


def current_actor() -> Actor:
    """The signed-in user (ui.session); every write from the app is theirs, never the system's.

    Raises LoginRequired when no one is signed in (pages that need a login never get that far).
    """
    from ui.session import require_actor

    return require_actor()


# -- language and filters -----------------------------------------------------------------------

def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def current_filters() -> views.Filters:
    return views.Filters(**{name: st.session_state.get(key) for name, key in FILTER_KEYS.items()})


def set_filters(**values) -> None:
    """Change shared filters (as_of, pillar, agency); the sidebar shows them on the next run."""
    for name, value in values.items():
        st.session_state[FILTER_KEYS[name]] = value


# Widgets cannot offer None (a selectbox shows it as "nothing chosen"): "all" / "latest" is this option.
ANY = "*"


def _copy_to_state(widget_key: str, state_key: str) -> None:
    value = st.session_state[widget_key]
    st.session_state[state_key] = None if value == ANY else value


def bound(widget: Callable, label: str, options: list, state_key: str, *, widget_key: str | None = None,
          format_func: Callable = str, **kwargs):
    """A widget whose value lives in st.session_state[state_key] and so survives page switches.

    The widget shows the stored value, or its first option while nothing is stored. A stored
    value that is no longer an option (a date or an agency gone) is cleared. None may be an
    option (meaning all, or latest).
    """
    widget_key = widget_key or f"_w_{state_key}"
    value = st.session_state.get(state_key)
    if value is not None and value not in options:
        value = st.session_state[state_key] = None
    shown = value if value in options else (options[0] if options else None)
    choices = [ANY if o is None else o for o in options]
    st.session_state[widget_key] = ANY if shown is None else shown
    picked = widget(label, choices, key=widget_key, on_change=_copy_to_state, args=(widget_key, state_key),
                    format_func=lambda o: format_func(None if o == ANY else o), **kwargs)
    return None if picked == ANY else picked


def _clear_filters() -> None:
    set_filters(as_of=None, pillar=None, agency=None)


def language_switch(lang: str) -> None:
    """Bahasa Indonesia / English, kept in session state for every page."""
    bound(st.segmented_control, t("side.language", lang), list(LANGS), LANG_KEY, required=True,
          format_func=lambda code: {"id": "Bahasa Indonesia", "en": "English"}[code], width="stretch")


def sidebar(lang: str) -> views.Filters:
    """Language switch and the shared filters (as-of date, pillar, agency) in the sidebar."""
    dates = load(views.dates_with_data)
    agencies = load(views.agency_choices)
    names = dict(zip(agencies["code"], agencies["short_name"]))
    with st.sidebar:
        language_switch(lang)
        st.subheader(t("side.filters", lang), divider="gray")
        latest = t("side.as_of_latest", lang, date=format_date(dates[0], lang)) if dates else t("side.no_dates", lang)
        bound(st.selectbox, t("side.as_of", lang), [None, *dates], FILTER_KEYS["as_of"],
              format_func=lambda d: latest if d is None else format_date(d, lang))
        bound(st.selectbox, t("side.pillar", lang), [None, *views.PILLARS], FILTER_KEYS["pillar"],
              format_func=lambda p: t(f"pillar.{p or 'all'}", lang))
        bound(st.selectbox, t("side.agency", lang), [None, *names], FILTER_KEYS["agency"],
              format_func=lambda c: t("side.all_agencies", lang) if c is None else names.get(c, c))
        if any(st.session_state.get(k) for k in FILTER_KEYS.values()):
            st.button(t("side.reset", lang), on_click=_clear_filters, icon=":material/filter_alt_off:", width="stretch")
    return current_filters()


# -- page frame ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageContext:
    """What a page's body needs: the language, the filters and the date the data is shown for."""

    lang: str
    filters: views.Filters
    as_of: date | None

    def t(self, key: str, **params) -> str:
        return t(key, self.lang, **params)


# Characters that mean something to Markdown or to Streamlit's directives (:red[...], $math$, <tags>).
_MARKDOWN_CHARS = frozenset("\\`*_{}[]()#+-.!|<>~$:")


def md_escape(text: object) -> str:
    """Text safe to put inside Markdown: every character Markdown could act on backslash-escaped."""
    return "".join("\\" + ch if ch in _MARKDOWN_CHARS else ch for ch in str(text))


def header(title_key: str, ctx: PageContext) -> None:
    """The page title with the as-of date and the filters in force."""
    st.caption(t("app.title", ctx.lang))
    st.title(t(title_key, ctx.lang))
    parts = []
    if ctx.as_of:
        parts.append(t("head.as_of", ctx.lang, date=format_date(ctx.as_of, ctx.lang)))
    scope = scope_label(ctx)
    if scope:
        parts.append(t("head.scope", ctx.lang, scope=scope))
    if parts:
        st.caption(md_escape(" · ".join(parts)))
    corrected = load(views.corrected_since, ctx.as_of) if ctx.as_of else 0
    if corrected:  # an earlier date is shown as it was known then; the corrections sent later are elsewhere
        st.caption(t("head.known_then", ctx.lang, n=format_count(corrected)), help=t("head.known_then_help", ctx.lang))


def scope_label(ctx: PageContext) -> str:
    """'Integrasi · Diskominfo' for the pillar and agency filters in force ('' when none)."""
    parts = []
    if ctx.filters.pillar:
        parts.append(t(f"pillar.{ctx.filters.pillar}", ctx.lang))
    if ctx.filters.agency:
        names = load(views.agency_choices)
        match = names.loc[names["code"] == ctx.filters.agency, "short_name"]
        parts.append(match.iloc[0] if len(match) else ctx.filters.agency)
    return " · ".join(parts)


def _leave_pages_directory_mode() -> None:
    """Run app.py's navigation even when the first request of a fresh server is a page's URL.

    Streamlit serves a pages/ folder in its older multipage mode (each file alone: no page
    config, file names as the menu) until some session has run st.navigation. A page that
    finds itself in that mode switches it off and reruns, so app.py runs and st.navigation
    resolves the same URL to the same page (a page's identity is its url_path in both modes).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory and (ROOT / "app.py").exists():
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(title_key: str) -> PageContext:
    """Language, sidebar filters and header: the first call of every page."""
    _leave_pages_directory_mode()
    lang = current_lang()
    filters = sidebar(lang)
    ctx = PageContext(lang, filters, load(views.resolve_as_of, filters))
    header(title_key, ctx)
    return ctx


def public_page_setup(title_key: str) -> PageContext:
    """The public page's frame: the language switch only, none of the internal filters, the latest data."""
    _leave_pages_directory_mode()
    lang = current_lang()
    with st.sidebar:
        language_switch(lang)
    ctx = PageContext(lang, views.Filters(), load(views.resolve_as_of, views.Filters()))
    header(title_key, ctx)
    return ctx


def empty_state(ctx: PageContext) -> None:
    """The friendly message of an empty database, with the way to the upload page."""
    with st.container(border=True):
        st.subheader(ctx.t("state.empty_title"))
        st.write(ctx.t("state.empty_body"))
        page_link("unggah", ctx.t("state.go_upload"), icon=":material/upload_file:")


def _load_queued_files() -> None:
    """Files the command line queued while this process held the database (smartcity.inbox)."""
    lang = current_lang()
    try:
        results = drain_inbox(get_store())
    except Exception:  # noqa: BLE001 - a queued file must not stop the page; it stays queued
        log.exception("loading queued files failed")
        return
    for r in results:
        st.toast(t("inbox.loaded", lang, file=r["file_name"], status=t(f"up.status.{r['status']}", lang),
                   loaded=r["rows_loaded"], rejected=r["rows_rejected"]), icon=":material/inbox:")


def run_page(title_key: str, body: Callable[[PageContext], None], *, needs_data: bool = True,
             public: bool = False) -> None:
    """Set the page up and run `body`; never show a traceback to the user.

    A SmartCityError shows its own message; anything else a generic message with a reference
    that is also written to the log with the traceback. A `public` page (no login) gets
    public_page_setup: no internal filters, and `body` handles an empty database itself.
    Any other page first checks the login and role (ui.session.admitted; PageSpec.roles).
    """
    try:
        from ui.session import admitted

        if not public and not admitted(title_key):
            return
        _load_queued_files()
        ctx = public_page_setup(title_key) if public else page_setup(title_key)
        if needs_data and not public and ctx.as_of is None:
            empty_state(ctx)
            return
        body(ctx)
    except SmartCityError as e:
        st.error(e.message(current_lang()), icon=":material/error:")
    except Exception:  # noqa: BLE001 - the page must stay usable
        ref = uuid.uuid4().hex[:8]
        log.exception("page %s failed (ref %s)", title_key, ref)
        st.error(t("state.error", current_lang(), ref=ref), icon=":material/error:")


# -- navigation ---------------------------------------------------------------------------------

def navigation_pages(lang: str) -> list:
    """The st.Page objects of the screens, titled in `lang` (for st.navigation in app.py).

    The menu lists only the pages the signed-in user's role may open (PageSpec.roles); the others
    stay reachable by URL, hidden, and show the login form or a refusal. Signed out, the menu holds
    the login page (the default) and the public pages; signed in, the login page is hidden.
    """
    from ui.session import LOGIN_PAGE, may_open, session_actor

    actor = session_actor()
    specs = list(PAGES.values())
    if actor is None:
        specs.sort(key=lambda s: s.url_path != LOGIN_PAGE)
    shown = [s for s in specs if may_open(s, actor) and (actor is None or s.url_path != LOGIN_PAGE)]
    default = shown[0] if shown else specs[0]
    return [st.Page(PAGES_DIR / s.file, title=t(s.title_key, lang), icon=s.icon, url_path=s.url_path,
                    default=s is default, visibility="visible" if s in shown else "hidden") for s in specs]


def go_to(url_path: str, **filters) -> None:
    """Drill down: set shared filters and switch to another page (rerun when running standalone)."""
    set_filters(**filters)
    try:
        st.switch_page(PAGES_DIR / PAGES[url_path].file)
    except StreamlitAPIException:
        st.rerun()  # the page runs on its own (a test): no other page to switch to


def page_link(url_path: str, label: str, icon: str | None = None) -> None:
    """A link to another page; plain text when the page runs on its own."""
    try:
        st.page_link(PAGES_DIR / PAGES[url_path].file, label=label, icon=icon)
    except StreamlitAPIException:
        st.caption(label)
