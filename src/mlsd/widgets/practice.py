"""Section 10: pick one of the 11 practice problems and get its worksheet.

The worksheet is section 7's calculator set pre-filled from the problem's row and its stated
assumptions (every input stays editable), section 6's model chooser set to the problem's
latency budget, and a card with the guide's numbers, goal, challenge, metric targets and a
link to the section 5 pattern it builds on.
"""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd import estimates, practice
from mlsd.widgets.chooser import model_chooser
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure
from mlsd.widgets.estimates import INPUT_NAMES, estimate_calculator

SAFE = plotly.colors.qualitative.Safe
IDLE, CHOSEN = "#888888", SAFE[0]  # apart under every colour-vision deficiency
ALL = "all domains"
# Accuracy bar handed to the chooser when a problem states one (in %).
_ACCURACY_TARGETS = ("accuracy_pct", "recall_pct", "harmful_recall_pct")


def _chooser_accuracy(p: practice.Problem) -> float:
    for target in p.targets:
        if target.metric in _ACCURACY_TARGETS:
            return min(max(target.value, 50.0), 100.0)
    return 85.0


def card_html(p: practice.Problem) -> str:
    """The problem's card: the guide's numbers, goal, challenge, targets, pattern, estimate."""
    targets = ", ".join(f"<code>{t}</code> %" for t in p.targets) or "none stated"
    link = practice.PATTERN_NOTEBOOK
    return (
        f"<div class='mlsd-practice-card-body'><h3 style='margin:4px 0'>{p.number}. "
        f"{p.title}</h3><i>{p.problem_set}</i><ul style='margin:4px 0'>"
        f"<li><b>Scale:</b> {'; '.join(p.facts())}</li>"
        f"<li><b>Goal:</b> {p.goal}</li><li><b>Challenge:</b> {p.challenge}</li>"
        f"<li><b>Metric targets:</b> {targets}</li>"
        f"<li><b>Pattern:</b> <a href='{link}' target='_blank'>Section 5 · "
        f"{practice.PATTERNS[p.pattern]}</a></li>"
        f"<li><b>Your estimate:</b> {p.assumptions.prompt}</li></ul></div>"
    )


class PracticeWorksheet:
    """Controls ``domain`` (filter) and ``problem`` (1–11); outputs ``card``, ``message``,
    ``fig`` (latency targets of all problems, the chosen one highlighted), ``calculator``
    (section 7, pre-filled) and ``chooser`` (section 6, at the latency budget)."""

    def __init__(self, number: int = 1):
        chosen = practice.problem(number)
        self.problems = practice.problems()
        # Buttons and a slider, not drop-downs: in JupyterLab ArrowUp/ArrowDown on a focused
        # drop-down move the notebook's cell selection instead of the choice.
        self.domain = W.ToggleButtons(
            options=[ALL, *practice.domains()], value=ALL, description="Domain", style=LABEL_STYLE
        )
        self.problem = W.SelectionSlider(
            options=self._options(ALL),
            value=chosen.number,
            description="Problem number",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=W.Layout(width="min(100%, 640px)"),
        )
        self.card = W.HTML()
        self.message = MessageLine("mlsd-practice-message")
        self.calculator = estimate_calculator(**practice.worksheet_inputs(chosen.number))
        self.chooser = model_chooser(
            latency_ms=chosen.latency_ms, accuracy_pct=_chooser_accuracy(chosen)
        )
        self.fig = self._figure(chosen.number)
        for widget, css in [
            (self.domain, "mlsd-practice-domain"),
            (self.problem, "mlsd-practice-problem"),
            (self.card, "mlsd-practice-card"),
        ]:
            widget.add_class(css)
        self.domain.observe(self._filter, names="value")
        self.problem.observe(lambda _c: self.update(), names="value")
        self.card.value = card_html(chosen)
        self.fig = live_figure(self.fig, "mlsd-practice-fig")  # opening state drawn above
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
            ]
        )
        self.container.add_class("mlsd-practice")

    def _options(self, domain: str):
        return [
            (f"{p.number}. {p.title}", p.number)
            for p in self.problems
            if domain == ALL or p.domain == domain
        ]

    def _figure(self, number: int) -> go.Figure:
        names = [f"{p.number}. {p.title}" for p in self.problems]
        return go.Figure(
            data=[
                go.Bar(
                    x=[p.latency_ms for p in self.problems],
                    y=names,
                    orientation="h",
                    marker={"color": self._colours(number)},
                    hovertemplate="%{y}<br>latency target %{x} ms<extra></extra>",
                    name="latency target",
                )
            ],
            layout={
                "title": {"text": "Latency target of each practice problem"},
                "xaxis": {"title": {"text": "latency target (ms, log scale)"}, "type": "log"},
                "yaxis": {"title": {"text": "problem"}, "autorange": "reversed"},
                "height": 380,
                "margin": {"t": 50, "l": 300, "r": 20, "b": 50},
            },
        )

    def _colours(self, number: int) -> list[str]:
        return [CHOSEN if p.number == number else IDLE for p in self.problems]

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
            for name in INPUT_NAMES:  # only changed values fire the calculator's callback
                control = getattr(self.calculator, name)
                if control.value != values[name]:
                    control.value = float(values[name])
            self.chooser.latency_ms.value = p.latency_ms
            self.chooser.accuracy_pct.value = _chooser_accuracy(p)


def practice_worksheet(number: int = 1) -> PracticeWorksheet:
    """Build the worksheet for problem ``number`` (1 to 11); display ``.container``."""
    return PracticeWorksheet(number)
