"""Section 9 checks in both directions: references pass, wrong answers (and the gaming routes
of tests/grading/wrong_answers/s09_common_mistakes.py) fail with the reason."""

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
from mlsd.mistakes import VIDEO_SPEC, choose_phase, mistake_from_notes, peak_qps
from tests.grading.wrong_answers.s09_common_mistakes import WRONG_ANSWERS

ORDER = ["clarification", "architecture", "deep_dives", "tradeoffs", "wrap_up"]
BANDS = {
    "clarification": (5, 12),
    "architecture": (10, 20),
    "deep_dives": (10, 20),
    "tradeoffs": (10, 20),
    "wrap_up": (3, 8),
}
# Specs and notes written for these tests (not the notebook's hidden ones).
SPEC = {
    "product": "job search",
    "daily_active_users": 3_000_000,
    "requests_per_user_per_day": 12,
    "peak_to_average": 2,
    "latency_percentile": 95,
    "latency_budget_ms": 300,
    "metric": "MRR",
    "baseline_pct": 35,
    "target_pct": 38,
}


def _notes(**kw):
    base = {
        "minute": 5,
        "questions_asked": 2,
        "names_model": False,
        "users": None,
        "phase": None,
        "parts": [],
        "whole_design": False,
        "vague_words": 0,
        "numbers": 0,
        "ships_on_offline_metric": False,
        "happy_path_only": False,
    }
    return {**base, **kw}


UNSEEN = [
    ("a deep net for 2,000 users", _notes(users=2_000, phase=3, names_model=True),
     "over_engineering", ""),
    ("minute 35 with serving drawn", _notes(minute=35, parts=["model", "serving"]), "none", ""),
    ("vague and no number", _notes(vague_words=2), "no_numbers", ""),
]  # fmt: skip


def statements(spec):
    peak = peak_qps(spec)
    return {
        "latency": f"p{spec['latency_percentile']:g} under {spec['latency_budget_ms']:g} ms.",
        "scale": f"About {peak:,.0f} QPS at the evening peak.",
        "accuracy": f"{spec['metric']} from {spec['baseline_pct']:g} % to "
        f"{spec['target_pct']:g} %.",
    }


def plan(total_min):
    k = total_min / 60
    edges = [0, 10, 25, 40, 55, 60]
    return [(p, a * k, b * k) for p, a, b in zip(ORDER, edges, edges[1:], strict=False)]


def wrong(grade_id: str, label_start: str):
    source = next(src for label, src in WRONG_ANSWERS[grade_id] if label.startswith(label_start))
    namespace: dict = {}
    exec(source, namespace)
    return next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))


def message(excinfo) -> str:
    return excinfo.value.text()


def test_references_pass(capsys):
    check_mistake_quiz(mistake_from_notes)
    expect_quiz(mistake_from_notes, UNSEEN)
    check_interview_plan(plan)
    expect_plan(plan, [50, 30, 90], ORDER, BANDS)
    check_choose_phase(choose_phase)
    expect_phases(choose_phase, [(1_000_000, 3, "")], rejects=[-1, 1000.0, False])
    check_numbers_units(statements)
    expect_numbers(statements, [SPEC])
    out = capsys.readouterr().out
    assert out.count("visible checks passed") == 4
    assert "all 7 visible checks passed" in out  # choose_phase: 4 cases + 3 bad inputs


@pytest.mark.parametrize(
    "check", [check_mistake_quiz, check_interview_plan, check_numbers_units, check_choose_phase]
)
def test_stub_is_not_attempted(check):
    def stub(*_a):
        raise NotImplementedError("not attempted yet")

    with pytest.raises(NotAttempted):
        check(stub)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned None; expected 'no_numbers'", None),
        ("gaming: returns the quiz widget's", "return one key for one excerpt", None),
        ("gaming: a lookup table", None, "a deep net for 2,000 users) returned 'none'"),
        ("any model named", "spot_mistake(notes of E3) returned 'jumping_to_solution'", None),
        ("a vague word", None, None),
        ("shipping on an offline", None, None),
    ],
)
def test_wrong_checklists(label, visible, hidden):
    fn = wrong("mistake-quiz", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_mistake_quiz(fn)
        assert visible in message(excinfo)
        return
    check_mistake_quiz(fn)  # the ten visible excerpts do not tell these apart
    if hidden:
        with pytest.raises(Incorrect) as excinfo:
            expect_quiz(fn, UNSEEN)
        assert hidden in message(excinfo)


def test_boundary_minute_30_and_near_misses_are_caught_by_unseen_notes():
    at_30 = [("minute 30, no serving", _notes(minute=30, parts=["model"]), "poor_time_management",
              "")]  # fmt: skip
    with pytest.raises(Incorrect, match="minute 30, no serving. returned 'none'"):
        expect_quiz(wrong("mistake-quiz", "off at the boundary"), at_30)
    numbers = [("'fast: p99 80 ms'", _notes(vague_words=1, numbers=1), "none", "")]
    with pytest.raises(Incorrect, match="returned 'no_numbers'; expected 'none'") as excinfo:
        expect_quiz(wrong("mistake-quiz", "a vague word"), numbers)
    assert "a feature that good answers share" in message(excinfo)
    guarded = [("ships with monitoring", _notes(minute=40, parts=["serving", "monitoring"],
                ships_on_offline_metric=True), "none", "")]  # fmt: skip
    with pytest.raises(Incorrect, match="returned 'forgetting_production'"):
        expect_quiz(wrong("mistake-quiz", "shipping on an offline"), guarded)


def test_quiz_titles_and_bad_values_are_named():
    with pytest.raises(Incorrect, match="use the keys"):
        check_mistake_quiz(lambda _n: "No numbers or specifics")
    with pytest.raises(Incorrect, match="returned 'vague'"):
        check_mistake_quiz(lambda _n: "vague")


def test_the_learner_cannot_change_the_notes_the_next_case_sees():
    def vandal(notes):
        verdict = mistake_from_notes(notes)
        notes.clear()
        return verdict

    check_mistake_quiz(vandal)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("returns None", "interview_plan(60) returned None"),
        ("gaming: the guide's 60-minute", "interview_plan(45): 2 problem(s): the plan runs to 60"),
        ("the guide's bad timeline", "30 min on model architecture alone"),
        ("architecture drawn before", "phases out of order"),
        ("no wrap-up", "no time for wrap-up"),
    ],
)
def test_wrong_plans(label, words):
    with pytest.raises(Incorrect) as excinfo:
        check_interview_plan(wrong("interview-plan", label))
    assert words in message(excinfo)


def test_fixed_wrap_up_passes_60_and_45_but_not_30():
    fn = wrong("interview-plan", "off at the boundary")
    check_interview_plan(fn)
    with pytest.raises(Incorrect, match="interview_plan.30.: wrap_up lasts 5 min; expected 1.5-4"):
        expect_plan(fn, [30], ORDER, BANDS)


def test_hidden_plan_check_is_independent():
    shifted = lambda t: [(p, s + 1, e + 1) for p, s, e in plan(t)]  # noqa: E731
    with pytest.raises(Incorrect, match="clarification starts at 1 min"):
        expect_plan(shifted, [60], ORDER, BANDS)
    with pytest.raises(Incorrect, match="phases in time order"):
        expect_plan(lambda t: plan(t)[:-1], [60], ORDER, BANDS)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned None; expected 3", None),
        ("off at the boundary", "use >=, not >", None),
        ("no validation", "choose_phase(-5) returned 1; expected a ValueError", None),
        ("over-engineers", "choose_phase(10000) returned 3", None),
        ("accepts a float", "choose_phase(2.5) returned 1; expected a ValueError", None),
    ],
)
def test_wrong_phases(label, visible, hidden):
    with pytest.raises(Incorrect) as excinfo:
        check_choose_phase(wrong("choose-phase", label))
    assert visible in message(excinfo)


def test_a_bool_user_count_is_named():
    def lax(users):
        if not isinstance(users, int) or users < 0:
            raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
        return choose_phase(int(users))

    with pytest.raises(Incorrect) as excinfo:
        check_choose_phase(lax)
    assert "bool is a subclass of int" in message(excinfo)


@pytest.mark.parametrize(
    ("label", "visible", "hidden"),
    [
        ("returns None", "returned NoneType", None),
        ("gaming: numbers without plausibility", "1 ms is not a plausible latency", None),
        ("gaming: the video spec's sentences", None, "the budget holds at (p95); found ['p99']"),
        ("latency 'under 150 ms'", "the budget holds at (p99); found none", None),
        ("always says p99", None, "(p95); found ['p99']"),
        ("average load instead", "that is the average rate: multiply by the peak", None),
        ("off at the boundary", "about 69,444 for this spec (within 10%)", None),
        ("the baseline stated", "state the target, 33 %; found [30.0] %", None),
    ],
)  # fmt: skip
def test_wrong_statements(label, visible, hidden):
    fn = wrong("numbers-units", label)
    if visible:
        with pytest.raises(Incorrect) as excinfo:
            check_numbers_units(fn)
        assert visible in message(excinfo)
        return
    check_numbers_units(fn)
    with pytest.raises(Incorrect) as excinfo:
        expect_numbers(fn, [SPEC])
    assert hidden in message(excinfo)


def test_scale_slips_are_named():
    per_day = lambda spec: {**statements(spec), "scale": f"{peak_qps(spec) * 86_400:.0f} QPS"}  # noqa: E731
    with pytest.raises(Incorrect, match="requests per day: divide by the 86,400"):
        check_numbers_units(per_day)


def test_same_statement_three_times_and_non_text_are_refused():
    same = "p99 under 150 ms, 69 K QPS, recall@50 33 %"
    with pytest.raises(Incorrect, match="two statements are the same"):
        check_numbers_units(lambda _s: dict.fromkeys(["latency", "scale", "accuracy"], same))
    with pytest.raises(Incorrect, match="scale must be a sentence"):
        check_numbers_units(lambda s: {**statements(s), "scale": 69444})


def test_the_visible_spec_is_the_video_one():
    assert round(peak_qps(VIDEO_SPEC)) == 69_444
