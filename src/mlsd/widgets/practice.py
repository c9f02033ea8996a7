"""Section 10: pick one of the 11 practice problems and get its worksheet; see a detector's
rates at the real base rate.

The worksheet is section 7's calculator set pre-filled from the problem's row and its stated
assumptions (every input stays editable), section 6's model chooser set to the problem's
latency budget, a card with the guide's numbers, goal, challenge, metric targets and a link to
the section 5 pattern it builds on, and the problem's reference design behind a button (open it
after you have written yours).

The base-rate explorer turns a detector's recall and false-positive rate into precision and
daily counts at a prevalence the learner sets (``mlsd.base_rates``).
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd import answers, base_rates, designs, estimates, practice
from mlsd.chooser import choose_model
from mlsd.widgets.chooser import model_chooser
from mlsd.widgets.common import (
    CORNER_TICK_STANDOFF,
    LABEL_STYLE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
)
from mlsd.widgets.estimates import INPUT_NAMES, estimate_calculator

SAFE = plotly.colors.qualitative.Safe
IDLE, CHOSEN = "#888888", SAFE[0]  # apart under every colour-vision deficiency
ALL = "all domains"
# Accuracy bar handed to the chooser when a problem states one (in %).
_ACCURACY_TARGETS = ("accuracy_pct", "recall_pct", "harmful_recall_pct")
_LATENCY_TICKS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
REVEAL, HIDE = "Show the reference design", "Hide the reference design"


def _chooser_accuracy(p: practice.Problem) -> float:
    for target in p.targets:
        if target.metric in _ACCURACY_TARGETS:
            return min(max(target.value, 50.0), 100.0)
    return 85.0


def card_html(p: practice.Problem) -> str:
    """The problem's card: the guide's numbers, goal, challenge, targets, pattern, estimate."""
    e = html.escape
    targets = ", ".join(f"<code>{e(str(t))}</code> %" for t in p.targets) or "none stated"
    note = practice.WORKSHEET_NOTES.get(p.number)
    note_html = f"<li><b>Calculators:</b> {e(note)}</li>" if note else ""
    return (
        f"<div class='mlsd-practice-card-body'><h3 style='margin:4px 0'>{p.number}. "
        f"{e(p.title)}</h3><i>{e(p.problem_set)}</i><ul style='margin:4px 0'>"
        f"<li><b>Scale:</b> {e('; '.join(p.facts()))}</li>"
        f"<li><b>Goal:</b> {e(p.goal)}</li><li><b>Challenge:</b> {e(p.challenge)}</li>"
        f"<li><b>Metric targets:</b> {targets}</li>"
        f"<li><b>Pattern:</b> <a href='{practice.PATTERN_NOTEBOOK}' target='_blank'>Section 5 · "
        f"{e(practice.PATTERNS[p.pattern])}</a></li>"
        f"<li><b>Your estimate:</b> {e(p.assumptions.prompt)}</li>{note_html}</ul></div>"
    )


class PracticeWorksheet:
    """Controls ``domain`` (filter), ``problem`` (1–11) and ``reveal`` (a toggle); outputs
    ``card``, ``message``, ``fig`` (latency targets of all problems, the chosen one
    highlighted), ``calculator`` (section 7, pre-filled), ``chooser`` (section 6, at the
    latency budget) and ``design`` (the reference design, empty until revealed).
    ``summary()`` is the worksheet as plain text."""

    def __init__(self, number: int = 1):
        chosen = practice.problem(number)
        self.problems = practice.problems()
        # Buttons and a slider, not drop-downs: in JupyterLab ArrowUp/ArrowDown on a focused
        # drop-down move the notebook's cell selection instead of the choice.
        self.domain = W.ToggleButtons(
            options=[ALL, *practice.domains()], value=ALL, description="Domain", style=LABEL_STYLE
        )
        # The readout shows only the number (a title would be cut off by the readout's fixed
        # width); the card right below starts with the number and the full title.
        self.problem = W.SelectionSlider(
            options=self._options(ALL),
            value=chosen.number,
            description="Problem number",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=W.Layout(width="min(100%, 560px)"),
        )
        self.card = W.HTML()
        self.message = MessageLine("mlsd-practice-message")
        self.calculator = estimate_calculator(**practice.worksheet_inputs(chosen.number))
        self.chooser = model_chooser(
            latency_ms=chosen.latency_ms, accuracy_pct=_chooser_accuracy(chosen)
        )
        self.reveal = W.ToggleButton(
            value=False,
            description=REVEAL,
            tooltip="Open it after you have written your own design",
            layout=W.Layout(width="auto"),
        )
        self.design = W.HTML()
        for widget, css in [
            (self.domain, "mlsd-practice-domain"),
            (self.problem, "mlsd-practice-problem"),
            (self.card, "mlsd-practice-card"),
            (self.reveal, "mlsd-practice-reveal"),
            (self.design, "mlsd-practice-design"),
        ]:
            widget.add_class(css)
        self.domain.observe(self._filter, names="value")
        self.problem.observe(lambda _c: self.update(), names="value")
        self.reveal.observe(lambda _c: self._show_design(), names="value")
        self.card.value = card_html(chosen)
        self.fig = live_figure(self._figure(chosen.number), "mlsd-practice-fig")
        self.container = W.VBox(
            [
                self.domain,
                self.problem,
                self.message.widget,
                self.card,
                self.fig,
                W.Accordion(
                    children=[self.calculator.container, self.chooser.container],
                    titles=["Back-of-envelope (section 7)", "Model chooser (section 6)"],
                    selected_index=0,
                ),
                self.reveal,
                self.design,
            ]
        )
        self.container.add_class("mlsd-practice")

    def _options(self, domain: str):
        return [(str(p.number), p.number) for p in self.problems if domain in (ALL, p.domain)]

    def _figure(self, number: int) -> go.Figure:
        # Dots, not bars: on a log axis a bar's length depends on where the axis starts, so
        # bar lengths would not compare the latencies.
        names = [f"{p.number}. {p.title}" for p in self.problems]
        return go.Figure(
            data=[
                go.Scatter(
                    x=[p.latency_ms for p in self.problems],
                    y=names,
                    mode="markers",
                    marker={"color": self._colours(number), "size": self._sizes(number)},
                    hovertemplate="%{y}<br>latency target %{x} ms<extra></extra>",
                    name="latency target",
                )
            ],
            layout={
                "title": {"text": "Latency target of each practice problem"},
                "xaxis": {
                    "title": {"text": "latency target (ms, log scale)"},
                    "type": "log",
                    "range": [1, 4],
                    # 1-2-5 ticks: plotly's default puts digits 2-9 under every decade, and
                    # in presenter mode's larger font the "9" runs into the "1000".
                    "tickvals": _LATENCY_TICKS_MS,
                    "ticktext": [f"{v:g}" for v in _LATENCY_TICKS_MS],
                },
                "yaxis": {"title": {"text": "problem"}, "autorange": "reversed"},
                "height": 400,
                "margin": {"t": 50, "l": 300, "r": 20, "b": 50},
            },
        )

    def _colours(self, number: int) -> list[str]:
        return [CHOSEN if p.number == number else IDLE for p in self.problems]

    def _sizes(self, number: int) -> list[int]:
        return [16 if p.number == number else 9 for p in self.problems]

    def _filter(self, change) -> None:
        options = self._options(change["new"])
        current = self.problem.value
        self.problem.options = options
        keep = [n for _label, n in options]
        self.problem.value = current if current in keep else keep[0]

    def select(self, number) -> None:
        """Show problem ``number`` (what picking it on the slider does)."""
        with errors_to(self.message):
            number = practice.problem(number).number
            self.domain.value = ALL
            self.problem.value = number

    def update(self) -> None:
        """Load the chosen problem into the card, the chart, the calculator and the chooser."""
        with errors_to(self.message):
            p = practice.problem(self.problem.value)
            values = estimates.DEFAULTS | practice.worksheet_inputs(p.number)
            self.card.value = card_html(p)
            with self.fig.batch_update():
                self.fig.data[0].marker.color = self._colours(p.number)
                self.fig.data[0].marker.size = self._sizes(p.number)
            self._fill_calculator(values)
            self.chooser.latency_ms.value = p.latency_ms
            self.chooser.accuracy_pct.value = _chooser_accuracy(p)
            self.reveal.value = False  # a new problem starts hidden again
            self._show_design()

    def _fill_calculator(self, values: dict) -> None:
        """Set the calculator's inputs, then recompute it once (not once per input: the
        calculator's own hold flag, which its presets use, defers its callback)."""
        calc = self.calculator
        calc._hold = True
        try:
            for name in INPUT_NAMES:
                control = getattr(calc, name)
                if control.value != values[name]:
                    control.value = float(values[name])
        finally:
            calc._hold = False
        calc.update()

    def _show_design(self) -> None:
        self.reveal.description = HIDE if self.reveal.value else REVEAL
        if not self.reveal.value:
            self.design.value = ""
        elif answers.switched_off():  # the instructor's switch for graded use
            self.design.value = f"<p>{html.escape(answers.SWITCHED_OFF)}</p>"
        else:
            self.design.value = designs.to_html(designs.reference(self.problem.value))

    def decision_text(self) -> str:
        """The model chooser's decision as plain text (its widget shows HTML)."""
        c = self.chooser
        decision = choose_model(c.latency_ms.value, c.accuracy_pct.value, c.cost.value)
        return f"{decision.candidate.name} ({decision.key}): {decision.candidate.note}"

    def summary(self) -> str:
        """The worksheet as plain text: the problem, its key estimates and the chooser."""
        p = practice.problem(self.problem.value)
        results = self.calculator.results
        lines = [f"Problem {p.number}: {p.title} ({'; '.join(p.facts())})"]
        lines += [f"  {results[k].name}: {results[k].readable}" for k in ("qps", "servers")
                  if k in results]  # fmt: skip
        lines.append(f"  Model chooser: {self.decision_text()}")
        return "\n".join(lines)


def practice_worksheet(number: int = 1) -> PracticeWorksheet:
    """Build the worksheet for problem ``number`` (1 to 11); display ``.container``."""
    return PracticeWorksheet(number)


def reference_design_markdown(number) -> str:
    """The reference design of problem ``number`` as Markdown (display with IPython's
    ``Markdown``); for the notebook's reveal after a learner has written their own. When the
    instructor has switched model answers off, a sentence saying so instead."""
    design = designs.reference(number)
    return answers.SWITCHED_OFF if answers.switched_off() else designs.to_markdown(design)


# --- the base-rate explorer ------------------------------------------------------------------


class BaseRatePreset:
    def __init__(self, name, recall, fpr, prevalence, per_day, story):
        self.name, self.story = name, story
        self.values = {"recall": recall, "fpr": fpr, "prevalence": prevalence, "per_day": per_day}


BASE_RATE_PRESETS = (
    BaseRatePreset("Guide's fraud target", 0.9, 0.02, 0.001, 150e6,
                   "over 90 % caught at under 2 % false positives, at 0.1 % fraud"),
    BaseRatePreset("Block tier", 0.6, 0.0005, 0.001, 150e6,
                   "the reference design blocks only where fraud is likely"),
    BaseRatePreset("Same detector, balanced test set", 0.9, 0.02, 0.5, 150e6,
                   "a 50/50 evaluation set hides the base rate"),
)  # fmt: skip
PREVALENCE_RANGE = (1e-5, 0.5)
# One tick per decade, written out: a percentage tick format prints 0.001 % as "0%" (a log
# axis never reaches 0) and crowds the 2-5 minor labels into each other.
_PREVALENCE_TICKS = {
    "tickvals": [1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
    "ticktext": ["0.001%", "0.01%", "0.1%", "1%", "10%"],
}


def _precision_curve(recall: float, fpr: float, prevalence: np.ndarray) -> np.ndarray:
    caught = recall * prevalence
    flagged = caught + fpr * (1 - prevalence)
    return np.divide(caught, flagged, out=np.zeros_like(prevalence), where=flagged > 0)


class BaseRateExplorer:
    """Controls ``preset``, ``recall``, ``fpr``, ``prevalence`` and ``per_day``; outputs
    ``result`` (HTML), ``message`` and ``fig`` (precision against prevalence for this recall
    and false-positive rate, the chosen prevalence marked). ``summary()`` is plain text."""

    GRID = np.logspace(np.log10(PREVALENCE_RANGE[0]), np.log10(PREVALENCE_RANGE[1]), 200)

    def __init__(self, recall=0.9, fpr=0.02, prevalence=0.001, per_day=150e6):
        self.preset = W.ToggleButtons(
            options=[(p.name, p) for p in BASE_RATE_PRESETS],
            value=None,
            description="Example",
            style={**LABEL_STYLE, "button_width": "auto"},  # whole names, never "Guide's fr…"
            tooltips=[p.story for p in BASE_RATE_PRESETS],
        )
        wide = W.Layout(width="min(100%, 560px)")
        self.recall = W.FloatSlider(
            value=recall, min=0, max=1, step=0.01, description="Recall (share of fraud flagged)",
            readout_format=".2f", style=LABEL_STYLE, layout=wide,
        )  # fmt: skip
        self.fpr = W.FloatLogSlider(
            value=fpr, base=10, min=-5, max=-0.3, step=0.05,
            description="False-positive rate (share of good ones flagged)",
            readout_format=".2%", style=LABEL_STYLE, layout=wide,
        )  # fmt: skip
        self.prevalence = W.FloatLogSlider(
            value=prevalence, base=10, min=-5, max=-0.3, step=0.05,
            description="Prevalence (share of events that are fraud)",
            readout_format=".3%", style=LABEL_STYLE, layout=wide,
        )  # fmt: skip
        self.per_day = W.FloatLogSlider(
            value=per_day, base=10, min=3, max=10, step=0.1, description="Events per day",
            readout_format=".3s", style=LABEL_STYLE, layout=wide,
        )  # fmt: skip
        self.result = W.HTML()
        self.message = MessageLine("mlsd-baserate-message")
        for widget, css in [
            (self.preset, "mlsd-baserate-preset"),
            (self.recall, "mlsd-baserate-recall"),
            (self.fpr, "mlsd-baserate-fpr"),
            (self.prevalence, "mlsd-baserate-prevalence"),
            (self.per_day, "mlsd-baserate-per-day"),
            (self.result, "mlsd-baserate-result"),
        ]:
            widget.add_class(css)
        self.point: base_rates.OperatingPoint | None = None
        self.fig = self._figure()
        self.preset.observe(self._apply_preset, names="value")
        observe_all([self.recall, self.fpr, self.prevalence, self.per_day], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-baserate-fig")
        self.container = W.VBox(
            [
                self.preset,
                self.recall,
                self.fpr,
                self.prevalence,
                self.per_day,
                self.message.widget,
                self.result,
                self.fig,
            ]
        )
        self.container.add_class("mlsd-baserate")

    def _figure(self) -> go.Figure:
        return go.Figure(
            data=[
                go.Scatter(x=self.GRID, y=np.zeros_like(self.GRID), mode="lines",
                           name="precision at each prevalence",
                           line={"color": SAFE[0], "width": 3},
                           hovertemplate="prevalence %{x:.3%}<br>precision %{y:.1%}"
                                         "<extra></extra>"),
                go.Scatter(x=[], y=[], mode="markers", name="your prevalence",
                           marker={"color": SAFE[1], "size": 16, "symbol": "star",
                                   "line": {"width": 1, "color": "black"}},
                           hovertemplate="prevalence %{x:.3%}<br>precision %{y:.1%}"
                                         "<extra></extra>"),
            ],
            layout={
                "title": {"text": "Precision of the same detector at different base rates"},
                "xaxis": {"title": {"text": "prevalence (share of events that are positive, "
                                            "log scale)"},
                          "type": "log", **_PREVALENCE_TICKS,
                          "ticklabelstandoff": CORNER_TICK_STANDOFF},
                "yaxis": {"title": {"text": "precision (share of flags correct)"},
                          "range": [0, 1.02], "tickformat": ".0%"},
                # Tall enough for the y title in presenter mode's 18 px chart font.
                "height": 440,
                "margin": {"t": 50, "l": 70, "r": 20, "b": 60},
                "legend": {"orientation": "h", "y": -0.25},
            },
        )  # fmt: skip

    def _apply_preset(self, change) -> None:
        preset = change["new"]
        if preset is None:
            return
        with self.fig.batch_update():
            for name, value in preset.values.items():
                getattr(self, name).value = value
        self.message.info(f"{preset.name}: {preset.story}.")

    def update(self) -> None:
        with errors_to(self.message):
            point = base_rates.operating_point(
                self.recall.value, self.fpr.value, self.prevalence.value, self.per_day.value
            )
            self.point = point
            self.result.value = html.escape(self.summary()).replace("\n", "<br>")
            curve = _precision_curve(point.recall, point.fpr, self.GRID)
            with self.fig.batch_update():
                self.fig.data[0].y = curve
                self.fig.data[1].x = [point.prevalence]
                self.fig.data[1].y = [point.precision]
            return
        self.point = None
        self.result.value = ""

    def summary(self) -> str:
        """What the detector does each day at this base rate, as plain text."""
        if self.point is None:
            return "No result: fix the input named in the message above."
        return practice.operating_point_text(self.point)


def base_rate_explorer(**initial) -> BaseRateExplorer:
    """Build the base-rate explorer; display ``.container``."""
    return BaseRateExplorer(**initial)
