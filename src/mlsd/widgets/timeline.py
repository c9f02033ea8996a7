"""Section 9 widget: a 60-minute interview planner drawn as a Gantt chart."""

from __future__ import annotations

import html

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.timeline import (
    ALL_PHASES,
    BAD_TIMELINE,
    GOOD_TIMELINE,
    ORDER,
    PHASES,
    plan_from_minutes,
    plan_issues,
)
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure, slider

SAFE = plotly.colors.qualitative.Safe
COLOURS = {p: SAFE[i] for i, p in enumerate((*ORDER, "model"))}
ROWS = ["model", *ORDER]  # y categories, top to bottom after reversing the axis
PRESETS = {
    "the guide's good timeline": GOOD_TIMELINE,
    "the guide's bad timeline": BAD_TIMELINE,
}
PRESET_STORIES = {
    "the guide's good timeline": "minutes: clarify 10, architecture 15, deep dives 15, "
    "trade-offs 15, wrap-up 5",
    "the guide's bad timeline": "45 minutes on the model before anything else",
}


def _minutes(plan) -> tuple[dict, float]:
    minutes = {p: 0 for p in ORDER}
    model = 0
    for p, s, e in plan:
        if p == "model":
            model += e - s
        else:
            minutes[p] += e - s
    return minutes, model


class TimelinePlanner:
    """Controls: ``preset`` (ToggleButtons; none pressed once a slider moved), ``minutes[phase]``
    (IntSlider, minutes) and ``model_min`` (minutes of model talk before anything else).
    Outputs: ``plan`` (the segments), ``verdict``, ``issues``, ``message``, ``fig`` (Gantt).
    Show ``container``."""

    def __init__(self, preset: str = "the guide's bad timeline"):
        self._busy = False
        # Buttons, not a drop-down: JupyterLab keeps the arrow keys for its own commands.
        # No button pressed = the learner's own plan.
        self.preset = W.ToggleButtons(
            options=[(k, k) for k in PRESETS],
            value=None,
            description="Start from",
            style={**LABEL_STYLE, "button_width": "auto"},
            tooltips=[PRESET_STORIES[k] for k in PRESETS],
        )
        self.model_min = slider(
            "Model architecture first (min)", 0, 0, 60, 1, css="mlsd-timeline-model"
        )
        self.minutes = {
            p: slider(f"{PHASES[p]} (min)", 0, 0, 60, 1, css=f"mlsd-timeline-{p}") for p in ORDER
        }
        self.verdict, self.issues = W.HTML(), W.HTML()
        self.message = MessageLine("mlsd-timeline-message")
        self.plan: list = []
        self.fig = self._figure()
        for widget, css in [
            (self.preset, "mlsd-timeline-preset"),
            (self.verdict, "mlsd-timeline-verdict"),
            (self.issues, "mlsd-timeline-issues"),
        ]:
            widget.add_class(css)
        self.preset.observe(lambda _c: self.load(), names="value")
        for control in (self.model_min, *self.minutes.values()):
            control.observe(self._changed, names="value")
        self.preset.value = preset  # loads the preset and draws on the plain figure
        self.fig = live_figure(self.fig, "mlsd-timeline-fig")
        self.container = W.VBox(
            [
                self.preset,
                self.model_min,
                *self.minutes.values(),
                self.verdict,
                self.issues,
                self.message.widget,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-timeline")

    def _figure(self) -> go.Figure:
        labels = [ALL_PHASES[p] for p in ROWS]
        good = go.Bar(
            y=[ALL_PHASES[p] for p, _s, _e in GOOD_TIMELINE],
            x=[e - s for _p, s, e in GOOD_TIMELINE],
            base=[s for _p, s, _e in GOOD_TIMELINE],
            orientation="h",
            name="guide's good timeline",
            width=0.25,
            offset=0.2,
            marker={"color": "rgba(0,0,0,0)", "line": {"color": "#444", "width": 1.5}},
            hovertemplate="guide: %{base}-%{x} min<extra></extra>",
        )
        mine = go.Bar(
            y=[],
            x=[],
            base=[],
            orientation="h",
            name="your plan",
            width=0.5,
            offset=-0.3,
            marker={"color": []},
            hovertemplate="%{y}: from %{base} min, %{x} min long<extra></extra>",
        )
        return go.Figure(
            data=[good, mine],
            layout={
                "title": {"text": "Your 60-minute interview plan (bars) vs the guide's (outlines)"},
                "xaxis": {
                    "title": {"text": "time into the interview (minutes)"},
                    "range": [0, 75],
                    "dtick": 5,
                },
                "yaxis": {
                    "title": {"text": "phase"},
                    "categoryorder": "array",
                    "categoryarray": labels[::-1],
                },
                "shapes": [
                    {
                        "type": "line",
                        "x0": 60,
                        "x1": 60,
                        "y0": 0,
                        "y1": 1,
                        "yref": "paper",
                        "line": {"color": "#b00020", "dash": "dash"},
                    }
                ],
                "height": 380,
                "margin": {"t": 50, "l": 220, "r": 20, "b": 50},
                "barmode": "overlay",
                "legend": {"orientation": "h", "y": -0.25},
            },
        )

    def load(self) -> None:
        """Copy the chosen preset's minutes into the sliders."""
        if self.preset.value is None:
            return
        minutes, model = _minutes(PRESETS[self.preset.value])
        self._busy = True
        try:
            self.model_min.value = int(model)
            for p in ORDER:
                self.minutes[p].value = int(minutes[p])
        finally:
            self._busy = False
        self.update()

    def _changed(self, _change) -> None:
        if not self._busy:
            # the sliders now hold the learner's own plan: a preset button loads it again
            self.preset.value = None
            self.update()

    def update(self) -> None:
        """Rebuild the plan from the sliders, check it, redraw the Gantt in place."""
        with errors_to(self.message):
            self.plan = plan_from_minutes(
                {p: s.value for p, s in self.minutes.items()}, self.model_min.value
            )
            issues = plan_issues(self.plan) if self.plan else ["the plan is empty."]
            end = self.plan[-1][2] if self.plan else 0
            if issues:
                self.verdict.value = (
                    f"<b style='color:#b00020'>✗ Not yet ({end:g} min planned): "
                    f"{len(issues)} issue(s)</b>"
                )
            else:
                self.verdict.value = "<b style='color:#1b7837'>✓ This plan passes.</b>"
            self.issues.value = (
                "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in issues) + "</ul>"
            )
            with self.fig.batch_update():
                bars = self.fig.data[1]
                bars.y = [ALL_PHASES[p] for p, _s, _e in self.plan]
                bars.x = [e - s for _p, s, e in self.plan]
                bars.base = [s for _p, s, _e in self.plan]
                bars.marker.color = [COLOURS[p] for p, _s, _e in self.plan]


def timeline_planner(**initial) -> TimelinePlanner:
    """Build the interview planner; display ``.container``; read ``.plan``."""
    return TimelinePlanner(**initial)
