"""The practice-problem worksheet, driven from Python with no browser."""

from __future__ import annotations

import pytest

from mlsd import practice
from mlsd.timing import median_ms
from mlsd.widgets.practice import ALL, CHOSEN, IDLE, practice_worksheet

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
