"""What every test cell calls: three outcomes, friendly messages, stepped hints.

A check either returns normally after showing that the visible checks passed, or raises
``NotAttempted`` (the placeholder stub is still there) or ``Incorrect`` (with the reason and
a likely cause). Both subclass ``AssertionError`` so nbgrader scores the cell 0; how they
look is ``outcome``'s business, how cases run is ``engine``'s. This module keeps the names
test cells and section checks have always imported (``Case``, ``run_cases``,
``call_learner``, ``passed``, ``hint``, ``manifest``) as thin wrappers over those two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mlsd import answers
from mlsd.checks.engine import NO_RETURN, Case, Tally, call, run
from mlsd.checks.outcome import CheckFailed, Incorrect, NotAttempted, show_passed, show_rich
from mlsd.manifest import Exercise, exercise, manifest

__all__ = [
    "NO_RETURN",
    "Case",
    "CheckFailed",
    "Exercise",
    "Incorrect",
    "NotAttempted",
    "Tally",
    "answer",
    "call_learner",
    "exercise",
    "hint",
    "manifest",
    "passed",
    "run_cases",
]


def hint(exercise_id: str, step: int = 1) -> None:
    """Print hint number ``step`` (1 = gentlest) for an exercise."""
    hints = exercise(exercise_id).hints
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= len(hints):
        raise ValueError(f"step must be a whole number in [1, {len(hints)}]; got {step!r}.")
    more = (
        f' (hint("{exercise_id}", {step + 1}) gives more)' if step < len(hints) else " (last hint)"
    )
    print(f"Hint {step}/{len(hints)} for {exercise_id}{more}:\n{hints[step - 1]}")


def answer(question_id: str) -> None:
    """Show the model answer to an open question (Markdown in Jupyter, text elsewhere),
    or say politely that the instructor has switched model answers off."""
    found = answers.lookup(question_id)
    if found is None:
        markdown = text = answers.SWITCHED_OFF
    else:
        markdown, text = found.markdown(), found.text()
    if not show_rich({"text/markdown": markdown, "text/plain": text}):
        print(text)


def call_learner(exercise_id: str, fn: Callable, *args, **kwargs) -> Any:
    """Call the learner's function, turning the stub and crashes into readable outcomes."""
    return call(exercise_id, fn, args, kwargs)


def run_cases(
    exercise_id: str,
    fn: Callable,
    cases: Sequence[Case],
    *,
    likely_cause: Callable[[Case, Any], str | None] | None = None,
    quiet: bool = False,
) -> None:
    """Probe ``fn`` with every case; raise on the first mismatch, else report the count.

    Returns None on purpose: nbgrader reads a number shown by a test cell as partial credit.
    """
    run(exercise_id, fn, cases, likely_cause=likely_cause, quiet=quiet)


def passed(exercise_id: str, n_checks: int) -> None:
    """Tell the learner the visible checks passed, without promising the grade.

    Prefer ``Tally`` (or ``run_cases``), which count the checks themselves."""
    show_passed(exercise_id, n_checks)
