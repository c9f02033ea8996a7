"""Core of section 9: quiz feedback, phases, the numbers detector and the timeline rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlsd.mistakes import (
    CHOICES,
    EXCERPTS,
    MISTAKES,
    choose_phase,
    classify,
    missing_numbers,
    quantities,
    quiz_score,
)
from mlsd.timeline import (
    BAD_TIMELINE,
    GOOD_TIMELINE,
    plan_from_minutes,
    plan_issues,
    validate_plan,
)


def test_every_mistake_has_an_excerpt_and_some_are_good_answers():
    answers = [e.answer for e in EXCERPTS]
    assert set(MISTAKES) <= set(answers)
    assert answers.count("none") == 3
    assert len({e.id for e in EXCERPTS}) == len(EXCERPTS) == 10
    # the ids are not in the order of the mistakes table
    assert [a for a in answers if a != "none"] != list(MISTAKES)


def test_feedback_explains_right_and_wrong():
    right = classify("E1", "no_numbers")
    assert right.correct and right.text.startswith("✓ No numbers or specifics.")
    wrong = classify("E1", "none")
    assert not wrong.correct
    assert "you chose “no mistake”, but this excerpt shows: No numbers or specifics" in wrong.text
    assert right.text.split(". ", 1)[1] in wrong.text  # same explanation either way


@pytest.mark.parametrize(
    ("args", "words"),
    [(("E99", "none"), "excerpt_id must be one of"), (("E1", "vague"), "answer for E1 must be")],
)
def test_classify_refuses_bad_input(args, words):
    with pytest.raises(ValueError, match=words):
        classify(*args)


def test_quiz_score():
    key = {e.id: e.answer for e in EXCERPTS}
    assert quiz_score(key) == 10
    assert quiz_score({**key, "E2": "no_numbers"}) == 9
    assert quiz_score({}) == 0
    with pytest.raises(ValueError, match="answers must be a dict"):
        quiz_score(["none"] * 10)
    assert "none" in CHOICES


@pytest.mark.parametrize(
    ("users", "phase"),
    [(0, 1), (999, 1), (1_000, 2), (10_000, 2), (999_999, 2), (1_000_000, 3), (10**10, 3)],
)
def test_choose_phase(users, phase):
    assert choose_phase(users) == phase


@pytest.mark.parametrize("bad", [-1, 2.5, True, "10K", None])
def test_choose_phase_names_users(bad):
    with pytest.raises(ValueError, match="users must be a whole number >= 0"):
        choose_phase(bad)


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("We need p99 latency < 100ms to serve 10K QPS", "latency", ["100ms"]),
        ("We need p99 latency < 100ms to serve 10K QPS", "scale", ["10K QPS"]),
        ("100TB of training data with 1B examples", "scale", ["100TB", "1B examples"]),
        ("95% precision at 85% recall", "accuracy", ["95%", "85%"]),
        ("an AUC of 0.92", "accuracy", ["AUC of 0.92"]),
        ("5 M daily users", "scale", ["5 M daily users"]),
        ("within 1.5 s", "latency", ["1.5 s"]),
        ("latency under 100", "latency", []),
        ("an accuracy of 95", "accuracy", []),
        ("p99 of 200 ms", "scale", []),
        ("a lot of users", "scale", []),
    ],
)
def test_quantities(text, kind, found):
    assert quantities(text, kind) == found


def test_missing_numbers_says_why():
    assert missing_numbers({"latency": "p99 150 ms", "scale": "2 TB", "accuracy": "90 %"}) == {}
    out = missing_numbers({"latency": "under 150", "scale": "lots"})
    assert out == {
        "latency": "has a number but not with a time unit (ms or s)",
        "scale": "has no number: add one with a unit of load or size (QPS, users, TB, examples)",
        "accuracy": "no statement given",
    }
    with pytest.raises(ValueError, match="kind must be one of"):
        quantities("1 ms", "speed")
    with pytest.raises(ValueError, match="statements must be a dict"):
        missing_numbers("p99 1 ms")


def test_guide_timelines():
    assert plan_issues(GOOD_TIMELINE) == []
    issues = plan_issues(BAD_TIMELINE)
    assert issues[0].startswith("45 min on model architecture alone: the guide's bad timeline")
    assert len(issues) == 5  # and four squeezed phases


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ([*GOOD_TIMELINE[:4], ("wrap_up", 55, 59)], "nothing planned from 59 to 60 min."),
        ([*GOOD_TIMELINE[:4], ("wrap_up", 55, 63)], "the plan runs to 63 min"),
        ([("clarification", 2, 10), *GOOD_TIMELINE[1:]], "nothing planned from 0 to 2 min."),
        ([*GOOD_TIMELINE[:2], ("deep_dives", 27, 40), *GOOD_TIMELINE[3:]], "gap from 25 to 27"),
        ([*GOOD_TIMELINE[:2], ("deep_dives", 20, 40), *GOOD_TIMELINE[3:]], "overlap from 20 to 25"),
        (GOOD_TIMELINE[:4], "no time for wrap-up and q&a."),
        (
            [
                ("model", 0, 10),
                ("clarification", 10, 15),
                ("architecture", 15, 25),
                ("deep_dives", 25, 40),
                ("tradeoffs", 40, 55),
                ("wrap_up", 55, 60),
            ],
            "fold model talk into the component deep dives",
        ),
        (
            [("architecture", 0, 15), ("clarification", 15, 25), *GOOD_TIMELINE[2:]],
            "phases out of order",
        ),
        (
            [("clarification", 0, 4), ("architecture", 4, 25), *GOOD_TIMELINE[2:]],
            "clarification and requirements gets 4 min; plan 5-12 min",
        ),
    ],
)
def test_plan_issues(plan, words):
    assert any(words in issue for issue in plan_issues(plan)), plan_issues(plan)


def test_plan_bands_are_inclusive():
    plan = plan_from_minutes(
        {"clarification": 12, "architecture": 10, "deep_dives": 20, "tradeoffs": 10, "wrap_up": 8}
    )
    assert plan_issues(plan) == []
    assert plan[-1] == ("wrap_up", 52.0, 60.0)


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        ("0-10 clarify", "plan must be a list"),
        ([("clarification", 0)], r"plan\[0\] must be a \(phase, start_min, end_min\) triple"),
        ([("coffee", 0, 5)], r"plan\[0\] phase must be one of"),
        ([("clarification", -1, 5)], r"plan\[0\] start_min must be a number >= 0"),
        ([("clarification", 5, 5)], r"must end after it starts; got 5 to 5 min"),
        ([("clarification", 0, float("nan"))], "end_min must be a number"),
        ([], "at least one segment"),
    ],
)
def test_bad_plans_are_named(plan, words):
    with pytest.raises(ValueError, match=words):
        validate_plan(plan)


@given(st.lists(st.integers(1, 20), min_size=5, max_size=5))
def test_plan_from_minutes_is_back_to_back(lengths):
    keys = ["clarification", "architecture", "deep_dives", "tradeoffs", "wrap_up"]
    plan = plan_from_minutes(dict(zip(keys, lengths, strict=True)))
    assert plan[0][1] == 0 and plan[-1][2] == sum(lengths)
    assert all(a[2] == b[1] for a, b in zip(plan, plan[1:], strict=False))
    issues = plan_issues(plan)
    assert not any("gap" in i or "overlap" in i or "out of order" in i for i in issues)
    with pytest.raises(ValueError, match=r"minutes\['tradeoffs'\]"):
        plan_from_minutes({"tradeoffs": -1})


# ------------------------------------------------- reviewer's notes and the checklist ---
def test_each_excerpts_notes_give_its_answer_under_the_checklist():
    from mlsd.mistakes import mistake_from_notes, notes_summary

    for e in EXCERPTS:
        assert mistake_from_notes(e.notes) == e.answer, e.id
        assert notes_summary(e.notes).startswith(f"minute {e.notes['minute']} · ")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"minute": -1}, "notes\\['minute'\\] must be a whole number >= 0"),
        ({"phase": 4}, "notes\\['phase'\\] must be 1, 2, 3 or None"),
        ({"users": 2.5}, "notes\\['users'\\] must be a whole number or None"),
        ({"parts": ["gpu"]}, "notes\\['parts'\\] must come from data, features"),
    ],
)
def test_bad_notes_are_named(change, words):
    from mlsd.mistakes import mistake_from_notes

    with pytest.raises(ValueError, match=words):
        mistake_from_notes({**EXCERPTS[0].notes, **change})
    with pytest.raises(ValueError, match="notes are missing minute"):
        mistake_from_notes({k: v for k, v in EXCERPTS[0].notes.items() if k != "minute"})


# ------------------------------------------------------------ numbers, plausibility ---
def test_number_parsers_read_units_and_suffixes():
    from mlsd import mistakes as m

    assert m.latencies_ms("p99 under 150 ms, or 0.2 s, 2 minutes") == [150.0, 200.0, 120_000.0]
    assert m.percentiles("p99, p95 and the 99.9th percentile") == [99.0, 95.0, 99.9]
    assert m.rates_qps("69 K QPS, 1,200 requests per second, 3M qps, 40 req/s") == [
        69_000.0,
        1_200.0,
        3_000_000.0,
        40.0,
    ]
    assert m.percentages("from 30 % to 33.5%") == [30.0, 33.5]


@pytest.mark.parametrize(
    ("kind", "text", "flagged"),
    [
        ("latency", "p99 1 ms for the home row", True),
        ("latency", "p99 under 150 ms", False),
        ("latency", "p99 under 2 minutes", True),
        ("scale", "1 user", True),
        ("scale", "100 M daily users and 69 K QPS", False),
        ("scale", "0.5 QPS", True),
        ("accuracy", "1 %", True),
        ("accuracy", "CTR of 1 %", False),
        ("accuracy", "recall@50 from 30 % to 33 %", False),
    ],
)
def test_implausible_values_are_flagged(kind, text, flagged):
    from mlsd.mistakes import implausible

    assert bool(implausible(kind, text)) is flagged


def test_statement_issues_join_units_percentile_and_plausibility():
    from mlsd.mistakes import statement_issues

    issues = statement_issues(
        {"latency": "under 150 ms", "scale": "1 user", "accuracy": "recall@50 33 %"}
    )
    assert issues["latency"][0].startswith("no percentile")
    assert "no scale requirement" in issues["scale"][0]
    assert "accuracy" not in issues
    assert statement_issues({"latency": "fast", "scale": "", "accuracy": "x"})["scale"] == [
        "no statement given"
    ]


def test_peak_qps_and_spec_validation():
    from mlsd.mistakes import VIDEO_SPEC, peak_qps

    assert peak_qps(VIDEO_SPEC) == pytest.approx(100e6 * 20 / 86_400 * 3)
    with pytest.raises(ValueError, match="spec is missing metric"):
        peak_qps({k: v for k, v in VIDEO_SPEC.items() if k != "metric"})
    with pytest.raises(ValueError, match="spec\\['peak_to_average'\\] must be a number > 0"):
        peak_qps({**VIDEO_SPEC, "peak_to_average": 0})


# ------------------------------------------------------------------ other lengths ---
def test_bands_scale_with_the_interview_length():
    from mlsd.timeline import bands_for

    assert bands_for(60)["clarification"] == (5, 12)
    assert bands_for(45)["clarification"] == (3.75, 9)
    with pytest.raises(ValueError, match="total_min must be in \\[30, 90\\] min"):
        bands_for(20)


def test_a_scaled_guide_hour_passes_at_45_and_the_60_minute_plan_does_not():
    k = 45 / 60
    scaled = [(p, s * k, e * k) for p, s, e in GOOD_TIMELINE]
    assert plan_issues(scaled, 45) == []
    issues = plan_issues(list(GOOD_TIMELINE), 45)
    assert "the plan runs to 60 min; the interview ends at 45." in issues
    model_first = [("model", 0, 22.5)] + [(p, 22.5 + s * 0.375, 22.5 + e * 0.375)
                                          for p, s, e in GOOD_TIMELINE]  # fmt: skip
    assert any("half the interview on the model" in i for i in plan_issues(model_first, 45))
