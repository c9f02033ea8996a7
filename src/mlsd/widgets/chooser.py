"""The model chooser: latency, accuracy and cost controls driving ``mlsd.chooser``."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.chooser import CANDIDATES, COST_BUDGETS, PRESETS, choose_model
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure, observe_all

SAFE = plotly.colors.qualitative.Safe
IDLE_COLOUR, CHOSEN_COLOUR = "#bbbbbb", SAFE[1]  # apart under all common colour-vision deficiencies
BUDGET_COLOUR, REQUIREMENT_COLOUR = SAFE[0], SAFE[2]
ACCURACY_RANGE = (80.0, 100.0)
LATENCY_RANGE_MS = (0.3, 10_000.0)


def _line(x, y, name, colour, dash):
    return go.Scatter(
        x=x, y=y, mode="lines", name=name, line={"color": colour, "dash": dash, "width": 2}
    )


class ModelChooser:
    """Controls (``preset``, ``latency_ms``, ``accuracy_pct``, ``cost``) and outputs
    (``decision``, ``path``, ``message``, ``fig``); ``container`` is what to display."""

    def __init__(self, latency_ms=100.0, accuracy_pct=85.0, cost="medium"):
        # Buttons, not a drop-down: in JupyterLab's command mode the arrow keys move between
        # cells, so a focused <select> never sees them; Space or Enter on a button works
        # everywhere. No button is pressed (value None) until an example is picked.
        self.preset = W.ToggleButtons(
            options=[(p.name, p) for p in PRESETS],
            value=None,
            description="Real example",
            style={**LABEL_STYLE, "button_width": "auto"},  # whole names, never cut
            tooltips=[p.story for p in PRESETS],
        )
        self.latency_ms = W.BoundedFloatText(
            value=latency_ms,
            min=-1e9,
            max=1e9,
            step=0.1,
            description="Latency budget (ms)",
            style=LABEL_STYLE,
        )
        self.latency_slider = W.FloatLogSlider(
            value=latency_ms,
            base=10,
            min=0,
            max=4,
            step=0.01,
            description="… or drag (ms)",
            style=LABEL_STYLE,
            layout=W.Layout(width="min(100%, 560px)"),
        )
        self.accuracy_pct = W.FloatSlider(
            value=accuracy_pct,
            min=50,
            max=100,
            step=0.5,
            description="Accuracy requirement (%)",
            style=LABEL_STYLE,
            layout=W.Layout(width="min(100%, 560px)"),
        )
        self.cost = W.ToggleButtons(
            options=list(COST_BUDGETS),
            value=cost,
            description="Cost budget",
            style={**LABEL_STYLE, "button_width": "auto"},
            tooltips=[
                "spend as little as possible",
                "a normal budget",
                "accuracy is worth paying for",
            ],
        )
        self.decision = W.HTML()
        self.path = W.HTML()
        self.message = MessageLine("mlsd-chooser-message")
        self.fig = self._figure()
        for widget, css in [
            (self.preset, "mlsd-chooser-preset"),
            (self.latency_ms, "mlsd-chooser-latency"),
            (self.latency_slider, "mlsd-chooser-latency-slider"),
            (self.accuracy_pct, "mlsd-chooser-accuracy"),
            (self.cost, "mlsd-chooser-cost"),
            (self.decision, "mlsd-chooser-decision"),
            (self.path, "mlsd-chooser-path"),
        ]:
            widget.add_class(css)
        # Two views of one value (typed and dragged); each follows the other.
        self.latency_slider.observe(self._slider_moved, names="value")
        self.latency_ms.observe(self._typed, names="value")
        self.preset.observe(self._apply_preset, names="value")
        observe_all([self.latency_ms, self.accuracy_pct, self.cost], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-chooser-fig")
        self.container = W.VBox(
            [
                self.preset,
                self.latency_ms,
                self.latency_slider,
                self.accuracy_pct,
                self.cost,
                self.decision,
                self.path,
                self.message.widget,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-chooser")

    def _figure(self) -> go.Figure:
        # Everything the first paint needs goes into the constructor: Voila drops changes
        # made to a FigureWidget before it is displayed.
        candidates = go.Scatter(
            x=[c.latency_ms for c in CANDIDATES],
            y=[c.accuracy_pct for c in CANDIDATES],
            mode="markers+text",
            text=[c.name for c in CANDIDATES],
            textposition="top center",
            customdata=[c.note for c in CANDIDATES],
            hovertemplate="%{text}<br>%{x} ms, %{y}%<br>%{customdata}<extra></extra>",
            marker={"size": 12, "color": [IDLE_COLOUR] * len(CANDIDATES), "symbol": "circle"},
            name="candidate models",
        )
        chosen = go.Scatter(
            x=[],
            y=[],
            mode="markers",
            name="chosen",
            marker={
                "size": 24,
                "color": CHOSEN_COLOUR,
                "symbol": "star",
                "line": {"width": 1, "color": "black"},
            },
        )
        fig = go.Figure(
            data=[
                _line([], list(ACCURACY_RANGE), "latency budget", BUDGET_COLOUR, "dash"),
                _line(
                    list(LATENCY_RANGE_MS), [], "accuracy requirement", REQUIREMENT_COLOUR, "dot"
                ),
                candidates,
                chosen,
            ],
            layout={
                "title": {"text": "Model families as the guide places them (section 3 measures)"},
                "xaxis": {
                    "title": {"text": "latency the guide's tiers give them (ms, log scale)"},
                    "type": "log",
                    "range": [-1.1, 4],
                },
                "yaxis": {"title": {"text": "accuracy (%)"}, "range": [80, 100]},
                "height": 420,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 50},
                "legend": {"orientation": "h", "y": -0.2},
            },
        )
        return fig

    def _slider_moved(self, change) -> None:
        # Compare with the unrounded value: the echo of a typed 7161.115 must not round it.
        if abs(self.latency_ms.value - change["new"]) > 0.005:
            self.latency_ms.value = round(change["new"], 2)

    def _typed(self, change) -> None:
        lo, hi = 10**self.latency_slider.min, 10**self.latency_slider.max
        if lo <= change["new"] <= hi and abs(self.latency_slider.value - change["new"]) > 0.005:
            self.latency_slider.value = change["new"]

    def _apply_preset(self, change) -> None:
        preset = change["new"]
        if preset is None:
            return
        with self.fig.batch_update():
            self.latency_ms.value = preset.latency_budget_ms
            self.accuracy_pct.value = preset.accuracy_requirement_pct
            self.cost.value = preset.cost_budget
        self.message.info(f"{preset.name}: {preset.story}.")

    def update(self) -> None:
        """Recompute the decision and redraw; a bad input shows in the message line."""
        with errors_to(self.message):
            decision = choose_model(self.latency_ms.value, self.accuracy_pct.value, self.cost.value)
            chosen = decision.candidate
            self.decision.value = (
                f"<b style='font-size:1.3em'>Decision: {chosen.name}</b> "
                f"<code>{decision.key}</code> — {chosen.note}"
            )
            self.path.value = (
                "<ol>" + "".join(f"<li>{step}</li>" for step in decision.path) + "</ol>"
            )
            colours = [CHOSEN_COLOUR if c.key == chosen.key else IDLE_COLOUR for c in CANDIDATES]
            with self.fig.batch_update():
                budget, requirement, candidates, star = self.fig.data
                budget.x = [self.latency_ms.value] * 2
                requirement.y = [self.accuracy_pct.value] * 2
                candidates.marker.color = colours
                star.x, star.y = [chosen.latency_ms], [chosen.accuracy_pct]
            return
        # Invalid input: keep the chart but clear the decision so nothing stale is shown.
        self.decision.value = "<b>Decision: —</b>"
        self.path.value = ""


def model_chooser(**initial) -> ModelChooser:
    """Build the model chooser; display ``.container``."""
    return ModelChooser(**initial)
