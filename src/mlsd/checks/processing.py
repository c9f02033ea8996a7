"""Checks for the batch / real-time / hybrid scenarios exercise (section 6.2)."""

from __future__ import annotations

from mlsd.checks.core import Incorrect, call_learner, passed
from mlsd.processing import MODES, SCENARIOS

EXERCISE = "classify_scenarios"


def scenario_feedback(answers: dict) -> tuple[list[str], int]:
    """One line of feedback per scenario, and how many were right."""
    lines, right = [], 0
    for scenario in SCENARIOS:
        given = answers.get(scenario.id)
        if given == scenario.mode:
            right += 1
            lines.append(f"  ✓ {scenario.id}: {given} — {scenario.explanation}")
        elif given is None:
            lines.append(f"  ✗ {scenario.id}: no answer. Add it to the dict.")
        elif given not in MODES:
            lines.append(f"  ✗ {scenario.id}: {given!r} is not one of {', '.join(MODES)}.")
        else:
            lines.append(f"  ✗ {scenario.id}: you said {given}; re-read it with the tree above.")
    return lines, right


def check_classify_scenarios(fn) -> None:
    """Visible check: feedback per scenario; wrong ones are named but not answered."""
    answers = call_learner(EXERCISE, fn)
    if not isinstance(answers, dict):
        raise Incorrect(
            EXERCISE,
            f"classify_scenarios() returned {type(answers).__name__}; expected a dict "
            "mapping each scenario id to 'batch', 'real-time' or 'hybrid'.",
            "the function has no `return` statement." if answers is None else None,
        )
    unknown = sorted(set(answers) - {s.id for s in SCENARIOS}, key=repr)
    lines, right = scenario_feedback(answers)
    print("\n".join(lines))
    if unknown:
        raise Incorrect(EXERCISE, f"unknown scenario ids {unknown}: copy the ids from the table.")
    if right < len(SCENARIOS):
        wrong = len(SCENARIOS) - right
        cause = (
            "every answer is the same mode: each scenario needs its own walk down the tree."
            if len(answers) > 1 and len({repr(v) for v in answers.values()}) == 1
            else None
        )
        raise Incorrect(
            EXERCISE, f"{wrong} of {len(SCENARIOS)} scenarios are not right yet.", cause
        )
    passed(EXERCISE, len(SCENARIOS))


def expect_modes(fn, expected: dict[str, str]) -> None:
    """Hidden-test helper: compare with answers written in the notebook itself, so a
    learner who edits ``mlsd.processing.SCENARIOS`` cannot change what is expected."""
    answers = call_learner(EXERCISE, fn)
    if not isinstance(answers, dict):
        raise Incorrect(EXERCISE, f"expected a dict, got {type(answers).__name__}.")
    wrong = sorted(k for k, mode in expected.items() if answers.get(k) != mode)
    if wrong:
        raise Incorrect(EXERCISE, f"{len(wrong)} scenario(s) classified wrongly: {wrong}.")
