"""Section 5 widgets driven from Python: fraud threshold, pipeline budget, bidding."""

from __future__ import annotations

import numpy as np
import pytest

from mlsd import data, fraud
from mlsd.timing import median_ms
from mlsd.widgets.bidding import bidding_simulator
from mlsd.widgets.fraud import threshold_explorer
from mlsd.widgets.pipelines import pipeline_budget


@pytest.fixture(scope="module")
def scored():
    events = data.load("fraud_standin")
    return events["is_positive"].to_numpy(), fraud.model_scores(events)


def test_threshold_slider_moves_metrics_and_points(scored):
    y, s = scored
    w = threshold_explorer(y, s, threshold=0.5)
    w.threshold.value = 0.9
    high = fraud.threshold_metrics(y, s, 0.9)
    assert f"recall</b> {high['recall']:.3f}" in w.metrics.value
    assert w.fig.data[1].x == (high["recall"],)
    assert w.fig.data[3].x == (high["fpr"],)
    w.threshold.value = fraud.find_threshold(y, s)
    assert "✓ meets" in w.metrics.value


def test_threshold_callback_under_20_ms_median_on_full_data(scored):
    y, s = scored
    w = threshold_explorer(y, s)
    thresholds = np.linspace(0.01, 0.99, 40)
    assert median_ms(lambda v: setattr(w.threshold, "value", float(v)), thresholds) < 20


def test_pipeline_budget_switches_pattern_and_reports_errors():
    w = pipeline_budget("recommendations")
    assert "✓ fits" in w.verdict.value
    w.pattern.value = "vision"
    assert w.target.value == 33.0
    assert w.stages[4].layout.display == "none"
    w.stages[1].value = 40.0
    assert "over by 22 ms" in w.verdict.value
    assert len(w.fig.data[0].x) == 4
    w.target.value = 0.0
    assert "target_ms must be &gt; 0" in w.message.value
    w.target.value = 100.0
    assert w.message.value == ""


def test_bidding_simulator_reacts_to_pacing_and_budget():
    w = bidding_simulator(data.load("auction_requests"), budget=30.0, pacing=False)
    assert "budget spent by 20.9 h" in w.metrics.value
    w.pacing.value = True
    assert "budget spent by 24.0 h" in w.metrics.value
    w.budget.value = 0.0
    assert "spend</b> $0.00" in w.metrics.value
    assert w.fig.data[2].y == (0.0, 0.0)
