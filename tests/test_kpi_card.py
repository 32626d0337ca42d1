"""A KPI card writes the KPI's name where it can wrap: a metric's own label is cut off on a tablet."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _card() -> None:
    from datetime import date

    import pandas as pd

    from smartcity import views
    from ui.widgets import KPI_CARD_WIDTH, kpi_card

    kpi = views.KpiView("late_or_at_risk", "Aksi terlambat atau perlu perhatian", "Jumlah aksi", "terlambat + perlu",
                        "all", "count", "lower", 0, None, None, 2_660, "none", 12_345, pd.DataFrame(), pd.DataFrame(),
                        previous=2_658, previous_as_of=date(2024, 10, 7))
    kpi_card(kpi, "id", width=KPI_CARD_WIDTH)


def test_the_kpi_name_is_written_above_the_figure_and_the_metric_label_is_hidden():
    at = AppTest.from_function(_card, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    [metric] = at.metric
    assert (metric.label, metric.value) == ("Aksi terlambat atau perlu perhatian", "2.660")
    assert metric.proto.label_visibility.value == metric.proto.label_visibility.COLLAPSED
    assert metric.proto.delta == "+2 sejak 7 Okt 2024"
    assert at.markdown[0].value == "Aksi terlambat atau perlu perhatian"
