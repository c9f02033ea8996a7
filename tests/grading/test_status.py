"""Submission statuses (:mod:`mlsd.grading.status`): the report's texts never change."""

from __future__ import annotations

import json

from mlsd.grading.status import SCREENED_OUT, Status


def test_status_texts_are_those_of_the_report_and_readme():
    assert {s.name: str(s) for s in Status} == {
        "GRADED": "graded",
        "TIMED_OUT": "timed out",
        "ERRORED_CELL": "errored cell",
        "TAMPERED": "tampered cell restored",
        "MALFORMED": "malformed notebook",
        "MISSING": "missing notebook",
        "GRADER_ERROR": "grader error",
        "TOO_LARGE": "too large",
    }


def test_a_status_reads_and_writes_as_its_text():
    assert json.dumps({"status": Status.TIMED_OUT}) == '{"status": "timed out"}'
    assert Status("errored cell") is Status.ERRORED_CELL
    assert f"{Status.GRADED:8}|" == "graded  |"
    assert Status.MALFORMED in SCREENED_OUT and Status.GRADED not in SCREENED_OUT
    assert Status.TOO_LARGE in SCREENED_OUT
