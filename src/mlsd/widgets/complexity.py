"""The complexity explorer: a latency budget picks from a measured spectrum and the claimed one."""

from __future__ import annotations

import math
from html import escape

import ipywidgets as W
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mlsd.complexity import (
    BASELINE_ACCURACY_PCT,
    BASELINE_LATENCY_MS,
    claimed_spectrum,
    explain_pick,
    pick_model,
)
from mlsd.widgets.common import LABEL_STYLE, WIDE, MessageLine, errors_to, live_figure

SAFE = plotly.colors.qualitative.Safe
# Paul Tol's "safe" palette: indigo measured, teal claimed, a sand star, a wine budget line.
MEASURED_COLOUR, CLAIMED_COLOUR, PICK_COLOUR, BUDGET_COLOUR = SAFE[4], SAFE[6], SAFE[2], SAFE[8]
BUDGET_RANGE_MS = (0.1, 200.0)
X_RANGE_LOG = (-1.15, 2.45)  # 0.07 ms to 280 ms on both panels, so they compare directly
PERCENTILES = (("p50 (median)", "p50_ms"), ("p99 (tail)", "p99_ms"))


def _y_range(values) -> list[float]:
    values = [v for v in values if v is not None and not math.isnan(v)]
    if not values:
        return [0.0, 100.0]
    low, high = min(values), max(values)
    pad = max(0.5, (high - low) * 0.15)
    return [low - pad, high + pad]


# One marker symbol per measured model (the legend names them: labels beside points that
# sit a fraction of a millisecond apart overprint each other).
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "pentagon", "hexagon")
# Label positions on the claimed ladder: right of the point, except the last rungs, which
# crowd the top right corner: below, left and above so no two labels meet.
LADDER_TEXT = ("middle right",) * 3 + ("bottom right", "middle left", "top left")
# Measured models: the first two letters of the legend at each point would still overprint
# (three models within 0.3 ms); the legend names them by symbol instead.


def _star(row, name, axis) -> dict:
    x, y = ([row[0]], [row[1]]) if row else ([], [])
    return {
        "x": x,
        "y": y,
        "mode": "markers",
        "name": name,
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "hoverinfo": "skip",
        "marker": {
            "size": 22,
            "symbol": "star",
            "color": PICK_COLOUR,
            "line": {"width": 1, "color": "black"},
        },
    }


class ComplexityExplorer:
    """Controls ``budget`` (log slider, ms), ``budget_text`` (typed ms) and ``percentile``;
    outputs ``pick``, ``message`` and ``fig``; display ``container``."""

    def __init__(self, table: pd.DataFrame, budget_ms: float = 5.0, latency_col: str = "p99_ms"):
        self.table = table
        self.claimed = claimed_spectrum()
        low, high = (math.log10(v) for v in BUDGET_RANGE_MS)
        self.budget = W.FloatLogSlider(
            value=budget_ms,
            base=10,
            min=low,
            max=high,
            step=0.01,
            readout_format=".2f",
            description="Latency budget (ms)",
            style=LABEL_STYLE,
            layout=WIDE,
            tooltip="Drag: the budget for one prediction, in milliseconds (log scale)",
        )
        self.budget_text = W.BoundedFloatText(
            value=budget_ms,
            min=-1e9,
            max=1e9,
            step=0.1,
            description="… or type it (ms)",
            style=LABEL_STYLE,
        )
        self.percentile = W.ToggleButtons(
            options=list(PERCENTILES),
            value=latency_col,
            description="Latency measured as",
            style=LABEL_STYLE,
            tooltips=["typical request", "slowest 1 % of requests"],
        )
        self.pick = W.HTML()
        self.message = MessageLine("mlsd-complexity-message")
        for widget, css in [
            (self.budget, "mlsd-complexity-budget"),
            (self.budget_text, "mlsd-complexity-budget-text"),
            (self.percentile, "mlsd-complexity-percentile"),
            (self.pick, "mlsd-complexity-pick"),
        ]:
            widget.add_class(css)
        try:
            state = self._state()
        except ValueError:
            state = None  # drawn empty; update() below puts the reason in the message line
        self.fig = self._figure(state)
        self.budget.observe(self._slider_moved, names="value")
        self.budget_text.observe(lambda _change: self.update(), names="value")
        self.percentile.observe(lambda _change: self.update(), names="value")
        controls = W.VBox([self.budget, self.budget_text, self.percentile])
        controls.add_class("mlsd-complexity-controls")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-complexity-fig")
        self.container = W.VBox([controls, self.pick, self.message.widget, self.fig])
        self.container.add_class("mlsd-complexity")

    # -- computing (core calls only) --------------------------------------------------------
    def _state(self) -> dict:
        """Everything the outputs show, from the current control values."""
        col, budget = self.percentile.value, self.budget_text.value
        chosen = pick_model(self.table, budget, col)
        claimed_pick = pick_model(self.claimed, budget, "latency_ms")
        return {
            "budget": float(budget),
            "col": col,
            "x": [float(v) for v in self.table[col]],
            "y": [float(v) for v in self.table["accuracy_pct"]],
            "names": [str(v) for v in self.table["model"]],
            "pick": chosen,
            "why": explain_pick(self.table, budget, col),
            "claimed_pick": claimed_pick,
            "pick_xy": _point(self.table, chosen, col),
            "claimed_xy": _point(self.claimed, claimed_pick, "latency_ms"),
        }

    # -- drawing ---------------------------------------------------------------------------
    def _model_names(self) -> list[str]:
        return [str(v) for v in self.table["model"]] if "model" in self.table.columns else []

    def _figure(self, state: dict | None) -> go.Figure:
        claimed = self.claimed
        ok = state is not None
        col = state["col"] if ok else self.percentile.value
        ys = state["y"] if ok else []
        y1, y2 = _y_range(ys), _y_range(list(claimed["accuracy_pct"]))
        bx = [state["budget"]] * 2 if ok else []
        # One panel above the other, full width each: labels get room in a narrow notebook
        # column, and the two latency axes line up for a direct comparison.
        layout = make_subplots(
            rows=2,
            cols=1,
            vertical_spacing=0.2,
            subplot_titles=(
                "Measured here",
                f"The guide's ladder (start: {BASELINE_ACCURACY_PCT:g} %, "
                f"{BASELINE_LATENCY_MS:g} ms)",
            ),
        ).layout
        layout.update(
            title={"text": "Accuracy vs latency of one prediction: measured and claimed"},
            height=680,
            margin={"t": 80, "l": 60, "r": 30, "b": 60},
            legend={"orientation": "h", "yanchor": "top", "y": -0.12},
            xaxis={"type": "log", "range": list(X_RANGE_LOG), "title": {"text": _x_title(col)}},
            xaxis2={
                "type": "log",
                "range": list(X_RANGE_LOG),
                "title": {"text": "claimed latency (ms, log scale)"},
            },
            yaxis={"range": y1, "title": {"text": "hold-out accuracy (%)"}},
            yaxis2={"range": y2, "title": {"text": "claimed accuracy (%)"}},
        )
        models = [
            go.Scatter(
                x=[state["x"][i]] if ok else [],
                y=[state["y"][i]] if ok else [],
                mode="markers",
                name=name,
                marker={
                    "size": 13,
                    "color": MEASURED_COLOUR,
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "line": {"width": 1, "color": "white"},
                },
                hovertemplate=name + "<br>%{x:.2f} ms, %{y:.1f} %<extra></extra>",
            )
            for i, name in enumerate(self._model_names())
        ]
        data = [
            # the star first, so the picked model's own symbol stays visible on top of it
            go.Scatter(**_star(state["pick_xy"] if ok else None, "pick (measured)", "")),
            *models,
            go.Scatter(
                x=bx,
                y=y1 if ok else [],
                mode="lines",
                name="latency budget",
                line={"color": BUDGET_COLOUR, "dash": "dash", "width": 2},
                hoverinfo="skip",
            ),
            go.Scatter(
                x=list(claimed["latency_ms"]),
                y=list(claimed["accuracy_pct"]),
                text=list(claimed["model"]),
                mode="lines+markers+text",
                textposition=list(LADDER_TEXT[: len(claimed)]),
                textfont={"size": 13},  # fixed: the labels are placed for this size
                name="the guide's ladder",
                xaxis="x2",
                yaxis="y2",
                marker={"size": 10, "color": CLAIMED_COLOUR, "symbol": "diamond"},
                line={"color": CLAIMED_COLOUR},
                hovertemplate="%{text}<br>%{x:g} ms, %{y:g} %<extra></extra>",
            ),
            go.Scatter(**_star(state["claimed_xy"] if ok else None, "pick (claimed)", "2")),
            go.Scatter(
                x=bx,
                y=y2 if ok else [],
                mode="lines",
                showlegend=False,
                xaxis="x2",
                yaxis="y2",
                line={"color": BUDGET_COLOUR, "dash": "dash", "width": 2},
                hoverinfo="skip",
            ),
        ]
        return go.Figure(data=data, layout=layout)

    def _draw(self, state: dict) -> None:
        n = len(self._model_names())
        with self.fig.batch_update():
            star, models = self.fig.data[0], self.fig.data[1 : n + 1]
            line, _ladder, claimed_star, claimed_line = self.fig.data[n + 1 :]
            for i, trace in enumerate(models):
                trace.x, trace.y = [state["x"][i]], [state["y"][i]]
            self.fig.layout.yaxis.range = line.y = _y_range(state["y"])
            for trace, point in ((star, state["pick_xy"]), (claimed_star, state["claimed_xy"])):
                trace.x, trace.y = ([point[0]], [point[1]]) if point else ([], [])
            line.x = claimed_line.x = [state["budget"]] * 2
            self.fig.layout.xaxis.title.text = _x_title(state["col"])

    def _describe(self, state: dict) -> None:
        chosen = state["pick"]
        headline = f"Pick: {chosen}" if chosen is not None else "Pick: none fits"
        label = state["col"].removesuffix("_ms")
        self.pick.value = (
            f"<b style='font-size:1.3em'>{escape(headline)}</b> "
            f"(budget {state['budget']:g} ms at {label})<br>{escape(state['why'])}<br>"
            "<i>With the guide's claimed numbers the same budget buys: "
            f"{state['claimed_pick'] or 'nothing'}.</i>"
        )

    def _slider_moved(self, change) -> None:
        typed = round(change["new"], 2)
        if abs(self.budget_text.value - typed) > 0.005:
            self.budget_text.value = typed

    def update(self) -> None:
        """Re-pick and redraw in place; a bad budget or table shows in the message line."""
        typed = self.budget_text.value
        low, high = BUDGET_RANGE_MS
        if low <= typed <= high and abs(self.budget.value - typed) > 0.005:
            self.budget.unobserve(self._slider_moved, names="value")
            self.budget.value = typed
            self.budget.observe(self._slider_moved, names="value")
        with errors_to(self.message):
            state = self._state()
            self._describe(state)
            self._draw(state)
            return
        self.pick.value = "<b style='font-size:1.3em'>Pick: —</b> (fix the input above)"


def _point(table: pd.DataFrame, chosen, col: str):
    if chosen is None:
        return None
    row = table[table["model"] == chosen].iloc[0]
    return float(row[col]), float(row["accuracy_pct"])


def _x_title(col: str) -> str:
    return f"measured latency, {col.removesuffix('_ms')} (ms, log scale)"


def complexity_explorer(table: pd.DataFrame, **initial) -> ComplexityExplorer:
    """Build the explorer for a table from ``measure_spectrum()``; display ``.container``."""
    return ComplexityExplorer(table, **initial)
