"""mlsd.bidding: the pacing rule, second-price auctions and the budget."""

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
    return pd.DataFrame(
        {
            "hour": [1.0, 2.0, 3.0],
            "p_click": [0.1, 0.1, 0.1],
            "value_per_click": [1.0, 1.0, 1.0],
            "market_price": [0.05, 0.2, 0.08],
            "clicked": [1, 0, 0],
        }
    )


def test_second_price_pays_the_market_price_not_the_bid():
    out = bidding.simulate(_requests(), shading=0.0, budget=10.0, pacing=False)
    assert out.wins == 2 and out.spend == pytest.approx(0.13)
    assert out.revenue == 1.0 and out.fill_rate == pytest.approx(2 / 3)
    assert out.roi == pytest.approx((1.0 - 0.13) / 0.13)


def test_shading_changes_whether_we_win_not_what_we_pay():
    out = bidding.simulate(_requests(), shading=0.3, budget=10.0, pacing=False)
    assert out.wins == 1 and out.spend == pytest.approx(0.05)


def test_budget_caps_spend():
    out = bidding.simulate(_requests(), shading=0.0, budget=0.1, pacing=False)
    assert out.wins == 1 and out.spend <= 0.1


def test_pacing_spreads_spend_on_real_simulator_data():
    requests = data.load("auction_requests")
    unpaced = bidding.simulate(requests, 0.2, 30.0, pacing=False)
    paced = bidding.simulate(requests, 0.2, 30.0, pacing=True)
    assert unpaced.budget_ran_out_at < 22 < paced.budget_ran_out_at
    early = requests["hour"].to_numpy() <= 12
    assert paced.cumulative_spend[early][-1] <= 30.0 * 12 / 24 + 0.5
    assert np.all(np.diff(paced.cumulative_spend) >= 0)


def test_custom_rule_is_used():
    out = bidding.simulate(_requests(), 0.0, 10.0, True, pacing_rule=lambda *_: False)
    assert out.bids == 0 and out.wins == 0


def test_shading_out_of_range():
    with pytest.raises(ValueError, match=r"shading must be in \[0, 1\)"):
        bidding.simulate(_requests(), shading=1.0)
