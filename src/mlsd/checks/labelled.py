"""A check loop for section 7's exercises whose arguments are too long to print (tables,
sample arrays): each case carries a short label that the message shows instead."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mlsd.checks.core import Incorrect, call_learner, passed


@dataclass(frozen=True)
class LabelledCase:
    label: str  # how the call is shown, e.g. "pick_option(guide table, 150, 88)"
    args: tuple
    expected: Any
    why: str
    kwargs: dict = field(default_factory=dict)
    rel_tol: float | None = None  # numbers (or tuples holding numbers) compared with this


def close(actual, expected, rel_tol) -> bool:
    """Equality, with a tolerance for numbers (also inside tuples and lists)."""
    if isinstance(expected, tuple | list):
        if not isinstance(actual, tuple | list) or len(actual) != len(expected):
            return False
        return all(close(a, e, rel_tol) for a, e in zip(actual, expected, strict=True))
    if expected is None or isinstance(expected, str | bool):
        return actual is expected or (isinstance(expected, str) and actual == expected)
    if isinstance(actual, bool | str | bytes):
        return False
    try:
        a, e = float(actual), float(expected)
    except (TypeError, ValueError):
        return False
    if rel_tol is None:
        return a == e
    return math.isclose(a, e, rel_tol=rel_tol, abs_tol=1e-12)


def run_labelled(
    exercise_id: str,
    fn: Callable,
    cases: Sequence[LabelledCase],
    *,
    likely_cause: Callable[[LabelledCase, Any], str | None] | None = None,
    quiet: bool = False,
) -> None:
    """Like ``run_cases``: raise on the first mismatch, else report; returns None."""
    for case in cases:
        actual = call_learner(exercise_id, fn, *case.args, **case.kwargs)
        if actual is None and case.expected is not None:
            # None can be a real answer (nothing fits): let the exercise name the slip first.
            cause = likely_cause(case, None) if likely_cause else None
            raise Incorrect(
                exercise_id,
                f"{case.label} returned None; expected {case.expected!r} because {case.why}",
                cause
                or "the function has no `return` statement on this path (print is not return).",
            )
        if not close(actual, case.expected, case.rel_tol):
            raise Incorrect(
                exercise_id,
                f"{case.label} returned {actual!r}; expected {case.expected!r} because {case.why}",
                likely_cause(case, actual) if likely_cause else None,
            )
    if not quiet:
        passed(exercise_id, len(cases))
