"""mlsd.interview: the schedule, clocks, parsing the typed answer, nudges and saving."""

from __future__ import annotations

import json
import random

import pytest

from mlsd import designs, interview, interviewer, timeline
from mlsd.interview import ManualClock, MockSession, MockStore

# --- schedule ---------------------------------------------------------------------------------


def test_sixty_minutes_follow_section_9_with_clarification_split_in_two():
    assert interview.schedule(60) == (
        ("clarify", 0, 5),
        ("requirements", 5, 10),
        ("high_level", 10, 25),
        ("deep_dive", 25, 40),
        ("tradeoffs", 40, 55),
        ("wrap_up", 55, 60),
    )


def test_forty_five_minutes_scale_every_phase_and_band():
    plan = interview.schedule(45)
    assert plan[-1][2] == 45 and plan[3] == ("deep_dive", 18.75, 30)
    bands = interview.bands(45)
    assert bands["deep_dive"] == pytest.approx(tuple(0.75 * x for x in timeline.BANDS_MIN[
        "deep_dives"]))  # fmt: skip
    assert bands["clarify"] == pytest.approx((1.875, 4.5))


@pytest.mark.parametrize("length", [30, 50, "60", True])
def test_other_lengths_are_refused_with_the_allowed_ones(length):
    with pytest.raises(ValueError, match="length_min"):
        interview.schedule(length)


def test_scheduled_phase_and_surprise_me():
    assert interview.scheduled_phase(0, 60) == "clarify"
    assert interview.scheduled_phase(26, 60) == "deep_dive"
    assert interview.scheduled_phase(99, 60) == "wrap_up"
    picks = {interview.pick_problem(0, random.Random(s)) for s in range(200)}
    assert picks == set(range(1, 12))
    assert interview.pick_problem(4) == 4
    with pytest.raises(ValueError, match="problem"):
        interview.pick_problem(12)


# --- clocks and time ----------------------------------------------------------------------------


def test_time_counts_only_while_running_and_stays_with_its_phase():
    clock = ManualClock()
    s = MockSession.new(3, 45, clock)
    clock.advance(100)
    assert s.elapsed_s == 0  # not started
    s.start()
    clock.advance(120)
    assert s.elapsed_s == 120 and s.phase_elapsed_s() == 120
    s.next_phase()
    clock.advance(30)
    s.pause()
    clock.advance(1000)
    assert s.elapsed_s == 150
    assert s.phase_minutes()["clarify"] == 2 and s.phase_minutes()["requirements"] == 0.5
    assert s.time_left_s == 45 * 60 - 150


def test_the_session_finishes_when_time_is_up_and_never_counts_past_the_end():
    clock = ManualClock()
    s = MockSession.new(1, 45, clock)
    s.start()
    clock.advance(46 * 60)
    s.tick()
    assert s.data["finished"] and not s.running
    assert s.elapsed_s == 45 * 60 and s.time_left_s == 0
    assert sum(s.data["phase_seconds"].values()) == 45 * 60


def test_an_accelerated_clock_runs_faster():
    fast = interview.AcceleratedClock(60)
    a = fast.now()
    real = interview.SystemClock().now()
    assert abs(a / 60 - real) < 0.5
    assert isinstance(interview.clock_for(None), interview.SystemClock)
    assert interview.clock_for(10).speed == 10
    with pytest.raises(ValueError, match="speed"):
        interview.AcceleratedClock(0)


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("200", 200), ("1,500", 1500), ("2e9", 2e9), ("10K", 1e4), ("1.5 M", 1.5e6), ("3 B", 3e9),
     ("", None), (7, 7.0)],
)  # fmt: skip
def test_parse_number(text, value):
    assert interview.parse_number(text) == value


@pytest.mark.parametrize("text", ["fast", "10 X", "1..2"])
def test_parse_number_names_what_it_wants(text):
    with pytest.raises(ValueError, match="must be a number such as 200"):
        interview.parse_number(text, "peak QPS")


def test_parse_fraction_and_target():
    assert interview.parse_fraction("90 %") == pytest.approx(0.9)
    assert interview.parse_fraction("0.02") == 0.02
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        interview.parse_fraction("150 %")
    assert interview.parse_target(">= 80 %") == (">=", 80, "%")
    assert interview.parse_target("≤ 200 ms") == ("<=", 200, "ms")
    assert interview.parse_target("0.3 NDCG") == (">=", 0.3, "NDCG")


def test_a_bad_line_is_named_and_the_rest_of_the_answer_still_parses():
    answers = {
        "questions": "How many users? 100 M daily\nWhat latency? p99 200 ms",
        "stages": "Gateway | 10 | auth\nRanker | fast | scores",
        "latency_slo_ms": "200",
        "metrics": "offline | recall@500 | >= 80 % | gate",
    }
    parsed = interview.design_from_answers(1, answers)
    assert [f for f, _m in parsed.errors] == ["stages"]
    assert "stage line 2 latency" in parsed.errors[0][1]
    d = parsed.design
    assert d.clarifying_questions[0].question == "How many users?"
    assert d.clarifying_questions[0].assumption == "100 M daily"
    assert d.requirements.latency_slo_ms == 200 and d.metrics[0].target == 80


def test_out_of_range_numbers_drop_their_part_and_say_why():
    parsed = interview.design_from_answers(1, {"headroom": "1.5", "latency_slo_ms": "200"})
    assert parsed.design.estimates is None
    assert parsed.errors and "headroom" in parsed.errors[0][1]
    assert parsed.design.requirements.latency_slo_ms == 200


def test_estimates_are_computed_with_the_section_7_calculators():
    parsed = interview.design_from_answers(
        1,
        {"daily_active_users": "200M", "events_per_user_per_day": "10", "peak_factor": "3",
         "per_server_qps": "500", "headroom": "0.3", "servers": "150",
         "storage": "profiles | 200M | 512 | 3"},
    )  # fmt: skip
    load = parsed.design.estimates.load
    assert load.peak_qps == pytest.approx(69_444, rel=1e-3)
    assert parsed.design.estimates.storage[0].total_bytes == pytest.approx(3.072e11)
    assert [f.rule for f in interviewer.contradictions(parsed.design)] == ["servers"]


@pytest.mark.parametrize("design", designs.references(), ids=lambda d: f"p{d.problem:02d}")
def test_every_reference_design_survives_the_round_trip_through_the_typed_fields(design):
    parsed = interview.design_from_answers(design.problem, interview.answers_from_design(design))
    assert parsed.errors == ()
    assert interviewer.review(parsed.design) == []
    assert designs.critical_path_ms(parsed.design.architecture.stages) == (
        designs.critical_path_ms(design.architecture.stages)
    )


# --- nudges -------------------------------------------------------------------------------------


def test_a_deep_dive_without_numbers_is_nudged_after_a_few_minutes():
    clock = ManualClock()
    s = MockSession.new(1, 60, clock)
    s.go_to("deep_dive")
    s.start()
    clock.advance(3 * 60)
    assert s.nudges() == []
    clock.advance(60)
    (nudge,) = s.nudges()
    assert (
        nudge.text
        == "You are 4 minutes into the deep dive without numbers: a metric with a target."
    )
    s.set_answer("metrics", "offline | recall@500 | >= 80 % | gate")
    assert s.nudges() == []


def test_an_overrun_says_where_to_go_next_and_the_last_minutes_say_wrap_up():
    clock = ManualClock()
    s = MockSession.new(1, 45, clock)
    s.set_answer("questions", "How many users? 100 M\nWhat SLO? 200 ms")
    s.start()
    clock.advance(5 * 60)
    (nudge,) = s.nudges()
    assert nudge.kind == "overrun" and "move on to requirements and estimates" in nudge.text
    s.go_to("tradeoffs")
    clock.advance(37 * 60)
    kinds = [n.kind for n in s.nudges()]
    assert "time" in kinds
    clock.advance(10 * 60)
    s.tick()
    assert [n.kind for n in s.nudges()] == ["time"] and s.data["finished"]


# --- saving -------------------------------------------------------------------------------------


def test_a_mock_is_saved_atomically_and_resumes_paused_where_it_was(tmp_path):
    clock = ManualClock()
    store = MockStore(tmp_path)
    s = MockSession.new(3, 45, clock)
    s.start()
    s.set_answer("questions", "How many listeners? 50 M")
    clock.advance(90)
    path = store.save(s)
    assert path.parent.name == "mock-interviews"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    again = store.latest_unfinished(ManualClock(10_000))
    assert again.data["answers"] == s.data["answers"]
    assert again.elapsed_s == 90 and not again.running
    assert json.loads(path.read_text())["format"] == interview.FORMAT


def test_a_file_that_is_not_ours_is_never_overwritten_and_is_reported(tmp_path):
    store = MockStore(tmp_path)
    s = MockSession.new(3, 45, ManualClock())
    target = store.path(s.data["id"])
    target.parent.mkdir()
    target.write_text("my own notes")
    with pytest.raises(ValueError, match="not a readable mlsd-mock-interview file"):
        store.save(s)
    assert target.read_text() == "my own notes"
    mocks, skipped = store.sessions()
    assert mocks == [] and "left as it is" in skipped[0]


def test_ids_must_be_ours(tmp_path):
    with pytest.raises(ValueError, match="session id"):
        MockStore(tmp_path).path("../../etc/passwd")


# --- a mock handed in for grading ---------------------------------------------------------------


def test_the_grading_text_round_trips_as_data_and_feeds_the_notes():
    from mlsd.grading import interviewer_notes

    s = MockSession.new(1, 45, ManualClock())
    for key, value in interview.answers_from_design(designs.reference(1)).items():
        s.set_answer(key, value)
    text = interview.grading_text(s)
    assert text.startswith("# Mock answer · problem 1: Netflix")
    problem, answers = interview.answers_from_grading_text(f"my notes\n\n{text}")
    assert problem == 1 and answers == s.data["answers"]
    notes = interviewer_notes.notes_for(text)
    assert "Interviewer's notes" in notes and "0 finding(s)" in notes
    assert interviewer_notes.notes_for("no block here") == interviewer_notes.NO_BLOCK


@pytest.mark.parametrize(
    ("text", "message"),
    [("nothing", "no mlsd-mock-answer block"),
     ("````mlsd-mock-answer\n{not json\n````", "not valid JSON"),
     ('````mlsd-mock-answer\n{"problem": 99, "answers": {}}\n````', "problem"),
     ('````mlsd-mock-answer\n[1, 2]\n````', "must hold problem and answers")],
)  # fmt: skip
def test_a_bad_grading_block_is_refused_with_why(text, message):
    with pytest.raises(ValueError, match=message):
        interview.answers_from_grading_text(text)
