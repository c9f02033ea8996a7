"""The bandit explorer, driven from Python with no browser."""

from __future__ import annotations

import html

import numpy as np
import plotly.colors
import pytest

from mlsd import bandits as B
from mlsd.timing import median_ms
from mlsd.widgets.bandits import (
    AUER,
    COLOURS,
    CUSTOM,
    LAI_ROBBINS,
    RANDOM,
    BanditExplorer,
    bandit_explorer,
)

MEAN = {name: 3 * j + 2 for j, name in enumerate(B.STRATEGIES)}  # index of each mean trace
BAND_LOW = {name: 3 * j + 1 for j, name in enumerate(B.STRATEGIES)}
SHARES = {name: j for j, name in enumerate(B.STRATEGIES)}
INCREMENTAL_BUDGET_MS = 100.0  # one knob moved: only that strategy is re-simulated
COLD_LIMIT_MS = 400.0  # all three re-simulated; bench/bench_bandits.py reports the median


@pytest.fixture(scope="module")
def shared() -> BanditExplorer:
    return bandit_explorer()


@pytest.fixture
def w() -> BanditExplorer:
    return bandit_explorer(horizon=500, runs=60)


def mean_y(w, name) -> np.ndarray:
    return np.asarray(w.regret_fig.data[MEAN[name]].y, dtype=float)


def message(w) -> str:
    return html.unescape(w.message.value)


# --- first paint ------------------------------------------------------------------------


def test_defaults(shared):
    w = shared
    assert w.preset.value == B.PRESETS[0].name
    assert len(B.parse_rates(w.rates.value)) == 5
    assert (w.epsilon.value, w.confidence.value) == (0.1, 2.0)
    assert (w.horizon.value, w.runs.value) == (2000, 200)
    assert w.strategies.value == B.STRATEGIES
    assert "error" not in w.message.value and "alert" not in w.message.value


def test_first_paint_is_in_the_constructor(shared):
    w = shared
    for name in B.STRATEGIES:
        y = mean_y(w, name)
        assert len(y) == 200 and y[-1] > 0
        assert w.regret_fig.data[MEAN[name]].x[-1] == 2000
        assert len(w.shares_fig.data[SHARES[name]].y) == 5
    assert "Mean cumulative regret" in w.regret_fig.layout.title.text
    assert "step t" in w.regret_fig.layout.xaxis.title.text
    assert w.regret_fig.layout.yaxis.title.text == "regret (rewards lost)"
    assert "(%)" in w.shares_fig.layout.yaxis.title.text
    assert "Share of pulls" in w.shares_fig.layout.title.text
    assert "<table" in w.summary.value and "Thompson sampling" in w.summary.value


def test_colours_come_from_the_colour_blind_safe_palette(shared):
    safe = set(plotly.colors.qualitative.Safe)
    assert set(COLOURS.values()) <= safe and len(set(COLOURS.values())) == 3
    for name in B.STRATEGIES:
        assert shared.regret_fig.data[MEAN[name]].line.color == COLOURS[name]
        assert shared.shares_fig.data[SHARES[name]].marker.color == COLOURS[name]


def test_controls_carry_css_classes(shared):
    w = shared
    for control, css in [
        (w.preset, "mlsd-bandit-preset"),
        (w.rates, "mlsd-bandit-rates"),
        (w.epsilon, "mlsd-bandit-epsilon"),
        (w.confidence, "mlsd-bandit-confidence"),
        (w.horizon, "mlsd-bandit-horizon"),
        (w.runs, "mlsd-bandit-runs"),
        (w.strategies, "mlsd-bandit-strategies"),
        (w.seed, "mlsd-bandit-seed"),
        (w.message.widget, "mlsd-bandit-message"),
    ]:
        assert css in control._dom_classes
    assert w.regret_fig in w.container.children and w.shares_fig in w.container.children


def test_theory_curves_match_the_core_functions_inside_the_chart(shared):
    w = shared
    rates = np.asarray(B.parse_rates(w.rates.value))
    top = w.regret_fig.layout.yaxis.range[1]
    x = np.asarray(w.regret_fig.data[LAI_ROBBINS].x, dtype=float)
    for index, core in (
        (LAI_ROBBINS, B.lai_robbins_constant(rates) * np.log(x)),
        (AUER, B.ucb1_regret_bound(rates, x)),
        (RANDOM, x * (rates.max() - rates).mean()),
    ):
        drawn = np.asarray(w.regret_fig.data[index].y, dtype=float)  # None -> nan
        inside = core <= top
        assert drawn[inside] == pytest.approx(core[inside])
        # above the chart a curve is left out, not drawn as a line leaving the axes
        assert np.isnan(drawn[~inside]).all()


def test_no_theory_curve_leaves_the_chart_near_t_0():
    # Ad creatives: C ln t passes the top of the chart within a few steps; drawn whole it
    # showed as a vertical dashed line at t ~ 0.
    w = bandit_explorer(horizon=500, runs=20)
    top = w.regret_fig.layout.yaxis.range[1]
    for index in (LAI_ROBBINS, AUER, RANDOM):
        drawn = np.asarray(w.regret_fig.data[index].y, dtype=float)
        assert not (drawn[~np.isnan(drawn)] > top).any()


def test_first_paint_matches_the_core_simulation(shared):
    w = shared
    expected = B.simulate_strategies(B.parse_rates(w.rates.value), B.STRATEGIES, 2000, 200, 0)
    for name, result in expected.items():
        assert mean_y(w, name) == pytest.approx(result.mean_regret)
        assert np.asarray(w.shares_fig.data[SHARES[name]].y) == pytest.approx(
            100 * result.pull_shares
        )


# --- controls drive the outputs ---------------------------------------------------------


def test_epsilon_changes_only_epsilon_greedy(w):
    before = {name: mean_y(w, name) for name in B.STRATEGIES}
    w.epsilon.value = 0.3
    assert not np.allclose(mean_y(w, "epsilon_greedy"), before["epsilon_greedy"])
    for name in ("ucb1", "thompson"):
        assert np.array_equal(mean_y(w, name), before[name])
    assert "error" not in w.message.value


def test_more_exploration_costs_more_regret_on_a_clear_winner(w):
    w.preset.value = "One clear winner"
    w.epsilon.value = 0.05
    low = mean_y(w, "epsilon_greedy")[-1]
    w.epsilon.value = 0.5
    assert mean_y(w, "epsilon_greedy")[-1] > low


def test_confidence_changes_only_ucb1(w):
    before = {name: mean_y(w, name) for name in B.STRATEGIES}
    w.confidence.value = 0.5
    assert not np.allclose(mean_y(w, "ucb1"), before["ucb1"])
    for name in ("epsilon_greedy", "thompson"):
        assert np.array_equal(mean_y(w, name), before[name])


def test_preset_fills_the_rates_and_redraws(w):
    before = mean_y(w, "thompson")
    w.preset.value = "Close race"
    assert B.parse_rates(w.rates.value) == B.PRESET_BY_NAME["Close race"].rates
    assert not np.allclose(mean_y(w, "thompson"), before)
    labels = list(w.shares_fig.data[0].x)
    assert len(labels) == 5 and "★" in labels[2] and "p = 0.4" in labels[2]


def test_typed_rates_switch_to_custom_and_change_the_arms(w):
    w.rates.value = "0.1, 0.9"
    assert w.preset.value == CUSTOM
    assert len(w.shares_fig.data[0].x) == 2
    assert "★" in w.shares_fig.data[0].x[1]
    assert w.message.value == "" or "alert" not in w.message.value
    w.preset.value = "One clear winner"  # back to a preset: rates follow
    assert B.parse_rates(w.rates.value) == B.PRESET_BY_NAME["One clear winner"].rates


def test_percent_rates_are_accepted(w):
    w.rates.value = "2.1%, 4.8%, 3%"
    assert "alert" not in w.message.value
    assert "p = 0.048" in w.shares_fig.data[0].x[1]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0.1, 1.5", "true_rates[1] (arm 1) must be in [0, 1]; got 1.5"),
        ("0.1, -0.2", "true_rates[1] (arm 1) must be in [0, 1]; got -0.2"),
        ("", "true_rates must list at least 1 arm"),
        ("0.1, lots", "true_rates[1] (arm 1) must be a number in [0, 1]; got 'lots'"),
    ],
)
def test_bad_rates_show_in_the_message_line_and_keep_the_plot(w, typed, expected):
    before = mean_y(w, "thompson")
    w.rates.value = typed  # must not raise
    assert expected in message(w)
    assert 'role="alert"' in w.message.value
    assert np.array_equal(mean_y(w, "thompson"), before)
    w.rates.value = "0.2, 0.4, 0.3"
    assert "alert" not in w.message.value
    assert len(w.shares_fig.data[0].x) == 3


def test_no_strategy_selected_is_an_error_not_a_crash(w):
    w.strategies.value = ()
    assert "select at least one strategy" in message(w)
    w.strategies.value = ("thompson",)
    assert "alert" not in w.message.value
    assert len(mean_y(w, "thompson")) > 0
    assert len(w.regret_fig.data[MEAN["ucb1"]].y) == 0  # hidden strategies draw nothing
    assert len(w.shares_fig.data[SHARES["ucb1"]].y) == 0
    assert "<td>UCB1</td>" not in w.summary.value


def test_horizon_runs_and_seed_redraw(w):
    w.horizon.value = 800
    assert w.regret_fig.data[MEAN["ucb1"]].x[-1] == 800
    assert "After 800 pulls" in w.summary.value
    w.runs.value = 40
    assert "40 runs" in w.summary.value
    before = mean_y(w, "thompson")
    w.seed.value = 5
    assert not np.array_equal(mean_y(w, "thompson"), before)


def test_band_surrounds_the_mean(w):
    for name in B.STRATEGIES:
        low = np.asarray(w.regret_fig.data[BAND_LOW[name]].y, dtype=float)
        high = np.asarray(w.regret_fig.data[BAND_LOW[name] - 1].y, dtype=float)
        assert np.all(low <= high)
        assert w.regret_fig.data[BAND_LOW[name]].fill == "tonexty"


def test_y_range_fits_the_strategies(w):
    top = max(
        np.max(np.asarray(w.regret_fig.data[BAND_LOW[n] - 1].y, dtype=float)) for n in B.STRATEGIES
    )
    low, high = w.regret_fig.layout.yaxis.range
    assert low == 0 and top <= high <= 1.2 * top


def test_off_chart_theory_is_explained(w):
    w.preset.value = B.PRESETS[0].name  # tiny gaps: the bounds are far above the data
    assert "UCB1's bound" in message(w) and "above the chart" in message(w)


def test_bad_initial_rates_still_build():
    w = bandit_explorer(preset=CUSTOM)
    assert "alert" not in w.message.value  # the custom default rates are valid
    assert len(w.shares_fig.data[0].x) == 2


# --- timings ------------------------------------------------------------------------------


def test_callback_and_redraw_timings():
    w = bandit_explorer()  # the defaults: 3 strategies x 200 runs x 2,000 steps

    def move_epsilon(v):
        w.epsilon.value = v

    def move_confidence(v):
        w.confidence.value = v

    def cold_redraw(_):
        w.clear_cache()
        w.redraw()

    results = {
        "epsilon move": median_ms(move_epsilon, [0.05, 0.08, 0.12, 0.15, 0.2]),
        "confidence move": median_ms(move_confidence, [1.0, 1.5, 2.5, 3.0, 3.5]),
        "strategy toggle (cached)": median_ms(
            lambda i: setattr(w.strategies, "value", B.STRATEGIES[: 1 + i % 3]), range(6)
        ),
        "cold redraw, 3 strategies": median_ms(cold_redraw, range(3)),
    }
    print("bandit explorer medians (ms):", {k: round(v, 1) for k, v in results.items()})
    for name in ("epsilon move", "confidence move", "strategy toggle (cached)"):
        assert results[name] < INCREMENTAL_BUDGET_MS, f"{name}: median {results[name]:.0f} ms"
    assert results["cold redraw, 3 strategies"] < COLD_LIMIT_MS


# --- the learner's own rules --------------------------------------------------------------


def test_compare_rules_plots_each_rule_and_names_the_broken_ones():
    from mlsd.widgets.bandits import compare_rules

    def stub(counts, sums, t, rng):
        raise NotImplementedError

    def crashes(counts, sums, t, rng):
        return rng.beta(sums, counts - sums).argmax(axis=1)  # Beta(0, 0) on untried arms

    box = compare_rules(
        {"library Thompson": B.thompson, "stub": stub, "crashes": crashes},
        true_rates=(0.2, 0.6),
        horizon=200,
        runs=20,
    )
    line, fig = box.children
    text = html.unescape(line.value)
    assert "stub: not written yet" in text
    assert "crashes: ValueError" in text
    assert [trace.name for trace in fig.data][-1] == "library Thompson: mean"
    assert fig.data[-1].y[-1] == pytest.approx(
        B.simulate((0.2, 0.6), B.thompson, 200, 20, 0, points=100).mean_regret[-1]
    )
    clean = compare_rules({"ucb1": B.ucb1}, horizon=100, runs=5)
    assert clean.children[0].value == ""


def test_thompson_in_the_helper_process_gives_the_same_results(monkeypatch):
    """The explorer sends Thompson sampling to a second process when one is ready; the
    results must not depend on where it ran (each strategy has its own random stream)."""
    import os

    from mlsd import background

    background.start()
    assert background._ready.wait(120), "the helper process did not start"
    assert background.submit(os.getpid).result(timeout=60) != os.getpid()
    sent = []
    real_submit = background.submit
    monkeypatch.setattr(
        background, "submit", lambda f, *a, **k: sent.append(a) or real_submit(f, *a, **k)
    )
    explorer = bandit_explorer(horizon=300, runs=20, seed=3)
    explorer.clear_cache()
    sent.clear()
    rates, via_helper = explorer._compute()
    assert [args[-1] for args in sent] == [["thompson"]]
    here = B.simulate_strategies(
        rates,
        B.STRATEGIES,
        300,
        20,
        3,
        epsilon=explorer.epsilon.value,
        confidence=explorer.confidence.value,
    )
    for name in B.STRATEGIES:
        np.testing.assert_array_equal(via_helper[name].regret, here[name].regret)
        np.testing.assert_array_equal(via_helper[name].pulls, here[name].pulls)
