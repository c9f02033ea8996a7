"""Section 11: the end-of-course self-check and the learner's progress, read from notebooks.

``CHECKLIST`` restates the guide's before/during/after-the-interview lists and its summary
("the success formula") as items, each pointing at the workbook sections that practise it.
``progress(course_dir)`` reads the learner's saved notebooks with nbformat (no server, no
kernel) and reports, for every autograded exercise in ``mlsd.manifest.manifest()``, whether
its check cell's saved output says the visible checks passed, the exercise is not attempted,
it is incorrect, or the cell was never run. Checks leave a machine-readable record of their
outcome (``CHECK_OUTCOME_MIME``) that is read first; notebooks saved before checks did so are
read by their printed wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import nbformat
import pandas as pd

from mlsd.manifest import CHECK_OUTCOME_MIME, manifest
from mlsd.validation import require_choice

STATUSES = ("passed", "incorrect", "not attempted", "not run")
PASS_TEXT = "visible checks passed"  # how checks said it before they left a record
PHASES = ("before", "during", "after", "summary")

# (phase, item, sections that practise it)
CHECKLIST: tuple[tuple[str, str, str], ...] = (
    ("before", "I can sketch how YouTube, Netflix and Amazon recommend, how search ranks and how "
     "fraud is caught, with their components and trade-offs", "5"),
    ("before", "I have drawn at least three architectures while explaining them out loud, and "
     "had someone comment on them", "5, 10"),
    ("before", "I can say when to use which algorithm, which evaluation metric fits, and what "
     "changes between training and serving", "5, 6"),
    ("before", "I have done timed mock interviews of 45-60 minutes, some recorded", "10, 11"),
    ("during", "I listen to the whole problem, take notes and do not interrupt", "8, 9"),
    ("during", "I think out loud: reasons, not silence, and I keep the interviewer engaged",
     "8"),
    ("during", "I follow a framework, check the clock and spend time on what matters most",
     "8, 9"),
    ("during", "I adapt when the interviewer pushes back and explore alternatives without "
     "getting defensive", "6, 8"),
    ("during", "I bring up monitoring, testing, deployment, reliability, scale and cost "
     "without being asked", "7, 9"),
    ("after", "I write down what went well, what could be better and what surprised me",
     "11"),
    ("after", "I send a short thank-you note that mentions a point we discussed", "11"),
    ("after", "I turn each interview's weak spots into study items and keep building things",
     "11"),
    ("summary", "Strong ML fundamentals", "5, 6"),
    ("summary", "System design thinking", "5, 7"),
    ("summary", "Production awareness", "7, 9"),
    ("summary", "Clear communication", "8"),
    ("summary", "A structured approach (clarify, estimate, design, trade-offs, production)",
     "7, 8, 10"),
    ("summary", "Practice, practice, practice: all 11 problems worked at least once", "10"),
)  # fmt: skip


def checklist(phase=None) -> pd.DataFrame:
    """The self-check items, optionally of one ``phase`` (before/during/after/summary)."""
    table = pd.DataFrame(CHECKLIST, columns=["phase", "item", "sections"])
    if phase is not None:
        require_choice("phase", phase, PHASES)
        table = table[table["phase"] == phase].reset_index(drop=True)
    return table


def _text(output) -> str:
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _recorded_outcomes(outputs: list[dict]) -> list[str]:
    """The outcomes the checks recorded in these outputs (their mime bundle), in order."""
    found = []
    for output in outputs:
        record = (
            output.get("data", {}).get(CHECK_OUTCOME_MIME) if isinstance(output, dict) else None
        )
        if isinstance(record, dict) and record.get("outcome") in STATUSES[:3]:
            found.append(record["outcome"])
    return found


def status_of_outputs(outputs: Iterable[dict]) -> str:
    """'passed', 'incorrect', 'not attempted' or 'not run' from one test cell's saved outputs.

    An error wins over a pass (a later check failed); NotAttempted means the stub is
    untouched; any other error counts as incorrect. Otherwise a check's recorded pass (or,
    in a notebook saved by an older workbook, its printed pass) means passed; nothing at
    all means never run.
    """
    outputs = list(outputs)
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        return "not attempted" if errors[0].get("ename") == "NotAttempted" else "incorrect"
    recorded = _recorded_outcomes(outputs)
    if recorded:
        failed = [r for r in recorded if r != "passed"]
        return failed[0] if failed else "passed"
    if any(o.get("output_type") == "stream" and PASS_TEXT in _text(o) for o in outputs):
        return "passed"
    return "not run"


def _test_cells(folder: Path) -> dict[str, tuple[str, list]]:
    """grade id -> (notebook name, outputs) for every code cell in the folder's notebooks."""
    found: dict[str, tuple[str, list]] = {}
    for path in sorted(folder.glob("*.ipynb")):
        stat = path.stat()
        found.update(_cells_of(str(path), stat.st_mtime_ns, stat.st_size))
    return found


@lru_cache(maxsize=256)
def _cells_of(path: str, _mtime_ns: int, _size: int) -> dict[str, tuple[str, list]]:
    # Cached by modification time and size: a refresh re-reads only the notebooks saved since.
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # a damaged file is reported by name, not as a traceback
        raise ValueError(f"could not read notebook {path}: {exc}") from exc
    name = Path(path).name
    return {
        grade_id: (name, list(cell.get("outputs", [])))
        for cell in nb.cells
        if cell.cell_type == "code"
        and (grade_id := cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
    }


def progress(course_dir) -> pd.DataFrame:
    """One row per autograded exercise: section, exercise, title, points, notebook, status."""
    if not isinstance(course_dir, str | Path):
        raise ValueError(f"course_dir must be a folder path; got {course_dir!r}.")
    root = Path(course_dir).expanduser()
    if not root.is_dir():
        raise ValueError(
            f"course_dir must be an existing folder (your course/ folder); {root} is not one."
        )
    cells: dict[str, dict] = {}
    rows = []
    for ex in sorted(manifest().values(), key=lambda e: (e.section, e.test_cell)):
        if ex.section not in cells:
            cells[ex.section] = _test_cells(root / ex.section)
        notebook, outputs = cells[ex.section].get(ex.test_cell, ("", []))
        rows.append((ex.section, ex.id, ex.title, ex.points, notebook, status_of_outputs(outputs)))
    return pd.DataFrame(
        rows, columns=["section", "exercise", "title", "points", "notebook", "status"]
    )


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per section: exercises in each status and the points whose visible checks pass."""
    # Plain counting: a few dozen rows, where pandas' crosstab would cost milliseconds.
    out: dict[str, dict] = {}
    for section, status, points in zip(
        table["section"], table["status"], table["points"], strict=True
    ):
        row = out.setdefault(
            section, {**dict.fromkeys(STATUSES, 0), "points passed": 0, "points": 0}
        )
        row[status] += 1
        row["points"] += int(points)
        row["points passed"] += int(points) if status == "passed" else 0
    return pd.DataFrame(
        [{"section": s, **row} for s, row in out.items()],
        columns=["section", *STATUSES, "points passed", "points"],
    )


def readiness(table: pd.DataFrame, ticked: int, items: int | None = None) -> float:
    """Share (0-1) of the self-check done: half exercises passed, half checklist ticked."""
    items = len(CHECKLIST) if items is None else items
    if not 0 <= ticked <= items:
        raise ValueError(f"ticked must be in [0, {items}]; got {ticked!r}.")
    exercises = (table["status"] == "passed").mean() if len(table) else 0.0
    return 0.5 * float(exercises) + 0.5 * ticked / items
