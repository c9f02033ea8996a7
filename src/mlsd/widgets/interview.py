"""Section 12 widgets: the timed mock interview, the calibration drill and the recall drill.

``mock_interview()`` is the capstone: pick a problem (or "surprise me") and a length, then
answer phase by phase against a live timeline (section 9's hour) that nudges when a phase
overruns; everything is saved as you type (``mlsd.interview.MockStore``) and a mock survives a
kernel restart. When time is up you score yourself on section 8's rubric *first*; then the
interviewer's notes (``mlsd.interviewer``), its suggested score per dimension and the gap
appear; only then can the reference design be opened, side by side with yours.

In class (``classroom=True``, the default under ``mlsd present``) an "Ask the interviewer"
button shows the checker's notes live, for a class calling out answers together.

The clock is injectable: ``mock_interview(speed=60)`` runs a 45-minute mock in 45 seconds
(for a demo; ``MLSD_MOCK_SPEED`` sets the default), and tests pass a ``ManualClock`` and call
``tick()`` themselves. The timer is a task on the kernel's event loop, so it runs while the
kernel is idle and never blocks a cell.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os

import ipywidgets as W
import plotly.colors
import plotly.graph_objects as go

from mlsd import (
    answers,
    calibration,
    debrief,
    designs,
    estimates,
    interview,
    interviewer,
    practice,
    recall,
    rubric,
)
from mlsd.interview import PHASE_BY_KEY, PHASE_KEYS, PHASES, PRESENTING_ENV
from mlsd.widgets.common import LABEL_STYLE, MessageLine, errors_to, live_figure

SAFE = plotly.colors.qualitative.Safe
SELF_COLOUR, CHECKER_COLOUR = SAFE[0], SAFE[1]
SAVE_EVERY_S = 5.0  # real seconds between saves while only the clock moves
FULL = W.Layout(width="min(100%, 900px)")
BOX = W.Layout(width="min(100%, 900px)", height="110px")

# Field: (label, placeholder). Lists are one item per line, parts separated by '|'.
FIELDS = {
    "questions": ("Clarifying questions (one per line: question? assumption)",
                  "How many daily users? 200 M, 10 page loads each\n"
                  "Is 200 ms server-side p99? yes, excluding the network"),
    "functional": ("Functional requirements (one per line)", "Rank ~10 K titles into rows"),
    "non_functional": ("Non-functional requirements, with numbers",
                       "A play changes the next page within 10 minutes"),
    "latency_slo_ms": ("Latency SLO (ms)", "200"),
    "latency_percentile": ("Latency percentile", "99"),
    "availability_pct": ("Availability (%)", "99.9"),
    "freshness_s": ("Freshness (s)", "600"),
    "frames_per_second": ("Frames per second (streams)", "30"),
    "daily_active_users": ("Daily users (or events a day, with 1 per user)", "200M"),
    "events_per_user_per_day": ("Requests per user per day", "10"),
    "peak_factor": ("Peak factor (x average)", "3"),
    "per_server_qps": ("QPS one server handles", "500"),
    "headroom": ("Headroom (fraction kept free)", "0.3"),
    "servers": ("Servers you plan", "200"),
    "storage": ("Storage (name | items | bytes each | copies)",
                "Profile embeddings | 200M | 512 | 3"),
    "caches": ("Caches (name | catalogue items | cached items | hit rate)",
               "Popular titles | 10K | 1K | 80 %"),
    "stages": ("Stages (name | latency ms | what it does | online, nearline or offline | "
               "parallel group)",
               "Gateway | 10 | auth, context\nCandidates | 25 | ANN + precomputed\n"
               "Ranking | 60 | multi-task DNN over 500\nTraining | | daily retrain | offline"),
    "models": ("Models (stage | model | why | alternative)",
               "Ranking | multi-task DNN | watch time needs play and completion heads | "
               "GBDT: weaker on sequences"),
    "metrics": ("Metrics (offline, online or guardrail | name | target | why)",
                "offline | Recall@500 next-day plays | >= 80 % | retrieval caps ranking\n"
                "online | Streaming hours per member, A/B | >= 0.3 % lift | the goal"),
    "detectors": ("Detector tiers (name | action | recall | FPR | prevalence | events a day | "
                  "min precision)", "Block | block | 60 % | 0.05 % | 0.1 % | 150M | 30 %"),
    "tradeoffs": ("Trade-offs (choice | gain | cost | alternative)",
                  "Two stages | ranking fits 60 ms | retrieval misses are never shown | "
                  "rank all 10 K"),
    "failures": ("Failure modes (failure | how you notice | fallback)",
                 "Ranker down | timeout at 150 ms | last night's precomputed order"),
    "monitoring": ("Monitoring (system, model, data or business | signal | alert when | action)",
                   "data | PSI of key features vs training | > 0.25 PSI | retrain\n"
                   "system | p99 latency | > 180 ms | page on-call"),
    "summary": ("Summary (three sentences: design, key number, biggest risk)", ""),
    "training_data": ("Training data and labels", "90 days of impressions; label: play > 2 min"),
    "retrain_every_days": ("Retrain every (days)", "1"),
    "rollout": ("Rollout (one step per line)", "shadow a day\nA/B 1 % → 10 % → 50 %"),
}  # fmt: skip
SHORT = set(interview.NUMBER_FIELDS)


def _speed_default():
    try:
        return float(os.environ.get(interview.ENV_SPEED, "1") or 1)
    except ValueError:
        return 1.0


def _mmss(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def timeline_html(session: interview.MockSession | None, length_min: int) -> str:
    """The live timeline: one block per phase (width = planned minutes), the current phase
    outlined, the time used shaded, overruns in red; readable without colour (labels)."""
    plan = interview.schedule(length_min)
    used = session.elapsed_s / 60 if session else 0.0
    current = session.phase if session else None
    minutes = session.phase_minutes() if session else {}
    blocks = []
    for key, start, end in plan:
        phase = PHASE_BY_KEY[key]
        width = 100 * (end - start) / length_min
        spent = minutes.get(key, 0.0)
        over = spent > end - start
        fill = min(1.0, max(0.0, (used - start) / (end - start)))
        border = "3px solid #222" if key == current else "1px solid #888"
        colour = "#b00020" if over else "#1b7837"
        label = f"{phase.label}{' ▶' if key == current else ''}"
        note = f"{spent:.0f}/{end - start:.0f} min" + (" (over)" if over else "")
        blocks.append(
            f"<div class='mlsd-mock-phase' data-phase='{key}' title='{html.escape(label)}' "
            f"style='flex:0 0 {width:.3f}%;border:{border};box-sizing:border-box;"
            f"background:linear-gradient(90deg,#d9e8dc {100 * fill:.1f}%,#fff 0);"
            f"padding:2px 4px;overflow:hidden;font-size:0.85em;color:#111'>"
            f"<b>{html.escape(label)}</b><br><span style='color:{colour}'>{note}</span></div>"
        )
    return (
        "<div role='img' aria-label='interview timeline' style='display:flex;width:100%'>"
        + "".join(blocks)
        + "</div>"
    )


class MockInterview:
    """The timed mock. Controls: ``problem`` (0 = surprise me, 1-11), ``length`` (45/60),
    ``start``, ``resume``, ``next_phase``, ``finish``, ``tabs`` (one per phase) holding
    ``fields[name]``, ``self_scores[dimension]``, ``submit``, ``reveal``, ``ask`` (classroom).
    Outputs: ``card``, ``clock``, ``timeline``, ``nudge``, ``estimate``, ``budget_fig``,
    ``findings``, ``scores_fig``, ``compare``, ``history_fig``, ``message``.
    ``session`` is the ``interview.MockSession`` (None before a start)."""

    def __init__(self, folder=".", speed=None, clock=None, classroom=None, autotick=True,
                 log_path=None):  # fmt: skip
        self.folder = folder
        self.store = interview.MockStore(folder)
        self.debriefs = debrief.DebriefStore(folder, log_path)
        self.clock = clock or interview.clock_for(_speed_default() if speed is None else speed)
        self.classroom = (
            os.environ.get(PRESENTING_ENV) == "1" if classroom is None else bool(classroom)
        )
        self.autotick = autotick
        self.session: interview.MockSession | None = None
        self.debrief: dict | None = None
        self._task = None
        self._last_save = 0.0
        self._busy = False
        self._build_controls()
        self._build_scoring()
        self.container = W.VBox(
            [self.setup, self.live, self.scoring, self.message.widget],
            layout=W.Layout(width="100%"),
        )
        self.container.add_class("mlsd-mock")
        self._restore()

    # --- building ------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.problem = W.ToggleButtons(
            options=[("Surprise me", 0)] + [(str(n), n) for n in range(1, 12)],
            value=0,
            description="Problem",
            style={**LABEL_STYLE, "button_width": "auto"},
            tooltips=["a random problem"] + [practice.problem(n).title for n in range(1, 12)],
        )
        self.length = W.ToggleButtons(
            options=[("45 min", 45), ("60 min", 60)],
            value=45,
            description="Length",
            style={**LABEL_STYLE, "button_width": "auto"},
        )
        self.card = W.HTML()
        self.start = W.Button(description="Start the mock", button_style="primary",
                              icon="play", layout=W.Layout(width="auto"))  # fmt: skip
        self.resume = W.Button(description="Resume", icon="play", layout=W.Layout(width="auto"))
        self.message = MessageLine("mlsd-mock-message")
        self.clock_html = W.HTML()
        self.timeline = W.HTML()
        self.nudge = W.HTML()
        self.next_phase = W.Button(description="Next phase →", layout=W.Layout(width="auto"))
        self.finish = W.Button(description="Finish now", icon="stop",
                               layout=W.Layout(width="auto"))  # fmt: skip
        self.ask = W.Button(description="Ask the interviewer", icon="comments",
                            layout=W.Layout(width="auto"))  # fmt: skip
        self.live_notes = W.HTML()
        self.estimate = W.HTML()
        self.followups = W.HTML()
        self.fields = {key: self._field(key) for p in PHASES for key in p.fields
                       if key != "challenges"}  # fmt: skip
        self.challenge_fields: dict[str, W.Textarea] = {}
        self.challenge_box = W.VBox()
        self.budget_fig = live_figure(self._budget_figure(), "mlsd-mock-budget-fig")
        self.tabs = W.Tab(children=[self._tab(p) for p in PHASES],
                          titles=[p.label for p in PHASES])  # fmt: skip
        for widget, css in [
            (self.problem, "mlsd-mock-problem"), (self.length, "mlsd-mock-length"),
            (self.card, "mlsd-mock-card"), (self.start, "mlsd-mock-start"),
            (self.resume, "mlsd-mock-resume"), (self.clock_html, "mlsd-mock-clock"),
            (self.timeline, "mlsd-mock-timeline"), (self.nudge, "mlsd-mock-nudge"),
            (self.next_phase, "mlsd-mock-next"), (self.finish, "mlsd-mock-finish"),
            (self.ask, "mlsd-mock-ask"), (self.live_notes, "mlsd-mock-live-notes"),
            (self.estimate, "mlsd-mock-estimate"), (self.tabs, "mlsd-mock-tabs"),
            (self.followups, "mlsd-mock-followups"),
        ]:  # fmt: skip
            widget.add_class(css)
        self.problem.observe(lambda _c: self._show_card(), names="value")
        self.start.on_click(lambda _b: self.begin())
        self.resume.on_click(lambda _b: self.resume_mock())
        self.next_phase.on_click(lambda _b: self.advance())
        self.finish.on_click(lambda _b: self.stop())
        self.ask.on_click(lambda _b: self._ask())
        self.tabs.observe(self._tab_changed, names="selected_index")
        for key, control in self.fields.items():
            control.observe(lambda c, key=key: self.answer(key, c["new"]), names="value")
        self.setup = W.VBox([self.problem, self.length, self.card,
                             W.HBox([self.start, self.resume])])  # fmt: skip
        buttons = [self.next_phase, self.finish] + ([self.ask] if self.classroom else [])
        self.live = W.VBox([self.clock_html, self.timeline, self.nudge, W.HBox(buttons),
                            self.live_notes, self.tabs])  # fmt: skip
        self._show_card()

    def _field(self, key: str):
        label, placeholder = FIELDS.get(key, (key, ""))
        if key == "pipelined":
            control = W.Checkbox(value=False, description="Pipelined (stages work on different "
                                 "frames at once)", style=LABEL_STYLE, indent=False)  # fmt: skip
        elif key == "serving_site":
            control = W.ToggleButtons(options=list(designs.SERVING_SITES), value="data centre",
                                      description="Serving site",
                                      style={**LABEL_STYLE, "button_width": "auto"})  # fmt: skip
        elif key in SHORT:
            control = W.Text(description=label, placeholder=placeholder, style=LABEL_STYLE,
                             layout=W.Layout(width="min(100%, 440px)"))  # fmt: skip
        else:
            control = W.Textarea(
                description=label,
                placeholder=placeholder,
                style=LABEL_STYLE,
                layout=BOX if key not in ("functional", "summary") else FULL,
            )
        control.add_class(f"mlsd-mock-field-{key.replace('_', '-')}")
        return control

    def _tab(self, phase: interview.Phase) -> W.VBox:
        children = [W.HTML(f"<i>An interviewer expects {html.escape(phase.expects)} by the end "
                           "of this phase.</i>")]  # fmt: skip
        children += [self.fields[k] for k in phase.fields if k in self.fields]
        if phase.key == "requirements":
            children.append(self.estimate)
        if phase.key == "high_level":
            children.append(self.budget_fig)
        if phase.key == "deep_dive":
            children += [self.followups, self.challenge_box]
        return W.VBox(children)

    def _build_scoring(self) -> None:
        self.self_scores = {
            d.key: W.IntSlider(value=50, min=0, max=100, step=5,
                               description=f"{d.name} ({d.weight_pct:g} %)", style=LABEL_STYLE,
                               layout=W.Layout(width="min(100%, 560px)"))
            for d in rubric.DIMENSIONS
        }  # fmt: skip
        for key, control in self.self_scores.items():
            control.add_class(f"mlsd-mock-self-{key.replace('_', '-')}")
        self.submit = W.Button(description="Submit my scores", button_style="primary",
                               layout=W.Layout(width="auto"))  # fmt: skip
        self.findings = W.HTML()
        self.scores_fig = live_figure(self._scores_figure(), "mlsd-mock-scores-fig")
        self.reveal = W.ToggleButton(value=False, description="Show the reference design",
                                     disabled=True, layout=W.Layout(width="auto"),
                                     tooltip="Opens after you have scored yourself")  # fmt: skip
        self.compare = W.HTML()
        self.history_fig = live_figure(self._history_figure(), "mlsd-mock-history-fig")
        self.new_mock = W.Button(description="Start another mock", layout=W.Layout(width="auto"))
        for widget, css in [
            (self.submit, "mlsd-mock-submit"), (self.findings, "mlsd-mock-findings"),
            (self.reveal, "mlsd-mock-reveal"), (self.compare, "mlsd-mock-compare"),
            (self.new_mock, "mlsd-mock-new"),
        ]:  # fmt: skip
            widget.add_class(css)
        self.submit.on_click(lambda _b: self.score())
        self.reveal.observe(lambda _c: self._show_reference(), names="value")
        self.new_mock.on_click(lambda _b: self._reset())
        intro = W.HTML(
            "<b>Time is up.</b> Score yourself on section 8's rubric first: the "
            "interviewer's notes and the reference design open after you submit."
        )
        self.scoring = W.VBox([intro, *self.self_scores.values(), self.submit, self.findings,
                               self.scores_fig, self.reveal, self.compare, self.history_fig,
                               self.new_mock])  # fmt: skip
        self.scoring.add_class("mlsd-mock-scoring")

    # --- figures -------------------------------------------------------------------------
    def _budget_figure(self) -> go.Figure:
        return go.Figure(
            data=[go.Bar(x=[], y=[], base=[], orientation="h", name="stage budgets",
                         marker={"color": SAFE[0], "line": {"color": "white", "width": 2}},
                         text=[], textposition="inside", insidetextanchor="middle",
                         hovertemplate="%{text}: %{x} ms<extra></extra>")],
            layout={
                "title": {"text": "Latency budget of the online path"},
                "xaxis": {"title": {"text": "time into the request (ms)"}, "rangemode": "tozero"},
                "yaxis": {"title": {"text": "path"}, "showticklabels": False},
                "height": 220, "margin": {"t": 45, "l": 50, "r": 20, "b": 45},
                "showlegend": False, "shapes": [],
            },
        )  # fmt: skip

    def _scores_figure(self) -> go.Figure:
        names = [d.name for d in rubric.DIMENSIONS]
        return go.Figure(
            data=[go.Bar(x=names, y=[0] * 5, name="you", marker={"color": SELF_COLOUR}),
                  go.Bar(x=names, y=[0] * 5, name="the checker",
                         marker={"color": CHECKER_COLOUR, "pattern": {"shape": "/"}})],
            layout={"title": {"text": "Your scores and the checker's suggestion"},
                    "xaxis": {"title": {"text": "rubric dimension"}},
                    "yaxis": {"title": {"text": "score (points of 100)"}, "range": [0, 100]},
                    "barmode": "group", "height": 320,
                    "margin": {"t": 45, "l": 60, "r": 20, "b": 60},
                    "legend": {"orientation": "h", "y": 1.12}},
        )  # fmt: skip

    def _history_figure(self) -> go.Figure:
        return go.Figure(
            data=[go.Scatter(x=[], y=[], mode="lines+markers", name="your score",
                             line={"color": SELF_COLOUR}),
                  go.Scatter(x=[], y=[], mode="lines+markers", name="checker",
                             line={"color": CHECKER_COLOUR, "dash": "dash"},
                             marker={"symbol": "square"})],
            layout={"title": {"text": "Weighted total across your mocks"},
                    "xaxis": {"title": {"text": "mock (number, oldest first)"}, "dtick": 1},
                    "yaxis": {"title": {"text": "weighted total (points of 100)"},
                              "range": [0, 100]},
                    "height": 300, "margin": {"t": 45, "l": 60, "r": 20, "b": 50},
                    "legend": {"orientation": "h", "y": 1.15}},
        )  # fmt: skip

    # --- state ---------------------------------------------------------------------------
    def _show(self, widget, visible: bool) -> None:
        widget.layout.display = "" if visible else "none"

    def _show_card(self) -> None:
        number = self.problem.value
        if number == interview.SURPRISE:
            self.card.value = (
                "<p>A problem picked at random when you start: as in a real "
                "interview, you hear it for the first time.</p>"
            )
            return
        p = practice.problem(number)
        self.card.value = (
            f"<p><b>{p.number}. {html.escape(p.title)}</b> · {html.escape('; '.join(p.facts()))}"
            f"<br>Goal: {html.escape(p.goal)} · Challenge: {html.escape(p.challenge)}</p>"
        )

    def _restore(self) -> None:
        with errors_to(self.message):
            found = self.store.latest_unfinished(self.clock)
            _mocks, skipped = self.store.sessions()
            if skipped:
                self.message.info("Skipped: " + "; ".join(skipped))
            if found is None:
                self._layout()
                self._draw_history()
                return
            self.session = found
            self._load_fields()
            self._layout()
            self._refresh()
            self._draw_history()
            if not found.data["finished"]:
                self.message.info(
                    f"Mock {found.data['id']} restored, paused at {_mmss(found.elapsed_s)}: "
                    "press Resume to continue."
                )
            else:
                self.message.info(
                    f"Mock {found.data['id']} restored: its time is up; score yourself below."
                )
            return
        self._layout()

    def _layout(self) -> None:
        s = self.session
        running_or_paused = s is not None and not s.data["finished"]
        self._show(self.setup, s is None or running_or_paused and not s.running)
        for w in (self.problem, self.length, self.start):
            self._show(w, s is None)
        self._show(self.resume, running_or_paused and not s.running)
        self._show(self.live, s is not None)
        self._show(self.scoring, s is not None and s.data["finished"])
        scored = bool(s and s.data.get("self_scores"))
        self.submit.disabled = scored
        self.reveal.disabled = not scored
        self._show(self.new_mock, scored)
        self._show(self.ask, self.classroom)

    def _load_fields(self) -> None:
        """Put the session's saved answers back into the fields (after a restart)."""
        s = self.session
        self._busy = True
        try:
            self.problem.value = s.problem if not s.data.get("surprise") else 0
            self.length.value = s.data["length_min"]
            for key, control in self.fields.items():
                value = s.data["answers"].get(key)
                if value is None:
                    continue
                control.value = bool(value) if key == "pipelined" else value
            self._build_challenges()
            for key, control in self.challenge_fields.items():
                control.value = s.data["answers"].get(f"challenge:{key}", "")
            self.tabs.selected_index = PHASE_KEYS.index(s.phase)
            if s.data.get("self_scores"):
                for key, control in self.self_scores.items():
                    control.value = int(round(s.data["self_scores"][key]))
        finally:
            self._busy = False

    def _build_challenges(self) -> None:
        """One answer box per follow-up question of the session's problem."""
        keys = designs.PROBLEM_CHALLENGES[self.session.problem]
        self.challenge_fields = {}
        for key in keys:
            box = W.Textarea(description=f"Your answer ({interview.challenge_prompt(key)})",
                             style=LABEL_STYLE, layout=BOX)  # fmt: skip
            box.add_class(f"mlsd-mock-field-challenge-{key.replace('_', '-')}")
            box.observe(lambda c, key=key: self.answer(f"challenge:{key}", c["new"]),
                        names="value")  # fmt: skip
            self.challenge_fields[key] = box
        self.challenge_box.children = tuple(self.challenge_fields.values())

    # --- actions -------------------------------------------------------------------------
    def begin(self) -> None:
        """Start a new mock with the chosen problem and length."""
        with errors_to(self.message):
            self.session = interview.MockSession.new(self.problem.value, self.length.value,
                                                     self.clock)  # fmt: skip
            self.debrief = None
            self._busy = True
            try:
                for key, control in self.fields.items():
                    control.value = (
                        False
                        if key == "pipelined"
                        else ("data centre" if key == "serving_site" else "")
                    )
                self.tabs.selected_index = 0
            finally:
                self._busy = False
            self._build_challenges()
            self.problem.value = self.session.problem if self.problem.value else 0
            self.session.start()
            self._save()
            self._layout()
            self._refresh()
            self._start_timer()

    def resume_mock(self) -> None:
        with errors_to(self.message):
            if self.session is None or self.session.data["finished"]:
                return
            self.session.start()
            self.message.clear()
            self._layout()
            self._refresh()
            self._start_timer()

    def advance(self) -> None:
        """Move to the next phase (the tab follows)."""
        with errors_to(self.message):
            if self.session is None:
                return
            self.session.next_phase()
            self._busy = True
            try:
                self.tabs.selected_index = PHASE_KEYS.index(self.session.phase)
            finally:
                self._busy = False
            self._save()
            self._refresh()

    def _tab_changed(self, change) -> None:
        if self._busy or self.session is None or change["new"] is None:
            return
        with errors_to(self.message):
            self.session.go_to(PHASE_KEYS[change["new"]])
            self._save()
            self._refresh()

    def answer(self, key: str, value) -> None:
        """A field changed: keep it, save, and update what depends on it."""
        if self._busy or self.session is None:
            return
        with errors_to(self.message):
            self.session.set_answer(key, value)
            self._save()
            self._refresh(changed=key)

    def stop(self) -> None:
        """Finish now (or time ran out): stop the clock and ask for the self-score."""
        with errors_to(self.message):
            if self.session is None:
                return
            self.session.finish()
            self._stop_timer()
            self._save()
            self._layout()
            self._refresh()

    def score(self) -> None:
        """Submit the self-scores: the debrief is written, then the notes and the gap show."""
        with errors_to(self.message):
            s = self.session
            if s is None or not s.data["finished"]:
                raise ValueError("score yourself when the mock has finished (Finish now).")
            mine = {k: float(c.value) for k, c in self.self_scores.items()}
            self.debrief = debrief.build(s, mine)
            self.debriefs.save(self.debrief)
            self.debriefs.log(self.debrief)
            s.data["self_scores"] = mine
            self._save()
            self._layout()
            self._show_debrief()
            self._draw_history()
            self.message.info(
                f"Debrief saved next to this notebook ({interview.FOLDER}/"
                f"{s.data['id']}-debrief.html) and logged in {self.debriefs.log_path.name}."
            )

    # --- the timer -----------------------------------------------------------------------
    def _start_timer(self) -> None:
        if not self.autotick or self._task is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no event loop (plain Python): tick() by hand
        self._task = loop.create_task(self._run_timer())

    def _stop_timer(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run_timer(self) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            while self.session is not None and self.session.running:
                await asyncio.sleep(1.0)
                self.tick()
        self._task = None

    def tick(self) -> None:
        """One beat of the clock: time, timeline and nudges; saves every few seconds."""
        s = self.session
        if s is None:
            return
        with errors_to(self.message):
            was_finished = s.data["finished"]
            s.tick()
            now = self.clock.now()
            if s.data["finished"] and not was_finished:
                self._save()
                self._layout()
            elif abs(now - self._last_save) >= SAVE_EVERY_S * getattr(self.clock, "speed", 1):
                self._save()
            self._refresh(clock_only=True)

    def _save(self) -> None:
        self.store.save(self.session)
        self._last_save = self.clock.now()

    # --- drawing -------------------------------------------------------------------------
    def _refresh(self, changed: str | None = None, clock_only: bool = False) -> None:
        s = self.session
        if s is None:
            return
        phase = PHASE_BY_KEY[s.phase]
        state = "finished" if s.data["finished"] else ("running" if s.running else "paused")
        self.clock_html.value = (
            f"<span style='font-size:1.6em' role='timer'><b>{_mmss(s.time_left_s)}</b> left</span>"
            f" · {html.escape(phase.label)}: {_mmss(s.phase_elapsed_s())} of "
            f"{interview.planned_minutes(phase.key, s.data['length_min']):.0f} min · "
            f"problem {s.problem}: {html.escape(practice.problem(s.problem).title)} ({state})"
        )
        self.timeline.value = timeline_html(s, s.data["length_min"])
        parsed = s.parsed() if not clock_only or not hasattr(self, "_parsed") else self._parsed
        self._parsed = parsed
        self.nudge.value = "".join(
            f"<div role='status' class='mlsd-mock-nudge-{n.kind}' style='color:#7a4b00'>"
            f"💬 {html.escape(n.text)}</div>"
            for n in s.nudges(parsed.design)
        )
        if clock_only:
            return
        if parsed.errors:
            field, text = parsed.errors[0]
            self.message.error(f"{field}: {text}")
        if changed is None or changed in PHASE_BY_KEY["requirements"].fields:
            self.estimate.value = self._estimate_html(parsed.design)
        if changed is None or changed in ("stages", "latency_slo_ms", "frames_per_second"):
            self._draw_budget(parsed.design)
        self.followups.value = self._followups_html(parsed.design)
        if self.classroom and self.live_notes.value:
            self._ask()

    def _estimate_html(self, design: designs.Design) -> str:
        est = design.estimates
        if est is None or est.load is None:
            return "<i>Type daily users and requests per user: peak QPS appears here.</i>"
        load = est.load
        parts = [estimates.qps(load.daily_active_users, load.events_per_user_per_day,
                               load.peak_factor).html()]  # fmt: skip
        s = est.servers
        if s and s.per_server_qps and s.headroom is not None:
            need = estimates.servers(load.peak_qps, s.per_server_qps, s.headroom)
            parts.append(need.html())
            if s.count is not None and s.count < need.value:
                parts.append(f"<b style='color:#b00020'>{s.count} planned: too few.</b>")
        for item in est.storage:
            parts.append(f"<div>{html.escape(item.name)}: "
                         f"{estimates.format_bytes(item.total_bytes)}</div>")  # fmt: skip
        return "".join(parts)

    def _draw_budget(self, design: designs.Design) -> None:
        segments = _budget_segments(design)
        req = design.requirements
        shapes = []
        if req and req.latency_slo_ms:
            shapes.append(_vline(req.latency_slo_ms, "#b00020", "dash"))
        if req and req.frames_per_second:
            shapes.append(_vline(designs.frame_interval_ms(req.frames_per_second), "#444", "dot"))
        with self.budget_fig.batch_update():
            bar = self.budget_fig.data[0]
            bar.x = [ms for _name, _start, ms in segments]
            bar.base = [start for _name, start, _ms in segments]
            bar.y = ["online path"] * len(segments)
            bar.text = [name for name, _start, _ms in segments]
            self.budget_fig.layout.shapes = shapes
            total = sum(ms for _n, _s, ms in segments)
            slo = f" of the {req.latency_slo_ms:g} ms SLO" if req and req.latency_slo_ms else ""
            self.budget_fig.layout.title.text = (
                f"Latency budget of the online path: {total:g} ms{slo}"
            )

    def _followups_html(self, design: designs.Design) -> str:
        asked = interviewer.follow_ups(design)
        if not asked:
            return ""
        items = "".join(
            f"<li>{html.escape(f.question)} {'✓' if f.answered else ''}</li>" for f in asked
        )
        return f"<b>The interviewer asks:</b><ul>{items}</ul>"

    def _ask(self) -> None:
        """Classroom mode: the interviewer's notes on the design so far, now."""
        if self.session is None:
            return
        design = self.session.parsed().design
        self.live_notes.value = findings_html(interviewer.review(design))

    def _show_debrief(self) -> None:
        d = self.debrief
        if d is None:
            return
        rows = "".join(
            f"<tr><td>{html.escape(rubric.DIMENSION_BY_KEY[k].name)}</td>"
            f"<td>{d['self_scores'][k]:.0f}</td><td>{d['suggested_scores'][k]:.0f}</td>"
            f"<td>{d['gaps'][k]:+.0f}</td></tr>"
            for k in rubric.KEYS
        )
        found = [interviewer.Finding(f["rule"], f["where"], f["says"], f["dimension"], f["pair"])
                 for f in d["findings"]]  # fmt: skip
        practise = ", ".join(rubric.DIMENSION_BY_KEY[k].name for k in debrief.weakest(d))
        self.findings.value = (
            "<h4>The interviewer's notes</h4>"
            + findings_html(found)
            + "<table class='mlsd-mock-gaps'><tr><th>dimension</th><th>you</th><th>checker</th>"
            f"<th>gap</th></tr>{rows}</table>"
            f"<p>Logged for your study plan: {d['total']:.1f} ({html.escape(d['band'])}), "
            f"the lower of your score and the checker's per dimension. Practise next: "
            f"<b>{html.escape(practise or 'nothing below 80')}</b>.</p>"
        )
        with self.scores_fig.batch_update():
            self.scores_fig.data[0].y = [d["self_scores"][k] for k in rubric.KEYS]
            self.scores_fig.data[1].y = [d["suggested_scores"][k] for k in rubric.KEYS]

    def _show_reference(self) -> None:
        s = self.session
        if not self.reveal.value or s is None or not s.data.get("self_scores"):
            self.compare.value = ""
            if self.reveal.value:
                self.reveal.value = False
            return
        s.data["revealed"] = True
        self._save()
        mine = designs.to_html(s.parsed().design, heading="Your design")
        if answers.switched_off():
            theirs = f"<p>{html.escape(answers.SWITCHED_OFF)}</p>"
        else:
            theirs = designs.to_html(designs.reference(s.problem))
        column = "flex:1 1 0;min-width:0;overflow-x:auto;padding:0 8px"
        self.compare.value = (
            f"<div style='display:flex;gap:12px'><div style='{column}'><h3>Yours</h3>{mine}"
            f"</div><div style='{column};border-left:2px solid #888'><h3>Reference</h3>"
            f"{theirs}</div></div>"
        )

    def _draw_history(self) -> None:
        past = self.debriefs.history()
        with self.history_fig.batch_update():
            self.history_fig.data[0].x = list(range(1, len(past) + 1))
            self.history_fig.data[0].y = [d["self_total"] for d in past]
            self.history_fig.data[1].x = list(range(1, len(past) + 1))
            self.history_fig.data[1].y = [d["suggested_total"] for d in past]

    def _reset(self) -> None:
        self._stop_timer()
        self.session = None
        self.debrief = None
        self.reveal.value = False
        self.findings.value = self.compare.value = self.live_notes.value = ""
        self._layout()

    # --- reading it ----------------------------------------------------------------------
    def for_grading(self) -> str:
        """The answer to paste into a graded written cell: readable Markdown, then the typed
        fields as a JSON block the instructor's checker reads as data (never runs)."""
        if self.session is None:
            return "No mock yet: start one first."
        return interview.grading_text(self.session)

    def summary(self) -> str:
        """The mock's state as plain text."""
        s = self.session
        if s is None:
            return "No mock yet: pick a problem and a length, then press Start the mock."
        parsed = s.parsed()
        lines = [
            f"{interview.problem_label(s.problem)}, {s.data['length_min']} min: "
            f"{_mmss(s.time_left_s)} left, phase {PHASE_BY_KEY[s.phase].label}",
        ]
        lines += [f"  nudge: {n.text}" for n in s.nudges(parsed.design)]
        return "\n".join(lines)


def _vline(x: float, colour: str, dash: str) -> dict:
    return {"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper",
            "line": {"color": colour, "dash": dash, "width": 2}}  # fmt: skip


def _budget_segments(design: designs.Design) -> list[tuple[str, float, float]]:
    """(label, start ms, length ms) along the critical path; a parallel group is one segment
    as long as its slowest stage."""
    out, t, groups = [], 0.0, {}
    for stage in designs.online_stages(design):
        if stage.latency_ms is None:
            continue
        if stage.parallel_group:
            groups.setdefault(stage.parallel_group, []).append(stage)
            if len(groups[stage.parallel_group]) > 1:
                continue
        out.append([stage.parallel_group or stage.name, t, stage.latency_ms])
        t += stage.latency_ms
    for seg in out:  # widen each parallel group to its slowest member
        members = groups.get(seg[0])
        if members and len(members) > 1:
            seg[0] = " ‖ ".join(m.name for m in members)
            seg[2] = max(m.latency_ms for m in members)
    start = 0.0
    for seg in out:
        seg[1], start = start, start + seg[2]
    return [tuple(seg) for seg in out]


def findings_html(found) -> str:
    """Findings as an HTML list grouped by what they cost; learner text escaped."""
    if not found:
        return "<p>No contradictions or omissions found.</p>"
    items = "".join(
        f"<li><b>{html.escape(f.costs())}</b> [{html.escape(f.kind)}]: {html.escape(f.says)} "
        f"<i>Fix:</i> {html.escape(f.fix)}</li>"
        for f in found
    )
    return f"<ul class='mlsd-mock-finding-list'>{items}</ul>"


def mock_interview(folder=".", **options) -> MockInterview:
    """Build the mock interview saving into ``folder`` (the notebook's own); display
    ``.container``."""
    return MockInterview(folder, **options)


# --- the calibration drill ---------------------------------------------------------------------


class CalibrationDrill:
    """Grade sample answers before your first mock. Controls: ``grades[dimension]`` (sliders),
    ``submit``, ``next_sample``; outputs ``sample_html``, ``result``, ``progress``, ``fig``."""

    def __init__(self, folder=".", seed: int = 0):
        self.log = calibration.CalibrationLog(folder)
        self.order = calibration.drill_order(seed)
        self.message = MessageLine("mlsd-calibration-message")
        self.sample_html = W.HTML()
        self.grades = {
            d.key: W.IntSlider(value=50, min=0, max=100, step=5,
                               description=f"{d.name} ({d.weight_pct:g} %)", style=LABEL_STYLE,
                               layout=W.Layout(width="min(100%, 560px)"))
            for d in rubric.DIMENSIONS
        }  # fmt: skip
        for key, control in self.grades.items():
            control.add_class(f"mlsd-calibration-{key.replace('_', '-')}")
        self.submit = W.Button(description="Submit my grades", button_style="primary",
                               layout=W.Layout(width="auto"))  # fmt: skip
        self.next_sample = W.Button(description="Next sample", layout=W.Layout(width="auto"))
        self.result, self.progress = W.HTML(), W.HTML()
        for widget, css in [(self.submit, "mlsd-calibration-submit"),
                            (self.next_sample, "mlsd-calibration-next"),
                            (self.result, "mlsd-calibration-result"),
                            (self.progress, "mlsd-calibration-progress"),
                            (self.sample_html, "mlsd-calibration-sample")]:  # fmt: skip
            widget.add_class(css)
        self.fig = live_figure(self._figure(), "mlsd-calibration-fig")
        self.submit.on_click(lambda _b: self.grade())
        self.next_sample.on_click(lambda _b: self.show_next())
        self.index = 0
        self.container = W.VBox([self.progress, self.sample_html, *self.grades.values(),
                                 W.HBox([self.submit, self.next_sample]), self.message.widget,
                                 self.result, self.fig])  # fmt: skip
        self.container.add_class("mlsd-calibration")
        with errors_to(self.message):
            done = {r["sample"] for r in self.log.records()}
            self.index = next((i for i, sid in enumerate(self.order) if sid not in done), 0)
        self._show()
        self._draw()

    @property
    def current(self) -> calibration.Sample:
        return calibration.sample(self.order[self.index])

    def _figure(self) -> go.Figure:
        return go.Figure(
            data=[go.Scatter(x=[], y=[], mode="lines+markers", name="mean error",
                             line={"color": SELF_COLOUR}),
                  go.Scatter(x=[], y=[], mode="lines+markers", name="bias (+ = too generous)",
                             line={"color": CHECKER_COLOUR, "dash": "dash"},
                             marker={"symbol": "square"})],
            layout={"title": {"text": "Your calibration error, sample by sample"},
                    "xaxis": {"title": {"text": "sample graded (number)"}, "dtick": 1,
                              "range": _samples_range(0)},
                    # From 0: with nothing graded yet the axis spans only the dotted line at
                    # 10 points, and its bottom tick "9" overprinted the x axis' "-1".
                    "yaxis": {"title": {"text": "rubric points (of 100)"},
                              "rangemode": "tozero"},
                    "shapes": [_hline(calibration.CALIBRATED_MAE)],
                    "height": 300, "margin": {"t": 45, "l": 60, "r": 20, "b": 50},
                    "legend": {"orientation": "h", "y": 1.15}},
        )  # fmt: skip

    def _show(self) -> None:
        s = self.current
        self.sample_html.value = (
            f"<h4>Sample {self.index + 1} of {len(self.order)}: problem {s.problem}, "
            f"{html.escape(s.design.title)}</h4><div style='max-height:420px;overflow-y:auto;"
            f"border:1px solid #aaa;padding:4px 8px'>{designs.to_html(s.design, 'Sample answer')}"
            "</div>"
        )
        self.result.value = ""
        self.submit.disabled = False

    def grade(self) -> None:
        """Record the grades of the current sample and show the reference grades."""
        with errors_to(self.message):
            s = self.current
            mine = {k: float(c.value) for k, c in self.grades.items()}
            self.log.add(s.id, mine)
            err = calibration.calibration_error(mine, s.scores)
            rows = "".join(
                f"<tr><td>{html.escape(rubric.DIMENSION_BY_KEY[k].name)}</td>"
                f"<td>{mine[k]:.0f}</td><td>{s.scores[k]:.0f}</td>"
                f"<td>{html.escape(s.why[k])}</td></tr>"
                for k in rubric.KEYS
            )
            self.result.value = (
                f"<p>This was a <b>{s.level}</b> answer (reference total {s.total:.1f}, "
                f"{rubric.hire_band(s.total)}). Your mean error: {err['mae']:.1f} points, bias "
                f"{err['bias']:+.1f}.</p><table><tr><th>dimension</th><th>you</th>"
                f"<th>reference</th><th>why</th></tr>{rows}</table>"
            )
            self.submit.disabled = True
            self._draw()

    def show_next(self) -> None:
        self.index = (self.index + 1) % len(self.order)
        self._show()

    def _draw(self) -> None:
        records = self.log.records()
        errors = [calibration.calibration_error(r["grades"], calibration.sample(r["sample"])
                  .scores) for r in records]  # fmt: skip
        summary = calibration.summary(records)
        if summary["graded"]:
            verdict = ("calibrated" if summary["mae"] <= calibration.CALIBRATED_MAE
                       else "not calibrated yet")  # fmt: skip
            self.progress.value = (
                f"<p>{summary['graded']} graded · mean error {summary['mae']:.1f} points "
                f"({verdict}; within {calibration.CALIBRATED_MAE:g} counts) · bias "
                f"{summary['bias']:+.1f} · most off on "
                f"{html.escape(rubric.DIMENSION_BY_KEY[summary['most_off']].name)} "
                f"({summary['most_off_by']:+.0f}).</p>"
            )
        else:
            self.progress.value = "<p>Grade each sample as an interviewer would, then submit.</p>"
        with self.fig.batch_update():
            xs = list(range(1, len(errors) + 1))
            self.fig.layout.xaxis.range = _samples_range(len(errors))
            self.fig.data[0].x, self.fig.data[0].y = xs, [e["mae"] for e in errors]
            self.fig.data[1].x, self.fig.data[1].y = xs, [e["bias"] for e in errors]


def _samples_range(graded: int) -> list[float]:
    """The x axis over samples 1..n (at least 5), half a sample of room at each end: no
    sample "0" or "-1" that was never graded."""
    return [0.5, max(graded, 5) + 0.5]


def _hline(y: float) -> dict:
    return {"type": "line", "x0": 0, "x1": 1, "xref": "paper", "y0": y, "y1": y,
            "line": {"color": "#444", "dash": "dot"}}  # fmt: skip


def calibration_drill(folder=".", **options) -> CalibrationDrill:
    """Build the calibration drill saving into ``folder``; display ``.container``."""
    return CalibrationDrill(folder, **options)


# --- the recall drill --------------------------------------------------------------------------


class RecallDrill:
    """Leitner flashcards. Controls: ``show``, ``knew``, ``missed``; outputs ``front``,
    ``back``, ``boxes``. ``today`` can be set (tests); progress saved in the folder."""

    def __init__(self, folder=".", today=None):
        import datetime as dt

        self.today = today or dt.date.today()
        self.store = recall.RecallStore(folder)
        self.message = MessageLine("mlsd-recall-message")
        self.progress: dict = {}
        self.front, self.back, self.boxes = W.HTML(), W.HTML(), W.HTML()
        self.topic = W.ToggleButtons(
            options=[("all", None)] + [(t, t) for t in recall.TOPICS],
            value=None,
            description="Topic",
            style={**LABEL_STYLE, "button_width": "auto"},
        )
        self.topic.add_class("mlsd-recall-topic")
        self.topic.observe(lambda _c: self._next(), names="value")
        self.show = W.Button(description="Show the answer", layout=W.Layout(width="auto"))
        self.knew = W.Button(description="I knew it", button_style="success",
                             layout=W.Layout(width="auto"))  # fmt: skip
        self.missed = W.Button(description="I did not", button_style="warning",
                               layout=W.Layout(width="auto"))  # fmt: skip
        for widget, css in [(self.front, "mlsd-recall-front"), (self.back, "mlsd-recall-back"),
                            (self.boxes, "mlsd-recall-boxes"), (self.show, "mlsd-recall-show"),
                            (self.knew, "mlsd-recall-knew"),
                            (self.missed, "mlsd-recall-missed")]:  # fmt: skip
            widget.add_class(css)
        self.show.on_click(lambda _b: self.reveal())
        self.knew.on_click(lambda _b: self.answer(True))
        self.missed.on_click(lambda _b: self.answer(False))
        self.card_id: str | None = None
        self.container = W.VBox(
            [
                self.topic,
                self.boxes,
                self.front,
                self.show,
                self.back,
                W.HBox([self.knew, self.missed]),
                self.message.widget,
            ]
        )
        self.container.add_class("mlsd-recall")
        with errors_to(self.message):
            self.progress = self.store.load()
        self._next()

    def _next(self) -> None:
        due = recall.due_cards(self.progress, self.today, self.topic.value)
        self.card_id = due[0] if due else None
        self.back.value = ""
        if self.card_id is None:
            self.front.value = "<p><b>Nothing due today.</b> Come back tomorrow.</p>"
        else:
            c = recall.card(self.card_id)
            self.front.value = (f"<p><i>{html.escape(c.topic)}</i> · "
                                f"<b>{html.escape(c.front)}</b></p>")  # fmt: skip
        self.knew.disabled = self.missed.disabled = True
        self.show.disabled = self.card_id is None
        counts = recall.box_counts(self.progress)
        self.boxes.value = (
            f"<p>{len(due)} due today · new {counts[0]} · "
            + " · ".join(f"box {b}: {counts[b]}" for b in range(1, recall.BOXES + 1))
            + "</p>"
        )

    def reveal(self) -> None:
        if self.card_id is None:
            return
        self.back.value = f"<p>{html.escape(recall.card(self.card_id).back)}</p>"
        self.knew.disabled = self.missed.disabled = False

    def answer(self, knew: bool) -> None:
        with errors_to(self.message):
            if self.card_id is None:
                return
            self.progress = recall.review(self.progress, self.card_id, knew, self.today)
            self.store.save(self.progress)
            self._next()


def recall_drill(folder=".", **options) -> RecallDrill:
    """Build the recall drill saving into ``folder``; display ``.container``."""
    return RecallDrill(folder, **options)
