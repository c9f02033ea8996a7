"""SYNTHETIC ad requests for the real-time bidding simulator of section 5 (pattern 6).

No public bid-request log ships inside a Python package, so this seeded script makes one.
Each row is one ad request during a 24-hour day, in time order:

- ``hour``: when it arrives (traffic is low at night, rises through the day, peaks 19-22 h);
- ``p_click``: our click model's prediction for this impression. It is *calibrated*: the
  ``clicked`` flag is drawn from it, so ``p_click x value_per_click`` is the expected value
  of the impression to us (what a bidder should bid in a second-price auction);
- ``value_per_click``: what a click is worth to our advertiser, in dollars;
- ``market_price``: the highest competing bid, in dollars (what we pay when we win a
  second-price auction; the bid we must beat in a first-price one);
- ``clicked``: whether the user clicked when shown our ad (drawn from ``p_click``).

The day is not flat, so that pacing has something to do (every figure is an assumption of
this script, chosen to be plausible, not measured):
- users click more in the evening (click-rate multiplier 0.7 at night to 1.3 at 20 h);
- competition is stiffest in the morning and through the working day, when every
  advertiser still has budget, and thins in the evening as unpaced competitors run out
  (a well-known effect of budget exhaustion; see Balseiro & Gur, Management Science 2019).
So the value of an impression relative to its price is lowest around 9-12 h and highest
after 19 h: a campaign that spends its budget as fast as it can buys the worst hours.

Seed 2024 and the constants below make the file reproducible: the loader checks its sha256.

Usage: python data/scripts/make_auction_requests.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
N_REQUESTS = 8000


def click_multiplier(hour: np.ndarray) -> np.ndarray:
    """Users' click propensity through the day: 0.7 at 4 h, 1.3 at 20 h."""
    return 1.0 + 0.3 * np.cos((hour - 20.0) / 24.0 * 2 * np.pi)


def competition_multiplier(hour: np.ndarray) -> np.ndarray:
    """How hard competitors bid: highest at 10 h (1.3), lowest at 22 h (0.7)."""
    return 1.0 + 0.3 * np.cos((hour - 10.0) / 24.0 * 2 * np.pi)


def arrival_hours(rng: np.random.Generator, n: int) -> np.ndarray:
    """Arrival times: a daytime base (8-24 h), a thin night, and an evening peak (19-22 h)."""
    kind = rng.choice(3, size=n, p=[0.12, 0.48, 0.40])
    night = rng.uniform(0, 8, n)
    day = rng.uniform(8, 24, n)
    evening = np.clip(rng.normal(20.5, 1.5, n), 0, 23.999)
    return np.sort(np.where(kind == 0, night, np.where(kind == 1, day, evening)))


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    hour = arrival_hours(rng, N_REQUESTS)
    base_ctr = rng.beta(2.0, 90.0, N_REQUESTS)
    p_click = np.clip(base_ctr * click_multiplier(hour), 1e-4, 0.5)
    value_per_click = rng.choice([0.8, 1.0, 1.5, 2.0], size=N_REQUESTS, p=[0.3, 0.4, 0.2, 0.1])
    # Competitors value the same users (their bids follow the click rate), with their own
    # noise and an intensity that depends on the hour.
    market_price = (
        base_ctr * 0.9 * competition_multiplier(hour) * np.exp(rng.normal(0.0, 0.45, N_REQUESTS))
    )
    clicked = (rng.random(N_REQUESTS) < p_click).astype(int)
    table = pd.DataFrame(
        {
            "request_id": np.arange(N_REQUESTS),
            "hour": np.round(hour, 4),
            "p_click": np.round(p_click, 6),
            "value_per_click": value_per_click,
            "market_price": np.round(market_price, 6),
            "clicked": clicked,
        }
    )
    table.to_csv(out / "auction_requests.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(__file__).resolve().parents[1])
