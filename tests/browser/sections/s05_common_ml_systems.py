"""Section 5 (common ML systems): its three widgets, driven from the keyboard in a browser.

Expected outputs come from the core functions (``mlsd.pipelines.budget_table``/``verdict``,
``mlsd.fraud.ThresholdTable`` with ``mlsd.base_rates``, ``mlsd.bidding.simulate``), computed
here in the test process on the same data the notebook loads.
"""

from __future__ import annotations

from functools import cache

from mlsd import base_rates, bidding, fraud
from mlsd.data import load
from mlsd.pipelines import budget_table, pattern, verdict
from tests.browser.registry import Section, Step, Widget, register, text_includes

# --- pipeline budget -----------------------------------------------------------------------


def _pipeline_step(describe, key, target_ms) -> Step:
    pat = pattern("recommendations")
    values = {s.name: s.ms for s in pat.stages}
    try:
        _fits, text = verdict(budget_table(pat.key, values, target_ms))
    except ValueError as exc:  # shown in the message line
        body, arg = text_includes(".mlsd-pipeline-message", str(exc)[:50])
    else:
        body, arg = text_includes(".mlsd-pipeline-verdict", text)
    return Step(describe, ".mlsd-pipeline-target .noUi-handle", key, body, arg)


def pipeline_steps(page):
    yield _pipeline_step("End on the target slider: 1000 ms", "End", 1000.0)
    yield _pipeline_step("Home on the target slider: 0 ms is rejected", "Home", 0.0)
    yield _pipeline_step("ArrowRight on the target slider: 1 ms", "ArrowRight", 1.0)


# --- fraud threshold -----------------------------------------------------------------------


@cache
def _scores():
    """Labels and every model's scores, as the notebook computes them."""
    scored = fraud.demo_scores()
    return scored.labels, scored.scores


def _fraud_step(describe, focus, key, threshold, prevalence=0.001) -> Step:
    labels, scores = _scores()
    first = next(iter(scores))  # the explorer opens on the first model
    conf = fraud.ThresholdTable(labels, scores[first]).confusion(threshold)
    point = base_rates.operating_point(conf.recall, conf.fpr, prevalence, 150e6)
    body, arg = text_includes(
        ".mlsd-fraud-metrics",
        f"recall {conf.recall:.3f}",
        f"flagged {conf.tp + conf.fp} (TP {conf.tp}, FP {conf.fp}, FN {conf.fn})",
        f"precision {point.precision:.1%}",
    )
    return Step(describe, focus, key, body, arg)


def fraud_steps(page):
    handle = ".mlsd-fraud-threshold .noUi-handle"
    yield _fraud_step("End on the threshold slider: flag only score 1", handle, "End", 1.0)
    yield _fraud_step("Home: flag everything", handle, "Home", 0.0)
    yield _fraud_step("ArrowRight: threshold 0.001", handle, "ArrowRight", 0.001)
    yield _fraud_step(
        "End on the base-rate slider: 10 % fraud in production",
        ".mlsd-fraud-prevalence .noUi-handle",
        "End",
        0.001,
        prevalence=0.1,
    )


# --- bidding simulator ---------------------------------------------------------------------


def _bidding_step(describe, focus, key, budget, pacing=False, auction="second") -> Step:
    out = bidding.simulate(load("auction_requests"), 0.0, budget, pacing, auction=auction)
    body, arg = text_includes(
        ".mlsd-bidding-metrics",
        f"profit ${out.profit:,.2f}",
        f"{out.wins} wins, {out.clicks} clicks",
    )
    return Step(describe, focus, key, body, arg)


def bidding_steps(page):
    handle = ".mlsd-bidding-budget .noUi-handle"
    yield _bidding_step("End on the budget slider: $150", handle, "End", 150.0)
    yield _bidding_step("Home on the budget slider: $0 buys nothing", handle, "Home", 0.0)
    yield _bidding_step("ArrowRight on the budget slider: $1", handle, "ArrowRight", 1.0)
    yield _bidding_step(
        "Space on 'Pace the budget': $1 spread over the day",
        ".mlsd-bidding-pacing input",
        "Space",
        1.0,
        pacing=True,
    )


# --- factories for the Python-side accessibility checks -------------------------------------


def _pipeline():
    from mlsd.widgets.pipelines import pipeline_budget

    return pipeline_budget("recommendations")


def _fraud():
    from mlsd.widgets.fraud import threshold_explorer

    return threshold_explorer(*_scores(), threshold=0.5, title="card transactions, days 21-29")


def _bidding():
    from mlsd.widgets.bidding import bidding_simulator

    return bidding_simulator(load("auction_requests"), shading=0.0, budget=30.0, pacing=False)


register(
    Section(
        name="05-common-ml-systems",
        main="fraud",
        widgets=(
            Widget("pipeline", "mlsd-pipeline", _pipeline, pipeline_steps, ("mlsd-pipeline-fig",)),
            Widget("fraud", "mlsd-fraud", _fraud, fraud_steps, ("mlsd-fraud-fig",)),
            Widget("bidding", "mlsd-bidding", _bidding, bidding_steps, ("mlsd-bidding-fig",)),
        ),
    )
)
