"""Checks that test cells call; see ``core`` for the three outcomes."""

from mlsd.checks.core import (
    Case,
    CheckFailed,
    Exercise,
    Incorrect,
    NotAttempted,
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
    "call_learner",
    "exercise",
    "hint",
    "manifest",
    "passed",
    "run_cases",
]
