"""Section 9 widgets: the spot-the-mistake quiz, the phase picker and the numbers detector."""

from __future__ import annotations

import html

import ipywidgets as W

from mlsd.mistakes import (
    CHOICES,
    EXCERPTS,
    KINDS,
    MISTAKES,
    PHASES,
    choose_phase,
    classify,
    notes_summary,
    quantities,
    statement_issues,
)
from mlsd.widgets.common import LABEL_STYLE, WIDE, MessageLine, errors_to

UNANSWERED = "— choose —"  # kept for callers; no option is picked (value None) until answered
_OPTIONS = [(MISTAKES.get(c, "none: a good answer"), c) for c in CHOICES]


class MistakeQuiz:
    """One ``choices[id]`` RadioButtons and one ``feedback[id]`` HTML per excerpt; ``score``
    (HTML) and ``answers`` (dict id -> key, the variable a test cell can read)."""

    def __init__(self):
        self.choices, self.feedback = {}, {}
        self.message = MessageLine("mlsd-quiz-message")
        rows = []
        for e in EXCERPTS:
            # Radio buttons, not a drop-down: in JupyterLab the arrow keys on a focused
            # drop-down move between cells; Space on a radio button picks it everywhere.
            self.choices[e.id] = W.RadioButtons(
                options=_OPTIONS,
                value=None,
                description=f"{e.id}: which mistake?",
                style=LABEL_STYLE,
                layout=WIDE,
            )
            self.choices[e.id].add_class(f"mlsd-quiz-choice-{e.id}")
            self.feedback[e.id] = W.HTML()
            self.feedback[e.id].add_class(f"mlsd-quiz-feedback-{e.id}")
            self.choices[e.id].observe(lambda _c, i=e.id: self.answer(i), names="value")
            rows.append(
                W.VBox(
                    [
                        W.HTML(
                            f"<p><b>{e.id}</b> · <i>{html.escape(e.prompt)}</i><br>"
                            f"“{html.escape(e.text)}”<br><small>Reviewer's notes: "
                            f"{html.escape(notes_summary(e.notes))}</small></p>"
                        ),
                        self.choices[e.id],
                        self.feedback[e.id],
                    ]
                )
            )
        self.score = W.HTML()
        self.score.add_class("mlsd-quiz-score")
        self.container = W.VBox([*rows, self.score, self.message.widget])
        self.container.add_class("mlsd-quiz")
        self._score()

    @property
    def answers(self) -> dict[str, str]:
        return {i: c.value for i, c in self.choices.items() if c.value is not None}

    def answer(self, excerpt_id: str) -> None:
        with errors_to(self.message):
            choice = self.choices[excerpt_id].value
            if choice is None:
                self.feedback[excerpt_id].value = ""
            else:
                fb = classify(excerpt_id, choice)
                colour = "#1b7837" if fb.correct else "#b00020"
                self.feedback[
                    excerpt_id
                ].value = f'<span style="color:{colour}">{html.escape(fb.text)}</span>'
        self._score()

    def _score(self) -> None:
        right = sum(1 for e in EXCERPTS if self.choices[e.id].value == e.answer)
        self.score.value = f"<b>{right} of {len(EXCERPTS)} right</b> ({len(self.answers)} answered)"


def mistake_quiz() -> MistakeQuiz:
    """Build the spot-the-mistake quiz; display ``.container``; read ``.answers``."""
    return MistakeQuiz()


class PhasePicker:
    """``users`` (IntText) -> ``phase`` (HTML) with the three phases listed."""

    def __init__(self, users: int = 10_000):
        self.users = W.IntText(value=users, description="Users", style=LABEL_STYLE)
        self.users.add_class("mlsd-phase-users")
        self.phase = W.HTML()
        self.phase.add_class("mlsd-phase-result")
        self.message = MessageLine("mlsd-phase-message")
        self.users.observe(lambda _c: self.update(), names="value")
        self.container = W.VBox([self.users, self.phase, self.message.widget])
        self.container.add_class("mlsd-phase")
        self.update()

    def update(self) -> None:
        with errors_to(self.message):
            n = choose_phase(self.users.value)
            items = "".join(
                f"<li>{'<b>' if p.number == n else ''}Phase {p.number} · {p.name}: "
                f"{p.approach} (from {p.from_users:,} users)"
                f"{'</b> ← start here' if p.number == n else ''}</li>"
                for p in PHASES
            )
            self.phase.value = f"<ol style='list-style:none'>{items}</ol>"
            return
        self.phase.value = ""


def phase_picker(**initial) -> PhasePicker:
    return PhasePicker(**initial)


class NumbersDetector:
    """One ``statements[kind]`` Textarea per kind (latency, scale, accuracy); ``found``
    (HTML) lists the numbers with units it recognised, what is missing, and what a reviewer
    would not believe (a p99 of 1 ms for a page, one user as a scale)."""

    def __init__(self, **initial):
        self.statements = {
            k: W.Textarea(
                value=initial.get(k, ""),
                description=k,
                style=LABEL_STYLE,
                layout=WIDE,
                placeholder=f"a {k} requirement with a number and a unit",
            )
            for k in KINDS
        }
        self.found = W.HTML()
        self.found.add_class("mlsd-numbers-found")
        self.message = MessageLine("mlsd-numbers-message")
        for k, t in self.statements.items():
            t.add_class(f"mlsd-numbers-{k}")
            t.observe(lambda _c: self.update(), names="value")
        self.container = W.VBox([*self.statements.values(), self.found, self.message.widget])
        self.container.add_class("mlsd-numbers")
        self.update()

    def update(self) -> None:
        with errors_to(self.message):
            texts = {k: t.value for k, t in self.statements.items()}
            issues = statement_issues(texts)
            rows = []
            for k in KINDS:
                got = ", ".join(quantities(texts[k], k))
                found = f" (found {html.escape(got)})" if got else ""
                if k in issues:
                    why = " ".join(issues[k])
                    rows.append(f"<li>✗ <b>{k}</b>: {html.escape(why)}{found}</li>")
                else:
                    rows.append(f"<li>✓ <b>{k}</b>: {html.escape(got)}</li>")
            self.found.value = f"<ul>{''.join(rows)}</ul>"


def numbers_detector(**initial) -> NumbersDetector:
    return NumbersDetector(**initial)
