"""The lifecycle self-assessment (tip 6): describe a design, tick what it covers, see gaps."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.lifecycle import ITEMS, STAGES, gaps, suggest_covered, weakest_stages
from mlsd.widgets.common import MessageLine, errors_to, live_figure, observe_all

SAFE = plotly.colors.qualitative.Safe
BAR_COLOUR = SAFE[0]


class LifecycleChecklist:
    """``description`` (Textarea: typing ticks the items its keywords suggest), ``items``
    (key -> Checkbox, grouped by stage); outputs ``report`` (HTML), ``table``, ``fig``."""

    def __init__(self, description: str = "", covered=()):
        self.description = W.Textarea(
            value=description,
            description="Your design",
            placeholder="Describe your design: data, features, training, evaluation, "
            "deployment, monitoring…",
            layout=W.Layout(width="min(100%, 720px)", height="120px"),
            continuous_update=False,
        )
        self.description.add_class("mlsd-lifecycle-description")
        self.items = {}
        stage_boxes = []
        for stage in STAGES:
            boxes = []
            for item in (i for i in ITEMS if i.stage == stage):
                box = W.Checkbox(value=item.key in covered, description=item.question,
                                 indent=False, layout=W.Layout(width="auto"))  # fmt: skip
                box.add_class(f"mlsd-lifecycle-{item.key}")
                self.items[item.key] = box
                boxes.append(box)
            stage_boxes.append(W.VBox(boxes))
        self.stages = W.Accordion(children=stage_boxes, titles=list(STAGES))
        self.report = W.HTML()
        self.report.add_class("mlsd-lifecycle-report")
        self.message = MessageLine("mlsd-lifecycle-message")
        self.table = gaps(set())
        self.fig = go.Figure(
            data=[
                # Two short lines per stage: six rotated one-liners were cut at the bottom.
                go.Bar(
                    x=[stage.replace(" ", "<br>", 1) for stage in STAGES],
                    y=[0] * len(STAGES),
                    marker_color=BAR_COLOUR,
                    name="covered",
                )
            ],  # fmt: skip
            layout={
                "title": {"text": "Lifecycle coverage per stage"},
                "xaxis": {"title": {"text": "stage"}, "tickangle": 0},
                "yaxis": {"title": {"text": "questions answered (%)"}, "range": [0, 100]},
                "height": 320,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 80},
            },
        )
        self.description.observe(lambda _c: self.suggest(), names="value")
        observe_all(list(self.items.values()), self.update)
        if description:
            self.suggest()
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-lifecycle-fig")
        self.container = W.VBox(
            [self.description, self.stages, self.message.widget, self.report, self.fig]
        )
        self.container.add_class("mlsd-lifecycle")

    _hold = False

    def suggest(self) -> None:
        """Tick what the description's keywords suggest (never unticks the learner's ticks)."""
        with errors_to(self.message):
            found = suggest_covered(self.description.value)
            self._hold = True
            try:
                for key in found:
                    self.items[key].value = True
            finally:
                self._hold = False
            self.update()
            if found:
                self.message.info(
                    f"Ticked {len(found)} item(s) your text seems to cover: check them."
                )

    def covered(self) -> set[str]:
        return {key for key, box in self.items.items() if box.value}

    def update(self) -> None:
        if self._hold:
            return
        self.table = gaps(self.covered())
        weakest = weakest_stages(self.covered())
        rows = "".join(
            f"<tr><td>{r['stage']}</td><td>{r['covered']}</td><td>{r['open questions']}</td></tr>"
            for r in self.table.to_dict("records")
        )
        headline = (
            f"<b>Weakest: {', '.join(weakest)}</b>" if weakest else "<b>Every stage covered.</b>"
        )
        self.report.value = (
            f"{headline}<table><tr><th>stage</th><th>covered</th><th>open questions</th></tr>"
            f"{rows}</table>"
        )
        with self.fig.batch_update():
            self.fig.data[0].y = [100 * s for s in self.table["score"]]


def lifecycle_checklist(description: str = "", covered=()) -> LifecycleChecklist:
    """Build the checklist; display ``.container``."""
    return LifecycleChecklist(description, covered)
