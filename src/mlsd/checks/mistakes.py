"""Checks for section 9 (common mistakes): the quiz, the timeline, the phase, the numbers."""

from __future__ import annotations

import re
from collections.abc import Mapping

from mlsd.checks.core import Case, Incorrect, call_learner, passed, run_cases
from mlsd.mistakes import CHOICES, EXCERPTS, KINDS, missing_numbers, quantities
from mlsd.timeline import plan_issues, validate_plan

QUIZ, PLAN, PHASE, NUMBERS = "mistake_quiz", "interview_plan", "choose_phase", "numbers_units"


# ------------------------------------------------------------------------ quiz ---
def _quiz_answers(fn) -> dict:
    answers = call_learner(QUIZ, fn)
    if not isinstance(answers, Mapping):
        raise Incorrect(
            QUIZ,
            f"classify_excerpts() returned {type(answers).__name__}; expected a dict mapping "
            "each excerpt id ('E1' ...) to a mistake key or 'none'.",
            "the function has no `return` statement." if answers is None else None,
        )
    unknown_ids = sorted(set(answers) - {e.id for e in EXCERPTS}, key=repr)
    if unknown_ids:
        raise Incorrect(QUIZ, f"unknown excerpt ids {unknown_ids}: use 'E1' to 'E10'.")
    bad = {k: v for k, v in answers.items() if v not in CHOICES}
    if bad:
        raise Incorrect(
            QUIZ,
            f"answers {bad} are not choices; use one of {', '.join(map(repr, CHOICES))}.",
            "use the keys (e.g. 'no_numbers'), not the titles.",
        )
    return dict(answers)


def check_mistake_quiz(fn) -> None:
    """Visible check: every excerpt answered with a valid key; wrong ones named, not solved."""
    answers = _quiz_answers(fn)
    missing = [e.id for e in EXCERPTS if e.id not in answers]
    wrong = [e.id for e in EXCERPTS if e.id in answers and answers[e.id] != e.answer]
    if missing:
        raise Incorrect(QUIZ, f"no answer yet for {', '.join(missing)}.")
    if wrong:
        cause = None
        if all(answers[e.id] != "none" for e in EXCERPTS if e.answer == "none"):
            cause = "some excerpts are good answers: 'none' is a valid choice."
        raise Incorrect(
            QUIZ,
            f"{len(wrong)} of {len(EXCERPTS)} not right yet: {', '.join(wrong)}. The quiz "
            "widget above explains each choice.",
            cause,
        )
    passed(QUIZ, len(EXCERPTS))


def expect_quiz(fn, expected: Mapping) -> None:
    """Hidden-test helper: answers compared with a key written in the notebook."""
    answers = _quiz_answers(fn)
    wrong = sorted(k for k, v in expected.items() if answers.get(k) != v)
    if wrong:
        raise Incorrect(QUIZ, f"{len(wrong)} excerpt(s) misclassified: {', '.join(wrong)}.")


# -------------------------------------------------------------------- timeline ---
def _plan_of(fn) -> list:
    plan = call_learner(PLAN, fn)
    if plan is None:
        raise Incorrect(
            PLAN,
            "interview_plan() returned None; expected a list of (phase, start, end).",
            "the function has no `return` statement.",
        )
    try:
        return validate_plan(plan)
    except ValueError as exc:
        raise Incorrect(PLAN, str(exc)) from None


def check_interview_plan(fn) -> None:
    """Visible check: the plan passes every rule of ``mlsd.timeline.plan_issues``."""
    plan = _plan_of(fn)
    issues = plan_issues(plan)
    if issues:
        raise Incorrect(
            PLAN,
            f"{len(issues)} problem(s) with the plan: " + " ".join(issues),
            "draw it in the timeline planner first, then copy its .plan.",
        )
    passed(PLAN, 4)


def expect_plan(fn, order, bands, total_min=60) -> None:
    """Hidden-test helper, independent of ``mlsd.timeline``: back to back over the hour,
    ``order`` followed exactly, each phase's minutes inside ``bands[phase]``."""
    plan = sorted(_plan_of(fn), key=lambda s: s[1])
    phases = [p for p, _s, _e in plan]
    if phases != list(order):
        raise Incorrect(PLAN, f"phases in time order are {phases}; expected {list(order)}.")
    t = 0.0
    for phase, start, end in plan:
        if start != t:
            raise Incorrect(
                PLAN, f"{phase} starts at {start:g} min; the previous block ends at {t:g}."
            )
        lo, hi = bands[phase]
        if not lo <= end - start <= hi:
            raise Incorrect(PLAN, f"{phase} lasts {end - start:g} min; expected {lo}-{hi}.")
        t = end
    if t != total_min:
        raise Incorrect(PLAN, f"the plan ends at {t:g} min; expected {total_min}.")


# ----------------------------------------------------------------------- phase ---
def _phase_cause(case: Case, actual) -> str | None:
    users = case.args[0]
    if users in (1_000, 1_000_000) and actual == case.expected - 1:
        return f"{users:,} users already reach the next phase: use >=, not >."
    if isinstance(actual, str):
        return "return the phase number (1, 2 or 3), not its name."
    return None


VISIBLE_PHASES = (
    Case((10_000,), 2, "the guide's example: 10 K users make collaborative filtering enough."),
    Case((200,), 1, "200 users is below 1,000: popularity first."),
    Case((1_000,), 2, "1,000 users is the first that fits phase 2."),
    Case((5_000_000,), 3, "5 M users can justify a neural network."),
)


def _rejects_users(fn, users) -> None:
    try:
        result = fn(users)
    except NotImplementedError:
        call_learner(PHASE, fn, users)  # reports NotAttempted
    except ValueError as exc:
        if "users" not in str(exc):
            raise Incorrect(
                PHASE,
                f"choose_phase({users!r}) raised ValueError({str(exc)!r}), which "
                "does not name the argument 'users'.",
            ) from None
        return
    except Exception as exc:
        raise Incorrect(
            PHASE, f"choose_phase({users!r}) raised {type(exc).__name__}; expected ValueError."
        ) from exc
    else:
        raise Incorrect(
            PHASE,
            f"choose_phase({users!r}) returned {result!r}; expected a ValueError naming "
            "'users' (a user count is a whole number >= 0).",
            "validate users first.",
        )


def check_choose_phase(fn) -> None:
    """Visible check: the guide's 10 K example, both thresholds' lower side, bad input."""
    run_cases(PHASE, fn, VISIBLE_PHASES, likely_cause=_phase_cause, quiet=True)
    _rejects_users(fn, -5)
    passed(PHASE, len(VISIBLE_PHASES) + 1)


def expect_phases(fn, cases, rejects=()) -> None:
    """Hidden-test helper: ``cases`` = (users, phase, why); ``rejects`` = bad user counts."""
    run_cases(
        PHASE,
        fn,
        [Case((u,), p, why) for u, p, why in cases],
        likely_cause=_phase_cause,
        quiet=True,
    )
    for users in rejects:
        _rejects_users(fn, users)


# --------------------------------------------------------------------- numbers ---
def _statements_of(fn) -> dict:
    statements = call_learner(NUMBERS, fn)
    if not isinstance(statements, Mapping):
        raise Incorrect(
            NUMBERS,
            f"specific_statements() returned {type(statements).__name__}; expected a dict "
            f"with the keys {', '.join(KINDS)}.",
            "the function has no `return` statement." if statements is None else None,
        )
    return dict(statements)


def check_numbers_units(fn) -> None:
    """Visible check: each statement holds a number with a unit of its kind."""
    statements = _statements_of(fn)
    missing = missing_numbers(statements)
    if missing:
        raise Incorrect(
            NUMBERS,
            "; ".join(f"{k}: {why}" for k, why in missing.items()) + ".",
            "write the unit right after the number: '150 ms', '60 K QPS', '95 % precision'.",
        )
    for kind in KINDS:
        print(f"  ✓ {kind}: found {', '.join(quantities(statements[kind], kind))}")
    passed(NUMBERS, len(KINDS))


def expect_numbers(fn, guide_sentences=()) -> None:
    """Hidden-test helper: the visible rule, plus a percentile in the latency statement,
    three different statements and none copied from the guide's examples."""
    statements = _statements_of(fn)
    missing = missing_numbers(statements)
    if missing:
        raise Incorrect(NUMBERS, "; ".join(f"{k}: {why}" for k, why in missing.items()) + ".")
    if not re.search(r"\bp\s?(50|90|95|99|99\.9)\b|percentile", statements["latency"], re.I):
        raise Incorrect(
            NUMBERS,
            "the latency statement names no percentile (p50, p95, p99).",
            "an average hides the slow tail users feel: say which percentile.",
        )
    texts = [statements[k].strip().lower() for k in KINDS]
    if len(set(texts)) < len(texts):
        raise Incorrect(NUMBERS, "two statements are the same: write one per kind.")
    copied = [
        k for k in KINDS if statements[k].strip().lower() in {g.lower() for g in guide_sentences}
    ]
    if copied:
        raise Incorrect(NUMBERS, f"{', '.join(copied)} copies the guide's example word for word.")
