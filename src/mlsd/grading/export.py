"""Exporting grades: one CSV row per student and section, optionally one per question."""

from __future__ import annotations

import csv
from pathlib import Path

from mlsd.grading.gradebook import open_gradebook
from mlsd.grading.layout import Log, print_log


def export(root: Path, out: Path, per_question: Path | None = None, log: Log = print_log) -> int:
    """One row per student and section (grades.csv); optionally one per question."""
    from nbgrader.api import MissingEntry

    rows, questions = [], []
    with open_gradebook(root) as gb:
        for student in sorted(gb.students, key=lambda s: s.id):
            for assignment in sorted(gb.assignments, key=lambda a: a.name):
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    rows.append(
                        [
                            student.id,
                            student.first_name,
                            student.last_name,
                            student.email,
                            assignment.name,
                            0.0,
                            float(assignment.max_score),
                            "no submission",
                        ]
                    )
                    continue
                status = "needs manual grade" if sub.needs_manual_grade else "graded"
                rows.append(
                    [
                        student.id,
                        student.first_name,
                        student.last_name,
                        student.email,
                        assignment.name,
                        float(sub.score),
                        float(sub.max_score),
                        status,
                    ]
                )
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        questions.append(
                            [
                                student.id,
                                assignment.name,
                                nb.name,
                                grade.name,
                                float(grade.score),
                                float(grade.max_score),
                                grade.auto_score,
                                grade.manual_score,
                                bool(grade.needs_manual_grade),
                            ]
                        )
    out = Path(out)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "student",
                "first_name",
                "last_name",
                "email",
                "section",
                "score",
                "max_score",
                "status",
            ]
        )
        writer.writerows(rows)
    log(f"wrote {len(rows)} row(s) to {out}")
    if per_question is not None:
        with Path(per_question).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "student",
                    "section",
                    "notebook",
                    "question",
                    "score",
                    "max_score",
                    "auto_score",
                    "manual_score",
                    "needs_manual_grade",
                ]
            )
            writer.writerows(questions)
        log(f"wrote {len(questions)} row(s) to {per_question}")
    return len(rows)
