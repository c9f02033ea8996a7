"""Section 11's widgets: the resource table, the study planner and the self-check.

* ``resource_table()``: filter the guide's books, courses, write-ups and platforms by topic
  and kind.
* ``study_planner()``: days until the interview, hours per day and (optionally) the debrief
  log -> a timeline of sessions with mock-interview days and spaced reviews, exported to CSV
  or iCalendar at a path you type.
* ``self_check(course_dir)``: the guide's before/during/after checklists and summary as
  tick boxes, next to which exercises your saved notebooks show as passed (and when each
  section was last saved: unsaved work is not counted).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from pathlib import Path

import ipywidgets as W
import numpy as np
import plotly.colors
import plotly.graph_objects as go

from mlsd import resources, rubric, selfcheck, studyplan
from mlsd.widgets.common import (
    LABEL_STYLE,
    WIDE,
    MessageLine,
    errors_to,
    live_figure,
    observe_all,
)

SAFE = plotly.colors.qualitative.Safe
KIND_COLOURS = dict(zip(studyplan.KINDS, SAFE, strict=False))
STATUS_COLOURS = dict(zip(selfcheck.STATUSES, (SAFE[3], SAFE[1], SAFE[0], "#bbbbbb"), strict=True))
ANY = "any"


def _table_html(rows, columns, css, raw_columns=()) -> str:
    """An HTML table; cells are escaped except in ``raw_columns`` (already-built HTML)."""
    head = "".join(f"<th style='text-align:left'>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{v if c in raw_columns else html.escape(str(v))}</td>"
            for c, v in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _title_html(title: str, url: str) -> str:
    """The title, linked when the table has a checked link (http(s) only)."""
    if url and url.startswith(("https://", "http://")):
        return (
            f"<a href='{html.escape(url, quote=True)}' target='_blank' rel='noopener'>"
            f"{html.escape(title)}</a>"
        )
    return html.escape(title)


def _where(venue: str, year) -> str:
    return ", ".join(str(x) for x in (venue, year) if x is not None and str(x) not in ("", "<NA>"))


class ResourceTable:
    """Controls ``topic`` (drop-down) and ``kind`` (toggle buttons); 'any' = no filter.
    Outputs ``table`` (HTML), ``count`` and ``message``; ``rows`` is the filtered DataFrame."""

    def __init__(self, topic=None, kind=None):
        self.data = resources.load()
        self.topic = W.Dropdown(
            options=[ANY, *resources.topics(self.data)],
            value=topic or ANY,
            description="Topic",
            style=LABEL_STYLE,
        )
        # Buttons, not a drop-down: Space/Enter work in JupyterLab, where ArrowUp/ArrowDown on
        # a focused drop-down move the notebook's cell selection instead. Each button as wide
        # as its label: the default fixed width cut "Online courses and channels" short.
        self.kind = W.ToggleButtons(
            options=[(ANY, ANY)] + [(resources.KIND_LABELS[k], k) for k in resources.KINDS],
            value=kind or ANY,
            description="Kind",
            style={**LABEL_STYLE, "button_width": "auto"},
        )
        self.count = W.HTML()
        self.table = W.HTML()
        self.message = MessageLine("mlsd-resources-message")
        labels = [resources.KIND_LABELS[k] for k in resources.KINDS]
        self.fig = go.Figure(
            data=[
                # Horizontal bars: the kinds' names read in full at any chart width; side
                # by side under columns they overprint at 700 px in presenter mode's font.
                go.Bar(
                    x=[0] * len(labels),
                    y=labels,
                    orientation="h",
                    marker={"color": SAFE[0]},
                    name="resources shown",
                    hovertemplate="%{y}: %{x}<extra></extra>",
                )
            ],
            layout={
                "title": {"text": "Resources shown, by kind"},
                "xaxis": {"title": {"text": "resources (count)"}, "rangemode": "tozero"},
                "yaxis": {
                    "title": {"text": "kind of resource"},
                    "autorange": "reversed",  # in the order of the buttons above
                    "automargin": True,
                },
                "height": 300,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 60},
            },
        )
        for widget, css in [
            (self.topic, "mlsd-resources-topic"),
            (self.kind, "mlsd-resources-kind"),
            (self.count, "mlsd-resources-count"),
            (self.table, "mlsd-resources-table"),
        ]:
            widget.add_class(css)
        observe_all([self.topic, self.kind], self.update)
        self.rows = self.data
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-resources-fig")
        self.container = W.VBox(
            [self.topic, self.kind, self.message.widget, self.count, self.fig, self.table]
        )
        self.container.add_class("mlsd-resources")

    def update(self) -> None:
        with errors_to(self.message):
            topic = None if self.topic.value == ANY else self.topic.value
            kind = None if self.kind.value == ANY else self.kind.value
            self.rows = resources.filter_resources(self.data, topic=topic, kind=kind)
            self.count.value = f"<b>{len(self.rows)} of {len(self.data)} resources</b>"
            shown = self.rows["kind"].tolist()
            with self.fig.batch_update():
                self.fig.data[0].x = [shown.count(k) for k in resources.KINDS]
            shown = [
                (_title_html(r.title, r.url), r.by, _where(r.venue, r.year), r.kind, r.topics,
                 r.what_for)
                for r in self.rows.itertuples(index=False)
            ]  # fmt: skip
            self.table.value = _table_html(
                shown,
                ["title", "by", "where, when", "kind", "topics", "what it is for"],
                "mlsd-resources-rows",
                raw_columns=("title",),
            )


class StudyPlanner:
    """Controls ``days``, ``hours_per_day``, ``start``, ``mock_every``, ``log_path`` (the
    debrief log, section 8's self-assessment CSV), ``path``; buttons ``save_csv`` /
    ``save_ics``; outputs ``summary``, ``debrief``, ``fig`` (timeline), ``message``; ``plan``
    is the current ``studyplan.Plan``, ``log`` the debrief rows it read."""

    def __init__(self, days=21, hours_per_day=2.0, start=None, mock_every=7, path="", log_path=""):
        self.days = W.IntText(value=days, description="Days until the interview", style=LABEL_STYLE)
        self.hours_per_day = W.FloatText(
            value=hours_per_day, step=0.5, description="Hours per day", style=LABEL_STYLE
        )
        self.start = W.DatePicker(
            value=start or dt.date.today(), description="First day", style=LABEL_STYLE
        )
        self.mock_every = W.IntSlider(
            value=mock_every,
            min=0,
            max=14,
            description="Mock interview every … days (0 = only the last day)",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.path = W.Text(
            value=path,
            placeholder="e.g. my-plan.csv or my-plan.ics",
            description="Save to (path)",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.log_path = W.Text(
            value=str(log_path),
            placeholder="e.g. ../08-evaluation-rubric/self_assessment.csv",
            description="Debrief log (.csv)",
            continuous_update=False,  # read the file when the learner presses Enter
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.debrief = W.HTML()
        self.log: list[dict] = []
        self.save_csv = W.Button(description="Save CSV", icon="table")
        self.save_ics = W.Button(description="Save iCalendar", icon="calendar")
        self.summary = W.HTML()
        self.message = MessageLine("mlsd-planner-message")
        self.plan: studyplan.Plan | None = None
        self.fig = go.Figure(
            data=[
                go.Bar(
                    x=[],
                    y=[],
                    base=[],
                    orientation="h",
                    name=kind,
                    marker={"color": KIND_COLOURS[kind]},
                    hovertemplate="%{y}<br>%{customdata[0]}, %{customdata[1]} h<extra></extra>",
                )
                for kind in studyplan.KINDS
            ],
            layout={
                "title": {
                    "text": "Study plan (each day's study time fills its day)",
                    "yref": "container",
                    "y": 1,
                    "yanchor": "top",
                    "pad": {"t": 10},
                },
                "xaxis": {"title": {"text": "day of the plan (date)"}, "type": "date"},
                "yaxis": {
                    "title": {"text": "session"},
                    "autorange": "reversed",
                    "automargin": True,
                },
                "barmode": "overlay",
                "height": 560,
                # The legend sits between the title (pinned to the top) and the plot, with
                # room for two rows: under the x axis it ran into the axis title.
                "margin": {"t": 110, "l": 60, "r": 20, "b": 50},
                "legend": {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"},
            },
        )
        for widget, css in [
            (self.days, "mlsd-planner-days"),
            (self.hours_per_day, "mlsd-planner-hours"),
            (self.start, "mlsd-planner-start"),
            (self.mock_every, "mlsd-planner-mock-every"),
            (self.path, "mlsd-planner-path"),
            (self.log_path, "mlsd-planner-log"),
            (self.debrief, "mlsd-planner-debrief"),
            (self.save_csv, "mlsd-planner-save-csv"),
            (self.save_ics, "mlsd-planner-save-ics"),
            (self.summary, "mlsd-planner-summary"),
        ]:
            widget.add_class(css)
        observe_all([self.days, self.hours_per_day, self.start, self.mock_every], self.update)
        self.log_path.observe(lambda _c: self.reload_log(), names="value")
        self.save_csv.on_click(lambda _b: self.export("csv"))
        self.save_ics.on_click(lambda _b: self.export("ics"))
        self._read_log()
        self.update()  # draws the opening state on the plain figure
        self.fig = live_figure(self.fig, "mlsd-planner-fig")
        self.container = W.VBox(
            [
                self.days,
                self.hours_per_day,
                self.start,
                self.mock_every,
                self.log_path,
                self.debrief,
                self.summary,
                self.message.widget,
                self.fig,
                W.HBox([self.path, self.save_csv, self.save_ics]),
            ]
        )
        self.container.add_class("mlsd-planner")

    def _read_log(self) -> None:
        """Read the debrief log at ``log_path`` (none yet is fine) and describe it."""
        self.log = []
        path = self.log_path.value.strip()
        if not path:
            self.debrief.value = (
                "No debrief log: review slots say 'redo your weakest problem'. Type the path "
                "of section 8's self_assessment.csv to plan reviews from your scores."
            )
            return
        if not rubric.resolve_csv(path).exists():
            self.debrief.value = (
                f"No debrief log at {html.escape(path)} yet: score a practice problem in "
                "section 8's self-assessment log, then press Enter here."
            )
            return
        self.log = rubric.load_assessments(path)
        due = studyplan.due_reviews(self.log, self.start.value)
        today = self.start.value
        overdue = [p for p, d in due if d <= today]
        recent = rubric.recent_scores(self.log)
        gains = rubric.practice_gains(recent) if recent else []
        focus = (
            f"practise {rubric.DIMENSION_BY_KEY[gains[0][0]].name.lower()} next "
            f"(+{gains[0][1]:.1f} points to 80)"
            if gains
            else "every dimension is at 80 or above"
        )
        self.debrief.value = html.escape(
            f"From your debriefs ({len(self.log)} attempt(s), {len(due)} problem(s)): {focus}; "
            f"due for review by the first day: {', '.join(overdue) or 'none'}."
        )

    def reload_log(self) -> None:
        """Read the debrief log again and replan; a bad file shows in the message line."""
        with errors_to(self.message):
            self._read_log()
            self.update()
            return
        self.log = []

    def update(self) -> None:
        """Recompute the plan and redraw; bad input shows in the message line."""
        with errors_to(self.message):
            self.plan = studyplan.study_plan(
                self.days.value,
                self.hours_per_day.value,
                self.start.value,
                self.mock_every.value,
                log=self.log,
            )
            sessions = self.plan.sessions
            kinds = sessions["kind"].to_numpy()
            start = sessions["start"].to_numpy().astype("datetime64[ms]")
            midnight = start.astype("datetime64[D]").astype("datetime64[ms]")
            # Each day's study time is stretched over the whole day so short sessions show.
            stretch = 24.0 / self.hours_per_day.value
            offset_ms = (start - midnight).astype(np.int64) - studyplan.DAY_START_HOUR * 3.6e6
            base = midnight + (offset_ms * stretch).astype("timedelta64[ms]")
            base_text = np.datetime_as_string(base, unit="m")
            clock = np.datetime_as_string(start, unit="m")
            hours = sessions["hours"].to_numpy()
            items = sessions["item"].to_numpy()
            names = list(dict.fromkeys(items))
            with self.fig.batch_update():
                # Every session named on the axis, shortened (the hover shows the whole
                # name: 60-character names leave a 700 px chart no room for the plan), with
                # a row's height for each name in the chart's font (18 px in presenter mode).
                self.fig.layout.yaxis.tickvals = names
                self.fig.layout.yaxis.ticktext = [_short_session(n) for n in names]
                self.fig.layout.height = max(
                    PLANNER_MIN_HEIGHT, len(names) * _row_px(self.fig) + PLANNER_MARGIN_PX
                )
                for trace, kind in zip(self.fig.data, studyplan.KINDS, strict=True):
                    mine = kinds == kind
                    trace.base = [t.replace("T", " ") for t in base_text[mine]]
                    trace.x = (hours[mine] * stretch * 3_600_000).tolist()  # date axis: ms
                    trace.y = items[mine].tolist()
                    trace.customdata = [
                        [t.replace("T", " "), round(float(h), 2)]
                        for t, h in zip(clock[mine], hours[mine], strict=True)
                    ]
            self.summary.value = f"<b>{html.escape(self.plan.summary())}</b>"
            return
        self.plan = None
        self.summary.value = "<b>No plan: fix the input above.</b>"

    def export(self, fmt: str) -> Path | None:
        """Write the plan to ``path`` as 'csv' or 'ics'; the outcome shows in the message."""
        with errors_to(self.message):
            if self.plan is None:
                raise ValueError("there is no plan to save: fix the inputs first.")
            if fmt not in ("csv", "ics"):
                raise ValueError(f"fmt must be 'csv' or 'ics'; got {fmt!r}.")
            write = studyplan.to_csv if fmt == "csv" else studyplan.to_ical
            target = write(self.plan, self.path.value)
            self.message.info(f"Saved {len(self.plan.sessions)} sessions to {target}.")
            return target
        return None


SESSION_LABEL_CHARS = 34
PLANNER_MIN_HEIGHT, PLANNER_MARGIN_PX = 560, 160  # margin: title, legend, date axis


def _row_px(fig) -> int:
    """A category row's height: 1.4 lines of the figure's font (its template's size)."""
    size = fig.layout.font.size or fig.layout.template.layout.font.size or 12
    return math.ceil(1.4 * size)


def _short_session(name: str) -> str:
    """``name`` cut to ``SESSION_LABEL_CHARS`` characters inside its title, keeping the
    leading "Problem 7 · " and a trailing " (part 1)" whole."""
    if len(name) <= SESSION_LABEL_CHARS:
        return name
    part = re.search(r" \(part \d+\)$", name)
    tail = part.group(0) if part else ""
    head = name[: len(name) - len(tail)]
    keep = SESSION_LABEL_CHARS - len(tail) - 1
    return head[:keep].rstrip(" ·,") + "…" + tail


# A checklist item is a sentence or two: its label wraps instead of ending in an ellipsis
# (ipywidgets draws checkbox labels on one line of the control's fixed height).
WRAP_CHECKLIST_CSS = """<style>
.mlsd-selfcheck-item .widget-label-basic {
  display: flex; align-items: center;
  white-space: normal; overflow: visible; line-height: 1.4; padding: 3px 0;
}
</style>"""


def _sections_text(sections: str) -> str:
    """ "section 5" or "sections 5, 6", for the checklist's ``sections`` column."""
    return f"section {sections}" if "," not in str(sections) else f"sections {sections}"


class SelfCheck:
    """Tick boxes ``boxes`` (one per checklist item), ``course_dir`` (text) and ``refresh``;
    outputs ``readiness``, ``fig`` (exercises per section by status), ``table`` (HTML),
    ``message``; ``progress`` is the DataFrame read from the notebooks."""

    def __init__(self, course_dir=""):
        items = selfcheck.checklist()
        self.boxes = [
            W.Checkbox(
                value=False,
                description=f"{row.item} ({_sections_text(row.sections)})",
                indent=False,
                layout=W.Layout(width="100%", height="auto"),
            )
            for row in items.itertuples(index=False)
        ]
        for box in self.boxes:
            box.add_class("mlsd-selfcheck-item")
        groups = []
        for phase in selfcheck.PHASES:
            phase_boxes = [b for b, p in zip(self.boxes, items["phase"], strict=True) if p == phase]
            title = "The success formula" if phase == "summary" else f"{phase} the interview"
            groups.append(W.VBox([W.HTML(f"<b>{title.capitalize()}</b>"), *phase_boxes]))
        self.course_dir = W.Text(
            value=str(course_dir),
            description="Your course folder",
            placeholder="path to the course/ folder with your saved notebooks",
            style=LABEL_STYLE,
            layout=WIDE,
        )
        self.refresh = W.Button(
            description="Read my saved notebooks", icon="refresh", layout=W.Layout(width="auto")
        )
        self.saved_note = W.HTML(
            "Reads your notebooks <b>as last saved on disk</b>: save them (Ctrl+S) before "
            "pressing the button; work since the last save is not counted yet."
        )
        self.readiness = W.HTML()
        self.table = W.HTML()
        self.message = MessageLine("mlsd-selfcheck-message")
        self.progress = None
        self.fig = go.Figure(
            # Horizontal bars: eight section names side by side overprint at 700 px.
            data=[
                go.Bar(
                    x=[],
                    y=[],
                    orientation="h",
                    name=status,
                    marker={"color": STATUS_COLOURS[status]},
                )
                for status in selfcheck.STATUSES
            ],
            layout={
                "title": {"text": "Your exercises by section (from your saved notebooks)"},
                "xaxis": {"title": {"text": "exercises (count)"}},
                "yaxis": {
                    "title": {"text": "workbook section"},
                    "autorange": "reversed",  # section 5 on top
                    "automargin": True,
                },
                "barmode": "stack",
                "height": 380,
                "margin": {"t": 50, "l": 60, "r": 20, "b": 90},
                "legend": {"orientation": "h", "y": -0.3},
            },
        )
        for widget, css in [
            (self.course_dir, "mlsd-selfcheck-dir"),
            (self.refresh, "mlsd-selfcheck-refresh"),
            (self.saved_note, "mlsd-selfcheck-saved-note"),
            (self.readiness, "mlsd-selfcheck-readiness"),
            (self.table, "mlsd-selfcheck-table"),
        ]:
            widget.add_class(css)
        observe_all(self.boxes, self._score)
        self.refresh.on_click(lambda _b: self.update())
        if str(course_dir):
            self.update()  # draws the opening state on the plain figure
        else:
            self._score()
        self.fig = live_figure(self.fig, "mlsd-selfcheck-fig")
        self.container = W.VBox(
            [
                W.HTML(WRAP_CHECKLIST_CSS),
                *groups,
                W.HBox([self.course_dir, self.refresh]),
                self.saved_note,
                self.message.widget,
                self.readiness,
                self.fig,
                self.table,
            ]
        )
        self.container.add_class("mlsd-selfcheck")

    def ticked(self) -> int:
        return sum(b.value for b in self.boxes)

    def _score(self) -> None:
        with errors_to(self.message):
            table = self.progress
            if table is None:
                self.readiness.value = (
                    f"<b>Checklist: {self.ticked()} of {len(self.boxes)} ticked.</b> "
                    "Type your course folder and press the button to add your exercises."
                )
                return
            share = selfcheck.readiness(table, self.ticked(), len(self.boxes))
            passed = int((table["status"] == "passed").sum())
            self.readiness.value = (
                f"<b>Self-check: {share:.0%}</b> — checklist {self.ticked()} of "
                f"{len(self.boxes)} ticked; exercises with visible checks passed: {passed} of "
                f"{len(table)}."
            )

    def update(self) -> None:
        """Read the learner's notebooks again and redraw the progress view."""
        with errors_to(self.message):
            self.progress = selfcheck.progress(self.course_dir.value)
            counts = selfcheck.summary(self.progress)
            with self.fig.batch_update():
                for trace, status in zip(self.fig.data, selfcheck.STATUSES, strict=True):
                    trace.y = counts["section"].tolist()
                    trace.x = counts[status].tolist()
            saved = selfcheck.saved_times(self.course_dir.value, self.progress["section"].unique())
            rows = [
                (section, exercise, points, status, selfcheck.saved_ago(saved[section]))
                for section, exercise, points, status in self.progress[
                    ["section", "exercise", "points", "status"]
                ].itertuples(index=False)
            ]
            self.table.value = _table_html(
                rows,
                ["section", "exercise", "points", "status", "notebook last saved"],
                "mlsd-selfcheck-rows",
            )
            self._score()
            return
        self.progress = None


def resource_table(topic=None, kind=None) -> ResourceTable:
    return ResourceTable(topic, kind)


def study_planner(**initial) -> StudyPlanner:
    return StudyPlanner(**initial)


def self_check(course_dir="") -> SelfCheck:
    return SelfCheck(course_dir)
