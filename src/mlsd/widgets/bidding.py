"""The bidding simulator: shading, budget and pacing drive revenue, ROI and fill rate."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.bidding import simulate
from mlsd.widgets.common import (
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
    slider,
)

SAFE = plotly.colors.qualitative.Safe


class BiddingSimulator:
    """Controls ``shading`` (0-0.9), ``budget`` ($) and ``pacing`` (checkbox); outputs
    ``metrics`` (HTML), ``message`` and ``fig`` (spend through the day vs even pacing)."""

    def __init__(self, requests, shading=0.2, budget=30.0, pacing=True):
        self.requests = requests
        self.shading = slider(
            "Bid shading (share taken off the value)",
            shading,
            0.0,
            0.9,
            0.05,
            css="mlsd-bidding-shading",
        )
        self.budget = slider("Daily budget ($)", budget, 0.0, 100.0, 1.0, css="mlsd-bidding-budget")
        self.pacing = W.Checkbox(
            value=pacing, description="Even pacing", style=LABEL_STYLE, indent=False
        )
        self.pacing.add_class("mlsd-bidding-pacing")
        self.metrics = W.HTML()
        self.metrics.add_class("mlsd-bidding-metrics")
        self.message = MessageLine("mlsd-bidding-message")
        out = simulate(requests, shading, budget, pacing)
        self.fig = go.Figure(
            data=[
                go.Scatter(
                    x=out.hours,
                    y=out.cumulative_spend,
                    mode="lines",
                    name="our spend",
                    line={"color": SAFE[0], "width": 3},
                ),
                go.Scatter(
                    x=[0, 24],
                    y=[0, budget],
                    mode="lines",
                    name="even pacing",
                    line={"color": SAFE[3], "dash": "dash"},
                ),
                go.Scatter(
                    x=[0, 24],
                    y=[budget, budget],
                    mode="lines",
                    name="budget",
                    line={"color": SAFE[8], "dash": "dot"},
                ),
            ],
            layout={
                "title": {"text": "Spend through the day"},
                "xaxis": {"title": {"text": "hour of day (h)"}, "range": [0, 24]},
                "yaxis": {"title": {"text": "cumulative spend ($)"}, "rangemode": "tozero"},
                "height": 380,
                "legend": {"orientation": "h", "y": -0.3},
            },
        )
        observe_all([self.shading, self.budget, self.pacing], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-bidding-fig")
        self.container = W.VBox(
            [self.shading, self.budget, self.pacing, self.metrics, self.message.widget, self.fig]
        )
        self.container.add_class("mlsd-bidding")

    def update(self) -> None:
        with errors_to(self.message):
            out = simulate(self.requests, self.shading.value, self.budget.value, self.pacing.value)
            ran_out = out.budget_ran_out_at
            ran = (
                f"budget spent by {ran_out:.1f} h"
                if ran_out is not None
                else "budget not exhausted"
            )
            self.metrics.value = (
                f"<b>revenue</b> ${out.revenue:,.2f} · <b>spend</b> ${out.spend:,.2f} · "
                f"<b>ROI</b> {out.roi:.2f} · <b>fill rate</b> {out.fill_rate:.1%} · "
                f"{out.wins} wins, {out.clicks} clicks · {ran}"
            )
            with self.fig.batch_update():
                self.fig.data[0].x, self.fig.data[0].y = out.hours, out.cumulative_spend
                self.fig.data[1].y = [0, out.budget]
                self.fig.data[2].y = [out.budget, out.budget]
            return
        self.metrics.value = "<b>metrics: —</b> (fix the input above)"


def bidding_simulator(requests, **kw) -> BiddingSimulator:
    """Build the bidding simulator over a requests table; display ``.container``."""
    return BiddingSimulator(requests, **kw)
