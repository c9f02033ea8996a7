"""The processing-mode tree widget, driven from Python with no browser."""

from __future__ import annotations

import pytest

from mlsd.timing import median_ms
from mlsd.widgets.processing import ACTIVE, EDGES, IDLE, NODES, ProcessingTree, processing_tree

BUDGET_MS = 20.0

# (immediate, precomputable) -> mode, nodes on the path, edges on the path
PATHS = {
    (True, True): ("real-time", {"q1", "real-time"}, {("q1", "real-time")}),
    (True, False): ("real-time", {"q1", "real-time"}, {("q1", "real-time")}),
    (False, True): ("batch", {"q1", "q2", "batch"}, {("q1", "q2"), ("q2", "batch")}),
    (False, False): ("hybrid", {"q1", "q2", "hybrid"}, {("q1", "q2"), ("q2", "hybrid")}),
}


@pytest.fixture
def t() -> ProcessingTree:
    return processing_tree()


def set_answers(t: ProcessingTree, immediate: bool, precomputable: bool) -> None:
    # the second toggle first: it is disabled (in the browser) once the first says Yes
    t.precomputable.value = precomputable
    t.immediate.value = immediate


def highlighted(t: ProcessingTree):
    nodes = {
        n for n, colour in zip(NODES, t.fig.data[-1].marker.color, strict=True) if colour == ACTIVE
    }
    edges = {
        (a, b)
        for (a, b, _), trace in zip(EDGES, t.fig.data[:-1], strict=True)
        if trace.line.color == ACTIVE
    }
    return nodes, edges


def test_figure_has_one_trace_per_edge_plus_the_nodes(t):
    assert len(t.fig.data) == len(EDGES) + 1
    assert len(t.fig.data[-1].marker.color) == len(NODES)


def test_initial_state_is_no_no_hybrid(t):
    assert (t.immediate.value, t.precomputable.value) == (False, False)
    assert "Mode: hybrid" in t.mode.value
    assert highlighted(t) == PATHS[(False, False)][1:]


@pytest.mark.parametrize(("immediate", "precomputable"), list(PATHS))
def test_mode_text_and_highlighted_path_for_every_answer(t, immediate, precomputable):
    set_answers(t, immediate, precomputable)
    mode, nodes, edges = PATHS[(immediate, precomputable)]
    assert f"Mode: {mode}</b>" in t.mode.value
    for other in {"real-time", "batch", "hybrid"} - {mode}:
        assert f"Mode: {other}" not in t.mode.value
    assert highlighted(t) == (nodes, edges)
    # idle parts are grey and thin, active edges thick
    for (a, b, _), trace in zip(EDGES, t.fig.data[:-1], strict=True):
        on = (a, b) in edges
        assert trace.line.color == (ACTIVE if on else IDLE)
        assert trace.line.width == (6 if on else 3)
    assert set(t.fig.data[-1].marker.color) == {ACTIVE, IDLE}


@pytest.mark.parametrize(("immediate", "precomputable"), list(PATHS))
def test_mode_text_lists_the_questions_answered(t, immediate, precomputable):
    set_answers(t, immediate, precomputable)
    text = t.mode.value
    assert "brand-new event" in text
    first = "<b>yes</b>" if immediate else "<b>no</b>"
    assert text.split("→")[0].rstrip().endswith(first)
    if immediate:
        assert "ahead of time" not in text  # the second question was never asked
    else:
        assert "ahead of time" in text
        second = "<b>yes</b>" if precomputable else "<b>no</b>"
        assert text.rstrip().endswith(second)


def test_second_toggle_is_disabled_only_when_the_first_is_yes(t):
    assert t.precomputable.disabled is False
    t.immediate.value = True
    assert t.precomputable.disabled is True
    t.immediate.value = False
    assert t.precomputable.disabled is False


def test_second_toggle_does_not_matter_while_the_first_is_yes(t):
    t.immediate.value = True
    before = (t.mode.value, highlighted(t))
    t.precomputable.value = True
    assert (t.mode.value, highlighted(t)) == before


def test_walking_back_up_the_tree_restores_the_previous_path(t):
    set_answers(t, False, True)
    batch = (t.mode.value, highlighted(t))
    t.immediate.value = True
    assert "Mode: real-time" in t.mode.value
    t.immediate.value = False
    assert (t.mode.value, highlighted(t)) == batch


def test_toggles_offer_yes_and_no(t):
    for control in (t.immediate, t.precomputable):
        assert list(control.options) == [("Yes", True), ("No", False)]
        assert control.description


def test_container_holds_controls_and_outputs(t):
    assert list(t.container.children) == [t.immediate, t.precomputable, t.mode, t.fig]


def test_toggle_callback_is_fast(t):
    median = median_ms(lambda i: setattr(t.immediate, "value", i % 2 == 0), 30)
    print(f"processing toggle callback median: {median:.3f} ms")
    assert median < BUDGET_MS
