"""live_figure leans on FigureWidget internals: fail loudly if a plotly upgrade moves them."""

import plotly.graph_objects as go

from mlsd.widgets.common import LiveFigureWidget, live_figure


def test_plotly_still_has_the_edit_bookkeeping_we_acknowledge():
    fig = live_figure(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), "mlsd-test-fig")
    assert isinstance(fig, LiveFigureWidget)
    for name in (
        "_last_trace_edit_id",
        "_last_layout_edit_id",
        "_trace_edit_in_process",
        "_layout_edit_in_process",
        "_waiting_edit_callbacks",
        "_js2py_traceDeltas",
        "_js2py_layoutDelta",
    ):
        assert hasattr(fig, name), f"plotly no longer has FigureWidget.{name}"


def test_a_browser_report_of_defaults_does_not_delete_data():
    fig = live_figure(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), "mlsd-test-fig")
    with fig.batch_update():
        fig.data[0].marker.color = "red"
    # What plotly.js sends back after a restyle: the trace with every value it filled in.
    fig._js2py_traceDeltas = {
        "trace_edit_id": fig._last_trace_edit_id,
        "trace_deltas": [{"x": [1, 2], "y": [3, 4], "uid": fig.data[0].uid}],
    }
    # A plain FigureWidget moves x and y out of the trace's own properties here and tells
    # the browser to delete them, which is how the chooser's candidate dots vanished.
    assert {"x", "y"} <= set(fig.data[0]._props)
    assert fig._trace_edit_in_process is False


def test_the_plain_figure_widget_still_drops_them_so_the_workaround_is_needed():
    fig = go.FigureWidget(go.Scatter(x=[1, 2], y=[3, 4]))
    with fig.batch_update():
        fig.data[0].marker.color = "red"
    fig._js2py_traceDeltas = {
        "trace_edit_id": fig._last_trace_edit_id,
        "trace_deltas": [{"x": [1, 2], "y": [3, 4], "uid": fig.data[0].uid}],
    }
    assert "x" not in fig.data[0]._props, "plotly fixed this: LiveFigureWidget may go"
