"""An earlier date shown as it was known then (issue 4, point 6).

Dinkes' action A (target 100, all of 2024) is reported 40 for 30 Sep (recorded 30 Sep) and 60 for
7 Oct (recorded 7 Oct). On 8 Oct, after the 7 Oct data came in, Dinkes corrects 30 Sep to 45.
Looking at 30 Sep shows 40 (what the 30 Sep review saw), with its achievement 40% and the KPI
40,0; 7 Oct shows 60; both values of 30 Sep are kept, and the correction is counted.
"""
from __future__ import annotations

from datetime import date, datetime

from smartcity import views
from smartcity.kpi import recompute_kpis
from smartcity.store import open_store
from tests.ui_fixtures import add

W1, W2 = date(2024, 9, 30), date(2024, 10, 7)


def plan():
    store = open_store(":memory:")
    add(store, "DINKES", "A", W1, pillar="collaboration", actual=40, recorded_at=datetime(2024, 9, 30, 10))
    add(store, "DINKES", "A", W2, pillar="collaboration", actual=60, recorded_at=datetime(2024, 10, 7, 10))
    add(store, "DINKES", "A", W1, pillar="collaboration", actual=45, recorded_at=datetime(2024, 10, 8, 10))
    recompute_kpis(store)
    return store


def achievement_kpi(store, as_of: date) -> float:
    board = views.kpi_board(store, views.Filters(as_of=as_of))
    return next(k.value for k in board.kpis if k.id == "achievement")


def test_an_earlier_date_shows_what_was_known_then():
    store = plan()
    then = views.overview(store, views.Filters(as_of=W1))
    assert then.total.achievement == 40.0                  # not the 45 sent on 8 Oct
    assert achievement_kpi(store, W1) == 40.0
    assert views.corrected_since(store, W1) == 1          # the one correction recorded after 7 Oct's data came
    # The stored KPI for 30 Sep holds the corrected figure (recomputed when the correction came): kept, not shown.
    assert store.query_one("SELECT value FROM kpi_values WHERE kpi_id = 'achievement' AND scope_type = 'all' "
                           "AND as_of = ?", [W1])[0] == 45.0
    assert store.query_one("SELECT count(*) FROM progress WHERE as_of = ?", [W1])[0] == 2   # both kept


def test_the_latest_date_counts_everything_known():
    store = plan()
    now = views.overview(store, views.Filters(as_of=W2))
    assert now.total.achievement == 60.0
    assert achievement_kpi(store, W2) == 60.0
    assert views.known_at(store, W2) is None and views.corrected_since(store, W2) == 0


def test_a_date_without_later_corrections_reads_the_stored_kpis():
    store = open_store(":memory:")
    add(store, "DINKES", "A", W1, pillar="collaboration", actual=40, recorded_at=datetime(2024, 9, 30, 10))
    add(store, "DINKES", "A", W2, pillar="collaboration", actual=60, recorded_at=datetime(2024, 10, 7, 10))
    recompute_kpis(store)
    assert views.corrected_since(store, W1) == 0
    assert views.overview(store, views.Filters(as_of=W1)).total.achievement == 40.0
    assert achievement_kpi(store, W1) == 40.0


def test_the_page_says_the_date_is_shown_as_known_then(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from tests.ui_fixtures import signed_in

    path = tmp_path / "known.duckdb"
    store = open_store(path)
    add(store, "DINKES", "A", W1, pillar="collaboration", actual=40, recorded_at=datetime(2024, 9, 30, 10))
    add(store, "DINKES", "A", W2, pillar="collaboration", actual=60, recorded_at=datetime(2024, 10, 7, 10))
    add(store, "DINKES", "A", W1, pillar="collaboration", actual=45, recorded_at=datetime(2024, 10, 8, 10))
    recompute_kpis(store)
    store.close()
    monkeypatch.setenv("SMARTCITY_DB", str(path))
    root = Path(__file__).resolve().parent.parent
    at = signed_in(AppTest.from_file(str(root / "pages" / "ringkasan.py"), default_timeout=60)).run()
    assert not [c for c in at.caption if "dikoreksi kemudian" in c.value]      # the latest date: nothing to say
    at.sidebar.selectbox[0].select_index(2).run()                             # latest, 7 Oct, 30 Sep
    assert at.session_state["filter_as_of"] == W1
    assert [c.value for c in at.caption if "dikoreksi kemudian" in c.value] == [
        "Ditampilkan seperti diketahui pada tanggal itu; 1 nilai dikoreksi kemudian (lihat Tinjauan Mingguan)."]
    assert next(m.value for m in at.metric if m.label == "Capaian") == "40%"
