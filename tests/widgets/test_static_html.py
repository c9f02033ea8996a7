"""Every widget's output carries a script-free HTML picture, which nbconvert and nbgrader's
feedback pages show instead of a ``VBox(children=...)`` repr."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as W
import nbformat
import plotly.graph_objects as go
import pytest

from mlsd.widgets import common

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def test_every_widget_bundle_has_a_picture_and_the_live_view_stays():
    box = W.VBox([W.IntSlider(value=3, description="Runs"), W.Button(description="Go")])
    bundle = box._repr_mimebundle_()
    assert WIDGET_VIEW in bundle, "the live widget must still be what JupyterLab draws"
    html = bundle["text/html"]
    assert common.STATIC_CLASS in html and "<b>Runs</b>: 3" in html and ">Go</span>" in html


def test_a_figure_displayed_alone_has_a_picture_too():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="line"), layout={"title": "Alone"})
    bundle = common.live_figure(fig, "mlsd-test-alone")._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "Chart: Alone" in bundle["text/html"]


def test_the_picture_shows_labels_values_messages_and_charts():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1.5, 2.25], name="bars"))
    fig.update_layout(title="Requests per day", xaxis_title="day", yaxis_title="requests")
    message = common.MessageLine("mlsd-test-message")
    message.error("latency_ms must be > 0; got -1.")
    box = W.VBox(
        [
            W.HBox([W.Dropdown(options=[("Small", 1), ("Large", 2)], value=2, description="Size")]),
            W.Checkbox(value=True, description="parallel"),
            W.FloatSlider(value=0.25, description="Share", readout_format=".0%"),
            W.ToggleButtons(options=["x", "y"], value=None, description="Kind"),
            W.HTML("<div style='x'>Decision: <b>ship</b></div>"),
            message.widget,
            W.Label("hidden", layout=W.Layout(display="none")),
            common.live_figure(fig, "mlsd-test-fig"),
        ]
    )
    html = common.static_html(box)
    for text in (
        "<b>Size</b>: Large",
        "<b>parallel</b>: ☑ yes",
        "<b>Share</b>: 25%",
        "<b>Kind</b>: (none chosen)",
        "Decision: <b>ship</b>",
        "latency_ms must be &gt; 0; got -1.",
        "Chart: Requests per day",
        "xaxis: day; yaxis: requests",
        "bars (bar, 2 points)",
        "<td>2.25</td>",
    ):
        assert text in html, text
    assert "hidden" not in html.replace("visibility", "")
    assert "style='x'" not in html, "attributes of widget HTML are dropped"


def test_a_learners_text_cannot_inject_markup_or_scripts():
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    box = W.VBox([W.Text(value=hostile, description="Your answer"), W.HTML(hostile)])
    html = common.static_html(box)
    assert "<script" not in html and "<img" not in html and "onerror" not in html.split("&lt;")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.slow
def test_nbconvert_and_feedback_pages_show_the_picture_of_an_executed_widget(tmp_path):
    """A real kernel runs a notebook that displays a course widget; nbconvert's HTML exporter
    (lab and classic templates, and nbgrader's feedback template) then shows its picture."""
    import nbclient
    import nbgrader
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "py"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from mlsd.widgets.chooser import model_chooser\n"
            "chooser = model_chooser()\nchooser.container"
        ),
        nbformat.v4.new_code_cell(
            "import ipywidgets as W\nW.Text(value='<script>alert(1)</script>', description='x')"
        ),
    ]
    # As nbgrader runs submissions: no widget state is stored (autograder/nbgrader_config.py).
    nbclient.NotebookClient(nb, timeout=120, store_widget_state=False).execute()
    output = nb.cells[0].outputs[0]
    assert "text/html" in output["data"] and WIDGET_VIEW in output["data"]

    pages = {
        name: HTMLExporter(template_name=name).from_notebook_node(nb)[0]
        for name in ("lab", "classic")
    }
    # nbgrader's feedback exporter, configured as `nbgrader generate_feedback` configures it.
    formgrader = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    feedback = HTMLExporter(
        template_name="feedback",
        extra_template_basedirs=[str(formgrader / "templates")],
        extra_template_paths=[str(formgrader / "static/node_modules/bootstrap/dist/css")],
    )
    scores = {"notebook": "demo", "score": 0, "max_score": 0, "late_penalty": 0}
    pages["feedback"] = feedback.from_notebook_node(nb, resources={"nbgrader": scores})[0]
    for name, page in pages.items():
        assert "VBox(children" not in page, name
        assert page.count(common.STATIC_CLASS) == 2, name
        assert "Latency budget (ms)" in page, name
        assert "Chart: Model families as the guide places them" in page, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name
        assert not re.search(r"<script>alert\(1\)", page), name
