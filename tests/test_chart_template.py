"""Charts look as they did with plotly's "plotly_white" without loading it (issue 7: ~0.2 s a cold process)."""
from __future__ import annotations


def test_the_chart_template_is_plotly_white_wherever_it_sets_something():
    import plotly.graph_objects as go
    import plotly.io as pio

    from ui.widgets import _layout

    fig = _layout(go.Figure(go.Bar(x=[1], y=["a"], marker_color="#2e7d32")), 200)
    mine = fig.layout.template.to_plotly_json()
    white = pio.templates["plotly_white"].to_plotly_json()
    assert {k: white["layout"][k] for k in mine["layout"]} == mine["layout"]
    assert {k: white["data"][k] for k in mine["data"]} == mine["data"] and set(mine["data"]) == {"bar", "scatter"}
    assert fig.data[0].marker.color == "#2e7d32"     # status colours are the traces' own, not the template's
