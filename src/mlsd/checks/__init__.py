"""Checks that test cells call; see ``outcome`` for the three outcomes and ``engine`` for
the loop that runs an exercise's cases."""

from mlsd.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Incorrect,
    NotAttempted,
    Tally,
    answer,
    call_learner,
    exercise,
    hint,
    manifest,
    passed,
    run_cases,
)

__all__ = [
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
