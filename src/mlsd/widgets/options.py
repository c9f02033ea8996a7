"""The options table (tip 3): filter the guide's options by latency and accuracy, then pick."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.options import evaluate_options, explain_ranked, guide_options, pick_ranked
from mlsd.widgets.common import MessageLine, errors_to, live_figure, observe_all, slider

SAFE = plotly.colors.qualitative.Safe
PASS_COLOUR, FAIL_COLOUR, CHOSEN_COLOUR = SAFE[0], "#999999", SAFE[1]
BUDGET_COLOUR, BAR_COLOUR = SAFE[2], SAFE[4]


class OptionsTable:
    """Controls ``latency_budget`` (ms) and ``accuracy_requirement`` (%); outputs ``table``
    (HTML), ``decision``, ``message`` and ``fig`` (options with the two limits)."""

    def __init__(self, latency_budget_ms=150.0, accuracy_requirement_pct=88.0, table=None):
        self.options = guide_options() if table is None else table
        self.latency_budget = slider(
            "Latency budget (ms)", float(latency_budget_ms), 0.0, 400.0, 5.0,
            css="mlsd-options-latency",
        )  # fmt: skip
        self.accuracy_requirement = slider(
            "Accuracy requirement (%)", float(accuracy_requirement_pct), 70.0, 100.0, 0.5,
            css="mlsd-options-accuracy",
        )  # fmt: skip
        self.table = W.HTML()
        self.table.add_class("mlsd-options-table")
        self.decision = W.HTML()
        self.decision.add_class("mlsd-options-decision")
        self.message = MessageLine("mlsd-options-message")
        self.fig = self._figure()
        observe_all([self.latency_budget, self.accuracy_requirement], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-options-fig")
        self.container = W.VBox(
            [
                self.latency_budget,
                self.accuracy_requirement,
                self.decision,
                self.message.widget,
                self.table,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-options")

    def _figure(self) -> go.Figure:
        t = self.options
        return go.Figure(
            data=[
                go.Scatter(
                    x=list(t["latency_ms"]),
                    y=list(t["accuracy_pct"]),
                    text=list(t["option"]),
                    mode="markers+text",
                    textposition="top center",
                    marker={"size": 14, "color": [FAIL_COLOUR] * len(t)},
                    name="options",
                    hovertemplate="%{text}: %{x} ms, %{y}%<extra></extra>",
                ),
                go.Scatter(
                    x=[],
                    y=[70, 100],
                    mode="lines",
                    name="latency budget",
                    line={"color": BUDGET_COLOUR, "dash": "dash"},
                ),
                go.Scatter(
                    x=[0, 400],
                    y=[],
                    mode="lines",
                    name="accuracy requirement",
                    line={"color": BAR_COLOUR, "dash": "dot"},
                ),
            ],  # fmt: skip
            layout={
                "title": {"text": "Options that pass sit left of the budget and above the bar"},
                "xaxis": {"title": {"text": "latency (ms)"}, "range": [0, 400]},
                "yaxis": {"title": {"text": "accuracy (%)"}, "range": [69, 101]},  # slider range
                "height": 380,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 50},
                "legend": {"orientation": "h", "y": -0.25},
            },
        )

    def update(self) -> None:
        budget, bar = self.latency_budget.value, self.accuracy_requirement.value
        with errors_to(self.message):
            ranked = evaluate_options(self.options, budget, bar)
            choice = pick_ranked(ranked)
            self.decision.value = f"<b>{explain_ranked(ranked, budget, bar)}</b>"
            self.table.value = ranked[["option", "latency_ms", "accuracy_pct", "why"]].to_html(
                index=False, escape=True
            )
            colours = []
            for name, passes in zip(
                self.options["option"],
                self.options["option"].map(
                    dict(zip(ranked["option"], ranked["passes"], strict=True))
                ),
                strict=True,
            ):
                colours.append(
                    CHOSEN_COLOUR if name == choice else PASS_COLOUR if passes else FAIL_COLOUR
                )
            with self.fig.batch_update():
                self.fig.data[0].marker.color = colours
                self.fig.data[1].x = [budget, budget]
                self.fig.data[2].y = [bar, bar]
            return
        self.decision.value = "<b>Decision: —</b>"


def options_table(**initial) -> OptionsTable:
    """Build the options table; display ``.container``."""
    return OptionsTable(**initial)
