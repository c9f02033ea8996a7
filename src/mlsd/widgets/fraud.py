"""The fraud threshold explorer: one slider drives the metrics and the PR and ROC curves."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd.fraud import TARGET_FPR, TARGET_RECALL, ThresholdTable, curves
from mlsd.widgets.common import MessageLine, errors_to, live_figure, slider

SAFE = plotly.colors.qualitative.Safe
CURVE, POINT, TARGET = SAFE[0], SAFE[8], SAFE[3]


class ThresholdExplorer:
    """Control ``threshold`` (slider); outputs ``metrics`` (HTML), ``message``, ``fig``
    (left: precision-recall curve, right: ROC curve, each with the current point)."""

    def __init__(self, y_true, scores, threshold=0.5, title="model scores"):
        self.table = ThresholdTable(y_true, scores)
        c = curves(self.table.y, self.table.scores)
        self.threshold = slider(
            "Flag when score ≥",
            float(threshold),
            0.0,
            1.0,
            0.005,
            css="mlsd-fraud-threshold",
            tooltip="events at or above this score are flagged",
            readout_format=".3f",
        )
        self.metrics = W.HTML()
        self.metrics.add_class("mlsd-fraud-metrics")
        self.message = MessageLine("mlsd-fraud-message")
        self.fig = self._figure(c, title)
        self.threshold.observe(lambda _c: self.update(), names="value")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-fraud-fig")
        self.container = W.VBox([self.threshold, self.metrics, self.message.widget, self.fig])
        self.container.add_class("mlsd-fraud")

    def _figure(self, c, title) -> go.Figure:
        conf = self.table.confusion(self.threshold.value)
        fig = go.Figure(
            data=[
                go.Scatter(
                    x=c["recall"],
                    y=c["precision"],
                    mode="lines",
                    name="PR curve",
                    line={"color": CURVE, "width": 3},
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=[conf.recall],
                    y=[conf.precision],
                    mode="markers",
                    name="current threshold",
                    marker={"color": POINT, "size": 13},
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=c["fpr"],
                    y=c["tpr"],
                    mode="lines",
                    name="ROC curve",
                    line={"color": SAFE[4], "width": 3},
                    xaxis="x2",
                    yaxis="y2",
                ),
                go.Scatter(
                    x=[conf.fpr],
                    y=[conf.recall],
                    mode="markers",
                    showlegend=False,
                    marker={"color": POINT, "size": 13},
                    xaxis="x2",
                    yaxis="y2",
                ),
                go.Scatter(
                    x=[0, TARGET_FPR, TARGET_FPR, 0, 0],
                    y=[TARGET_RECALL, TARGET_RECALL, 1, 1, TARGET_RECALL],
                    fill="toself",
                    mode="lines",
                    line={"color": TARGET, "dash": "dash"},
                    name="target: >90% detection, <2% false positives",
                    xaxis="x2",
                    yaxis="y2",
                ),
            ],
            layout={
                "title": {"text": f"Precision-recall and ROC curves ({title})"},
                "xaxis": {
                    "domain": [0, 0.45],
                    "title": {"text": "recall (share of positives caught)"},
                    "range": [0, 1.02],
                },
                "yaxis": {
                    "title": {"text": "precision (share of flags that are right)"},
                    "range": [0, 1.02],
                },
                "xaxis2": {
                    "domain": [0.55, 1],
                    "title": {"text": "false positive rate (share of negatives flagged)"},
                    "range": [0, 1.02],
                },
                "yaxis2": {
                    "anchor": "x2",
                    "title": {"text": "true positive rate (share caught)"},
                    "range": [0, 1.02],
                },
                "height": 430,
                "legend": {"orientation": "h", "y": -0.25},
                "margin": {"t": 60, "l": 60, "r": 20, "b": 90},
            },
        )
        return fig

    def update(self) -> None:
        with errors_to(self.message):
            conf = self.table.confusion(self.threshold.value)
            meets = conf.recall > TARGET_RECALL and conf.fpr < TARGET_FPR
            mark = "✓ meets" if meets else "✗ misses"
            self.metrics.value = (
                f"<b>precision</b> {conf.precision:.3f} · <b>recall</b> {conf.recall:.3f} · "
                f"<b>F1</b> {conf.f1:.3f} · <b>false positive rate</b> {conf.fpr:.3%} · "
                f"flagged {conf.tp + conf.fp} (TP {conf.tp}, FP {conf.fp}, FN {conf.fn}) — "
                f"{mark} the target (&gt;90% detection at &lt;2% false positives)"
            )
            with self.fig.batch_update():
                self.fig.data[1].x, self.fig.data[1].y = [conf.recall], [conf.precision]
                self.fig.data[3].x, self.fig.data[3].y = [conf.fpr], [conf.recall]
            return
        self.metrics.value = "<b>metrics: —</b> (fix the input above)"


def threshold_explorer(y_true, scores, **kw) -> ThresholdExplorer:
    """Build the threshold explorer for labels and scores; display ``.container``."""
    return ThresholdExplorer(np.asarray(y_true), np.asarray(scores), **kw)
