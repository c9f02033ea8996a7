"""Fraud / anomaly detection (guide section 5, pattern 5): rules in front of a model.

An event passes a rule engine first (hard rules flag it at once, whatever the model says),
then a model scores it; the event is flagged when a rule fires or the score reaches the
threshold. Moving the threshold trades detection (recall) against false positives: the
guide's practice target for card fraud is over 90% detection with under 2% false positives.

The data here is a clearly labelled stand-in (see data/DATA.md): scikit-learn's breast-cancer
set made rare, with "malignant" playing the part of "fraud".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_curve, roc_curve
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mlsd.validation import require_number

TARGET_RECALL = 0.90  # "over 90% fraud detection"
TARGET_FPR = 0.02  # "under 2% false positives"


def _binary(name: str, values) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D list of 0/1 labels; got {values!r}.")
    if not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1; got values {np.unique(array)[:5]}.")
    return array.astype(int)


def _scores(name: str, values, n: int) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {values!r}.") from None
    if array.shape != (n,):
        raise ValueError(f"{name} must have one score per label ({n}); got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers.")
    return array


@dataclass(frozen=True)
class Rule:
    """Flag an event when ``column`` is above (or below) ``limit``."""

    name: str
    column: str
    above: bool
    limit: float

    def fires(self, events: pd.DataFrame) -> np.ndarray:
        if self.column not in events.columns:
            raise ValueError(f"rule {self.name!r} needs column {self.column!r}; it is missing.")
        values = events[self.column].to_numpy(float)
        return values > self.limit if self.above else values < self.limit


# Hard rules a domain expert might write: extreme sizes are flagged without asking the model.
DEFAULT_RULES = (
    Rule("very large worst area", "worst_area", True, 1500.0),
    Rule("very large worst radius", "worst_radius", True, 23.0),
)


def rule_hits(events: pd.DataFrame, rules=DEFAULT_RULES) -> pd.DataFrame:
    """One boolean column per rule, plus ``any_rule``."""
    hits = pd.DataFrame({rule.name: rule.fires(events) for rule in rules}, index=events.index)
    hits["any_rule"] = hits.any(axis=1) if len(rules) else False
    return hits


def mean_features(events: pd.DataFrame) -> list[str]:
    """The ten ``mean_*`` measurements: the cheap inputs of the "fast" model."""
    return [c for c in events.columns if c.startswith("mean_")]


def model_scores(events: pd.DataFrame, features=None, label="is_positive", seed=0) -> np.ndarray:
    """Out-of-fold probabilities from a scaled logistic regression (5-fold, stratified).

    Every row is scored by a model that never saw it, so the curves are honest.
    ``features``: the columns the model may use (default: every column but the label).
    """
    if features is None:
        features = events.drop(columns=[label, "source_row"], errors="ignore")
    else:
        missing = [c for c in features if c not in events.columns]
        if missing:
            raise ValueError(f"features must be columns of events; {missing} are not.")
        features = events[list(features)]
    model = make_pipeline(StandardScaler(), LogisticRegression(C=0.3, max_iter=2000))
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    return cross_val_predict(model, features, events[label], cv=folds, method="predict_proba")[:, 1]


def combined_scores(scores, rule_fired) -> np.ndarray:
    """Scores after the rule engine: an event a rule flags gets 1.0 (always flagged)."""
    scores = np.asarray(scores, dtype=float)
    return np.where(np.asarray(rule_fired, dtype=bool), 1.0, scores)


@dataclass(frozen=True)
class Confusion:
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        positives = self.tp + self.fn
        return self.tp / positives if positives else 0.0

    @property
    def fpr(self) -> float:
        negatives = self.fp + self.tn
        return self.fp / negatives if negatives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class ThresholdTable:
    """Sorted scores so that the confusion counts at any threshold cost one binary search.

    An event is flagged when its score is >= the threshold.
    """

    def __init__(self, y_true, scores):
        self.y = _binary("y_true", y_true)
        self.scores = _scores("scores", scores, self.y.size)
        order = np.argsort(self.scores, kind="stable")
        self.sorted_scores = self.scores[order]
        sorted_y = self.y[order]
        # Positives / negatives at or above each sorted position (suffix sums).
        self.pos_at_or_above = np.concatenate([np.cumsum(sorted_y[::-1])[::-1], [0]])
        self.neg_at_or_above = np.concatenate([np.cumsum(1 - sorted_y[::-1])[::-1], [0]])
        self.n_pos = int(self.y.sum())
        self.n_neg = int(self.y.size - self.n_pos)

    def confusion(self, threshold) -> Confusion:
        t = require_number("threshold", threshold)
        start = int(np.searchsorted(self.sorted_scores, t, side="left"))
        tp = int(self.pos_at_or_above[start])
        fp = int(self.neg_at_or_above[start])
        return Confusion(tp, fp, self.n_neg - fp, self.n_pos - tp)


def confusion_at(y_true, scores, threshold) -> Confusion:
    """Confusion counts when flagging every score >= ``threshold``."""
    return ThresholdTable(y_true, scores).confusion(threshold)


def threshold_metrics(y_true, scores, threshold) -> dict:
    """Precision, recall, F1 and false positive rate at ``threshold``."""
    c = confusion_at(y_true, scores, threshold)
    return {"precision": c.precision, "recall": c.recall, "f1": c.f1, "fpr": c.fpr}


def curves(y_true, scores) -> dict:
    """ROC (fpr, tpr) and PR (recall, precision) points from scikit-learn."""
    y = _binary("y_true", y_true)
    s = _scores("scores", scores, y.size)
    fpr, tpr, roc_t = roc_curve(y, s)
    precision, recall, pr_t = precision_recall_curve(y, s)
    return {
        "fpr": fpr,
        "tpr": tpr,
        "roc_thresholds": roc_t,
        "precision": precision,
        "recall": recall,
        "pr_thresholds": pr_t,
    }


def find_threshold(y_true, scores, recall_above=TARGET_RECALL, fpr_below=TARGET_FPR):
    """The highest threshold (one of the scores) with recall > ``recall_above`` and false
    positive rate < ``fpr_below``; None when no threshold meets both.

    Why the highest: recall and FPR both fall as the threshold rises, so the highest
    threshold that still reaches the recall target has the lowest FPR of all that do.
    """
    recall_above = require_number("recall_above", recall_above, 0, 1)
    fpr_below = require_number("fpr_below", fpr_below, 0, 1)
    table = ThresholdTable(y_true, scores)
    if table.n_pos == 0 or table.n_neg == 0:
        raise ValueError("y_true must hold both classes (some 0s and some 1s).")
    candidates = np.unique(table.sorted_scores)[::-1]
    starts = np.searchsorted(table.sorted_scores, candidates, side="left")
    recall = table.pos_at_or_above[starts] / table.n_pos
    fpr = table.neg_at_or_above[starts] / table.n_neg
    ok = (recall > recall_above) & (fpr < fpr_below)
    if not ok.any():
        return None
    return float(candidates[np.argmax(ok)])
