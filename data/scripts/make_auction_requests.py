"""SYNTHETIC ad requests for the real-time bidding simulator of section 5 (pattern 6).

No public bid-request log ships inside a Python package, so this seeded script makes one.
Each row is one ad request during a 24-hour day, in time order:

- ``hour``: when it arrives (traffic follows a daily curve, peaking in the evening);
- ``p_click``: our click model's prediction for this impression (a noisy view of the truth);
- ``value_per_click``: what a click is worth to our advertiser, in dollars;
- ``market_price``: the highest competing bid, in dollars (what we pay if we win, since
  the auction is second price), correlated with the true click rate plus lognormal noise;
- ``clicked``: whether the user would click if we showed our ad (drawn from the true rate).

Seed 2024 and the constants below make the file reproducible: the loader checks its sha256.

Usage: python data/scripts/make_auction_requests.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
N_REQUESTS = 6000


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    # Arrival times: a mixture of a flat base and an evening peak (hours 18-22).
    evening = rng.random(N_REQUESTS) < 0.45
    hour = np.where(
        evening,
        np.clip(rng.normal(20.0, 2.0, N_REQUESTS), 0, 23.999),
        rng.uniform(0, 24, N_REQUESTS),
    )
    hour = np.sort(hour)
    true_ctr = np.clip(rng.beta(2.0, 90.0, N_REQUESTS), 1e-4, 0.5)
    p_click = np.clip(true_ctr * np.exp(rng.normal(0.0, 0.35, N_REQUESTS)), 1e-4, 0.9)
    value_per_click = rng.choice([0.8, 1.0, 1.5, 2.0], size=N_REQUESTS, p=[0.3, 0.4, 0.2, 0.1])
    market_price = true_ctr * 1.1 * np.exp(rng.normal(0.0, 0.45, N_REQUESTS))
    clicked = (rng.random(N_REQUESTS) < true_ctr).astype(int)
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
