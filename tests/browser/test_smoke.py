"""Smoke tests of the running app in a real browser: every page renders without an exception.

AppTest (tests of single pages) cannot drive st.navigation; these tests open the app the
way an official does, sign in as the demo admin, and follow every link in the navigation.
"""
from __future__ import annotations

import pytest

from .conftest import log_in, wait_for_app

pytestmark = pytest.mark.browser

NAV_LINKS = '[data-testid="stSidebarNavLink"], [data-testid="stTopNavLink"], [data-testid="stTopNavDropdownLink"]'


def _assert_rendered_cleanly(page, where: str) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    if exceptions.count():
        pytest.fail(f"{where}: the page shows an exception:\n{exceptions.first.inner_text()}", pytrace=False)
    assert page.locator('[data-testid="stMain"]').inner_text().strip(), f"{where}: the page is empty"


def _assert_heading(page, where: str) -> None:
    heading = page.locator('[data-testid="stMain"] h1, [data-testid="stMain"] h2').first
    assert heading.is_visible(), f"{where}: no visible heading"
    assert heading.inner_text().strip(), f"{where}: the heading is empty"


def _nav_urls(page) -> list[str]:
    view_more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if view_more.count() and view_more.first.is_visible():
        view_more.first.click()
    urls = []
    for link in page.locator(NAV_LINKS).all():
        href = link.get_attribute("href")
        if href and href not in urls:
            urls.append(href)
    return urls


def test_home_page_renders_with_a_title(app_server, page, tmp_path):
    page.goto(app_server)
    wait_for_app(page)

    _assert_rendered_cleanly(page, "home page")
    _assert_heading(page, "home page")
    assert page.title().strip(), "the browser tab has no title"
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)


def test_signed_out_the_home_page_is_the_login_and_the_menu_hides_internal_pages(app_server, page):
    page.goto(app_server)
    wait_for_app(page)
    assert page.locator(".st-key-login_submit").count() == 1
    shown = {link.inner_text().strip().split("\n")[-1] for link in page.locator(NAV_LINKS).all()}  # after the icon
    assert "Masuk" in shown and not shown & {"Ringkasan", "Perbarui Progres", "Jejak Audit", "Pengguna"}


def test_the_app_loads_nothing_from_outside(app_server, page):
    """No CDN, web font or telemetry: the dashboard must work on an intranet without internet."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(app_server)
    wait_for_app(page)
    log_in(page, "admin")                  # the dashboard itself, with its charts

    local = (app_server, "data:", "blob:", "about:")
    outside = sorted({url for url in requested if not url.startswith(local)})
    assert outside == [], f"requests to outside addresses: {outside}"


def test_every_page_in_the_navigation_renders(app_server, page, tmp_path):
    page.goto(app_server)
    wait_for_app(page)
    log_in(page, "admin")                  # an admin's menu holds every page
    urls = _nav_urls(page)
    assert urls, "the navigation shows no pages"

    # Following the links in the same browser session keeps the login (a new URL typed in is a
    # new session, which asks for the login again).
    for n, url in enumerate(urls):
        page.locator(f'[data-testid="stSidebarNavLink"][href="{url}"]').first.click()
        page.wait_for_function("u => location.href.replace(/\\/$/, '') === new URL(u, location.href).href.replace(/\\/$/, '')",
                               arg=url, timeout=60_000)
        page.wait_for_timeout(300)
        wait_for_app(page)
        _assert_rendered_cleanly(page, url)
        assert not page.locator(".st-key-login_submit").count(), f"{url}: asks for a login"
        page.screenshot(path=str(tmp_path / f"page_{n:02d}.png"), full_page=True)
