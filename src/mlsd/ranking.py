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


def reciprocal_ranks(y_true, y_score) -> np.ndarray:
    """1 / rank of the first relevant item (y_true > 0) per row, 0 when none is relevant.

    Ranks by descending score; on a tie the item listed first ranks first.
    """
    truth, score = _pair(y_true, y_score)
    order = np.argsort(-score, axis=1, kind="stable")
    relevant = np.take_along_axis(truth, order, axis=1) > 0
    first = np.argmax(relevant, axis=1)
    return np.where(relevant.any(axis=1), 1.0 / (first + 1.0), 0.0)


def mean_reciprocal_rank(y_true, y_score) -> float:
    """MRR: the mean of ``reciprocal_ranks`` over the rows."""
    return float(np.mean(reciprocal_ranks(y_true, y_score)))


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


def bm25_scores(index: SearchIndex, query: str, docs, k1=1.2, b=0.75) -> np.ndarray:
    """BM25 score of ``query`` for each document position in ``docs``."""
    k1 = require_number("k1", k1, 0, None)
    b = require_number("b", b, 0, 1)
    analyzer = index.vectorizer.build_analyzer()
    vocab = index.vectorizer.vocabulary_
    terms = sorted({vocab[t] for t in analyzer(str(query)) if t in vocab})
    docs = np.asarray(docs, dtype=int)
    if not terms or docs.size == 0:
        return np.zeros(docs.size)
    tf = index.counts[docs][:, terms].toarray()
    avg = float(index.doc_len.mean()) or 1.0
    norm = k1 * (1 - b + b * index.doc_len[docs] / avg)
    return (tf * (k1 + 1) / (tf + norm[:, None]) * index.idf[terms]).sum(axis=1)


def search(index: SearchIndex, query: str, k=10, n_candidates=50, blend=0.5) -> pd.DataFrame:
    """Retrieve candidates, re-rank them (blend of retrieval and BM25), return the top K."""
    k = require_int("k", k, 1, index.size)
    blend = require_number("blend", blend, 0, 1)
    docs, retrieval = retrieve(index, query, max(k, n_candidates))
    bm25 = bm25_scores(index, query, docs)
    top_bm25 = bm25.max() if bm25.size and bm25.max() > 0 else 1.0
    top_ret = retrieval.max() if retrieval.size and retrieval.max() > 0 else 1.0
    score = (1 - blend) * retrieval / top_ret + blend * bm25 / top_bm25
    order = np.argsort(-score, kind="stable")[:k]
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(order) + 1),
            "doc": docs[order],
            "retrieval_score": retrieval[order],
            "bm25_score": bm25[order],
            "score": score[order],
            "text": index.documents.iloc[docs[order]].to_numpy(),
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


def evaluate_search(qa: pd.DataFrame, index: SearchIndex, query_rows, k=10, **search_kw):
    """NDCG@K, MRR (first answer of the same conversation) and precision@K (grade >= 1).

    Returns (summary dict, per-query DataFrame).
    """
    k = require_int("k", k, 1, index.size)
    query_rows = np.asarray(query_rows, dtype=int)
    grades = np.zeros((len(query_rows), k))
    ideal_extra = []
    for i, row in enumerate(query_rows):
        hits = search(index, qa["question"].iloc[row], k=k, **search_kw)
        got = relevance_grades(qa, [row], hits["doc"].to_numpy())[0]
        grades[i, : len(got)] = got
        ideal_extra.append(_ideal_grades(qa, row, k))
    positions = np.tile(-np.arange(k, dtype=float), (len(query_rows), 1))
    # NDCG against the ideal over the whole collection, not just the retrieved list.
    dcg = dcg_at_k(grades, positions, k)
    ideal = dcg_at_k(np.array(ideal_extra), positions, k)
    ndcg = np.where(ideal > 0, dcg / np.where(ideal > 0, ideal, 1), 0.0)
    rr = reciprocal_ranks((grades >= 2).astype(float), positions)
    prec = np.mean(grades >= 1, axis=1)
    per_query = pd.DataFrame(
        {
            "question": qa["question"].iloc[query_rows].to_numpy(),
            "category": qa["category"].iloc[query_rows].to_numpy(),
            f"ndcg@{k}": ndcg,
            "reciprocal_rank": rr,
            f"precision@{k}": prec,
        }
    )
    summary = {
        f"NDCG@{k}": float(ndcg.mean()),
        "MRR": float(rr.mean()),
        f"P@{k}": float(prec.mean()),
    }
    return summary, per_query


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
