"""The feature latency budget: stage sliders, an SLO and a waterfall from ``mlsd.features``."""

from __future__ import annotations

import textwrap

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.features import (
    GUIDE_HYBRID,
    PRESETS,
    STAGE_LABELS,
    TOTAL_LABEL,
    budget_breakdown,
    budget_verdict,
)
from mlsd.widgets.common import (
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
    slider,
)

SAFE = plotly.colors.qualitative.Safe
# Paul Tol's "safe" palette: light blue stages, indigo total, wine SLO; the verdict's
# green/wine are backed by a ✓/✗ mark and words, never colour alone.
STAGE_COLOUR, TOTAL_COLOUR, SLO_COLOUR = SAFE[0], SAFE[4], SAFE[8]
FIT_COLOUR, OVER_COLOUR = SAFE[3], SAFE[8]

# (attribute, label, low, high, step, tooltip); the SLO may be set to 0 to see the error.
CONTROLS = (
    ("slo", "End-to-end SLO (ms)", 0.0, 1000.0, 0.5, "the time the whole request may take"),
    ("network", "Network (ms)", 0.0, 200.0, 0.5, "client to server and back"),
    ("offline", "Offline store lookup (ms)", 0.0, 100.0, 0.5, "fetch precomputed features"),
    ("online", "Online features (ms)", 0.0, 100.0, 0.5, "compute features from the request"),
    ("model", "Model inference (ms)", 0.0, 500.0, 0.5, "run the model on the features"),
    ("extra", "Extra: rules, logging (ms)", 0.0, 200.0, 0.5, "anything else on the path"),
)


# The notebook's questions say "tick / untick *parallel*": the word leads the label.
PARALLEL_LABEL = "Parallel: offline lookup and online features side by side"


class FeatureBudget:
    """Controls ``preset``, ``slo``, ``network``, ``offline``, ``online``, ``model``, ``extra``
    (sliders, ms) and ``parallel``; outputs ``verdict``, ``message`` and ``fig``."""

    def __init__(self, preset=GUIDE_HYBRID):
        # Buttons, not a drop-down: in JupyterLab's command mode the arrow keys move between
        # cells; Space or Enter on a button works everywhere. No button pressed = own values.
        self.preset = W.ToggleButtons(
            options=[(p.name, p) for p in PRESETS],
            value=preset if preset in PRESETS else None,
            description="Preset",
            style={**LABEL_STYLE, "button_width": "auto"},  # whole names, never "Guide's hy…"
            tooltips=[p.story for p in PRESETS],
        )
        self.preset.add_class("mlsd-features-preset")
        values = preset.stages()
        for name, label, low, high, step, tooltip in CONTROLS:
            control = slider(
                label,
                float(values[f"{name}_ms"]),
                low,
                high,
                step,
                css=f"mlsd-features-{name}",
                tooltip=tooltip,
            )
            setattr(self, name, control)
        self.parallel = W.Checkbox(
            value=preset.parallel_features,
            description=PARALLEL_LABEL,
            style=LABEL_STYLE,
            indent=False,
            layout=W.Layout(width="auto"),  # a checkbox is 300 px wide by default: label cut
        )
        self.parallel.add_class("mlsd-features-parallel")
        self.verdict = W.HTML()
        self.verdict.add_class("mlsd-features-verdict")
        self.message = MessageLine("mlsd-features-message")
        self.fig = self._figure()
        self.preset.observe(self._apply_preset, names="value")
        observe_all([*self.stage_controls(), self.parallel], self.update)
        controls = W.VBox([self.preset, *self.stage_controls(), self.parallel])
        controls.add_class("mlsd-features-controls")
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-features-fig")
        self.container = W.VBox([controls, self.verdict, self.message.widget, self.fig])
        self.container.add_class("mlsd-features")

    def stage_controls(self) -> list:
        return [getattr(self, name) for name, *_ in CONTROLS]

    def _inputs(self) -> dict:
        inputs = {f"{name}_ms": getattr(self, name).value for name, *_ in CONTROLS}
        inputs["parallel_features"] = self.parallel.value
        return inputs

    def _figure(self) -> go.Figure:
        try:
            rows = budget_breakdown(**self._inputs())
            labels, counted = list(rows["label"]), [float(v) for v in rows["counted_ms"]]
            measures, texts = list(rows["measure"]), _texts(rows)
            slo = [self.slo.value] * len(labels)
        except ValueError:
            labels, counted, measures, texts, slo = [], [], [], [], []
        waterfall = go.Waterfall(
            x=labels,
            y=counted,
            measure=measures,
            text=texts,
            textposition="outside",
            name="stages",
            connector={"line": {"color": "#888888", "dash": "dot"}},
            increasing={"marker": {"color": STAGE_COLOUR}},
            totals={"marker": {"color": TOTAL_COLOUR}},
            hovertemplate="%{x}: %{y:g} ms<extra></extra>",
        )
        slo_line = go.Scatter(
            x=labels,
            y=slo,
            mode="lines",
            name="SLO",
            line={"color": SLO_COLOUR, "dash": "dash", "width": 3},
            hovertemplate="SLO %{y:g} ms<extra></extra>",
        )
        return go.Figure(
            data=[waterfall, slo_line],
            layout={
                "title": {"text": "Where the request's milliseconds go (dashed: the SLO)"},
                "xaxis": {"title": {"text": "stage on the request path"}, **_stage_ticks()},
                "yaxis": {"title": {"text": "cumulative latency (ms)"}, "rangemode": "tozero"},
                "height": 420,
                "margin": {"t": 60, "l": 60, "r": 20, "b": 90},
                "legend": {"orientation": "h", "y": -0.3},
                "showlegend": True,
            },
        )

    def _apply_preset(self, change) -> None:
        preset = change["new"]
        if preset is None:
            return
        values = preset.stages()
        # Hold the redraw until every control has its new value: one update, not seven.
        self._hold = True
        try:
            for name, *_ in CONTROLS:
                getattr(self, name).value = float(values[f"{name}_ms"])
            self.parallel.value = preset.parallel_features
        finally:
            self._hold = False
        self.update()
        self.message.info(f"{preset.name}: {preset.story}.")

    _hold = False

    def update(self) -> None:
        """Recompute the breakdown and verdict; a bad input shows in the message line."""
        if self._hold:
            return
        with errors_to(self.message):
            inputs = self._inputs()
            rows = budget_breakdown(**inputs)
            verdict = budget_verdict(**inputs)
            colour = FIT_COLOUR if verdict.fits else OVER_COLOUR
            mark = "✓" if verdict.fits else "✗"
            self.verdict.value = (
                f"<b style='font-size:1.3em;color:{colour}'>{mark} "
                f"{verdict.text[0].upper()}{verdict.text[1:]}</b>"
            )
            with self.fig.batch_update():
                waterfall, slo_line = self.fig.data
                waterfall.x = list(rows["label"])
                waterfall.y = [float(v) for v in rows["counted_ms"]]
                waterfall.measure = list(rows["measure"])
                waterfall.text = _texts(rows)
                slo_line.x = list(rows["label"])
                slo_line.y = [inputs["slo_ms"]] * len(rows)
            return
        self.verdict.value = "<b style='font-size:1.3em'>Verdict: —</b> (fix the input above)"


def _stage_ticks() -> dict:
    """Horizontal tick labels, wrapped onto two lines: at JupyterLab's 700 px chart width the
    six one-line names overprint each other (or, slanted, take half the chart's height)."""
    labels = [*STAGE_LABELS.values(), TOTAL_LABEL]
    wrapped = ["<br>".join(textwrap.wrap(label, 14)) for label in labels]
    return {"tickmode": "array", "tickvals": labels, "ticktext": wrapped, "tickangle": 0}


def _texts(rows) -> list[str]:
    texts = []
    for _, row in rows.iterrows():
        if row["measure"] == "total":
            texts.append(f"{row['counted_ms']:g} ms")
        elif row["counted_ms"] == 0 and row["ms"] > 0:
            texts.append(f"∥ {row['ms']:g} ms hidden")
        else:
            texts.append(f"+{row['counted_ms']:g}")
    return texts


def feature_budget(**initial) -> FeatureBudget:
    """Build the feature latency budget explorer; display ``.container``."""
    return FeatureBudget(**initial)
