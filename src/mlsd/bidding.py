"""Real-time bidding (guide section 5, pattern 6): value -> bid -> auction -> result.

For each ad request our click model predicts a click probability; the impression's value is
that probability times what a click is worth. We bid the value minus a *shading* fraction,
and the auction is second price: the highest bid wins and pays the best competing bid (the
``market_price``). A daily budget caps the spend; a *pacing* rule spreads it over the day so
the money does not run out in the morning. The requests are SYNTHETIC (seeded script, see
data/DATA.md): no public bid log ships in a package.

Metrics: revenue (value of the clicks won, $), spend ($), ROI = (revenue - spend) / spend,
fill rate = requests won / requests received.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlsd.validation import require_number

LATENCY_TARGET_MS = 50.0  # the guide: a bid must be back in under 50 ms


def should_bid(spent, budget, elapsed_fraction) -> bool:
    """Even pacing: take part only while the budget is not used up and the spend so far is
    no more than the share of the budget the elapsed share of the day allows.

    ``spent <= budget * elapsed_fraction`` means "on or behind schedule": bid. Ahead of
    schedule, or with nothing left (``spent >= budget``), skip the request.
    """
    spent = require_number("spent", spent, 0, None, unit="$")
    budget = require_number("budget", budget, 0, None, unit="$")
    elapsed = require_number("elapsed_fraction", elapsed_fraction, 0, 1)
    return spent < budget and spent <= budget * elapsed


def _even_pacing(spent: float, budget: float, elapsed: float) -> bool:
    # should_bid without the input checks: the simulator's own, already valid, numbers.
    return spent < budget and spent <= budget * elapsed


def bid_prices(requests: pd.DataFrame, shading) -> np.ndarray:
    """Bid = predicted value (p_click x value_per_click) x (1 - shading), in dollars."""
    shading = require_number("shading", shading, 0, 1, high_inclusive=False)
    value = requests["p_click"].to_numpy(float) * requests["value_per_click"].to_numpy(float)
    return value * (1.0 - shading)


@dataclass(frozen=True)
class Outcome:
    shading: float
    budget: float
    pacing: bool
    requests: int
    bids: int
    wins: int
    clicks: int
    spend: float
    revenue: float
    hours: np.ndarray  # hour of each request
    cumulative_spend: np.ndarray  # spend after each request

    @property
    def fill_rate(self) -> float:
        return self.wins / self.requests if self.requests else 0.0

    @property
    def roi(self) -> float:
        return (self.revenue - self.spend) / self.spend if self.spend else 0.0

    @property
    def budget_used(self) -> float:
        return self.spend / self.budget if self.budget else 0.0

    @property
    def budget_ran_out_at(self) -> float | None:
        """Hour when the spend first came within a cent of the budget, else None."""
        done = np.flatnonzero(self.cumulative_spend >= self.budget - 0.01)
        return float(self.hours[done[0]]) if done.size and self.budget > 0 else None

    def summary(self) -> dict:
        return {
            "revenue ($)": round(self.revenue, 2),
            "spend ($)": round(self.spend, 2),
            "ROI": round(self.roi, 3),
            "fill rate": round(self.fill_rate, 4),
            "wins": self.wins,
            "clicks": self.clicks,
            "bids placed": self.bids,
        }


def simulate(
    requests: pd.DataFrame,
    shading=0.0,
    budget=100.0,
    pacing=True,
    pacing_rule: Callable | None = None,
) -> Outcome:
    """Run the day's requests in time order through bid -> second-price auction -> result.

    With ``pacing`` the rule (``should_bid`` unless another is given) is asked before each
    bid with the spend so far, the budget and the elapsed share of the day (hour / 24). A
    win is possible only when the bid beats the market price and the price still fits in
    what is left of the budget.
    """
    budget = require_number("budget", budget, 0, None, unit="$")
    if not isinstance(pacing, bool):
        raise ValueError(f"pacing must be True or False; got {pacing!r}.")
    bids = bid_prices(requests, shading)
    price = requests["market_price"].to_numpy(float)
    hours = requests["hour"].to_numpy(float)
    value = requests["clicked"].to_numpy(int) * requests["value_per_click"].to_numpy(float)
    rule = pacing_rule or _even_pacing
    n = len(requests)
    spent_after = np.empty(n)
    won = np.zeros(n, dtype=bool)
    placed = np.zeros(n, dtype=bool)
    spent = 0.0
    could_win = bids > price
    steps = zip(hours.tolist(), price.tolist(), could_win.tolist(), strict=True)
    for i, (h, p, w) in enumerate(steps):
        take_part = bool(rule(spent, budget, h / 24.0)) if pacing else spent < budget
        if take_part:
            placed[i] = True
            if w and spent + p <= budget:
                won[i] = True
                spent += p
        spent_after[i] = spent
    return Outcome(
        shading=float(shading),
        budget=budget,
        pacing=pacing,
        requests=n,
        bids=int(placed.sum()),
        wins=int(won.sum()),
        clicks=int((value[won] > 0).sum()),
        spend=float(spent),
        revenue=float(value[won].sum()),
        hours=hours,
        cumulative_spend=spent_after,
    )


def sweep(requests: pd.DataFrame, shadings, budget=100.0, pacing=True) -> pd.DataFrame:
    """One row of metrics per shading value, for a chart of revenue, ROI and fill rate."""
    rows = []
    for s in shadings:
        out = simulate(requests, s, budget, pacing)
        rows.append({"shading": float(s), **out.summary()})
    return pd.DataFrame(rows)
