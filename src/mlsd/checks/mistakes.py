"""Checks for section 9 (common mistakes): the reviewer's checklist, the timeline, the phase,
and requirement statements derived from a system's spec.

Every exercise is a function of its input, so the hidden tests feed inputs the learner never
saw (new excerpt notes, other interview lengths, other specs): copying the quiz widget's
answers or the visible feedback cannot earn the points.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping

from mlsd.checks.core import NO_RETURN, Case, Incorrect, Tally, call_learner, run_cases
from mlsd.mistakes import (
    CHOICES,
    EXCERPTS,
    KINDS,
    MISTAKES,
    VIDEO_SPEC,
    implausible,
    latencies_ms,
    missing_numbers,
    peak_qps,
    percentages,
    percentiles,
    rates_qps,
    validate_spec,
)
from mlsd.timeline import plan_issues, validate_plan

QUIZ, PLAN, PHASE, NUMBERS = "mistake_quiz", "interview_plan", "choose_phase", "numbers_units"


# ------------------------------------------------------------------------ quiz ---
def _quiz_cause(case: Case, got) -> str | None:
    expected = case.expected
    if got in MISTAKES.values():
        return "use the keys (e.g. 'no_numbers'), not the titles."
    if isinstance(got, Mapping | list | tuple):
        return "return one key for one excerpt, not a collection of answers."
    if got not in CHOICES:
        return f"return one of {', '.join(map(repr, CHOICES))}."
    if expected == "none":
        return (
            "this excerpt is a good answer: every rule must look at the notes that define its "
            "mistake, not at a feature that good answers share."
        )
    if got == "none":
        return f"which note defines {MISTAKES[expected].lower()}? Re-read that row of the table."
    return None


def _quiz_cases(cases) -> list[Case]:
    return [
        Case((dict(notes),), expected, why, label=f"spot_mistake({label})")
        for label, notes, expected, why in cases
    ]


def check_mistake_quiz(fn) -> None:
    """Visible check: the ten excerpts of the quiz above, from their reviewer's notes."""
    cases = [(f"notes of {e.id}", e.notes, e.answer, e.explanation) for e in EXCERPTS]
    run_cases(QUIZ, fn, _quiz_cases(cases), likely_cause=_quiz_cause)


def expect_quiz(fn, cases) -> None:
    """Hidden-test helper: ``cases`` = (label, notes, expected key, why), written in the
    notebook's hidden tests (excerpts the widget never shows)."""
    run_cases(QUIZ, fn, _quiz_cases(cases), likely_cause=_quiz_cause, quiet=True)


# -------------------------------------------------------------------- timeline ---
VISIBLE_LENGTHS = (60, 45)


def _plan_of(fn, total_min) -> list:
    plan = call_learner(PLAN, fn, total_min)
    if plan is None:
        raise Incorrect(
            PLAN,
            f"interview_plan({total_min}) returned None; expected a list of (phase, start, end).",
            NO_RETURN,
        )
    try:
        return validate_plan(plan)
    except ValueError as exc:
        raise Incorrect(PLAN, f"interview_plan({total_min}): {exc}") from None


def check_interview_plan(fn) -> None:
    """Visible check: the plans for a 60- and a 45-minute interview pass every rule of
    ``mlsd.timeline.plan_issues`` (bands scaled to the length)."""
    tally = Tally(PLAN)
    for total in VISIBLE_LENGTHS:
        issues = plan_issues(_plan_of(fn, total), total)
        tally.expect(
            not issues,
            f"interview_plan({total}): {len(issues)} problem(s): " + " ".join(issues),
            "scale each phase's minutes by total_min / 60 and lay the phases back to back."
            if total != 60
            else "draw it in the timeline planner first, then copy its .plan.",
        )
    tally.report()


def expect_plan(fn, lengths, order, bands_at_60) -> None:
    """Hidden-test helper, independent of ``mlsd.timeline``: for each length, back to back
    from 0 to it, ``order`` followed exactly, each phase's minutes inside its 60-minute band
    (``bands_at_60``) scaled by length / 60."""
    for total in lengths:
        plan = sorted(_plan_of(fn, total), key=lambda s: s[1])
        phases = [p for p, _s, _e in plan]
        if phases != list(order):
            raise Incorrect(
                PLAN, f"interview_plan({total}): phases in time order are {phases}; expected "
                f"{list(order)}."
            )  # fmt: skip
        t = 0.0
        for phase, start, end in plan:
            if not math.isclose(start, t, abs_tol=1e-6):
                raise Incorrect(
                    PLAN,
                    f"interview_plan({total}): {phase} starts at {start:g} min; the previous "
                    f"block ends at {t:g}.",
                )
            lo, hi = (b * total / 60 for b in bands_at_60[phase])
            if not lo - 1e-6 <= end - start <= hi + 1e-6:
                raise Incorrect(
                    PLAN,
                    f"interview_plan({total}): {phase} lasts {end - start:g} min; expected "
                    f"{lo:g}-{hi:g} for a {total}-minute interview.",
                    "scale the 60-minute plan by total_min / 60.",
                )
            t = end
        if not math.isclose(t, total, abs_tol=1e-6):
            raise Incorrect(
                PLAN, f"interview_plan({total}): the plan ends at {t:g} min; expected {total}."
            )


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
VISIBLE_PHASE_REJECTS = (-5, 2.5, True)


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
        cause = (
            "True is a bool, and bool is a subclass of int: test isinstance(users, bool) first."
            if isinstance(users, bool)
            else "a user count is a whole number: refuse floats such as 2.5."
            if isinstance(users, float)
            else "validate users first."
        )
        raise Incorrect(
            PHASE,
            f"choose_phase({users!r}) returned {result!r}; expected a ValueError naming "
            "'users' (a user count is a whole number >= 0).",
            cause,
        )


def check_choose_phase(fn) -> None:
    """Visible check: the guide's 10 K example, both thresholds, and every kind of bad input
    the prompt names (negative, float, bool)."""
    tally = Tally(PHASE)
    tally.run(fn, VISIBLE_PHASES, likely_cause=_phase_cause)
    for users in VISIBLE_PHASE_REJECTS:
        _rejects_users(fn, users)
        tally.expect(True, "")
    tally.report()


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
QPS_TOLERANCE = 0.10  # "about 69 K QPS" for 69,444 is right; a forgotten peak factor is not


def _statements_of(fn, spec) -> dict:
    statements = call_learner(NUMBERS, fn, copy.deepcopy(dict(spec)))
    call = f"specific_statements({spec['product']!r} spec)"
    if not isinstance(statements, Mapping):
        raise Incorrect(
            NUMBERS,
            f"{call} returned {type(statements).__name__}; expected a dict with the keys "
            f"{', '.join(KINDS)}.",
            NO_RETURN if statements is None else None,
        )
    bad = [k for k in KINDS if not isinstance(statements.get(k), str)]
    if bad:
        raise Incorrect(NUMBERS, f"{call}: {', '.join(bad)} must be a sentence (a str).")
    return {k: statements[k] for k in KINDS}


def _qps_cause(got: list[float], spec: Mapping) -> str | None:
    peak = peak_qps(spec)
    average = peak / spec["peak_to_average"]
    for q in got:
        if math.isclose(q, average, rel_tol=QPS_TOLERANCE):
            return "that is the average rate: multiply by the peak-to-average factor."
        if math.isclose(q, peak * 86_400, rel_tol=QPS_TOLERANCE):
            return "that is requests per day: divide by the 86,400 seconds in a day."
        if math.isclose(q, peak / spec["requests_per_user_per_day"], rel_tol=QPS_TOLERANCE):
            return "multiply by the requests each user makes a day."
    return None


def _review(statements: dict, spec: Mapping) -> list[tuple[str, str | None]]:
    """(problem, likely cause) for each requirement the prompt states; [] when all hold."""
    problems: list[tuple[str, str | None]] = []
    missing = missing_numbers(statements)
    for kind, why in missing.items():
        problems.append((f"{kind}: {why}", "write the unit right after the number."))
    for kind in KINDS:
        if kind in missing:
            continue
        for reason in implausible(kind, statements[kind]):
            problems.append((f"{kind}: {reason}", None))
    if "latency" not in missing:
        text = statements["latency"]
        want_p, budget = float(spec["latency_percentile"]), float(spec["latency_budget_ms"])
        if want_p not in percentiles(text):
            problems.append(
                (
                    f"latency: name the percentile the budget holds at (p{want_p:g}); found "
                    f"{[f'p{p:g}' for p in percentiles(text)] or 'none'}.",
                    "an average or a bare 'under 150 ms' hides the slow tail users feel.",
                )
            )
        if not any(math.isclose(ms, budget, rel_tol=0.01) for ms in latencies_ms(text)):
            problems.append(
                (f"latency: the budget is {budget:g} ms; found {latencies_ms(text)} ms.", None)
            )
    if "scale" not in missing:
        got, peak = rates_qps(statements["scale"]), peak_qps(spec)
        if not any(math.isclose(q, peak, rel_tol=QPS_TOLERANCE) for q in got):
            problems.append(
                (
                    f"scale: state the peak load in QPS, about {peak:,.0f} for this spec "
                    f"(within {QPS_TOLERANCE:.0%}); found {got or 'no rate in QPS'}.",
                    _qps_cause(got, spec)
                    or "peak QPS = daily users x requests per user / 86,400 s x peak factor.",
                )
            )
    if "accuracy" not in missing:
        text = statements["accuracy"]
        if str(spec["metric"]).lower() not in text.lower():
            problems.append((f"accuracy: name the metric, {spec['metric']}.", None))
        if not any(math.isclose(v, float(spec["target_pct"]), abs_tol=0.05) for v in
                   percentages(text)):  # fmt: skip
            problems.append(
                (
                    f"accuracy: state the target, {spec['target_pct']:g} %; found "
                    f"{percentages(text)} %.",
                    None,
                )
            )
    texts = [statements[k].strip().lower() for k in KINDS]
    if len(set(texts)) < len(texts):
        problems.append(("two statements are the same: write one per kind.", None))
    return problems


def _judge(fn, spec, tally: Tally) -> dict:
    statements = _statements_of(fn, spec)
    problems = _review(statements, spec)
    tally.expect(
        not problems,
        f"specific_statements({spec['product']!r} spec): " + " ".join(p for p, _c in problems),
        next((c for _p, c in problems if c), None),
    )
    return statements


def check_numbers_units(fn) -> None:
    """Visible check: the video-streaming spec; every requirement the prompt states (units,
    the spec's percentile and budget, peak QPS, the metric's target, plausible values)."""
    tally = Tally(NUMBERS)
    statements = _judge(fn, VIDEO_SPEC, tally)
    for kind in KINDS:
        print(f"  ✓ {kind}: {statements[kind]}")
    tally.report()


def expect_numbers(fn, specs) -> None:
    """Hidden-test helper: the same review on specs written in the notebook's hidden tests."""
    tally = Tally(NUMBERS)
    for spec in specs:
        _judge(fn, validate_spec(spec), tally)
