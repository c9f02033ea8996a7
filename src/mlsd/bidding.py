"""Real-time bidding (guide section 5, pattern 6): value -> bid -> auction -> result.

For each ad request our click model predicts a click probability; the impression's *value*
to us is that probability times what a click is worth. We bid the value scaled down by a
*shading* fraction, and the highest bid wins. What the winner pays depends on the auction:

- **second price** (Vickrey 1961): the winner pays the best competing bid (``market_price``).
  Bidding your true value is then a dominant strategy: shading never lowers the price you
  pay, it only makes you lose auctions you would have won at a profit. The one exception
  worth knowing is a *binding budget*: when money runs out before the good auctions are
  over, bidding a fraction of the value spends the budget on the auctions with the widest
  margin (budget rationing; the optimal budget-constrained bid is value / (1 + mu), Balseiro
  & Gur, Management Science 2019).
- **first price**: the winner pays its own bid, so bidding the full value earns nothing;
  shading trades the chance of winning against the margin per win, and profit peaks at an
  interior shading.

The competing bids are held fixed whichever auction is chosen. In a real market that
switches to first price every bidder shades, so the prices we face would fall too; the
toggle shows our best response to a given market, not a new equilibrium.

A daily budget caps the spend: we take part while the spend is below it (a win is charged in
full, so the day can end a fraction of one price over). A *pacing* rule spreads it over the
day. The requests are SYNTHETIC (seeded script, see data/DATA.md), with value and prices
that vary by hour.

Metrics, from the bidder's side:
- value won: the expected value of the impressions won (sum of p_click x value per click);
  the realised clicks are reported too, but at a 2 % click rate they are noisy;
- spend; **profit = value won - spend**, the headline: the quantity truthful bidding
  maximises;
- ROI = profit / spend. ROI alone misleads: it rises as you bid less (winning only the
  cheapest, widest-margin auctions), all the way to a handful of wins with a huge ROI and
  almost no profit;
- win rate = auctions won / auctions entered. (The guide's "fill rate" is the publisher's
  metric: the share of its ad requests that got an ad. A bidder measures its win rate.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mlsd.validation import require_choice, require_number

LATENCY_TARGET_MS = 50.0  # the guide: a bid must be back in under 50 ms
AUCTIONS = ("second", "first")
SCHEDULES = ("clock", "traffic")


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


def impression_values(requests: pd.DataFrame) -> np.ndarray:
    """Expected value of each impression to us: p_click x value_per_click, in dollars."""
    return requests["p_click"].to_numpy(float) * requests["value_per_click"].to_numpy(float)


def bid_prices(requests: pd.DataFrame, shading) -> np.ndarray:
    """Bid = value x (1 - shading), in dollars."""
    shading = require_number("shading", shading, 0, 1, high_inclusive=False)
    return impression_values(requests) * (1.0 - shading)


def prices_paid(bids: np.ndarray, market_price: np.ndarray, auction: str) -> np.ndarray:
    """What a win costs: the best competing bid (second price) or our own bid (first)."""
    return market_price if auction == "second" else bids


@dataclass(frozen=True)
class Outcome:
    auction: str
    shading: float
    budget: float
    pacing: bool
    requests: int
    bids: int  # auctions entered
    wins: int
    clicks: int  # realised clicks on the impressions won
    value: float  # expected value of the impressions won ($)
    spend: float
    hours: np.ndarray  # hour of each request
    cumulative_spend: np.ndarray  # spend after each request

    @property
    def profit(self) -> float:
        return self.value - self.spend

    @property
    def roi(self) -> float:
        return self.profit / self.spend if self.spend else 0.0

    @property
    def win_rate(self) -> float:
        return self.wins / self.bids if self.bids else 0.0

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
            "profit ($)": round(self.profit, 2),
            "value won ($)": round(self.value, 2),
            "spend ($)": round(self.spend, 2),
            "ROI": round(self.roi, 3),
            "win rate": round(self.win_rate, 4),
            "wins": self.wins,
            "clicks": self.clicks,
            "auctions entered": self.bids,
        }


def _check_inputs(requests, shading, budget, pacing, auction):
    budget = require_number("budget", budget, 0, None, unit="$")
    if not isinstance(pacing, bool):
        raise ValueError(f"pacing must be True or False; got {pacing!r}.")
    auction = require_choice("auction", auction, AUCTIONS)
    require_number("shading", shading, 0, 1, high_inclusive=False)
    return budget, auction


def simulate(
    requests: pd.DataFrame,
    shading=0.0,
    budget=100.0,
    pacing=True,
    pacing_rule: Callable | None = None,
    auction: str = "second",
    schedule: str = "clock",
) -> Outcome:
    """Run the day's requests in time order through bid -> auction -> result.

    We take part in a request while the spend is below the budget and, with ``pacing``, the
    rule (``should_bid`` unless another is given) allows it, asked with the spend so far, the
    budget and the elapsed share of the day (hour / 24). We win when our bid beats the
    market price and pay the market price (second price) or our bid (first price).
    """
    budget, auction = _check_inputs(requests, shading, budget, pacing, auction)
    value = impression_values(requests)
    bids = value * (1.0 - float(shading))
    market = requests["market_price"].to_numpy(float)
    hours = requests["hour"].to_numpy(float)
    elapsed = elapsed_fractions(hours, schedule)
    could_win = bids > market
    pay = np.where(could_win, prices_paid(bids, market, auction), 0.0)
    if pacing and pacing_rule is not None:
        entered, won = _run_with_rule(pacing_rule, elapsed, pay, could_win, budget)
    elif pacing:
        entered, won = _run_even_pacing(elapsed, pay, could_win, budget)
    else:
        entered, won = _run_until_spent(pay, budget)
    spent_after = np.cumsum(np.where(won, pay, 0.0))
    return Outcome(
        auction=auction,
        shading=float(shading),
        budget=budget,
        pacing=pacing,
        requests=len(requests),
        bids=int(entered.sum()),
        wins=int(won.sum()),
        clicks=int(requests["clicked"].to_numpy(int)[won].sum()),
        value=float(value[won].sum()),
        spend=float(spent_after[-1]) if len(spent_after) else 0.0,
        hours=hours,
        cumulative_spend=spent_after,
    )


def _run_until_spent(pay: np.ndarray, budget: float):
    """No pacing: take part in every request while the spend so far is below the budget."""
    spent_before = np.cumsum(pay) - pay  # as if every possible win were taken...
    entered = spent_before < budget  # ...which is exact up to the first refusal, then stops
    return entered, entered & (pay > 0)


def elapsed_fractions(hours: np.ndarray, schedule: str) -> np.ndarray:
    """The share of the day each request arrives at, as the pacing rule sees it.

    ``"clock"``: hour / 24, so the budget is spread evenly over the hours. ``"traffic"``:
    the share of the day's requests that have arrived so far, so the budget follows the
    traffic curve (in production the curve is forecast from previous days; here the day's
    own curve stands in for that forecast, an optimistic assumption).
    """
    schedule = require_choice("schedule", schedule, SCHEDULES)
    if schedule == "clock":
        return hours / 24.0
    return np.arange(len(hours), dtype=float) / max(len(hours), 1)


def _run_even_pacing(elapsed, pay, could_win, budget: float):
    """Even pacing, event by event: only the requests we could win change the spend."""
    candidates = np.flatnonzero(could_win)
    taken = []
    spent = 0.0
    steps = zip(
        candidates.tolist(),
        (budget * elapsed[candidates]).tolist(),
        pay[candidates].tolist(),
        strict=True,
    )
    for i, allowed, price in steps:
        if spent < budget and spent <= allowed:
            taken.append(i)
            spent += price
    won = np.zeros(len(pay), dtype=bool)
    won[taken] = True
    spent_before = np.cumsum(np.where(won, pay, 0.0)) - np.where(won, pay, 0.0)
    entered = (spent_before < budget) & (spent_before <= budget * elapsed)
    return entered, won


def _run_with_rule(rule: Callable, elapsed, pay, could_win, budget: float):
    """Any pacing rule (a learner's too): asked before every request, in time order."""
    n = len(pay)
    entered = np.zeros(n, dtype=bool)
    won = np.zeros(n, dtype=bool)
    spent = 0.0
    for i, (e, p, w) in enumerate(
        zip(elapsed.tolist(), pay.tolist(), could_win.tolist(), strict=True)
    ):
        if bool(rule(spent, budget, e)):
            entered[i] = True
            if w:
                won[i] = True
                spent += p
    return entered, won


def sweep(
    requests: pd.DataFrame, shadings, budget=100.0, pacing=True, auction="second"
) -> pd.DataFrame:
    """One row of metrics per shading value: profit, value, spend, ROI, win rate."""
    rows = []
    for s in shadings:
        out = simulate(requests, s, budget, pacing, auction=auction)
        rows.append({"shading": float(s), **out.summary()})
    return pd.DataFrame(rows).set_index("shading")


def best_shading(requests: pd.DataFrame, budget, pacing, auction, grid=None) -> tuple[float, float]:
    """The shading on ``grid`` (default 0, 0.05, ..., 0.9) with the highest profit, and that
    profit: where shading stops helping."""
    grid = np.round(np.arange(0.0, 0.91, 0.05), 2) if grid is None else np.asarray(grid, float)
    profits = [simulate(requests, s, budget, pacing, auction=auction).profit for s in grid]
    i = int(np.argmax(profits))
    return float(grid[i]), float(profits[i])
