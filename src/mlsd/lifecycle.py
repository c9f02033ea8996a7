"""The full ML lifecycle (guide section 7, tip 6) as a self-assessment checklist.

Six stages, three questions each. A learner describes a design in a few sentences; a keyword
scan suggests which questions the text already answers (a suggestion, not a grade: the
learner ticks what is really covered), and ``gaps`` lists what is left, stage by stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Item:
    key: str
    stage: str
    question: str
    keywords: tuple[str, ...]


STAGES = (
    "Data collection",
    "Feature engineering",
    "Model training",
    "Model evaluation",
    "Model deployment",
    "Monitoring & maintenance",
)

ITEMS = (
    Item(
        "data-source",
        STAGES[0],
        "Where do training examples and labels come from?",
        ("label", "logged", "logs", "annotat", "collect", "implicit feedback", "clicks"),
    ),
    Item(
        "data-quality",
        STAGES[0],
        "How is data quality checked?",
        ("data quality", "validation", "schema", "dedup", "missing value", "outlier"),
    ),
    Item(
        "privacy",
        STAGES[0],
        "Is collection privacy-compliant (consent, retention)?",
        ("privacy", "gdpr", "consent", "pii", "anonymi", "retention", "ccpa"),
    ),
    Item(
        "online-offline",
        STAGES[1],
        "Which features are online and which offline?",
        (
            "online feature",
            "offline feature",
            "real-time feature",
            "batch feature",
            "request-time",
            "precomputed",
        ),
    ),
    Item(
        "feature-store",
        STAGES[1],
        "Is there a feature store (same features in training and serving)?",
        ("feature store", "training-serving skew", "train/serve skew", "feast"),
    ),
    Item(
        "freshness",
        STAGES[1],
        "How fresh must each feature be?",
        ("fresh", "stale", "ttl", "updated every", "hourly", "streaming"),
    ),
    Item(
        "frequency",
        STAGES[2],
        "How often is the model retrained?",
        ("retrain", "daily", "weekly", "nightly", "every day", "every week", "continual"),
    ),
    Item(
        "distributed",
        STAGES[2],
        "Does training need to be distributed?",
        ("distributed", "gpu", "multi-node", "data parallel", "horovod", "workers"),
    ),
    Item(
        "tuning",
        STAGES[2],
        "How are hyperparameters tuned?",
        ("hyperparameter", "tuning", "grid search", "random search", "bayesian optim", "optuna"),
    ),
    Item(
        "offline-metrics",
        STAGES[3],
        "Which offline metrics decide a candidate is better?",
        ("auc", "precision", "recall", "ndcg", "f1", "log loss", "offline metric", "rmse"),
    ),
    Item(
        "ab-test",
        STAGES[3],
        "Is there an online A/B test, with a success metric?",
        ("a/b", "ab test", "experiment", "online test", "interleav"),
    ),
    Item(
        "validation",
        STAGES[3],
        "What is the validation strategy (time split, holdout)?",
        (
            "holdout",
            "time-based split",
            "time split",
            "cross-validation",
            "backtest",
            "validation set",
        ),
    ),
    Item(
        "rollout",
        STAGES[4],
        "How is a new model rolled out (blue-green, canary, shadow)?",
        ("canary", "blue-green", "blue/green", "shadow", "gradual rollout", "staged rollout"),
    ),
    Item(
        "rollback",
        STAGES[4],
        "How is it rolled back, and who decides?",
        ("rollback", "roll back", "revert", "previous version"),
    ),
    Item(
        "serving",
        STAGES[4],
        "How is the model served (latency budget, fallbacks)?",
        ("latency", "p99", "fallback", "timeout", "cache", "qps"),
    ),
    Item(
        "performance",
        STAGES[5],
        "Which online metrics and system metrics are tracked?",
        ("dashboard", "ctr", "conversion", "error rate", "throughput", "monitor"),
    ),
    Item(
        "drift",
        STAGES[5],
        "How is drift detected?",
        ("drift", "psi", "distribution shift", "ks test", "kolmogorov"),
    ),
    Item(
        "triggers",
        STAGES[5],
        "What triggers a retrain or an alert?",
        ("trigger", "alert", "threshold", "page", "on-call", "when drops"),
    ),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)


def suggest_covered(description: str) -> set[str]:
    """Items whose keywords appear in the description (case-insensitive)."""
    if not isinstance(description, str):
        raise ValueError(f"description must be text; got {type(description).__name__}.")
    text = re.sub(r"\s+", " ", description.lower())
    return {item.key for item in ITEMS if any(k in text for k in item.keywords)}


def gaps(covered) -> pd.DataFrame:
    """One row per stage: items covered, the score and the questions still open."""
    covered = set(covered)
    unknown = sorted(covered - set(ITEM_KEYS))
    if unknown:
        raise ValueError(f"covered must hold item keys from {list(ITEM_KEYS)}; got {unknown}.")
    rows = []
    for stage in STAGES:
        items = [i for i in ITEMS if i.stage == stage]
        done = [i for i in items if i.key in covered]
        rows.append(
            {
                "stage": stage,
                "covered": f"{len(done)}/{len(items)}",
                "score": len(done) / len(items),
                "open questions": " · ".join(i.question for i in items if i.key not in covered)
                or "—",
            }
        )
    return pd.DataFrame(rows)


def weakest_stages(covered) -> list[str]:
    """The stages with the lowest coverage (all tied ones), or [] when everything is covered."""
    table = gaps(covered)
    low = table["score"].min()
    return [] if low == 1 else table.loc[table["score"] == low, "stage"].tolist()
