"""Hostile text in a real browser (issue 8, point 4): notes and names holding HTML, script, a
`javascript:` markdown link and formula starters are shown as text on every page; nothing runs.

The demo database gets one more agency file (Satpol PP, on the demo's latest date 14 Oct 2024)
whose only action is late, so its texts reach the risk lists of the review and the briefing too.
Each payload, if it ran, would set window.__pwned or open a dialog; the test fails on either, on
any link with a javascript: address, and on any element the payloads would create.
"""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from smartcity.pipeline import load_file
from smartcity.store import open_store

from .conftest import log_in, serve_app, wait_for_app
from .test_smoke import _nav_urls

pytestmark = pytest.mark.browser

LATEST = date(2024, 10, 14)
ACTIVITY = "<script>window.__pwned='script'</script>Patroli <b>tebal</b>"
NOTES = "<img src=x onerror=\"window.__pwned='img'\">catatan"
OWNER = "[klik di sini](javascript:window.__pwned='md')"
OBSTACLE = '=HYPERLINK("http://contoh.invalid","klik")'
FOLLOW_UP = "<svg onload=\"window.__pwned='svg'\"></svg>@tindak"


def hostile_csv() -> bytes:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    header = "Kode;Pilar;OPD;Kegiatan;Target;Realisasi;Tanggal Mulai;Tanggal Selesai;Keterangan;Penanggung Jawab;" \
             "Faktor Penghambat;Tindak Lanjut"
    row = ";".join(["SATPOLPP-66", "Kolaborasi", "Satpol PP", cell(ACTIVITY), "100", "5", "01/01/2024", "30/06/2024",
                    cell(NOTES), cell(OWNER), cell(OBSTACLE), cell(FOLLOW_UP)])
    return f"{header}\n{row}\n".encode()


@pytest.fixture(scope="module")
def hostile_server(chromium, demo_db, tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    db = work / "hostile.duckdb"
    shutil.copyfile(demo_db, db)
    store = open_store(db)
    outcome = load_file(store, hostile_csv(), "satpolpp.csv", LATEST)
    stored = store.query_one("SELECT activity, notes, owner, obstacle, follow_up FROM progress "
                             "WHERE upload_id = ?", [outcome.upload_id])
    store.close()
    assert (outcome.status, outcome.rows_loaded) == ("loaded", 1), outcome
    assert stored == (ACTIVITY, NOTES, OWNER, OBSTACLE, FOLLOW_UP)      # kept verbatim
    (work / "app").mkdir()
    with serve_app(db, work / "app") as url:
        yield url


def test_hostile_text_never_runs_on_any_page(hostile_server, page, tmp_path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server)
    wait_for_app(page)
    log_in(page, "admin")
    urls = _nav_urls(page)
    assert len(urls) >= 10, urls
    for n, url in enumerate(urls):
        page.locator(f'[data-testid="stSidebarNavLink"][href="{url}"]').first.click()
        page.wait_for_timeout(500)
        wait_for_app(page)
        for chart in page.locator(".js-plotly-plot .bars path, .js-plotly-plot .points path").all()[:12]:
            chart.hover(force=True)                                   # hover labels render their text too
        state = page.evaluate("""() => ({
            pwned: window.__pwned || null,
            jsLinks: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
            injected: document.querySelectorAll('img[src="x"], svg[onload], script:not([src]):not([type])').length
                      - document.querySelectorAll('head script:not([src]):not([type])').length,
        })""")
        page.screenshot(path=str(tmp_path / f"page_{n:02d}.png"), full_page=True)
        assert state == {"pwned": None, "jsLinks": 0, "injected": 0}, (url, state)
        assert not dialogs, (url, dialogs)


def test_hostile_text_is_shown_as_written(hostile_server, page):
    page.goto(hostile_server)
    wait_for_app(page)
    log_in(page, "admin")
    page.locator('[data-testid="stSidebarNavLink"]', has_text="Briefing Bupati").first.click()
    page.wait_for_timeout(500)
    wait_for_app(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    # The late action leads the risks, its texts as typed (markdown and HTML not interpreted).
    assert "<script>window.__pwned='script'</script>Patroli <b>tebal</b>" in text
    assert OBSTACLE in text and "@tindak" in text
