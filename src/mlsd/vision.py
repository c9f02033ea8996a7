"""Computer vision (guide section 5, pattern 3): classify scikit-learn's 8x8 digits.

Pipeline: image -> preprocessing (scale pixels to [0, 1]) -> feature extraction (PCA to a
few dozen components) -> classification (logistic regression) -> result. Metrics come from
scikit-learn; inference time per image is measured, as a median, against a target.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from mlsd.validation import require_int, require_number


def split(digits: pd.DataFrame, test_share=0.25, seed=0):
    """Stratified train/test split of the digits table: (X_train, X_test, y_train, y_test)."""
    test_share = require_number(
        "test_share", test_share, 0, 1, low_inclusive=False, high_inclusive=False
    )
    X = digits.drop(columns="target").to_numpy(float)
    y = digits["target"].to_numpy(int)
    return train_test_split(X, y, test_size=test_share, random_state=seed, stratify=y)


def make_pipeline(n_components=30) -> Pipeline:
    """Preprocessing -> feature extraction -> classifier, as one scikit-learn pipeline."""
    n_components = require_int("n_components", n_components, 1, 64)
    return Pipeline(
        [
            ("preprocess", FunctionTransformer(lambda X: np.asarray(X) / 16.0)),
            ("features", PCA(n_components=n_components, random_state=0)),
            ("classify", LogisticRegression(max_iter=2000, C=1.0)),
        ]
    )


def report(y_true, y_pred) -> tuple[dict, pd.DataFrame]:
    """Overall accuracy and macro scores, plus per-class precision, recall, F1, support."""
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    per_class = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s})
    per_class.index.name = "digit"
    overall = {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro precision": float(p.mean()),
        "macro recall": float(r.mean()),
        "macro F1": float(f.mean()),
    }
    return overall, per_class


def confusion(y_true, y_pred) -> np.ndarray:
    return confusion_matrix(y_true, y_pred, labels=np.arange(10))


def ms_per_image(model, X, repeats=7, batch=1) -> float:
    """Median wall time (ms) to classify one image, calling the model ``batch`` images at a
    time (batch=1: one request per image, as an online service would)."""
    repeats = require_int("repeats", repeats, 1, 1000)
    batch = require_int("batch", batch, 1, len(X))
    X = np.asarray(X)[:batch]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict(X)
        times.append((time.perf_counter() - start) * 1000 / batch)
    return float(np.median(times))
