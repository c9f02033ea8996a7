"""Reading nbgrader source/release notebooks: graded cells, solution and hidden regions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True)
class GradedCell:
    grade_id: str
    kind: str  # "solution", "tests", "manual" (graded markdown answer) or "locked"
    points: float
    source: str
    cell_id: str


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _kind(meta: dict, cell_type: str) -> str:
    if meta.get("grade") and meta.get("solution"):
        return "manual"
    if meta.get("grade"):
        return "tests"
    if meta.get("solution"):
        return "solution"
    return "locked"


def graded_cells(nb) -> Iterator[GradedCell]:
    """Every cell carrying nbgrader metadata, in notebook order."""
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader")
        if not meta or not meta.get("grade_id"):
            continue
        yield GradedCell(
            grade_id=meta["grade_id"],
            kind=_kind(meta, cell.cell_type),
            points=float(meta.get("points", 0) or 0),
            source=cell.source,
            cell_id=cell.get("id", ""),
        )


def regions(source: str, begin: str, end: str) -> list[str]:
    """The texts between every ``begin`` and ``end`` marker line of a cell."""
    pattern = re.compile(
        rf"^[ \t]*{re.escape(begin)}[^\n]*\n(.*?)^[ \t]*{re.escape(end)}", re.S | re.M
    )
    return pattern.findall(source)


def strip_markers(source: str) -> str:
    """A solution cell as a learner who got it right would have written it."""
    markers = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN)
    return "\n".join(line for line in source.splitlines() if line.strip() not in markers)


def set_source(nb, grade_id: str, source: str) -> None:
    """Replace the source of the cell with ``grade_id`` (a learner's answer, say)."""
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source
            return
    raise KeyError(f"no cell with grade_id {grade_id!r}")
