"""Written answers graded from the command line (:mod:`mlsd.grading.manual`)."""

from __future__ import annotations

import pytest

from mlsd.grading.feedback import pending_manual_grades
from mlsd.grading.manual import record

from .pipeline_course import SECTION

pytestmark = pytest.mark.slow


def test_a_recorded_grade_is_no_longer_pending(hostile_class):
    root = hostile_class["root"]
    pending = pending_manual_grades(root, SECTION)
    # good-a stays pending for test_feedback's refusal
    student = sorted(s for s, q in pending.items() if "rubric-justify" in q and s != "good-a")[0]
    lines = []
    record(root, SECTION, student, "rubric-justify", 1.5, "clear, one gap", log=lines.append)
    assert lines == [f"{student}: rubric-justify = 1.5/2 (manual)"]
    assert "rubric-justify" not in pending_manual_grades(root, SECTION).get(student, [])


@pytest.mark.parametrize(
    ("student", "question", "points", "message"),
    [
        ("nobody", "rubric-justify", 1, r"student='nobody' has no graded submission"),
        ("good-b", "no-such-cell", 1, r"question='no-such-cell' is not a graded cell .*rubric"),
        ("good-b", "rubric-justify", 2.5, r"points must be in \[0, 2\]; got 2\.5"),
        ("good-b", "rubric-justify", -1, r"points must be in \[0, 2\]"),
    ],
)
def test_bad_grades_are_refused_with_the_reason(hostile_class, student, question, points, message):
    with pytest.raises(ValueError, match=message):
        record(hostile_class["root"], SECTION, student, question, points, log=lambda m: None)
