"""Grades of written answers from the command line (``mlsd grade score``).

Formgrader (``mlsd grade ui``) is where an instructor reads and grades written answers; this
records the same manual score (and an optional comment) in the gradebook without a browser:
for a TA's spreadsheet, a script, or the walkthrough's sample class."""

from __future__ import annotations

from pathlib import Path

from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, check_section, print_log
from mlsd.validation import require_number


def record(
    root: Path,
    section: str,
    student: str,
    question: str,
    points: float,
    comment: str | None = None,
    log: Log = print_log,
) -> None:
    """Set the manual score of ``question`` (a graded cell's grade id) in ``student``'s
    submission of ``section``; ``points`` must be within the question's points."""
    from nbgrader.api import MissingEntry

    check_section(root, section)
    with open_gradebook(root) as gb:
        try:
            submission = gb.find_submission(section, student)
        except MissingEntry:
            raise ValueError(f"student={student!r} has no graded submission of {section}") from None
        grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
        if question not in grades:
            raise ValueError(
                f"question={question!r} is not a graded cell of {section}; one of {sorted(grades)}"
            )
        grade = grades[question]
        most = float(grade.max_score)
        points = require_number("points", points, 0, most)
        grade.manual_score = points
        grade.needs_manual_grade = False  # as formgrader does when a score is saved
        if comment is not None:
            for nb in submission.notebooks:
                for entry in nb.comments:
                    if entry.name == question:
                        entry.manual_comment = comment
        gb.db.commit()
    log(f"{student}: {question} = {points:g}/{most:g} (manual)")
