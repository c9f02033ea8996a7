"""The model-chooser widget, driven from Python with no browser."""

from __future__ import annotations

import html
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd.chooser import CANDIDATE_BY_KEY, CANDIDATES, PRESETS, choose_model
from mlsd.timing import median_ms
from mlsd.widgets.chooser import CHOSEN_COLOUR, IDLE_COLOUR, ModelChooser, model_chooser

BUDGET, REQUIREMENT, MARKERS, STAR = range(4)
BUDGET_MS = 20.0  # a callback must feel instant


@pytest.fixture
def w() -> ModelChooser:
    return model_chooser()


@cache
def shared() -> ModelChooser:
    # one widget for the hypothesis tests: building one per example would be slow
    return model_chooser()


def key_of(w: ModelChooser) -> str:
    return w.decision.value.split("<code>")[1].split("</code>")[0]


def assert_shows(w: ModelChooser, key: str) -> None:
    """Decision text, path and figure all agree on ``key`` for the current inputs."""
    chosen = CANDIDATE_BY_KEY[key]
    assert key_of(w) == key
    assert f"Decision: {chosen.name}" in w.decision.value
    expected = choose_model(w.latency_ms.value, w.accuracy_pct.value, w.cost.value)
    assert expected.key == key
    steps = "".join(f"<li>{s}</li>" for s in expected.path)
    assert html.unescape(w.path.value) == f"<ol>{steps}</ol>"
    data = w.fig.data
    assert tuple(data[BUDGET].x) == (w.latency_ms.value,) * 2
    assert tuple(data[REQUIREMENT].y) == (w.accuracy_pct.value,) * 2
    colours = list(data[MARKERS].marker.color)
    assert colours.count(CHOSEN_COLOUR) == 1
    assert colours.count(IDLE_COLOUR) == len(CANDIDATES) - 1
    assert colours.index(CHOSEN_COLOUR) == [c.key for c in CANDIDATES].index(key)
    assert tuple(data[STAR].x) == (chosen.latency_ms,)
    assert tuple(data[STAR].y) == (chosen.accuracy_pct,)


def message_text(w: ModelChooser) -> str:
    return html.unescape(w.message.value)


# --- first paint ------------------------------------------------------------------------


def test_initial_state_is_drawn(w):
    assert (w.latency_ms.value, w.accuracy_pct.value, w.cost.value) == (100.0, 85.0, "medium")
    assert_shows(w, "medium")
    assert w.message.value == ""
    assert w.latency_slider.value == pytest.approx(100.0)


def test_initial_values_can_be_given():
    w = model_chooser(latency_ms=10, accuracy_pct=95, cost="low")
    assert_shows(w, "simple")


def test_container_holds_every_control_and_output(w):
    children = w.container.children
    for part in (
        w.preset,
        w.latency_ms,
        w.latency_slider,
        w.accuracy_pct,
        w.cost,
        w.decision,
        w.path,
        w.message.widget,
        w.fig,
    ):
        assert part in children


# --- moving each control ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("latency", "accuracy", "cost", "key"),
    [
        (49.9, 85, "medium", "simple"),
        (50, 85, "medium", "medium"),
        (50.1, 85, "medium", "medium"),
        (120, 90, "medium", "medium"),
        (120, 90.5, "medium", "optimised_complex"),
        (199.9, 95, "low", "optimised_complex"),
        (200, 95, "low", "cached_batch"),
        (200, 95, "medium", "most_accurate"),
        (5000, 60, "high", "most_accurate"),
    ],
)
def test_controls_drive_decision_path_and_figure(w, latency, accuracy, cost, key):
    w.cost.value = cost
    w.accuracy_pct.value = accuracy
    w.latency_ms.value = latency
    assert_shows(w, key)


def test_each_control_alone_changes_the_outputs(w):
    w.latency_ms.value = 120
    assert_shows(w, "medium")
    w.accuracy_pct.value = 95
    assert_shows(w, "optimised_complex")
    w.latency_ms.value = 300
    assert_shows(w, "most_accurate")
    w.cost.value = "low"
    assert_shows(w, "cached_batch")
    w.latency_slider.value = 20
    assert_shows(w, "simple")


def test_path_names_the_rule_that_fired(w):
    w.latency_ms.value = 30
    assert "budget 30 ms < 50 ms" in html.unescape(w.path.value)
    w.latency_ms.value = 150
    w.accuracy_pct.value = 95
    assert "accuracy 95% > 90%" in html.unescape(w.path.value)


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-5, 0, -0.1])
def test_non_positive_latency_shows_the_value_error_then_clears(w, bad):
    w.latency_ms.value = bad
    with pytest.raises(ValueError) as err:
        choose_model(bad, w.accuracy_pct.value, w.cost.value)
    assert str(err.value) in message_text(w)
    assert "latency_budget_ms" in message_text(w) and "> 0 ms" in message_text(w)
    assert 'role="alert"' in w.message.value
    assert w.decision.value == "<b>Decision: —</b>"
    assert w.path.value == ""
    w.latency_ms.value = 30
    assert w.message.value == ""
    assert_shows(w, "simple")


def test_error_does_not_escape_as_a_traceback(w):
    w.latency_ms.value = -1  # would raise here if the callback let it out
    w.accuracy_pct.value = 99  # a further move while invalid still does not raise
    assert "latency_budget_ms" in message_text(w)


# --- the two latency controls -----------------------------------------------------------


def test_typing_moves_the_slider(w):
    w.latency_ms.value = 30
    assert w.latency_slider.value == pytest.approx(30)
    w.latency_ms.value = 7161.115
    assert w.latency_slider.value == pytest.approx(7161.115)
    assert w.latency_ms.value == 7161.115  # the slider's echo must not round what was typed


def test_dragging_moves_the_typed_value_rounded(w):
    w.latency_slider.value = 10**1.48  # what a drag step produces
    assert w.latency_ms.value == round(10**1.48, 2)
    assert w.latency_slider.value == pytest.approx(10**1.48)  # no echo back
    assert_shows(w, "simple")
    w.latency_slider.value = 250
    assert w.latency_ms.value == 250
    assert_shows(w, "most_accurate")


def test_typed_value_outside_the_slider_range_leaves_the_slider_alone(w):
    w.latency_ms.value = 30
    for value in (0.5, -5, 50_000):
        w.latency_ms.value = value
        assert w.latency_slider.value == pytest.approx(30)
        assert w.latency_ms.value == value


def test_slider_past_its_end_clamps_both(w):
    w.latency_slider.value = 1e6
    assert w.latency_slider.value == pytest.approx(10_000)
    assert w.latency_ms.value == pytest.approx(10_000)


@settings(max_examples=60, deadline=None)
@given(st.integers(1_000, 10_000_000).map(lambda n: n / 1000))
def test_any_typed_value_in_range_is_kept_and_mirrored(value):
    w = shared()
    w.latency_ms.value = value
    assert w.latency_ms.value == value
    assert abs(w.latency_slider.value - value) <= 0.005
    assert_shows(w, choose_model(value, w.accuracy_pct.value, w.cost.value).key)


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 4))
def test_any_drag_is_mirrored_to_two_decimals(exponent):
    w = shared()
    w.latency_slider.value = 10**exponent
    assert w.latency_ms.value == round(w.latency_slider.value, 2)


# --- presets ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preset", "key"),
    list(zip(PRESETS, ["simple", "most_accurate", "optimised_complex"], strict=True)),
    ids=[p.name for p in PRESETS],
)
def test_preset_sets_all_three_controls_and_tells_its_story(w, preset, key):
    w.latency_ms.value, w.accuracy_pct.value, w.cost.value = 333, 55, "low"
    w.preset.value = preset
    assert w.latency_ms.value == preset.latency_budget_ms
    assert w.accuracy_pct.value == preset.accuracy_requirement_pct
    assert w.cost.value == preset.cost_budget
    assert w.latency_slider.value == pytest.approx(preset.latency_budget_ms)
    assert_shows(w, key)
    assert message_text(w) == f"<span>{preset.name}: {preset.story}.</span>"


def test_the_placeholder_preset_changes_nothing(w):
    w.preset.value = PRESETS[0]
    w.latency_ms.value = 120
    w.preset.value = None
    assert w.latency_ms.value == 120
    assert_shows(w, "medium")


def test_moving_a_control_after_a_preset_clears_its_story(w):
    w.preset.value = PRESETS[1]
    w.accuracy_pct.value = 80
    assert w.message.value == ""


# --- speed ------------------------------------------------------------------------------


def test_callbacks_are_fast(w):
    def latency(v):
        w.latency_ms.value = v

    def accuracy(v):
        w.accuracy_pct.value = v

    def preset(i):
        w.preset.value = PRESETS[i % len(PRESETS)]
        w.preset.value = None  # so the next pick is a change

    results = {
        "latency move": median_ms(latency, [10 + 13 * i for i in range(30)]),
        "accuracy move": median_ms(accuracy, [60 + i for i in range(30)]),
        "preset": median_ms(preset, range(30)),
    }
    print("chooser callback medians (ms):", {k: round(v, 3) for k, v in results.items()})
    for name, median in results.items():
        assert median < BUDGET_MS, f"{name}: median {median:.1f} ms"


def test_buttons_fit_their_names():
    w = model_chooser()
    assert w.preset.style.button_width == "auto" and w.cost.style.button_width == "auto"


def test_chart_says_it_is_the_guides_picture_not_a_measurement():
    w = model_chooser()
    assert "guide" in w.fig.layout.title.text and "measures" in w.fig.layout.title.text
