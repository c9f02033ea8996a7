"""The practice-problem worksheet, driven from Python with no browser."""

from __future__ import annotations

import pytest

from mlsd import base_rates, designs, practice
from mlsd.timing import median_ms
from mlsd.widgets.practice import (
    ALL,
    BASE_RATE_PRESETS,
    CHOSEN,
    HIDE,
    IDLE,
    REVEAL,
    base_rate_explorer,
    practice_worksheet,
    reference_design_markdown,
)

BUDGET_MS = 20.0


@pytest.fixture(scope="module")
def w():
    return practice_worksheet(1)


def test_starts_on_the_chosen_problem_with_prefilled_calculators():
    sheet = practice_worksheet(7)
    assert sheet.problem.value == 7
    assert "Object detection" in sheet.card.value and "30 FPS" in sheet.card.value
    assert sheet.chooser.latency_ms.value == 33
    assert sheet.fig.data[0].marker.color[6] == CHOSEN
    assert "cameras stand in for users" in sheet.card.value
    assert sheet.calculator.results["qps"].value == pytest.approx(240)


def test_latency_chart_is_dots_on_a_log_axis_not_bars():
    # A bar on a log axis starts wherever the axis starts: its length compares nothing.
    sheet = practice_worksheet(1)
    trace = sheet.fig.data[0]
    assert trace.type == "scatter" and trace.mode == "markers"
    assert sheet.fig.layout.xaxis.type == "log"
    assert list(trace.x) == [p.latency_ms for p in practice.problems()]


def test_picking_a_problem_fills_the_worksheet(w):
    w.problem.value = 1
    assert w.calculator.daily_active_users.value == 200e6
    assert w.calculator.results["qps"].value == pytest.approx(200e6 * 10 / 86_400 * 3)
    assert w.chooser.latency_ms.value == 200
    assert "Recommendations" in w.card.value and "common-ml-systems.ipynb" in w.card.value
    w.problem.value = 10
    assert w.calculator.results["qps"].value == pytest.approx(150e6 / 86_400 * 3)
    assert w.chooser.latency_ms.value == 50 and w.chooser.accuracy_pct.value == 90
    assert "recall_pct &gt; 90" in w.card.value or "recall_pct > 90" in w.card.value
    colours = list(w.fig.data[0].marker.color)
    assert colours[9] == CHOSEN and colours.count(IDLE) == 10
    assert list(w.fig.data[0].marker.size).count(16) == 1


def test_assumptions_stay_editable_and_reset_on_a_new_problem(w):
    w.problem.value = 1
    w.calculator.peak_factor.value = 5.0
    assert w.calculator.results["qps"].value == pytest.approx(200e6 * 10 / 86_400 * 5)
    w.problem.value = 2
    w.problem.value = 1
    assert w.calculator.peak_factor.value == 3.0


def test_domain_filter_limits_the_choice(w):
    w.domain.value = "vision"
    assert [n for _label, n in w.problem.options] == [6, 7]
    assert w.problem.value in (6, 7)
    w.domain.value = ALL
    assert len(w.problem.options) == practice.N_PROBLEMS


def test_bad_input_goes_to_the_message_line(w):
    w.select(42)
    assert "number must be a whole number in [1, 11]; got 42" in w.message.value
    w.select(3)
    assert w.message.value == "" and w.problem.value == 3
    with pytest.raises(ValueError, match="number must be"):
        practice_worksheet(0)


def test_a_new_problem_recomputes_the_calculator_once(monkeypatch):
    import mlsd.widgets.estimates as calculator_module

    sheet = practice_worksheet(1)
    calls = []
    real = calculator_module.estimate_all
    monkeypatch.setattr(calculator_module, "estimate_all", lambda **v: calls.append(v) or real(**v))
    sheet.problem.value = 9  # many inputs differ between problems 1 and 9
    assert len(calls) == 1
    assert sheet.calculator.results["servers"].value == 25


def test_callback_median_under_budget(w):
    problems = [n for _ in range(3) for n in range(1, 12)]
    assert median_ms(lambda n: setattr(w.problem, "value", n), problems) < BUDGET_MS


def test_pickers_are_keyboard_usable_not_drop_downs():
    # In JupyterLab the arrow keys on a focused drop-down move between cells instead; a
    # slider takes ArrowLeft/ArrowRight, buttons take Space/Enter.
    import ipywidgets as W

    sheet = practice_worksheet(10)
    assert isinstance(sheet.problem, W.SelectionSlider)
    assert sheet.problem.description == "Problem number"
    assert isinstance(sheet.domain, W.ToggleButtons)
    assert sheet.problem.index == 9


def test_slider_readout_is_short_and_the_card_names_the_problem():
    # A long title in the readout is cut off at the readout's fixed width.
    sheet = practice_worksheet(7)
    assert [label for label, _n in sheet.problem.options] == [str(n) for n in range(1, 12)]
    assert "7. Object detection for an autonomous vehicle" in sheet.card.value


def test_what_a_learner_prints_is_text_not_html():
    sheet = practice_worksheet(10)
    text = sheet.summary()
    assert "<" not in text and ">" not in text.replace("->", "")
    assert text.startswith("Problem 10: Credit card fraud detection")
    assert "5,210 requests/s at peak" in text and "4 servers" in text
    assert "Model chooser: Gradient-boosted trees (medium)" in text
    assert "<" not in sheet.decision_text()
    explorer = base_rate_explorer()
    assert "<" not in explorer.summary()


def test_reference_design_is_revealed_on_demand_and_hidden_on_a_new_problem():
    sheet = practice_worksheet(10)
    assert sheet.design.value == "" and sheet.reveal.description == REVEAL
    sheet.reveal.value = True
    assert "Credit card fraud detection" in sheet.design.value
    assert "<table>" in sheet.design.value and sheet.reveal.description == HIDE
    sheet.select(7)
    assert sheet.reveal.value is False and sheet.design.value == ""
    sheet.reveal.value = True
    assert "Object detection" in sheet.design.value
    assert reference_design_markdown(7) == designs.to_markdown(designs.reference(7))


def test_instructor_switch_hides_the_reference_designs(monkeypatch):
    monkeypatch.setenv("MLSD_ANSWERS", "off")
    sheet = practice_worksheet(10)
    sheet.reveal.value = True
    assert "switched off" in sheet.design.value and "Credit card" not in sheet.design.value
    assert "switched off" in reference_design_markdown(10)


def test_base_rate_explorer_turns_rates_into_precision_and_daily_counts():
    w = base_rate_explorer()
    guide = base_rates.operating_point(0.9, 0.02, 0.001, 150e6)
    assert w.point == guide
    assert "Precision 4.3 %" in w.summary() and "3 M good ones flagged" in w.summary()
    star = w.fig.data[1]
    assert list(star.x) == [0.001] and star.y[0] == pytest.approx(guide.precision)
    w.preset.value = BASE_RATE_PRESETS[2]  # the same detector on a balanced test set
    assert w.prevalence.value == 0.5 and w.point.precision == pytest.approx(0.978, abs=1e-3)
    assert "balanced" in w.message.value
    w.preset.value = BASE_RATE_PRESETS[1]
    assert w.point.precision == pytest.approx(0.5457, abs=1e-4)
    curve = list(w.fig.data[0].y)
    assert curve == sorted(curve)  # precision rises with prevalence


def test_base_rate_explorer_callback_median_under_budget():
    w = base_rate_explorer()
    values = [10 ** (-5 + 0.2 * i) for i in range(21)]
    assert median_ms(lambda v: setattr(w.prevalence, "value", v), values) < BUDGET_MS


def test_reveal_callback_median_under_budget():
    sheet = practice_worksheet(1)
    flips = [True, False] * 11
    assert median_ms(lambda v: setattr(sheet.reveal, "value", v), flips) < BUDGET_MS
