"""A pattern's pipeline as stages on a latency budget: sliders per stage, a target line."""

from __future__ import annotations

import textwrap

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.pipelines import PATTERNS, budget_table, pattern, verdict
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure, slider

SAFE = plotly.colors.qualitative.Safe
MAX_STAGES = max(len(p.stages) for p in PATTERNS.values())
FIT, OVER = SAFE[3], SAFE[8]


class PipelineBudget:
    """Controls ``pattern`` (dropdown), ``target`` and ``stages`` (one slider per stage, ms);
    outputs ``verdict``, ``message`` and ``fig`` (cumulative time per stage vs the target)."""

    def __init__(self, key="recommendations"):
        pat = pattern(key)
        self.pattern = W.Dropdown(
            options=[(p.title, k) for k, p in PATTERNS.items()],
            value=key,
            description="Pattern",
            style=LABEL_STYLE,
        )
        self.pattern.add_class("mlsd-pipeline-pattern")
        self.target = slider(
            "End-to-end target (ms)", pat.target_ms, 0.0, 1000.0, 1.0, css="mlsd-pipeline-target"
        )
        self.stages = [
            slider(f"stage {i + 1} (ms)", 0.0, 0.0, 300.0, 0.5, css=f"mlsd-pipeline-stage-{i + 1}")
            for i in range(MAX_STAGES)
        ]
        self.verdict = W.HTML()
        self.verdict.add_class("mlsd-pipeline-verdict")
        self.message = MessageLine("mlsd-pipeline-message")
        self._hold = True
        self._load(key)
        self.fig = self._figure()
        self._hold = False
        self.pattern.observe(lambda c: self._switch(c["new"]), names="value")
        for control in [self.target, *self.stages]:
            control.observe(lambda _c: self.update(), names="value")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-pipeline-fig")
        self.container = W.VBox(
            [self.pattern, self.target, *self.stages, self.verdict, self.message.widget, self.fig]
        )
        self.container.add_class("mlsd-pipeline")

    def _load(self, key) -> None:
        pat = pattern(key)
        self.target.value = pat.target_ms
        for i, control in enumerate(self.stages):
            if i < len(pat.stages):
                stage = pat.stages[i]
                control.description = f"{stage.name} (ms)" + (" · offline" if stage.offline else "")
                control.value = stage.ms
                control.layout.display = None
            else:
                control.value = 0.0
                control.layout.display = "none"

    def _switch(self, key) -> None:
        self._hold = True
        try:
            self._load(key)
        finally:
            self._hold = False
        self.update()

    def _table(self):
        pat = pattern(self.pattern.value)
        values = {s.name: self.stages[i].value for i, s in enumerate(pat.stages)}
        return budget_table(pat.key, values, self.target.value)

    def _figure(self) -> go.Figure:
        try:
            table = self._table()
            x, y, text = _labels(table), list(table["cumulative_ms"]), _texts(table)
            target = [table.attrs["target_ms"]] * len(x)
        except ValueError:
            x, y, text, target = [], [], [], []
        fig = go.Figure(
            data=[
                go.Bar(
                    x=x,
                    y=y,
                    text=text,
                    textposition="outside",
                    name="time used so far",
                    marker={"color": SAFE[0]},
                ),
                go.Scatter(
                    x=x,
                    y=target,
                    mode="lines",
                    name="end-to-end target",
                    line={"color": OVER, "dash": "dash", "width": 3},
                ),
            ],
            layout={
                "title": {"text": "Cumulative latency along the pipeline (dashed: the target)"},
                # Stage names are wrapped onto short lines and kept horizontal, with room
                # below: long rotated labels were cut at the chart's edge.
                "xaxis": {
                    "title": {"text": "stage (in request order)"},
                    "tickangle": 0,
                    "automargin": True,
                },
                "yaxis": {
                    "title": {"text": "time since the request arrived (ms)"},
                    "rangemode": "tozero",
                    "automargin": True,
                },
                "height": 430,
                "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
                "margin": {"t": 90, "l": 60, "r": 20, "b": 60},
            },
        )
        if not x:  # say so in words rather than draw empty axes running from -1 to 6
            _say_instead(fig, "Nothing to draw: fix the input above.")
        return fig

    def update(self) -> None:
        if self._hold:
            return
        with errors_to(self.message):
            table = self._table()
            fits, text = verdict(table)
            colour, mark = (FIT, "✓") if fits else (OVER, "✗")
            self.verdict.value = f"<b style='color:{colour}'>{mark} {text}</b>"
            with self.fig.batch_update():
                bars, line = self.fig.data
                bars.x, bars.y, bars.text = (
                    _labels(table),
                    list(table["cumulative_ms"]),
                    _texts(table),
                )
                line.x, line.y = _labels(table), [table.attrs["target_ms"]] * len(table)
                if self.fig.layout.annotations:  # the opening state was the sentence
                    self.fig.layout.annotations = []
                    self.fig.layout.xaxis.visible = self.fig.layout.yaxis.visible = True
            return
        self.verdict.value = "<b>Verdict: —</b> (fix the input above)"


def _labels(table) -> list[str]:
    """Stage names wrapped at about 14 characters a line, for horizontal tick labels."""
    return [textwrap.fill(name, 14).replace("\n", "<br>") for name in table["stage"]]


def _say_instead(fig: go.Figure, sentence: str) -> None:
    fig.update_layout(
        xaxis_visible=False,
        yaxis_visible=False,
        annotations=[
            {
                "text": sentence,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 16},
            }
        ],
    )


def _texts(table) -> list[str]:
    return [
        ("offline" if off else f"+{ms:g}")
        for ms, off in zip(table["ms"], table["offline"], strict=True)
    ]


def pipeline_budget(key="recommendations") -> PipelineBudget:
    """Build the per-stage latency budget for one pattern; display ``.container``."""
    return PipelineBudget(key)
