"""mlsd.bandits: reference rules, the simulators, theory functions and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlsd import bandits as B

rates_lists = st.lists(
    st.floats(0, 1, allow_nan=False, allow_subnormal=False), min_size=1, max_size=8
)


# --- input validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"true_rates": []}, r"true_rates must list at least 1 arm; got an empty list \(0 arms\)"),
        ({"true_rates": [0.1, 1.5]}, r"true_rates\[1\] \(arm 1\) must be in \[0, 1\]; got 1\.5"),
        ({"true_rates": [-0.1]}, r"true_rates\[0\] \(arm 0\) must be in \[0, 1\]; got -0\.1"),
        ({"true_rates": [0.1, float("nan")]}, r"true_rates\[1\] .* finite number"),
        ({"true_rates": "0.1, 0.2"}, r"true_rates must be a list of numbers in \[0, 1\]"),
        ({"true_rates": 0.5}, r"true_rates must be a list of numbers"),
        ({"horizon": 0}, r"horizon must be a whole number in \[1, 1e\+06\]; got 0"),
        ({"horizon": 2.5}, r"horizon must be a whole number"),
        ({"runs": 0}, r"runs must be a whole number in \[1, 100000\]; got 0"),
        ({"seed": -1}, r"seed must be a whole number >= 0; got -1"),
        ({"epsilon": 1.2}, r"epsilon must be in \[0, 1\]; got 1\.2"),
        ({"epsilon": -0.01}, r"epsilon must be in \[0, 1\]; got -0\.01"),
        ({"confidence": -1}, r"confidence must be >= 0; got -1"),
        ({"points": 1}, r"points must be a whole number >= 2; got 1"),
    ],
)
def test_bad_input_names_the_argument_and_range(kwargs, pattern):
    args = {"true_rates": (0.1, 0.2), "horizon": 10, "runs": 3, "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        B.simulate_strategies(
            args.pop("true_rates"),
            B.STRATEGIES,
            args.pop("horizon"),
            args.pop("runs"),
            args.pop("seed"),
            **args,
        )


def test_generic_simulate_validates_too():
    with pytest.raises(ValueError, match="true_rates must list at least 1 arm"):
        B.simulate([], B.thompson, 10, 3)
    with pytest.raises(ValueError, match="horizon must be a whole number"):
        B.simulate([0.5], B.thompson, 0, 3)
    with pytest.raises(ValueError, match="runs must be a whole number"):
        B.simulate([0.5], B.thompson, 10, 0)
    with pytest.raises(ValueError, match="rule must be a function; got int"):
        B.simulate([0.5], 3, 10, 3)
    with pytest.raises(ValueError, match=r"epsilon must be in \[0, 1\]; got 2"):
        B.simulate([0.5, 0.4], B.epsilon_greedy, 10, 3, epsilon=2)
    with pytest.raises(ValueError, match="confidence must be >= 0; got -0.5"):
        B.simulate([0.5, 0.4], B.ucb1, 10, 3, confidence=-0.5)


def test_strategy_names_and_params_are_checked():
    with pytest.raises(ValueError, match="strategy must be one of 'epsilon_greedy', 'ucb1'"):
        B.simulate_strategy((0.1, 0.2), "greedy")
    with pytest.raises(ValueError, match="strategies must name at least one"):
        B.simulate_strategies((0.1, 0.2), ())
    with pytest.raises(ValueError, match="must not repeat"):
        B.simulate_strategies((0.1, 0.2), ("ucb1", "ucb1"))
    with pytest.raises(ValueError, match="thompson takes no parameters; got epsilon"):
        B.simulate_strategy((0.1, 0.2), "thompson", epsilon=0.1)
    with pytest.raises(ValueError, match="ucb1 takes confidence; got epsilon"):
        B.simulate_strategy((0.1, 0.2), "ucb1", epsilon=0.1)


@pytest.mark.parametrize(
    ("returned", "pattern"),
    [
        (None, "it returned None"),
        (np.zeros((3, 2), dtype=int), r"shape \(3,\), one arm per run; got shape \(3, 2\)"),
        (np.zeros(3), "integer arm indices; got dtype float64"),
        (np.array([0, 1, 2]), r"arm indices in \[0, 1\]; got 0 to 2"),
    ],
)
def test_generic_simulate_rejects_bad_picks(returned, pattern):
    def bad_rule(counts, sums, t, rng):
        return returned

    with pytest.raises(ValueError, match=f"bad_rule must return .*{pattern}"):
        B.simulate([0.5, 0.4], bad_rule, 5, 3)


def test_rules_get_read_only_state():
    def meddler(counts, sums, t, rng):
        counts[:] = 0
        return np.zeros(len(counts), dtype=int)

    with pytest.raises(ValueError, match="read-only"):
        B.simulate([0.5, 0.4], meddler, 5, 3)


@given(rates_lists)
def test_check_rates_accepts_every_rate_in_range(rates):
    assert B.check_rates(rates).tolist() == rates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.02, 0.035, 4.8%", (0.02, 0.035, 0.048)),
        (" 0.5 ;0.25 ", (0.5, 0.25)),
        ("1", (1.0,)),
    ],
)
def test_parse_rates(text, expected):
    assert B.parse_rates(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("", "at least 1 arm"),
        (" , ", "at least 1 arm"),
        ("0.1, abc", r"true_rates\[1\] \(arm 1\) must be a number in \[0, 1\]; got 'abc'"),
        ("0.1, 150%", r"true_rates\[1\] \(arm 1\) must be in \[0, 1\]; got 1\.5"),
    ],
)
def test_parse_rates_errors(text, pattern):
    with pytest.raises(ValueError, match=pattern):
        B.parse_rates(text)


# --- reference rules ----------------------------------------------------------------------


def state(runs=6, k=3, seed=0):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 10, size=(runs, k)).astype(float)
    return counts, np.floor(counts * rng.random((runs, k))), rng


@pytest.mark.parametrize("rule", [B.epsilon_greedy, B.ucb1, B.thompson])
@settings(max_examples=30, deadline=None)
@given(runs=st.integers(1, 20), k=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_reference_rules_return_one_valid_arm_per_run(rule, runs, k, seed):
    counts, sums, rng = state(runs, k, seed)
    arms = rule(counts, sums, int(counts.sum()) + 1, rng)
    assert arms.shape == (runs,)
    assert np.issubdtype(arms.dtype, np.integer)
    assert np.all((arms >= 0) & (arms < k))


def test_epsilon_zero_is_greedy_with_untried_arms_at_zero():
    counts = np.array([[0.0, 4, 2], [3, 0, 1]])
    sums = np.array([[0.0, 1, 2], [0, 0, 0]])  # averages [0, .25, 1] and [0, 0, 0]
    arms = B.epsilon_greedy(counts, sums, 7, np.random.default_rng(0), epsilon=0.0)
    assert arms.tolist() == [2, 0]  # ties go to the lowest index


def test_epsilon_one_is_uniform():
    counts, sums = np.ones((30000, 4)), np.zeros((30000, 4))
    sums[:, 2] = 1
    arms = B.epsilon_greedy(counts, sums, 5, np.random.default_rng(1), epsilon=1.0)
    assert np.bincount(arms, minlength=4) / 30000 == pytest.approx([0.25] * 4, abs=0.015)


def test_ucb1_tries_untried_arms_first_then_follows_its_scores():
    counts = np.array([[1.0, 0, 5], [10, 10, 10], [100, 1, 100]])
    sums = np.array([[1.0, 0, 5], [9, 5, 1], [90, 0, 89]])
    arms = B.ucb1(counts, sums, 120, np.random.default_rng(0))
    # row 2: arm 1's bonus sqrt(2 ln 120 / 1) = 3.1 beats 0.9 + sqrt(2 ln 120 / 100) = 1.21
    assert arms.tolist() == [1, 0, 1]
    assert B.ucb1(counts, sums, 120, None, confidence=0.0).tolist() == [1, 0, 0]


def test_thompson_samples_the_beta_posterior():
    counts = np.tile([5.0, 2, 14], (40000, 1))
    sums = np.tile([4.0, 1, 11], (40000, 1))
    arms = B.thompson(counts, sums, 22, np.random.default_rng(3))
    expected = B.thompson_pick_probabilities([5, 2, 14], [4, 1, 11])
    assert np.bincount(arms, minlength=3) / 40000 == pytest.approx(expected, abs=0.012)


# --- theory ------------------------------------------------------------------------------


def test_bernoulli_kl_hand_values():
    # KL(0.5 || 0.25) = 0.5 ln 2 + 0.5 ln(2/3)
    assert B.bernoulli_kl(0.5, 0.25) == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3))
    assert B.bernoulli_kl(0.3, 0.3) == 0
    assert B.bernoulli_kl(0.0, 0.5) == pytest.approx(math.log(2))
    assert B.bernoulli_kl(1.0, 0.5) == pytest.approx(math.log(2))
    assert B.bernoulli_kl(0.5, 1.0) == math.inf


@given(st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_bernoulli_kl_is_non_negative(p, q):
    assert B.bernoulli_kl(p, q) >= -1e-12


def test_lai_robbins_constant_hand_computed():
    # two arms 0.5 and 0.25: gap 0.25 / KL(0.25 || 0.5)
    kl = 0.25 * math.log(0.5) + 0.75 * math.log(1.5)
    assert B.lai_robbins_constant([0.5, 0.25]) == pytest.approx(0.25 / kl)
    assert 0.25 / kl == pytest.approx(1.9111, abs=1e-4)
    # three arms: the two worse ones add up; a tie for best adds nothing
    kl_02 = 0.2 * math.log(0.2 / 0.6) + 0.8 * math.log(0.8 / 0.4)
    kl_05 = 0.5 * math.log(0.5 / 0.6) + 0.5 * math.log(0.5 / 0.4)
    assert B.lai_robbins_constant([0.2, 0.6, 0.5, 0.6]) == pytest.approx(0.4 / kl_02 + 0.1 / kl_05)
    assert B.lai_robbins_constant([0.3, 0.3]) == 0
    assert B.lai_robbins_constant([0.7, 1.0]) == 0  # one failure rules an arm out


def test_ucb1_bound_hand_computed():
    # gaps 0.25 and 0.5 at t = 100: 8 ln 100 (1/0.25 + 1/0.5) + (1 + pi^2/3)(0.75)
    expected = 8 * math.log(100) * 6 + (1 + math.pi**2 / 3) * 0.75
    assert B.ucb1_regret_bound([0.75, 0.5, 0.25], 100) == pytest.approx(expected)
    assert expected == pytest.approx(224.27, abs=0.01)
    assert B.ucb1_regret_bound([0.75, 0.5, 0.25], [1, 100]).tolist() == pytest.approx(
        [(1 + math.pi**2 / 3) * 0.75, expected]
    )
    with pytest.raises(ValueError, match="t must be a number >= 1"):
        B.ucb1_regret_bound([0.5, 0.2], 0)


def test_thompson_pick_probabilities_hand_values():
    # two untried arms: a fair coin; Beta(2, 1) vs Beta(1, 1): P = 2/3
    assert B.thompson_pick_probabilities([0, 0], [0, 0]) == pytest.approx([0.5, 0.5])
    assert B.thompson_pick_probabilities([1, 0], [1, 0]) == pytest.approx([2 / 3, 1 / 3])
    with pytest.raises(ValueError, match="successes must lie in"):
        B.thompson_pick_probabilities([1, 2], [2, 0])


# --- simulators --------------------------------------------------------------------------


def test_simulate_records_consistent_results():
    result = B.simulate((0.2, 0.6, 0.4), B.epsilon_greedy, 300, 20, 1, points=50, epsilon=0.1)
    assert result.strategy == "epsilon_greedy"
    assert result.horizon == 300 and result.runs == 20
    assert result.steps[0] == 1 and result.steps[-1] == 300 and len(result.steps) == 50
    assert result.pulls.sum(axis=1).tolist() == [300] * 20
    gaps = 0.6 - np.array([0.2, 0.6, 0.4])
    assert result.final_regret == pytest.approx(result.pulls @ gaps)
    assert np.all(np.diff(result.regret, axis=0) >= 0)  # cumulative regret never falls
    assert np.all(result.low <= result.high)
    assert np.all(result.regret.min(axis=1) <= result.mean_regret + 1e-9)
    assert np.all(result.mean_regret <= result.regret.max(axis=1) + 1e-9)
    assert result.pull_shares.sum() == pytest.approx(1)
    assert result.mean_regret_at(300) == pytest.approx(result.mean_regret[-1])


def test_every_step_recorded_when_points_is_none():
    result = B.simulate((0.5, 0.4), B.ucb1, 40, 5, 0, points=None)
    assert result.steps.tolist() == list(range(1, 41))


def test_simulate_is_reproducible_and_seeded():
    a = B.simulate((0.3, 0.5), B.thompson, 200, 10, 7)
    b = B.simulate((0.3, 0.5), B.thompson, 200, 10, 7)
    c = B.simulate((0.3, 0.5), B.thompson, 200, 10, 8)
    assert np.array_equal(a.regret, b.regret)
    assert not np.array_equal(a.regret, c.regret)


def test_single_arm_and_ties_have_no_regret():
    assert B.simulate((0.4,), B.ucb1, 50, 3, 0).final_regret.tolist() == [0, 0, 0]
    fast = B.simulate_strategies((0.4, 0.4), B.STRATEGIES, 50, 3, 0)
    assert all(r.final_regret.max() == 0 for r in fast.values())


def test_fast_path_results_do_not_depend_on_the_company():
    # 3,000 steps of 100 runs span several blocks of random numbers
    together = B.simulate_strategies((0.2, 0.5, 0.3), B.STRATEGIES, 3000, 100, 5)
    for name in B.STRATEGIES:
        alone = B.simulate_strategy((0.2, 0.5, 0.3), name, 3000, 100, 5)
        assert np.array_equal(alone.regret, together[name].regret)


def test_ucb1_fast_path_tries_every_arm_first():
    result = B.simulate_strategy((0.9, 0.8, 0.95, 0.85), "ucb1", 4, 30, 0, points=None)
    assert result.pulls.tolist() == [[1, 1, 1, 1]] * 30


def test_epsilon_zero_fast_path_locks_on_the_first_arm():
    result = B.simulate_strategy((0.3, 0.7), "epsilon_greedy", 200, 50, 0, epsilon=0.0)
    assert result.pulls[:, 0].tolist() == [200] * 50


@pytest.mark.parametrize(
    ("strategy", "params", "rates"),
    [
        ("epsilon_greedy", {"epsilon": 0.1}, (0.021, 0.034, 0.048, 0.029, 0.041)),
        ("epsilon_greedy", {"epsilon": 0.3}, (0.2, 0.25, 0.6, 0.3, 0.22)),
        ("ucb1", {"confidence": 2.0}, (0.2, 0.25, 0.6, 0.3, 0.22)),
        ("ucb1", {"confidence": 0.5}, (0.30, 0.35, 0.40)),
        ("thompson", {}, (0.021, 0.034, 0.048, 0.029, 0.041)),
        ("thompson", {}, (0.30, 0.35, 0.40, 0.33, 0.37)),
    ],
)
def test_fast_paths_agree_statistically_with_the_generic_simulator(strategy, params, rates):
    """Same mean regret within sampling error, same pull shares within a few points."""
    horizon, runs = 600, 400
    fast = B.simulate_strategy(rates, strategy, horizon, runs, 11, **params)
    slow = B.simulate(rates, B.REFERENCE_RULES[strategy], horizon, runs, 12, **params)
    se = math.hypot(
        fast.final_regret.std() / math.sqrt(runs), slow.final_regret.std() / math.sqrt(runs)
    )
    difference = fast.final_regret.mean() - slow.final_regret.mean()
    assert abs(difference) < 4.5 * se + 0.02 * slow.final_regret.mean(), (difference, se)
    assert fast.pull_shares == pytest.approx(slow.pull_shares, abs=0.04)


def test_fast_thompson_picks_follow_exact_probabilities():
    """The block Marsaglia-Tsang sampler gives Thompson's exact pick probabilities."""
    rng = np.random.default_rng(4)
    for counts, successes in (((0, 6, 3, 12), (0, 4, 0, 6)), ((5, 2, 14), (4, 1, 11))):
        runs = 30000
        counts32 = np.tile(np.asarray(counts, np.float32), (runs, 1))
        sums32 = np.tile(np.asarray(successes, np.float32), (runs, 1))
        arms = np.zeros(runs, dtype=np.intp)
        player = B._Thompson(counts32, sums32, arms, rng)
        shares = []
        with np.errstate(divide="ignore", invalid="ignore"):
            block = player.draw_block(0, 3)
            for i in range(3):
                player.choose(100, i, block)
                shares.append(np.bincount(arms, minlength=len(counts)) / runs)
        expected = B.thompson_pick_probabilities(counts, successes)
        assert np.mean(shares, axis=0) == pytest.approx(expected, abs=0.008)


@pytest.mark.parametrize("seed", [0, 1])
def test_fast_thompson_beta_samples_match_scipy(seed):
    """Every Beta sample of the block Marsaglia-Tsang sampler, rejections redrawn, is exact.

    The pairs include shape 1 (Marsaglia-Tsang rejects about 5 % there, so the redraws
    matter) and large shapes; 80,000 samples per pair, a KS test per pair. Checked to fail
    without the redraws, with redraws of the wrong shape (d), or accepting every v > 0.
    """
    from scipy import stats

    pairs = [(1, 1), (1, 40), (3, 17), (12, 2), (60, 940)]  # (1 + successes, 1 + failures)
    a, b = np.array(pairs, dtype=np.float32).T
    runs, steps = 20000, 4
    counts = np.tile(a + b - 2, (runs, 1))
    sums = np.tile(a - 1, (runs, 1))
    player = B._Thompson(counts, sums, np.zeros(runs, dtype=np.intp), np.random.default_rng(seed))
    samples = []
    with np.errstate(divide="ignore", invalid="ignore"):
        block = player.draw_block(0, steps)
        for i in range(steps):
            player.choose(100, i, block)
            ratio = player.ratio.astype(float)  # G_a / G_b = X / (1 - X)
            samples.append(ratio / (1 + ratio))
    samples = np.concatenate(samples)
    for k, (a_k, b_k) in enumerate(pairs):
        result = stats.kstest(samples[:, k], stats.beta(a_k, b_k).cdf)
        assert result.pvalue > 1e-3, (a_k, b_k, result)


def test_fast_uniforms_are_uniform_on_the_float32_grid():
    from scipy import stats

    out = np.empty(100_001, dtype=np.float32)  # odd: the last raw word is only half used
    B._uniforms(np.random.default_rng(5), out)
    assert out.min() >= 0 and out.max() < 1
    assert np.all(out * 2**24 == np.round(out * 2**24))  # multiples of 2**-24
    assert stats.kstest(out, "uniform").pvalue > 1e-3


def test_regret_grows_like_log_t_for_ucb1_and_thompson_but_not_epsilon_greedy():
    rates = (0.2, 0.25, 0.6, 0.3, 0.22)
    results = B.simulate_strategies(rates, B.STRATEGIES, 4000, 200, 2, points=None)
    growth = {
        name: (r.mean_regret[-1] - r.mean_regret[1999]) / r.mean_regret[1999]
        for name, r in results.items()
    }
    assert growth["thompson"] < 0.2 and growth["ucb1"] < 0.4
    assert growth["epsilon_greedy"] > 0.3
    bound = B.ucb1_regret_bound(rates, results["ucb1"].steps)
    assert np.all(results["ucb1"].mean_regret < bound)


def test_presets_are_valid_and_named():
    assert len(B.PRESETS) >= 3
    for preset in B.PRESETS:
        rates = B.check_rates(preset.rates)
        assert preset.name in B.PRESET_BY_NAME and preset.story
        assert np.argmax(rates) != 0  # the best arm is not where greedy rules start
    ads = B.PRESET_BY_NAME["Ad creatives (click-through rates 2-5 %)"].rates
    assert all(0.02 <= r <= 0.05 for r in ads)


@settings(max_examples=15, deadline=None)
@given(
    rates=st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=6),
    horizon=st.integers(1, 60),
    runs=st.integers(1, 12),
    seed=st.integers(0, 1000),
)
def test_fast_path_invariants(rates, horizon, runs, seed):
    results = B.simulate_strategies(rates, B.STRATEGIES, horizon, runs, seed, points=10)
    gaps = max(rates) - np.asarray(rates)
    for result in results.values():
        assert result.pulls.sum(axis=1).tolist() == [horizon] * runs
        assert result.final_regret == pytest.approx(result.pulls @ gaps, abs=1e-4)
        assert result.steps[-1] == horizon
        assert np.all(result.final_regret <= horizon * gaps.max() * (1 + 1e-5))  # float32
