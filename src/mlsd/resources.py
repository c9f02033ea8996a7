"""Section 11: the guide's books, online resources, system write-ups and practice platforms.

``data/resources.csv`` lists them with a kind (book, online, write-up, practice), topics
joined by ``;``, where and when each appeared, and a link where one was checked. The guide
names its real-world write-ups only by company ("YouTube Recommendations (Google AI Blog)");
the table gives the primary sources (Covington et al., RecSys 2016; Linden et al., IEEE
Internet Computing 2003; Uber's Michelangelo post, 2017; Netflix's ACM TMIS paper, 2015).
``filter_resources`` keeps the rows of one kind and/or one topic; a topic matches a whole
entry of the list, never a substring ("search" is not "research").
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
    """The resources table (checksum and columns checked); ``year`` as a whole number."""
    table = data.load("resources")
    table["year"] = table["year"].astype("Int64")
    for column in ("venue", "url"):
        table[column] = table[column].fillna("")
    return table


def citation(row) -> str:
    """'Authors, "Title", Venue Year' for one row (a mapping or a namedtuple)."""
    get = row.get if hasattr(row, "get") else lambda k: getattr(row, k)
    where = ", ".join(
        str(x) for x in (get("venue"), get("year")) if x is not None and not pd.isna(x) and x != ""
    )
    return f'{get("by")}, "{get("title")}"' + (f", {where}" if where else "")


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
