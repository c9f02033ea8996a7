"""The three outcomes of a check, as a learner reads them and as programs read them.

*Not attempted yet* and *Incorrect* are exceptions (``AssertionError`` subclasses, so
nbgrader scores the cell 0); *Visible checks passed* is a message. In Jupyter each outcome is
one output block with three representations:

- ``text/html``: a boxed block (heading, reason, likely cause, the hint call) whose every
  element carries an explicit foreground and background colour, so it reads the same in
  JupyterLab's light and dark themes. Each pair's WCAG contrast ratio is at least 7:1
  (``contrast_ratio``; tested here and measured in the browser by
  ``tests/browser/test_run_all.py``). It replaces the old ANSI yellow and red on JupyterLab's
  pink stderr background (1.54:1 and 2.74:1).
- ``text/plain``: the same words for consoles and nbconvert's text exports.
- ``application/vnd.mlsd.check+json``: ``{"exercise", "outcome", "checks"}`` so the
  self-check (``mlsd.selfcheck``) reads outcomes without matching printed wording.

A failing check still raises: IPython asks the exception for ``_render_traceback_``, which
shows the block and returns one short plain line (no ANSI colours, no stack) for the error
output that nbgrader scores. Everything a learner's code produced (a returned value, an
exception message) is HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from mlsd.manifest import CHECK_OUTCOME_MIME as MIME

PASSED, INCORRECT, NOT_ATTEMPTED = "passed", "incorrect", "not attempted"


@dataclass(frozen=True)
class Look:
    """How an outcome is drawn: its heading and an explicit colour pair."""

    heading: str
    foreground: str
    background: str
    accent: str  # the left border; decoration only, carries no text
    code_background: str  # behind the hint call, still under ``foreground``


LOOKS = {
    NOT_ATTEMPTED: Look("Not attempted yet", "#3a2a00", "#fff4cc", "#9a6b00", "#ffffff"),
    INCORRECT: Look("Incorrect", "#5c0b0b", "#fde9e9", "#b42318", "#ffffff"),
    PASSED: Look("Visible checks passed", "#0b3a17", "#e4f4e7", "#1e7b34", "#ffffff"),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    if not (isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", colour)):
        raise ValueError(f"colour must be a '#rrggbb' string; got {colour!r}.")
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio (1 to 21) of two ``#rrggbb`` colours."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)))[::-1]
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Outcome:
    """One check's result: what the learner sees and what the self-check reads."""

    exercise_id: str
    status: str  # PASSED, INCORRECT or NOT_ATTEMPTED
    message: str
    likely_cause: str | None = None
    checks: int | None = None  # visible checks passed (PASSED only)

    @property
    def look(self) -> Look:
        return LOOKS[self.status]

    def lines(self) -> list[str]:
        if self.status == PASSED:
            return [f"✓ {self.exercise_id}: {self.message}"]
        lines = [f"{self.look.heading} ({self.exercise_id}): {self.message}"]
        if self.likely_cause:
            lines.append(f"Likely cause: {self.likely_cause}")
        lines.append(f"Stuck? Run {self.hint_call} for a first nudge.")
        return lines

    @property
    def hint_call(self) -> str:
        return f'hint("{self.exercise_id}", 1)'

    def text(self) -> str:
        return "\n".join(self.lines())

    def short_line(self) -> str:
        """The one plain line of the error output (nbgrader's record that the cell failed)."""
        return f"{self.look.heading} ({self.exercise_id}): the reason is in the box above."

    def marker(self) -> dict:
        return {"exercise": self.exercise_id, "outcome": self.status, "checks": self.checks}

    def html(self) -> str:
        look = self.look
        pair = f"color:{look.foreground};background-color:{look.background};"
        box = (
            f"{pair}border-left:6px solid {look.accent};padding:8px 12px;margin:4px 0;"
            "font-family:var(--jp-content-font-family, system-ui, sans-serif);font-size:14px;"
            "line-height:1.5;white-space:normal;overflow-wrap:break-word;max-width:60em;"
        )
        para = f"{pair}margin:4px 0;padding:0;white-space:pre-wrap;"
        esc = html.escape
        parts = [
            f'<div class="mlsd-check mlsd-check-{self.status.replace(" ", "-")}" '
            f'role="status" style="{box}">',
            f'<div class="mlsd-check-heading" style="{pair}font-weight:700;font-size:15px;">'
            f'{esc(look.heading)} <span style="{pair}font-weight:400;">'
            f"({esc(self.exercise_id)})</span></div>",
            f'<p class="mlsd-check-reason" style="{para}">{esc(self.message)}</p>',
        ]
        if self.status != PASSED:
            if self.likely_cause:
                parts.append(
                    f'<p class="mlsd-check-cause" style="{para}"><b style="{pair}">Likely '
                    f"cause:</b> {esc(self.likely_cause)}</p>"
                )
            code = (
                f"color:{look.foreground};background-color:{look.code_background};"
                "padding:1px 4px;border-radius:3px;font-family:var(--jp-code-font-family, "
                "monospace);font-size:13px;"
            )
            parts.append(
                f'<p class="mlsd-check-hint" style="{para}">Stuck? Run <code style="{code}">'
                f"{esc(self.hint_call)}</code> for a first nudge.</p>"
            )
        parts.append("</div>")
        return "".join(parts)

    def bundle(self) -> dict:
        return {"text/plain": self.text(), "text/html": self.html(), MIME: self.marker()}


def _shell():
    """The running IPython shell, if any, without importing IPython when there is none."""
    ipython = sys.modules.get("IPython")
    get = getattr(ipython, "get_ipython", None)
    return get() if get else None


# Where outcomes go when no IPython shell shows them: the grading judge runs test cells in its
# own process and records each block for the graded notebook (mlsd.grading.judge).
_sink: ContextVar[Callable[[dict], None] | None] = ContextVar("mlsd_check_sink", default=None)


@contextmanager
def recording(sink: Callable[[dict], None]) -> Iterator[None]:
    """Send every outcome shown in this context (this thread) to ``sink(bundle)``."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)


def show_rich(bundle: dict) -> bool:
    """Display a mime bundle in IPython (or to the recording sink); return False (showing
    nothing) when there is neither."""
    sink = _sink.get()
    if sink is not None:
        sink(bundle)
        return True
    if _shell() is None:
        return False
    from IPython.display import display

    display(bundle, raw=True)
    return True


def show(outcome: Outcome) -> bool:
    """Display the outcome as a rich block in IPython; return False outside IPython."""
    return show_rich(outcome.bundle())


def show_passed(exercise_id: str, n_checks: int) -> None:
    """Tell the learner the visible checks passed, without promising the grade."""
    outcome = Outcome(
        exercise_id,
        PASSED,
        f"all {n_checks} visible checks passed. Hidden tests run at grading time may probe "
        "more cases.",
        checks=n_checks,
    )
    if not show(outcome):
        print(outcome.text())


class CheckFailed(AssertionError):
    """Base of the two failing outcomes; carries the exercise id and a readable message."""

    status = INCORRECT

    def __init__(self, exercise_id: str, message: str, likely_cause: str | None = None):
        self.exercise_id = exercise_id
        self.message = message
        self.likely_cause = likely_cause
        super().__init__(self.text())

    @property
    def label(self) -> str:
        return LOOKS[self.status].heading

    @property
    def outcome(self) -> Outcome:
        return Outcome(self.exercise_id, self.status, self.message, self.likely_cause)

    def text(self) -> str:
        return self.outcome.text()

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a stack trace. Show the readable block, and
        # keep the error output (what nbgrader scores 0) to one plain line. IPython asks
        # twice (the second time to store the error in its history): show the block once.
        if not getattr(self, "_shown", False):
            try:
                self._shown = show(self.outcome)
            except Exception:  # a broken display must never hide why the check failed
                self._shown = False
        return [self.outcome.short_line()] if self._shown else self.text().splitlines()


class Incorrect(CheckFailed):
    """The learner's answer ran but gave a wrong result."""


class NotAttempted(CheckFailed):
    """The learner's cell still holds the placeholder stub."""

    status = NOT_ATTEMPTED
