"""The accuracy-vs-latency decision framework of guide section 6.1, as a pure function.

Thresholds: a budget under 50 ms leaves room only for a simple model; under 200 ms a
medium model fits, or an optimised (quantised/pruned) complex one when the accuracy bar
is above 90 %; at 200 ms and more latency stops being the constraint and cost decides
between cached batch predictions and the most accurate model.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlsd.validation import require_choice, require_number

SIMPLE_LIMIT_MS = 50.0
MEDIUM_LIMIT_MS = 200.0
HIGH_ACCURACY_PCT = 90.0
COST_BUDGETS = ("low", "medium", "high")
DECISIONS = ("simple", "medium", "optimised_complex", "cached_batch", "most_accurate")


@dataclass(frozen=True)
class Candidate:
    """A model family with typical serving latency and accuracy, for the chart."""

    key: str
    name: str
    latency_ms: float
    accuracy_pct: float
    note: str


# Illustrative operating points (not measurements): each family sits inside the tier the
# guide's framework sends it to. They are the guide's picture, not what a model costs: the
# notebook's section 3 measures gradient boosting and an MLP at well under a millisecond per
# row, and production click-through models are deep networks served in about 10 ms
# (Cheng et al., "Wide & Deep Learning for Recommender Systems", DLRS 2016).
CANDIDATES = (
    Candidate("simple", "Logistic regression", 0.5, 84, "linear, tiny, easy to explain"),
    Candidate("cached_batch", "Cached batch predictions", 2, 91, "scored offline: fast, stale"),
    Candidate("medium", "Gradient-boosted trees", 20, 89, "strong on tabular features"),
    Candidate(
        "optimised_complex", "Quantised + pruned neural net", 45, 92, "complex model slimmed down"
    ),
    Candidate("most_accurate", "Deep ensemble", 150, 95, "most accurate, slow and costly"),
)
CANDIDATE_BY_KEY = {c.key: c for c in CANDIDATES}


@dataclass(frozen=True)
class Decision:
    """The framework's answer and the questions it asked on the way."""

    key: str
    path: tuple[str, ...]

    @property
    def candidate(self) -> Candidate:
        return CANDIDATE_BY_KEY[self.key]


@dataclass(frozen=True)
class Preset:
    name: str
    latency_budget_ms: float
    accuracy_requirement_pct: float
    cost_budget: str
    story: str


# The guide's three real examples; accuracy bars and cost levels are our stated assumptions.
PRESETS = (
    Preset("Ad CTR prediction", 10, 80, "medium", "an ad auction waits ~10 ms for a score"),
    Preset("Medical diagnosis", 5000, 95, "high", "a radiologist can wait seconds; errors cost"),
    Preset("Recommendations", 100, 92, "medium", "a home page must render in ~100 ms"),
)


def validate_inputs(latency_budget_ms, accuracy_requirement_pct, cost_budget):
    """Check the three inputs; return them normalised or raise ValueError naming one."""
    latency = require_number(
        "latency_budget_ms", latency_budget_ms, 0, None, low_inclusive=False, unit="ms"
    )
    accuracy = require_number(
        "accuracy_requirement_pct", accuracy_requirement_pct, 0, 100, unit="%"
    )
    cost = require_choice("cost_budget", cost_budget, COST_BUDGETS)
    return latency, accuracy, cost


def choose_model(latency_budget_ms, accuracy_requirement_pct, cost_budget) -> Decision:
    """Walk the decision framework and return the decision with the path taken."""
    latency, accuracy, cost = validate_inputs(
        latency_budget_ms, accuracy_requirement_pct, cost_budget
    )
    if latency < SIMPLE_LIMIT_MS:
        return Decision("simple", (f"budget {latency:g} ms < 50 ms → only a simple model fits",))
    if latency < MEDIUM_LIMIT_MS:
        first = f"50 ms ≤ budget {latency:g} ms < 200 ms → medium complexity fits"
        if accuracy > HIGH_ACCURACY_PCT:
            return Decision(
                "optimised_complex",
                (first, f"accuracy {accuracy:g}% > 90% → optimise a complex model to fit"),
            )
        return Decision(
            "medium", (first, f"accuracy {accuracy:g}% ≤ 90% → a medium model is enough")
        )
    first = f"budget {latency:g} ms ≥ 200 ms → latency is not the constraint"
    if cost == "low":
        return Decision("cached_batch", (first, "cost budget is low → precompute and cache"))
    return Decision("most_accurate", (first, f"cost budget is {cost} → the most accurate model"))
