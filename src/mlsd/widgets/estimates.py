"""The calculator set (tip 7): every back-of-envelope estimate, its work shown, one widget.

Build it empty (``estimate_calculator()``), from a preset of the guide's numbers, from a
requirements record (tip 1) or with explicit initial values: section 10's worksheets pass a
practice problem's numbers as keyword arguments.
"""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.estimates import DEFAULTS, PRESETS, estimate_all, format_count, servers
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure, observe_all

SAFE = plotly.colors.qualitative.Safe
LINE_COLOUR, POINT_COLOUR = SAFE[0], SAFE[1]
PEAK_FACTORS = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]

# (input name, label with unit); grouped as the tabs show them.
GROUPS = {
    "Traffic & servers": (
        ("daily_active_users", "Daily active users"),
        ("actions_per_user_per_day", "Requests per user per day"),
        ("peak_factor", "Peak factor (× average, 2–5 usual)"),
        ("bytes_per_request", "Response size (bytes)"),
        ("per_server_qps", "Throughput of one server (requests/s)"),
        ("headroom", "Headroom kept free (fraction, 0–1)"),
        ("latency_ms", "p99 latency (ms)"),
        ("p99_to_mean", "p99 ÷ mean latency (ratio; 2–3 for a steady service)"),
    ),
    "Data & training": (
        ("examples_per_day", "New examples per day"),
        ("bytes_per_example", "Bytes per example"),
        ("retention_days", "Retention (days)"),
        ("replication", "Replication (copies)"),
        ("epochs", "Epochs"),
        ("examples_per_second", "Training throughput (examples/s per worker)"),
        ("workers", "Workers"),
    ),
    "Memory & cache": (
        ("entities", "Users (or items) with an embedding"),
        ("dimensions", "Embedding dimensions"),
        ("bytes_per_value", "Bytes per value (float32 = 4)"),
        ("catalogue_items", "Items that can be cached"),
        ("target_hit_rate", "Target cache hit rate (0–1)"),
        ("bytes_per_item", "Bytes per cached item"),
    ),
}
INPUT_NAMES = tuple(name for rows in GROUPS.values() for name, _ in rows)
ORDER = ("qps", "servers", "concurrency", "bandwidth", "storage", "training_time",
         "embedding_memory", "cache")  # fmt: skip


class EstimateCalculator:
    """One ``FloatText`` per input (attributes named as in ``mlsd.estimates.DEFAULTS``), a
    ``preset`` buttons; outputs ``work`` (HTML of every estimate), ``results`` (the
    ``Estimate`` objects), ``message`` and ``fig`` (servers needed vs the peak factor)."""

    def __init__(self, preset=None, requirements=None, **initial):
        unknown = sorted(set(initial) - set(DEFAULTS))
        if unknown:
            raise ValueError(f"unknown calculator inputs {unknown}; allowed: {sorted(DEFAULTS)}.")
        values = dict(DEFAULTS)
        if preset is not None:
            values |= preset.values
        if requirements is not None:
            values |= requirements.calculator_inputs()
        values |= initial
        # Buttons, not a drop-down: in JupyterLab's command mode the arrow keys move between
        # cells; Space or Enter on a button works everywhere. No button pressed = own values.
        self.preset = W.ToggleButtons(
            options=[(p.name, p) for p in PRESETS],
            value=preset if preset in PRESETS else None,
            description="Preset",
            # auto: the default 148 px cut "Guide: 100 TB of training data, 1 B examples"
            style=LABEL_STYLE | {"button_width": "auto"},
            tooltips=[p.story for p in PRESETS],
        )
        self.preset.add_class("mlsd-estimates-preset")
        tabs = []
        for rows in GROUPS.values():
            controls = []
            for name, label in rows:
                control = W.FloatText(
                    value=float(values[name]),
                    description=label,
                    style=LABEL_STYLE,
                    layout=W.Layout(width="min(100%, 460px)"),
                )
                control.add_class(f"mlsd-estimates-{name.replace('_', '-')}")
                setattr(self, name, control)
                controls.append(control)
            tabs.append(W.VBox(controls))
        self.tabs = W.Tab(children=tabs, titles=list(GROUPS))
        self.work = W.HTML()
        self.work.add_class("mlsd-estimates-work")
        self.message = MessageLine("mlsd-estimates-message")
        self.results: dict = {}
        self.fig = self._figure()
        self.preset.observe(self._apply_preset, names="value")
        observe_all([getattr(self, n) for n in INPUT_NAMES], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-estimates-fig")
        self.container = W.VBox([self.preset, self.tabs, self.message.widget, self.work, self.fig])
        self.container.add_class("mlsd-estimates")

    def values(self) -> dict:
        return {name: getattr(self, name).value for name in INPUT_NAMES}

    def _curve(self):
        v = self.values()
        average = v["daily_active_users"] * v["actions_per_user_per_day"] / 86_400
        counts = [
            servers(average * f, v["per_server_qps"], v["headroom"]).value for f in PEAK_FACTORS
        ]
        point = servers(average * v["peak_factor"], v["per_server_qps"], v["headroom"]).value
        return counts, point

    def _figure(self) -> go.Figure:
        try:
            counts, point = self._curve()
            here = [self.peak_factor.value]
        except ValueError:
            counts, point, here = [], None, []
        return go.Figure(
            data=[
                go.Scatter(
                    x=PEAK_FACTORS,
                    y=counts,
                    mode="lines+markers",
                    name="servers needed",
                    line={"color": LINE_COLOUR, "shape": "hv"},
                    hovertemplate="peak %{x}× → %{y} servers<extra></extra>",
                ),
                go.Scatter(
                    x=here,
                    y=[point] if point is not None else [],
                    mode="markers",
                    name="your peak factor",
                    marker={"color": POINT_COLOUR, "size": 16, "symbol": "star"},
                ),
            ],
            layout={
                "title": {"text": "Servers needed as the peak factor grows"},
                "xaxis": {"title": {"text": "peak factor (× the daily average QPS)"}},
                "yaxis": {"title": {"text": "servers (count)"}, "rangemode": "tozero"},
                "height": 340,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 50},
            },
        )

    _hold = False

    def _apply_preset(self, change) -> None:
        preset = change["new"]
        if preset is None:
            return
        self._hold = True
        try:
            for name, value in preset.values.items():
                getattr(self, name).value = float(value)
        finally:
            self._hold = False
        self.update()
        self.message.info(f"{preset.name}: {preset.story}.")

    def update(self) -> None:
        """Recompute every estimate; a bad input shows in the message line."""
        if self._hold:
            return
        with errors_to(self.message):
            results = estimate_all(**self.values())
            counts, point = self._curve()
            self.results = results
            self.work.value = "".join(results[key].html() for key in ORDER)
            with self.fig.batch_update():
                self.fig.data[0].y = counts
                self.fig.data[1].x = [self.peak_factor.value]
                self.fig.data[1].y = [point]
            return
        self.results = {}
        self.work.value = "<i>Fix the input named above to see the estimates.</i>"

    def summary(self) -> str:
        """One line per estimate: what to say out loud in an interview."""
        return "\n".join(f"{self.results[k].name}: {self.results[k].readable}" for k in ORDER)


def estimate_calculator(preset=None, requirements=None, **initial) -> EstimateCalculator:
    """Build the calculator set; display ``.container``. Keyword arguments set inputs."""
    return EstimateCalculator(preset=preset, requirements=requirements, **initial)


__all__ = ["EstimateCalculator", "estimate_calculator", "format_count"]
