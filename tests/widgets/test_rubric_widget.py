"""Section 8 widgets driven from Python: the rubric scorer and the self-assessment log."""

from __future__ import annotations

import html

import ipywidgets as W
import pytest

from mlsd import timing
from mlsd.rubric import KEYS, load_assessments
from mlsd.widgets.rubric import BLANK, RubricScorer, SelfAssessment, rubric_scorer, self_assessment

BUDGET_MS = 20.0


def text(w) -> str:
    return html.unescape(w.message.value)


def median_ms(action, repeat=21) -> float:
    return timing.median_ms(action, repeat)


@pytest.fixture
def w() -> RubricScorer:
    return rubric_scorer()


def test_first_paint_is_candidate_a_at_85(w):
    assert "85.0 / 100" in w.total.value and "strong hire" in w.band.value
    radar = w.fig.data[-1]
    assert list(radar.r) == [100, 80, 80, 80, 90, 100]  # closed polygon
    assert [t.name for t in w.fig.data] == [
        "Candidate A (strong)",
        "Candidate B (weak)",
        "Candidate A (strong)",
    ]
    assert "feedback" not in w.evidence.value  # our words, not the guide's
    assert "Naive Bayes baseline first" in w.evidence.value
    assert w.sliders["communication"].value == 90 and w.sliders["communication"].disabled


def test_candidate_b_scores_40_and_evidence_lists_dimensions(w):
    assert isinstance(w.candidate, W.ToggleButtons)  # keyboard-usable in JupyterLab
    w.candidate.value = "Candidate B (weak)"
    assert "40.4 / 100" in w.total.value and "no hire" in w.band.value
    assert "<b>System design</b> · poor: <i>no monitoring anywhere</i>" in w.evidence.value
    assert w.fig.data[-1].name == "Candidate B (weak)"


def test_one_sign_moves_its_dimension_by_its_weight(w):
    w.excellent["system_design"].value = (*w.excellent["system_design"].value, 4)
    # monitoring: not shown (50) -> excellent (100) is +10 on design, +3 on the total
    assert w.sliders["system_design"].value == 90
    assert "88.0 / 100" in w.total.value


def test_blank_scores_50_and_lean_no_hire():
    w = rubric_scorer(candidate=BLANK)
    assert "50.0 / 100" in w.total.value and "lean no hire" in w.band.value
    assert w.evidence.value == ""


def test_sliders_mode_scores_directly(w):
    w.method.value = "sliders"
    assert not w.sliders["tradeoffs"].disabled and w.excellent["tradeoffs"].disabled
    for k in KEYS:
        w.sliders[k].value = 40
    assert "40.0 / 100" in w.total.value and "no hire" in w.band.value
    assert list(w.fig.data[-1].r) == [40] * 6


def test_bad_weights_show_in_the_message_line(w):
    w.weights["communication"].value = 5
    assert "weights must sum to 100 %; got 95 %" in text(w)
    assert "Total: —" in w.total.value
    w.weights["communication"].value = 10
    assert text(w) == "" and "85.0" in w.total.value


def test_both_signs_of_a_pair_is_refused(w):
    w.poor["communication"].value = (0,)
    assert "cannot be both excellent and poor; pick one for: clear structure" in text(w)


def test_callbacks_are_fast(w):
    options = [(), (0,), (0, 1), (1, 2, 3)]
    ms = median_ms(lambda i: setattr(w.excellent["ml_knowledge"], "value", options[i % 4]))
    assert ms < BUDGET_MS
    w.method.value = "sliders"
    assert median_ms(lambda i: setattr(w.sliders["tradeoffs"], "value", i)) < BUDGET_MS


def test_self_assessment_saves_to_the_given_csv_and_plots(tmp_path):
    path = tmp_path / "mine.csv"
    log = self_assessment(path)
    assert log.history == [] and list(log.fig.data[0].y) == []
    assert log.save_now() is None
    assert "problem must be a non-empty name" in text(log)
    assert not path.exists()
    log.problem.value = "news feed"
    log.sliders["system_design"].value = 80
    assert "Total: 59.0 / 100 — lean no hire" in log.total.value
    assert log.save_now() == path
    log.problem.value = "fraud"
    log.sliders["communication"].value = 100
    log.save.click()
    rows = load_assessments(path)
    assert [r["problem"] for r in rows] == ["news feed", "fraud"]
    assert list(log.fig.data[0].y) == [59.0, 64.0]
    assert list(log.fig.data[0].x) == [1, 2]
    assert "Saved attempt 2" in text(log)
    again = self_assessment(path)  # a new session reads the history back
    assert len(again.history) == 2 and list(again.fig.data[2].y) == [80.0, 80.0]


def test_self_assessment_default_is_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    log = SelfAssessment()
    assert log.path.value == str(tmp_path / "self_assessment.csv")
    log.path.value = str(tmp_path / "notes.txt")
    assert "path must end in .csv" in text(log)


def test_self_assessment_slider_callback_is_fast(tmp_path):
    log = self_assessment(tmp_path / "x.csv")
    assert median_ms(lambda i: setattr(log.sliders["tradeoffs"], "value", i)) < BUDGET_MS


def test_empty_log_shows_a_sentence_not_an_empty_legend(tmp_path):
    log = self_assessment(tmp_path / "new.csv")
    assert log.fig.layout.showlegend is False
    assert "No attempts saved yet" in log.fig.layout.annotations[0].text
    assert log.focus.value == ""


def test_attempts_are_whole_number_ticks_and_focus_names_the_costliest_gap(tmp_path):
    log = self_assessment(tmp_path / "log.csv")
    for problem, tradeoffs in (("feed", 30), ("search", 40)):
        log.problem.value = problem
        for k in log.sliders:
            log.sliders[k].value = 85
        log.sliders["tradeoffs"].value = tradeoffs
        log.save_now()
    xaxis = log.fig.layout.xaxis
    assert (xaxis.tickmode, xaxis.tick0, xaxis.dtick) == ("linear", 1, 1)
    assert tuple(xaxis.range) == (0.5, 2.5)
    assert log.fig.layout.showlegend is True and log.fig.layout.annotations == ()
    # mean trade-offs over the two attempts is 35: 0.15 x (80 - 35) = 6.75 points
    assert "Practise next: Trade-offs" in log.focus.value
    assert "6.8 points" in log.focus.value and "last 2 attempt(s)" in log.focus.value
