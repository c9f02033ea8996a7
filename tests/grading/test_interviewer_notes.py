"""The interviewer's notes reach a graded mock's feedback (real nbgrader, section 12).

A learner pastes ``mock.for_grading()`` into the manually graded cell; after autograde,
``write_notes`` reads the pasted block as data and stores the checker's notes as the cell's
automatic comment; ``generate_feedback`` shows them, with hostile learner text inert.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from mlsd import course, designs, interview
from mlsd.grading import interviewer_notes
from mlsd.grading.notebooks import read, set_source
from mlsd.interview import ManualClock, MockSession

ROOT = Path(__file__).resolve().parents[2]
SECTION = "12-mock-interview"
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>[x](javascript:alert(3))"
pytestmark = pytest.mark.slow


def _graded_text() -> str:
    s = MockSession.new(1, 45, ManualClock())
    answers = interview.answers_from_design(designs.reference(1))
    answers["stages"] = answers["stages"].replace("Ranking | 60", "Ranking | 260")  # past the SLO
    answers["stages"] += f"\n{HOSTILE} | 1 | {HOSTILE}"
    for key, value in answers.items():
        s.set_answer(key, value)
    return interview.grading_text(s)


def test_notes_are_the_graded_cells_comment_and_render_inert_in_feedback(tmp_path):
    root = tmp_path
    for folder in ("solutions", "course"):
        shutil.copytree(ROOT / folder / SECTION, root / folder / SECTION)
    (root / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", root / "autograder")
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    for student, text in (("amy", _graded_text()), ("bob", "I ran out of time.")):
        nb = read(next((root / "course" / SECTION).glob("*.ipynb")))
        set_source(nb, interviewer_notes.GRADE_ID, text)
        target = root / "autograder" / "submitted" / student / SECTION / "mock-interview.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    course.nbgrader(root, "autograde", SECTION)

    assert interviewer_notes.write_notes(root / "autograder", SECTION) == 2
    url = f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    with Gradebook(url) as gb:
        amy = gb.find_comment(interviewer_notes.GRADE_ID, "mock-interview", SECTION, "amy")
        bob = gb.find_comment(interviewer_notes.GRADE_ID, "mock-interview", SECTION, "bob")
        assert "past the 200 ms SLO" in amy.comment
        assert bob.comment == interviewer_notes.NO_BLOCK

    course.nbgrader(root, "generate_feedback", SECTION, "--force")
    page = (root / "autograder" / "feedback" / "amy" / SECTION / "mock-interview.html").read_text()
    assert "Interviewer" in page and "past the 200 ms SLO" in page
    notes = page[page.index("Interviewer") :]
    assert "<img src=x" not in notes and "<script>alert(2)" not in notes
    assert 'href="javascript' not in notes
