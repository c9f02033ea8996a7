"""mlsd.ranking: metrics agree with scikit-learn; the search engine runs end to end."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import label_ranking_average_precision_score, ndcg_score, precision_score

from mlsd import data, ranking


@st.composite
def graded(draw, ties=True):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(2, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 4, (n, m)).astype(float)
    y_score = rng.integers(0, 3, (n, m)).astype(float) if ties else rng.random((n, m))
    k = draw(st.integers(1, m))
    return y_true, y_score, k


@settings(max_examples=300, deadline=None)
@given(graded(ties=True))
def test_ndcg_matches_sklearn_with_ties(case):
    y_true, y_score, k = case
    assert ranking.ndcg_at_k(y_true, y_score, k) == pytest.approx(
        ndcg_score(y_true, y_score, k=k), abs=1e-12
    )


@settings(max_examples=200, deadline=None)
@given(graded(ties=False))
def test_ndcg_matches_sklearn_without_ties_and_k_none(case):
    y_true, y_score, _k = case
    assert ranking.ndcg_at_k(y_true, y_score) == pytest.approx(ndcg_score(y_true, y_score))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(2, 9), st.integers(0, 2**32 - 1))
def test_mrr_equals_lrap_with_one_relevant_item(n, m, seed):
    rng = np.random.default_rng(seed)
    y_true = np.zeros((n, m), dtype=int)
    y_true[np.arange(n), rng.integers(0, m, n)] = 1
    y_score = rng.permutation(n * m).reshape(n, m).astype(float)
    assert ranking.mean_reciprocal_rank(y_true, y_score) == pytest.approx(
        label_ranking_average_precision_score(y_true, y_score)
    )


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 9), st.integers(0, 2**32 - 1), st.data())
def test_precision_at_k_matches_sklearn_precision_of_the_top_k(m, seed, extra):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 2, m)
    y_score = rng.permutation(m).astype(float)
    k = extra.draw(st.integers(1, m))
    top = np.zeros(m, dtype=int)
    top[np.argsort(-y_score)[:k]] = 1
    assert ranking.precision_at_k(y_true, y_score, k) == pytest.approx(
        precision_score(y_true, top, zero_division=0)
    )


def test_rows_with_nothing_relevant_score_zero_like_sklearn():
    assert ranking.ndcg_at_k([[0, 0]], [[1, 2]]) == 0.0
    assert ranking.mean_reciprocal_rank([[0, 0]], [[1, 2]]) == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 2], [1]), "y_score must have the same shape"),
        (([], []), "non-empty"),
        (([1, np.nan], [1, 2]), "finite"),
        (([[-1, 2]], [[1, 2]]), "negative"),
    ],
)
def test_bad_inputs_name_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        ranking.ndcg_at_k(*args)


def test_k_must_be_a_positive_whole_number():
    with pytest.raises(ValueError, match="k must be a whole number >= 1; got 0"):
        ranking.ndcg_at_k([1, 0], [1, 0], 0)


def test_search_engine_end_to_end():
    qa = data.load("support_qa")
    index = ranking.build_index(qa["answer"])
    hits = ranking.search(index, "what is python", k=5)
    assert list(hits["rank"]) == [1, 2, 3, 4, 5]
    assert hits["score"].is_monotonic_decreasing
    assert "python" in hits["text"].iloc[0].lower()
    summary, per_query = ranking.evaluate_search(qa, index, ranking.sample_queries(qa, 40), k=10)
    assert set(summary) == {"NDCG@10", "MRR", "P@10"}
    assert all(0 <= v <= 1 for v in summary.values())
    assert len(per_query) == 40


def test_bm25_is_zero_for_unknown_words():
    qa = data.load("support_qa")
    index = ranking.build_index(qa["answer"].head(50))
    assert ranking.bm25_scores(index, "zzzqqq", [0, 1, 2]).tolist() == [0, 0, 0]
