"""An interactive version of the batch / real-time / hybrid decision tree."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.processing import processing_mode
from mlsd.widgets.common import LABEL_STYLE, live_figure

SAFE = plotly.colors.qualitative.Safe
IDLE, ACTIVE = "#bbbbbb", SAFE[1]

# Node positions of the tree, drawn top-down.
NODES = {
    "q1": (0.0, 2.0, "Needs data that exists<br>only at request time?"),
    "batch": (-1.0, 1.0, "<b>Batch</b><br>reports, email campaigns,<br>'also bought' lists"),
    "q2": (1.0, 1.0, "Whole answer fits<br>the latency budget?"),
    "real-time": (0.3, 0.0, "<b>Real-time</b><br>fraud checks,<br>ad auctions"),
    "hybrid": (1.7, 0.0, "<b>Hybrid</b><br>precomputed candidates,<br>ranked per request"),
}
TEXT_POSITION = {"q1": "top center", "q2": "middle right"}
EDGES = (
    ("q1", "batch", "no"),
    ("q1", "q2", "yes"),
    ("q2", "real-time", "yes"),
    ("q2", "hybrid", "no"),
)


def _visited(mode: str, needs_request_data: bool) -> set[str]:
    return {"q1", "batch"} if not needs_request_data else {"q1", "q2", mode}


def _edge_label(a: str, b: str, label: str) -> dict:
    """A yes/no label on the middle of an edge, on a white patch so the line does not cross it."""
    (xa, ya, _), (xb, yb, _) = NODES[a], NODES[b]
    return {
        "x": (xa + xb) / 2,
        "y": (ya + yb) / 2,
        "text": f"<b>{label}</b>",
        "showarrow": False,
        "bgcolor": "white",
        "font": {"size": 15},
    }


class ProcessingTree:
    """Controls ``needs_request_data`` and ``fits_budget`` (Yes/No); outputs ``mode`` and
    ``fig``."""

    def __init__(self):
        def yes_no(description, css, tooltip, value):
            control = W.ToggleButtons(
                options=[("Yes", True), ("No", False)],
                value=value,
                description=description,
                style={**LABEL_STYLE, "button_width": "auto"},
                tooltips=[tooltip, tooltip],
            )
            control.add_class(css)
            return control

        self.needs_request_data = yes_no(
            "1. Needs data that exists only at request time?",
            "mlsd-tree-needs",
            "The payment being made, this session's clicks: data you could not have had "
            "before the request arrived.",
            True,
        )
        self.fits_budget = yes_no(
            "2. Whole answer fits the latency budget?",
            "mlsd-tree-fits",
            "Items to score x milliseconds per item, against the time the requester waits.",
            False,
        )
        self.mode = W.HTML()
        self.mode.add_class("mlsd-tree-mode")
        self.fig = self._figure()
        for control in (self.needs_request_data, self.fits_budget):
            control.observe(lambda _change: self.update(), names="value")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-tree-fig")
        self.container = W.VBox([self.needs_request_data, self.fits_budget, self.mode, self.fig])
        self.container.add_class("mlsd-tree")

    def _figure(self) -> go.Figure:
        edges = [
            go.Scatter(
                x=[NODES[a][0], NODES[b][0]],
                y=[NODES[a][1], NODES[b][1]],
                mode="lines",
                line={"color": IDLE, "width": 3},
                hoverinfo="skip",
                showlegend=False,
            )
            for a, b, _label in EDGES
        ]
        nodes = go.Scatter(
            x=[x for x, _, _ in NODES.values()],
            y=[y for _, y, _ in NODES.values()],
            text=[t for _, _, t in NODES.values()],
            mode="markers+text",
            # away from the edges: the first question above, the second to its right (its
            # edges arrive from the upper left and leave downwards), the answers below
            textposition=[TEXT_POSITION.get(n, "bottom center") for n in NODES],
            hoverinfo="skip",
            showlegend=False,
            marker={"size": 26, "color": [IDLE] * len(NODES), "symbol": "square"},
        )
        return go.Figure(
            data=[*edges, nodes],
            layout={
                "title": {"text": "Which processing mode? (highlighted: your path)"},
                "xaxis": {"visible": False, "range": [-1.9, 2.6], "fixedrange": True},
                "yaxis": {"visible": False, "range": [-0.9, 2.6], "fixedrange": True},
                "annotations": [_edge_label(a, b, label) for a, b, label in EDGES],
                "height": 420,
                "margin": {"t": 50, "l": 10, "r": 10, "b": 10},
                "template": "plotly_white",
            },
        )

    def update(self) -> None:
        needs = self.needs_request_data.value
        mode, steps = processing_mode(needs, self.fits_budget.value)
        # The second question only matters when the first answer is Yes.
        self.fits_budget.disabled = not needs
        visited = _visited(mode, needs)
        answers = " → ".join(f"{s.question} <b>{'yes' if s.answer else 'no'}</b>" for s in steps)
        self.mode.value = f"<b style='font-size:1.3em'>Mode: {mode}</b><br>{answers}"
        with self.fig.batch_update():
            for trace, (a, b, _label) in zip(self.fig.data[:-1], EDGES, strict=True):
                on = a in visited and b in visited
                trace.line.color = ACTIVE if on else IDLE
                trace.line.width = 6 if on else 3
            self.fig.data[-1].marker.color = [ACTIVE if n in visited else IDLE for n in NODES]


def processing_tree() -> ProcessingTree:
    """Build the decision-tree explorer; display ``.container``."""
    return ProcessingTree()
