"""Copy the Open Bandit Dataset sample (random policy, "all" campaign) into data/.

Source: the CSV files inside the obp==0.4.1 wheel (obp/dataset/obd/random/all/), which
anyone can fetch with ``pip download --no-deps obp==0.4.1`` and unzip. The rows are kept
as they are (10,000 impressions); only the unnamed index column and the 80
``user-item_affinity_*`` columns are dropped so the file stays under 2 MB.

Usage: python data/scripts/make_obd_sample.py /path/to/unzipped/obp/dataset/obd/random/all
"""

import sys
from pathlib import Path

import pandas as pd

KEEP = [
    "timestamp",
    "item_id",
    "position",
    "click",
    "propensity_score",
    "user_feature_0",
    "user_feature_1",
    "user_feature_2",
    "user_feature_3",
]


def main(source: Path, out: Path) -> None:
    clicks = pd.read_csv(source / "all.csv", usecols=KEEP)[KEEP]
    clicks.to_csv(out / "obd_random_all.csv", index=False, lineterminator="\n")
    items = pd.read_csv(source / "item_context.csv").drop(columns=["Unnamed: 0"])
    items.to_csv(out / "obd_item_context.csv", index=False, lineterminator="\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parents[1])
