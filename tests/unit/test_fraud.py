"""mlsd.fraud: threshold metrics agree with scikit-learn; find_threshold's contract."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score

from mlsd import data, fraud


@st.composite
def labelled(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(2, 60))
    y = rng.integers(0, 2, n)
    y[0], y[1] = 0, 1
    s = rng.integers(0, 10, n) / 10 if seed % 2 else rng.random(n)
    t = float(draw(st.sampled_from([0.0, 0.3, 0.5, 0.55, 0.9, 1.0])))
    return y, s, t


@settings(max_examples=300, deadline=None)
@given(labelled())
def test_threshold_metrics_match_sklearn(case):
    y, s, t = case
    pred = (s >= t).astype(int)
    got = fraud.threshold_metrics(y, s, t)
    tn, fp, _fn, _tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    assert got["precision"] == pytest.approx(precision_score(y, pred, zero_division=0))
    assert got["recall"] == pytest.approx(recall_score(y, pred, zero_division=0))
    assert got["f1"] == pytest.approx(f1_score(y, pred, zero_division=0))
    assert got["fpr"] == pytest.approx(fp / (fp + tn))


@settings(max_examples=200, deadline=None)
@given(labelled(), st.sampled_from([0.3, 0.5, 0.9]), st.sampled_from([0.05, 0.2, 0.5]))
def test_find_threshold_is_the_highest_passing_score(case, r, f):
    y, s, _ = case
    t = fraud.find_threshold(y, s, r, f)
    passing = [
        c
        for c in np.unique(s)
        if (m := fraud.threshold_metrics(y, s, c))["recall"] > r and m["fpr"] < f
    ]
    assert t == (max(passing) if passing else None)


def test_real_data_fast_model_misses_the_target_and_full_model_meets_it():
    events = data.load("fraud_standin")
    y = events["is_positive"].to_numpy()
    fast = fraud.model_scores(events, fraud.mean_features(events))
    full = fraud.model_scores(events)
    assert fraud.find_threshold(y, fast) is None
    t = fraud.find_threshold(y, full)
    m = fraud.threshold_metrics(y, full, t)
    assert m["recall"] > 0.9 and m["fpr"] < 0.02


def test_rules_flag_without_the_model():
    events = data.load("fraud_standin")
    hits = fraud.rule_hits(events)
    scores = fraud.combined_scores(np.zeros(len(events)), hits["any_rule"])
    assert (scores[hits["any_rule"].to_numpy()] == 1.0).all()
    with pytest.raises(ValueError, match="needs column 'nope'"):
        fraud.Rule("r", "nope", True, 1).fires(events)


@pytest.mark.parametrize(
    ("y", "s", "message"),
    [
        ([0, 2], [0.1, 0.2], "only 0 and 1"),
        ([0, 1], [0.1], "one score per label"),
        ([0, 0], [0.1, 0.2], "both classes"),
    ],
)
def test_bad_inputs(y, s, message):
    with pytest.raises(ValueError, match=message):
        fraud.find_threshold(y, s)


def test_threshold_must_be_a_number():
    with pytest.raises(ValueError, match="threshold must be a number"):
        fraud.confusion_at([0, 1], [0.1, 0.9], "high")
