"""Section 8 widgets: the rubric scorer (signs or sliders, radar) and a self-assessment log."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.rubric import (
    DIMENSIONS,
    GUIDE_EXAMPLES,
    KEYS,
    append_assessment,
    assessment_row,
    evidence_effect,
    hire_band,
    load_assessments,
    practice_gains,
    rate_dimension,
    ratings_from_evidence,
    recent_scores,
    resolve_csv,
    score_evidence,
    weighted_total,
)
from mlsd.widgets.common import LABEL_STYLE, WIDE, MessageLine, errors_to, live_figure, slider

SAFE = plotly.colors.qualitative.Safe
NAMES = [d.name for d in DIMENSIONS]
BLANK = "blank (nothing seen yet)"
FOCUS_BAR = 80.0  # the strong-hire floor: the gap to it is what the log asks you to close
FOCUS_WINDOW = 3  # attempts averaged before naming what to practise next
EMPTY_LOG = "No attempts saved yet: score yourself after a practice problem and press Save."


def _closed(values):
    return [*values, values[0]]


class RubricScorer:
    """Controls: ``candidate``, ``method`` ('descriptors' or 'sliders'), per dimension
    ``excellent[key]`` / ``poor[key]`` (SelectMultiple of sign indices), ``sliders[key]``
    and ``weights[key]``. Outputs: ``total``, ``band``, ``breakdown``, ``evidence``,
    ``message``, ``fig`` (radar). Display ``container``."""

    def __init__(self, candidate: str = "Candidate A (strong)"):
        self._busy = False
        # Buttons, not a drop-down: JupyterLab keeps the arrow keys for its own commands.
        self.candidate = W.ToggleButtons(
            options=[*GUIDE_EXAMPLES, BLANK],
            value=candidate,
            description="Candidate",
            style={**LABEL_STYLE, "button_width": "auto"},
            tooltips=[
                "the guide's strong example: its signs ticked",
                "the guide's weak example: its signs ticked",
                "nothing ticked: score a candidate of your own",
            ],
        )
        self.method = W.ToggleButtons(
            options=["descriptors", "sliders"],
            value="descriptors",
            description="Score by",
            style=LABEL_STYLE,
            tooltips=["tick the signs you saw", "set each dimension 0-100 directly"],
        )
        self.excellent, self.poor, self.sliders, self.weights = {}, {}, {}, {}
        rows = []
        for d in DIMENSIONS:
            opts = list(enumerate(d.excellent))
            self.excellent[d.key] = W.SelectMultiple(
                options=[(text, i) for i, text in opts],
                rows=len(opts),
                description="excellent signs",
                style=LABEL_STYLE,
            )
            self.poor[d.key] = W.SelectMultiple(
                options=[(text, i) for i, text in enumerate(d.poor)],
                rows=len(opts),
                description="poor signs",
                style=LABEL_STYLE,
            )
            self.sliders[d.key] = slider(
                f"{d.name} (0-100)", 50.0, 0.0, 100.0, 2.5, css=f"mlsd-rubric-slider-{d.key}"
            )
            self.weights[d.key] = W.FloatText(
                value=float(d.weight_pct),
                description="weight (%)",
                style=LABEL_STYLE,
                layout=W.Layout(width="180px"),
            )
            self.excellent[d.key].add_class(f"mlsd-rubric-excellent-{d.key}")
            self.poor[d.key].add_class(f"mlsd-rubric-poor-{d.key}")
            self.weights[d.key].add_class(f"mlsd-rubric-weight-{d.key}")
            rows.append(
                W.VBox(
                    [
                        W.HTML(f"<b>{d.name}</b>"),
                        W.HBox([self.excellent[d.key], self.poor[d.key]]),
                        W.HBox([self.sliders[d.key], self.weights[d.key]]),
                    ]
                )
            )
        self.total, self.band = W.HTML(), W.HTML()
        self.breakdown, self.evidence = W.HTML(), W.HTML()
        self.message = MessageLine("mlsd-rubric-message")
        self.fig = self._figure()
        for widget, css in [
            (self.candidate, "mlsd-rubric-candidate"),
            (self.method, "mlsd-rubric-method"),
            (self.total, "mlsd-rubric-total"),
            (self.band, "mlsd-rubric-band"),
            (self.breakdown, "mlsd-rubric-breakdown"),
            (self.evidence, "mlsd-rubric-evidence"),
        ]:
            widget.add_class(css)
        self.candidate.observe(lambda _c: self.load_candidate(), names="value")
        self.method.observe(lambda _c: self.update(), names="value")
        for k in KEYS:
            for control in (self.excellent[k], self.poor[k], self.sliders[k], self.weights[k]):
                control.observe(self._changed, names="value")
        self.load_candidate()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-rubric-fig")
        self.container = W.VBox(
            [
                self.candidate,
                self.method,
                # a list box picks one line per click: say how to pick several
                W.HTML(
                    "<i>Tick several signs with Ctrl-click (&#8984;-click on a Mac); "
                    "Shift-click ticks a range.</i>"
                ),
                W.VBox(rows),
                self.total,
                self.band,
                self.message.widget,
                self.breakdown,
                self.fig,
                self.evidence,
            ]
        )
        self.container.add_class("mlsd-rubric")
        # Which start it was built with, so a page showing two scorers can address each.
        self.container.add_class(
            "mlsd-rubric-blank" if candidate == BLANK else "mlsd-rubric-example"
        )

    def _figure(self) -> go.Figure:
        traces = []
        for (name, evidence), colour in zip(GUIDE_EXAMPLES.items(), SAFE[1:], strict=False):
            scores = score_evidence(evidence)
            traces.append(
                go.Scatterpolar(
                    r=_closed([scores[k] for k in KEYS]),
                    theta=_closed(NAMES),
                    name=name,
                    line={"color": colour, "dash": "dot"},
                    mode="lines",
                )
            )
        traces.append(
            go.Scatterpolar(
                r=_closed([50.0] * len(KEYS)),
                theta=_closed(NAMES),
                name="this candidate",
                fill="toself",
                line={"color": SAFE[0], "width": 3},
                mode="lines+markers",
            )
        )
        return go.Figure(
            data=traces,
            layout={
                "title": {"text": "Rubric profile (score per dimension, 0-100 points)"},
                "polar": {"radialaxis": {"range": [0, 100], "title": {"text": "points"}}},
                "height": 430,
                "margin": {"t": 60, "l": 40, "r": 40, "b": 40},
                "legend": {"orientation": "h", "y": -0.1},
            },
        )

    def load_candidate(self) -> None:
        """Tick the signs of the chosen guide example (or clear them all)."""
        evidence = GUIDE_EXAMPLES.get(self.candidate.value, ())
        self._busy = True
        try:
            self.method.value = "descriptors"
            for k in KEYS:
                self.excellent[k].value = tuple(
                    e.sign for e in evidence if e.dimension == k and e.rating == "excellent"
                )
                self.poor[k].value = tuple(
                    e.sign for e in evidence if e.dimension == k and e.rating == "poor"
                )
        finally:
            self._busy = False
        rows = "".join(
            f"<li><b>{DIMENSIONS[KEYS.index(e.dimension)].name}</b> · {e.rating}: "
            f"<i>{e.quote}</i> → {dim:+.1f} on the dimension, {tot:+.2f} on the total</li>"
            for e in evidence
            for dim, tot in [evidence_effect(e)]
        )
        self.evidence.value = (
            "<p>Evidence, the dimension it moves and by how much (compared with the sign "
            f"not shown; guide weights):</p><ul>{rows}</ul>"
            if rows
            else ""
        )
        self.update()

    def _changed(self, _change) -> None:
        if not self._busy:
            self.update()

    def scores(self) -> dict[str, float]:
        """The five dimension scores as the chosen method gives them (may raise ValueError)."""
        if self.method.value == "sliders":
            return {k: float(self.sliders[k].value) for k in KEYS}
        return {
            k: rate_dimension(
                k, ratings_from_evidence(k, self.excellent[k].value, self.poor[k].value)
            )
            for k in KEYS
        }

    def update(self) -> None:
        """Recompute scores, total and band; redraw the radar in place."""
        descriptors = self.method.value == "descriptors"
        for k in KEYS:
            self.sliders[k].disabled = descriptors
            self.excellent[k].disabled = self.poor[k].disabled = not descriptors
        with errors_to(self.message):
            scores = self.scores()
            weights = {k: self.weights[k].value for k in KEYS}
            total = weighted_total(scores, weights)
            band = hire_band(total)
            if descriptors:
                self._busy = True
                try:
                    for k in KEYS:
                        self.sliders[k].value = scores[k]
                finally:
                    self._busy = False
            self.total.value = f"<b style='font-size:1.3em'>Total: {total:.1f} / 100</b>"
            self.band.value = f"<b>Band: {band}</b>"
            cells = "".join(
                f"<tr><td>{d.name}</td><td>{scores[d.key]:.1f}</td><td>{weights[d.key]:g} %</td>"
                f"<td>{scores[d.key] * weights[d.key] / 100:.2f}</td></tr>"
                for d in DIMENSIONS
            )
            self.breakdown.value = (
                "<table><tr><th>dimension</th><th>score</th><th>weight</th>"
                f"<th>points to the total</th></tr>{cells}</table>"
            )
            with self.fig.batch_update():
                self.fig.data[-1].r = _closed([scores[k] for k in KEYS])
                self.fig.data[-1].name = self.candidate.value
            return
        self.total.value = "<b>Total: —</b>"
        self.band.value = "<b>Band: —</b>"


def rubric_scorer(**initial) -> RubricScorer:
    """Build the rubric scorer; display ``.container``."""
    return RubricScorer(**initial)


class SelfAssessment:
    """After a practice problem: ``problem`` (Text), ``sliders[key]``, ``path`` (Text),
    ``save`` (Button, or call ``save_now()``); outputs ``total``, ``message``, ``fig``
    (the totals over time), ``focus`` (what to practise next), ``history`` (rows loaded
    from the CSV)."""

    def __init__(self, path: str | Path | None = None):
        self.problem = W.Text(
            value="",
            placeholder="e.g. news feed ranking",
            description="Practice problem",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.sliders = {
            d.key: slider(f"{d.name} (0-100)", 50, 0, 100, 5, css=f"mlsd-self-{d.key}")
            for d in DIMENSIONS
        }
        self.path = W.Text(
            value=str(resolve_csv(path)),
            description="Save to (.csv)",
            continuous_update=False,  # reload when the learner presses Enter, not per key
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.save = W.Button(description="Save this attempt", button_style="primary")
        self.total = W.HTML()
        self.focus = W.HTML()
        self.message = MessageLine("mlsd-self-message")
        self.history: list[dict] = []
        self.fig = go.Figure(
            data=[
                go.Scatter(
                    x=[],
                    y=[],
                    mode="lines+markers",
                    name="total",
                    line={"color": SAFE[0], "width": 3},
                ),
                *[
                    go.Scatter(
                        x=[],
                        y=[],
                        mode="lines",
                        name=d.name,
                        line={"color": SAFE[(i + 1) % len(SAFE)], "width": 1},
                    )
                    for i, d in enumerate(DIMENSIONS)
                ],
            ],
            layout={
                "title": {"text": "Your rubric scores over practice attempts"},
                # Attempts are whole numbers: one tick per attempt, never "attempt 0.5".
                "xaxis": {
                    "title": {"text": "attempt (number, oldest first)"},
                    "tickmode": "linear",
                    "tick0": 1,
                    "dtick": 1,
                    "range": [0.5, 1.5],
                },
                "yaxis": {"title": {"text": "score (points out of 100)"}, "range": [0, 100]},
                "height": 380,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 50},
                "annotations": [],
            },
        )
        for widget, css in [
            (self.problem, "mlsd-self-problem"),
            (self.path, "mlsd-self-path"),
            (self.save, "mlsd-self-save"),
            (self.total, "mlsd-self-total"),
            (self.focus, "mlsd-self-focus"),
        ]:
            widget.add_class(css)
        for s in self.sliders.values():
            s.observe(lambda _c: self.update(), names="value")
        self.path.observe(lambda _c: self.reload(), names="value")
        self.save.on_click(lambda _b: self.save_now())
        self.update()
        self.reload()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-self-fig")
        self.container = W.VBox(
            [
                self.problem,
                *self.sliders.values(),
                self.total,
                self.path,
                self.save,
                self.message.widget,
                self.fig,
                self.focus,
            ]
        )
        self.container.add_class("mlsd-self-assessment")

    def scores(self) -> dict[str, float]:
        return {k: float(s.value) for k, s in self.sliders.items()}

    def update(self) -> None:
        with errors_to(self.message):
            total = weighted_total(self.scores())
            self.total.value = f"<b>Total: {total:.1f} / 100 — {hire_band(total)}</b>"

    def reload(self) -> None:
        """Read the CSV at ``path`` (if any) and redraw the history."""
        with errors_to(self.message):
            self.history = load_assessments(self.path.value)
            self._draw()

    def _draw(self) -> None:
        n = len(self.history)
        x = list(range(1, n + 1))
        labels = [r["problem"] for r in self.history]
        with self.fig.batch_update():
            self.fig.data[0].x, self.fig.data[0].y = x, [r["total"] for r in self.history]
            self.fig.data[0].text = labels
            for trace, k in zip(self.fig.data[1:], KEYS, strict=True):
                trace.x, trace.y = x, [r[k] for r in self.history]
            # An empty log shows a sentence, not an empty legend over empty axes.
            self.fig.layout.showlegend = bool(n)
            self.fig.layout.xaxis.range = [0.5, max(n, 1) + 0.5]
            self.fig.layout.annotations = (
                []
                if n
                else [
                    {
                        "text": EMPTY_LOG,
                        "xref": "paper",
                        "yref": "paper",
                        "x": 0.5,
                        "y": 0.5,
                        "showarrow": False,
                    }
                ]
            )
        self.focus.value = self._focus_text()

    def _focus_text(self) -> str:
        recent = recent_scores(self.history, FOCUS_WINDOW)
        if recent is None:
            return ""
        gains = practice_gains(recent, FOCUS_BAR)
        window = min(FOCUS_WINDOW, len(self.history))
        if not gains:
            return (
                f"<b>Every dimension is at {FOCUS_BAR:g} or above over your last {window} "
                "attempt(s):</b> practise harder problems or mock interviews."
            )
        key, gain = gains[0]
        name = DIMENSIONS[KEYS.index(key)].name
        return (
            f"<b>Practise next: {name}</b>: raising it to {FOCUS_BAR:g} would add {gain:.1f} "
            f"points to your total (mean of your last {window} attempt(s); weight × gap)."
        )

    def save_now(self) -> Path | None:
        """Append the current scores to the CSV; returns its path (None on bad input)."""
        with errors_to(self.message):
            row = assessment_row(self.problem.value, self.scores())
            target = append_assessment(self.path.value, row)
            self.history = load_assessments(target)
            self._draw()
            self.message.info(
                f"Saved attempt {len(self.history)} ({row['total']:.1f}, {row['band']}) "
                f"to {target}."
            )
            return target
        return None


def self_assessment(path: str | Path | None = None) -> SelfAssessment:
    """Build the self-assessment log; ``path`` defaults to ./self_assessment.csv."""
    return SelfAssessment(path)
