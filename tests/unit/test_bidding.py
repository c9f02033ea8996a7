"""mlsd.bidding: the pacing rule, second- and first-price auctions, budgets and the metrics.

Each economic claim the notebook makes has a test here that fails if the simulator (or the
data) stops supporting it: truthful bidding is optimal in a second-price auction without a
binding budget; shading helps in a first-price auction and under a binding budget; ROI
rewards bidding less while profit falls; the bidder's rate is a win rate; pacing has work
to do because value and price vary by hour.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlsd import bidding, data


@pytest.mark.parametrize(
    ("spent", "budget", "elapsed", "expected"),
    [
        (0, 100, 0, True),
        (50, 100, 0.5, True),
        (50.01, 100, 0.5, False),
        (100, 100, 1, False),
        (0, 0, 0.5, False),
    ],
)
def test_should_bid(spent, budget, elapsed, expected):
    assert bidding.should_bid(spent, budget, elapsed) is expected


def test_should_bid_validates():
    with pytest.raises(ValueError, match=r"elapsed_fraction must be in \[0, 1\]; got 2"):
        bidding.should_bid(0, 10, 2)


def _requests():
    # values 0.1 each; competing bids 0.05, 0.2, 0.08
    return pd.DataFrame(
        {
            "hour": [1.0, 2.0, 3.0],
            "p_click": [0.1, 0.1, 0.1],
            "value_per_click": [1.0, 1.0, 1.0],
            "market_price": [0.05, 0.2, 0.08],
            "clicked": [1, 0, 0],
        }
    )


@pytest.fixture(scope="module")
def day():
    return data.load("auction_requests")


def _random_auctions(seed: int, n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "hour": np.sort(rng.uniform(0, 24, n)),
            "p_click": rng.uniform(0.001, 0.1, n),
            "value_per_click": rng.choice([0.5, 1.0, 2.0], n),
            "market_price": rng.lognormal(-4.0, 0.8, n),
            "clicked": rng.integers(0, 2, n),
        }
    )


def test_second_price_pays_the_market_price_not_the_bid():
    out = bidding.simulate(_requests(), shading=0.0, budget=10.0, pacing=False)
    assert out.wins == 2 and out.spend == pytest.approx(0.13)
    assert out.value == pytest.approx(0.2) and out.profit == pytest.approx(0.07)
    assert out.roi == pytest.approx(0.07 / 0.13)
    assert out.clicks == 1


def test_first_price_pays_the_bid():
    out = bidding.simulate(_requests(), shading=0.0, budget=10.0, pacing=False, auction="first")
    assert out.wins == 2 and out.spend == pytest.approx(0.2) and out.profit == pytest.approx(0)
    shaded = bidding.simulate(_requests(), 0.3, 10.0, False, auction="first")
    assert shaded.wins == 1 and shaded.spend == pytest.approx(0.07)
    assert shaded.profit == pytest.approx(0.03)


def test_shading_changes_whether_we_win_not_what_we_pay_in_second_price():
    out = bidding.simulate(_requests(), shading=0.3, budget=10.0, pacing=False)
    assert out.wins == 1 and out.spend == pytest.approx(0.05)


@pytest.mark.parametrize("seed", range(8))
def test_truthful_bidding_dominates_shading_in_second_price_without_budget(seed):
    # Vickrey (1961): on the same auctions, no shading earns more than bidding the value.
    requests = _random_auctions(seed)
    truthful = bidding.simulate(requests, 0.0, 1e9, False).profit
    for shading in np.arange(0.05, 0.95, 0.05):
        assert bidding.simulate(requests, shading, 1e9, False).profit <= truthful + 1e-12


def test_on_the_day_truthful_is_best_in_second_price_when_the_budget_does_not_bind(day):
    assert bidding.best_shading(day, 150.0, False, "second")[0] == 0.0


def test_first_price_profit_is_zero_at_full_value_and_peaks_inside(day):
    assert bidding.simulate(day, 0.0, 150.0, False, auction="first").profit == pytest.approx(0)
    best, profit = bidding.best_shading(day, 150.0, False, "first")
    assert 0.2 <= best <= 0.6 and profit > 0
    assert bidding.simulate(day, 0.85, 150.0, False, auction="first").profit < profit


def test_a_binding_budget_makes_shading_pay_in_second_price(day):
    # Budget rationing: with $30 the truthful bidder spends on thin-margin auctions first.
    truthful = bidding.simulate(day, 0.0, 30.0, False).profit
    best, profit = bidding.best_shading(day, 30.0, False, "second")
    assert best > 0 and profit > 1.5 * truthful


def test_roi_rises_with_shading_while_profit_falls(day):
    sweep = bidding.sweep(day, [0.0, 0.2, 0.4, 0.6, 0.8], budget=150.0, pacing=False)
    assert sweep["ROI"].is_monotonic_increasing
    assert sweep["profit ($)"].is_monotonic_decreasing
    assert sweep["profit ($)"].iloc[-1] < 0.2 * sweep["profit ($)"].iloc[0]


def test_win_rate_counts_auctions_entered_not_requests(day):
    out = bidding.simulate(day, 0.0, 30.0, False)
    assert out.bids < out.requests  # we stop entering once the budget is gone
    assert out.win_rate == pytest.approx(out.wins / out.bids)
    assert "fill rate" not in out.summary()


def test_value_and_price_vary_by_hour_so_margins_differ(day):
    value = bidding.impression_values(day)
    ratio = value / day["market_price"].to_numpy()
    hour = day["hour"].to_numpy()
    late_morning = np.median(ratio[(hour >= 8) & (hour < 12)])
    evening = np.median(ratio[(hour >= 19) & (hour < 22)])
    assert evening > 1.8 * late_morning


def test_pacing_has_work_to_do_on_the_day(day):
    unpaced = bidding.simulate(day, 0.0, 30.0, pacing=False)
    clock = bidding.simulate(day, 0.0, 30.0, pacing=True)
    traffic = bidding.simulate(day, 0.0, 30.0, pacing=True, schedule="traffic")
    assert unpaced.budget_ran_out_at < 20 < clock.budget_ran_out_at
    assert unpaced.profit < clock.profit < traffic.profit
    early = day["hour"].to_numpy() <= 12
    assert clock.cumulative_spend[early][-1] <= 30.0 * 12 / 24 + 0.5
    assert np.all(np.diff(clock.cumulative_spend) >= 0)


@pytest.mark.parametrize("schedule", ["clock", "traffic"])
@pytest.mark.parametrize("auction", ["second", "first"])
def test_fast_even_pacing_matches_the_rule_called_per_request(day, schedule, auction):
    fast = bidding.simulate(day, 0.3, 25.0, True, auction=auction, schedule=schedule)
    slow = bidding.simulate(
        day, 0.3, 25.0, True, bidding.should_bid, auction=auction, schedule=schedule
    )
    assert (fast.wins, fast.bids) == (slow.wins, slow.bids)
    assert fast.spend == pytest.approx(slow.spend)


def test_custom_rule_is_used():
    out = bidding.simulate(_requests(), 0.0, 10.0, True, pacing_rule=lambda *_: False)
    assert out.bids == 0 and out.wins == 0


def test_budget_caps_spend_within_one_price():
    out = bidding.simulate(_requests(), shading=0.0, budget=0.03, pacing=False)
    assert out.wins == 1 and out.spend == pytest.approx(0.05)  # the win that crossed it


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shading": 1.0}, r"shading must be in \[0, 1\)"),
        ({"auction": "third"}, r"auction must be one of"),
        ({"schedule": "moon"}, r"schedule must be one of"),
        ({"budget": -1.0}, r"budget must be >= 0"),
    ],
)
def test_bad_inputs_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bidding.simulate(_requests(), **kwargs)
