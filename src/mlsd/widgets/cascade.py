"""The fallback-cascade simulator (tip 4): tiers' availability and timeouts in, who served
what share, availability, quality and latency out (closed form live, Monte Carlo on demand)."""

from __future__ import annotations

import math
import time

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.cascade import GUIDE_CASCADE, analyse, simulate, with_changes, worst_case_ms
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


FLOOR = 1e-6  # the chart's lowest share: smaller ones sit on it, labelled "< 0.0001 %"


def _shown(shares) -> list[float]:
    return [max(x, FLOOR) for x in shares]


def _labels(shares) -> list[str]:
    return [f"{100 * x:.2g} %" if x >= FLOOR else "< 0.0001 %" for x in shares]


def _pct(x: float) -> str:
    return f"{100 * x:.4f} %" if x > 0.999 else f"{100 * x:.2f} %"


class CascadeSimulator:
    """Per tier ``i``: ``availability[i]`` and ``timeout[i]`` sliders (the last tier waits as
    long as it takes); ``circuit_breaker`` (a down tier is skipped at once, or costs its
    timeout); ``n_requests`` and the ``run`` button for the Monte Carlo. Outputs:
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
            # Wraps at narrow widths (1366 px with a side panel open) instead of clipping.
            rows.append(W.HBox(row, layout=W.Layout(flex_flow="row wrap")))
        self.circuit_breaker = W.Checkbox(
            value=True,
            indent=False,
            description="Circuit breakers: a tier that is down is skipped at once "
            "(untick: it costs its whole timeout)",
            layout=W.Layout(width="auto"),
        )
        self.circuit_breaker.add_class("mlsd-cascade-breaker")
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
        self._mc_inputs = None
        self.fig = self._figure()
        controls = [c for c in self.availability + self.timeout if c is not None]
        controls.append(self.circuit_breaker)
        observe_all(controls, self.update)
        self.update()  # draws the opening state on the plain figure
        self.run_monte_carlo()
        self.fig = live_figure(self.fig, "mlsd-cascade-fig")
        self.container = W.VBox(
            [*rows, self.circuit_breaker,
             W.HBox([self.n_requests, self.run], layout=W.Layout(flex_flow="row wrap")),
             self.message.widget, self.summary, self.fig]
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
        # Two short lines per tier name: a rotated one-liner was cut at the chart's bottom.
        names = [t.name.replace(" ", "<br>", 1) for t in self.tiers] + ["failed"]
        shares = list(analyse(self.tiers).shares)
        shares.append(1 - sum(shares))
        return go.Figure(
            data=[
                # Dots, not bars: the shares span six orders of magnitude, so the axis is
                # logarithmic, and a bar's length on a log axis (from an arbitrary floor)
                # means nothing.
                go.Scatter(
                    x=names,
                    y=_shown(shares),
                    text=_labels(shares),
                    name="closed form",
                    mode="markers+text",
                    marker={"color": CLOSED_COLOUR, "size": 14, "symbol": "circle"},
                    texttemplate="%{text}",  # significant digits: 0.0044 % not 0.00 %
                    textposition="top center",  # "right" would cut the last label
                    cliponaxis=False,
                    hovertemplate="%{x}: %{text}<extra>closed form</extra>",
                ),
                go.Scatter(
                    x=names,
                    y=[],
                    name="Monte Carlo",
                    mode="markers",
                    marker={"color": MC_COLOUR, "size": 10, "symbol": "diamond"},
                ),
            ],  # fmt: skip
            layout={
                "title": {"text": "Which tier served the request"},
                "xaxis": {"title": {"text": "tier (tried left to right)"}, "tickangle": 0},
                "yaxis": {
                    "title": {"text": "share of requests (log scale)"},
                    "type": "log",
                    "tickformat": ".1~p",  # 0.0001% .. 100%, not a column of 0.0%
                    "range": [-6.2, 0.45],
                },  # fmt: skip
                "height": 380,
                "margin": {"t": 50, "l": 70, "r": 20, "b": 80},
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
            ("worst case: every timeout spent, then the last tier's p99",
             f"{worst_case_ms(self.current_tiers()):.0f} ms", ""),
        ]  # fmt: skip
        body = "".join(f"<tr><td>{r}</td><td>{c}</td><td>{s}</td></tr>" for r, c, s in rows)
        note = "" if m else "<br><i>Monte Carlo is stale: press the button.</i>"
        self.summary.value = (
            f"<table><tr><th></th><th>closed form</th><th>Monte Carlo</th></tr>{body}</table>{note}"
        )

    def _inputs(self) -> tuple:
        """What the results depend on, rounded below any slider's step: a browser slider that
        sends back 0.9950000000000001 for 0.995 has not changed the model."""
        values = [round(c.value, 9) for c in self.availability + self.timeout if c is not None]
        return (*values, self.circuit_breaker.value)

    def update(self) -> None:
        """Closed form on every change (fast); the Monte Carlo waits for the button."""
        with errors_to(self.message):
            self.analysis = analyse(self.current_tiers(), self.circuit_breaker.value)
            if self._inputs() != self._mc_inputs:
                self.mc = None
            shares = [*self.analysis.shares, self.analysis.failed]
            with self.fig.batch_update():
                self.fig.data[0].y = _shown(shares)
                self.fig.data[0].text = _labels(shares)
                if self.mc is None:
                    self.fig.data[1].y = []
            self._render()

    def run_monte_carlo(self) -> None:
        with errors_to(self.message):
            start = time.perf_counter()
            self.mc = simulate(
                self.current_tiers(), self.n_requests.value, self.seed, self.circuit_breaker.value
            )
            self._mc_inputs = self._inputs()
            seconds = time.perf_counter() - start
            shares = [*self.mc.shares, self.mc.failed]
            with self.fig.batch_update():
                self.fig.data[1].y = _shown(shares)
            self._render()
            self.message.info(
                f"Monte Carlo: {self.n_requests.value:,} requests in {1000 * seconds:.0f} ms."
            )


def cascade_simulator(**initial) -> CascadeSimulator:
    """Build the cascade simulator; display ``.container``."""
    return CascadeSimulator(**initial)
