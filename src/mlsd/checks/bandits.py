"""Checks for the bandit exercise (section 6.5): the learner writes three selection rules.

Every rule has the simulator's signature ``select(counts, sums, t, rng, **params) -> arms``
(2-D arrays, one row per run). Random rules are graded statistically: fixed seeds, and
bands wide enough that any correct implementation passes whatever order it draws its
random numbers in, never exact values. A failure names what was observed, what was
expected and the slip that most often causes it.

``check_*`` are the visible checks. The ``expect_*`` helpers take explicit seeds and
thresholds, so the hidden tests in the notebook hold their own expected values; the
measuring functions (``regret_of``, ``log_growth``, ``stuck_shares``, ``regret_ratio``,
``exploration_share``, ``pick_frequencies``) return numbers for exploring. Checks and
``expect_*`` return None: nbgrader would read a number shown by a test cell as a score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np

from mlsd import bandits
from mlsd.bandits import BanditRun, thompson_pick_probabilities
from mlsd.checks.core import CheckFailed, Incorrect, call_learner
from mlsd.checks.engine import NO_RETURN, Tally

EPSILON_ID = "bandit_epsilon_greedy"
UCB1_ID = "bandit_ucb1"
THOMPSON_ID = "bandit_thompson"
EXERCISE_BY_NAME = {"epsilon_greedy": EPSILON_ID, "ucb1": UCB1_ID, "thompson": THOMPSON_ID}

# Constructed cases (no hidden answers here: the expected behaviour follows from theory or
# from the library's reference rules, run live).
STUCK_RATES = (0.3, 0.7)  # the worse arm comes first, where a greedy rule starts
CLEAR_WINNER = (0.20, 0.25, 0.60, 0.30, 0.22)
CLOSE_RACE = (0.30, 0.35, 0.40)


# --- calling the learner's rule ---------------------------------------------------------


def _name(fn) -> str:
    return getattr(fn, "__name__", "your rule")


def _exercise_for(fn, exercise_id: str | None) -> str:
    if exercise_id is not None:
        return exercise_id
    try:
        return EXERCISE_BY_NAME[_name(fn)]
    except KeyError:
        raise ValueError(
            f"exercise_id must be one of {', '.join(EXERCISE_BY_NAME.values())} for a rule "
            f"named {_name(fn)!r}."
        ) from None


def _crash_cause(exc: BaseException) -> str | None:
    """The slip behind an exception raised inside a learner's rule."""
    text = str(exc)
    if isinstance(exc, ValueError) and ("a <= 0" in text or "b <= 0" in text):
        return (
            "rng.beta needs both parameters > 0, and an arm with no pulls (or no successes, "
            "or no failures) gives a 0: add the uniform prior, Beta(1 + successes, 1 + failures)."
        )
    if "read-only" in text:
        return (
            "your rule changes counts or sums in place; they belong to the simulator. Build "
            "new arrays instead (e.g. np.maximum(counts, 1) rather than counts[counts == 0] = 1)."
        )
    if isinstance(exc, TypeError) and "keyword argument" in text:
        return (
            "keep the signature of the stub: (counts, sums, t, rng, epsilon=0.1) for "
            "ε-greedy, (counts, sums, t, rng, confidence=2.0) for UCB1, (counts, sums, t, rng) "
            "for Thompson. The checks pass epsilon and confidence by name."
        )
    if isinstance(exc, ZeroDivisionError):
        return "an arm with no pulls yet has counts == 0: handle it before dividing by counts."
    if isinstance(exc, IndexError | np.exceptions.AxisError):
        return (
            "counts and sums are 2-D, shape (runs, K): one row per run, one column per arm. "
            "Work on whole arrays and reduce over the arms with axis=1."
        )
    return None


def _picks_problem(arms, runs: int, k: int) -> tuple[str, str] | None:
    """What is wrong with what a rule returned, as (message, likely cause); None if fine."""
    if arms is None:
        return (
            "returned None instead of an array of arm indices",
            NO_RETURN,
        )
    if isinstance(arms, int | np.integer) or (isinstance(arms, np.ndarray) and arms.ndim == 0):
        return (
            f"returned a single number ({arms!r}) instead of one arm per run",
            f"counts has one row per run ({runs} here): return an array of shape ({runs},), "
            "e.g. np.argmax(scores, axis=1), not one arm for everybody.",
        )
    try:
        picks = np.asarray(arms)
    except Exception:  # a ragged list, say
        return (f"returned {type(arms).__name__}, not an array of arm indices", None)
    if picks.shape == (runs, k):
        return (
            f"returned shape {picks.shape}: one value per arm instead of one arm per run",
            "take np.argmax(scores, axis=1) to turn each row of scores into the chosen arm.",
        )
    if picks.shape == (k,):
        return (
            f"returned shape {picks.shape}; expected ({runs},), one arm per run",
            "np.argmax(..., axis=0) works down the runs; use axis=1 to choose among the arms "
            "of each run.",
        )
    if picks.shape != (runs,):
        return (f"returned shape {picks.shape}; expected ({runs},), one arm per run", None)
    if not np.issubdtype(picks.dtype, np.integer):
        return (
            f"returned values of dtype {picks.dtype}; arm indices must be integers",
            "return the argmax (an index), not the scores or samples themselves.",
        )
    low, high = int(picks.min()), int(picks.max())
    if low < 0 or high >= k:
        return (
            f"picked arm {high if high >= k else low}, but the arms are numbered 0 to {k - 1}",
            "rng.integers(low, high) never returns high, so rng.integers(0, K) already covers "
            "every arm: no +1 needed.",
        )
    return None


def call_rule(exercise_id: str, fn, counts, sums, t, rng, **params) -> np.ndarray:
    """Call the learner's rule once and return its picks, or raise a readable outcome."""
    if not callable(fn):
        raise Incorrect(exercise_id, f"expected a function, got {type(fn).__name__}.")
    runs, k = counts.shape
    shown = ", ".join(
        ["counts", "sums", f"t={t}", "rng", *(f"{p}={v!r}" for p, v in params.items())]
    )
    described = f"{_name(fn)}({shown}) with {runs} runs and {k} arms"

    def call():
        return fn(counts, sums, t, rng, **params)

    call.__name__ = _name(fn)
    with np.errstate(all="ignore"):  # 0/0 for untried arms is the learner's to handle
        try:
            arms = call_learner(exercise_id, call)
        except CheckFailed as failure:
            crash = failure.__cause__
            if crash is None:
                raise
            raise Incorrect(
                exercise_id,
                f"calling {described} raised {type(crash).__name__}: {crash}",
                _crash_cause(crash),
            ) from crash
    problem = _picks_problem(arms, runs, k)
    if problem:
        raise Incorrect(exercise_id, f"{described} {problem[0]}.", problem[1])
    return np.asarray(arms)


def _check_contract(exercise_id: str, fn, **params) -> None:
    """Small state, odd sizes (7 runs, 4 arms): returns one valid arm per run."""
    rng = np.random.default_rng(11)
    counts = rng.integers(0, 6, size=(7, 4)).astype(float)
    sums = np.floor(counts * rng.random((7, 4)))
    call_rule(exercise_id, fn, counts, sums, int(counts.sum(axis=1).max()) + 1, rng, **params)


# --- simulations --------------------------------------------------------------------------


class _Guarded:
    """The learner's rule as the simulator sees it: every call checked, failures explained."""

    def __init__(self, exercise_id: str, fn):
        self.exercise_id, self.fn = exercise_id, fn
        self.__name__ = _name(fn)

    def __call__(self, counts, sums, t, rng, **params):
        return call_rule(self.exercise_id, self.fn, counts, sums, t, rng, **params)


def run_rule(
    fn, true_rates, horizon, runs, seed, *, exercise_id=None, points=None, **params
) -> BanditRun:
    """Simulate the learner's rule (see ``mlsd.bandits.simulate``) with every call checked."""
    exercise_id = _exercise_for(fn, exercise_id)
    return bandits.simulate(
        true_rates, _Guarded(exercise_id, fn), horizon, runs, seed, points=points, **params
    )


def regret_of(fn, true_rates, horizon, runs, seed, *, exercise_id=None, **params) -> float:
    """Mean cumulative pseudo-regret of the learner's rule after ``horizon`` pulls."""
    return float(
        run_rule(
            fn, true_rates, horizon, runs, seed, exercise_id=exercise_id, points=2, **params
        ).mean_regret[-1]
    )


def _rates_text(rates) -> str:
    return "(" + ", ".join(f"{r:g}" for r in rates) + ")"


def expect_regret_below(
    fn, true_rates, limit, *, horizon, runs, seed, exercise_id=None, why="", **params
) -> None:
    """Mean regret after ``horizon`` pulls must stay below ``limit``."""
    exercise_id = _exercise_for(fn, exercise_id)
    regret = regret_of(fn, true_rates, horizon, runs, seed, exercise_id=exercise_id, **params)
    if not regret < limit:
        raise Incorrect(
            exercise_id,
            f"on true rates {_rates_text(true_rates)} your rule's mean regret after {horizon:,} "
            f"pulls was {regret:.1f}; a correct rule stays below {limit:g}. {why}".strip(),
            "run it in the explorer cell below and watch which arm it keeps pulling.",
        )


def log_growth(
    fn, true_rates, *, horizon, runs, seed, exercise_id=None, **params
) -> tuple[float, float, float]:
    """(ratio, first, second): mean regret over the first half of the horizon, over the
    second half, and second / first.

    Regret growing like log t gives a small ratio (ln 2 / ln(T/2) in the limit); regret
    growing like t gives about 1.
    """
    result = run_rule(
        fn, true_rates, horizon, runs, seed, exercise_id=exercise_id, points=None, **params
    )
    first = float(result.mean_regret[horizon // 2 - 1])
    second = float(result.mean_regret[-1]) - first
    return second / max(first, 1e-9), first, second


def expect_log_growth(
    fn, true_rates, max_ratio, *, horizon, runs, seed, exercise_id=None, **params
) -> None:
    """Regret over the second half / regret over the first half must be <= ``max_ratio``."""
    exercise_id = _exercise_for(fn, exercise_id)
    ratio, first, second = log_growth(
        fn, true_rates, horizon=horizon, runs=runs, seed=seed, exercise_id=exercise_id, **params
    )
    if not ratio <= max_ratio:
        raise Incorrect(
            exercise_id,
            f"on true rates {_rates_text(true_rates)} your rule's regret grew by {first:.1f} over "
            f"the first {horizon // 2:,} pulls and by {second:.1f} over the next "
            f"{horizon - horizon // 2:,}: it is still losing at an almost constant rate "
            f"(ratio {ratio:.2f}; regret growing like log t gives at most {max_ratio:g}).",
            "the rule keeps pulling a worse arm long after the data show it is worse: check "
            "that the best-looking arm wins more and more often as evidence piles up.",
        )


def expect_below_ucb1_bound(
    fn, true_rates, *, horizon, runs, seed, exercise_id=UCB1_ID, **params
) -> None:
    """UCB1's mean regret must stay below the Auer et al. (2002) bound at every step."""
    result = run_rule(
        fn, true_rates, horizon, runs, seed, exercise_id=exercise_id, points=50, **params
    )
    bound = bandits.ucb1_regret_bound(true_rates, result.steps)
    over = np.flatnonzero(result.mean_regret > bound)
    if over.size:
        i = over[0]
        raise Incorrect(
            exercise_id,
            f"on true rates {_rates_text(true_rates)} your rule's mean regret after "
            f"{result.steps[i]:,} pulls was {result.mean_regret[i]:.1f}, above UCB1's proven "
            f"bound {bound[i]:.1f} (8 ln t / gap per worse arm + (1 + π²/3) × the gaps).",
            "the score should be average + sqrt(confidence * ln t / pulls): a large average "
            "plus a bonus that shrinks as an arm is pulled more.",
        )


def expect_tries_every_arm_first(
    fn, true_rates=(0.9, 0.8, 0.95, 0.85), *, runs, seed, **params
) -> None:
    """In its first K pulls, UCB1 pulls each of the K arms exactly once, in every run."""
    k = len(true_rates)
    result = run_rule(fn, true_rates, k, runs, seed, exercise_id=UCB1_ID, points=None, **params)
    missing = (result.pulls == 0).any(axis=1)
    if missing.any():
        share = missing.mean()
        raise Incorrect(
            UCB1_ID,
            f"with {k} arms, your rule's first {k} pulls did not try every arm in {share:.0%} "
            "of the runs: it pulled an arm twice while another had never been tried.",
            "an untried arm (counts == 0) must win before anything else: give it an infinite "
            "score (np.inf) instead of dividing by zero or by max(counts, 1).",
        )


def stuck_shares(fn, *, horizon, runs, seed) -> tuple[float, float]:
    """Share of runs that spent most pulls on the worse arm of ``STUCK_RATES``, with
    epsilon = 0 and with epsilon = 0.1."""

    def stuck_share(epsilon):
        result = run_rule(
            fn,
            STUCK_RATES,
            horizon,
            runs,
            seed,
            exercise_id=EPSILON_ID,
            points=2,
            epsilon=epsilon,
        )
        return float(np.mean(result.best_arm_share < 0.5))

    return stuck_share(0.0), stuck_share(0.1)


def expect_stuck_without_exploration(
    fn, *, horizon, runs, seed, stuck_at_zero=0.05, stuck_at_tenth=0.08
) -> None:
    """ε = 0 locks onto the first arm that pays in a share of runs; ε = 0.1 recovers."""
    greedy, exploring = stuck_shares(fn, horizon=horizon, runs=runs, seed=seed)
    if greedy < stuck_at_zero:
        raise Incorrect(
            EPSILON_ID,
            f"with epsilon=0 and true rates {_rates_text(STUCK_RATES)}, only {greedy:.0%} of "
            f"runs ended up mostly on the worse arm; pure greed should lock onto it in at least "
            f"{stuck_at_zero:.0%} (whichever arm pays first looks best forever).",
            "with epsilon=0 the rule must never explore: does it use the epsilon argument, "
            "or a fixed number?",
        )
    if exploring > stuck_at_tenth:
        raise Incorrect(
            EPSILON_ID,
            f"with epsilon=0.1 and true rates {_rates_text(STUCK_RATES)}, {exploring:.0%} of runs "
            f"still spent most of {horizon} pulls on the worse arm (expected at most "
            f"{stuck_at_tenth:.0%}).",
            "the greedy choice should follow the averages sums / counts as they change.",
        )


def _rival_rule(rival: str):
    """The library's rule named ``rival`` (a strategy name such as "epsilon_greedy"): test
    cells pass plain data, never a function."""
    try:
        return bandits.REFERENCE_RULES[rival]
    except (KeyError, TypeError):
        raise ValueError(
            f"rival must be one of {', '.join(bandits.REFERENCE_RULES)}; got {rival!r}."
        ) from None


def regret_ratio(
    fn, rival: str, true_rates, *, horizon, runs, seed, exercise_id=None, **rival_params
) -> tuple[float, float, float]:
    """(ratio, mine, theirs): mean regret of the learner's rule and of the library's
    ``rival`` strategy (a name from ``mlsd.bandits.STRATEGIES``) on the same reward draws,
    and mine / theirs."""
    rule = _rival_rule(rival)
    mine = regret_of(fn, true_rates, horizon, runs, seed, exercise_id=exercise_id)
    theirs = bandits.simulate(true_rates, rule, horizon, runs, seed, points=2, **rival_params)
    theirs = float(theirs.mean_regret[-1])
    return mine / max(theirs, 1e-9), mine, theirs


def expect_beats(
    fn, rival, true_rates, *, horizon, runs, seed, max_ratio=1.0, exercise_id=None, **rival_params
) -> None:
    """The learner's rule must end with at most ``max_ratio`` × the rival's mean regret."""
    exercise_id = _exercise_for(fn, exercise_id)
    ratio, mine, theirs = regret_ratio(
        fn,
        rival,
        true_rates,
        horizon=horizon,
        runs=runs,
        seed=seed,
        exercise_id=exercise_id,
        **rival_params,
    )
    if not ratio <= max_ratio:
        shown = ", ".join(f"{k}={v:g}" for k, v in rival_params.items())
        raise Incorrect(
            exercise_id,
            f"on the close race {_rates_text(true_rates)}, your rule's mean regret after "
            f"{horizon:,} pulls was {mine:.1f}, against {theirs:.1f} for "
            f"{bandits.STRATEGY_LABELS[rival]} ({shown}); it should be at most "
            f"{max_ratio:g} × that.",
            "Thompson sampling explores in proportion to how plausible each arm still is: "
            "draw a fresh sample for every arm and run at every step, from Beta(1 + successes, "
            "1 + failures).",
        )


# --- ε-greedy: one-call probes ------------------------------------------------------------


def greedy_state(runs: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random states, every arm pulled at least once, where the best average is unique and
    is neither the arm with the largest total reward nor the most pulled one."""
    rng = np.random.default_rng(seed)
    rows = np.arange(runs)
    # per run: a greedy arm (few pulls, all paid) and a decoy (most pulls, most reward)
    best, decoy = rng.permuted(np.tile(np.arange(k), (runs, 1)), axis=1)[:, :2].T
    counts = rng.integers(1, 40, size=(runs, k)).astype(float)
    counts[rows, best] = rng.integers(4, 8, size=runs)
    counts[rows, decoy] = rng.integers(60, 80, size=runs)
    averages = rng.uniform(0.05, 0.5, size=(runs, k))
    averages[rows, decoy] = rng.uniform(0.55, 0.6, size=runs)
    averages[rows, best] = 1.0
    return counts, np.round(averages * counts)


def _greedy_slip(counts, sums, picks) -> str | None:
    averages = sums / counts
    for label, choice in (
        (
            "you pick the arm with the largest total reward (sums); greedy means the largest "
            "average, sums / counts.",
            np.argmax(sums, axis=1),
        ),
        (
            "you pick the most-pulled arm; greedy means the largest average, sums / counts.",
            np.argmax(counts, axis=1),
        ),
        (
            "np.argmin picks the worst arm; use np.argmax.",
            np.argmin(averages, axis=1),
        ),
    ):
        if np.mean(picks == choice) > 0.9:
            return label
    return None


def exploration_share(fn, epsilon, *, runs=4000, k=5, seed=0) -> tuple[float, np.ndarray]:
    """One call on ``runs`` random states: share of runs not given the greedy arm, and picks."""
    counts, sums = greedy_state(runs, k, seed)
    picks = call_rule(
        EPSILON_ID, fn, counts, sums, 200, np.random.default_rng(seed + 1), epsilon=epsilon
    )
    greedy = np.argmax(sums / counts, axis=1)
    return float(np.mean(picks != greedy)), picks


def _all_or_nothing(fn, epsilon, runs, k, seed) -> bool:
    """True if, over several calls, the runs of a call explore all together or not at all."""
    shares = [exploration_share(fn, epsilon, runs=runs, k=k, seed=seed + j)[0] for j in range(30)]
    none = [s < 0.01 for s in shares]
    everyone = [s > (k - 1) / k - 0.05 for s in shares]
    return any(none) and any(everyone) and all(a or b for a, b in zip(none, everyone, strict=True))


def expect_exploration_rate(fn, epsilon, low, high, *, runs, seed, k=5) -> None:
    """The share of runs not given the greedy arm in one call must lie in [low, high].

    Exploring picks a uniformly random arm, which is the greedy one 1/K of the time, so the
    expected share is epsilon (K - 1) / K (or epsilon if exploration skips the greedy arm).
    """
    share, picks = exploration_share(fn, epsilon, runs=runs, k=k, seed=seed)
    if low <= share <= high:
        return
    counts, sums = greedy_state(runs, k, seed)
    expected = f"between {low:.1%} and {high:.1%}"
    slip = _greedy_slip(counts, sums, picks) if epsilon == 0 else None
    if slip:
        cause = slip
    elif 0 < epsilon < 1 and _all_or_nothing(fn, epsilon, runs, k, seed):
        cause = (
            "the runs explored all together or not at all: draw one random number per run, "
            "rng.random(len(counts)) < epsilon, not a single one for every run."
        )
    elif epsilon <= 0.5 and share > 0.5:
        cause = (
            "your rule explores most of the time: did you compare rng.random() < epsilon the "
            "wrong way round? Explore when the random number is below epsilon."
        )
    elif epsilon == 0:
        cause = (
            "with epsilon=0 the rule must never explore: use the epsilon argument, not a "
            "fixed number."
        )
    elif share < low and epsilon > 0:
        cause = (
            "the rule explores too rarely: it should explore whenever rng.random() < epsilon "
            "(uniform in [0, 1)), independently in every run."
        )
    else:
        cause = (
            "explore with probability epsilon, choosing uniformly among all K arms: "
            "rng.integers(0, K, size=runs)."
        )
    raise Incorrect(
        EPSILON_ID,
        f"with epsilon={epsilon:g}, your rule left the greedy arm in {share:.1%} of {runs:,} "
        f"runs in one call; expected {expected}.",
        cause,
    )


def expect_explores_every_arm(fn, *, runs, seed, k=5, min_share=None) -> None:
    """With epsilon = 1 every arm must be picked about 1/K of the time."""
    min_share = 0.5 / k if min_share is None else min_share
    _, picks = exploration_share(fn, 1.0, runs=runs, k=k, seed=seed)
    shares = np.bincount(picks, minlength=k) / runs
    rare = np.flatnonzero(shares < min_share)
    if rare.size:
        arm = int(rare[-1])
        cause = (
            "rng.integers(low, high) never returns high: rng.integers(0, K) gives 0 to K-1."
            if arm in (0, k - 1)
            else "pick the random arm uniformly: rng.integers(0, K, size=runs)."
        )
        raise Incorrect(
            EPSILON_ID,
            f"with epsilon=1 (always explore) your rule picked arm {arm} in {shares[arm]:.1%} of "
            f"runs; every one of the {k} arms should get about {1 / k:.0%}.",
            cause,
        )


def _run_probes(exercise_id: str, probes: Sequence[Callable[[], None]]) -> None:
    """Run the probes of a visible check in order (each raises ``Incorrect`` on failure),
    count those that passed on a ``Tally`` and report the count: never a written number."""
    tally = Tally(exercise_id)
    for probe in probes:
        probe()
        tally.expect(True, "")  # reached only when the probe passed
    tally.report()


def _regret_against_library_epsilon_greedy(fn) -> None:
    reference = bandits.simulate(
        CLEAR_WINNER, bandits.epsilon_greedy, 1000, 100, 6, points=2, epsilon=0.1
    ).mean_regret[-1]
    expect_regret_below(
        fn,
        CLEAR_WINNER,
        round(1.5 * reference),
        horizon=1000,
        runs=100,
        seed=6,
        epsilon=0.1,
        exercise_id=EPSILON_ID,
        why="(1.5 × what the library's ε-greedy scores on the same draws)",
    )


def check_epsilon_greedy(fn) -> None:
    """Visible check for ``epsilon_greedy(counts, sums, t, rng, epsilon=0.1)``."""
    k = 5
    _run_probes(
        EPSILON_ID,
        [
            partial(_check_contract, EPSILON_ID, fn, epsilon=0.1),
            partial(expect_exploration_rate, fn, 0.0, 0.0, 0.0, runs=4000, seed=2),
            partial(
                expect_exploration_rate,
                fn,
                0.1,
                0.1 * (k - 1) / k - 0.02,
                0.1 + 0.02,
                runs=4000,
                seed=1,
            ),
            partial(
                expect_exploration_rate,
                fn,
                0.3,
                0.3 * (k - 1) / k - 0.03,
                0.3 + 0.03,
                runs=4000,
                seed=3,
            ),
            partial(expect_explores_every_arm, fn, runs=4000, seed=4),
            partial(expect_stuck_without_exploration, fn, horizon=300, runs=300, seed=5),
            partial(_regret_against_library_epsilon_greedy, fn),
        ],
    )


# --- UCB1 ----------------------------------------------------------------------------------


def ucb_state(runs: int, k: int, seed: int, total: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Random states with every arm tried and ``total`` pulls so far in every run."""
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(k, 0.7), size=runs)
    counts = 1.0 + rng.multinomial(total - k, shares)
    sums = np.round(rng.uniform(0.05, 0.95, size=(runs, k)) * counts)
    return counts, sums, total + 1


def _ucb_scores(counts, sums, log_t, confidence):
    return sums / counts + np.sqrt(confidence * log_t / counts)


# (likely cause, scores) for the usual slips, to name the one a wrong answer matches
_UCB_SLIPS: Sequence[tuple[str, Callable]] = (
    (
        "the bonus must use ln t, the log of the total number of steps, not the log of the "
        "arm's own count.",
        lambda n, s, t, c: s / n + np.sqrt(c * np.log(n) / n),
    ),
    (
        "the bonus is a square root: sqrt(confidence * ln t / counts).",
        lambda n, s, t, c: s / n + c * np.log(t) / n,
    ),
    (
        "there is no exploration bonus: add sqrt(confidence * ln t / counts) to the average.",
        lambda n, s, t, c: s / n,
    ),
    (
        "add the bonus to the average; subtracting it makes the rule pessimistic.",
        lambda n, s, t, c: s / n - np.sqrt(c * np.log(t) / n),
    ),
    (
        "start from the average reward sums / counts, not the total sums.",
        lambda n, s, t, c: s + np.sqrt(c * np.log(t) / n),
    ),
    (
        "use the natural log, np.log, as in the formula.",
        lambda n, s, t, c: s / n + np.sqrt(c * np.log10(t) / n),
    ),
    (
        "use the confidence argument: the bonus is sqrt(confidence * ln t / counts), with no "
        "fixed 2 (or 1) in its place.",
        lambda n, s, t, c: s / n + np.sqrt(2 * np.log(t) / n),
    ),
    (
        "use the confidence argument: the bonus is sqrt(confidence * ln t / counts), with no "
        "fixed 2 (or 1) in its place.",
        lambda n, s, t, c: s / n + np.sqrt(np.log(t) / n),
    ),
)


def expect_ucb1_choices(fn, confidence, *, runs, seed, total=600, k=5, min_agreement=0.98) -> float:
    """On random states, the learner's picks must match UCB1's where UCB1 is unambiguous.

    States where the choice would change between t, t - 1 and the number of pulls so far
    (all fine readings of "total") or where two scores nearly tie are left out.
    """
    counts, sums, t = ucb_state(runs, k, seed, total)
    picks = call_rule(
        UCB1_ID, fn, counts, sums, t, np.random.default_rng(seed), confidence=confidence
    )
    readings = [
        _ucb_scores(counts, sums, np.log(x), confidence)
        for x in (t, t - 1, counts.sum(axis=1, keepdims=True))
    ]
    expected = np.argmax(readings[0], axis=1)
    top2 = np.sort(readings[0], axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0] > 1e-6) & np.all(
        [np.argmax(r, axis=1) == expected for r in readings], axis=0
    )
    agreement = float(np.mean(picks[clear] == expected[clear]))
    if agreement >= min_agreement:
        return
    cause = None
    for text, scores in _UCB_SLIPS:
        with np.errstate(all="ignore"):
            slip = np.argmax(scores(counts, sums, t, confidence), axis=1)
        if np.mean(slip[clear] == picks[clear]) > 0.95:
            cause = text
            break
    row = int(np.flatnonzero(clear & (picks != expected))[0])
    raise Incorrect(
        UCB1_ID,
        f"with confidence={confidence:g}, your picks matched UCB1's in {agreement:.0%} of "
        f"{int(clear.sum()):,} states. Example at t={t}: "
        f"counts {counts[row].astype(int).tolist()}, "
        f"sums {sums[row].astype(int).tolist()}: UCB1 picks arm {expected[row]} "
        f"(score {readings[0][row, expected[row]]:.3f}), you picked arm {picks[row]} "
        f"(score {readings[0][row, picks[row]]:.3f}).",
        cause
        or "score = sums / counts + sqrt(confidence * np.log(t) / counts), then argmax "
        "over axis=1.",
    )


def expect_untried_first(fn, *, runs, seed, k=5) -> None:
    """Where some arms were never pulled, the pick must be one of them.

    The tried arms were pulled 1 to 3 times and always paid, so a rule that scores an
    untried arm as average 0 plus a finite bonus prefers them in many runs.
    """
    rng = np.random.default_rng(seed)
    rows = np.arange(runs)
    untried = rng.random((runs, k)) < 0.4
    untried[rows, rng.integers(0, k, runs)] = False  # at least one arm was tried
    counts = np.where(untried, 0.0, rng.integers(1, 4, size=(runs, k)))
    sums = counts.copy()
    t = int(counts.sum(axis=1).max()) + 1
    has_untried = untried.any(axis=1)
    picks = call_rule(UCB1_ID, fn, counts, sums, t, rng, confidence=2.0)
    wrong = has_untried & ~untried[rows, picks]
    if wrong.any():
        row = int(np.flatnonzero(wrong)[0])
        raise Incorrect(
            UCB1_ID,
            f"in {wrong.sum() / has_untried.sum():.0%} of runs with an untried arm, your rule "
            f"pulled an arm it had already tried. Example at t={t}: counts "
            f"{counts[row].astype(int).tolist()}, you picked arm {picks[row]}.",
            "an untried arm (counts == 0) must come first: give it an infinite score "
            "(np.inf) instead of dividing by zero or by max(counts, 1).",
        )


def check_ucb1(fn) -> None:
    """Visible check for ``ucb1(counts, sums, t, rng, confidence=2.0)``."""
    _run_probes(
        UCB1_ID,
        [
            partial(_check_contract, UCB1_ID, fn, confidence=2.0),
            partial(expect_untried_first, fn, runs=2000, seed=1),
            partial(expect_tries_every_arm_first, fn, runs=200, seed=2),
            partial(expect_ucb1_choices, fn, 2.0, runs=3000, seed=3, total=600),
            partial(expect_ucb1_choices, fn, 0.5, runs=3000, seed=4, total=150),
            partial(expect_below_ucb1_bound, fn, CLEAR_WINNER, horizon=1000, runs=100, seed=5),
            partial(
                expect_log_growth,
                fn,
                CLEAR_WINNER,
                0.6,
                horizon=2000,
                runs=100,
                seed=6,
                exercise_id=UCB1_ID,
            ),
        ],
    )


# --- Thompson sampling ---------------------------------------------------------------------


def _thompson_slips(counts, successes) -> list[tuple[str, np.ndarray]]:
    """Pick probabilities of the usual slips on one state, with the cause to report."""
    counts, successes = np.asarray(counts, float), np.asarray(successes, float)
    failures = counts - successes
    slips = [
        (
            "the parameters are swapped: a success should raise an arm's samples, so use "
            "Beta(1 + successes, 1 + failures).",
            thompson_pick_probabilities(counts, failures),
        ),
        (
            "the second parameter counts failures, counts - sums, not all pulls: "
            "Beta(1 + sums, 1 + counts - sums).",
            thompson_pick_probabilities(counts + successes, successes),
        ),
    ]
    if np.all(successes >= 1) and np.all(failures >= 1):
        slips.append(
            (
                "add the uniform prior: Beta(1 + successes, 1 + failures), not "
                "Beta(successes, failures).",
                thompson_pick_probabilities(counts - 2, successes - 1),
            )
        )
    return slips


def pick_frequencies(fn, counts, successes, *, runs, seed) -> np.ndarray:
    """Call the rule once with the same state in ``runs`` rows; return each arm's share."""
    counts = np.tile(np.asarray(counts, dtype=float), (runs, 1))
    sums = np.tile(np.asarray(successes, dtype=float), (runs, 1))
    picks = call_rule(
        THOMPSON_ID, fn, counts, sums, int(counts[0].sum()) + 1, np.random.default_rng(seed)
    )
    return np.bincount(picks, minlength=counts.shape[1]) / runs


def expect_pick_frequencies(fn, counts, successes, *, runs, seed, tolerance) -> None:
    """Pick shares from one state must be within ``tolerance`` of Thompson's exact chances."""
    expected = thompson_pick_probabilities(counts, successes)
    observed = pick_frequencies(fn, counts, successes, runs=runs, seed=seed)
    gap = np.abs(observed - expected)
    if np.all(gap <= tolerance):
        return
    if np.max(observed) == 1.0:
        # one arm for every run: always the same one (no sampling) or a varying one?
        again = [
            pick_frequencies(fn, counts, successes, runs=100, seed=seed + j) for j in range(12)
        ]
        same = all(np.array_equal(observed, a) for a in again)
    if np.max(observed) == 1.0 and same:
        cause = (
            "your rule picks the same arm every time from the same state, so it never "
            "explores: do not average, sample. Draw one value per arm and run with "
            "rng.beta(1 + sums, 1 + counts - sums) and take the argmax of the samples."
        )
    elif np.max(observed) == 1.0:
        cause = (
            "every run picked the same arm in one call: draw a sample for every run and arm "
            "(rng.beta with the full (runs, K) arrays), not one for all runs."
        )
    else:
        cause = None
        for text, probs in _thompson_slips(counts, successes):
            if np.all(np.abs(observed - probs) <= tolerance):
                cause = text
                break
    arm = int(np.argmax(gap))
    raise Incorrect(
        THOMPSON_ID,
        f"from the state counts={list(counts)}, successes={list(successes)}, your rule picked "
        f"arm {arm} in {observed[arm]:.1%} of {runs:,} runs; Thompson sampling picks it with "
        f"probability {expected[arm]:.1%} (all arms: "
        + ", ".join(f"{p:.1%}" for p in expected)
        + ").",
        cause or "sample each arm from Beta(1 + successes, 1 + failures) and take the argmax.",
    )


# Two states: one with an untried arm and arms with no successes or no failures (the prior
# matters), one where three posteriors overlap (sampling matters).
THOMPSON_STATES = (
    ((0, 6, 3, 12), (0, 4, 0, 6)),
    ((5, 2, 14), (4, 1, 11)),
)


def check_thompson(fn) -> None:
    """Visible check for ``thompson(counts, sums, t, rng)``."""
    frequencies = [
        partial(expect_pick_frequencies, fn, counts, successes, runs=6000, seed=j, tolerance=0.035)
        for j, (counts, successes) in enumerate(THOMPSON_STATES)
    ]
    _run_probes(
        THOMPSON_ID,
        [
            partial(_check_contract, THOMPSON_ID, fn),
            *frequencies,
            partial(
                expect_log_growth,
                fn,
                CLEAR_WINNER,
                0.5,
                horizon=1000,
                runs=100,
                seed=3,
                exercise_id=THOMPSON_ID,
            ),
            partial(
                expect_beats,
                fn,
                "epsilon_greedy",
                CLOSE_RACE,
                horizon=1000,
                runs=200,
                seed=4,
                epsilon=0.1,
                exercise_id=THOMPSON_ID,
            ),
        ],
    )
