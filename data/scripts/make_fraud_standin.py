"""A clearly labelled stand-in for fraud data: scikit-learn's breast-cancer set made rare.

No real card-fraud set ships inside a Python package, so section 5 uses a real, imbalanced
binary problem built from a real one: the Wisconsin diagnostic breast-cancer data that
scikit-learn ships (sklearn/datasets/data/breast_cancer.csv, 569 rows). We keep every
benign case (357) and a seeded random sample of 28 of the 212 malignant ones, so the positive
class ("malignant", playing the role of "fraud") is 7.3% of the 385 rows: a rare event.
Column names are scikit-learn's feature names with spaces replaced by underscores; the
label is ``is_positive`` (1 = malignant). Seed 5 makes the file reproducible.

Usage: python data/scripts/make_fraud_standin.py
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer

SEED = 5
N_POSITIVE = 28


def main(out: Path) -> None:
    bunch = load_breast_cancer()
    table = pd.DataFrame(bunch.data, columns=[c.replace(" ", "_") for c in bunch.feature_names])
    table["is_positive"] = (bunch.target == 0).astype(int)  # sklearn: 0 = malignant
    rng = np.random.default_rng(SEED)
    positives = np.flatnonzero(table["is_positive"].to_numpy() == 1)
    keep_pos = np.sort(rng.choice(positives, size=N_POSITIVE, replace=False))
    negatives = np.flatnonzero(table["is_positive"].to_numpy() == 0)
    rows = np.sort(np.concatenate([negatives, keep_pos]))
    sample = table.iloc[rows].reset_index(drop=True)
    sample.insert(0, "source_row", rows)
    sample.to_csv(out / "fraud_standin.csv", index=False, lineterminator="\n", float_format="%.6g")


if __name__ == "__main__":
    main(Path(__file__).resolve().parents[1])
