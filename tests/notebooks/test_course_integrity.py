"""The course stays honest: clean notebooks, unique ids, nothing hidden leaks into course/."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from mlsd import answers, cell_contract, course
from mlsd.checks import manifest
from mlsd.grading.notebooks import (
    BEGIN_HIDDEN,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_SOLUTION,
    graded_cells,
    read,
    regions,
)

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = course.sections(ROOT)
SOLUTION_NBS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
COURSE_NBS = sorted((ROOT / "course").glob("*/*.ipynb"))
ALL_NBS = SOLUTION_NBS + COURSE_NBS


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def released(solution_nb: Path) -> Path:
    return ROOT / "course" / solution_nb.parent.name / solution_nb.name


def test_every_section_is_released():
    assert SECTIONS, "no section notebooks under solutions/"
    assert [rel(released(p)) for p in SOLUTION_NBS] == [rel(p) for p in COURSE_NBS]


@pytest.mark.parametrize("path", ALL_NBS, ids=rel)
def test_notebook_is_committed_clean(path):
    assert course.dirty_cells(path) == [], f"run `mlsd clean {rel(path)}`"


@pytest.mark.parametrize("path", ALL_NBS, ids=rel)
def test_kernel_is_python3(path):
    # An uninstalled kernel name opens a blocking dialog in JupyterLab.
    assert read(path).metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", SOLUTION_NBS, ids=rel)
def test_cell_and_grade_ids_are_unique(path):
    nb = read(path)
    cell_ids = Counter(c.get("id") for c in nb.cells)
    assert all(cell_ids.values()) and max(cell_ids.values()) == 1, cell_ids.most_common(3)
    grade_ids = Counter(c.grade_id for c in graded_cells(nb))
    duplicates = [g for g, n in grade_ids.items() if n > 1]
    assert not duplicates, f"copied cells share grade ids {duplicates}: give each its own"


def test_grade_ids_are_unique_across_the_workbook():
    seen = Counter(c.grade_id for p in SOLUTION_NBS for c in graded_cells(read(p)))
    assert [g for g, n in seen.items() if n > 1] == []


def test_manifest_and_notebooks_are_one_to_one():
    in_notebooks = set()
    for path in SOLUTION_NBS:
        cells = {c.grade_id: c for c in graded_cells(read(path))}
        for cell in cells.values():
            if cell.kind == "tests":
                in_notebooks.add((path.parent.name, cell.grade_id, cell.points))
    in_manifest = {(e.section, e.test_cell, float(e.points)) for e in manifest().values()}
    assert in_notebooks == in_manifest
    for exercise in manifest().values():
        path = ROOT / "solutions" / exercise.section
        cells = {c.grade_id: c for nb in path.glob("*.ipynb") for c in graded_cells(read(nb))}
        assert cells[exercise.solution_cell].kind == "solution", exercise.id
        assert len(exercise.hints) >= 2, f"{exercise.id} needs stepped hints"


def test_every_test_cell_calls_a_check_and_has_hidden_tests():
    for path in SOLUTION_NBS:
        for cell in graded_cells(read(path)):
            if cell.kind == "tests":
                assert "mlsd.checks" in cell.source, f"{cell.grade_id} must use mlsd.checks"
                assert regions(cell.source, BEGIN_HIDDEN, END_HIDDEN), (
                    f"{cell.grade_id} has no hidden tests"
                )


def _meaningful_lines(text: str) -> set[str]:
    """Lines long and specific enough that finding one in course/ means a leak."""
    lines = {line.strip() for line in text.splitlines()}
    return {line for line in lines if len(line) >= 12 and not line.startswith(("#", '"""'))}


def _secrets(source: str) -> str:
    return "\n".join(
        regions(source, BEGIN_SOLUTION, END_SOLUTION) + regions(source, BEGIN_HIDDEN, END_HIDDEN)
    )


def _public(source: str) -> str:
    for secret in regions(source, BEGIN_SOLUTION, END_SOLUTION) + regions(
        source, BEGIN_HIDDEN, END_HIDDEN
    ):
        source = source.replace(secret, "")
    return source


def leaks(source_nb, student_nb) -> dict[str, list[str]]:
    """Secret lines (solutions, hidden tests) of each graded cell found in the student copy.

    A line that also appears outside every secret region (an import, a shared constant) is
    public anyway and does not count.
    """
    student_lines = {line.strip() for c in student_nb.cells for line in c.source.splitlines()}
    public_lines = {
        line.strip() for c in source_nb.cells for line in _public(c.source).splitlines()
    }
    found = {}
    for cell in graded_cells(source_nb):
        secret = _meaningful_lines(_secrets(cell.source)) - public_lines
        if secret & student_lines:
            found[cell.grade_id] = sorted(secret & student_lines)
    return found


@pytest.mark.parametrize("path", SOLUTION_NBS, ids=rel)
def test_course_contains_no_solution_or_hidden_test(path):
    student_text = released(path).read_text("utf-8")
    for marker in (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN):
        assert marker not in student_text
    assert leaks(read(path), read(released(path))) == {}


@pytest.mark.parametrize("kind", ["solution", "tests"])
def test_leak_detector_catches_a_pasted_secret_line(kind):
    path = SOLUTION_NBS[0]
    source_nb, student_nb = read(path), read(released(path))
    cell = next(c for c in graded_cells(source_nb) if c.kind == kind)
    markers = (BEGIN_SOLUTION, END_SOLUTION) if kind == "solution" else (BEGIN_HIDDEN, END_HIDDEN)
    secret_line = next(
        line for line in regions(cell.source, *markers)[0].splitlines() if len(line.strip()) >= 12
    )
    student_nb.cells[-1].source += "\n" + secret_line
    assert cell.grade_id in leaks(source_nb, student_nb)


@pytest.mark.parametrize("path", COURSE_NBS, ids=rel)
def test_learner_stubs_are_friendly_and_tests_locked(path):
    for cell in graded_cells(read(path)):
        if cell.kind == "solution":
            assert "YOUR CODE HERE" in cell.source and "not attempted yet" in cell.source
        if cell.kind == "manual":
            assert "YOUR ANSWER HERE" in cell.source
    nb = read(path)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            assert meta.get("locked"), "test cells must be read-only for learners"


@pytest.mark.parametrize("path", COURSE_NBS, ids=rel)
def test_every_check_cell_lets_run_all_continue_and_no_other_cell_does(path):
    nb = read(path)
    tagged = [c for c in nb.cells if course.RUN_ALL_TAG in c.metadata.get("tags", [])]
    checks = [c for c in nb.cells if course.is_autograded_test(c)]
    assert checks, "a released section without a check cell"
    # A failing setup or widget cell must still stop Run All: only the checks carry the tag.
    assert [c.get("id") for c in tagged] == [c.get("id") for c in checks]


def test_tagging_adds_the_tag_to_test_cells_only_and_once():
    import nbformat

    nb = nbformat.v4.new_notebook()
    test = nbformat.v4.new_code_cell("check(f)")
    test.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    answer = nbformat.v4.new_code_cell("def f(): ...")
    answer.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "a"}
    written = nbformat.v4.new_markdown_cell("answer")
    written.metadata["nbgrader"] = {"grade": True, "solution": True, "grade_id": "w", "points": 1}
    plain = nbformat.v4.new_code_cell("x = 1")
    plain.metadata["tags"] = ["keep-me"]
    nb.cells = [test, answer, written, plain]
    assert course.tag_test_cells(nb) == 1
    assert course.tag_test_cells(nb) == 0  # idempotent
    assert [c.metadata.get("tags") for c in nb.cells] == [
        [course.RUN_ALL_TAG],
        None,
        None,
        ["keep-me"],
    ]


# --- model answers: notebooks and answer files one-to-one --------------------------------

ANSWER_CALL = re.compile(r"""\banswer\(\s*["']([^"']+)["']\s*\)""")


def answer_calls(path: Path) -> dict[str, list[str]]:
    """id -> cell ids of every ``answer("id")`` written in a notebook (prose or code)."""
    found: dict[str, list[str]] = {}
    for cell in read(path).cells:
        for key in ANSWER_CALL.findall(cell.source):
            found.setdefault(key, []).append(cell.get("id", "?"))
    return found


def _graded_written_ids() -> set[str]:
    return set(answers.graded_answers(ROOT / "solutions"))


def test_every_answer_call_names_an_existing_answer():
    known = set(answers.bank()) | _graded_written_ids()
    missing = [
        f"{rel(path)} cell {cells[0]}: answer({key!r})"
        for path in SOLUTION_NBS
        for key, cells in answer_calls(path).items()
        if key not in known
    ]
    assert missing == [], "no model answer for:\n" + "\n".join(missing)


def test_every_written_answer_is_referenced_by_its_own_sections_notebook():
    referenced = {
        (path.parent.name[:2], key) for path in SOLUTION_NBS for key in answer_calls(path)
    }
    orphans = [
        f"{found.source}: {key}"
        for key, found in answers.bank().items()
        if (key[:2], key) not in referenced
    ]
    assert orphans == [], "answers no notebook asks for (add answer(id) to the prompt):\n" + (
        "\n".join(orphans)
    )


def test_graded_model_answers_are_not_in_the_installed_package():
    # Graded written answers are read from solutions/ only; the package holds ungraded ones.
    assert set(answers.bank()) & _graded_written_ids() == set()
    for key, found in answers.bank().items():
        for graded in answers.graded_answers(ROOT / "solutions").values():
            assert graded.answer.strip()[:80] not in found.answer, (key, graded.id)


def test_every_notebook_that_calls_answer_imports_it():
    for path in SOLUTION_NBS:
        if answer_calls(path):
            setup = "\n".join(c.source for c in read(path).cells if c.cell_type == "code")
            assert re.search(r"from mlsd\.checks import [^\n]*\banswer\b", setup), rel(path)


def test_the_answer_call_finder_sees_prose_and_code():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell('When you have written yours, run `answer("08-a-b")`.'),
        nbformat.v4.new_code_cell("answer('08-c')\nanswers('08-not-a-call')"),
    ]
    path = Path(__file__).parent / "_probe_answers.ipynb"
    try:
        nbformat.write(nb, path)
        assert set(answer_calls(path)) == {"08-a-b", "08-c"}
    finally:
        path.unlink(missing_ok=True)


# --- the test-cell contract (points 1 and 5 of the brief for autograded test cells) ------


def learner_names(nb) -> set[str]:
    """Names the solution cells of a notebook bind at top level."""
    names: set[str] = set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            names |= cell_contract.top_level_names(cell.source)
    return names


def contract_violations(path: Path) -> list[str]:
    nb = read(path)
    names = learner_names(nb)
    return [
        f"{rel(path)} {cell.grade_id}: {problem}"
        for cell in graded_cells(nb)
        if cell.kind == "tests"
        for problem in cell_contract.violations(cell.source, names)
    ]


@pytest.mark.parametrize("path", SOLUTION_NBS, ids=rel)
def test_test_cells_are_self_contained_and_display_nothing(path):
    problems = contract_violations(path)
    assert problems == [], "test cells break the contract:\n" + "\n".join(problems)


@pytest.mark.slow
def test_course_is_exactly_what_solutions_generate():
    assert course.diff_release(ROOT) == [], "run `make course` and commit course/"
