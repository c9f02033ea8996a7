"""Section 9 (common mistakes): quiz, interview planner, phase picker, numbers detector.

Expected texts come from the core (``mlsd.mistakes``, ``mlsd.timeline``) in the test process.
The quiz's choices are radio buttons (Space picks one): in JupyterLab the arrow keys on a
focused drop-down move between cells instead.
"""

from __future__ import annotations

from mlsd.mistakes import (
    CHOICES,
    EXCERPTS,
    PHASES,
    choose_phase,
    classify,
    quantities,
    statement_issues,
)
from mlsd.timeline import BAD_TIMELINE, plan_from_minutes, plan_issues
from mlsd.widgets.timeline import _minutes
from tests.browser.registry import Section, Step, Widget, js_all, register, text_includes

# --- spot-the-mistake quiz -------------------------------------------------------------------


def _quiz_step(describe, excerpt, choice, answered: dict) -> Step:
    fb = classify(excerpt, choice)
    right = sum(1 for e in EXCERPTS if answered.get(e.id) == e.answer)
    body, arg = js_all(
        text_includes(f".mlsd-quiz-feedback-{excerpt}", fb.text),
        text_includes(
            ".mlsd-quiz-score", f"{right} of {len(EXCERPTS)} right ({len(answered)} answered)"
        ),
    )
    nth = CHOICES.index(choice) + 1
    focus = f".mlsd-quiz-choice-{excerpt} .widget-radio-box label:nth-child({nth}) input"
    return Step(describe, focus, "Space", body, arg)


def quiz_steps(page):
    yield _quiz_step(
        "Space on 'no numbers' for E1: right", "E1", "no_numbers", {"E1": "no_numbers"}
    )
    yield _quiz_step(
        "Space on 'no numbers' for E2: wrong (E2 is a good answer)",
        "E2",
        "no_numbers",
        {"E1": "no_numbers", "E2": "no_numbers"},
    )


# --- interview planner -----------------------------------------------------------------------


def _timeline_step(describe, key, model_min) -> Step:
    minutes, _model = _minutes(BAD_TIMELINE)
    plan = plan_from_minutes(minutes, model_min)
    issues = plan_issues(plan)
    end = plan[-1][2]
    verdict = (
        f"✗ Not yet ({end:g} min planned): {len(issues)} issue(s)"
        if issues
        else "✓ This plan passes."
    )
    body, arg = js_all(
        text_includes(".mlsd-timeline-verdict", verdict),
        text_includes(".mlsd-timeline-issues", *issues),
    )
    return Step(describe, ".mlsd-timeline-model .noUi-handle", key, body, arg)


def timeline_steps(page):
    yield _timeline_step("Home on 'model architecture first': no model-only block", "Home", 0)
    yield _timeline_step("ArrowRight: one minute of model talk on its own", "ArrowRight", 1)
    # the slider moves released the preset buttons; pressing one loads its plan again
    body, arg = text_includes(".mlsd-timeline-verdict", "✓ This plan passes.")
    yield Step(
        "Space on 'the guide's good timeline': its plan loads and passes",
        ".mlsd-timeline-preset button:nth-child(1)",
        "Space",
        body,
        arg,
    )


# --- phase picker ----------------------------------------------------------------------------


def _phase_step(describe, users) -> Step:
    n = choose_phase(users)
    p = PHASES[n - 1]
    assert p.number == n
    body, arg = text_includes(
        ".mlsd-phase-result",
        f"Phase {p.number} · {p.name}: {p.approach} (from {p.from_users:,} users) ← start here",
    )
    return Step(
        describe, ".mlsd-phase-users input", ("Control+a", f"text:{users}", "Enter"), body, arg
    )


def phase_steps(page):
    yield _phase_step("Type 500 users and Enter", 500)
    yield _phase_step("Type 5,000,000 users and Enter", 5_000_000)


# --- numbers detector ------------------------------------------------------------------------


NUMBERS_START = {
    "latency": "The feed should load quickly.",
    "scale": "We will have a lot of users.",
    "accuracy": "The model must be accurate.",
}


def _numbers_step(describe, kind, before, added) -> Step:
    text = before + added
    got = ", ".join(quantities(text, kind))
    assert got, f"{added!r} has no {kind} number: the step could not fail"
    issues = statement_issues({**NUMBERS_START, kind: text}).get(kind)
    # What the core says: a tick with the numbers, or the reviewer's objection.
    expected = f"✗ {kind}: {' '.join(issues)}" if issues else f"✓ {kind}: {got}"
    body, arg = text_includes(".mlsd-numbers-found", expected)
    return Step(
        describe,
        f".mlsd-numbers-{kind} textarea",
        ("Control+End", f"text:{added}", "Tab"),
        body,
        arg,
    )


def numbers_steps(page):
    yield _numbers_step(
        "Add 'p99 under 200 ms' to the latency statement, then Tab",
        "latency",
        "The feed should load quickly.",
        " p99 under 200 ms.",
    )
    yield _numbers_step(
        "Add '10K QPS at peak' to the scale statement, then Tab",
        "scale",
        "We will have a lot of users.",
        " 10K QPS at peak.",
    )
    yield _numbers_step(
        "Add '1 %' to the accuracy statement, then Tab: a percentage with no metric is flagged",
        "accuracy",
        "The model must be accurate.",
        " 1 %",
    )


# --- factories -------------------------------------------------------------------------------


def _quiz():
    from mlsd.widgets.mistakes import mistake_quiz

    return mistake_quiz()


def _timeline():
    from mlsd.widgets.timeline import timeline_planner

    return timeline_planner()


def _phase():
    from mlsd.widgets.mistakes import phase_picker

    return phase_picker(users=10_000)


def _numbers():
    from mlsd.widgets.mistakes import numbers_detector

    return numbers_detector(**NUMBERS_START)


register(
    Section(
        name="09-common-mistakes",
        main="timeline",
        widgets=(
            Widget("quiz", "mlsd-quiz", _quiz, quiz_steps),
            Widget("timeline", "mlsd-timeline", _timeline, timeline_steps, ("mlsd-timeline-fig",)),
            Widget("phase", "mlsd-phase", _phase, phase_steps),
            Widget("numbers", "mlsd-numbers", _numbers, numbers_steps),
        ),
    )
)
