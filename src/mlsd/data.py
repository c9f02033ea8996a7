"""Section 5's data sets, loaded by name with their checksum and columns checked.

Every data set is either a small file in the repository's ``data/`` folder or a file that
an installed package ships (scikit-learn's digits). Nothing is downloaded. ``load(name)``
finds the file relative to the repository (never the working directory, since notebooks
run inside their own folder), compares its sha256 with the one recorded here and in
``data/DATA.md``, reads it and checks the columns. A missing or changed file fails with a
``DataError`` that names the file and says how to get the right one back.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

DATA_ENV = "MLSD_DATA_DIR"  # optional override: a folder holding the data files


class DataError(ValueError):
    """A data file is missing, was changed, or does not have the expected columns."""


@dataclass(frozen=True)
class Dataset:
    name: str
    file: str  # path inside data/, or "sklearn:<file>" for a file scikit-learn ships
    sha256: str
    columns: tuple[str, ...]
    what: str
    restore: str  # how to get the right file back

    def is_packaged(self) -> bool:
        return self.file.startswith("sklearn:")


_OBD_RESTORE = (
    "restore it from the repository (git checkout -- data/{file}) or rebuild it with "
    "`python data/scripts/make_obd_sample.py <unzipped obp-0.4.1 wheel>/obp/dataset/obd/"
    "random/all` (see data/DATA.md)"
)
_CARD_COLUMNS = (
    "transaction_id",
    "day",
    "hour",
    "category",
    "amount",
    "amount_vs_usual",
    "card_present",
    "foreign",
    "km_from_home",
    "tx_last_hour",
    "new_device",
    "account_age_days",
    "is_fraud",
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "obd_clicks",
            "obd_random_all.csv",
            "4827838f9200a7b04717858582bd53ef38b8e065f6a9091deb79c63dc89b3755",
            (
                "timestamp",
                "item_id",
                "position",
                "click",
                "propensity_score",
                "user_feature_0",
                "user_feature_1",
                "user_feature_2",
                "user_feature_3",
            ),
            "Open Bandit Dataset sample: 10,000 real fashion e-commerce impressions (ZOZOTOWN)",
            _OBD_RESTORE,
        ),
        Dataset(
            "obd_items",
            "obd_item_context.csv",
            "ca8e2eb009569909d200438d524280247dfcc90cabf9e8691f52b30de141c196",
            ("item_id", "item_feature_0", "item_feature_1", "item_feature_2", "item_feature_3"),
            "Open Bandit Dataset item features for the 80 items",
            _OBD_RESTORE,
        ),
        Dataset(
            "support_qa",
            "support_qa.csv",
            "58089c1a0a8015d95dcd1e5f67cc9c38dc8378c35131f4f35b85f04b01b8b25b",
            ("conversation_id", "category", "question", "answer"),
            "English ChatterBot corpus: 2,026 question/answer conversations in 21 categories",
            "restore it from the repository (git checkout -- data/{file}) or rebuild it with "
            "`python data/scripts/make_support_qa.py <unzipped chatterbot-corpus-1.3.3 wheel>/"
            "chatterbot_corpus/data/english` (see data/DATA.md)",
        ),
        Dataset(
            "card_transactions",
            "card_transactions.csv",
            "5f2bfc706d47d1d15a209d73d8c85962f9106ee1451f361a0bbdcfa46a992b65",
            _CARD_COLUMNS,
            "SYNTHETIC card transactions, a stand-in for fraud data (seeded script, 1.8% fraud)",
            "restore it from the repository (git checkout -- data/{file}) or rebuild it with "
            "`python data/scripts/make_card_transactions.py` (seeded; see data/DATA.md)",
        ),
        Dataset(
            "auction_requests",
            "auction_requests.csv",
            "7532b8ec9ba4916914b10bcfcb5ec3fdd3068ffab159670a6e31050a51d0108a",
            ("request_id", "hour", "p_click", "value_per_click", "market_price", "clicked"),
            "SYNTHETIC ad requests for the bidding simulator (seeded script)",
            "restore it from the repository (git checkout -- data/{file}) or rebuild it with "
            "`python data/scripts/make_auction_requests.py` (seeded; see data/DATA.md)",
        ),
        Dataset(
            "digits",
            "sklearn:digits.csv.gz",
            "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22",
            (*(f"pixel_{i}" for i in range(64)), "target"),
            "scikit-learn's 8x8 handwritten digits (1,797 images), shipped with scikit-learn",
            "it ships with scikit-learn: reinstall it (pip install --force-reinstall "
            "scikit-learn); if your scikit-learn version ships a different file, see "
            "data/DATA.md for the recorded version",
        ),
        Dataset(
            "practice_problems",
            "practice_problems.csv",
            "59f60d75a16ddbabbfa79cb658a7f8918131774b28f3a17e0ba7a44838491374",
            (
                "number",
                "problem_set",
                "domain",
                "title",
                "users",
                "items",
                "items_kind",
                "latency_ms",
                "fps",
                "posts_per_hour",
                "goal",
                "challenge",
                "targets",
                "pattern",
            ),  # fmt: skip
            "WRITTEN for this workbook from the guide: its 11 practice problems (section 10)",
            "restore it from the repository (git checkout -- data/{file}); see data/DATA.md",
        ),
        Dataset(
            "resources",
            "resources.csv",
            "7ca708744c4f776802151fd351c6d390d2283a2f92a66532d4187f0b78443b5d",
            ("title", "by", "kind", "topics", "what_for"),
            "WRITTEN for this workbook from the guide: books, courses, write-ups, platforms",
            "restore it from the repository (git checkout -- data/{file}); see data/DATA.md",
        ),
    )
}


def names() -> list[str]:
    """Every data set ``load`` knows."""
    return sorted(DATASETS)


def data_dir() -> Path:
    """The repository's ``data/`` folder (or ``$MLSD_DATA_DIR`` when set).

    Found from this file's location first (an editable install sits in the checkout), so a
    notebook running in any folder, or a copy of ``course/`` graded elsewhere, finds it.
    """
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    here = Path(__file__).resolve().parents[2] / "data"
    if here.is_dir():
        return here
    from mlsd.course import repo_root

    return repo_root() / "data"


def path_of(name: str) -> Path:
    """Where the file of data set ``name`` lives."""
    spec = _spec(name)
    if spec.is_packaged():
        import sklearn.datasets

        return Path(sklearn.datasets.__file__).parent / "data" / spec.file.split(":", 1)[1]
    return data_dir() / spec.file


def _spec(name: str) -> Dataset:
    if name not in DATASETS:
        raise ValueError(f"name must be one of {', '.join(map(repr, names()))}; got {name!r}.")
    return DATASETS[name]


def sha256_of(path: Path) -> str:
    stat = path.stat()
    return _sha256_cached(str(path), stat.st_size, stat.st_mtime_ns)


@cache
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(name: str) -> Path:
    """Check that data set ``name`` is present and unchanged; return its path."""
    spec = _spec(name)
    path = path_of(name)
    restore = spec.restore.format(file=spec.file)
    if not path.is_file():
        raise DataError(
            f"data set {name!r} needs the file {path}, which is missing. To fix it, {restore}."
        )
    actual = sha256_of(path)
    if actual != spec.sha256:
        raise DataError(
            f"data set {name!r}: the file {path} was changed (sha256 {actual[:12]}…, but "
            f"data/DATA.md records {spec.sha256[:12]}…). Results would not match the "
            f"notebook's. To fix it, {restore}."
        )
    return path


def load(name: str) -> pd.DataFrame:
    """Data set ``name`` as a DataFrame, after checking its checksum and columns.

    Known names: see ``names()`` and data/DATA.md.
    """
    spec = _spec(name)
    path = verify(name)
    return _read(name, path, spec).copy()


@cache
def _read_cached(name: str, path: str, sha: str) -> pd.DataFrame:
    spec = DATASETS[name]
    if name == "digits":
        values = pd.read_csv(path, header=None, compression="gzip").to_numpy(float)
        table = pd.DataFrame(values[:, :-1], columns=list(spec.columns[:-1]))
        table["target"] = values[:, -1].astype(int)
    else:
        table = pd.read_csv(path)
    missing = [c for c in spec.columns if c not in table.columns]
    extra = [c for c in table.columns if c not in spec.columns]
    if missing or extra:
        raise DataError(
            f"data set {name!r}: the file {path} has unexpected columns (missing {missing}, "
            f"extra {extra}). To fix it, {spec.restore.format(file=spec.file)}."
        )
    return table[list(spec.columns)]


def _read(name: str, path: Path, spec: Dataset) -> pd.DataFrame:
    return _read_cached(name, str(path), spec.sha256)


def check_columns(name: str, table: pd.DataFrame) -> None:
    """Raise DataError unless ``table`` has exactly the columns recorded for ``name``."""
    spec = _spec(name)
    if tuple(table.columns) != spec.columns:
        raise DataError(
            f"data set {name!r} should have columns {list(spec.columns)}; "
            f"got {list(table.columns)}."
        )
