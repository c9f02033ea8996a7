"""Section 12 widgets driven from Python: the mock interview at a manual clock, the
calibration drill and the recall drill."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from mlsd import designs, interview, rubric
from mlsd.interview import ManualClock
from mlsd.timing import median_ms
from mlsd.widgets.interview import (
    calibration_drill,
    mock_interview,
    recall_drill,
    timeline_html,
)

BUDGET_MS = 20.0


def hidden(widget) -> bool:
    return widget.layout.display == "none"


@pytest.fixture
def mock(tmp_path):
    clock = ManualClock()
    w = mock_interview(tmp_path, clock=clock, autotick=False, classroom=False)
    w.problem.value, w.length.value = 3, 45
    w.begin()
    return w, clock, tmp_path


def test_before_a_start_only_the_setup_shows_and_nothing_is_written(tmp_path):
    w = mock_interview(tmp_path, clock=ManualClock(), autotick=False)
    assert not hidden(w.setup) and hidden(w.live) and hidden(w.scoring)
    assert "random" in w.card.value
    w.problem.value = 7
    assert "Object detection" in w.card.value
    assert list(tmp_path.iterdir()) == []


def test_phases_advance_on_the_button_and_the_tabs_follow(mock):
    w, clock, _ = mock
    assert w.session.phase == "clarify" and w.tabs.selected_index == 0
    w.advance()
    assert w.session.phase == "requirements" and w.tabs.selected_index == 1
    assert "Requirements and estimates ▶" in w.timeline.value
    w.tabs.selected_index = 3
    assert w.session.phase == "deep_dive"


def test_the_clock_counts_down_and_an_overrun_is_nudged(mock):
    w, clock, _ = mock
    clock.advance(60)
    w.tick()
    assert "44:00" in w.clock_html.value
    w.fields["questions"].value = "How many listeners? 50 M\nWhat SLO? 200 ms"
    clock.advance(4 * 60)
    w.tick()
    assert "Clarify has run 1 min past its 3.75 minutes" in w.nudge.value
    assert "(over)" in w.timeline.value


def test_a_deep_dive_without_numbers_is_nudged(mock):
    w, clock, _ = mock
    w.tabs.selected_index = 3
    clock.advance(4 * 60)
    w.tick()
    assert "4 minutes into the deep dive without numbers" in w.nudge.value


def test_every_keystroke_is_saved_and_a_new_widget_restores_it_paused(mock):
    w, clock, folder = mock
    w.fields["stages"].value = "Gateway | 10 | auth\nRank | 60 | dnn"
    clock.advance(90)
    w.tick()
    w.advance()
    (path,) = (folder / interview.FOLDER).glob("*.json")
    assert json.loads(path.read_text())["answers"]["stages"].startswith("Gateway")
    again = mock_interview(folder, clock=ManualClock(1e6), autotick=False)
    assert again.fields["stages"].value == w.fields["stages"].value
    assert again.session.phase == "requirements" and again.tabs.selected_index == 1
    assert not again.session.running and not hidden(again.resume)
    assert "restored, paused at 1:30" in again.message.value
    again.resume_mock()
    assert again.session.running and hidden(again.resume)


def test_the_budget_chart_draws_the_critical_path_against_the_slo(mock):
    w, _clock, _ = mock
    w.fields["latency_slo_ms"].value = "200"
    w.fields[
        "stages"
    ].value = (
        "Gateway | 10 | auth\nA | 40 | ann | online | g\nB | 60 | pop | online | g\nRank | 90 | x"
    )
    bar = w.budget_fig.data[0]
    assert list(bar.x) == [10, 60, 90] and list(bar.base) == [0, 10, 70]
    assert bar.text[1] == "A ‖ B"
    assert "160 ms of the 200 ms SLO" in w.budget_fig.layout.title.text
    assert w.budget_fig.layout.shapes[0].x0 == 200


def test_the_inline_calculator_shows_peak_qps_and_too_few_servers(mock):
    w, _clock, _ = mock
    for key, value in [
        ("daily_active_users", "200M"),
        ("events_per_user_per_day", "10"),
        ("per_server_qps", "500"),
        ("headroom", "0.3"),
        ("servers", "50"),
    ]:
        w.fields[key].value = value  # fmt: skip
    assert "69.4 K requests/s at peak" in w.estimate.value
    assert "50 planned: too few" in w.estimate.value


def test_a_bad_line_is_named_in_the_message_line(mock):
    w, _clock, _ = mock
    w.fields["metrics"].value = "offline | recall | >= 80 %\nsometimes | x | 1"
    assert "metric line 2 kind" in w.message.value


def test_follow_ups_come_from_the_problem_and_get_answer_boxes(mock):
    w, _clock, _ = mock
    assert "not the same kind of thing" not in w.followups.value
    assert "Your top 20 are all the same kind of thing" in w.followups.value
    assert set(w.challenge_fields) == set(designs.PROBLEM_CHALLENGES[3])
    w.challenge_fields["diversity"].value = "MMR re-ranking with a per-row cap"
    assert w.session.data["answers"]["challenge:diversity"].startswith("MMR")


def test_the_reveal_happens_only_after_self_scoring(mock):
    w, _clock, folder = mock
    assert hidden(w.scoring)
    w.reveal.value = True  # too early: refused
    assert w.compare.value == "" and not w.reveal.value
    w.stop()
    assert not hidden(w.scoring) and w.reveal.disabled and w.findings.value == ""
    w.self_scores["system_design"].value = 80
    w.score()
    assert "The interviewer's notes" in w.findings.value and "gap" in w.findings.value
    assert not w.reveal.disabled and w.submit.disabled
    assert w.scores_fig.data[0].y[1] == 80
    w.reveal.value = True
    assert "Reference" in w.compare.value and "Spotify" in w.compare.value
    assert (folder / "self_assessment.csv").exists()
    assert len(list((folder / interview.FOLDER).glob("*-debrief.html"))) == 1
    assert list(w.history_fig.data[0].y) == [w.debrief["self_total"]]


def test_the_reference_respects_the_instructors_switch(mock, monkeypatch):
    w, _clock, _ = mock
    w.stop()
    w.score()
    monkeypatch.setenv("MLSD_ANSWERS", "off")
    w.reveal.value = True
    assert "switched off" in w.compare.value


def test_time_running_out_finishes_the_mock_and_asks_for_the_self_score(mock):
    w, clock, _ = mock
    clock.advance(46 * 60)
    w.tick()
    assert w.session.data["finished"] and not hidden(w.scoring)
    assert "0:00" in w.clock_html.value


def test_classroom_mode_shows_the_notes_live(tmp_path):
    w = mock_interview(tmp_path, clock=ManualClock(), autotick=False, classroom=True)
    w.problem.value = 1
    w.begin()
    assert not hidden(w.ask)
    w.ask.click()
    assert "at least three clarifying questions" in w.live_notes.value
    learner = mock_interview(tmp_path / "l", clock=ManualClock(), autotick=False, classroom=False)
    assert hidden(learner.ask)


def test_learner_text_is_escaped_everywhere_it_is_shown(mock):
    w, _clock, _ = mock
    evil = "<img src=x onerror=alert(1)>"
    w.fields["stages"].value = f"{evil} | 10 | {evil}"
    w.fields["questions"].value = f"{evil}? {evil}"
    w.stop()
    w.score()
    w.reveal.value = True
    for html_text in (w.findings.value, w.compare.value, w.budget_fig.layout.title.text):
        assert "<img" not in html_text


def test_timeline_html_marks_the_current_phase():
    assert "Clarify" in timeline_html(None, 60)
    assert timeline_html(None, 45).count("mlsd-mock-phase") == 6


def test_callbacks_stay_under_20_ms_median(mock):
    w, clock, _ = mock
    texts = [f"How many users? {i} M\nWhat SLO? 200 ms" for i in range(30)]
    assert median_ms(lambda t: setattr(w.fields["questions"], "value", t), texts) < BUDGET_MS
    stages = [f"Gateway | {i} | auth\nRank | 60 | dnn" for i in range(30)]
    assert median_ms(lambda t: setattr(w.fields["stages"], "value", t), stages) < BUDGET_MS

    def beat(_i):
        clock.advance(1)
        w.tick()

    assert median_ms(beat, range(30)) < BUDGET_MS


# --- calibration drill ------------------------------------------------------------------------


def test_the_calibration_drill_grades_a_sample_and_tracks_the_error(tmp_path):
    d = calibration_drill(tmp_path)
    first = d.current
    assert "Sample 1 of 9" in d.sample_html.value
    for key, control in d.grades.items():
        control.value = int(first.scores[key]) + 10 - int(first.scores[key]) % 5
    d.grade()
    assert f"a <b>{first.level}</b> answer" in d.result.value and d.submit.disabled
    assert "1 graded" in d.progress.value
    assert len(d.fig.data[0].y) == 1
    again = calibration_drill(tmp_path)
    assert again.current.id != first.id  # resumes at the first ungraded sample


# --- recall drill -------------------------------------------------------------------------------


def test_the_recall_drill_moves_a_known_card_up_a_box_and_saves(tmp_path):
    today = dt.date(2026, 12, 3)
    r = recall_drill(tmp_path, today=today)
    assert r.knew.disabled and not r.show.disabled
    first = r.card_id
    r.reveal()
    assert r.back.value and not r.knew.disabled
    r.answer(True)
    assert r.card_id != first and "box 2: 1" in r.boxes.value
    again = recall_drill(tmp_path, today=today)
    assert again.progress[first]["box"] == 2
    assert first not in [again.card_id]
    assert again.topic in again.container.children
    again.topic.value = "monitoring"
    assert "PSI thresholds" in again.front.value or "four kinds" in again.front.value


def test_every_dimension_has_a_self_score_slider(mock):
    w, _clock, _ = mock
    assert set(w.self_scores) == set(rubric.KEYS)


def test_presenter_mode_turns_the_classroom_mode_on(tmp_path, monkeypatch):
    from mlsd import present

    assert present.PRESENTING_ENV == interview.PRESENTING_ENV
    monkeypatch.setenv(interview.PRESENTING_ENV, "1")
    assert mock_interview(tmp_path, clock=ManualClock(), autotick=False).classroom
