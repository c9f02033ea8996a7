"""The bidding simulator: auction type, shading, budget and pacing drive profit and spend."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd.bidding import simulate
from mlsd.widgets.common import (
    CORNER_TICK_STANDOFF,
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
SHADING_GRID = np.round(np.arange(0.0, 0.91, 0.1), 2)  # 10 runs per redraw of the curve


class BiddingSimulator:
    """Controls ``auction`` (second/first price), ``shading`` (0-0.9), ``budget`` ($),
    ``pacing`` (checkbox) and ``schedule`` (pace to the clock or to the traffic curve);
    outputs ``metrics`` (HTML), ``message`` and ``fig``: left, the spend through the day
    against the pacing line; right, profit and ROI against shading for the current auction,
    budget and pacing, with the current shading marked."""

    def __init__(
        self, requests, shading=0.2, budget=30.0, pacing=True, auction="second", schedule="clock"
    ):
        self.requests = requests
        self._sweeps: dict[tuple, tuple[list[float], list[float]]] = {}
        self.auction = W.ToggleButtons(
            options=[("second price", "second"), ("first price", "first")],
            value=auction,
            description="Auction",
            style=LABEL_STYLE,
            tooltips=["the winner pays the best competing bid", "the winner pays its own bid"],
        )
        self.auction.add_class("mlsd-bidding-auction")
        self.shading = slider(
            "Bid shading (share taken off the value)",
            shading,
            0.0,
            0.9,
            0.05,
            css="mlsd-bidding-shading",
        )
        self.budget = slider("Daily budget ($)", budget, 0.0, 150.0, 1.0, css="mlsd-bidding-budget")
        self.pacing = W.Checkbox(
            value=pacing, description="Pace the budget", style=LABEL_STYLE, indent=False
        )
        self.pacing.add_class("mlsd-bidding-pacing")
        self.schedule = W.ToggleButtons(
            options=[("by the clock", "clock"), ("by the traffic", "traffic")],
            value=schedule,
            description="Pace",
            style=LABEL_STYLE,
            tooltips=[
                "spend at most budget x hour / 24 by each hour",
                "spend at most budget x the share of the day's requests seen so far",
            ],
        )
        self.schedule.add_class("mlsd-bidding-schedule")
        self.metrics = W.HTML()
        self.metrics.add_class("mlsd-bidding-metrics")
        self.message = MessageLine("mlsd-bidding-message")
        self.fig = self._figure()
        for control in (self.auction, self.budget, self.pacing, self.schedule):
            control.observe(lambda _c: self.update(), names="value")
        self.shading.observe(lambda _c: self.update(curve=False), names="value")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-bidding-fig")
        self.container = W.VBox(
            [
                self.auction,
                self.shading,
                self.budget,
                W.HBox([self.pacing, self.schedule]),
                self.metrics,
                self.message.widget,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-bidding")

    def _figure(self) -> go.Figure:
        return go.Figure(
            data=[
                go.Scatter(
                    x=[], y=[], mode="lines", name="our spend", line={"color": SAFE[0], "width": 3}
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name="pacing limit",
                    line={"color": SAFE[3], "dash": "dash"},
                ),
                go.Scatter(
                    x=[0, 24],
                    y=[0, 0],
                    mode="lines",
                    name="budget",
                    line={"color": SAFE[8], "dash": "dot"},
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name="profit ($)",
                    line={"color": SAFE[4], "width": 3},
                    xaxis="x2",
                    yaxis="y2",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="lines",
                    name="ROI (right axis)",
                    line={"color": SAFE[1], "dash": "dot", "width": 2},
                    xaxis="x2",
                    yaxis="y3",
                ),
                go.Scatter(
                    x=[],
                    y=[],
                    mode="markers",
                    name="current shading",
                    marker={"color": SAFE[8], "size": 12, "symbol": "diamond"},
                    xaxis="x2",
                    yaxis="y2",
                ),
            ],
            layout={
                "title": {"text": "Spend through the day · profit and ROI by shading"},
                "xaxis": {
                    "domain": [0, 0.4],
                    "title": {"text": "hour of day (h)"},
                    "range": [0, 24],
                    "dtick": 6,
                    "ticklabelstandoff": CORNER_TICK_STANDOFF,
                },
                "yaxis": {"title": {"text": "cumulative spend ($)"}, "rangemode": "tozero"},
                "xaxis2": {
                    "domain": [0.52, 0.9],
                    "title": {"text": "bid shading<br>(fraction taken off the value)"},
                    "range": [0, 0.9],
                    "dtick": 0.2,
                    "ticklabelstandoff": CORNER_TICK_STANDOFF,
                },
                "yaxis2": {
                    "anchor": "x2",
                    "title": {"text": "profit ($)"},
                    "rangemode": "tozero",
                },
                "yaxis3": {
                    "anchor": "x2",
                    "overlaying": "y2",
                    "side": "right",
                    "title": {"text": "ROI (profit per $ spent)"},
                    "rangemode": "tozero",
                    "tickformat": ".1f",
                    "showgrid": False,
                },
                # The legend at the figure's foot, under the two-line axis title.
                "height": 480,
                "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom"},
                "margin": {"t": 60, "l": 60, "r": 60, "b": 150},
            },
        )

    def _sweep(self) -> tuple[list[float], list[float]]:
        """Profit and ROI over the shading grid for the current settings (cached)."""
        key = (self.auction.value, self.budget.value, self.pacing.value, self.schedule.value)
        if key not in self._sweeps:
            outs = [
                simulate(
                    self.requests,
                    s,
                    self.budget.value,
                    self.pacing.value,
                    auction=self.auction.value,
                    schedule=self.schedule.value,
                )
                for s in SHADING_GRID
            ]
            self._sweeps[key] = ([o.profit for o in outs], [o.roi for o in outs])
        return self._sweeps[key]

    def update(self, curve: bool = True) -> None:
        with errors_to(self.message):
            out = simulate(
                self.requests,
                self.shading.value,
                self.budget.value,
                self.pacing.value,
                auction=self.auction.value,
                schedule=self.schedule.value,
            )
            profits, rois = self._sweep() if curve else (None, None)
            self.metrics.value = _metrics_html(out, self._best())
            with self.fig.batch_update():
                spend, limit, budget, profit, roi, marker = self.fig.data
                spend.x, spend.y = out.hours, out.cumulative_spend
                limit.x, limit.y = _pacing_line(out, self.pacing.value, self.schedule.value)
                budget.y = [out.budget, out.budget]
                if curve:
                    profit.x, profit.y = SHADING_GRID, profits
                    roi.x, roi.y = SHADING_GRID, rois
                marker.x, marker.y = [out.shading], [out.profit]
            return
        self.metrics.value = "<b>metrics: —</b> (fix the input above)"

    def _best(self) -> tuple[float, float]:
        profits, _ = self._sweep()
        i = int(np.argmax(profits))
        return float(SHADING_GRID[i]), float(profits[i])


def _pacing_line(out, pacing: bool, schedule: str):
    if not pacing:
        return [], []
    if schedule == "clock":
        return [0, 24], [0, out.budget]
    share = np.arange(len(out.hours)) / max(len(out.hours), 1)
    return out.hours, out.budget * share


def _metrics_html(out, best: tuple[float, float]) -> str:
    ran_out = out.budget_ran_out_at
    ran = f"budget spent by {ran_out:.1f} h" if ran_out is not None else "budget not exhausted"
    best_s, best_profit = best
    return (
        f"<b style='font-size:1.15em'>profit ${out.profit:,.2f}</b> "
        f"(value won ${out.value:,.2f} − spend ${out.spend:,.2f}) · "
        f"<b>ROI</b> {out.roi:.2f} · <b>win rate</b> {out.win_rate:.1%} of "
        f"{out.bids:,} auctions entered · {out.wins} wins, {out.clicks} clicks · {ran}<br>"
        f"best shading for these settings: {best_s:.2f} (profit ${best_profit:,.2f})"
    )


def bidding_simulator(requests, **kw) -> BiddingSimulator:
    """Build the bidding simulator over a requests table; display ``.container``."""
    return BiddingSimulator(requests, **kw)
