"""Checks for the ``ndcg`` and ``mrr`` exercises (section 5, pattern 2: search & ranking).

``ndcg_at_k(y_true, y_score, k)`` must agree with ``sklearn.metrics.ndcg_score`` (linear
gain, log2 discount, tied scores share their positions, 2-D input averaged over rows, a row
with no relevant item scoring 0). ``mean_reciprocal_rank(y_true, y_score, min_grade=1)`` ranks
each row by descending score (ties: the item listed first ranks first) and counts an item as
relevant when its grade is at least ``min_grade``.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import label_ranking_average_precision_score, ndcg_score

from mlsd.checks.core import Case, Incorrect, call_learner, run_cases

NDCG = "ndcg"
MRR = "mrr"
TOL = 1e-9

NDCG_CASES = (
    Case(([[3, 2, 1, 0]], [[4, 3, 2, 1]], 4), 1.0, "the scores put the items in the ideal order."),
    Case(
        ([[0, 1]], [[2, 1]], 2),
        0.6309297535714575,
        "DCG = 0/log2(2) + 1/log2(3) = 0.631 and the ideal DCG is 1/log2(2) = 1.",
        rel_tol=TOL,
    ),
    Case(
        ([[3, 2, 3, 0, 1, 2]], [[6, 5, 4, 3, 2, 1]], 3),
        0.9777813616305049,
        "top 3 gains 3, 2, 3 give DCG 3 + 2/log2(3) + 3/2 = 5.762; the ideal order 3, 3, 2 "
        "gives 3 + 3/log2(3) + 2/2 = 5.893.",
        rel_tol=TOL,
    ),
    Case(
        ([[1, 0, 0]], [[0.5, 0.5, 0.1]], 1),
        0.5,
        "the two items tied at 0.5 share position 1: each counts with the group's mean gain "
        "(1 + 0) / 2, as scikit-learn does.",
        rel_tol=TOL,
    ),
    Case(
        ([[1, 0], [0, 0]], [[1, 2], [1, 2]], 2),
        0.31546487678572877,
        "the first row scores 0.631, the second has no relevant item and scores 0; the mean "
        "over the two rows is 0.315.",
        rel_tol=TOL,
    ),
    Case(
        ([2, 0, 1], [0.1, 0.9, 0.5], 3),
        0.6199062332840657,
        "a 1-D input is one query: DCG 0 + 1/log2(3) + 2/2 = 1.631 over ideal 2 + 1/log2(3).",
        rel_tol=TOL,
    ),
)


def _ndcg_cause(case: Case, actual) -> str | None:
    y_true, y_score, k = case.args
    try:
        value = float(actual)
    except (TypeError, ValueError):
        return f"return one number (the mean over queries); you returned {type(actual).__name__}."
    t, s = np.atleast_2d(y_true).astype(float), np.atleast_2d(y_score).astype(float)
    exp_gain = ndcg_score(2**t - 1, s, k=k) if t.shape[1] > 1 else None
    if (
        exp_gain is not None
        and abs(value - exp_gain) < 1e-9
        and abs(exp_gain - case.expected) > 1e-9
    ):
        return "used the exponential gain 2**rel - 1; this exercise (and scikit-learn) uses rel."
    has_ties = any(len(set(row)) < len(row) for row in s.tolist())
    no_ties = ndcg_score(t, s + np.arange(s.shape[1])[::-1] * 1e-12, k=k)
    if has_ties and abs(value - no_ties) < 1e-9 and abs(no_ties - case.expected) > 1e-9:
        return "tied scores must share their positions (each gets the tie group's mean gain)."
    if value > 1 + 1e-9:
        return "NDCG is at most 1: divide by the DCG of the ideal order (y_true sorted down)."
    return None


def check_ndcg(fn) -> None:
    """Visible check of ``ndcg_at_k``. Returns None (nbgrader reads numbers as credit)."""
    run_cases(NDCG, fn, NDCG_CASES, likely_cause=_ndcg_cause)


def random_ndcg_cases(seeds) -> list[Case]:
    """Random graded relevance and scores (some with ties, some 2-D), scored by sklearn."""
    cases = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(1, 5)), int(rng.integers(2, 9))
        y_true = rng.integers(0, 4, (n, m))
        y_score = rng.integers(0, 4, (n, m)) if seed % 2 else rng.random((n, m)).round(3)
        k = int(rng.integers(1, m + 1))
        expected = float(ndcg_score(y_true, y_score, k=k))
        cases.append(
            Case(
                (y_true.tolist(), y_score.tolist(), k),
                expected,
                f"sklearn.metrics.ndcg_score gives {expected:.6f} on this case (seed {seed}).",
                rel_tol=1e-7,
            )
        )
    return cases


def expect_ndcg_like_sklearn(fn, seeds) -> None:
    """Hidden-test helper: compare with scikit-learn on seeded random cases."""
    run_cases(NDCG, fn, random_ndcg_cases(seeds), likely_cause=_ndcg_cause, quiet=True)


MRR_CASES = (
    Case(([[0, 1, 0]], [[0.9, 0.8, 0.1]]), 0.5, "the first relevant item is at rank 2: 1/2."),
    Case(
        ([[1, 0, 0]], [[0.2, 0.9, 0.5]]),
        1 / 3,
        "the relevant item has the lowest score: rank 3.",
        rel_tol=TOL,
    ),
    Case(
        ([[0, 1, 1], [1, 0, 0]], [[3, 2, 1], [3, 2, 1]]),
        0.75,
        "row 1: first relevant at rank 2 (1/2); row 2: rank 1 (1); mean 0.75. Only the first "
        "relevant item counts.",
        rel_tol=TOL,
    ),
    Case(
        ([[0, 0, 0], [0, 0, 1]], [[1, 2, 3], [1, 2, 3]]),
        0.5,
        "a row with nothing relevant contributes 0; the other has its item at rank 1.",
        rel_tol=TOL,
    ),
    Case(
        ([[0, 1, 0, 0]], [[5, 5, 9, 1]]),
        1 / 3,
        "ranked by score: 9, then the two 5s in listed order, so the relevant one is rank 3.",
        rel_tol=TOL,
    ),
    Case(
        ([[1, 2, 0]], [[0.9, 0.5, 0.1]]),
        0.5,
        "with min_grade=2 only the grade-2 item counts as relevant, and it is ranked 2nd.",
        kwargs={"min_grade": 2},
        rel_tol=TOL,
    ),
    Case(
        ([[1, 2, 0]], [[0.9, 0.5, 0.1]]),
        1.0,
        "by default (min_grade=1) any grade of 1 or more is relevant: rank 1.",
        rel_tol=TOL,
    ),
)


def _reference_mrr(y_true, y_score, min_grade=1, ascending=False, cut=None) -> float:
    out = []
    for t, s in zip(y_true, y_score, strict=True):
        s = np.asarray(s, float)
        order = np.argsort(s if ascending else -s, kind="stable")
        t = np.asarray(t, float)[order]
        hits = np.flatnonzero(t > 0 if cut == "any" else t >= min_grade)
        out.append(1 / (hits[0] + 1) if hits.size else 0.0)
    return float(np.mean(out))


def _mrr_cause(case: Case, actual) -> str | None:
    try:
        value = float(actual)
    except (TypeError, ValueError):
        return "return one number: the mean over queries of 1 / rank of the first relevant item."
    y_true, y_score = case.args
    min_grade = case.kwargs.get("min_grade", 1)
    if value > 1:
        return "returned a rank rather than its reciprocal (1 / rank)."
    if abs(value - _reference_mrr(y_true, y_score, min_grade, ascending=True)) < 1e-9:
        return "ranked from the lowest score: the best result has the highest score."
    if min_grade != 1 and abs(value - _reference_mrr(y_true, y_score, cut="any")) < 1e-9:
        return "an item is relevant when its grade is at least min_grade, not merely above 0."
    return None


def check_mrr(fn) -> None:
    """Visible check of ``mean_reciprocal_rank``. Returns None."""
    run_cases(MRR, fn, MRR_CASES, likely_cause=_mrr_cause)


def expect_mrr_like_sklearn(fn, seeds) -> None:
    """Hidden-test helper: with exactly one relevant item per row and distinct scores, MRR
    equals sklearn's label_ranking_average_precision_score."""
    cases = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(1, 6)), int(rng.integers(2, 10))
        y_true = np.zeros((n, m), dtype=int)
        y_true[np.arange(n), rng.integers(0, m, n)] = 1
        y_score = rng.permutation(n * m).reshape(n, m) / (n * m)
        expected = float(label_ranking_average_precision_score(y_true, y_score))
        cases.append(
            Case(
                (y_true.tolist(), y_score.tolist()),
                expected,
                f"with one relevant item per row MRR equals sklearn's label ranking "
                f"average precision, {expected:.6f} (seed {seed}).",
                rel_tol=1e-9,
            )
        )
    run_cases(MRR, fn, cases, likely_cause=_mrr_cause, quiet=True)


def expect_mrr_graded(fn, seeds) -> None:
    """Hidden-test helper: seeded graded relevance (0-3), ties and a min_grade the learner
    has not seen, against the reference ``mlsd.ranking.mean_reciprocal_rank``."""
    from mlsd.ranking import mean_reciprocal_rank

    cases = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        n, m = int(rng.integers(1, 6)), int(rng.integers(2, 9))
        y_true = rng.integers(0, 4, (n, m))
        y_score = rng.integers(0, 4, (n, m)) if seed % 2 else rng.random((n, m)).round(3)
        min_grade = int(rng.integers(1, 4))
        expected = mean_reciprocal_rank(y_true, y_score, min_grade)
        cases.append(
            Case(
                (y_true.tolist(), y_score.tolist()),
                expected,
                f"with min_grade={min_grade} the reference MRR is {expected:.6f} (seed {seed}).",
                kwargs={"min_grade": min_grade},
                rel_tol=1e-9,
            )
        )
    run_cases(MRR, fn, cases, likely_cause=_mrr_cause, quiet=True)


def expect_mrr(fn, cases) -> None:
    """Hidden-test helper: (y_true, y_score, min_grade, expected, why) tuples written in the
    notebook."""
    run_cases(
        MRR,
        fn,
        [Case((t, s), e, w, kwargs={"min_grade": g}, rel_tol=TOL) for t, s, g, e, w in cases],
        likely_cause=_mrr_cause,
        quiet=True,
    )


def require_range(exercise_id: str, fn, *args) -> None:
    value = call_learner(exercise_id, fn, *args)
    if not 0 <= float(value) <= 1:
        raise Incorrect(exercise_id, f"the result {value!r} is outside [0, 1].")
