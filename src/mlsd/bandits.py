"""Exploration vs exploitation (guide section 6.5): a Bernoulli K-armed bandit simulator.

Every arm pays 1 with its own fixed probability (its *true rate*, e.g. a creative's
click-through rate) and 0 otherwise. A *selection rule* decides which arm each run pulls
next, from what it has seen so far::

    select(counts, sums, t, rng, **params) -> arms

``counts`` and ``sums`` are float arrays of shape (runs, K): pulls and total reward of every
arm in every run so far. ``t`` is the 1-based step about to be played and ``rng`` a numpy
Generator; the rule returns an integer array of shape (runs,), one arm per run. Rows are
independent experiments, so a rule handles many of them in one vectorised call.

Regret is *pseudo-regret*: the sum, over the pulls made, of the gap between the best true
rate and the pulled arm's true rate. It measures the choices, not the luck of the coin flips.

Two ways to simulate:

* ``simulate(true_rates, rule, ...)`` plays any rule (a learner's, say) step by step;
* ``simulate_strategies(true_rates, names, ...)`` plays the three reference strategies with
  faster built-in code that gives the same results in distribution (used by the widget).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mlsd.validation import require_choice, require_int, require_number

STRATEGIES = ("epsilon_greedy", "ucb1", "thompson")
STRATEGY_LABELS = {
    "epsilon_greedy": "ε-greedy",
    "ucb1": "UCB1",
    "thompson": "Thompson sampling",
}
DEFAULT_EPSILON = 0.1
DEFAULT_CONFIDENCE = 2.0
BAND_PERCENTILES = (10, 90)  # the band drawn around the mean: 80 % of runs fall inside
MAX_ARMS = 50
MAX_HORIZON = 1_000_000
MAX_RUNS = 100_000

Rule = Callable[..., np.ndarray]


# --- presets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    """A named set of true rates with the story behind it."""

    name: str
    rates: tuple[float, ...]
    story: str


PRESETS = (
    Preset(
        "Ad creatives (click-through rates 2-5 %)",
        (0.021, 0.034, 0.048, 0.029, 0.041),
        "five banner creatives with realistic click-through rates: clicks are rare, so "
        "telling 4.1 % from 4.8 % takes thousands of impressions",
    ),
    Preset(
        "Close race",
        (0.30, 0.35, 0.40, 0.33, 0.37),
        "five page layouts whose conversion rates differ by a few points",
    ),
    Preset(
        "One clear winner",
        (0.20, 0.25, 0.60, 0.30, 0.22),
        "one variant is far better than the rest: every strategy should find it fast",
    ),
)
PRESET_BY_NAME = {p.name: p for p in PRESETS}


# --- input checks -------------------------------------------------------------------------


def check_rates(true_rates) -> np.ndarray:
    """Return ``true_rates`` as a float array, or raise ValueError naming the bad value."""
    if isinstance(true_rates, str | bytes):
        raise ValueError(f"true_rates must be a list of numbers in [0, 1]; got {true_rates!r}.")
    try:
        values = list(true_rates)
    except TypeError:
        raise ValueError(
            f"true_rates must be a list of numbers in [0, 1]; got {true_rates!r}."
        ) from None
    if not values:
        raise ValueError("true_rates must list at least 1 arm; got an empty list (0 arms).")
    if len(values) > MAX_ARMS:
        raise ValueError(f"true_rates must list at most {MAX_ARMS} arms; got {len(values)}.")
    for i, value in enumerate(values):
        if isinstance(value, np.generic):
            value = value.item()
        require_number(f"true_rates[{i}] (arm {i})", value, 0.0, 1.0)
    return np.asarray(values, dtype=float)


def _check_run_size(horizon, runs, seed) -> tuple[int, int, int]:
    return (
        require_int("horizon", horizon, 1, MAX_HORIZON),
        require_int("runs", runs, 1, MAX_RUNS),
        require_int("seed", seed, 0),
    )


def _check_points(points, horizon: int) -> np.ndarray:
    """The 1-based steps at which regret is recorded: every step, or ``points`` evenly spread."""
    if points is None:
        return np.arange(1, horizon + 1)
    points = require_int("points", points, 2)
    if points >= horizon:
        return np.arange(1, horizon + 1)
    return np.unique(np.linspace(1, horizon, points).round().astype(int))


def check_epsilon(epsilon) -> float:
    return require_number("epsilon", epsilon, 0.0, 1.0)


def check_confidence(confidence) -> float:
    return require_number("confidence", confidence, 0.0)


# --- the three reference selection rules ---------------------------------------------------


def epsilon_greedy(counts, sums, t, rng, epsilon=DEFAULT_EPSILON):
    """With probability ``epsilon`` a uniformly random arm, otherwise the best average so far.

    An arm never pulled counts as average 0; ties go to the lowest arm index.
    """
    epsilon = check_epsilon(epsilon)
    runs, k = counts.shape
    averages = sums / np.maximum(counts, 1)
    greedy = np.argmax(averages, axis=1)
    explore = rng.random(runs) < epsilon
    return np.where(explore, rng.integers(0, k, size=runs), greedy)


def ucb1(counts, sums, t, rng, confidence=DEFAULT_CONFIDENCE):
    """Every arm once, then the highest ``average + sqrt(confidence * ln t / pulls)``.

    With ``confidence = 2`` this is UCB1 of Auer, Cesa-Bianchi and Fischer (2002).
    """
    confidence = check_confidence(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = sums / counts + np.sqrt(confidence * math.log(t) / counts)
    scores[counts == 0] = np.inf  # untried arms first, lowest index first
    return np.argmax(scores, axis=1)


def thompson(counts, sums, t, rng):
    """Sample a plausible rate for every arm from its Beta posterior; pull the highest.

    The prior is uniform, Beta(1, 1), so after s successes and f failures the posterior
    is Beta(1 + s, 1 + f).
    """
    samples = rng.beta(1 + sums, 1 + counts - sums)
    return np.argmax(samples, axis=1)


REFERENCE_RULES: dict[str, Rule] = {
    "epsilon_greedy": epsilon_greedy,
    "ucb1": ucb1,
    "thompson": thompson,
}


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BanditRun:
    """What one strategy did over ``runs`` independent experiments of ``horizon`` pulls.

    ``regret[i, r]`` is the cumulative pseudo-regret of run ``r`` after ``steps[i]`` pulls.
    ``mean_regret`` is its mean over runs; ``low`` and ``high`` are its 10th and 90th
    percentiles over runs (the band: 80 % of the runs lie between them). ``pulls[r, k]``
    counts the pulls of arm ``k`` in run ``r`` over the whole horizon.
    """

    strategy: str
    true_rates: np.ndarray
    params: Mapping[str, float]
    steps: np.ndarray
    regret: np.ndarray
    pulls: np.ndarray
    mean_regret: np.ndarray = field(init=False)
    low: np.ndarray = field(init=False)
    high: np.ndarray = field(init=False)

    def __post_init__(self):
        low, high = np.percentile(self.regret, BAND_PERCENTILES, axis=1)
        object.__setattr__(self, "mean_regret", self.regret.mean(axis=1))
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def label(self) -> str:
        return STRATEGY_LABELS.get(self.strategy, self.strategy)

    @property
    def horizon(self) -> int:
        return int(self.steps[-1])

    @property
    def runs(self) -> int:
        return self.regret.shape[1]

    @property
    def final_regret(self) -> np.ndarray:
        """Cumulative pseudo-regret of every run at the horizon, shape (runs,)."""
        return self.regret[-1]

    @property
    def pull_shares(self) -> np.ndarray:
        """Fraction of all pulls that went to each arm, averaged over runs, shape (K,)."""
        return self.pulls.mean(axis=0) / self.horizon

    @property
    def best_arm_share(self) -> np.ndarray:
        """Fraction of each run's pulls that went to a best arm, shape (runs,)."""
        best = self.true_rates == self.true_rates.max()
        return self.pulls[:, best].sum(axis=1) / self.horizon

    def mean_regret_at(self, t: float) -> float:
        """Mean cumulative regret after ``t`` pulls (interpolated between recorded steps)."""
        return float(np.interp(t, np.r_[0, self.steps], np.r_[0.0, self.mean_regret]))


# --- the generic simulator (any rule) ---------------------------------------------------------


def validated_arms(arms, runs: int, k: int, name: str = "rule") -> np.ndarray:
    """Return the arms a rule chose as an int array, or raise ValueError saying what is wrong."""
    if arms is None:
        raise ValueError(f"{name} must return an array of {runs} arm indices; it returned None.")
    arms = np.asarray(arms)
    if arms.shape != (runs,):
        raise ValueError(
            f"{name} must return an array of shape ({runs},), one arm per run; "
            f"got shape {arms.shape}."
        )
    if not np.issubdtype(arms.dtype, np.integer):
        raise ValueError(f"{name} must return integer arm indices; got dtype {arms.dtype}.")
    if arms.size and (arms.min() < 0 or arms.max() >= k):
        raise ValueError(
            f"{name} must return arm indices in [0, {k - 1}]; got {arms.min()} to {arms.max()}."
        )
    return arms


def simulate(true_rates, rule: Rule, horizon, runs, seed=0, *, points=200, **params) -> BanditRun:
    """Play ``rule`` for ``horizon`` steps in ``runs`` independent experiments.

    The rule gets read-only views of the running counts and sums (it must not change them)
    and its own random generator; the coin flips for rewards come from a second generator,
    so two rules run with the same seed see the same reward draws at the same steps.
    Regret is recorded at ``points`` evenly spread steps (every step if ``points`` is None).
    """
    rates = check_rates(true_rates)
    horizon, runs, seed = _check_run_size(horizon, runs, seed)
    if not callable(rule):
        raise ValueError(f"rule must be a function; got {type(rule).__name__}.")
    steps = _check_points(points, horizon)
    k = len(rates)
    gaps = rates.max() - rates
    rule_rng, reward_rng = np.random.default_rng(seed).spawn(2)

    counts, sums = np.zeros((runs, k)), np.zeros((runs, k))
    counts_seen, sums_seen = counts.view(), sums.view()
    counts_seen.flags.writeable = sums_seen.flags.writeable = False
    rows = np.arange(runs)
    regret = np.empty((len(steps), runs))
    name = getattr(rule, "__name__", "rule")
    next_record = 0
    for t in range(1, horizon + 1):
        arms = validated_arms(rule(counts_seen, sums_seen, t, rule_rng, **params), runs, k, name)
        rewards = reward_rng.random(runs) < rates[arms]
        counts[rows, arms] += 1
        sums[rows, arms] += rewards
        if t == steps[next_record]:
            regret[next_record] = counts @ gaps
            next_record += 1
    return BanditRun(name, rates, dict(params), steps, regret, counts.astype(int))


# --- fast built-in strategies ---------------------------------------------------------------
#
# Simulating is a loop over steps, and with a few hundred runs every numpy call in that
# loop costs more in fixed overhead (about a microsecond) than in arithmetic. So the fast
# path keeps the number of calls per step small:
#   * all requested strategies play in one loop, stacked as rows of the same counts/sums
#     arrays, so the reward draw and the bookkeeping are one set of calls for all of them;
#   * random numbers, and anything else that does not depend on the state, are prepared in
#     blocks of steps, not once per step;
#   * arithmetic is in float32 (counts stay exact integers below 2**24), written into
#     preallocated buffers with ``out=``, and each strategy writes its arms in place;
#   * regret is recorded only at the recorded steps, as counts @ gaps.
# Each strategy has its own random generators, seeded from (seed, strategy), so its results
# do not depend on which other strategies were simulated alongside it.

F32 = np.float32
_BLOCK_CELLS = 1 << 18  # random numbers per block and strategy: amortised, small in memory


def _const(value) -> np.ndarray:
    """A float32 constant as a 0-d array: numpy applies it faster than a Python number."""
    return np.array(value, dtype=F32)


_ONE, _ONE_THIRD, _TWO_THIRDS = _const(1), _const(1 / 3), _const(2 / 3)

# Each player below has two methods: draw_block(start, size) prepares what steps
# start + 1 .. start + size need (random numbers, mostly), and choose(t, i, block) writes the
# arms of its runs for step t, the block's i-th step, from the current counts and sums.


class _EpsilonGreedy:
    def __init__(self, counts, sums, arms, rng, epsilon):
        self.counts, self.sums, self.arms, self.rng, self.epsilon = counts, sums, arms, rng, epsilon
        self.divisor = np.empty_like(counts)
        self.averages = np.empty_like(counts)

    def draw_block(self, start, size):
        runs, k = self.counts.shape
        explore = self.rng.random((size, runs), dtype=F32) < self.epsilon
        return explore, self.rng.integers(0, k, size=(size, runs))

    def choose(self, t, i, block):
        explore, random_arm = block
        np.maximum(self.counts, _ONE, out=self.divisor)  # an arm never pulled averages 0
        np.divide(self.sums, self.divisor, out=self.averages)
        self.averages.argmax(axis=1, out=self.arms)
        np.copyto(self.arms, random_arm[i], where=explore[i])


class _UCB1:
    def __init__(self, counts, sums, arms, rng, confidence):
        self.counts, self.sums, self.arms, self.confidence = counts, sums, arms, confidence
        self.scores = np.empty_like(counts)
        self.bonus = np.empty_like(counts)

    def draw_block(self, start, size):
        # no random numbers: confidence * ln t for the block's steps instead
        return (self.confidence * np.log(np.arange(start + 1, start + size + 1))).astype(F32)

    def choose(self, t, i, block):
        if t <= self.counts.shape[1]:  # untried arms first: by step t, arms 0 .. t-2 are tried
            self.arms[:] = t - 1
            return
        np.divide(self.sums, self.counts, out=self.scores)
        np.divide(block[i], self.counts, out=self.bonus)
        np.sqrt(self.bonus, out=self.bonus)
        self.scores += self.bonus
        self.scores.argmax(axis=1, out=self.arms)


def _uniforms(rng, out) -> None:
    """Fill the float32 array ``out`` with uniforms in [0, 1), multiples of 2**-24.

    Why: cut two at a time from the generator's raw 64-bit words, they cost about a
    quarter less than ``rng.random(dtype=np.float32)``, which makes the same 24-bit values.
    """
    flat = out.reshape(-1)
    words = rng.bit_generator.random_raw((flat.size + 1) // 2)
    bits = words.view(np.uint32)[: flat.size]
    np.right_shift(bits, 8, out=bits)  # the top 24 bits of each 32-bit half
    flat[...] = bits
    flat *= _const(2**-24)


class _Thompson:
    """Beta(1 + s, 1 + f) samples as G_a / (G_a + G_b) with gamma variates G.

    Why not ``rng.beta``: at about 70 ns a sample it would take most of the time budget.
    Each gamma variate comes instead from Marsaglia and Tsang's method (2000), arranged so
    that its random inputs (a normal x and a uniform u per cell) can be drawn in blocks:
    with d = shape - 1/3 and v = (1 + x / (3 sqrt(d)))**3, the candidate is G = d v,
    accepted when log(u) - x**2/2 < d (1 - v + log v) (v <= 0 is rejected). The rejected
    cells (about 15 of the 2,000 per step, mostly small shapes) get a fresh exact draw from
    ``rng.standard_gamma``, so every sample is an exact Gamma(shape) draw. The argmax of
    the Beta samples is the argmax of G_a / G_b.
    """

    def __init__(self, counts, sums, arms, rng):
        self.counts, self.sums, self.arms = counts, sums, arms
        self.rng, self.redraw_rng = rng.spawn(2)  # block draws, and redraws of rejected cells
        runs, k = counts.shape
        self.d = np.empty((2, runs, k), dtype=F32)  # shape - 1/3, for G_a then G_b
        self.v = np.empty_like(self.d)
        self.margin = np.empty_like(self.d)
        self.rejected = np.empty(self.d.shape, dtype=bool)
        self.ratio = np.empty_like(counts)
        # flat views made once (a view costs a fraction of a microsecond per step)
        self.d_flat, self.v_flat = self.d.reshape(-1), self.v.reshape(-1)
        self.rejected_flat = self.rejected.reshape(-1)
        self.x = self.threshold = None  # block buffers, allocated by the first draw

    def draw_block(self, start, size):
        """For every step and cell: x / 3 for a standard normal x, and log(u) - x**2/2.

        The arrays are reused: each block overwrites the previous one.
        """
        shape = (size, *self.d.shape)
        if self.x is None or len(self.x) < size:
            self.x, self.threshold = np.empty(shape, dtype=F32), np.empty(shape, dtype=F32)
        x, threshold = self.x[:size].reshape(-1), self.threshold[:size].reshape(-1)
        # Box-Muller, two normals from two uniforms, in float32: numpy's vectorised
        # log/sqrt/cos/sin are several times cheaper than its normal generator. 1 - u keeps
        # the log finite; float32 caps |x| at about 5.8, which changes a draw with
        # probability below 1e-8.
        half = x.size // 2  # x.size is even: each step has 2 * runs * k cells
        radius, angle = threshold[:half], threshold[half:]  # threshold is scratch for now
        _uniforms(self.rng, radius)
        np.subtract(_ONE, radius, out=radius)
        np.log(radius, out=radius)
        radius *= _const(-2 / 9)  # -2 log(1 - u) / 9: x comes out divided by 3
        np.sqrt(radius, out=radius)
        _uniforms(self.rng, angle)
        angle *= _const(2 * math.pi)
        np.cos(angle, out=x[:half])
        np.sin(angle, out=x[half:])
        x[:half] *= radius
        x[half:] *= radius
        # the left side of the acceptance test: log(u) - x**2/2 = log(u) - 4.5 (x/3)**2
        _uniforms(self.rng, threshold)
        np.log(threshold, out=threshold)  # -inf for u = 0: accepted, as it should be
        x_squared = np.square(x)
        x_squared *= _const(4.5)
        threshold -= x_squared
        return self.x[:size], self.threshold[:size]

    def choose(self, t, i, block):
        x_third, threshold = block
        d, v, margin = self.d, self.v, self.margin
        np.add(self.sums, _TWO_THIRDS, out=d[0])  # a = 1 + successes, d = a - 1/3
        np.subtract(self.counts, self.sums, out=d[1])
        d[1] += _TWO_THIRDS  # b = 1 + failures
        np.sqrt(d, out=v)
        np.divide(x_third[i], v, out=v)
        v += _ONE  # 1 + x / (3 sqrt d), cubed next
        np.multiply(v, v, out=margin)
        v *= margin  # v = (1 + x / (3 sqrt d))**3
        np.log(v, out=margin)  # nan where v <= 0: the test below then fails, as it should
        margin -= v
        margin += _ONE
        margin *= d
        np.less(threshold[i], margin, out=self.rejected)  # accepted, for now
        np.logical_not(self.rejected, out=self.rejected)
        v *= d  # the candidates G = d v
        rejected = self.rejected_flat.nonzero()[0]
        if rejected.size:
            self.v_flat[rejected] = self.redraw_rng.standard_gamma(
                self.d_flat[rejected] + _ONE_THIRD, dtype=F32
            )
        np.divide(v[0], v[1], out=self.ratio)
        self.ratio.argmax(axis=1, out=self.arms)


_PLAYERS = {"epsilon_greedy": _EpsilonGreedy, "ucb1": _UCB1, "thompson": _Thompson}


def _strategy_params(name: str, epsilon, confidence) -> dict[str, float]:
    if name == "epsilon_greedy":
        return {"epsilon": check_epsilon(epsilon)}
    if name == "ucb1":
        return {"confidence": check_confidence(confidence)}
    return {}


def simulate_strategies(
    true_rates,
    strategies: Sequence[str] = STRATEGIES,
    horizon=2000,
    runs=200,
    seed=0,
    *,
    points=200,
    epsilon=DEFAULT_EPSILON,
    confidence=DEFAULT_CONFIDENCE,
) -> dict[str, BanditRun]:
    """Play the built-in ``strategies`` (names from ``STRATEGIES``) together, fast.

    Returns one ``BanditRun`` per strategy, equal in distribution to
    ``simulate(true_rates, REFERENCE_RULES[name], ...)``.
    """
    rates = check_rates(true_rates)
    horizon, runs, seed = _check_run_size(horizon, runs, seed)
    steps = _check_points(points, horizon)
    if isinstance(strategies, str):
        strategies = (strategies,)
    names = [require_choice("strategy", name, STRATEGIES) for name in strategies]
    if not names:
        raise ValueError("strategies must name at least one of " + ", ".join(STRATEGIES) + ".")
    if len(set(names)) != len(names):
        raise ValueError(f"strategies must not repeat a name; got {names!r}.")
    params = {name: _strategy_params(name, epsilon, confidence) for name in names}

    k, n = len(rates), len(names) * runs
    counts, sums = np.zeros((n, k), dtype=F32), np.zeros((n, k), dtype=F32)
    rates32, gaps = rates.astype(F32), (rates.max() - rates).astype(F32)
    arms = np.zeros(n, dtype=np.intp)
    rngs, players = [], []
    for j, name in enumerate(names):
        rng = np.random.default_rng([seed, STRATEGIES.index(name)])
        rows = slice(j * runs, (j + 1) * runs)
        player = _PLAYERS[name](counts[rows], sums[rows], arms[rows], rng, **params[name])
        rngs.append(rng)
        players.append((rows, player))

    regret = np.empty((len(steps), n), dtype=F32)
    # block length from one strategy's size, so each stream is cut the same way alone or not
    block = max(1, min(horizon, _BLOCK_CELLS // (2 * runs * k)))

    def draw(start):
        size = min(block, horizon - start)
        uniforms = np.concatenate([rng.random((size, runs), dtype=F32) for rng in rngs], axis=1)
        return uniforms, [player.draw_block(start, size) for _, player in players]

    recorded = dict.fromkeys(steps.tolist())
    record = iter(range(len(steps)))
    counts_flat, sums_flat = counts.reshape(-1), sums.reshape(-1)
    row_start = np.arange(n) * k
    flat = np.empty(n, dtype=np.intp)
    with np.errstate(divide="ignore", invalid="ignore"):  # set once: it is costly per step
        for start in range(0, horizon, block):
            uniforms, blocks = draw(start)
            choosers = [
                (player.choose, player_block)
                for (_, player), player_block in zip(players, blocks, strict=True)
            ]
            for i in range(len(uniforms)):
                t = start + i + 1
                for choose, player_block in choosers:
                    choose(t, i, player_block)  # writes its rows of arms
                np.add(row_start, arms, out=flat)
                rewards = uniforms[i] < rates32[arms]
                counts_flat[flat] += 1
                sums_flat[flat] += rewards
                if t in recorded:
                    np.matmul(counts, gaps, out=regret[next(record)])

    pulls = counts.astype(int)
    return {
        name: BanditRun(
            name,
            rates,
            params[name],
            steps,
            regret[:, rows].astype(float),
            pulls[rows],
        )
        for name, (rows, _) in zip(names, players, strict=True)
    }


def simulate_strategy(
    true_rates, strategy, horizon=2000, runs=200, seed=0, *, points=200, **params
) -> BanditRun:
    """One built-in strategy, fast; ``params`` are ``epsilon`` or ``confidence``."""
    strategy = require_choice("strategy", strategy, STRATEGIES)
    allowed = set(_strategy_params(strategy, DEFAULT_EPSILON, DEFAULT_CONFIDENCE))
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(
            f"{strategy} takes {', '.join(sorted(allowed)) or 'no parameters'}; "
            f"got {', '.join(sorted(unknown))}."
        )
    result = simulate_strategies(
        true_rates, (strategy,), horizon, runs, seed, points=points, **params
    )
    return result[strategy]


# --- theory ---------------------------------------------------------------------------------


def bernoulli_kl(p, q):
    """KL(Bernoulli(p) || Bernoulli(q)) in nats, with 0 log 0 = 0 (inf if q rules p out)."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ones = np.where(p > 0, p * np.log(p / q), 0.0)
        zeros = np.where(p < 1, (1 - p) * np.log((1 - p) / (1 - q)), 0.0)
    result = ones + zeros
    return result if result.ndim else float(result)


def lai_robbins_constant(true_rates) -> float:
    """C = sum over suboptimal arms of gap / KL(p_i || p*) (Lai and Robbins, 1985).

    Any strategy that is good on every Bernoulli bandit has expected regret at least about
    C ln t as t grows. It is an asymptotic statement: at a finite t a good strategy can sit
    below C ln t. Arms that can be told apart with one failure (p* = 1) add nothing.
    """
    rates = check_rates(true_rates)
    best = rates.max()
    suboptimal = rates[rates < best]
    kl = np.atleast_1d(bernoulli_kl(suboptimal, best))
    return float(np.sum(np.where(np.isinf(kl), 0.0, (best - suboptimal) / kl)))


def ucb1_regret_bound(true_rates, t):
    """Auer, Cesa-Bianchi and Fischer (2002), theorem 1: UCB1's expected regret after t pulls
    is at most  sum over suboptimal arms of 8 ln t / gap  +  (1 + pi**2 / 3) * sum of gaps.
    ``t`` may be a number or an array of numbers >= 1."""
    rates = check_rates(true_rates)
    t_values = np.asarray(t, dtype=float)
    if t_values.size == 0 or not np.all(np.isfinite(t_values)) or np.any(t_values < 1):
        raise ValueError(f"t must be a number >= 1 (or an array of them); got {t!r}.")
    gaps = rates.max() - rates
    gaps = gaps[gaps > 0]
    bound = 8 * np.log(t_values) * np.sum(1 / gaps) + (1 + math.pi**2 / 3) * gaps.sum()
    return bound if bound.ndim else float(bound)


def thompson_pick_probabilities(counts, successes, grid: int = 4001) -> np.ndarray:
    """Exact chance that Thompson sampling picks each arm from one state (numerical integral).

    P(arm i) = integral of pdf_i(x) * product over j != i of cdf_j(x) dx, with the
    Beta(1 + successes, 1 + failures) posteriors. Used to check a rule's pick frequencies.
    """
    from scipy.special import betainc, betaln  # imported here: scipy is slow to import

    counts = np.asarray(counts, dtype=float)
    successes = np.asarray(successes, dtype=float)
    if counts.ndim != 1 or counts.shape != successes.shape or counts.size == 0:
        raise ValueError("counts and successes must be 1-D lists of the same length >= 1.")
    if np.any(successes < 0) or np.any(successes > counts):
        raise ValueError("successes must lie in [0, counts] for every arm.")
    a, b = 1 + successes, 1 + counts - successes
    x = np.linspace(0.0, 1.0, grid)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_pdf = (a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - betaln(a, b)
    pdf = np.nan_to_num(np.exp(log_pdf))
    cdf = betainc(a, b, x)
    probs = np.empty(len(a))
    for i in range(len(a)):
        others = np.prod(np.delete(cdf, i, axis=1), axis=1)
        probs[i] = np.trapezoid(pdf[:, i] * others, x[:, 0])
    return probs / probs.sum()


def parse_rates(text: str) -> tuple[float, ...]:
    """Read rates typed as '0.02, 0.035, 4.8%' into numbers (a % sign divides by 100)."""
    if not isinstance(text, str):
        raise ValueError(f"true rates must be text such as '0.02, 0.05'; got {text!r}.")
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    parts = [p for p in parts if p]
    if not parts:
        raise ValueError("true_rates must list at least 1 arm; got an empty list (0 arms).")
    values = []
    for i, part in enumerate(parts):
        percent = part.endswith("%")
        try:
            value = float(part.rstrip("%").strip())
        except ValueError:
            raise ValueError(
                f"true_rates[{i}] (arm {i}) must be a number in [0, 1]; got {part!r}."
            ) from None
        values.append(value / 100 if percent else value)
    return tuple(check_rates(values).tolist())
