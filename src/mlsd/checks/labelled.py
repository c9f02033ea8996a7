"""Cases whose arguments are too long to print (tables, sample arrays): each carries a short
label that the message shows instead. A thin wrapper over ``engine``: a ``LabelledCase`` is a
``Case`` built with the label first."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mlsd.checks.engine import Case, equal, run

# Numbers compared with a relative tolerance also accept this much absolute error, so an
# expected 0.0 does not demand bit-exact zero.
ABS_TOL = 1e-12


class LabelledCase(Case):
    """A case shown as ``label`` (e.g. "pick_option(guide table, 150, 88)") in messages."""

    def __init__(
        self,
        label: str,
        args: tuple,
        expected: Any,
        why: str,
        kwargs: dict | None = None,
        rel_tol: float | None = None,
    ):
        if not (isinstance(label, str) and label.strip()):
            raise ValueError(f"label must be a non-empty string; got {label!r}.")
        abs_tol = ABS_TOL if rel_tol is not None else 0.0
        super().__init__(args, expected, why, kwargs or {}, rel_tol, label, None, abs_tol)


def close(actual, expected, rel_tol) -> bool:
    """Equality, with a tolerance for numbers (also inside tuples, lists and dicts)."""
    return equal(actual, expected, rel_tol, abs_tol=ABS_TOL if rel_tol is not None else 0.0)


def run_labelled(
    exercise_id: str,
    fn: Callable,
    cases: Sequence[Case],
    *,
    likely_cause: Callable[[Case, Any], str | None] | None = None,
    quiet: bool = False,
) -> None:
    """Like ``run_cases``: raise on the first mismatch, else report; returns None."""
    run(exercise_id, fn, cases, likely_cause=likely_cause, quiet=quiet)
