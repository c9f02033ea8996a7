"""The one loop that runs an exercise's cases against the learner's function.

A case is data: the call (``args``, ``kwargs``), the ``expected`` answer, ``why`` that answer
is right, how to compare (exact by default, a numeric tolerance, or a comparator of your own)
and, for arguments too long to print (tables, arrays), a short ``label`` shown instead of the
call. ``run`` calls the learner through ``call_learner`` (the stub becomes *not attempted*, a
crash becomes *incorrect* naming the call), reports a ``None`` return once with the usual
slip, applies the comparison, asks the exercise's ``likely_cause`` for a diagnosis, and counts
the cases that passed, so no check writes its pass count by hand.

Equality is decided on plain data with exact type checks (``_kind``): an object whose
``__eq__`` always says True, or a ``str`` subclass that overrides it, is not equal to anything.
``True`` and ``1`` are different answers even though Python says they are equal.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mlsd.checks.outcome import CheckFailed, Incorrect, NotAttempted, show_passed

NO_RETURN = "the function has no `return` statement on this path (print is not return)."
# When None is a real answer of the exercise (nothing fits, no threshold works), the learner
# may have returned it on purpose from a wrong branch; the check cannot tell which.
NO_RETURN_OR_NOTHING = (
    "the function has no `return` statement on this path (print is not return), or it "
    "decided that nothing qualifies when something does."
)

Comparator = Callable[[Any, Any], bool]
LikelyCause = Callable[[Any, Any], "str | None"]
CrashCause = Callable[[Any, BaseException], "str | None"]


# --- comparing plain data ----------------------------------------------------------------


def _kind(value) -> str | None:
    """The kind of a plain value, by exact type (subclasses of int/float/str do not count,
    except numpy's own scalar types); None for anything else (a custom object)."""
    kind = type(value)
    if value is None:
        return "none"
    if kind is bool or kind is np.bool_:
        return "bool"
    if kind in (int, float) or (isinstance(value, np.number) and kind.__module__ == "numpy"):
        return "number"
    if kind is str or kind is np.str_:
        return "str"
    if kind is bytes:
        return "bytes"
    if kind in (list, tuple):
        return "sequence"
    if kind is dict:
        return "dict"
    if kind in (set, frozenset):
        return "set"
    if kind is np.ndarray:
        return "array"
    if kind in (pd.DataFrame, pd.Series):
        return "table"
    return None


def equal(actual, expected, rel_tol: float | None = None, abs_tol: float = 0.0) -> bool:
    """Whether ``actual`` is the ``expected`` plain value; numbers (also inside lists,
    tuples, dict values and arrays) within ``rel_tol``/``abs_tol`` when given, else exactly.

    A list and a tuple holding equal items are equal (the learner's choice of brackets is
    not the skill); a bool never equals a number; a string never equals a number.
    """
    kind, want = _kind(actual), _kind(expected)
    if kind is None or want is None or kind != want:
        return False
    if want == "none":
        return True
    if want == "bool":
        return bool(actual) == bool(expected)
    if want == "number":
        if math.isnan(float(expected)):
            return math.isnan(float(actual))
        if rel_tol is None and abs_tol == 0.0:
            return actual == expected
        return math.isclose(float(actual), float(expected), rel_tol=rel_tol or 0.0, abs_tol=abs_tol)
    if want in ("str", "bytes"):
        return actual == expected  # exact types (or numpy's str_): no __eq__ of the learner's
    if want == "sequence":
        return len(actual) == len(expected) and all(
            equal(a, e, rel_tol, abs_tol) for a, e in zip(actual, expected, strict=True)
        )
    if want == "dict":
        return set(actual) == set(expected) and all(
            equal(actual[k], expected[k], rel_tol, abs_tol) for k in expected
        )
    if want == "set":
        return set.__eq__(set(actual), set(expected))
    if want == "array":
        return _arrays_equal(actual, expected, rel_tol, abs_tol)
    return _tables_equal(actual, expected, rel_tol, abs_tol)


def _arrays_equal(actual: np.ndarray, expected: np.ndarray, rel_tol, abs_tol) -> bool:
    if actual.shape != expected.shape:
        return False
    if actual.dtype.kind in "biuf" and expected.dtype.kind in "biuf":
        if (actual.dtype.kind == "b") != (expected.dtype.kind == "b"):
            return False
        if rel_tol is None and abs_tol == 0.0:
            return bool(np.array_equal(actual, expected, equal_nan=expected.dtype.kind == "f"))
        return bool(
            np.allclose(actual, expected, rtol=rel_tol or 0.0, atol=abs_tol, equal_nan=True)
        )
    if actual.dtype.kind != expected.dtype.kind:
        return False
    return bool(np.array_equal(actual, expected))


def _tables_equal(actual, expected, rel_tol, abs_tol) -> bool:
    if type(actual) is not type(expected):
        return False
    if rel_tol is None and abs_tol == 0.0:
        return bool(expected.equals(actual))
    same = (
        pd.testing.assert_frame_equal
        if isinstance(expected, pd.DataFrame)
        else pd.testing.assert_series_equal
    )
    try:
        same(actual, expected, rtol=rel_tol or 0.0, atol=abs_tol)
    except AssertionError:
        return False
    return True


def exact(actual, expected) -> bool:
    """The default comparison: ``equal`` without a tolerance."""
    return equal(actual, expected)


def within(rel_tol: float, abs_tol: float = 0.0) -> Comparator:
    """A comparison accepting numbers within ``rel_tol`` (relative) or ``abs_tol``."""
    if not (isinstance(rel_tol, int | float) and 0 <= rel_tol < 1):
        raise ValueError(f"rel_tol must be a number in [0, 1); got {rel_tol!r}.")

    def compare(actual, expected) -> bool:
        return equal(actual, expected, rel_tol, abs_tol)

    compare.__name__ = f"within(rel_tol={rel_tol:g})"
    return compare


# --- cases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One probe: call with ``args``/``kwargs``; expect ``expected``; ``why`` explains it.

    ``rel_tol`` compares numbers (also inside tuples, lists, dicts, arrays) with a relative
    tolerance; ``compare`` replaces the comparison altogether (``compare(actual, expected)``);
    ``label`` is how the call is shown when its arguments are too long to print.
    """

    args: tuple
    expected: Any
    why: str
    kwargs: dict = field(default_factory=dict)
    rel_tol: float | None = None
    label: str | None = None
    compare: Comparator | None = None
    abs_tol: float = 0.0

    def matches(self, actual) -> bool:
        if self.compare is not None:
            return bool(self.compare(actual, self.expected))
        return equal(actual, self.expected, self.rel_tol, self.abs_tol)

    def call_text(self, fn: Callable) -> str:
        if self.label:
            return self.label
        return f"{function_name(fn)}({shown_args(self.args, self.kwargs)})"


def function_name(fn) -> str:
    return getattr(fn, "__name__", None) or "your function"


def shown_args(args: tuple, kwargs: dict) -> str:
    return ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])


def _fresh(value):
    """A copy of a case's data container, so a learner's function that sorts or edits its
    input in place cannot change the next case (or the expected values built from it)."""
    if isinstance(value, np.ndarray | pd.DataFrame | pd.Series):
        return value.copy()
    if isinstance(value, list | dict | set):
        return copy.deepcopy(value)
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    return value  # numbers, strings, numpy Generators (their state is the test's to share)


# --- calling the learner -----------------------------------------------------------------


def call(
    exercise_id: str,
    fn: Callable,
    args: tuple = (),
    kwargs: dict | None = None,
    *,
    shown: str | None = None,
) -> Any:
    """Call the learner's function, turning the stub and crashes into readable outcomes.

    ``shown`` is how the call appears in a crash message (default: the call with its
    arguments' reprs)."""
    kwargs = kwargs or {}
    if not callable(fn):
        raise Incorrect(exercise_id, f"expected a function, got {type(fn).__name__}.")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise NotAttempted(
            exercise_id,
            f"{function_name(fn)} still raises the placeholder NotImplementedError. Replace "
            "that line with your code, run the cell, then run this check again.",
        ) from None
    except CheckFailed:
        raise
    except Exception as exc:  # the learner's bug, reported as a reason rather than a crash
        text = shown or f"{function_name(fn)}({shown_args(args, kwargs)})"
        raise Incorrect(exercise_id, f"calling {text} raised {type(exc).__name__}: {exc}") from exc


# --- the runner --------------------------------------------------------------------------


def run(
    exercise_id: str,
    fn: Callable,
    cases: Sequence[Case],
    *,
    likely_cause: LikelyCause | None = None,
    crash_cause: CrashCause | None = None,
    quiet: bool = False,
) -> None:
    """Probe ``fn`` with every case; raise on the first mismatch, else report the count.

    ``likely_cause(case, actual)`` names the slip behind a wrong answer (None if unknown);
    ``crash_cause(case, exc)`` the slip behind a crash. ``quiet`` runs without the pass
    message (hidden tests). Returns None on purpose: nbgrader reads a number shown by a test
    cell as partial credit.
    """
    tally = Tally(exercise_id)
    tally.run(fn, cases, likely_cause=likely_cause, crash_cause=crash_cause)
    if not quiet:
        tally.report()


class Tally:
    """Counts the visible checks an exercise passed, so the pass message is never a
    hand-written number. ``run`` adds a batch of cases; ``expect`` adds one condition of a
    check that is not a call-and-compare (a statistical band, a shape)."""

    def __init__(self, exercise_id: str):
        self.exercise_id = exercise_id
        self.count = 0

    def run(
        self,
        fn,
        cases: Sequence[Case],
        *,
        likely_cause: LikelyCause | None = None,
        crash_cause: CrashCause | None = None,
    ) -> None:
        none_is_an_answer = any(case.expected is None for case in cases)
        for case in cases:
            self._one(fn, case, likely_cause, crash_cause, none_is_an_answer)
            self.count += 1

    def _one(self, fn, case: Case, likely_cause, crash_cause, none_is_an_answer) -> None:
        args, kwargs = _fresh(case.args), _fresh(case.kwargs)
        try:
            actual = call(self.exercise_id, fn, args, kwargs, shown=case.label)
        except Incorrect as exc:
            cause = crash_cause(case, exc.__cause__) if crash_cause and exc.__cause__ else None
            if cause is None:
                raise
            raise Incorrect(self.exercise_id, exc.message, cause) from exc.__cause__
        if case.matches(actual):
            return
        if actual is None:
            cause = likely_cause(case, None) if likely_cause and none_is_an_answer else None
            raise Incorrect(
                self.exercise_id,
                # Not "because ...": the reason for the right answer is beside the point
                # when the function gave no answer at all.
                f"{case.call_text(fn)} returned None; expected {case.expected!r}.",
                cause or (NO_RETURN_OR_NOTHING if none_is_an_answer else NO_RETURN),
            )
        raise Incorrect(
            self.exercise_id,
            f"{case.call_text(fn)} returned {actual!r}; expected {case.expected!r} because "
            f"{case.why}",
            likely_cause(case, actual) if likely_cause else None,
        )

    def expect(self, condition: bool, message: str, likely_cause: str | None = None) -> None:
        """Count one passed check, or raise ``Incorrect(message, likely_cause)``."""
        if not condition:
            raise Incorrect(self.exercise_id, message, likely_cause)
        self.count += 1

    def report(self) -> None:
        """Tell the learner how many visible checks passed; the hidden ones decide the grade."""
        if self.count == 0:
            raise ValueError(
                f"{self.exercise_id}: a check that ran no case cannot pass; give it cases."
            )
        show_passed(self.exercise_id, self.count)
