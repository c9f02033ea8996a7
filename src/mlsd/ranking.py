"""Search and ranking (guide section 5, pattern 2): retrieval, ranking and their metrics.

A query goes through retrieval (cheap, over the whole collection: here TF-IDF cosine
similarity) and then ranking (costlier, over the few retrieved candidates: here BM25 over
the candidates, blended with the retrieval score). The metrics judge a ranked list:

- DCG@K adds each result's gain (its graded relevance) discounted by ``log2(position + 1)``;
  NDCG@K divides by the DCG of the ideal order, so 1.0 is a perfect ranking. When scores
  tie, the tied items share their positions: each gets the mean gain of the group, the same
  convention as ``sklearn.metrics.ndcg_score`` (its default ``ignore_ties=False``).
- MRR is the mean over queries of 1 / (rank of the first relevant result), 0 if none.
- precision@K is the share of the top K results that are relevant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from mlsd.validation import require_int, require_number


def _as_2d(name: str, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers (a list or an array); got {values!r}.") from None
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D list or a 2-D array (one row per query); "
            f"got shape {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers; got {values!r}.")
    return array


def _pair(y_true, y_score) -> tuple[np.ndarray, np.ndarray]:
    truth, score = _as_2d("y_true", y_true), _as_2d("y_score", y_score)
    if truth.shape != score.shape:
        raise ValueError(
            f"y_score must have the same shape as y_true {truth.shape}; got {score.shape}."
        )
    return truth, score


def _k(k, n: int) -> int:
    if k is None:
        return n
    return require_int("k", k, 1, None)


def _discounts(n: int) -> np.ndarray:
    return 1.0 / np.log2(np.arange(n) + 2.0)


def dcg_at_k(y_true, y_score, k=None) -> np.ndarray:
    """DCG@K of each row (linear gain, log2 discount, tied scores share positions)."""
    truth, score = _pair(y_true, y_score)
    k = _k(k, truth.shape[1])
    discount = _discounts(truth.shape[1])
    discount[k:] = 0.0
    out = np.empty(truth.shape[0])
    for row, (gains, scores) in enumerate(zip(truth, score, strict=True)):
        order = np.argsort(-scores, kind="stable")
        sorted_scores, sorted_gains = scores[order], gains[order]
        # Groups of equal scores: every member gets the group's mean gain.
        _, starts, counts = np.unique(-sorted_scores, return_index=True, return_counts=True)
        mean_gain = np.add.reduceat(sorted_gains, starts) / counts
        out[row] = float(np.sum(np.repeat(mean_gain, counts) * discount))
    return out


def ndcg_at_k(y_true, y_score, k=None) -> float:
    """Mean NDCG@K over the rows (queries); a row with no relevant item scores 0."""
    truth, score = _pair(y_true, y_score)
    if np.any(truth < 0):
        raise ValueError("y_true must not hold negative relevance grades.")
    dcg = dcg_at_k(truth, score, k)
    ideal = dcg_at_k(truth, truth, k)
    safe = np.where(ideal > 0, ideal, 1.0)
    return float(np.mean(np.where(ideal > 0, dcg / safe, 0.0)))


def reciprocal_ranks(y_true, y_score, min_grade=1) -> np.ndarray:
    """1 / rank of the first relevant item per row, 0 when none is relevant.

    MRR needs a yes/no notion of "relevant": an item is relevant when its grade is at least
    ``min_grade`` (1: anything relevant; 2 on our Q/A data: the question's own answer).
    Ranks by descending score; on a tie the item listed first ranks first.
    """
    truth, score = _pair(y_true, y_score)
    min_grade = require_number("min_grade", min_grade, 0, None, low_inclusive=False)
    order = np.argsort(-score, axis=1, kind="stable")
    relevant = np.take_along_axis(truth, order, axis=1) >= min_grade
    first = np.argmax(relevant, axis=1)
    return np.where(relevant.any(axis=1), 1.0 / (first + 1.0), 0.0)


def mean_reciprocal_rank(y_true, y_score, min_grade=1) -> float:
    """MRR: the mean of ``reciprocal_ranks`` over the rows (queries).

    scikit-learn has no MRR. Its ``label_ranking_average_precision_score`` (LRAP) equals MRR
    when every row has exactly one relevant item and no tied scores; with several relevant
    items LRAP averages the precision at each of them (closer to mean average precision),
    and on ties it counts the tied items as ranked ahead (pessimistic), where MRR here
    breaks ties by listed order.
    """
    return float(np.mean(reciprocal_ranks(y_true, y_score, min_grade)))


def precision_at_k(y_true, y_score, k) -> float:
    """Mean over rows of the share of the top-K (by score, stable) that is relevant."""
    truth, score = _pair(y_true, y_score)
    k = require_int("k", k, 1, truth.shape[1])
    order = np.argsort(-score, axis=1, kind="stable")[:, :k]
    return float(np.mean(np.take_along_axis(truth, order, axis=1) > 0))


# --------------------------------------------------------------------------- the search engine


@dataclass
class SearchIndex:
    """A TF-IDF index over a document collection, plus BM25 statistics for re-ranking."""

    documents: pd.Series
    vectorizer: TfidfVectorizer
    tfidf: object  # sparse (n_docs, n_terms), rows L2-normalised
    counts: object  # sparse raw term counts, for BM25
    doc_len: np.ndarray
    idf: np.ndarray

    @property
    def size(self) -> int:
        return len(self.documents)


def build_index(documents) -> SearchIndex:
    """Index a collection of texts (offline: done once, before any query arrives)."""
    docs = pd.Series(list(documents), dtype=str)
    if docs.empty:
        raise ValueError("documents must hold at least one text; got none.")
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    tfidf = vectorizer.fit_transform(docs)
    counter = CountVectorizer(vocabulary=vectorizer.vocabulary_, stop_words="english")
    counts = counter.transform(docs).astype(float).tocsr()
    doc_len = np.asarray(counts.sum(axis=1)).ravel()
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    n = len(docs)
    idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5))
    return SearchIndex(docs, vectorizer, tfidf, counts, doc_len, idf)


def retrieve(index: SearchIndex, query: str, n_candidates=50) -> tuple[np.ndarray, np.ndarray]:
    """Stage 1: the ``n_candidates`` documents most similar to ``query`` (TF-IDF cosine).

    Returns (document positions, scores), best first.
    """
    n = require_int("n_candidates", n_candidates, 1, index.size)
    scores = (index.tfidf @ index.vectorizer.transform([str(query)]).T).toarray().ravel()
    top = np.argsort(-scores, kind="stable")[:n]
    return top, scores[top]


def _bm25_weights(index: SearchIndex, k1: float, b: float):
    """Each document's BM25 weight for each term it holds (sparse, like ``counts``), so the
    BM25 score of a query is this matrix times the query's term-presence vector."""
    counts = index.counts.tocoo()
    avg = float(index.doc_len.mean()) or 1.0
    norm = k1 * (1 - b + b * index.doc_len / avg)
    tf = counts.data
    data = tf * (k1 + 1) / (tf + norm[counts.row]) * index.idf[counts.col]
    return type(index.counts)((data, (counts.row, counts.col)), shape=counts.shape).tocsr()


def bm25_scores(index: SearchIndex, query: str, docs, k1=1.2, b=0.75) -> np.ndarray:
    """BM25 score of ``query`` for each document position in ``docs``."""
    k1 = require_number("k1", k1, 0, None)
    b = require_number("b", b, 0, 1)
    docs = np.asarray(docs, dtype=int)
    presence = _presence(index, [str(query)])
    return (_bm25_weights(index, k1, b)[docs] @ presence.T).toarray().ravel()


def _presence(index: SearchIndex, queries):
    """0/1 matrix (queries x terms): which indexed terms each query holds."""
    matrix = index.vectorizer.transform(queries)
    matrix.data[:] = 1.0
    return matrix


def search_many(
    index: SearchIndex,
    queries,
    k=10,
    n_candidates=50,
    blend=0.5,
    doc_boost=None,
) -> tuple[np.ndarray, np.ndarray]:
    """Retrieve and re-rank many queries at once: (documents, scores), each (queries x k).

    Stage 1 keeps each query's ``n_candidates`` best documents by TF-IDF cosine; stage 2
    re-scores them as ``(1 - blend) x retrieval + blend x BM25`` (each divided by its best
    candidate's value), plus ``doc_boost[query, document]`` when given (e.g. a bonus for
    documents of the query's predicted category).
    """
    queries = [str(q) for q in queries]
    k = require_int("k", k, 1, index.size)
    n = max(k, require_int("n_candidates", n_candidates, 1, index.size))
    blend = require_number("blend", blend, 0, 1)
    retrieval = (index.tfidf @ index.vectorizer.transform(queries).T).toarray().T  # (q, docs)
    candidates = np.argsort(-retrieval, axis=1, kind="stable")[:, :n]
    ret = np.take_along_axis(retrieval, candidates, axis=1)
    bm25_all = (_bm25_weights(index, 1.2, 0.75) @ _presence(index, queries).T).toarray().T
    bm25 = np.take_along_axis(bm25_all, candidates, axis=1)
    score = (1 - blend) * ret / _row_max(ret) + blend * bm25 / _row_max(bm25)
    if doc_boost is not None:
        score = score + np.take_along_axis(np.asarray(doc_boost, float), candidates, axis=1)
    order = np.argsort(-score, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(candidates, order, axis=1), np.take_along_axis(score, order, axis=1)


def _row_max(values: np.ndarray) -> np.ndarray:
    top = values.max(axis=1, keepdims=True)
    return np.where(top > 0, top, 1.0)


def search(index: SearchIndex, query: str, k=10, n_candidates=50, blend=0.5) -> pd.DataFrame:
    """Retrieve candidates, re-rank them (blend of retrieval and BM25), return the top K."""
    docs, score = search_many(index, [query], k, n_candidates, blend)
    docs, score = docs[0], score[0]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(docs) + 1),
            "doc": docs,
            "score": score,
            "text": index.documents.iloc[docs].to_numpy(),
        }
    )


def relevance_grades(qa: pd.DataFrame, query_rows, docs) -> np.ndarray:
    """Graded relevance of documents for queries on the Q/A collection.

    Query i is the question of row ``query_rows[i]``; a document is an answer. Grade 2: the
    answer of the same conversation; 1: an answer from the same category; 0: otherwise.
    """
    query_rows = np.asarray(query_rows, dtype=int)
    docs = np.asarray(docs, dtype=int)
    conv = qa["conversation_id"].to_numpy()
    cat = qa["category"].to_numpy()
    same_conv = conv[query_rows][:, None] == conv[docs][None, :]
    same_cat = cat[query_rows][:, None] == cat[docs][None, :]
    return np.where(same_conv, 2.0, np.where(same_cat, 1.0, 0.0))


def evaluate_search(
    qa: pd.DataFrame, index: SearchIndex, query_rows, k=10, doc_boost=None, **search_kw
):
    """NDCG@K (graded), MRR with relevant = the question's own answer (grade 2) and with
    relevant = any grade >= 1, and precision@K (grade >= 1).

    NDCG's ideal order is taken over the whole collection, not just the retrieved list.
    Returns (summary dict, per-query DataFrame).
    """
    k = require_int("k", k, 1, index.size)
    query_rows = np.asarray(query_rows, dtype=int)
    docs, _ = search_many(
        index, qa["question"].iloc[query_rows], k=k, doc_boost=doc_boost, **search_kw
    )
    conv = qa["conversation_id"].to_numpy()
    cat = qa["category"].to_numpy()
    grades = np.where(
        conv[docs] == conv[query_rows][:, None],
        2.0,
        np.where(cat[docs] == cat[query_rows][:, None], 1.0, 0.0),
    )
    positions = np.tile(-np.arange(k, dtype=float), (len(query_rows), 1))
    dcg = dcg_at_k(grades, positions, k)
    ideal = dcg_at_k(np.array([_ideal_grades(qa, row, k) for row in query_rows]), positions, k)
    ndcg = np.where(ideal > 0, dcg / np.where(ideal > 0, ideal, 1), 0.0)
    rr_own = reciprocal_ranks(grades, positions, min_grade=2)
    rr_any = reciprocal_ranks(grades, positions, min_grade=1)
    prec = np.mean(grades >= 1, axis=1)
    per_query = pd.DataFrame(
        {
            "question": qa["question"].iloc[query_rows].to_numpy(),
            "category": qa["category"].iloc[query_rows].to_numpy(),
            f"NDCG@{k}": ndcg,
            "MRR (own answer)": rr_own,
            "MRR (any relevant)": rr_any,
            f"P@{k}": prec,
        }
    )
    summary = per_query.drop(columns=["question", "category"]).mean().to_dict()
    return summary, per_query


def category_boost(qa: pd.DataFrame, query_rows, boost=0.5, seed=0) -> np.ndarray:
    """Query understanding as a re-ranking signal: a text classifier predicts each query's
    category, and every document of that category gets ``boost`` added to its score.

    The classifier (TF-IDF + linear model, ``mlsd.textclf``) learns from the conversations
    that are NOT among the queries, so no query's own text is seen in training.
    Returns a (queries x documents) array of boosts.
    """
    from mlsd import textclf

    boost = require_number("boost", boost, 0, None)
    query_rows = np.asarray(query_rows, dtype=int)
    held_out = np.ones(len(qa), dtype=bool)
    held_out[query_rows] = False
    train = qa[held_out]
    model = textclf.make_pipeline().fit(
        train["question"] + " " + train["answer"], train["category"]
    )
    predicted = model.predict(qa["question"].iloc[query_rows])
    categories = qa["category"].to_numpy()
    return boost * (categories[None, :] == np.asarray(predicted)[:, None])


def _ideal_grades(qa: pd.DataFrame, row: int, k: int) -> np.ndarray:
    same_cat = int((qa["category"] == qa["category"].iloc[row]).sum())
    ideal = [2.0] + [1.0] * min(k - 1, same_cat - 1)
    return np.array(ideal + [0.0] * (k - len(ideal)))


def sample_queries(qa: pd.DataFrame, n=150, seed=5) -> np.ndarray:
    """A seeded sample of row numbers whose questions serve as test queries."""
    n = require_int("n", n, 1, len(qa))
    return np.sort(np.random.default_rng(seed).choice(len(qa), size=n, replace=False))


def log2_discount_table(k=10) -> pd.DataFrame:
    """Position, its discount 1/log2(position + 1), for teaching the discount's shape."""
    k = require_int("k", k, 1, 1000)
    pos = np.arange(1, k + 1)
    return pd.DataFrame({"position": pos, "discount": [1 / math.log2(p + 1) for p in pos]})
