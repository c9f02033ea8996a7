"""What every test cell calls: three outcomes, friendly messages, stepped hints.

A check either returns normally after printing that the visible checks passed, or raises
``NotAttempted`` (the placeholder stub is still there) or ``Incorrect`` (with the reason and
a likely cause). Both subclass ``AssertionError`` so nbgrader scores the cell 0, and both
render as a short coloured message in Jupyter instead of a traceback.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

_RED, _YELLOW, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[0m"


class CheckFailed(AssertionError):
    """Base of the two failing outcomes; carries the exercise id and a readable message."""

    colour = _RED
    label = "Incorrect"

    def __init__(self, exercise_id: str, message: str, likely_cause: str | None = None):
        self.exercise_id = exercise_id
        self.message = message
        self.likely_cause = likely_cause
        super().__init__(self.text())

    def text(self) -> str:
        lines = [f"{self.label} ({self.exercise_id}): {self.message}"]
        if self.likely_cause:
            lines.append(f"Likely cause: {self.likely_cause}")
        lines.append(f'Stuck? Run hint("{self.exercise_id}", 1) for a first nudge.')
        return "\n".join(lines)

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a stack trace: learners see only the reason.
        return [f"{self.colour}{line}{_RESET}" for line in self.text().splitlines()]


class Incorrect(CheckFailed):
    """The learner's answer ran but gave a wrong result."""


class NotAttempted(CheckFailed):
    """The learner's cell still holds the placeholder stub."""

    colour = _YELLOW
    label = "Not attempted yet"


@dataclass(frozen=True)
class Exercise:
    """One autograded exercise as listed in ``mlsd/exercises/<section>.toml``."""

    id: str
    section: str
    title: str
    points: int
    solution_cell: str
    test_cell: str
    hints: tuple[str, ...]


@cache
def manifest() -> dict[str, Exercise]:
    """Every autograded exercise of the workbook, keyed by id (one TOML file per section)."""
    out: dict[str, Exercise] = {}
    folder = resources.files("mlsd").joinpath("exercises")
    for file in sorted(folder.iterdir(), key=lambda f: f.name):
        if not file.name.endswith(".toml"):
            continue
        for key, entry in tomllib.loads(file.read_text("utf-8")).items():
            if key in out:
                raise ValueError(f"exercise id {key!r} is defined twice ({file.name})")
            out[key] = Exercise(id=key, hints=tuple(entry.pop("hints")), **entry)
    return out


def exercise(exercise_id: str) -> Exercise:
    try:
        return manifest()[exercise_id]
    except KeyError:
        known = ", ".join(sorted(manifest()))
        raise ValueError(f"exercise_id must be one of {known}; got {exercise_id!r}.") from None


def hint(exercise_id: str, step: int = 1) -> None:
    """Print hint number ``step`` (1 = gentlest) for an exercise."""
    hints = exercise(exercise_id).hints
    if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= len(hints):
        raise ValueError(f"step must be a whole number in [1, {len(hints)}]; got {step!r}.")
    more = (
        f' (hint("{exercise_id}", {step + 1}) gives more)' if step < len(hints) else " (last hint)"
    )
    print(f"Hint {step}/{len(hints)} for {exercise_id}{more}:\n{hints[step - 1]}")


def call_learner(exercise_id: str, fn: Callable, *args, **kwargs) -> Any:
    """Call the learner's function, turning the stub and crashes into readable outcomes."""
    if not callable(fn):
        raise Incorrect(exercise_id, f"expected a function, got {type(fn).__name__}.")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotAttempted(
            exercise_id,
            f"{getattr(fn, '__name__', 'your function')} still raises the placeholder "
            "NotImplementedError. Replace that line with your code, run the cell, then run "
            "this check again.",
        ) from None
    except CheckFailed:
        raise
    except Exception as exc:  # the learner's bug, reported as a reason rather than a crash
        shown = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        raise Incorrect(
            exercise_id,
            f"calling {getattr(fn, '__name__', 'your function')}({shown}) raised "
            f"{type(exc).__name__}: {exc}",
        ) from exc


@dataclass(frozen=True)
class Case:
    """One probe: call with ``args``; expect ``expected``; ``why`` explains the right answer."""

    args: tuple
    expected: Any
    why: str
    kwargs: dict = field(default_factory=dict)
    rel_tol: float | None = None


def _matches(actual, case: Case) -> bool:
    if isinstance(actual, bool) != isinstance(case.expected, bool):
        return False  # True == 1 in Python; an answer of the wrong kind is still wrong
    if case.rel_tol is not None:
        if isinstance(actual, str | bytes):
            return False  # float("23000") would accept a string that merely looks like a number
        try:
            return math.isclose(float(actual), float(case.expected), rel_tol=case.rel_tol)
        except (TypeError, ValueError):
            return False
    try:
        return bool(actual == case.expected)
    except (TypeError, ValueError):  # e.g. a numpy array compared with a scalar
        return False


def _call_text(fn: Callable, case: Case) -> str:
    shown = ", ".join([*map(repr, case.args), *(f"{k}={v!r}" for k, v in case.kwargs.items())])
    return f"{getattr(fn, '__name__', 'your function')}({shown})"


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
    for case in cases:
        actual = call_learner(exercise_id, fn, *case.args, **case.kwargs)
        if actual is None and case.expected is not None:
            raise Incorrect(
                exercise_id,
                f"{_call_text(fn, case)} returned None; expected {case.expected!r}.",
                "the function has no `return` statement on this path (print is not return).",
            )
        if not _matches(actual, case):
            raise Incorrect(
                exercise_id,
                f"{_call_text(fn, case)} returned {actual!r}; expected {case.expected!r} "
                f"because {case.why}",
                likely_cause(case, actual) if likely_cause else None,
            )
    if not quiet:
        passed(exercise_id, len(cases))


def passed(exercise_id: str, n_checks: int) -> None:
    """Tell the learner the visible checks passed, without promising the grade."""
    print(
        f"✓ {exercise_id}: all {n_checks} visible checks passed. "
        "Hidden tests run at grading time may probe more cases."
    )
