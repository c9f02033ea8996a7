"""Section 5 timings: widget callbacks and metrics, against baselines run in the same process.

    .venv/bin/python bench/bench_common_ml_systems.py [--moves 60]

Each line prints a median (ms) and its ratio to a baseline measured in the same run:
- fraud threshold callback vs recomputing the metrics from scratch with scikit-learn at
  that threshold (what a naive callback would do); must stay under the 20 ms budget;
- ``mlsd.ranking.ndcg_at_k`` vs ``sklearn.metrics.ndcg_score`` on the same 150 x 10 matrix;
- one simulated bidding day (6,000 requests, paced) vs the same day without pacing;
- pipeline-budget and bidding widget callbacks vs the bare core call.
Exits 1 if the threshold callback's median exceeds 20 ms.
"""

from __future__ import annotations

import argparse
import sys

from mlsd.timing import median_ms

BUDGET_MS = 20.0


def line(name: str, ms: float, base_name: str, base_ms: float) -> None:
    print(
        f"{name:<44} median {ms:8.3f} ms   baseline {base_name}: {base_ms:8.3f} ms   "
        f"ratio {ms / base_ms:6.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60)
    n = parser.parse_args(argv).moves

    import numpy as np
    from sklearn.metrics import f1_score, ndcg_score, precision_score, recall_score

    from mlsd import bidding, data, fraud, ranking
    from mlsd.widgets.bidding import bidding_simulator
    from mlsd.widgets.fraud import threshold_explorer
    from mlsd.widgets.pipelines import pipeline_budget

    demo = fraud.demo_scores()
    y, s = demo.labels, demo.scores["ensemble"]
    explorer = threshold_explorer(y, s)
    thresholds = [float(v) for v in np.linspace(0.01, 0.99, n)]

    def set_threshold(t):
        explorer.threshold.value = t

    def naive(t):
        pred = (s >= t).astype(int)
        precision_score(y, pred, zero_division=0), recall_score(y, pred), f1_score(y, pred)

    cb = median_ms(set_threshold, thresholds)
    line(
        "fraud threshold widget callback", cb, "sklearn metrics at t", median_ms(naive, thresholds)
    )

    rng = np.random.default_rng(0)
    grades, scores = rng.integers(0, 3, (150, 10)), rng.random((150, 10))
    line(
        "ranking.ndcg_at_k (150 queries x 10)",
        median_ms(lambda _: ranking.ndcg_at_k(grades, scores, 10), range(20)),
        "sklearn ndcg_score",
        median_ms(lambda _: ndcg_score(grades, scores, k=10), range(20)),
    )

    requests = data.load("auction_requests")
    line(
        "bidding.simulate, paced day",
        median_ms(lambda _: bidding.simulate(requests, 0.2, 30.0, True), range(10)),
        "unpaced day",
        median_ms(lambda _: bidding.simulate(requests, 0.2, 30.0, False), range(10)),
    )

    sim = bidding_simulator(requests)
    shadings = [round(0.05 * (i % 18), 2) for i in range(1, 21)]
    line(
        "bidding widget callback",
        median_ms(lambda v: setattr(sim.shading, "value", v), shadings),
        "bare simulate",
        median_ms(lambda v: bidding.simulate(requests, v, 30.0, True), shadings),
    )

    budget = pipeline_budget("search")
    from mlsd.pipelines import budget_table

    stage_values = [10.0 + i for i in range(n)]
    line(
        "pipeline budget widget callback",
        median_ms(lambda v: setattr(budget.stages[1], "value", v), stage_values),
        "bare budget_table",
        median_ms(lambda v: budget_table("search", {"retrieval": v}), stage_values),
    )
    if cb > BUDGET_MS:
        print(f"FAIL: threshold callback median {cb:.2f} ms exceeds {BUDGET_MS:g} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
