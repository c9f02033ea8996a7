"""A two-stage recommender (guide section 5, pattern 1) on the Open Bandit Dataset sample.

The log holds 10,000 real impressions of 80 fashion items shown by a *uniform random*
policy, with a click flag. There is no user id: users are described by four hashed
features, so we treat each combination as a *segment* (a group of similar users).

Pipeline: candidate generation (batch: the most clicked items overall plus every item the
segment clicked) -> ranking (each candidate's click rate in the segment, shrunk towards the
item's overall rate so that a few impressions do not decide) -> business rules (at most
``max_per_group`` items of one item group, item_feature_1) -> top-K. A segment never seen
in training is a cold start: it gets the most popular items.

Because the log comes from a random policy, the click rate of our recommendations can be
estimated by *replay*: keep the test impressions whose shown item is in that segment's
top-K and take their click rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from mlsd.validation import require_int, require_number

USER_COLUMNS = ("user_feature_0", "user_feature_1", "user_feature_2", "user_feature_3")


def with_segments(clicks: pd.DataFrame) -> pd.DataFrame:
    """Add a ``segment`` column: the user features joined (short hashes)."""
    out = clicks.copy()
    out["segment"] = out[list(USER_COLUMNS)].apply(lambda c: c.str[:6]).agg("-".join, axis=1)
    return out


def time_split(clicks: pd.DataFrame, train_share=0.8) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The earliest ``train_share`` of impressions to learn from, the rest to test on."""
    share = require_number(
        "train_share", train_share, 0, 1, low_inclusive=False, high_inclusive=False
    )
    ordered = clicks.sort_values("timestamp", kind="stable")
    cut = int(round(len(ordered) * share))
    return ordered.iloc[:cut], ordered.iloc[cut:]


@dataclass
class TwoStage:
    """Counts learned from the training log; ``recommend`` runs the four stages."""

    segments: list[str]
    n_items: int
    impressions: np.ndarray  # (segments, items)
    clicks: np.ndarray  # (segments, items)
    item_groups: np.ndarray  # group of each item (item_feature_1), for rules and diversity
    n_popular: int = 10
    shrinkage: float = 50.0

    @property
    def global_ctr(self) -> np.ndarray:
        # Add-one smoothing so unseen items are not exactly 0.
        return (self.clicks.sum(0) + 1) / (self.impressions.sum(0) + 2)

    def popular(self, n) -> np.ndarray:
        """The ``n`` items with the most clicks (ties: higher smoothed click rate first)."""
        order = np.lexsort((-self.global_ctr, -self.clicks.sum(0)))
        return order[:n]

    def candidates(self, segment: str) -> np.ndarray:
        """Stage 1: popular items plus every item this segment clicked."""
        pool = set(self.popular(self.n_popular).tolist())
        if segment in self._index:
            row = self._index[segment]
            pool |= set(np.flatnonzero(self.clicks[row] > 0).tolist())
        return np.array(sorted(pool))

    def scores(self, segment: str, items) -> np.ndarray:
        """Stage 2: the segment's click rate, shrunk towards each item's overall rate."""
        items = np.asarray(items, dtype=int)
        prior = self.global_ctr[items]
        if segment not in self._index:
            return prior
        row = self._index[segment]
        m = self.shrinkage
        return (self.clicks[row, items] + m * prior) / (self.impressions[row, items] + m)

    def recommend(self, segment: str, k=3, max_per_group=2) -> list[int]:
        """Candidates -> ranking -> business rules -> top-K item ids."""
        k = require_int("k", k, 1, self.n_items)
        cap = require_int("max_per_group", max_per_group, 1, self.n_items)
        if segment not in self._index:  # cold start: nothing known about this user
            ranked = self.popular(self.n_items)
        else:
            pool = self.candidates(segment)
            ranked = pool[np.argsort(-self.scores(segment, pool), kind="stable")]
            rest = np.setdiff1d(self.popular(self.n_items), ranked, assume_unique=True)
            ranked = np.concatenate([ranked, [i for i in self.popular(self.n_items) if i in rest]])
        return apply_group_cap(ranked, self.item_groups, k, cap)

    def __post_init__(self):
        self._index = {s: i for i, s in enumerate(self.segments)}


def apply_group_cap(ranked, groups, k, max_per_group) -> list[int]:
    """Business rule: walk down the ranking, skip an item whose group is already full."""
    taken, used = [], {}
    for item in ranked:
        g = groups[int(item)]
        if used.get(g, 0) < max_per_group:
            taken.append(int(item))
            used[g] = used.get(g, 0) + 1
            if len(taken) == k:
                break
    return taken


def fit(train: pd.DataFrame, items: pd.DataFrame, n_popular=10, shrinkage=50.0) -> TwoStage:
    """Count impressions and clicks per (segment, item) on the training log."""
    n_popular = require_int("n_popular", n_popular, 1, len(items))
    shrinkage = require_number("shrinkage", shrinkage, 0, None)
    segments = sorted(train["segment"].unique())
    index = {s: i for i, s in enumerate(segments)}
    rows = train["segment"].map(index).to_numpy()
    cols = train["item_id"].to_numpy(int)
    n_items = len(items)
    impressions = np.zeros((len(segments), n_items))
    clicks = np.zeros((len(segments), n_items))
    np.add.at(impressions, (rows, cols), 1)
    np.add.at(clicks, (rows, cols), train["click"].to_numpy(float))
    groups = items.sort_values("item_id")["item_feature_1"].to_numpy()
    return TwoStage(segments, n_items, impressions, clicks, groups, n_popular, shrinkage)


def intra_list_diversity(recommended, groups) -> float:
    """Share of item pairs in a list that come from different groups (1 = all different)."""
    pairs = list(combinations(recommended, 2))
    if not pairs:
        return 0.0
    return float(np.mean([groups[a] != groups[b] for a, b in pairs]))


def catalogue_coverage(lists, n_items) -> float:
    """Share of the catalogue that appears in at least one recommendation list."""
    n_items = require_int("n_items", n_items, 1, None)
    shown = {int(i) for items in lists for i in items}
    return len(shown) / n_items


def evaluate(model: TwoStage, test: pd.DataFrame, k=3, max_per_group=2) -> dict:
    """Replay CTR, precision@K, coverage and diversity of the top-K lists on the test log.

    - replay CTR: click rate of the test impressions whose item is in the segment's top-K
      (unbiased for a uniform random logging policy); compare with the log's overall rate;
    - precision@K: over segments with a test click, the share of their top-K that they
      clicked in the test period;
    - coverage: share of the 80 items recommended to at least one segment;
    - diversity: mean intra-list diversity over segments.
    """
    lists = {s: model.recommend(s, k, max_per_group) for s in test["segment"].unique()}
    in_top = np.array(
        [item in lists[seg] for seg, item in zip(test["segment"], test["item_id"], strict=True)]
    )
    matched = test[in_top]
    clicked = test[test["click"] == 1].groupby("segment")["item_id"].agg(set)
    precision = [len(set(lists[s]) & items) / k for s, items in clicked.items()]
    return {
        "replay CTR": float(matched["click"].mean()) if len(matched) else 0.0,
        "log CTR (random policy)": float(test["click"].mean()),
        "replay impressions": int(len(matched)),
        f"precision@{k}": float(np.mean(precision)) if precision else 0.0,
        "coverage": catalogue_coverage(lists.values(), model.n_items),
        "diversity": float(
            np.mean([intra_list_diversity(v, model.item_groups) for v in lists.values()])
        ),
        "segments": len(lists),
        "cold-start segments": int(sum(s not in model._index for s in lists)),
    }
