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
    lists = _lists(model, test, k, max_per_group)
    matched = test[_in_top(lists, test)]
    clicked = test[test["click"] == 1].groupby("segment")["item_id"].agg(set)
    precision = [len(set(lists[s]) & items) / k for s, items in clicked.items()]
    return {
        "replay CTR": float(matched["click"].mean()) if len(matched) else 0.0,
        "log CTR (random policy)": float(test["click"].mean()),
        "replay impressions": int(len(matched)),
        "replay clicks": int(matched["click"].sum()),
        f"precision@{k}": float(np.mean(precision)) if precision else 0.0,
        "coverage": catalogue_coverage(lists.values(), model.n_items),
        "diversity": float(
            np.mean([intra_list_diversity(v, model.item_groups) for v in lists.values()])
        ),
        "segments": len(lists),
        "cold-start segments": int(sum(s not in model._index for s in lists)),
    }


def _lists(model: TwoStage, test: pd.DataFrame, k, max_per_group) -> dict:
    return {s: model.recommend(s, k, max_per_group) for s in test["segment"].unique()}


def _in_top(lists: dict, test: pd.DataFrame) -> np.ndarray:
    pairs = zip(test["segment"], test["item_id"], strict=True)
    return np.array([item in lists[seg] for seg, item in pairs], dtype=bool)


def replay_clicks(model: TwoStage, test: pd.DataFrame, k=3, max_per_group=2) -> np.ndarray:
    """The click flags (0/1) of the test impressions whose item is in the segment's top-K:
    the units replay CTR averages, for an interval (``mlsd.intervals.bootstrap_mean``)."""
    matched = test[_in_top(_lists(model, test, k, max_per_group), test)]
    return matched["click"].to_numpy(float)


# ------------------------------------------------- candidate generation from interactions
# The guide's two families of candidate generators, built on the same log:
# - collaborative filtering (item-item, Linden, Smith & York, IEEE Internet Computing 2003):
#   items clicked by the same users are similar; recommend items similar to what a user
#   clicked. Needs interactions, and nothing else.
# - content-based: items with similar features are similar; recommend items like the ones a
#   user clicked. Needs item features, works for a brand-new item, and never surprises.


def click_matrix(log: pd.DataFrame, n_items: int) -> np.ndarray:
    """Clicks per (segment, item): the interaction matrix, segments in sorted order."""
    n_items = require_int("n_items", n_items, 1, None)
    segments = sorted(log["segment"].unique())
    index = {s: i for i, s in enumerate(segments)}
    matrix = np.zeros((len(segments), n_items))
    clicked = log[log["click"] == 1]
    np.add.at(
        matrix, (clicked["segment"].map(index).to_numpy(), clicked["item_id"].to_numpy(int)), 1
    )
    return matrix


def cosine_between_columns(matrix) -> np.ndarray:
    """Cosine similarity of every pair of columns (items), 0 on the diagonal and for an
    all-zero column."""
    matrix = np.asarray(matrix, dtype=float)
    norms = np.linalg.norm(matrix, axis=0)
    safe = np.where(norms > 0, norms, 1.0)
    unit = matrix / safe
    sim = unit.T @ unit
    np.fill_diagonal(sim, 0.0)
    return sim


def item_content(items: pd.DataFrame) -> np.ndarray:
    """Item feature vectors: one-hot of the three categorical features plus the numeric one
    scaled to [0, 1], one row per item id."""
    table = items.sort_values("item_id")
    parts = [
        pd.get_dummies(table[c].astype(str)).to_numpy(float)
        for c in ("item_feature_1", "item_feature_2", "item_feature_3")
    ]
    numeric = table["item_feature_0"].to_numpy(float)
    span = numeric.max() - numeric.min()
    parts.append(((numeric - numeric.min()) / (span if span else 1.0))[:, None])
    return np.hstack(parts)


def similar_to_history(history, similarity, n, exclude=()) -> np.ndarray:
    """The ``n`` items most similar to a user's clicked items: score = history @ similarity
    (each clicked item votes for its neighbours); ties and empty histories fall back to item
    order. ``exclude`` items are never returned."""
    n = require_int("n", n, 1, len(similarity))
    scores = np.asarray(history, float) @ np.asarray(similarity, float)
    scores[list(exclude)] = -np.inf
    return np.argsort(-scores, kind="stable")[:n]


def leave_one_out_hits(log: pd.DataFrame, items: pd.DataFrame, n=10) -> pd.DataFrame:
    """Hit rate@n of four candidate generators, one row per click in the log.

    Each click (segment, item) is hidden in turn; every generator proposes ``n`` candidates
    for that segment from the other clicks only; a hit means the hidden item is among them.
    Generators: popularity (most clicked items), item-item CF (similarity from co-clicks),
    content-based (similarity of item features) and random (expected hit rate n / items).
    CF and content-based fall back to popularity for a segment with no other click: that
    fallback is how every production recommender handles a cold start.
    """
    n_items = len(items)
    n = require_int("n", n, 1, n_items)
    matrix = click_matrix(log, n_items)
    segments = sorted(log["segment"].unique())
    index = {s: i for i, s in enumerate(segments)}
    content = cosine_between_columns(item_content(items).T)
    rows = []
    clicked = log[log["click"] == 1]
    for seg, item in zip(clicked["segment"], clicked["item_id"].astype(int), strict=True):
        train = matrix.copy()
        train[index[seg], item] -= 1  # hide this click
        popular = np.argsort(-train.sum(axis=0), kind="stable")[:n]
        history = train[index[seg]]
        has_history = history.sum() > 0
        cf = similar_to_history(history, cosine_between_columns(train), n)
        by_content = similar_to_history(history, content, n)
        rows.append(
            {
                "segment": seg,
                "item": item,
                "segment has other clicks": has_history,
                "popularity": item in popular,
                "item-item CF": item in (cf if has_history else popular),
                "content-based": item in (by_content if has_history else popular),
                "random": n / n_items,
            }
        )
    return pd.DataFrame(rows)
