"""The history charts of the Tinjauan page are written as plain dicts, wrapped without plotly's
validation (ui/review.py: validating them cost ~0.3 s at a page's first run, issue 7). Validated by
plotly, the same figure must come out unchanged: every property exists and has its final form.

The grid: two dates, DINKES (integration) and DLH (integration and sustainability).
"""
import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from smartcity.history import breakdown
from smartcity.views import Filters
from ui.review import history_lines, status_history

W1, W2 = date(2024, 9, 30), date(2024, 10, 7)
GRID = pd.DataFrame(
    [(d, pillar, agency, 2, 1.2 + i, 2, 300.0, 80.0 * (i + 1), 0, 1, 1, 0, 0, agency.title())
     for i, d in enumerate((W1, W2))
     for pillar, agency in (("integration", "DINKES"), ("integration", "DLH"), ("sustainability", "DLH"))],
    columns=["as_of", "pillar", "agency_code", "actions", "achievement_sum", "achievement_n", "budget",
             "budget_spent", "not_started", "on_track", "at_risk", "late", "done", "agency_short"])


@pytest.mark.parametrize("by", ["all", "pillar", "agency"])
def test_the_history_charts_are_what_plotly_validates_them_to(by):
    data = breakdown(GRID, W2, Filters(), by)
    for fig in (history_lines(data, "achievement", "id"), history_lines(data, "absorption", "en"),
                status_history(data, "id")):
        validated = go.Figure(fig.to_dict())
        assert _pruned(fig) == _pruned(validated)


def _pruned(fig: go.Figure):
    """The figure as the browser gets it, empty objects left out (plotly's validation drops them)."""
    def prune(value):
        if isinstance(value, dict):
            return {k: prune(v) for k, v in value.items() if v != {}}
        return [prune(v) for v in value] if isinstance(value, list) else value
    return prune(json.loads(pio.to_json(fig, validate=False)))


def test_each_group_has_its_line_and_its_bars():
    data = breakdown(GRID, W2, Filters(), "agency")
    lines = history_lines(data, "achievement", "id")
    assert [tr.name for tr in lines.data] == ["Dinkes", "Dlh"]
    assert list(lines.data[0].y) == pytest.approx([60.0, 110.0])   # 1.2 / 2, then 2.2 / 2, in percent
    bars = status_history(data, "id")
    assert len(bars.data) == 2 * 5                                 # per agency, one bar per status
    assert {tr.xaxis for tr in bars.data} == {"x", "x2"}          # each agency in its own cell
