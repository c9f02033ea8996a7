"""mlsd.widgets.common.ToggleSet: several choices without Ctrl-click."""

from __future__ import annotations

import ipywidgets as W
import pytest

from mlsd.widgets.bandits import bandit_explorer
from mlsd.widgets.common import ToggleSet

OPTIONS = [("alpha", "a"), ("beta", "b"), ("gamma", "c")]


@pytest.fixture
def t() -> ToggleSet:
    return ToggleSet(OPTIONS, value=("a", "c"), description="Shown:")


def test_one_toggle_button_per_option_pressed_as_the_value_says(t):
    assert [b.description for b in t.buttons] == ["alpha", "beta", "gamma"]
    assert [b.value for b in t.buttons] == [True, False, True]
    assert t.value == ("a", "c")
    assert isinstance(t.children[0], W.Label) and t.children[0].value == "Shown:"


def test_pressing_a_button_changes_the_value_in_option_order(t):
    seen = []
    t.observe(lambda change: seen.append(change["new"]), names="value")
    t.buttons[1].value = True
    t.buttons[0].value = False
    assert t.value == ("b", "c")
    assert seen == [("a", "b", "c"), ("b", "c")]


def test_setting_the_value_presses_the_buttons_once_each(t):
    seen = []
    t.observe(lambda change: seen.append(change["new"]), names="value")
    t.value = ("c", "b")  # any order in, the options' order out
    assert t.value == ("b", "c") and [b.value for b in t.buttons] == [False, True, True]
    t.value = ()
    assert [b.value for b in t.buttons] == [False, False, False]
    assert seen == [("b", "c"), ()]


def test_unknown_option_is_rejected_naming_it(t):
    with pytest.raises(ValueError, match=r"value must hold options among \['a', 'b', 'c'\]"):
        t.value = ("z",)
    assert t.value == ("a", "c")


def test_bandit_strategies_need_no_ctrl_click():
    w = bandit_explorer(horizon=100, runs=10)
    assert isinstance(w.strategies, ToggleSet)
    assert not any(isinstance(c, W.SelectMultiple) for c in w.container.children)
    w.strategies.buttons[0].value = False  # a click (or Space) hides epsilon-greedy
    assert w.strategies.value == ("ucb1", "thompson")
    assert list(w.regret_fig.data[2].y) == []  # epsilon-greedy's mean is no longer drawn
