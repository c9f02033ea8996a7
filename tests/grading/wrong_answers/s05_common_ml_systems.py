"""Wrong answers for section 5 (common ML systems); see the package docstring."""

WRONG_ANSWERS: dict[str, list[tuple[str, str]]] = {
    "ndcg": [
        (
            "returns None (computes the DCG but never returns)",
            """
def ndcg_at_k(y_true, y_score, k):
    true = np.atleast_2d(np.asarray(y_true, dtype=float))
    dcg = float(np.sum(true[0][:k] / np.log2(np.arange(2, k + 2))[: true.shape[1]]))
""",
        ),
        (
            "ignores ties (stable sort, no group averaging): off on tied scores",
            """
def ndcg_at_k(y_true, y_score, k):
    true = np.atleast_2d(np.asarray(y_true, dtype=float))
    score = np.atleast_2d(np.asarray(y_score, dtype=float))
    discount = 1 / np.log2(np.arange(true.shape[1]) + 2)
    discount[k:] = 0
    out = []
    for g, s in zip(true, score):
        dcg = np.sum(g[np.argsort(-s, kind="stable")] * discount)
        ideal = np.sum(np.sort(g)[::-1] * discount)
        out.append(dcg / ideal if ideal > 0 else 0.0)
    return float(np.mean(out))
""",
        ),
        (
            "exponential gain 2**rel - 1 instead of the linear gain",
            """
def ndcg_at_k(y_true, y_score, k):
    true = 2 ** np.atleast_2d(np.asarray(y_true, dtype=float)) - 1
    score = np.atleast_2d(np.asarray(y_score, dtype=float))
    discount = 1 / np.log2(np.arange(true.shape[1]) + 2)
    discount[k:] = 0

    def dcg(gains, scores):
        order = np.argsort(-scores, kind="stable")
        _, starts, counts = np.unique(-scores[order], return_index=True, return_counts=True)
        group_mean = np.add.reduceat(gains[order], starts) / counts
        return np.sum(np.repeat(group_mean, counts) * discount)

    out = []
    for g, s in zip(true, score):
        ideal = dcg(g, g)
        out.append(dcg(g, s) / ideal if ideal > 0 else 0.0)
    return float(np.mean(out))
""",
        ),
        (
            "off by one at the boundary: keeps k + 1 positions",
            """
def ndcg_at_k(y_true, y_score, k):
    true = np.atleast_2d(np.asarray(y_true, dtype=float))
    score = np.atleast_2d(np.asarray(y_score, dtype=float))
    discount = 1 / np.log2(np.arange(true.shape[1]) + 2)
    discount[k + 1:] = 0

    def dcg(gains, scores):
        order = np.argsort(-scores, kind="stable")
        _, starts, counts = np.unique(-scores[order], return_index=True, return_counts=True)
        group_mean = np.add.reduceat(gains[order], starts) / counts
        return np.sum(np.repeat(group_mean, counts) * discount)

    out = []
    for g, s in zip(true, score):
        ideal = dcg(g, g)
        out.append(dcg(g, s) / ideal if ideal > 0 else 0.0)
    return float(np.mean(out))
""",
        ),
    ],
    "mrr": [
        (
            "returns None (prints the mean)",
            """
def mean_reciprocal_rank(y_true, y_score):
    print("MRR computed")
""",
        ),
        (
            "returns the mean rank instead of the mean reciprocal rank",
            """
def mean_reciprocal_rank(y_true, y_score):
    ranks = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] > 0)
        ranks.append(hits[0] + 1 if hits.size else 0.0)
    return float(np.mean(ranks))
""",
        ),
        (
            "off by one: ranks start at 0, so 1 / (position + 2)",
            """
def mean_reciprocal_rank(y_true, y_score):
    out = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] > 0)
        out.append(1 / (hits[0] + 2) if hits.size else 0.0)
    return float(np.mean(out))
""",
        ),
        (
            "skips queries with no relevant item instead of counting 0",
            """
def mean_reciprocal_rank(y_true, y_score):
    out = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] > 0)
        if hits.size:
            out.append(1 / (hits[0] + 1))
    return float(np.mean(out))
""",
        ),
    ],
    "fraud-threshold": [
        (
            "returns None always (never returns a threshold)",
            """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    best = max(scores)
""",
        ),
        (
            "boundary: >= and <= instead of the strict > and <",
            """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    for t in np.unique(s)[::-1]:
        flagged = s >= t
        recall = (flagged & (y == 1)).sum() / (y == 1).sum()
        fpr = (flagged & (y == 0)).sum() / (y == 0).sum()
        if recall >= recall_above and fpr <= fpr_below:
            return float(t)
    return None
""",
        ),
        (
            "returns the lowest passing threshold instead of the highest",
            """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    for t in np.unique(s):
        flagged = s >= t
        recall = (flagged & (y == 1)).sum() / (y == 1).sum()
        fpr = (flagged & (y == 0)).sum() / (y == 0).sum()
        if recall > recall_above and fpr < fpr_below:
            return float(t)
    return None
""",
        ),
        (
            "flags scores strictly above t (> instead of >=)",
            """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=float)
    for t in np.unique(s)[::-1]:
        flagged = s > t
        recall = (flagged & (y == 1)).sum() / (y == 1).sum()
        fpr = (flagged & (y == 0)).sum() / (y == 0).sum()
        if recall > recall_above and fpr < fpr_below:
            return float(t)
    return None
""",
        ),
    ],
    "pacing": [
        (
            "returns None (no return statement)",
            """
def should_bid(spent, budget, elapsed_fraction):
    allowed = budget * elapsed_fraction
""",
        ),
        (
            "boundary: strictly behind schedule (< instead of <=)",
            """
def should_bid(spent, budget, elapsed_fraction):
    return spent < budget and spent < budget * elapsed_fraction
""",
        ),
        (
            "no budget check: bids on schedule even when the budget is used up",
            """
def should_bid(spent, budget, elapsed_fraction):
    return spent <= budget * elapsed_fraction
""",
        ),
        (
            "no pacing: bids whenever money is left",
            """
def should_bid(spent, budget, elapsed_fraction):
    return spent < budget
""",
        ),
    ],
}
