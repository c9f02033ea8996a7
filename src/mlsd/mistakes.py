"""Guide section 9, the seven common mistakes: a spot-the-mistake quiz, the phased plan
against over-engineering, and a detector for statements that carry numbers with units.

The time-management mistake has its own module, ``mlsd.timeline``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral

MISTAKES = {
    "jumping_to_solution": "Jumping to a solution too quickly",
    "over_engineering": "Over-engineering",
    "ignoring_non_ml": "Ignoring the non-ML components",
    "no_numbers": "No numbers or specifics",
    "forgetting_production": "Forgetting about production",
    "ignoring_edge_cases": "Not considering edge cases",
    "poor_time_management": "Poor time management",
}
CHOICES = (*MISTAKES, "none")


@dataclass(frozen=True)
class Excerpt:
    id: str
    prompt: str
    text: str
    answer: str  # a key of MISTAKES, or "none"
    explanation: str


# Answer excerpts written for this workbook; each illustrates one mistake (or none).
EXCERPTS = (
    Excerpt(
        "E1",
        "What are the requirements?",
        "It has to be fast, handle a lot of traffic and be really accurate.",
        "no_numbers",
        "Fast, a lot, really accurate: none can be designed for or tested. Say p99 latency, "
        "QPS and a metric with a target.",
    ),
    Excerpt(
        "E2",
        "Design a search ranker.",
        "Before I draw anything: how many queries a second, what latency budget, and do we "
        "have click logs or human relevance labels?",
        "none",
        "Clarifying scale, latency and the labels available before designing: exactly "
        "the right start.",
    ),
    Excerpt(
        "E3",
        "Recommend products for a shop with 8,000 customers.",
        "We'll pretrain a billion-parameter model on a GPU cluster and serve it from "
        "several regions behind a service mesh.",
        "over_engineering",
        "8 K customers need popularity lists or collaborative filtering first; the cluster "
        "costs months and beats a simple baseline by nothing you could measure.",
    ),
    Excerpt(
        "E4",
        "(Forty minutes into a sixty-minute interview.)",
        "...so that's the third variant of the attention layer. I haven't drawn the serving "
        "side yet; let me go through the loss function first.",
        "poor_time_management",
        "Forty minutes on model internals leaves twenty for everything else: the "
        "architecture, trade-offs and wrap-up will be rushed.",
    ),
    Excerpt(
        "E5",
        "Design a news-feed ranker.",
        "Right, I'd use a two-tower model with in-batch negatives, then a transformer "
        "re-ranker on top. Let me start with the embedding sizes.",
        "jumping_to_solution",
        "Model choices in the first sentence, with no question about users, latency or the "
        "feedback available: the design may solve the wrong problem.",
    ),
    Excerpt(
        "E6",
        "How would you launch it?",
        "Shadow mode for a week, then a 5 % canary with automatic rollback if p99 or the "
        "complaint rate crosses its alert line, then a two-week A/B test.",
        "none",
        "Deployment, monitoring and rollback: production thinking, not only accuracy.",
    ),
    Excerpt(
        "E7",
        "Design a movie recommender.",
        "Every user has rated dozens of films, so matrix factorisation covers everyone and "
        "the ratings are always clean.",
        "ignoring_edge_cases",
        "New users and new films have no ratings (cold start), most matrices are sparse, "
        "and ratings get spammed: only the happy path was designed.",
    ),
    Excerpt(
        "E8",
        "You have a model with 0.94 AUC. What next?",
        "Then we're done: 0.94 AUC offline is excellent, so we ship it.",
        "forgetting_production",
        "No deployment plan, A/B test, monitoring, drift detection or rollback: production "
        "ML is about keeping it reliable after launch.",
    ),
    Excerpt(
        "E9",
        "Any requirements you want to state?",
        "p99 under 80 ms at 12 K QPS peak, and precision of at least 95 % at 80 % recall on "
        "last month's labelled traffic.",
        "none",
        "Latency, load and quality, each with a number and a unit, and a way to check it.",
    ),
    Excerpt(
        "E10",
        "Design a fraud detector.",
        "The heart is a gradient-boosted model with 300 trees, depth 8, learning rate 0.05, "
        "and these forty features... (and the whole answer stays on the model).",
        "ignoring_non_ml",
        "Nothing on data collection, the feature pipeline, serving, alerts, A/B tests or "
        "the feedback loop from chargebacks: the model is a small part of the system.",
    ),
)
EXCERPT_BY_ID = {e.id: e for e in EXCERPTS}


@dataclass(frozen=True)
class QuizFeedback:
    id: str
    given: object
    correct: bool
    text: str


def _label(choice: str) -> str:
    return MISTAKES.get(choice, "no mistake")


def classify(excerpt_id: str, choice) -> QuizFeedback:
    """Feedback on one answer; an explanation whether it is right or wrong."""
    if excerpt_id not in EXCERPT_BY_ID:
        raise ValueError(
            f"excerpt_id must be one of {', '.join(EXCERPT_BY_ID)}; got {excerpt_id!r}."
        )
    if choice not in CHOICES:
        raise ValueError(
            f"the answer for {excerpt_id} must be one of {', '.join(map(repr, CHOICES))}; "
            f"got {choice!r}."
        )
    e = EXCERPT_BY_ID[excerpt_id]
    if choice == e.answer:
        return QuizFeedback(e.id, choice, True, f"✓ {_label(choice)}. {e.explanation}")
    return QuizFeedback(
        e.id,
        choice,
        False,
        f"✗ you chose “{_label(choice)}”, but this excerpt shows: {_label(e.answer)}. "
        f"{e.explanation}",
    )


def quiz_score(answers: Mapping) -> int:
    """How many excerpts the answers classify correctly (unknown or missing count 0)."""
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers must be a dict of excerpt id -> choice; got {answers!r}.")
    return sum(answers.get(e.id) == e.answer for e in EXCERPTS)


# --------------------------------------------------------------- over-engineering ---
@dataclass(frozen=True)
class Phase:
    number: int
    name: str
    approach: str
    from_users: int  # the phase fits from this many users (our thresholds)


PHASES = (
    Phase(1, "Popularity", "most popular items, no ML", 0),
    Phase(2, "Collaborative filtering", "simple ML on the user-item matrix", 1_000),
    Phase(3, "Neural network", "deep models, only if the data and the gain justify it", 1_000_000),
)


def choose_phase(users) -> int:
    """The phase to start with at this many users: 1 below 1,000, 2 below 1 M, else 3."""
    if isinstance(users, bool) or not isinstance(users, Integral):
        raise ValueError(f"users must be a whole number >= 0; got {users!r}.")
    if users < 0:
        raise ValueError(f"users must be a whole number >= 0; got {users}.")
    for phase in reversed(PHASES):
        if users >= phase.from_users:
            return phase.number
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------- no numbers ---
_NUM = r"(?<![\w.])\d+(?:[.,]\d+)*\s*(?:[kKmMbB](?![a-zA-Z])|thousand|million|billion)?"
UNIT_PATTERNS = {
    "latency": re.compile(
        _NUM + r"\s*(?:ms|milliseconds?|µs|us|s|secs?|seconds?|minutes?|min)\b", re.I
    ),
    "scale": re.compile(
        _NUM + r"\s*(?:[a-z-]+\s+){0,2}?"
        r"(?:qps|rps|requests?(?:\s*(?:/|per)\s*(?:s|sec|second|day))?|users?|"
        r"dau|mau|customers?|items?|examples?|events?|rows?|queries|documents?|images?|"
        r"[kmgtp]b|bytes?|transactions?)\b",
        re.I,
    ),
    "accuracy": re.compile(
        r"(?:"
        + _NUM
        + r"\s*(?:%|percent)|(?:auc|ndcg(?:@\d+)?|f1|map)\s*(?:of|=|:|at)?\s*0?\.\d+)",
        re.I,
    ),
}
KINDS = tuple(UNIT_PATTERNS)


def quantities(statement: str, kind: str) -> list[str]:
    """Every number-with-unit of ``kind`` ('latency', 'scale', 'accuracy') in the text."""
    if not isinstance(statement, str):
        raise ValueError(f"statement must be text; got {type(statement).__name__}.")
    if kind not in UNIT_PATTERNS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")
    return [m.group(0).strip() for m in UNIT_PATTERNS[kind].finditer(statement)]


def missing_numbers(statements: Mapping) -> dict[str, str]:
    """For each kind whose statement has no number with a unit, the reason; {} if all do."""
    if not isinstance(statements, Mapping):
        raise ValueError(
            f"statements must be a dict with keys {', '.join(KINDS)}; got "
            f"{type(statements).__name__}."
        )
    out = {}
    units = {
        "latency": "a time unit (ms or s)",
        "scale": "a unit of load or size (QPS, users, TB, examples)",
        "accuracy": "a percentage or a metric value (95 %, AUC 0.9)",
    }
    for kind in KINDS:
        text = statements.get(kind)
        if not isinstance(text, str) or not text.strip():
            out[kind] = "no statement given"
        elif not quantities(text, kind):
            bare = re.search(r"\d", text)
            out[kind] = (
                f"has a number but not with {units[kind]}"
                if bare
                else f"has no number: add one with {units[kind]}"
            )
    return out
