"""Section 11: the guide's books, online resources, system write-ups and practice platforms.

``data/resources.csv`` lists them with a kind (book, online, write-up, practice) and topics
joined by ``;``. ``filter_resources`` keeps the rows of one kind and/or one topic; a topic
matches a whole entry of the list, never a substring ("search" is not "research").
"""

from __future__ import annotations

import pandas as pd

from mlsd import data
from mlsd.validation import require_choice

KINDS = ("book", "online", "write-up", "practice")
KIND_LABELS = {
    "book": "Books",
    "online": "Online courses and channels",
    "write-up": "Real-world system write-ups",
    "practice": "Practice platforms",
}


def load() -> pd.DataFrame:
    """The resources table (checksum and columns checked)."""
    return data.load("resources")


def topic_lists(table: pd.DataFrame) -> pd.Series:
    """Each row's topics as a list of stripped strings."""
    return table["topics"].fillna("").map(lambda s: [t.strip() for t in s.split(";") if t.strip()])


def topics(table: pd.DataFrame | None = None) -> list[str]:
    """Every topic used in ``table`` (default: the shipped table), sorted."""
    table = load() if table is None else table
    return sorted({t for row in topic_lists(table) for t in row})


def filter_resources(table: pd.DataFrame | None = None, topic=None, kind=None) -> pd.DataFrame:
    """Rows of ``table`` of this ``kind`` (None: any) listing ``topic`` (None: any)."""
    table = load() if table is None else table
    mask = pd.Series(True, index=table.index)
    if kind is not None:
        require_choice("kind", kind, KINDS)
        mask &= table["kind"] == kind
    if topic is not None:
        require_choice("topic", topic, topics(table))
        mask &= topic_lists(table).map(lambda row: topic in row)
    return table[mask].reset_index(drop=True)
