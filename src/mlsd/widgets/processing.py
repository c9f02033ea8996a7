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
    "q1": (0.0, 2.0, "Brand-new event,<br>decide at once?"),
    "real-time": (-1.0, 1.0, "<b>Real-time</b><br>fraud checks, ad serving"),
    "q2": (1.0, 1.0, "Can results be<br>precomputed?"),
    "batch": (0.3, 0.0, "<b>Batch</b><br>daily reports, email campaigns"),
    "hybrid": (1.7, 0.0, "<b>Hybrid</b><br>recommendations from<br>precomputed candidates"),
}
EDGES = (
    ("q1", "real-time", "yes"),
    ("q1", "q2", "no"),
    ("q2", "batch", "yes"),
    ("q2", "hybrid", "no"),
)


def _visited(mode: str, immediate: bool) -> set[str]:
    return {"q1", "real-time"} if immediate else {"q1", "q2", mode}


class ProcessingTree:
    """Controls ``immediate`` and ``precomputable`` (Yes/No); outputs ``mode`` and ``fig``."""

    def __init__(self):
        def yes_no(description, css, tooltip):
            control = W.ToggleButtons(
                options=[("Yes", True), ("No", False)],
                value=False,
                description=description,
                style=LABEL_STYLE,
                tooltips=[tooltip, tooltip],
            )
            control.add_class(css)
            return control

        self.immediate = yes_no(
            "Brand-new event, decide at once?",
            "mlsd-tree-immediate",
            "Does the answer depend on something that just happened, with someone waiting?",
        )
        self.precomputable = yes_no(
            "Can results be precomputed?",
            "mlsd-tree-precomputable",
            "Are all inputs known ahead of time, so results can be computed in advance?",
        )
        self.mode = W.HTML()
        self.mode.add_class("mlsd-tree-mode")
        self.fig = self._figure()
        for control in (self.immediate, self.precomputable):
            control.observe(lambda _change: self.update(), names="value")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-tree-fig")
        self.container = W.VBox([self.immediate, self.precomputable, self.mode, self.fig])
        self.container.add_class("mlsd-tree")

    def _figure(self) -> go.Figure:
        edges = [
            go.Scatter(
                x=[NODES[a][0], NODES[b][0]],
                y=[NODES[a][1], NODES[b][1]],
                mode="lines+text",
                text=["", label],
                textposition="middle left",
                line={"color": IDLE, "width": 3},
                hoverinfo="skip",
                showlegend=False,
            )
            for a, b, label in EDGES
        ]
        nodes = go.Scatter(
            x=[x for x, _, _ in NODES.values()],
            y=[y for _, y, _ in NODES.values()],
            text=[t for _, _, t in NODES.values()],
            mode="markers+text",
            textposition="bottom center",
            hoverinfo="skip",
            showlegend=False,
            marker={"size": 26, "color": [IDLE] * len(NODES), "symbol": "square"},
        )
        return go.Figure(
            data=[*edges, nodes],
            layout={
                "title": {"text": "Which processing mode? (highlighted: your path)"},
                "xaxis": {"visible": False, "range": [-1.8, 2.5]},
                "yaxis": {"visible": False, "range": [-0.8, 2.4]},
                "height": 380,
                "margin": {"t": 50, "l": 10, "r": 10, "b": 10},
            },
        )

    def update(self) -> None:
        mode, steps = processing_mode(self.immediate.value, self.precomputable.value)
        # The second question only matters when the first answer is No.
        self.precomputable.disabled = self.immediate.value
        visited = _visited(mode, self.immediate.value)
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
