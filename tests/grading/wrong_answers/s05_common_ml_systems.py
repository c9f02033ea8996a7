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
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    print("MRR computed")
""",
        ),
        (
            "returns the mean rank instead of the mean reciprocal rank",
            """
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    ranks = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] >= min_grade)
        ranks.append(hits[0] + 1 if hits.size else 0.0)
    return float(np.mean(ranks))
""",
        ),
        (
            "off by one: ranks start at 0, so 1 / (position + 2)",
            """
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    out = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] >= min_grade)
        out.append(1 / (hits[0] + 2) if hits.size else 0.0)
    return float(np.mean(out))
""",
        ),
        (
            "skips queries with no relevant item instead of counting 0",
            """
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    out = []
    for relevance, scores in zip(np.asarray(y_true), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(relevance[order] >= min_grade)
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


# Gaming routes: answers composed from what the visible checks show. Each must lose points
# under real autograding because the hidden tests hold cases the learner never saw.
_GAMING: dict[str, list[tuple[str, str]]] = {
    "ndcg": [
        (
            "gaming: hard-codes the visible checks' answers, sklearn-free guess elsewhere",
            """
def ndcg_at_k(y_true, y_score, k):
    seen = {
        "[[3, 2, 1, 0]]|[[4, 3, 2, 1]]|4": 1.0,
        "[[0, 1]]|[[2, 1]]|2": 0.6309297535714575,
        "[[3, 2, 3, 0, 1, 2]]|[[6, 5, 4, 3, 2, 1]]|3": 0.9777813616305049,
        "[[1, 0, 0]]|[[0.5, 0.5, 0.1]]|1": 0.5,
        "[[1, 0], [0, 0]]|[[1, 2], [1, 2]]|2": 0.31546487678572877,
        "[2, 0, 1]|[0.1, 0.9, 0.5]|3": 0.6199062332840657,
    }
    return seen.get(f"{y_true}|{y_score}|{k}", 0.5)
""",
        ),
    ],
    "mrr": [
        (
            "gaming: hard-codes the visible checks' answers",
            """
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    seen = {
        "[[0, 1, 0]]|1": 0.5, "[[1, 0, 0]]|1": 1 / 3, "[[0, 1, 1], [1, 0, 0]]|1": 0.75,
        "[[0, 0, 0], [0, 0, 1]]|1": 0.5, "[[0, 1, 0, 0]]|1": 1 / 3,
        "[[1, 2, 0]]|2": 0.5, "[[1, 2, 0]]|1": 1.0,
    }
    return seen.get(f"{y_true}|{min_grade}", 0.5)
""",
        ),
        (
            "ignores min_grade: any grade above 0 counts (the old definition)",
            """
def mean_reciprocal_rank(y_true, y_score, min_grade=1):
    out = []
    for grades, scores in zip(np.asarray(y_true, dtype=float), np.asarray(y_score, dtype=float)):
        order = np.argsort(-scores, kind="stable")
        hits = np.flatnonzero(grades[order] > 0)
        out.append(1 / (hits[0] + 1) if hits.size else 0.0)
    return float(np.mean(out))
""",
        ),
    ],
    "fraud-threshold": [
        (
            "gaming: hard-codes the visible checks' answers by target",
            """
def find_threshold(y_true, scores, recall_above=0.9, fpr_below=0.02):
    seen = {(0.5, 0.2): 0.6, (0.4, 0.1): 0.9, (0.9, 0.1): None, (0.5, 0.1): None,
            (0.4, 0.5): None, (0.4, 0.3): 0.9}
    return seen.get((recall_above, fpr_below))
""",
        ),
    ],
    "pacing": [
        (
            "gaming: hard-codes the visible checks' answers, bids otherwise",
            """
def should_bid(spent, budget, elapsed_fraction):
    seen = {(0.0, 100.0, 0.0): True, (30.0, 100.0, 0.5): True, (60.0, 100.0, 0.5): False,
            (50.0, 100.0, 0.5): True, (100.0, 100.0, 1.0): False, (10.0, 0.0, 0.5): False}
    return seen.get((spent, budget, elapsed_fraction), spent < budget)
""",
        ),
    ],
}
for _grade_id, _routes in _GAMING.items():
    WRONG_ANSWERS[_grade_id].extend(_routes)
