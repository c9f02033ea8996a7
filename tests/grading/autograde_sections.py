"""Every autograded exercise through the real ``nbgrader autograde`` (the tests of
``test_autograde_sections_odd.py`` and ``_even.py``, which share the sections between them so
that CI's two workers grade them at once: each file runs on one worker).

Per section one course copy is graded for: the reference solution (full marks), the
untouched release (zero, reported "not attempted") and students wrong-1..N, where student
wrong-k answers every exercise with that exercise's k-th wrong answer (others correct), so
one batch covers all wrong answers at once.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from mlsd import course
from mlsd.grading.notebooks import graded_cells, read, set_source, strip_markers

from .wrong_answers import WRONG_ANSWERS

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = course.sections(ROOT)


def _solution_sources(section: str) -> dict[str, tuple[str, str]]:
    """grade id of each solution cell -> (notebook name, reference answer)."""
    out = {}
    for path in (ROOT / "solutions" / section).glob("*.ipynb"):
        for cell in graded_cells(read(path)):
            if cell.kind == "solution":
                out[cell.grade_id] = (path.stem, strip_markers(cell.source))
    return out


def _submit(root: Path, section: str, student: str, answers: dict[str, str]) -> None:
    for path in (root / "course" / section).glob("*.ipynb"):
        nb = read(path)
        for grade_id, source in answers.items():
            try:
                set_source(nb, grade_id, source)
            except KeyError:
                continue  # that exercise lives in another notebook of the section
        target = root / "autograder" / "submitted" / student / section / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)


def graded_run(request, tmp_path_factory):
    """One section graded for the reference, the stub and wrong-1..N (a module fixture of
    test_autograde_sections_*.py, parametrized by section)."""
    section = request.param
    root = tmp_path_factory.mktemp(section)
    for folder in ("solutions", "course"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", root / "autograder")

    references = _solution_sources(section)
    missing = sorted(set(references) - set(WRONG_ANSWERS))
    assert not missing, f"no wrong answers written for {missing}"
    depth = max(len(WRONG_ANSWERS[g]) for g in references)
    students = {"reference": {g: src for g, (_nb, src) in references.items()}, "stub": {}}
    for k in range(depth):
        students[f"wrong-{k + 1}"] = {
            g: (WRONG_ANSWERS[g][k][1] if k < len(WRONG_ANSWERS[g]) else src)
            for g, (_nb, src) in references.items()
        }
    course.nbgrader(root, "generate_assignment", section, "--force")
    for student, answers in students.items():
        _submit(root, section, student, answers)
    course.nbgrader(root, "autograde", section)
    return section, root, references


def _scores(root: Path, section: str, student: str) -> dict[str, tuple[float, float]]:
    url = f"sqlite:///{root / 'autograder' / 'gradebook.db'}"
    with Gradebook(url) as gb:
        submission = gb.find_submission(section, student)
        return {
            grade.name: (grade.score, grade.max_score)
            for nb in submission.notebooks
            for grade in nb.grades
        }


def _test_cells(root: Path, section: str) -> dict[str, str]:
    """solution grade id -> the grade id of the test cell that follows it."""
    pairs = {}
    for path in (root / "solutions" / section).glob("*.ipynb"):
        last_solution = None
        for cell in graded_cells(read(path)):
            if cell.kind == "solution":
                last_solution = cell.grade_id
            elif cell.kind == "tests" and last_solution:
                pairs[last_solution] = cell.grade_id
    return pairs


def test_reference_solution_scores_full_marks(graded):
    section, root, _refs = graded
    scores = _scores(root, section, "reference")
    tests = set(_test_cells(root, section).values())
    short = {g: s for g, s in scores.items() if g in tests and s[0] != s[1]}
    assert short == {}, f"reference lost points: {short}"


def test_untouched_stub_scores_zero_and_says_not_attempted(graded):
    section, root, _refs = graded
    scores = _scores(root, section, "stub")
    for test_cell in _test_cells(root, section).values():
        assert scores[test_cell][0] == 0, test_cell
    for path in (root / "autograder" / "autograded" / "stub" / section).glob("*.ipynb"):
        errors = [
            out
            for cell in json.loads(path.read_text())["cells"]
            for out in cell.get("outputs", [])
            if out.get("output_type") == "error"
        ]
        assert errors and all(e["ename"] == "NotAttempted" for e in errors)


def test_every_wrong_answer_loses_points(graded):
    section, root, references = graded
    pairs = _test_cells(root, section)
    kept_full_marks = []
    for solution_id in references:
        for k, (label, _src) in enumerate(WRONG_ANSWERS[solution_id]):
            score, max_score = _scores(root, section, f"wrong-{k + 1}")[pairs[solution_id]]
            if score >= max_score:
                kept_full_marks.append(f"{solution_id}: {label}")
    assert kept_full_marks == [], "these wrong answers still get full marks"


def test_each_exercise_has_enough_wrong_answers():
    for solution_id, answers in WRONG_ANSWERS.items():
        labels = " ".join(label for label, _ in answers).lower()
        assert len(answers) >= 3, solution_id
        assert "none" in labels, f"{solution_id} needs a wrong answer returning None"
