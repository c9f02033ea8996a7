"""SYNTHETIC card transactions for the fraud pattern of section 5 (a labelled stand-in).

No real card-fraud data ships inside a Python package (the public sets are downloads with
their own terms), so this seeded script makes 20,000 transactions over 30 days whose
structure follows what fraud teams describe: a few fraud *modes* that look different from
each other, and legitimate customers who sometimes look like fraud (travellers, big
one-off purchases, a new phone, bursts of small subscription payments). The overlap is
deliberate: no model reaches 100 % detection at a low false-positive rate.

Fraud modes (shares of the fraud):
- card testing (28 %): bursts of tiny card-not-present payments (many in the last hour);
- account takeover (38 %): online, new device, an amount far above the customer's usual,
  more often at night;
- stolen or skimmed card (29 %): card present, abroad or far from home;
- quiet fraud (5 %): amounts and places close to the customer's normal.
After day 20 the takeover mode adapts (smaller amounts, fewer new devices), as fraud does
when it is blocked: a model trained on days 0-20 meets a slightly different days 21-29.

Fraud is 2 % of the rows, about 20 times the real rate of card fraud (roughly 0.1 %): real
studies oversample fraud too, so that the curves rest on enough positives. Precision at the
real base rate must then be recomputed (``mlsd.base_rates``), which section 5 does.

Every number below is an assumption of this script, chosen to be plausible, not measured.
Seed 7 makes the file reproducible: the loader checks its sha256.

Usage: python data/scripts/make_card_transactions.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 7
N = 20_000
FRAUD_SHARE = 0.02
DAYS = 30
CATEGORIES = (
    "grocery",
    "fuel",
    "restaurant",
    "online_retail",
    "electronics",
    "travel",
    "digital_goods",
    "jewellery",
)
LEGIT_MIX = (0.30, 0.14, 0.18, 0.20, 0.05, 0.05, 0.06, 0.02)
ONLINE = {"online_retail", "digital_goods", "travel"}


def _legit(rng: np.random.Generator, n: int) -> pd.DataFrame:
    category = rng.choice(CATEGORIES, size=n, p=LEGIT_MIX)
    online = np.isin(category, list(ONLINE)) | (rng.random(n) < 0.08)
    hour = np.where(
        rng.random(n) < 0.07, rng.uniform(0, 6, n), np.clip(rng.normal(14.5, 4.0, n), 6, 23.99)
    )
    usual = np.exp(rng.normal(0.0, 0.55, n))  # this purchase relative to the customer's median
    big_buy = rng.random(n) < 0.04  # a rare big purchase (a sofa, a holiday)
    usual = np.where(big_buy, usual * rng.uniform(3, 20, n), usual)
    traveller = rng.random(n) < 0.05
    return pd.DataFrame(
        {
            "category": category,
            "hour": hour,
            "amount_vs_usual": usual,
            "card_present": (~online).astype(int),
            "foreign": (traveller & (rng.random(n) < 0.6)).astype(int),
            "km_from_home": np.where(
                traveller, rng.lognormal(6.0, 1.0, n), rng.lognormal(1.8, 1.0, n)
            ),
            "tx_last_hour": rng.poisson(0.4, n) + (rng.random(n) < 0.03) * rng.integers(2, 7, n),
            "new_device": (online & (rng.random(n) < 0.05)).astype(int),
            "account_age_days": rng.gamma(2.0, 700.0, n),
        }
    )


def _fraud(rng: np.random.Generator, n: int, late: np.ndarray) -> pd.DataFrame:
    mode = rng.choice(4, size=n, p=[0.28, 0.38, 0.29, 0.05])
    testing, takeover, stolen, quiet = (mode == k for k in range(4))
    base = _legit(rng, n)  # quiet fraud keeps a customer's normal look
    category = base["category"].to_numpy().copy()
    category[testing] = rng.choice(["digital_goods", "online_retail"], testing.sum())
    category[takeover] = rng.choice(
        ["electronics", "digital_goods", "jewellery", "online_retail"], takeover.sum()
    )
    category[stolen] = rng.choice(["fuel", "electronics", "jewellery", "grocery"], stolen.sum())
    usual = base["amount_vs_usual"].to_numpy().copy()
    usual[testing] = rng.uniform(0.02, 0.3, testing.sum())
    adapted = takeover & late  # after day 20 takeovers ask for less
    usual[takeover] = np.exp(rng.normal(2.0, 0.7, takeover.sum()))
    usual[adapted] = np.exp(rng.normal(1.4, 0.6, adapted.sum()))
    usual[stolen] = np.exp(rng.normal(1.0, 0.8, stolen.sum()))
    usual[quiet] *= np.exp(rng.normal(0.3, 0.3, quiet.sum()))
    hour = base["hour"].to_numpy().copy()
    night = takeover & (rng.random(n) < 0.45)
    hour[night] = rng.uniform(0, 6, night.sum())
    card_present = base["card_present"].to_numpy().copy()
    card_present[testing | takeover] = 0
    card_present[stolen] = 1
    foreign = base["foreign"].to_numpy().copy()
    foreign[stolen] = (rng.random(stolen.sum()) < 0.7).astype(int)
    km = base["km_from_home"].to_numpy().copy()
    km[stolen] = rng.lognormal(5.5, 1.2, stolen.sum())
    velocity = base["tx_last_hour"].to_numpy().copy()
    velocity[testing] = rng.integers(3, 16, testing.sum())
    velocity[takeover] += rng.poisson(1.0, takeover.sum())
    new_device = base["new_device"].to_numpy().copy()
    new_device[takeover] = (rng.random(takeover.sum()) < 0.8).astype(int)
    new_device[adapted] = (rng.random(adapted.sum()) < 0.5).astype(int)
    age = base["account_age_days"].to_numpy().copy()
    young = (testing | takeover) & (rng.random(n) < 0.3)
    age[young] = rng.uniform(1, 60, young.sum())
    return pd.DataFrame(
        {
            "category": category,
            "hour": hour,
            "amount_vs_usual": usual,
            "card_present": card_present,
            "foreign": foreign,
            "km_from_home": km,
            "tx_last_hour": velocity,
            "new_device": new_device,
            "account_age_days": age,
        }
    )


def main(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    day = np.sort(rng.integers(0, DAYS, N))
    is_fraud = rng.random(N) < FRAUD_SHARE
    rows = pd.DataFrame(index=np.arange(N), columns=_legit(rng, 1).columns)
    rows.loc[~is_fraud] = _legit(rng, int((~is_fraud).sum())).to_numpy()
    rows.loc[is_fraud] = _fraud(rng, int(is_fraud.sum()), day[is_fraud] > 20).to_numpy()
    median_amount = np.exp(rng.normal(3.5, 0.7, N))  # each customer's usual spend, $
    table = pd.DataFrame(
        {
            "transaction_id": np.arange(N),
            "day": day,
            "hour": rows["hour"].astype(float).round(2),
            "category": rows["category"],
            "amount": (rows["amount_vs_usual"].astype(float) * median_amount).round(2).clip(0.5),
            "amount_vs_usual": rows["amount_vs_usual"].astype(float).round(3),
            "card_present": rows["card_present"].astype(int),
            "foreign": rows["foreign"].astype(int),
            "km_from_home": rows["km_from_home"].astype(float).round(1),
            "tx_last_hour": rows["tx_last_hour"].astype(int),
            "new_device": rows["new_device"].astype(int),
            "account_age_days": rows["account_age_days"].astype(float).round(0).astype(int),
            "is_fraud": is_fraud.astype(int),
        }
    )
    table.to_csv(out / "card_transactions.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(__file__).resolve().parents[1])
