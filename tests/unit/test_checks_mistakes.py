"""Section 9 checks in both directions: references pass, wrong answers fail with the reason."""

from __future__ import annotations

import pytest

from mlsd.checks.core import Incorrect, NotAttempted
from mlsd.checks.mistakes import (
    check_choose_phase,
    check_interview_plan,
    check_mistake_quiz,
    check_numbers_units,
    expect_numbers,
    expect_phases,
    expect_plan,
    expect_quiz,
)
from mlsd.mistakes import EXCERPTS, choose_phase
from mlsd.timeline import GOOD_TIMELINE
from tests.grading.wrong_answers.s09_common_mistakes import WRONG_ANSWERS

KEY = {e.id: e.answer for e in EXCERPTS}
ORDER = ["clarification", "architecture", "deep_dives", "tradeoffs", "wrap_up"]
BANDS = {
    "clarification": (5, 12),
    "architecture": (10, 20),
    "deep_dives": (10, 20),
    "tradeoffs": (10, 20),
    "wrap_up": (3, 8),
}
STATEMENTS = {
    "latency": "p99 under 150 ms for the home row.",
    "scale": "60 K QPS at the evening peak.",
    "accuracy": "Recall@50 from 30 % to 33 %.",
}
GUIDE = ["We need p99 latency < 100ms", "We want 95% precision at 85% recall"]


def wrong(grade_id: str, label_start: str):
    source = next(src for label, src in WRONG_ANSWERS[grade_id] if label.startswith(label_start))
    namespace: dict = {}
    exec(source, namespace)
    return next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))


def test_references_pass(capsys):
    check_mistake_quiz(lambda: KEY)
    expect_quiz(lambda: KEY, KEY)
    check_interview_plan(lambda: list(GOOD_TIMELINE))
    expect_plan(lambda: list(GOOD_TIMELINE), ORDER, BANDS)
    check_choose_phase(choose_phase)
    expect_phases(choose_phase, [(1_000_000, 3, "")], rejects=[-1, 2.5, True])
    check_numbers_units(lambda: STATEMENTS)
    expect_numbers(lambda: STATEMENTS, GUIDE)
    assert capsys.readouterr().out.count("visible checks passed") == 4


@pytest.mark.parametrize(
    "check", [check_mistake_quiz, check_interview_plan, check_numbers_units, check_choose_phase]
)
def test_stub_is_not_attempted(check):
    def stub(*_a):
        raise NotImplementedError("not attempted yet")

    with pytest.raises(NotAttempted):
        check(stub)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("returns None", "returned NoneType"),
        ("off at the boundary", "1 of 10 not right yet: E9"),
        ("production and non-ML", "2 of 10 not right yet: E8, E10"),
        ("never answers 'none'", "'none' is a valid choice"),
        ("titles instead of keys", "use the keys"),
    ],
)
def test_wrong_quiz_answers(label, words):
    with pytest.raises(Incorrect) as excinfo:
        check_mistake_quiz(wrong("mistake-quiz", label))
    assert words in excinfo.value.text()


def test_quiz_needs_every_excerpt_and_known_ids():
    with pytest.raises(Incorrect, match="no answer yet for E10"):
        check_mistake_quiz(lambda: {k: v for k, v in KEY.items() if k != "E10"})
    with pytest.raises(Incorrect, match="unknown excerpt ids"):
        check_mistake_quiz(lambda: {**KEY, "E11": "none"})


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("returns None", "returned None"),
        ("off at the boundary", "nothing planned from 59 to 60 min"),
        ("the guide's bad timeline", "30 min on model architecture alone"),
        ("architecture drawn before", "phases out of order"),
        ("overlapping blocks", "overlap from 20 to 25"),
        ("no wrap-up", "no time for wrap-up"),
    ],
)
def test_wrong_plans(label, words):
    with pytest.raises(Incorrect) as excinfo:
        check_interview_plan(wrong("interview-plan", label))
    assert words in excinfo.value.text()


def test_hidden_plan_check_is_independent():
    with pytest.raises(Incorrect, match="ends at 59 min; expected 60"):
        expect_plan(wrong("interview-plan", "off at the boundary"), ORDER, BANDS)
    with pytest.raises(Incorrect, match="phases in time order"):
        expect_plan(wrong("interview-plan", "the guide's bad timeline"), ORDER, BANDS)
    with pytest.raises(Incorrect, match="plan\\[0\\] phase must be one of"):
        expect_plan(lambda: [("lunch", 0, 60)], ORDER, BANDS)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned None", None),
        ("off at the boundary", "1,000 users already reach the next phase: use >=", None),
        ("no validation", "choose_phase(-5) returned 1; expected a ValueError", None),
        ("over-engineers", "choose_phase(10000) returned 3", None),
        ("accepts a float", None, "choose_phase(2.5) returned 1; expected a ValueError"),
    ],
)
def test_wrong_phases(label, visible, hidden):
    fn = wrong("choose-phase", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_choose_phase(fn)
        assert visible in excinfo.value.text()
        return
    check_choose_phase(fn)
    with pytest.raises(Incorrect) as excinfo:
        expect_phases(fn, [], rejects=[2.5])
    assert hidden in excinfo.value.text()


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned NoneType", None),
        ("off at the boundary", "latency: has a number but not with a time unit", None),
        ("still vague", "scale: has no number", None),
        ("latency as an average", None, "names no percentile"),
        ("copies the guide's", None, "copies the guide's example word for word"),
    ],
)
def test_wrong_statements(label, visible, hidden):
    fn = wrong("numbers-units", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_numbers_units(fn)
        assert visible in excinfo.value.text()
        return
    check_numbers_units(fn)
    with pytest.raises(Incorrect) as excinfo:
        expect_numbers(fn, ["We need p99 latency < 100ms", *GUIDE])
    assert hidden in excinfo.value.text()


def test_same_statement_three_times_is_refused():
    one = "p99 of 100 ms at 10 K QPS with 95 % precision"
    check_numbers_units(lambda: dict.fromkeys(STATEMENTS, one))
    with pytest.raises(Incorrect, match="two statements are the same"):
        expect_numbers(lambda: dict.fromkeys(STATEMENTS, one))
