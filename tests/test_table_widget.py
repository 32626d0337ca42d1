"""A table on screen sends at most MAX_SHOWN rows and says so; its Excel download holds them all."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page(rows: int) -> None:
    import pandas as pd

    from ui.widgets import Col, table

    df = pd.DataFrame({"action_code": [f"K-{i:05d}" for i in range(rows)], "actual": range(rows)})
    table(df, [Col("action_code"), Col("actual", "number")], "id", excel="aksi")


def run(rows: int) -> AppTest:
    at = AppTest.from_function(_page, kwargs={"rows": rows}, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_long_table_shows_the_first_thousand_rows_and_says_so():
    at = run(1_500)
    assert len(at.dataframe[0].value) == 1_000
    assert [c.value for c in at.caption] == [
        "Menampilkan 1.000 baris pertama dari 1.500; saring untuk mempersempit. Unduhan Excel memuat semua baris."]


def test_a_short_table_shows_every_row_without_a_note():
    at = run(20)
    assert len(at.dataframe[0].value) == 20
    assert not at.caption
