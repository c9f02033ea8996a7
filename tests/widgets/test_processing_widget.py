"""The processing-mode tree widget, driven from Python with no browser."""

from __future__ import annotations

import pytest

from mlsd.timing import median_ms
from mlsd.widgets.processing import ACTIVE, EDGES, IDLE, NODES, ProcessingTree, processing_tree

BUDGET_MS = 20.0

# (needs_request_data, fits_budget) -> mode, nodes on the path, edges on the path
PATHS = {
    (False, True): ("batch", {"q1", "batch"}, {("q1", "batch")}),
    (False, False): ("batch", {"q1", "batch"}, {("q1", "batch")}),
    (True, True): ("real-time", {"q1", "q2", "real-time"}, {("q1", "q2"), ("q2", "real-time")}),
    (True, False): ("hybrid", {"q1", "q2", "hybrid"}, {("q1", "q2"), ("q2", "hybrid")}),
}


@pytest.fixture
def t() -> ProcessingTree:
    return processing_tree()


def set_answers(t: ProcessingTree, needs: bool, fits: bool) -> None:
    # the second toggle first: it is disabled (in the browser) once the first says No
    t.fits_budget.value = fits
    t.needs_request_data.value = needs


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


def test_every_edge_is_labelled_yes_or_no_at_its_middle(t):
    annotations = t.fig.layout.annotations
    at = {(an.x, an.y): an.text for an in annotations}
    assert len(annotations) == len(EDGES) == len(at)
    for a, b, label in EDGES:
        assert label in ("yes", "no")
        middle = ((NODES[a][0] + NODES[b][0]) / 2, (NODES[a][1] + NODES[b][1]) / 2)
        assert at[middle] == f"<b>{label}</b>"
    for an in annotations:  # inside the drawn area, not clipped at an edge
        assert t.fig.layout.xaxis.range[0] < an.x < t.fig.layout.xaxis.range[1]
        assert t.fig.layout.yaxis.range[0] < an.y < t.fig.layout.yaxis.range[1]


def test_initial_state_is_yes_no_hybrid(t):
    assert (t.needs_request_data.value, t.fits_budget.value) == (True, False)
    assert "Mode: hybrid" in t.mode.value
    assert highlighted(t) == PATHS[(True, False)][1:]


@pytest.mark.parametrize(("needs", "fits"), list(PATHS))
def test_mode_text_and_highlighted_path_for_every_answer(t, needs, fits):
    set_answers(t, needs, fits)
    mode, nodes, edges = PATHS[(needs, fits)]
    assert f"Mode: {mode}</b>" in t.mode.value
    for other in {"real-time", "batch", "hybrid"} - {mode}:
        assert f"Mode: {other}" not in t.mode.value
    assert highlighted(t) == (nodes, edges)
    for (a, b, _), trace in zip(EDGES, t.fig.data[:-1], strict=True):
        on = (a, b) in edges
        assert trace.line.color == (ACTIVE if on else IDLE)
        assert trace.line.width == (6 if on else 3)
    assert set(t.fig.data[-1].marker.color) == {ACTIVE, IDLE}


@pytest.mark.parametrize(("needs", "fits"), list(PATHS))
def test_mode_text_lists_the_questions_answered(t, needs, fits):
    set_answers(t, needs, fits)
    text = t.mode.value
    assert "only once the request arrives" in text
    first = "<b>yes</b>" if needs else "<b>no</b>"
    assert text.split("→")[0].rstrip().endswith(first)
    if needs:
        second = "<b>yes</b>" if fits else "<b>no</b>"
        assert "fit the latency budget" in text and text.rstrip().endswith(second)
    else:
        assert "fit the latency budget" not in text  # the second question was never asked


def test_second_toggle_is_disabled_only_when_the_first_is_no(t):
    assert t.fits_budget.disabled is False
    t.needs_request_data.value = False
    assert t.fits_budget.disabled is True
    t.needs_request_data.value = True
    assert t.fits_budget.disabled is False


def test_second_toggle_does_not_matter_while_the_first_is_no(t):
    t.needs_request_data.value = False
    before = (t.mode.value, highlighted(t))
    t.fits_budget.value = True
    assert (t.mode.value, highlighted(t)) == before


def test_toggles_offer_yes_and_no_with_readable_buttons(t):
    for control in (t.needs_request_data, t.fits_budget):
        assert list(control.options) == [("Yes", True), ("No", False)]
        assert control.description
        assert control.style.button_width == "auto"


def test_container_holds_controls_and_outputs(t):
    assert list(t.container.children) == [t.needs_request_data, t.fits_budget, t.mode, t.fig]


def test_toggle_callback_is_fast(t):
    median = median_ms(lambda i: setattr(t.needs_request_data, "value", i % 2 == 0), 30)
    print(f"processing toggle callback median: {median:.3f} ms")
    assert median < BUDGET_MS
