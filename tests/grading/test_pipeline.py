"""The instructor pipeline (``mlsd grade ...``) through the real nbgrader on a temp course
of one small section, with good, wrong and hostile submissions delivered as an LMS zip."""

from __future__ import annotations

import csv
import hashlib
import os
import time
import zipfile
from pathlib import Path

import pytest

from mlsd import course
from mlsd.grading import cli, pipeline
from mlsd.grading.notebooks import read

from .pipeline_course import (
    SECTION,
    delete_cell,
    edit_cell,
    grade_test_ids,
    make_root,
    malformed_bytes,
    notebook_name,
    place_submissions,
    question_scores,
    reference_answers,
    submission,
)
from .wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.slow

CELL_TIMEOUT = 3  # s per cell, short so the infinite loop costs little
STUDENT_LIMIT = 30  # s per submission, for the student who ignores SIGINT
GOOD = ("good-a", "good-b", "extra")


def _roster(path: Path, students) -> Path:
    lines = ["id,first_name,last_name,email"]
    lines += [f"{s},First {s},Last {s},{s}@example.org" for s in students]
    path.write_text("\n".join(lines) + "\n")
    return path


def _lms_zip(root: Path, path: Path) -> dict[str, bytes]:
    """The LMS download: name in the zip -> bytes. Returns what each student submitted."""
    ref = reference_answers(root)
    name = notebook_name(root)
    wrong_total = WRONG_ANSWERS["rubric-total"][0][1]
    wrong_band = WRONG_ANSWERS["rubric-band"][0][1]
    files = {
        f"good-a/{name}": submission(root, ref),
        "good-b_attempt_2.ipynb": submission(root, ref | {"rubric-total": wrong_total}),
        f"extra/{name}": submission(root, ref),
        "extra/scratch-data.csv": b"a,b\n1,2\n",
        f"loop/{SECTION}/{name}": submission(
            root, ref | {"rubric-total": ref["rubric-total"] + "\nwhile True:\n    pass\n"}
        ),
        f"importerr/{name}": submission(
            root, ref | {"rubric-total": "import not_a_real_module_xyz\n" + ref["rubric-total"]}
        ),
        # cheating only pays with a wrong answer: the restored tests must catch it
        f"deleted/{name}": submission(
            root, ref | {"rubric-band": wrong_band}, mutate=delete_cell("rubric-band-tests")
        ),
        f"asserttrue/{name}": submission(
            root,
            ref | {"rubric-total": wrong_total},
            mutate=edit_cell("rubric-total-tests", "assert True\n"),
        ),
        "malformed_rubric.ipynb": malformed_bytes(),
        "missing/notes.txt": b"I forgot to attach the notebook\n",
        f"sysexit/{name}": submission(
            root, ref | {"rubric-band": "import sys\nsys.exit(3)\n" + ref["rubric-band"]}
        ),
        # one 20 MB line: nbgrader's LimitOutput counts lines, so it would pass whole
        f"huge/{name}": submission(
            root,
            ref | {"rubric-transcript": "print('x' * 20_000_000)\n" + ref["rubric-transcript"]},
        ),
        f"wrongkernel/{name}": submission(root, ref, mutate=_kernel("julia-1.9")),
        # in-kernel tampering: the sandbox cannot stop it, the tripwire names it
        f"monkeypatch/{name}": submission(
            root,
            ref
            | {
                "rubric-total": "import mlsd.checks.rubric as _r\n"
                "_r.check_weighted_total = _r.expect_totals = lambda *a, **k: None\n" + wrong_total
            },
        ),
        # an answer that calls the course's own implementation instead of writing one
        f"copied/{name}": submission(
            root, ref | {"rubric-band": "from mlsd.rubric import hire_band  # noqa\n"}
        ),
        f"nosigint/{name}": submission(
            root,
            ref
            | {
                "rubric-transcript": "import signal\n"
                "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                "while True:\n    pass\n"
            },
        ),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for entry, data in files.items():
            archive.writestr(entry, data)
    return files


def _kernel(name: str):
    def mutate(nb):
        nb.metadata["kernelspec"] = {"name": name, "display_name": name, "language": "julia"}

    return mutate


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("pipeline"))
    pipeline.release(root, SECTION, log=lambda m: None)
    students = [
        "good-a",
        "good-b",
        "extra",
        "loop",
        "importerr",
        "deleted",
        "asserttrue",
        "malformed",
        "missing",
        "sysexit",
        "nosigint",
        "huge",
        "wrongkernel",
        "monkeypatch",
        "copied",
    ]
    pipeline.import_roster(root, _roster(root / "roster.csv", students))
    files = _lms_zip(root, root / "download.zip")
    collected = pipeline.collect(root, SECTION, root / "download.zip", log=lambda m: None)
    before = {p: _sha(p) for p in (root / "autograder" / "submitted").rglob("*") if p.is_file()}
    lines: list[str] = []
    start = time.perf_counter()
    results = pipeline.autograde(
        root,
        SECTION,
        workers=2,
        timeout=CELL_TIMEOUT,
        student_limit=STUDENT_LIMIT,
        log=lines.append,
    )
    seconds = time.perf_counter() - start
    return {
        "root": root,
        "files": files,
        "collected": collected,
        "before": before,
        "results": {r.student: r for r in results},
        "lines": lines,
        "seconds": seconds,
        "students": students,
    }


@pytest.fixture(scope="module")
def alone(tmp_path_factory, graded):
    """The good students graded one by one by plain ``nbgrader autograde --student``."""
    root = make_root(tmp_path_factory.mktemp("alone"))
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    name = notebook_name(root)
    for student in GOOD:
        src = graded["root"] / "autograder" / "submitted" / student / SECTION
        dest = root / "autograder" / "submitted" / student / SECTION
        dest.mkdir(parents=True)
        for path in src.iterdir():
            (dest / path.name).write_bytes(path.read_bytes())
        assert (dest / name).is_file()
        course.nbgrader(
            root, "autograde", SECTION, "--student", student, f"--Execute.timeout={CELL_TIMEOUT}"
        )
    return {s: question_scores(root, SECTION, s) for s in GOOD}


def test_good_students_grade_as_when_graded_alone(graded, alone):
    for student in GOOD:
        assert question_scores(graded["root"], SECTION, student) == alone[student], student
    results = graded["results"]
    assert results["good-a"].status == pipeline.GRADED
    assert results["good-a"].score == 7.0  # all autograded points; the written answer waits
    assert results["good-b"].score < results["good-a"].score
    assert results["extra"].status == pipeline.GRADED
    assert results["extra"].score == results["good-a"].score


def test_every_bad_submission_gets_a_clear_status(graded):
    results = graded["results"]
    status = {s: r.status for s, r in results.items()}
    assert status["loop"] == pipeline.TIMED_OUT and "rubric-total" in results["loop"].detail
    assert status["importerr"] == pipeline.ERRORED_CELL
    assert "ModuleNotFoundError" in results["importerr"].detail
    assert status["deleted"] == pipeline.TAMPERED
    assert "rubric-band-tests deleted" in results["deleted"].detail
    assert status["asserttrue"] == pipeline.TAMPERED
    assert "rubric-total-tests edited" in results["asserttrue"].detail
    assert status["malformed"] == pipeline.MALFORMED
    assert status["missing"] == pipeline.MISSING
    assert status["sysexit"] == pipeline.ERRORED_CELL and "SystemExit" in results["sysexit"].detail
    assert status["nosigint"] == pipeline.TIMED_OUT
    assert "ignored the interrupt" in results["nosigint"].detail
    assert results["nosigint"].score == 0
    log = graded["root"] / "autograder" / "reports" / f"{SECTION}-logs" / "nosigint.log"
    assert log.read_text()


def test_huge_output_is_cut_and_the_rest_graded(graded):
    root, result = graded["root"], graded["results"]["huge"]
    assert result.status == pipeline.GRADED and result.score == 7.0
    assert "output over the limit cut in rubric-transcript" in result.detail
    autograded = root / "autograder" / "autograded" / "huge" / SECTION / notebook_name(root)
    assert autograded.stat().st_size < 3_000_000  # the 20 MB line is not in the notebook
    page = pipeline.feedback(root, SECTION, log=lambda m: None)
    huge_page = [p for p in page if "/huge/" in str(p)]
    assert huge_page and huge_page[0].stat().st_size < 4_000_000


def test_wrong_kernel_name_is_graded_with_the_course_kernel(graded):
    root, result = graded["root"], graded["results"]["wrongkernel"]
    assert (result.status, result.score) == (pipeline.GRADED, 7.0)
    autograded = root / "autograder" / "autograded" / "wrongkernel" / SECTION
    assert read(autograded / notebook_name(root)).metadata.kernelspec.name == "python3"


def test_monkeypatching_the_checks_is_flagged_for_review(graded):
    result = graded["results"]["monkeypatch"]
    # documented limit: inside its own kernel a submission can replace the check functions
    # its test cells call, so the wrong answer passes; the tripwire names it for review
    assert "review rubric-total: line 2: assigns _r.check_weighted_total" in result.detail
    assert "review" not in graded["results"]["good-a"].detail


def test_an_answer_importing_the_reference_is_flagged_for_review(graded):
    result = graded["results"]["copied"]
    assert (result.status, result.score) == (pipeline.GRADED, 7.0)  # it works, so it passes
    assert "review rubric-band: line 1: imports mlsd.rubric in an answer cell" in result.detail


def test_tampered_test_cells_are_restored_and_score_zero(graded):
    root = graded["root"]
    deleted = question_scores(root, SECTION, "deleted")
    edited = question_scores(root, SECTION, "asserttrue")
    good = question_scores(root, SECTION, "good-a")
    # tampered test cells are put back by nbgrader and run as released: 0 for a wrong answer
    assert edited["rubric-total-tests"] == 0 and good["rubric-total-tests"] == 3
    assert deleted["rubric-band-tests"] == 0 and good["rubric-band-tests"] == 2
    autograded = root / "autograder" / "autograded" / "deleted" / SECTION / notebook_name(root)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in read(autograded).cells]
    assert "rubric-band-tests" in ids
    # the other questions of those students are graded normally
    assert deleted["rubric-total-tests"] == 3 and edited["rubric-band-tests"] == 2
    # a loop in one answer costs nothing else: the cell was interrupted, later cells ran
    assert question_scores(root, SECTION, "loop") == good


def test_original_submissions_are_kept_byte_for_byte(graded):
    root, name = graded["root"], notebook_name(graded["root"])
    submitted = root / "autograder" / "submitted"
    after = {p: _sha(p) for p in submitted.rglob("*") if p.is_file()}
    assert after == graded["before"]
    assert (submitted / "good-b" / SECTION / name).read_bytes() == graded["files"][
        "good-b_attempt_2.ipynb"
    ]
    assert (submitted / "malformed" / SECTION / name).read_bytes() == malformed_bytes()
    assert (submitted / "extra" / SECTION / "scratch-data.csv").read_bytes() == b"a,b\n1,2\n"
    assert (submitted / "missing" / SECTION / "notes.txt").is_file()


def test_progress_lines_and_report(graded):
    lines = graded["lines"]
    progress = [x for x in lines if x.startswith("[")]
    graded_count = len(graded["students"]) - 2  # malformed and missing: screened out first
    assert len(progress) == graded_count
    assert (
        progress[-1].startswith(f"[{graded_count}/{graded_count}]")
        and "failures so far: 6" in progress[-1]
    )
    assert any("backed up" in x for x in lines)
    assert list((graded["root"] / "autograder" / "backups").glob("gradebook-*.db"))
    with (graded["root"] / "autograder" / "reports" / f"{SECTION}-autograde.csv").open() as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert rows["missing"]["status"] == pipeline.MISSING and len(rows) == len(graded["students"])
    print(f"pipeline: {len(graded['students'])} submissions in {graded['seconds']:.1f} s")


def test_rerun_is_idempotent_and_regrades_only_changed(graded):
    root = graded["root"]
    lines: list[str] = []
    again = pipeline.autograde(
        root,
        SECTION,
        workers=2,
        timeout=CELL_TIMEOUT,
        student_limit=STUDENT_LIMIT,
        log=lines.append,
    )
    assert {r.student: (r.status, r.score) for r in again} == {
        s: (r.status, r.score) for s, r in graded["results"].items()
    }
    assert not [x for x in lines if x.startswith("[")], "nothing changed, nothing regraded"


def test_rerun_regrades_what_the_gradebook_lost(graded):
    """Unchanged files are skipped only while the gradebook holds their grades (a new or
    restored gradebook, e.g. after switching to PostgreSQL, gets them again)."""
    from nbgrader.api import Gradebook

    root = graded["root"]
    with Gradebook(pipeline.db_url(root)) as gb:
        gb.remove_submission(SECTION, "good-a")
    lines: list[str] = []
    again = {
        r.student: r
        for r in pipeline.autograde(
            root, SECTION, workers=2, timeout=CELL_TIMEOUT, log=lines.append
        )
    }
    progress = [x for x in lines if x.startswith("[")]
    assert len(progress) == 1 and "good-a" in progress[0]
    assert (again["good-a"].status, again["good-a"].score) == (pipeline.GRADED, 7.0)


def test_collect_keeps_newer_and_replaces_older(graded, tmp_path):
    root, name = graded["root"], notebook_name(graded["root"])
    dest = root / "autograder" / "submitted" / "good-a" / SECTION / name
    original = dest.read_bytes()
    folder = tmp_path / "lms" / "good-a"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(original + b"\n")
    old = dest.stat().st_mtime - 3600
    os.utime(folder / name, (old, old))
    (kept,) = pipeline.collect(root, SECTION, tmp_path / "lms", log=lambda m: None)
    assert kept.action == "kept newer" and dest.read_bytes() == original
    new = dest.stat().st_mtime + 3600
    os.utime(folder / name, (new, new))
    (replaced,) = pipeline.collect(root, SECTION, tmp_path / "lms", log=lambda m: None)
    try:
        assert replaced.action == "replaced" and dest.read_bytes() == original + b"\n"
        (backup,) = (root / "autograder" / "replaced" / "good-a" / SECTION).iterdir()
        assert backup.read_bytes() == original
    finally:
        dest.write_bytes(original)
        os.utime(dest, (old + 3600, old + 3600))
    skipped = [c for c in graded["collected"] if c.action == "skipped"]
    assert skipped == []


def test_feedback_has_no_hidden_tests(graded):
    root = graded["root"]
    secret = pipeline.hidden_lines(root, SECTION)
    assert secret
    pages = pipeline.feedback(root, SECTION, log=lambda m: None)
    page = root / "autograder" / "feedback" / "good-a" / SECTION / notebook_name(root)
    page = page.with_suffix(".html")
    assert page in pages
    text = page.read_text()
    assert pipeline.leaks(text, secret) == []
    assert "check_weighted_total" in pipeline.html_text(text)  # the visible check is there
    # the leak check itself can fail: a page showing a hidden line is caught
    assert pipeline.leaks(f"<pre><span>{secret[0]}</span></pre>", secret) == [secret[0]]


def test_export_and_stats_through_the_cli(graded, tmp_path):
    root = graded["root"]
    out, per_q, report = tmp_path / "grades.csv", tmp_path / "q.csv", tmp_path / "report.html"
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

    assert cli.main(["grade", "--root", str(root), "stats", SECTION, "--out", str(report)]) == 0
    rows = {r.question: r for r in pipeline.question_stats(root, SECTION)}
    total = rows["rubric-total-tests"]
    assert total.n == len(graded["students"]) - 2 and 0 < total.passed < 1
    assert any(n >= 1 for _m, n in total.failures)
    page = report.read_text()
    assert "plotly" in page and "rubric-total-tests" in page and "<table" in page
    assert "<script src=" not in page  # self-contained: plotly.js is inlined


def test_nbgrader_itself_still_works_on_the_course(graded):
    root = graded["root"]
    listing = course.nbgrader(root, "db", "student", "list")
    assert "good-a (Last good-a, First good-a) -- good-a@example.org" in (
        listing.stdout + listing.stderr
    )
    course.nbgrader(root, "autograde", SECTION, "--student", "good-a", "--force")
    assert question_scores(root, SECTION, "good-a")["rubric-total-tests"] == 3


def test_roster_errors_name_the_line(tmp_path, capsys):
    bad = tmp_path / "roster.csv"
    bad.write_text(
        "id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\n"
        "b ob,Bob,Ray,bob@example.org\ncat,Cat,Kim,not-an-email\nann,Ann,Two,a2@example.org\n"
    )
    with pytest.raises(ValueError) as info:
        pipeline.read_roster(bad)
    message = str(info.value)
    assert "line 3: id='b ob'" in message and "line 4: email='not-an-email'" in message
    assert "line 5: id='ann' repeats line 2" in message
    (tmp_path / "noheader.csv").write_text("ann,Ann,Lee,ann@example.org\n")
    with pytest.raises(ValueError, match="line 1: header"):
        pipeline.read_roster(tmp_path / "noheader.csv")
    assert cli.main(["grade", "--root", str(Path(__file__).parents[2]), "roster", str(bad)]) == 2
    assert "line 3" in capsys.readouterr().err


def test_release_refuses_to_drop_a_notebook_with_submissions(graded):
    root = graded["root"]
    (source,) = (root / "solutions" / SECTION).glob("*.ipynb")
    moved = source.with_name("renamed.ipynb")
    source.rename(moved)
    try:
        with pytest.raises(ValueError, match="would drop notebook"):
            pipeline.release(root, SECTION, log=lambda m: None)
    finally:
        moved.rename(source)
    assert (root / "course" / SECTION / source.name).is_file()


def test_bad_arguments_are_rejected(graded):
    with pytest.raises(ValueError, match="workers=0"):
        pipeline.autograde(graded["root"], SECTION, workers=0)
    with pytest.raises(ValueError, match="section='99-nope'"):
        pipeline.autograde(graded["root"], "99-nope")


def test_wall_clock_limit_kills_a_slow_submission_and_the_batch_goes_on(tmp_path):
    """Every cell under the per-cell limit, the whole notebook over the per-student one."""
    import psutil

    root = make_root(tmp_path / "slow")
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    ref = reference_answers(root)
    nap = "import time\ntime.sleep(4.5)\n"
    slow = {k: nap + ref[k] for k in ("rubric-total", "rubric-band", "rubric-transcript")}
    answers = {"a-good": ref, "b-slow": ref | slow, "c-good": ref}
    place_submissions(root, {s: submission(root, chosen) for s, chosen in answers.items()})
    results = pipeline.autograde(
        root, SECTION, workers=1, timeout=6, student_limit=10, log=lambda m: None
    )
    status = {r.student: (r.status, r.score) for r in results}
    assert status == {
        "a-good": (pipeline.GRADED, 7.0),
        "b-slow": (pipeline.TIMED_OUT, 0.0),
        "c-good": (pipeline.GRADED, 7.0),
    }
    assert "10 s limit" in results[1].detail
    # the killed worker's kernel is gone too
    leftovers = []
    for proc in psutil.process_iter(["cwd"]):
        if (proc.info.get("cwd") or "").startswith(str(root)):
            leftovers.append(proc.pid)
    assert leftovers == []
