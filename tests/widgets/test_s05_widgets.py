"""Section 5 widgets driven from Python: fraud threshold, pipeline budget, bidding."""

from __future__ import annotations

import numpy as np
import pytest

from mlsd import base_rates, bidding, data, fraud
from mlsd.timing import median_ms
from mlsd.widgets.bidding import bidding_simulator
from mlsd.widgets.fraud import threshold_explorer
from mlsd.widgets.pipelines import pipeline_budget


@pytest.fixture(scope="module")
def scored():
    demo = fraud.demo_scores()
    return demo.labels, demo.scores


def test_threshold_slider_moves_metrics_and_points(scored):
    y, scores = scored
    s = scores["gradient boosting"]
    w = threshold_explorer(y, scores, threshold=0.5)
    w.model.value = "gradient boosting"
    w.threshold.value = 0.9
    high = fraud.threshold_metrics(y, s, 0.9)
    assert f"recall</b> {high['recall']:.3f}" in w.metrics.value
    assert w.fig.data[2].x == (high["recall"],)
    assert w.fig.data[5].y == (high["recall"],)
    assert "✗ misses" in w.metrics.value  # no threshold meets the guide's target here


def test_prevalence_turns_the_operating_point_into_precision_and_declines(scored):
    y, scores = scored
    w = threshold_explorer(y, scores, threshold=0.2)
    w.prevalence.value = 0.001
    w.volume.value = 150e6
    c = fraud.confusion_at(y, scores[w.model.value], 0.2)
    point = base_rates.operating_point(c.recall, c.fpr, 0.001, 150e6)
    assert f"precision <b>{point.precision:.1%}</b>" in w.metrics.value
    assert f"declined <b>{point.false_alarms_per_day:,.0f}</b>" in w.metrics.value
    assert w.fig.data[3].y == (pytest.approx(point.precision),)
    # the deployed PR curve lies below the sample's wherever anything is flagged
    on_sample, deployed = np.array(w.fig.data[0].y), np.array(w.fig.data[1].y)
    assert (deployed <= on_sample + 1e-12).all()
    assert np.median(deployed) < 0.5 * np.median(on_sample)


def test_roc_axis_is_logarithmic_and_the_target_is_not_a_sliver(scored):
    w = threshold_explorer(*scored)
    axis = w.fig.layout.xaxis2
    assert axis.type == "log"
    low, high = axis.range
    target_share = (np.log10(0.02) - low) / (high - low)
    assert target_share > 0.5  # on a linear 0-1 axis the target was 2 % of the width
    assert min(w.fig.data[4].x) >= 10**low * (1 - 1e-9)  # nothing drawn off the axis


def test_threshold_callback_under_20_ms_median_on_full_data(scored):
    w = threshold_explorer(*scored)
    thresholds = np.linspace(0.01, 0.99, 40)
    assert median_ms(lambda v: setattr(w.threshold, "value", float(v)), thresholds) < 20
    rates = 10 ** np.linspace(-4, -1, 20)
    assert median_ms(lambda v: setattr(w.prevalence, "value", float(v)), rates) < 20


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
    requests = data.load("auction_requests")
    w = bidding_simulator(requests, shading=0.0, budget=30.0, pacing=False)
    unpaced = bidding.simulate(requests, 0.0, 30.0, False)
    assert f"budget spent by {unpaced.budget_ran_out_at:.1f} h" in w.metrics.value
    assert f"profit ${unpaced.profit:,.2f}" in w.metrics.value
    assert "fill rate" not in w.metrics.value and "win rate" in w.metrics.value
    w.pacing.value = True
    paced = bidding.simulate(requests, 0.0, 30.0, True)
    assert f"profit ${paced.profit:,.2f}" in w.metrics.value
    assert w.fig.data[1].y == (0.0, 30.0)  # the clock pacing line
    w.budget.value = 0.0
    assert "spend $0.00" in w.metrics.value
    assert w.fig.data[2].y == (0.0, 0.0)


def test_bidding_curve_shows_when_shading_helps_and_hurts():
    requests = data.load("auction_requests")
    w = bidding_simulator(requests, shading=0.0, budget=150.0, pacing=False)
    profits = np.array(w.fig.data[3].y)
    assert profits.argmax() == 0  # second price, budget not binding: truthful is best
    assert "best shading for these settings: 0.00" in w.metrics.value
    w.auction.value = "first"
    profits = np.array(w.fig.data[3].y)
    assert 0 < profits.argmax() < len(profits) - 1  # first price: an interior optimum
    assert profits[0] == pytest.approx(0.0, abs=1e-9)
    rois = np.array(w.fig.data[4].y)
    assert rois[-1] > rois[1]  # ROI keeps rising as we bid less
    w.shading.value = 0.4
    assert w.fig.data[5].x == (0.4,)


def test_bidding_callbacks_under_20_ms_median():
    w = bidding_simulator(data.load("auction_requests"), budget=30.0, pacing=True)
    shadings = [round(0.05 * (i % 18), 2) for i in range(1, 21)]
    assert median_ms(lambda v: setattr(w.shading, "value", v), shadings) < 20
    budgets = [float(b) for b in range(10, 70, 3)]
    assert median_ms(lambda v: setattr(w.budget, "value", v), budgets) < 20


def test_pipeline_chart_wraps_stage_names_and_never_shows_empty_axes(monkeypatch):
    from mlsd.widgets import pipelines as wp

    w = pipeline_budget("recommendations")
    labels = w.fig.data[0].x
    assert all(len(line) <= 14 for label in labels for line in label.split("<br>"))
    assert w.fig.layout.xaxis.tickangle == 0 and not w.fig.layout.annotations

    def broken(*_a, **_k):
        raise ValueError("target_ms must be > 0 ms; got 0.")

    monkeypatch.setattr(wp, "budget_table", broken)
    empty = wp.PipelineBudget("recommendations")
    assert "fix the input above" in empty.fig.layout.annotations[0].text
    assert empty.fig.layout.xaxis.visible is False
    monkeypatch.undo()
    empty.target.value = 150.0
    assert not empty.fig.layout.annotations and empty.fig.layout.xaxis.visible
