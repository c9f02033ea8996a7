"""The export stage (:mod:`mlsd.grading.export`): grades per student and per question, through
the CLI, on the hostile class."""

from __future__ import annotations

import csv

import pytest

from mlsd.grading import cli

from .pipeline_course import grade_test_ids

pytestmark = pytest.mark.slow


def test_export_through_the_cli(hostile_class, tmp_path):
    root = hostile_class["root"]
    out, per_q = tmp_path / "grades.csv", tmp_path / "q.csv"
    assert (
        cli.main(
            [
                "grade",
                "--root",
                str(root),
                "export",
                "--out",
                str(out),
                "--per-question",
                str(per_q),
            ]
        )
        == 0
    )
    with out.open() as f:
        grades = {r["student"]: r for r in csv.DictReader(f)}
    assert float(grades["good-a"]["score"]) == 7.0 and grades["good-a"]["email"]
    assert grades["malformed"]["status"] == "no submission"
    with per_q.open() as f:
        questions = [r for r in csv.DictReader(f) if r["student"] == "good-b"]
    by_id = {r["question"]: float(r["score"]) for r in questions}
    assert set(grade_test_ids(root)) <= set(by_id) and by_id["rubric-total-tests"] == 0
