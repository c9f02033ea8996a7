"""The drift lab (tip 5): drift a real feature and slow the service down; watch PSI, the KS
test and latency percentiles decide between ok, alert and roll back."""

from __future__ import annotations

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mlsd import drift
from mlsd.widgets.common import (
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
REF_COLOUR, CUR_COLOUR, SLO_COLOUR = SAFE[0], SAFE[1], SAFE[8]
ACTION_COLOUR = {"ok": SAFE[3], "alert": SAFE[5], "rollback": SAFE[8]}
ACTION_MARK = {"ok": "✓ ok", "alert": "⚠ alert", "rollback": "⟲ roll back"}
BASE_MALIGNANT = 212 / 569  # the share in the real data


class DriftLab:
    """Controls ``shift_sd``, ``malignant_share``, ``slowdown``, ``slo_ms``, ``new_version`` (a
    release went out just before the change).
    Outputs ``stats`` and ``decision`` (HTML), ``psi_value``, ``action``, ``message``, ``fig``."""

    def __init__(self, shift_sd=0.0, malignant_share=BASE_MALIGNANT, slowdown=1.0, slo_ms=100.0,
                 new_version=False, n=2000, seed=0):  # fmt: skip
        self.n, self.seed = n, seed
        self.reference = drift.reference_feature()
        self.edges = drift.psi_bins(self.reference)
        self.shift_sd = slider("Shift (standard deviations)", float(shift_sd), -1.0, 1.0, 0.02,
                               css="mlsd-drift-shift")  # fmt: skip
        self.malignant_share = slider(
            "Share of malignant cases in traffic", float(malignant_share), 0.0, 1.0, 0.01,
            css="mlsd-drift-mix",
        )  # fmt: skip
        self.slowdown = slider("Latency slowdown (× median)", float(slowdown), 0.5, 4.0, 0.05,
                               css="mlsd-drift-slowdown")  # fmt: skip
        self.slo_ms = W.FloatText(value=slo_ms, description="p99 SLO (ms)", style=LABEL_STYLE)
        self.slo_ms.add_class("mlsd-drift-slo")
        self.new_version = W.Checkbox(
            value=new_version,
            indent=False,
            description="A release went out just before this (model or feature code)",
            layout=W.Layout(width="auto"),  # the default 300 px cuts the description
        )
        self.new_version.add_class("mlsd-drift-new-version")
        self.stats = W.HTML()
        self.stats.add_class("mlsd-drift-stats")
        self.decision = W.HTML()
        self.decision.add_class("mlsd-drift-decision")
        self.message = MessageLine("mlsd-drift-message")
        self.psi_value = None
        self.action = None
        self.fig = self._figure()
        controls = [self.shift_sd, self.malignant_share, self.slowdown, self.slo_ms,
                    self.new_version]  # fmt: skip
        observe_all(controls, self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-drift-fig")
        self.container = W.VBox([*controls, self.message.widget, self.stats, self.decision,
                                 self.fig])  # fmt: skip
        self.container.add_class("mlsd-drift")

    def _figure(self) -> go.Figure:
        # Bare decile numbers: ten "bin N" labels overprint each other in half of JupyterLab's
        # 700 px chart; the axis title says what the numbers are.
        labels = [str(i + 1) for i in range(len(self.edges) - 1)]
        fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.15, subplot_titles=(
            f"'{drift.FEATURE}': share per reference decile", "Request latency"))  # fmt: skip
        fig.add_trace(go.Bar(x=labels, y=list(drift.bin_shares(self.reference, self.edges)),
                             name="reference", marker_color=REF_COLOUR), 1, 1)  # fmt: skip
        fig.add_trace(go.Bar(x=labels, y=[], name="current", marker_color=CUR_COLOUR), 1, 1)
        fig.add_trace(go.Histogram(x=[], nbinsx=60, name="latency", marker_color=REF_COLOUR,
                                   showlegend=False), 1, 2)  # fmt: skip
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="SLO",
                                 line={"color": SLO_COLOUR, "dash": "dash"}), 1, 2)  # fmt: skip
        fig.add_trace(go.Scatter(x=[], y=[], mode="lines", name="p99",
                                 line={"color": CUR_COLOUR}), 1, 2)  # fmt: skip
        fig.update_xaxes(title_text=f"decile of {drift.FEATURE}<br>in the reference (1 = smallest)",
                         type="category", row=1, col=1)  # fmt: skip
        fig.update_yaxes(title_text="share of samples (fraction)", row=1, col=1)
        fig.update_xaxes(title_text="latency (ms)", row=1, col=2)
        fig.update_yaxes(title_text="requests (count)", row=1, col=2)
        # The legend at the figure's foot, under the two-line axis title (at a fixed
        # distance under the plot it ran into that title in presenter mode's larger font).
        fig.update_layout(height=460, barmode="group", title_text="Drift and latency",
                          margin={"t": 70, "l": 60, "r": 20, "b": 130},
                          legend={"orientation": "h", "yref": "container", "y": 0,
                                  "yanchor": "bottom"})  # fmt: skip
        return fig

    def update(self) -> None:
        with errors_to(self.message):
            current = drift.current_feature(
                self.shift_sd.value, self.malignant_share.value, self.n, self.seed
            )
            latencies = drift.latency_samples(
                5000, 40.0 * self.slowdown.value, 90.0 * self.slowdown.value, self.seed
            )
            value = drift.psi(self.reference, current)
            ks_stat, p_value = drift.ks_test(self.reference, current)
            pct = drift.latency_percentiles(latencies)
            status = drift.latency_alert(latencies, self.slo_ms.value)
            decision = drift.decide(value, status, self.new_version.value)
            self.psi_value, self.action = value, decision.action
            significant = "significant" if p_value < drift.KS_ALPHA else "not significant"
            self.stats.value = (
                f"<b>PSI</b> {value:.3f} ({drift.psi_level(value)}) · <b>KS</b> D = "
                f"{ks_stat:.3f}, p = {p_value:.2g} ({significant} at {drift.KS_ALPHA})<br>"
                f"<b>latency</b> p50 {pct['p50']:.0f} ms · p95 {pct['p95']:.0f} ms · "
                f"p99 {pct['p99']:.0f} ms against a {self.slo_ms.value:g} ms SLO: {status}"
            )
            self.decision.value = (
                f"<b style='font-size:1.3em;color:{ACTION_COLOUR[decision.action]}'>"
                f"{ACTION_MARK[decision.action]}</b><ul>"
                + "".join(f"<li>{r}</li>" for r in decision.reasons)
                + "</ul>"
            )
            top = float(np.histogram(latencies, bins=60)[0].max())
            with self.fig.batch_update():
                self.fig.data[1].y = list(drift.bin_shares(current, self.edges))
                self.fig.data[2].x = latencies
                self.fig.data[3].x = [self.slo_ms.value] * 2
                self.fig.data[3].y = [0, top]
                self.fig.data[4].x = [pct["p99"]] * 2
                self.fig.data[4].y = [0, top]
            return
        self.decision.value = "<b>Decision: —</b>"


def drift_lab(**initial) -> DriftLab:
    """Build the drift lab; display ``.container``."""
    return DriftLab(**initial)
