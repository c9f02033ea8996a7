"""A pattern's pipeline as stages on a latency budget: sliders per stage, a target line."""

from __future__ import annotations

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
            x, y, text = list(table["stage"]), list(table["cumulative_ms"]), _texts(table)
            target = [table.attrs["target_ms"]] * len(x)
        except ValueError:
            x, y, text, target = [], [], [], []
        return go.Figure(
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
                "xaxis": {"title": {"text": "stage (in request order)"}},
                "yaxis": {
                    "title": {"text": "time since the request arrived (ms)"},
                    "rangemode": "tozero",
                },
                "height": 400,
                "legend": {"orientation": "h", "y": -0.35},
                "margin": {"t": 60, "l": 60, "r": 20, "b": 110},
            },
        )

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
                    list(table["stage"]),
                    list(table["cumulative_ms"]),
                    _texts(table),
                )
                line.x, line.y = list(table["stage"]), [table.attrs["target_ms"]] * len(table)
            return
        self.verdict.value = "<b>Verdict: —</b> (fix the input above)"


def _texts(table) -> list[str]:
    return [
        ("offline" if off else f"+{ms:g}")
        for ms, off in zip(table["ms"], table["offline"], strict=True)
    ]


def pipeline_budget(key="recommendations") -> PipelineBudget:
    """Build the per-stage latency budget for one pattern; display ``.container``."""
    return PipelineBudget(key)
