"""The clarifying-questions checklist (tip 1): answers become a ``Requirements`` record."""

from __future__ import annotations

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd.requirements import (
    GROUPS,
    LABELLED_DATA,
    QUESTIONS,
    Requirements,
    coverage,
    open_questions,
    parse_amount,
)
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure, observe_all

SAFE = plotly.colors.qualitative.Safe
DONE_COLOUR, OPEN_COLOUR = SAFE[0], "#bbbbbb"
CHOICES = {
    "labelled_data": [("— not asked —", None)] + [(c, c) for c in LABELLED_DATA],
    "cold_start": [("— not asked —", None), ("yes", True), ("no", False)],
}
TEXT_FIELDS = ("success_metric", "business_impact", "regulations")


def _shown(value) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


class ClarifyingChecklist:
    """One control per question (attributes named after the ``Requirements`` fields); type
    numbers as 200M, 10K or 1e9. ``record`` is the latest valid record; ``progress``,
    ``open_list``, ``message`` and ``fig`` (answered per group) are the outputs."""

    def __init__(self, record: Requirements | None = None):
        record = record or Requirements()
        sections = []
        for group in GROUPS:
            controls = []
            for q in (q for q in QUESTIONS if q.group == group):
                label = f"{q.text} ({q.unit})" if q.unit else q.text
                current = getattr(record, q.field)
                if q.field in CHOICES:
                    control = W.Dropdown(
                        options=CHOICES[q.field], value=current, description=label,
                        style=LABEL_STYLE,
                    )  # fmt: skip
                else:
                    control = W.Text(
                        value=_shown(current),
                        description=label,
                        placeholder="not asked yet",
                        style=LABEL_STYLE,
                        layout=W.Layout(width="min(100%, 560px)"),
                        continuous_update=False,
                    )
                control.add_class(f"mlsd-requirements-{q.field.replace('_', '-')}")
                setattr(self, q.field, control)
                controls.append(control)
            sections.append(W.VBox(controls))
        self.groups = W.Accordion(children=sections, titles=list(GROUPS))
        self.groups.selected_index = 0
        self.progress = W.HTML()
        self.progress.add_class("mlsd-requirements-progress")
        self.open_list = W.HTML()
        self.open_list.add_class("mlsd-requirements-open")
        self.message = MessageLine("mlsd-requirements-message")
        self.record = record
        self.fig = self._figure(record)
        observe_all([getattr(self, q.field) for q in QUESTIONS], self.update)
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-requirements-fig")
        self.container = W.VBox(
            [self.groups, self.message.widget, self.progress, self.open_list, self.fig]
        )
        self.container.add_class("mlsd-requirements")

    def _figure(self, record) -> go.Figure:
        done = coverage(record)
        return go.Figure(
            data=[
                go.Bar(
                    x=list(GROUPS),
                    y=[done[g][0] for g in GROUPS],
                    name="answered",
                    marker_color=DONE_COLOUR,
                ),
                go.Bar(
                    x=list(GROUPS),
                    y=[done[g][1] - done[g][0] for g in GROUPS],
                    name="still open",
                    marker_color=OPEN_COLOUR,
                ),
            ],  # fmt: skip
            layout={
                "barmode": "stack",
                "title": {"text": "Clarifying questions answered, per group"},
                "xaxis": {"title": {"text": "question group"}},
                "yaxis": {"title": {"text": "questions (count)"}, "dtick": 1},
                "height": 300,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 50},
            },
        )

    def answers(self) -> dict:
        """The raw answers as the record takes them (numbers parsed, empty text = None)."""
        out = {}
        for q in QUESTIONS:
            value = getattr(self, q.field).value
            if q.field in CHOICES:
                out[q.field] = value
            elif q.field in TEXT_FIELDS:
                out[q.field] = value.strip() or None
            else:
                out[q.field] = parse_amount(q.field, value)
        return out

    def update(self) -> None:
        with errors_to(self.message):
            record = Requirements(**self.answers())
            self.record = record
            done = coverage(record)
            total = sum(a for a, _ in done.values())
            self.progress.value = (
                f"<b>{total} of {len(QUESTIONS)} questions answered</b> — "
                + ", ".join(f"{g}: {a}/{n}" for g, (a, n) in done.items())
            )
            still = open_questions(record)
            self.open_list.value = (
                "<b>Still to ask:</b><ul>"
                + "".join(f"<li>{q.group}: {q.text}</li>" for q in still)
                + "</ul>"
                if still
                else "<b>Every question has an answer: write them on the whiteboard.</b>"
            )
            with self.fig.batch_update():
                self.fig.data[0].y = [done[g][0] for g in GROUPS]
                self.fig.data[1].y = [done[g][1] - done[g][0] for g in GROUPS]


def clarifying_checklist(record: Requirements | None = None) -> ClarifyingChecklist:
    """Build the checklist (optionally pre-filled); display ``.container``; read ``.record``."""
    return ClarifyingChecklist(record)
