"""Section 9 widgets driven from Python: quiz, phase picker, numbers detector, planner."""

from __future__ import annotations

import html

import ipywidgets as W

from mlsd import timing
from mlsd.mistakes import EXCERPTS
from mlsd.timeline import BAD_TIMELINE, GOOD_TIMELINE
from mlsd.widgets.mistakes import mistake_quiz, numbers_detector, phase_picker
from mlsd.widgets.timeline import COLOURS, timeline_planner

BUDGET_MS = 20.0


def median_ms(action, repeat=21) -> float:
    return timing.median_ms(action, repeat)


def test_quiz_explains_either_way_and_stores_answers():
    q = mistake_quiz()
    assert q.answers == {} and "0 of 10 right" in q.score.value
    q.choices["E5"].value = "no_numbers"
    assert "you chose “No numbers or specifics”" in html.unescape(q.feedback["E5"].value)
    assert "#b00020" in q.feedback["E5"].value
    q.choices["E5"].value = "jumping_to_solution"
    assert html.unescape(q.feedback["E5"].value).count("✓ Jumping to a solution") == 1
    for e in EXCERPTS:
        q.choices[e.id].value = e.answer
    assert q.answers == {e.id: e.answer for e in EXCERPTS}
    assert "10 of 10 right" in q.score.value
    q.choices["E2"].value = None
    assert q.feedback["E2"].value == "" and "E2" not in q.answers


def test_phase_picker_marks_the_phase_and_names_bad_input():
    p = phase_picker(users=10_000)
    assert "<b>Phase 2 · Collaborative filtering" in p.phase.value
    p.users.value = 1_000_000
    assert "<b>Phase 3 · Neural network" in p.phase.value
    p.users.value = -3
    assert "users must be a whole number &gt;= 0; got -3" in p.message.value
    assert p.phase.value == ""


def test_numbers_detector_lists_what_it_found():
    d = numbers_detector(latency="under 100", scale="10K QPS", accuracy="")
    found = html.unescape(d.found.value)
    assert "✗ <b>latency</b>: has a number but not with a time unit" in found
    assert "✓ <b>scale</b>: 10K QPS" in found
    assert "✗ <b>accuracy</b>: no statement given" in found
    d.statements["latency"].value = "p99 under 100 ms"
    assert "✓ <b>latency</b>: 100 ms" in d.found.value


def test_planner_opens_on_the_bad_timeline():
    t = timeline_planner()
    assert t.plan == [(p, float(s), float(e)) for p, s, e in BAD_TIMELINE]
    assert "Not yet" in t.verdict.value
    assert "the guide&#x27;s bad timeline" in t.issues.value
    bars = t.fig.data[1]
    assert list(bars.base) == [0, 45, 48, 51, 54, 57] and list(bars.x)[0] == 45
    assert list(bars.marker.color)[0] == COLOURS["model"]
    guide = t.fig.data[0]
    assert list(guide.base) == [s for _p, s, _e in GOOD_TIMELINE]


def test_planner_reaches_a_passing_plan_by_sliders():
    t = timeline_planner()
    t.model_min.value = 0
    for phase, minutes in [
        ("clarification", 10),
        ("architecture", 15),
        ("deep_dives", 15),
        ("tradeoffs", 15),
        ("wrap_up", 5),
    ]:
        t.minutes[phase].value = minutes
    assert t.plan == [(p, float(s), float(e)) for p, s, e in GOOD_TIMELINE]
    assert "passes" in t.verdict.value and t.issues.value == "<ul></ul>"
    t.minutes["wrap_up"].value = 12
    assert "the plan runs to 67 min" in html.unescape(t.issues.value)


def test_planner_presets_and_empty_plan():
    t = timeline_planner(preset="the guide's good timeline")
    assert "passes" in t.verdict.value
    for s in (t.model_min, *t.minutes.values()):
        s.value = 0
    assert t.plan == [] and "the plan is empty." in t.issues.value


def test_preset_buttons_let_go_once_a_slider_moves_and_reload_on_press():
    t = timeline_planner(preset="the guide's good timeline")
    assert isinstance(t.preset, W.ToggleButtons)  # keyboard-usable in JupyterLab
    t.minutes["wrap_up"].value = 12
    assert t.preset.value is None  # the learner's own plan now: no preset pressed
    assert "the plan runs to 67 min" in html.unescape(t.issues.value)
    t.preset.value = "the guide's good timeline"
    assert t.plan == [(p, float(s), float(e)) for p, s, e in GOOD_TIMELINE]
    assert "passes" in t.verdict.value


def test_callbacks_are_fast():
    t = timeline_planner()
    assert median_ms(lambda i: setattr(t.minutes["tradeoffs"], "value", 5 + i % 15)) < BUDGET_MS
    q = mistake_quiz()
    opts = ["none", "no_numbers", "over_engineering"]
    assert median_ms(lambda i: setattr(q.choices["E3"], "value", opts[i % 3])) < BUDGET_MS
    d = numbers_detector()
    assert median_ms(lambda i: setattr(d.statements["scale"], "value", f"{i} K QPS")) < BUDGET_MS


def test_quiz_choices_are_radio_buttons_with_nothing_picked():
    # In JupyterLab the arrow keys on a focused drop-down move between cells instead.
    import ipywidgets as W

    from mlsd.widgets.mistakes import mistake_quiz as _quiz

    q = _quiz()
    assert all(isinstance(c, W.RadioButtons) for c in q.choices.values())
    assert q.answers == {} and "0 of 10 right" in q.score.value


def test_numbers_detector_flags_what_a_reviewer_would_not_believe():
    d = numbers_detector(latency="p99 1 ms", scale="1 user", accuracy="1 %")
    found = html.unescape(d.found.value)
    assert "✗ <b>latency</b>: 1 ms is not a plausible latency" in found
    assert "✗ <b>scale</b>: 1 user(s) is no scale requirement" in found
    assert "✗ <b>accuracy</b>: a percentage with no metric named" in found
    d.statements["latency"].value = "under 100 ms"
    assert "no percentile: say p95 or p99" in html.unescape(d.found.value)


def test_quiz_shows_each_excerpts_reviewer_notes():
    q = mistake_quiz()
    text = html.unescape(q.container.children[2].children[0].value)
    assert "Reviewer's notes: minute 6 · 2 question(s) asked · names a model · 8,000 users" in text
