"""The fraud threshold explorer: a threshold, a model and a base rate drive the metrics and
the precision-recall and ROC curves.

The ROC's false-positive axis is logarithmic: the guide's target (under 2 % false
positives) is a sliver at the left edge of a linear axis, and at a 0.1 % fraud rate the
differences that matter are between 0.1 % and 2 %. The precision-recall panel draws the
curve twice: on the sample (fraud over-represented, as in most studies) and at the base
rate you set, where the same detector's precision collapses.
"""

from __future__ import annotations

import math

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd import base_rates
from mlsd.fraud import TARGET_FPR, TARGET_RECALL, ThresholdTable, curves
from mlsd.widgets.common import (
    CORNER_TICK_STANDOFF,
    LABEL_STYLE,
    WIDE,
    MessageLine,
    errors_to,
    live_figure,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
CURVE, DEPLOYED, POINT, TARGET, ROC = SAFE[0], SAFE[1], SAFE[8], SAFE[3], SAFE[4]


class ThresholdExplorer:
    """Controls ``threshold`` (slider), ``model`` (toggle, when several score sets are
    given), ``prevalence`` (base rate, log slider) and ``volume`` (events per day, log
    slider); outputs ``metrics`` (HTML), ``message`` and ``fig`` (left: precision-recall on
    the sample and at the base rate; right: ROC on a log false-positive axis)."""

    def __init__(
        self,
        y_true,
        scores,
        threshold=0.5,
        title="model scores",
        prevalence=0.001,
        events_per_day=150e6,
    ):
        self.score_sets = scores if isinstance(scores, dict) else {title: scores}
        self._rocs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.tables = {name: ThresholdTable(y_true, s) for name, s in self.score_sets.items()}
        first = next(iter(self.tables))
        self.model = W.ToggleButtons(
            options=list(self.tables), value=first, description="Model", style=LABEL_STYLE
        )
        self.model.add_class("mlsd-fraud-model")
        if len(self.tables) == 1:
            self.model.layout.display = "none"
        self.threshold = slider(
            "Flag when score ≥",
            float(threshold),
            0.0,
            1.0,
            0.001,
            css="mlsd-fraud-threshold",
            tooltip="events at or above this score are flagged",
            readout_format=".3f",
        )
        self.prevalence = W.FloatLogSlider(
            value=prevalence,
            base=10,
            min=-4,
            max=-1,
            step=0.05,
            description="Fraud base rate in production",
            readout_format=".2%",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.prevalence.add_class("mlsd-fraud-prevalence")
        self.volume = W.BoundedFloatText(
            value=events_per_day,
            min=1.0,
            max=1e10,
            step=1e6,
            description="Transactions per day",
            style=LABEL_STYLE,
        )
        self.volume.add_class("mlsd-fraud-volume")
        self.metrics = W.HTML()
        self.metrics.add_class("mlsd-fraud-metrics")
        self.message = MessageLine("mlsd-fraud-message")
        self.fig = self._figure(title)
        self.model.observe(lambda _c: self.update(curves_too=True), names="value")
        self.prevalence.observe(lambda _c: self.update(curves_too=True), names="value")
        for control in (self.threshold, self.volume):
            control.observe(lambda _c: self.update(), names="value")
        self.update(curves_too=True)  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-fraud-fig")
        self.container = W.VBox(
            [
                self.model,
                self.threshold,
                self.prevalence,
                self.volume,
                self.metrics,
                self.message.widget,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-fraud")

    @property
    def table(self) -> ThresholdTable:
        return self.tables[self.model.value]

    def _fpr_floor(self) -> float:
        """The left end of the log axis: half the smallest non-zero FPR this sample can show."""
        return 0.5 / max(min(t.n_neg for t in self.tables.values()), 1)

    def _figure(self, title) -> go.Figure:
        low = self._fpr_floor()
        line = {"mode": "lines"}
        return go.Figure(
            data=[
                go.Scatter(
                    x=[],
                    y=[],
                    name="PR on this sample",
                    line={"color": CURVE, "width": 3},
                    **line,
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    name="PR at the base rate",
                    line={"color": DEPLOYED, "width": 3, "dash": "dot"},
                    **line,
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="markers",
                    name="current threshold",
                    marker={"color": POINT, "size": 12},
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="markers",
                    showlegend=False,
                    marker={
                        "color": POINT,
                        "size": 12,
                        "symbol": "diamond-open",
                        "line": {"width": 2},
                    },
                    xaxis="x",
                    yaxis="y",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    name="ROC curve",
                    line={"color": ROC, "width": 3},
                    **line,
                    xaxis="x2",
                    yaxis="y2",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="markers",
                    showlegend=False,
                    marker={"color": POINT, "size": 12},
                    xaxis="x2",
                    yaxis="y2",
                ),
                go.Scatter(
                    x=[low, TARGET_FPR, TARGET_FPR, low, low],
                    y=[TARGET_RECALL, TARGET_RECALL, 1, 1, TARGET_RECALL],
                    fill="toself",
                    mode="lines",
                    line={"color": TARGET, "dash": "dash"},
                    name="target: >90% caught at <2% false positives",
                    xaxis="x2",
                    yaxis="y2",
                ),
            ],
            layout={
                "title": {"text": f"Precision-recall and ROC ({title})"},
                "xaxis": {
                    "domain": [0, 0.42],
                    "title": {"text": "recall<br>(share of fraud caught)"},
                    "range": [0, 1.02],
                    "ticklabelstandoff": CORNER_TICK_STANDOFF,
                },
                "yaxis": {
                    "title": {"text": "precision<br>(share of flags that are fraud)"},
                    "range": [0, 1.02],
                },
                "xaxis2": {
                    "domain": [0.56, 1],
                    "type": "log",
                    "range": [math.log10(low), 0],
                    "title": {"text": "false positive rate<br>(fraction, log scale)"},
                    # Explicit ticks: a percentage format would print the axis' left end
                    # (half of one negative in the sample) as "0%", which a log axis never is.
                    "tickvals": [1e-4, 1e-3, 1e-2, 1e-1, 1],
                    "ticktext": ["0.01%", "0.1%", "1%", "10%", "100%"],
                    "ticklabelstandoff": CORNER_TICK_STANDOFF,
                },
                "yaxis2": {
                    "anchor": "x2",
                    "title": {"text": "recall<br>(true positive rate)"},
                    "range": [0, 1.02],
                },
                # Two-line axis titles and the legend at the bottom of the figure, under
                # them: in presenter mode's 18 px font a one-line title is wider than a panel.
                "height": 560,
                "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                "margin": {"t": 60, "l": 80, "r": 20, "b": 190},
            },
        )

    def _roc(self) -> tuple[np.ndarray, np.ndarray]:
        """(fpr, tpr) at each distinct threshold of the current model (cached per model)."""
        name = self.model.value
        if name not in self._rocs:
            c = curves(self.table.y, self.table.scores)
            self._rocs[name] = (c["fpr"], c["tpr"])
        return self._rocs[name]

    def _draw_curves(self) -> None:
        # Both precision-recall curves come from the ROC points through Bayes' rule: precision
        # depends on recall, FPR and the base rate only, so one set of points serves both.
        fpr, tpr = self._roc()
        table = self.table
        sample_rate = table.n_pos / (table.n_pos + table.n_neg)
        p = self.prevalence.value
        flagged = (tpr > 0) | (fpr > 0)
        on_sample = [base_rates.precision(r, f, sample_rate) for r, f in zip(tpr, fpr, strict=True)]
        deployed = [base_rates.precision(r, f, p) for r, f in zip(tpr, fpr, strict=True)]
        floor = self._fpr_floor()
        shown = fpr > 0  # a log axis cannot draw 0
        pr, at_rate, _, _, roc, *_ = self.fig.data
        pr.x, pr.y = tpr[flagged], np.asarray(on_sample)[flagged]
        at_rate.x, at_rate.y = tpr[flagged], np.asarray(deployed)[flagged]
        at_rate.name = f"PR at {p:.2%} fraud"
        roc.x = np.concatenate([[floor], fpr[shown]])
        roc.y = np.concatenate([[tpr[~shown].max(initial=0.0)], tpr[shown]])

    def update(self, curves_too: bool = False) -> None:
        with errors_to(self.message):
            conf = self.table.confusion(self.threshold.value)
            point = base_rates.operating_point(
                conf.recall, conf.fpr, self.prevalence.value, self.volume.value
            )
            self.metrics.value = _metrics_html(conf, point, self.table)
            with self.fig.batch_update():
                if curves_too:
                    self._draw_curves()
                data = self.fig.data
                data[2].x, data[2].y = [conf.recall], [conf.precision]
                data[3].x, data[3].y = [conf.recall], [point.precision]
                data[5].x, data[5].y = [max(conf.fpr, self._fpr_floor())], [conf.recall]
            return
        self.metrics.value = "<b>metrics: —</b> (fix the input above)"


def _metrics_html(conf, point, table) -> str:
    meets = conf.recall > TARGET_RECALL and conf.fpr < TARGET_FPR
    mark = "✓ meets" if meets else "✗ misses"
    sample_rate = table.n_pos / (table.n_pos + table.n_neg)
    return (
        f"<b>recall</b> {conf.recall:.3f} · <b>false positive rate</b> {conf.fpr:.3%} · "
        f"flagged {conf.tp + conf.fp} (TP {conf.tp}, FP {conf.fp}, FN {conf.fn}) — "
        f"{mark} the target (&gt;90% caught at &lt;2% false positives)<br>"
        f"<b>on this sample</b> ({sample_rate:.1%} fraud): precision {conf.precision:.3f} · "
        f"F1 {conf.f1:.3f}<br>"
        f"<b>in production</b> ({point.prevalence:.2%} fraud, "
        f"{point.events_per_day:,.0f} a day): precision <b>{point.precision:.1%}</b> · "
        f"legitimate payments declined <b>{point.false_alarms_per_day:,.0f}</b> a day · "
        f"fraud caught {point.caught_per_day:,.0f}, missed {point.missed_per_day:,.0f} a day"
    )


def threshold_explorer(y_true, scores, **kw) -> ThresholdExplorer:
    """Build the explorer for labels and scores (an array, or a dict of name -> scores to
    compare models); display ``.container``."""
    if isinstance(scores, dict):
        scores = {name: np.asarray(s) for name, s in scores.items()}
    else:
        scores = np.asarray(scores)
    return ThresholdExplorer(np.asarray(y_true), scores, **kw)
