"""The fallback-cascade simulator (tip 4): tiers' availability and timeouts in, who served
what share, availability, quality and latency out (closed form live, Monte Carlo on demand)."""

from __future__ import annotations

import math
import time

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.cascade import GUIDE_CASCADE, analyse, simulate, with_changes
from mlsd.widgets.common import (
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
CLOSED_COLOUR, MC_COLOUR = SAFE[0], SAFE[1]


def _pct(x: float) -> str:
    return f"{100 * x:.4f} %" if x > 0.999 else f"{100 * x:.2f} %"


class CascadeSimulator:
    """Per tier ``i``: ``availability[i]`` and ``timeout[i]`` sliders (the last tier waits as
    long as it takes); ``n_requests`` and the ``run`` button for the Monte Carlo. Outputs:
    ``summary`` (HTML), ``analysis`` and ``mc`` (results), ``message``, ``fig``."""

    def __init__(self, tiers=GUIDE_CASCADE, n_requests=100_000, seed=0):
        self.tiers = tuple(tiers)
        self.seed = seed
        self.availability, self.timeout = [], []
        rows = []
        for i, tier in enumerate(self.tiers):
            a = slider(
                f"{i + 1}. {tier.name}: availability",
                float(tier.availability),
                0.0,
                1.0,
                0.001,
                css=f"mlsd-cascade-availability-{i}",
                readout_format=".3f",
            )
            self.availability.append(a)
            row = [a]
            if math.isfinite(tier.timeout_ms):
                t = slider(f"{i + 1}. {tier.name}: timeout (ms)", float(tier.timeout_ms), 1.0,
                           300.0, 1.0, css=f"mlsd-cascade-timeout-{i}")  # fmt: skip
                self.timeout.append(t)
                row.append(t)
            else:
                self.timeout.append(None)
            rows.append(W.HBox(row))
        self.n_requests = W.BoundedIntText(
            value=n_requests, min=1_000, max=2_000_000, step=10_000,
            description="Monte Carlo requests", style=LABEL_STYLE,
        )  # fmt: skip
        self.n_requests.add_class("mlsd-cascade-n")
        self.run = W.Button(description="Run Monte Carlo", button_style="primary")
        self.run.add_class("mlsd-cascade-run")
        self.run.on_click(lambda _b: self.run_monte_carlo())
        self.summary = W.HTML()
        self.summary.add_class("mlsd-cascade-summary")
        self.message = MessageLine("mlsd-cascade-message")
        self.analysis = None
        self.mc = None
        self.fig = self._figure()
        controls = [c for c in self.availability + self.timeout if c is not None]
        observe_all(controls, self.update)
        self.update()  # draws the opening state on the plain figure
        self.run_monte_carlo()
        self.fig = live_figure(self.fig, "mlsd-cascade-fig")
        self.container = W.VBox(
            [*rows, W.HBox([self.n_requests, self.run]), self.message.widget, self.summary,
             self.fig]
        )  # fmt: skip
        self.container.add_class("mlsd-cascade")

    def current_tiers(self):
        tiers = self.tiers
        for i in range(len(tiers)):
            changes = {"availability": self.availability[i].value}
            if self.timeout[i] is not None:
                changes["timeout_ms"] = self.timeout[i].value
            tiers = with_changes(tiers, i, **changes)
        return tiers

    def _figure(self) -> go.Figure:
        names = [t.name for t in self.tiers] + ["failed"]
        shares = list(analyse(self.tiers).shares)
        shares.append(1 - sum(shares))
        return go.Figure(
            data=[
                go.Bar(
                    x=names,
                    y=shares,
                    name="closed form",
                    marker_color=CLOSED_COLOUR,
                    texttemplate="%{y:.3~p}",  # significant digits: 0.0044% not 0.00%
                    cliponaxis=False,
                    textposition="outside",
                ),
                go.Bar(x=names, y=[], name="Monte Carlo", marker_color=MC_COLOUR),
            ],  # fmt: skip
            layout={
                "title": {"text": "Which tier served the request"},
                "xaxis": {"title": {"text": "tier (tried left to right)"}},
                "yaxis": {
                    "title": {"text": "share of requests (log scale)"},
                    "type": "log",
                    "tickformat": ".1~p",  # 0.0001% .. 100%, not a column of 0.0%
                    "range": [-6.2, 0.45],
                },  # fmt: skip
                "barmode": "group",
                "height": 380,
                "margin": {"t": 50, "l": 70, "r": 20, "b": 60},
            },
        )

    def _render(self) -> None:
        a, m = self.analysis, self.mc
        rows = [
            ("availability (served by some tier)", _pct(a.availability),
             _pct(m.availability) if m else "—"),
            ("failed requests (no tier answered)", f"{a.failed:.2e}",
             f"{m.failed:.2e}" if m else "—"),
            ("expected quality (failures score 0)", f"{a.expected_quality:.4f}",
             f"{m.expected_quality:.4f}" if m else "—"),
            ("p50 latency of served requests", f"{a.p50_ms:.1f} ms",
             f"{m.p50_ms:.1f} ms" if m else "—"),
            ("p99 latency of served requests", f"{a.p99_ms:.1f} ms",
             f"{m.p99_ms:.1f} ms" if m else "—"),
        ]  # fmt: skip
        body = "".join(f"<tr><td>{r}</td><td>{c}</td><td>{s}</td></tr>" for r, c, s in rows)
        note = "" if m else "<br><i>Monte Carlo is stale: press the button.</i>"
        self.summary.value = (
            f"<table><tr><th></th><th>closed form</th><th>Monte Carlo</th></tr>{body}</table>{note}"
        )

    def update(self) -> None:
        """Closed form on every change (fast); the Monte Carlo waits for the button."""
        with errors_to(self.message):
            self.analysis = analyse(self.current_tiers())
            self.mc = None
            shares = [*self.analysis.shares, self.analysis.failed]
            with self.fig.batch_update():
                self.fig.data[0].y = [max(s, 1e-9) for s in shares]
                self.fig.data[1].y = []
            self._render()

    def run_monte_carlo(self) -> None:
        with errors_to(self.message):
            start = time.perf_counter()
            self.mc = simulate(self.current_tiers(), self.n_requests.value, self.seed)
            seconds = time.perf_counter() - start
            shares = [*self.mc.shares, self.mc.failed]
            with self.fig.batch_update():
                self.fig.data[1].y = [max(s, 1e-9) for s in shares]
            self._render()
            self.message.info(
                f"Monte Carlo: {self.n_requests.value:,} requests in {1000 * seconds:.0f} ms."
            )


def cascade_simulator(**initial) -> CascadeSimulator:
    """Build the cascade simulator; display ``.container``."""
    return CascadeSimulator(**initial)
