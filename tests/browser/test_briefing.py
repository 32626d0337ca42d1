"""The Briefing Bupati and Publik pages in a real browser, at the sizes they are made for.

The briefing is shown on a projector and on a tablet: at 1024x768 (and 1366x768) nothing may be
wider than the screen, neither the page nor Streamlit's own scroll container. Its PDF is built
on the server when the button is clicked. The public page opens without a login and offers no
way into the internal pages.
"""
from __future__ import annotations

import pytest

from .conftest import log_in, wait_for_app

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}
LAPTOP = {"width": 1366, "height": 768}

# Widths of the page and of Streamlit's scroll container (stMain, or section.main in older releases).
WIDTHS = """() => {
    const main = document.querySelector('[data-testid="stMain"]') || document.querySelector('section.main');
    const d = document.documentElement;
    return {page: [d.scrollWidth, d.clientWidth], main: main ? [main.scrollWidth, main.clientWidth] : null};
}"""


@pytest.fixture
def open_page(browser):
    """open_page(url, viewport): a fresh browser context at `viewport`, on `url`, drawn."""
    contexts = []

    def open_(url: str, viewport: dict):
        context = browser.new_context(viewport=viewport, locale="id-ID", accept_downloads=True)
        context.set_default_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        wait_for_app(page)
        return page

    yield open_
    for context in contexts:
        context.close()


def _sign_in(page) -> None:
    """Sign in (as the demo viewer: the briefing is for every signed-in role) through the login form that
    stands in for the briefing; the briefing itself shows after it."""
    log_in(page, "viewer")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_for_app(page)


def _assert_no_exception(page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        pytest.fail(f"{where}: the page shows an exception:\n{exceptions.first.inner_text()}", pytrace=False)


def _assert_fits(page, where: str) -> None:
    widths = page.evaluate(WIDTHS)
    scroll, client = widths["page"]
    assert scroll <= client, f"{where}: the page scrolls sideways ({scroll} > {client} px)"
    assert widths["main"] is not None, f"{where}: no main scroll container found"
    scroll, client = widths["main"]
    assert scroll <= client, f"{where}: the main container scrolls sideways ({scroll} > {client} px)"


@pytest.mark.parametrize("viewport", [TABLET, LAPTOP], ids=["1024x768", "1366x768"])
def test_the_briefing_fits_the_screen(app_server, open_page, viewport, tmp_path):
    page = open_page(f"{app_server}/briefing", viewport)
    _sign_in(page)
    where = f"briefing at {viewport['width']}x{viewport['height']}"
    _assert_no_exception(page, where)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Briefing Bupati"
    for heading in ("Tiga pilar", "Indikator kinerja utama", "Risiko utama", "Peringkat OPD"):
        assert page.get_by_text(heading, exact=True).count() == 1, f"{where}: no section {heading!r}"
    _assert_fits(page, where)
    page.screenshot(path=str(tmp_path / f"briefing-{viewport['width']}.png"))


def test_the_briefing_pdf_is_built_when_clicked(app_server, open_page):
    page = open_page(f"{app_server}/briefing", TABLET)
    _sign_in(page)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Unduh PDF").click()
    assert download.value.suggested_filename == "briefing-bupati-2024-10-14.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"


def test_the_public_page_opens_without_login_and_leads_nowhere_internal(app_server, open_page, tmp_path):
    page = open_page(f"{app_server}/publik", TABLET)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_for_app(page)
    _assert_no_exception(page, "public page")
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().strip() == "Publik"
    assert page.locator('input[type="password"]').count() == 0, "the public page asks for a login"
    # Signed out, the default page (the site's root) is the login page.
    links = {link.get_attribute("href").removeprefix(app_server).strip("/")
             for link in page.locator('[data-testid="stSidebarNavLink"]').all()}
    assert "publik" in links and links <= {"", "masuk", "publik"}, \
        f"signed out, the menu offers internal pages: {sorted(links)}"
    _assert_fits(page, "public page at 1024x768")
    page.screenshot(path=str(tmp_path / "publik-1024.png"))
