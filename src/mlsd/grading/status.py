"""The status of a submission after ``mlsd grade autograde``: one value per row of the
report (``reports/<section>-autograde.csv``). The values are the texts the report, the
printed table and autograder/README.md show; they never change meaning."""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    GRADED = "graded"  # ran clean; the score is nbgrader's
    TIMED_OUT = "timed out"  # a cell hit the per-cell limit, or the submission the wall clock
    ERRORED_CELL = "errored cell"  # a non-test cell raised; only what depends on it lost points
    TAMPERED = "tampered cell restored"  # a test or locked cell was edited or deleted
    MALFORMED = "malformed notebook"  # not a valid notebook file: not graded
    MISSING = "missing notebook"  # no notebook of the section in the submission
    TOO_LARGE = "too large"  # a notebook over the size or cell-count limit: not graded
    GRADER_ERROR = "grader error"  # nbgrader itself failed: see the student's log


# Statuses decided before nbgrader runs: such a submission is never sent to a worker.
SCREENED_OUT = frozenset({Status.MALFORMED, Status.MISSING, Status.TOO_LARGE})
