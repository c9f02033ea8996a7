"""Batch vs real-time vs hybrid processing (guide section 6.2).

The guide's table gives each mode a latency ("hybrid: seconds") and its tree asks "is an
immediate decision required?" first. Both blur two different times: how long the user waits
for an answer, and how old the data behind the answer may be. A hybrid system (precomputed
candidates, ranked per request) answers in milliseconds: the guide's own recommendation
example has a 100-200 ms page budget. So this module restates the choice as two questions
about a scenario's properties, which a learner can turn into a function:

1. Does the answer need data that exists only once the request arrives (the payment being
   made, this session's clicks)? If not, compute it ahead of time: **batch**, even when
   someone waits for it (serving a stored answer is a millisecond lookup).
2. Does computing the *whole* answer at request time fit the latency budget
   (items to score x milliseconds per item <= budget)? Yes: **real-time**. No: **hybrid**,
   precompute the heavy part (candidate lists, embeddings, aggregates) and finish the light
   part per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd

from mlsd.validation import require_int, require_number

MODES = ("batch", "real-time", "hybrid")
SCENARIO_FIELDS = (
    "id",
    "description",
    "needs_request_data",
    "budget_ms",
    "items_to_score",
    "ms_per_item",
)
FIRST_QUESTION = "Does the answer need data that exists only once the request arrives?"
SECOND_QUESTION = "Does computing the whole answer at request time fit the latency budget?"
# What the guide's table says for hybrid latency, quoted so the notebook can put it to the test.
GUIDE_HYBRID_LATENCY = "seconds"


def comparison_table() -> pd.DataFrame:
    """The guide's dimensions for the three modes, with its one "latency" row split in two.

    "Latency" in the guide mixes how long the user waits (a lookup or a model run: always
    milliseconds when someone is waiting) with how long new data takes to show up in an
    answer (hours for batch). Hybrid is an architecture, not a latency tier: its request-time
    part runs in milliseconds, its precomputed part is as old as its last run.
    """
    return pd.DataFrame(
        {
            "batch": [
                "ahead of time, on a schedule",
                "a lookup: milliseconds (or nobody waits: a report, an email)",
                "hours to days (until the next run)",
                "low",
                "low",
                "reports, email campaigns, 'also bought' lists",
            ],
            "real-time": [
                "when the request arrives, all of it",
                "the whole model run: milliseconds (e.g. 10 ms in an ad auction)",
                "none: the request itself is used",
                "high (servers sized for the peak)",
                "high",
                "fraud checks, ad auctions, login risk",
            ],
            "hybrid": [
                "heavy part ahead (candidates, embeddings), light part per request",
                "only the light part: milliseconds (e.g. 100-200 ms for a home feed)",
                "request part: none; precomputed part: since its last run",
                "medium",
                "high: two paths that must agree on features",
                "recommendations, feeds, search",
            ],
        },
        index=pd.Index(
            [
                "when it is computed",
                "how long the user waits",
                "how old the data may be",
                "cost",
                "complexity",
                "typical use",
            ],
            name="dimension",
        ),
    )


@dataclass(frozen=True)
class TreeStep:
    question: str
    answer: bool


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False; got {value!r}.")
    return value


def processing_mode(
    needs_request_data: bool, fits_budget: bool
) -> tuple[str, tuple[TreeStep, ...]]:
    """Walk the two-question tree; return the mode and the questions answered on the way."""
    needs = _flag("needs_request_data", needs_request_data)
    fits = _flag("fits_budget", fits_budget)
    first = TreeStep(FIRST_QUESTION, needs)
    if not needs:
        return "batch", (first,)
    second = TreeStep(SECOND_QUESTION, fits)
    return ("real-time" if fits else "hybrid"), (first, second)


@dataclass(frozen=True)
class Scenario:
    """A prediction task described by the properties that decide its processing mode.

    ``budget_ms`` is how long the answer may take once it is asked for; ``items_to_score``
    and ``ms_per_item`` say what computing the whole answer at that moment would cost.
    """

    id: str
    description: str
    needs_request_data: bool
    budget_ms: float
    items_to_score: int
    ms_per_item: float
    explanation: str

    def __post_init__(self):
        _flag("needs_request_data", self.needs_request_data)
        require_number("budget_ms", self.budget_ms, 0, None, low_inclusive=False, unit="ms")
        require_int("items_to_score", self.items_to_score, 1)
        require_number("ms_per_item", self.ms_per_item, 0, None, low_inclusive=False, unit="ms")

    @property
    def full_answer_ms(self) -> float:
        return self.items_to_score * self.ms_per_item

    @property
    def mode(self) -> str:
        return classify(self.record())

    def record(self) -> dict:
        """The scenario as a plain dict of ``SCENARIO_FIELDS`` (what a learner's function gets)."""
        data = asdict(self)
        return {name: data[name] for name in SCENARIO_FIELDS}


def classify(scenario: Mapping) -> str:
    """The reference decision rule over a scenario's properties (a dict of SCENARIO_FIELDS)."""
    if not isinstance(scenario, Mapping):
        raise ValueError(
            f"scenario must be a dict of {', '.join(SCENARIO_FIELDS)}; got "
            f"{type(scenario).__name__}."
        )
    missing = [name for name in SCENARIO_FIELDS[2:] if name not in scenario]
    if missing:
        raise ValueError(
            f"scenario must have the keys {', '.join(SCENARIO_FIELDS[2:])}; "
            f"missing {', '.join(missing)}."
        )
    full_answer_ms = scenario["items_to_score"] * scenario["ms_per_item"]
    fits = bool(full_answer_ms <= scenario["budget_ms"])
    return processing_mode(_flag("needs_request_data", scenario["needs_request_data"]), fits)[0]


HOUR_MS = 3_600_000.0

SCENARIOS = (
    Scenario(
        "card-fraud",
        "Approve or block a card payment at the checkout terminal.",
        True,
        100.0,
        1,
        10.0,
        "the payment did not exist a second ago, and scoring one transaction (10 ms) fits "
        "easily in the 100 ms the terminal waits.",
    ),
    Scenario(
        "weekly-churn-report",
        "Email account managers a list of customers likely to churn, every Monday at 8:00.",
        False,
        8 * HOUR_MS,
        2_000_000,
        0.05,
        "every customer is known before the run: score them all overnight.",
    ),
    Scenario(
        "home-feed",
        "Order the videos on a user's home page when they open the app, using what they "
        "watched in this session.",
        True,
        200.0,
        5_000_000,
        0.01,
        "the session is request-time data, but scoring 5,000,000 videos takes 50,000 ms "
        "against a 200 ms budget: precompute candidates per user, rank a few hundred per request.",
    ),
    Scenario(
        "also-bought",
        "Show 'customers who bought this also bought' on a product page as it loads.",
        False,
        100.0,
        1_000_000,
        0.01,
        "someone waits, but the list depends only on the product, known in advance: compute "
        "it nightly and serve a stored list in a millisecond.",
    ),
    Scenario(
        "ad-auction",
        "Bid on an ad slot: the bid request brings the page and the user; the model gets "
        "10 ms of the auction's 100 ms.",
        True,
        10.0,
        50,
        0.1,
        "the page and user arrive with the bid request, and 50 eligible ads x 0.1 ms = 5 ms "
        "fits the 10 ms the model gets.",
    ),
    Scenario(
        "newsletter",
        "Pick three articles for tomorrow's personalised newsletter, sent at 7:00.",
        False,
        8 * HOUR_MS,
        30_000,
        0.01,
        "the send time is known and nothing changes between scoring and sending.",
    ),
    Scenario(
        "login-risk",
        "Decide whether a login attempt needs a second factor, from its device, IP and timing.",
        True,
        300.0,
        1,
        20.0,
        "the attempt is brand new, and one 20 ms score fits the 300 ms the login screen waits.",
    ),
    Scenario(
        "playlist-continuation",
        "Queue the next songs when a listener's playlist is about to end, reflecting what "
        "they skipped in this session.",
        True,
        2000.0,
        80_000_000,
        0.001,
        "the skips are request-time data, but scoring 80 M songs takes 80 s against 2 s: "
        "precompute similar-song lists, re-rank them with the session.",
    ),
)
SCENARIO_BY_ID = {s.id: s for s in SCENARIOS}


def scenarios_table(scenarios=SCENARIOS) -> pd.DataFrame:
    """The scenarios with the properties that decide them, without their answers."""
    return pd.DataFrame([s.record() for s in scenarios], columns=list(SCENARIO_FIELDS))
