"""Counts and money on screen are written the Indonesian way (a dot between thousands), in any browser."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest


def _pillar_card() -> None:
    from smartcity import views
    from ui.widgets import pillar_card

    pillar_card(views.Summary("integration", actions=12_345, achievement=75.5, budget=1_870_569_300,
                              budget_spent=935_284_650, absorption=50.0,
                              status_counts={"not_started": 0, "on_track": 9_185, "at_risk": 500, "late": 2_660,
                                             "done": 0}), "id")


def test_the_pillar_cards_status_counts_have_a_thousands_dot():
    at = AppTest.from_function(_pillar_card, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Terlambat: 2.660" in shown and "Sesuai jadwal: 9.185" in shown
    assert "2660" not in shown


def test_the_editor_groups_rupiah_with_dots_whatever_the_browser_locale():
    """Streamlit's "localized" follows the browser (1,870,569,300 in en-US); its printf "%'.,d" writes
    1.870.569.300 everywhere (sprintf-js: the character after ' is the thousands separator)."""
    from ui.editor import GROUPED, _column_config

    config = _column_config("id", pd.DataFrame({"target": [100.0, 30_000.0], "actual": [72.1, 30_000.0]}))
    assert GROUPED == "%'.,d"
    assert config["budget"]["type_config"]["format"] == GROUPED
    assert config["budget_spent"]["type_config"]["format"] == GROUPED
    assert config["target"]["type_config"]["format"] == GROUPED          # whole numbers: "30.000"
    assert config["actual"]["type_config"]["format"] == "%.10g"          # 72,1 is not cut to "72"


def test_a_quantity_column_is_grouped_only_when_every_value_is_whole():
    from ui.editor import number_format

    assert number_format(pd.Series([1.0, 30_000.0, None])) == "%'.,d"
    assert number_format(pd.Series([72.1, 30_000.0])) == "%.10g"
    assert number_format(pd.Series([116.99999999999999])) == "%.10g"   # %d would cut it to 116
    assert number_format(pd.Series([], dtype=float)) == "%'.,d"
