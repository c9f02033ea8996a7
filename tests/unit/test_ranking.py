"""mlsd.ranking: metrics agree with scikit-learn; the search engine runs end to end."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import label_ranking_average_precision_score, ndcg_score, precision_score

from mlsd import data, intervals, ranking


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
    qa = data.load("support_qa").drop_duplicates(["question", "answer"], ignore_index=True)
    index = ranking.build_index(qa["answer"])
    hits = ranking.search(index, "what is python", k=5)
    assert list(hits["rank"]) == [1, 2, 3, 4, 5]
    assert hits["score"].is_monotonic_decreasing
    assert "python" in hits["text"].iloc[0].lower()
    summary, per_query = ranking.evaluate_search(qa, index, ranking.sample_queries(qa, 40), k=10)
    assert set(summary) == {"NDCG@10", "MRR (own answer)", "MRR (any relevant)", "P@10"}
    assert all(0 <= v <= 1 for v in summary.values())
    assert summary["MRR (own answer)"] <= summary["MRR (any relevant)"]
    assert len(per_query) == 40


def test_vectorised_search_matches_one_query_at_a_time():
    qa = data.load("support_qa").head(300)
    index = ranking.build_index(qa["answer"])
    questions = qa["question"].head(12).tolist()
    docs, scores = ranking.search_many(index, questions, k=5, blend=0.5)
    for i, q in enumerate(questions):
        candidates, retrieval = ranking.retrieve(index, q, 50)
        bm25 = ranking.bm25_scores(index, q, candidates)
        top_bm25 = bm25.max() if bm25.max() > 0 else 1.0
        top_ret = retrieval.max() if retrieval.max() > 0 else 1.0
        blended = 0.5 * retrieval / top_ret + 0.5 * bm25 / top_bm25
        assert np.allclose(np.sort(blended)[::-1][:5], scores[i])


def test_bm25_matches_the_textbook_formula():
    qa = data.load("support_qa").head(80)
    index = ranking.build_index(qa["answer"])
    query, doc = "python code", 3
    vocab = index.vectorizer.vocabulary_
    terms = [vocab[t] for t in index.vectorizer.build_analyzer()(query) if t in vocab]
    tf = index.counts[doc].toarray().ravel()
    norm = 1.2 * (1 - 0.75 + 0.75 * index.doc_len[doc] / index.doc_len.mean())
    expected = sum(index.idf[t] * tf[t] * 2.2 / (tf[t] + norm) for t in set(terms))
    assert ranking.bm25_scores(index, query, [doc])[0] == pytest.approx(expected)


@pytest.fixture(scope="module")
def distinct_qa():
    return data.load("support_qa").drop_duplicates(["question", "answer"], ignore_index=True)


def test_the_raw_corpus_repeats_tech_support_so_the_section_deduplicates(distinct_qa):
    raw = data.load("support_qa")
    assert (raw["category"] == "tech support").sum() > 1000
    assert (distinct_qa["category"] == "tech support").sum() == 10


def test_bm25_blend_is_a_null_result_and_query_category_is_not(distinct_qa):
    qa = distinct_qa
    index = ranking.build_index(qa["answer"])
    queries = ranking.sample_queries(qa, n=150, seed=5)
    base = ranking.evaluate_search(qa, index, queries, blend=0.0)[1]
    bm25 = ranking.evaluate_search(qa, index, queries, blend=0.5)[1]
    boost = ranking.category_boost(qa, queries)
    category = ranking.evaluate_search(qa, index, queries, blend=0.5, doc_boost=boost)[1]
    small = intervals.paired_difference(base["NDCG@10"], bm25["NDCG@10"])
    large = intervals.paired_difference(base["NDCG@10"], category["NDCG@10"])
    assert abs(small.estimate) < 0.01 and small.high < 0.02
    assert large.low > 0.02 and large.estimate > 5 * small.estimate


def test_category_classifier_never_trains_on_the_queries(distinct_qa, monkeypatch):
    from mlsd import textclf

    seen = {}
    real = textclf.make_pipeline

    def spy(*a, **k):
        model = real(*a, **k)
        fit = model.fit

        def recording_fit(x, y):
            seen["texts"] = set(x)
            return fit(x, y)

        model.fit = recording_fit
        return model

    monkeypatch.setattr(textclf, "make_pipeline", spy)
    queries = ranking.sample_queries(distinct_qa, n=30, seed=1)
    ranking.category_boost(distinct_qa, queries)
    held = distinct_qa.iloc[queries]
    assert not seen["texts"] & set(held["question"] + " " + held["answer"])


def test_mrr_min_grade_and_its_relation_to_sklearn_lrap():
    from sklearn.metrics import label_ranking_average_precision_score as lrap

    y, s = [[1, 2, 0]], [[0.9, 0.5, 0.1]]
    assert ranking.mean_reciprocal_rank(y, s) == 1.0
    assert ranking.mean_reciprocal_rank(y, s, min_grade=2) == 0.5
    one = [[0, 1, 0], [1, 0, 0]], [[0.9, 0.5, 0.1], [0.1, 0.2, 0.3]]
    assert ranking.mean_reciprocal_rank(*one) == pytest.approx(lrap(*one))
    two = [[1, 0, 1]], [[0.9, 0.5, 0.1]]
    assert ranking.mean_reciprocal_rank(*two) != pytest.approx(lrap(*two))


def test_bm25_is_zero_for_unknown_words():
    qa = data.load("support_qa")
    index = ranking.build_index(qa["answer"].head(50))
    assert ranking.bm25_scores(index, "zzzqqq", [0, 1, 2]).tolist() == [0, 0, 0]
