"""Batch vs real-time vs hybrid processing (guide section 6.2)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MODES = ("batch", "real-time", "hybrid")


def comparison_table() -> pd.DataFrame:
    """The guide's five dimensions for the three processing modes."""
    return pd.DataFrame(
        {
            "batch": ["hours to days", "stale", "low", "low", "reports, analytics"],
            "real-time": ["milliseconds", "fresh", "high", "high", "fraud checks, ad serving"],
            "hybrid": ["seconds", "medium", "medium", "medium", "recommendations"],
        },
        index=pd.Index(
            ["latency", "freshness", "cost", "complexity", "typical use"], name="dimension"
        ),
    )


@dataclass(frozen=True)
class TreeStep:
    question: str
    answer: bool


def processing_mode(
    immediate_decision: bool, precomputable: bool
) -> tuple[str, tuple[TreeStep, ...]]:
    """Walk the decision tree; return the mode and the questions answered on the way."""
    for name, value in (
        ("immediate_decision", immediate_decision),
        ("precomputable", precomputable),
    ):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False; got {value!r}.")
    first = TreeStep("Must a decision about a brand-new event be made at once?", immediate_decision)
    if immediate_decision:
        return "real-time", (first,)
    second = TreeStep("Can every result be computed ahead of time?", precomputable)
    return ("batch" if precomputable else "hybrid"), (first, second)


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    immediate_decision: bool
    precomputable: bool
    explanation: str

    @property
    def mode(self) -> str:
        return processing_mode(self.immediate_decision, self.precomputable)[0]


SCENARIOS = (
    Scenario(
        "card-fraud",
        "Approve or block a card payment at the checkout terminal.",
        True,
        False,
        "the payment waits for the answer, and the transaction did not exist a second ago.",
    ),
    Scenario(
        "weekly-churn-report",
        "Email account managers a list of customers likely to churn, every Monday.",
        False,
        True,
        "nobody waits on it and every customer is known in advance: score them all overnight.",
    ),
    Scenario(
        "home-feed",
        "Order the videos on a user's home page when they open the app.",
        False,
        False,
        "candidates can be precomputed per user, but the final order depends on the session: "
        "precompute candidates, rank them at request time.",
    ),
    Scenario(
        "ad-auction",
        "Bid on an ad slot in a real-time auction that closes in 100 ms.",
        True,
        False,
        "the auction closes whether you answered or not; the page context is new each time.",
    ),
    Scenario(
        "newsletter",
        "Pick three articles for tomorrow's personalised newsletter.",
        False,
        True,
        "the send time is known and nothing changes between scoring and sending.",
    ),
    Scenario(
        "login-risk",
        "Decide whether a login attempt needs a second factor, from its device, IP and timing.",
        True,
        False,
        "the user is stuck at the login screen until you answer, and the attempt is brand new.",
    ),
    Scenario(
        "playlist-continuation",
        "Queue the next songs when a listener's playlist is about to end.",
        False,
        False,
        "a few seconds are fine and similar-song lists can be precomputed, but the queue must "
        "reflect what was skipped in this session.",
    ),
)
SCENARIO_BY_ID = {s.id: s for s in SCENARIOS}


def scenarios_table() -> pd.DataFrame:
    """The scenarios for the exercise, without their answers."""
    return pd.DataFrame(
        {"id": [s.id for s in SCENARIOS], "scenario": [s.description for s in SCENARIOS]}
    )
