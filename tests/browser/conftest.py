"""Browser test harness: the real app under `streamlit run`, driven by headless Chromium.

Chromium is Debian's (/usr/bin/chromium, installed by `make test` when we are root);
Playwright only drives it, so `playwright install` is never needed. Without Chromium the
browser tests skip, except under CI=true, where a missing browser is a failure.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("SMARTCITY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
START_TIMEOUT_S = 90
VIEWPORT = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; skips the browser tests without it, but fails them under CI=true."""
    if CHROMIUM.exists() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = f"{CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium; `make test` does it as root)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@pytest.fixture(scope="session")
def app_server(chromium, demo_db, tmp_path_factory):
    """Start `streamlit run app.py` on a free port over a copy of the demo DB; yield its base URL.

    Asks for `chromium` first so that a machine without a browser skips before building anything.
    """
    with serve_app(demo_db, tmp_path_factory.mktemp("app")) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def private_app_server(chromium, demo_db, tmp_path_factory):
    """Like app_server, over a copy of the demo DB of its own: for a test module that changes data."""
    with serve_app(demo_db, tmp_path_factory.mktemp("private_app")) as base_url:
        yield base_url


@contextmanager
def serve_app(source_db: Path, work: Path):
    """`streamlit run app.py` over a copy of `source_db` in `work`; yields the base URL, stops the server after."""
    db = work / "smartcity.duckdb"
    shutil.copyfile(source_db, db)
    log_path = work / "streamlit.log"
    port = _free_port()
    env = {**os.environ, "SMARTCITY_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(f"{base_url}/_stcore/health"):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode}:\n{_tail(log_path)}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S}s:\n{_tail(log_path)}", pytrace=False)
            time.sleep(0.3)
        yield base_url
    finally:
        _stop(process)
    print(f"streamlit log: {log_path}")


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and anything it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Debian Chromium driven by Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test (no shared cookies or session state)."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has connected, run the page script and drawn its elements.

    Streamlit renders asynchronously over a websocket: the HTML shell is empty at first.
    stApp carries data-test-script-state ("initial", "running", "notRunning") and
    data-test-connection-state; the script is done when it is "notRunning" after a run.
    """
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stSpinner"]')
                && !document.querySelector('[data-testid="stSkeleton"]')
                && !document.querySelector('[data-testid="stAppSkeleton"]')""",
        timeout=timeout_ms,
    )


def log_in(page, username: str, password: str | None = None, timeout_ms: int = 60_000) -> None:
    """Sign in through the login form (the home page when signed out, or in place of an internal page).

    `password` defaults to the demo account's (smartcity.demo.accounts); done when the sidebar
    shows the logout button (the element keyed auth_logout).
    """
    from smartcity.demo.accounts import DEMO_ACCOUNTS

    if password is None:
        password = next(a.password for a in DEMO_ACCOUNTS if a.username == username)
    form = page.locator('[data-testid="stForm"]').first
    form.locator("input").nth(0).fill(username)
    form.locator("input").nth(1).fill(password)
    form.locator("input").nth(1).press("Enter")
    page.wait_for_selector(".st-key-auth_logout", timeout=timeout_ms)
    wait_for_app(page, timeout_ms)


def open_in_navigation(page, title: str) -> None:
    """Click the navigation link titled `title` (staying in the same session, so signed in)."""
    page.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
    page.wait_for_function(
        "t => [...document.querySelectorAll('[data-testid=\"stMain\"] h1')].some(h => h.innerText.trim() === t)",
        arg=title, timeout=60_000)
    wait_for_app(page)
