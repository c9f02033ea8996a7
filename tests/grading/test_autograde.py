"""The autograde stage of the pipeline (:mod:`mlsd.grading.autograde`) on the hostile class
of hostile_class.py. Every exercise through real nbgrader: test_autograde_sections_*.py."""

from __future__ import annotations

import csv

import pytest
from nbgrader.api import Gradebook

from mlsd import course
from mlsd.grading.autograde import autograde
from mlsd.grading.feedback import feedback
from mlsd.grading.gradebook import db_url
from mlsd.grading.notebooks import read
from mlsd.grading.status import Status

from .hostile_class import CELL_TIMEOUT, GOOD, STUDENT_LIMIT, sha
from .pipeline_course import SECTION, make_root, malformed_bytes, notebook_name, question_scores

pytestmark = pytest.mark.slow


# ----------------------------------------------------------------------------- the stage


@pytest.fixture(scope="module")
def alone(tmp_path_factory, hostile_class):
    """The good students graded one by one by plain ``nbgrader autograde --student``."""
    root = make_root(tmp_path_factory.mktemp("alone"))
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    name = notebook_name(root)
    for student in GOOD:
        src = hostile_class["root"] / "autograder" / "submitted" / student / SECTION
        dest = root / "autograder" / "submitted" / student / SECTION
        dest.mkdir(parents=True)
        for path in src.iterdir():
            (dest / path.name).write_bytes(path.read_bytes())
        assert (dest / name).is_file()
        course.nbgrader(
            root, "autograde", SECTION, "--student", student, f"--Execute.timeout={CELL_TIMEOUT}"
        )
    return {s: question_scores(root, SECTION, s) for s in GOOD}


def test_good_students_grade_as_when_graded_alone(hostile_class, alone):
    for student in GOOD:
        assert question_scores(hostile_class["root"], SECTION, student) == alone[student], student
    results = hostile_class["results"]
    assert results["good-a"].status == Status.GRADED
    assert results["good-a"].score == 7.0  # all autograded points; the written answer waits
    assert results["good-b"].score < results["good-a"].score
    assert results["extra"].status == Status.GRADED
    assert results["extra"].score == results["good-a"].score


def test_huge_output_is_cut_and_the_rest_graded(hostile_class):
    root, result = hostile_class["root"], hostile_class["results"]["huge"]
    assert result.status == Status.GRADED and result.score == 7.0
    assert "output over the limit cut in rubric-transcript" in result.detail
    autograded = root / "autograder" / "autograded" / "huge" / SECTION / notebook_name(root)
    assert autograded.stat().st_size < 3_000_000  # the 20 MB line is not in the notebook
    page = feedback(root, SECTION, log=lambda m: None, force=True)
    huge_page = [p for p in page if "/huge/" in str(p)]
    assert huge_page and huge_page[0].stat().st_size < 4_000_000


def test_wrong_kernel_name_is_graded_with_the_course_kernel(hostile_class):
    root, result = hostile_class["root"], hostile_class["results"]["wrongkernel"]
    assert (result.status, result.score) == (Status.GRADED, 7.0)
    autograded = root / "autograder" / "autograded" / "wrongkernel" / SECTION
    assert read(autograded / notebook_name(root)).metadata.kernelspec.name == "python3"


def test_original_submissions_are_kept_byte_for_byte(hostile_class):
    root, name = hostile_class["root"], notebook_name(hostile_class["root"])
    submitted = root / "autograder" / "submitted"
    after = {p: sha(p) for p in submitted.rglob("*") if p.is_file()}
    assert after == hostile_class["before"]
    assert (submitted / "good-b" / SECTION / name).read_bytes() == hostile_class["files"][
        "good-b_attempt_2.ipynb"
    ]
    assert (submitted / "malformed" / SECTION / name).read_bytes() == malformed_bytes()
    assert (submitted / "extra" / SECTION / "scratch-data.csv").read_bytes() == b"a,b\n1,2\n"
    assert (submitted / "missing" / SECTION / "notes.txt").is_file()


def test_progress_lines_and_report(hostile_class):
    lines = hostile_class["lines"]
    progress = [x for x in lines if x.startswith("[")]
    graded_count = len(hostile_class["students"]) - 2  # malformed and missing: screened out first
    assert len(progress) == graded_count
    assert (
        progress[-1].startswith(f"[{graded_count}/{graded_count}]")
        and "failures so far: 6" in progress[-1]
    )
    assert any("backed up" in x for x in lines)
    assert list((hostile_class["root"] / "autograder" / "backups").glob("gradebook-*.db"))
    report = hostile_class["root"] / "autograder" / "reports" / f"{SECTION}-autograde.csv"
    with report.open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    students = hostile_class["students"]
    assert rows["missing"]["status"] == Status.MISSING and len(rows) == len(students)
    print(f"pipeline: {len(students)} submissions in {hostile_class['seconds']:.1f} s")


def test_rerun_is_idempotent_and_regrades_only_changed(hostile_class):
    root = hostile_class["root"]
    lines: list[str] = []
    again = autograde(
        root,
        SECTION,
        workers=2,
        timeout=CELL_TIMEOUT,
        student_limit=STUDENT_LIMIT,
        log=lines.append,
    )
    assert {r.student: (r.status, r.score) for r in again} == {
        s: (r.status, r.score) for s, r in hostile_class["results"].items()
    }
    assert not [x for x in lines if x.startswith("[")], "nothing changed, nothing regraded"


def test_rerun_regrades_what_the_gradebook_lost(hostile_class):
    """Unchanged files are skipped only while the gradebook holds their grades (a new or
    restored gradebook, e.g. after switching to PostgreSQL, gets them again)."""

    root = hostile_class["root"]
    with Gradebook(db_url(root)) as gb:
        gb.remove_submission(SECTION, "good-a")
    lines: list[str] = []
    again = {
        r.student: r
        for r in autograde(root, SECTION, workers=2, timeout=CELL_TIMEOUT, log=lines.append)
    }
    progress = [x for x in lines if x.startswith("[")]
    assert len(progress) == 1 and "good-a" in progress[0]
    assert (again["good-a"].status, again["good-a"].score) == (Status.GRADED, 7.0)


def test_nbgrader_itself_still_works_on_the_course(hostile_class):
    root = hostile_class["root"]
    listing = course.nbgrader(root, "db", "student", "list")
    assert "good-a (Last good-a, First good-a) -- good-a@example.org" in (
        listing.stdout + listing.stderr
    )
    course.nbgrader(root, "autograde", SECTION, "--student", "good-a", "--force")
    assert question_scores(root, SECTION, "good-a")["rubric-total-tests"] == 3


def test_bad_arguments_are_rejected(hostile_class):
    with pytest.raises(ValueError, match="workers=0"):
        autograde(hostile_class["root"], SECTION, workers=0)
    with pytest.raises(ValueError, match="section='99-nope'"):
        autograde(hostile_class["root"], "99-nope")
