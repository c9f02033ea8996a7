"""The complexity explorer, driven from Python: controls in, figure and label out."""

from __future__ import annotations

import pandas as pd
import pytest

from mlsd.complexity import claimed_spectrum, explain_pick, pick_model
from mlsd.timing import median_ms
from mlsd.widgets.complexity import ComplexityExplorer, complexity_explorer

TABLE = pd.DataFrame(
    {
        "model": ["logistic regression", "random forest", "gradient boosting", "mlp", "ensemble"],
        "accuracy_pct": [95.9, 94.7, 93.6, 95.3, 96.5],
        "p50_ms": [0.23, 2.2, 0.21, 0.23, 3.3],
        "p99_ms": [0.35, 2.8, 0.30, 0.50, 5.2],
        "train_s": [0.05, 0.16, 0.29, 0.18, 0.69],
    }
)


@pytest.fixture
def w() -> ComplexityExplorer:
    return complexity_explorer(TABLE)


N = len(TABLE)
# trace order: measured star, one trace per model, budget line, ladder, claimed star, its line
STAR, BUDGET, LADDER, CLAIMED_STAR = 0, N + 1, N + 2, N + 3


def star(w, panel):
    trace = w.fig.data[STAR if panel == "measured" else CLAIMED_STAR]
    return list(trace.x), list(trace.y)


def measured(w, column):
    return [trace[column][0] for trace in w.fig.data[1 : N + 1]]


def test_named_parts_and_css_classes(w):
    for name in ("budget", "budget_text", "percentile", "pick", "fig", "message", "container"):
        assert getattr(w, name) is not None
    assert "mlsd-complexity-budget" in w.budget._dom_classes
    assert "mlsd-complexity-percentile" in w.percentile._dom_classes
    assert "mlsd-complexity-pick" in w.pick._dom_classes
    assert "mlsd-complexity-fig" in w.fig._dom_classes
    assert "mlsd-message" in w.message.widget._dom_classes
    assert w.message.widget in w.container.children and w.fig in w.container.children


def test_initial_figure_has_data_titles_and_units(w):
    # Initial data sits in the constructor (Voila drops edits made before display).
    assert len(w.fig.data) == N + 5
    assert measured(w, "x") == list(TABLE["p99_ms"])
    assert measured(w, "y") == list(TABLE["accuracy_pct"])
    assert [t.name for t in w.fig.data[1 : N + 1]] == list(TABLE["model"])
    assert list(w.fig.data[LADDER].x) == list(claimed_spectrum()["latency_ms"])
    assert list(w.fig.data[BUDGET].x) == [5.0, 5.0]
    layout = w.fig.layout
    assert layout.title.text
    assert "ms" in layout.xaxis.title.text and "ms" in layout.xaxis2.title.text
    assert "%" in layout.yaxis.title.text and "%" in layout.yaxis2.title.text
    assert layout.xaxis.type == "log"


def test_budget_slider_moves_the_pick_as_the_core_says(w):
    for budget in (0.2, 0.4, 1.0, 5.0, 100.0):
        w.budget.value = budget
        expected = pick_model(TABLE, budget, "p99_ms")
        assert w.budget_text.value == pytest.approx(budget, abs=0.01)
        assert list(w.fig.data[BUDGET].x) == pytest.approx([budget, budget], abs=0.01)
        if expected is None:
            assert "none fits" in w.pick.value and star(w, "measured") == ([], [])
        else:
            assert f"Pick: {expected}" in w.pick.value
            row = TABLE[TABLE["model"] == expected].iloc[0]
            assert star(w, "measured") == ([row["p99_ms"]], [row["accuracy_pct"]])


def test_label_explains_why(w):
    w.budget_text.value = 1.0
    assert "logistic regression" in w.pick.value
    assert "over budget: ensemble" in w.pick.value
    assert explain_pick(TABLE, 1.0).split(":")[0] in w.pick.value


def test_exact_boundary_fits(w):
    w.budget_text.value = 5.2
    assert "Pick: ensemble" in w.pick.value
    w.budget_text.value = 5.19
    assert "Pick: logistic regression" in w.pick.value


def test_percentile_toggle_switches_the_column(w):
    w.budget_text.value = 3.3
    assert "Pick: logistic regression" in w.pick.value  # ensemble's p99 is 5.2
    w.percentile.value = "p50_ms"
    assert "Pick: ensemble" in w.pick.value  # its p50 is 3.3
    assert measured(w, "x") == list(TABLE["p50_ms"])
    assert "p50" in w.fig.layout.xaxis.title.text


def test_claimed_panel_follows_the_budget(w):
    w.budget_text.value = 30
    assert "buys: neural network" in w.pick.value
    assert star(w, "claimed") == ([27.0], [93.0])
    w.budget_text.value = 0.5
    assert "buys: nothing" in w.pick.value and star(w, "claimed") == ([], [])


def test_typed_budget_syncs_the_slider(w):
    w.budget_text.value = 42
    assert w.budget.value == pytest.approx(42)
    w.budget_text.value = 1000  # beyond the slider: the slider stays, the pick still updates
    assert w.budget.value <= 200.01 and "Pick: ensemble" in w.pick.value


@pytest.mark.parametrize("bad", [0, -3])
def test_bad_budget_shows_in_the_message_line(w, bad):
    w.budget_text.value = bad
    assert "latency_budget_ms" in w.message.value and "alert" in w.message.value
    assert "Pick: —" in w.pick.value
    w.budget_text.value = 2
    assert w.message.value == "" and "Pick:" in w.pick.value and "—" not in w.pick.value


def test_bad_table_shows_in_the_message_line_not_a_traceback():
    bad = complexity_explorer(TABLE.drop(columns="p99_ms"))
    assert "latency_col" in bad.message.value
    assert all(list(t.x) == [] for t in bad.fig.data[1 : N + 1])
    bad.percentile.value = "p50_ms"  # the column it does have
    assert bad.message.value == "" and "Pick:" in bad.pick.value
    assert measured(bad, "y") == list(TABLE["accuracy_pct"])


def test_every_model_has_its_own_symbol_and_the_star_is_drawn_under_it(w):
    symbols = [t.marker.symbol for t in w.fig.data[1 : N + 1]]
    assert len(set(symbols)) == N
    assert w.fig.data[STAR].marker.symbol == "star"


def test_subplot_titles_are_short_enough_not_to_be_cut(w):
    # the right-hand title was cut at 1366 px; keep each within its panel
    titles = [a.text for a in w.fig.layout.annotations]
    assert len(titles) == 2 and all(len(t) <= 45 for t in titles)


def test_callback_median_under_20_ms(w):
    budgets = [0.3, 1, 3, 10, 30, 100]
    median = median_ms(lambda i: setattr(w.budget, "value", budgets[i % len(budgets)]), 36)
    assert median < 20, f"median callback {median:.1f} ms"
