"""The shared PostgreSQL gradebook, for real: the same course graded once with SQLite and once
with a throw-away PostgreSQL server (tests/grading/conftest.py) gives the same statuses and
per-question scores; the rows are in PostgreSQL, plain ``nbgrader`` sees them, a re-run is
idempotent, and the gradebook is backed up with ``pg_dump`` (or the run says it was not).
The backup itself is tested in test_gradebook.py."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from mlsd import course
from mlsd.grading import gradebook
from mlsd.grading.autograde import autograde
from mlsd.grading.collect import collect
from mlsd.grading.export import export
from mlsd.grading.release import release
from mlsd.grading.roster import import_roster
from mlsd.grading.status import Status

from .pipeline_course import (
    SECTION,
    make_root,
    malformed_bytes,
    notebook_name,
    reference_answers,
    submission,
)
from .wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.slow

CELL_TIMEOUT = 30  # s per cell; the notebook runs in ~1 s, generous for a busy machine
STUDENT_LIMIT = 180  # s per submission
STUDENTS = ("good", "wrong", "broken")

# every autograded question of the good and the wrong submission, straight from PostgreSQL
GRADES_SQL = """
SELECT st.id, a.name, bc.name, g.auto_score, g.manual_score
FROM grade g
JOIN base_cell bc ON g.cell_id = bc.id
JOIN submitted_notebook sn ON g.notebook_id = sn.id
JOIN submitted_assignment sub ON sn.assignment_id = sub.id
JOIN student st ON sub.student_id = st.id
JOIN assignment a ON sub.assignment_id = a.id
ORDER BY st.id, bc.name
"""


def _quiet(_message: str) -> None:
    pass


@pytest.fixture(scope="module")
def lms(tmp_path_factory):
    """A released copy of the section (SQLite, only to build course/) and an LMS download
    of three submissions: all correct, one wrong answer, a malformed file."""
    base = make_root(tmp_path_factory.mktemp("pg-course") / "checkout")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("MLSD_GRADEBOOK_URL", raising=False)
        release(base, SECTION, log=_quiet)
    ref, name = reference_answers(base), notebook_name(base)
    wrong_total = WRONG_ANSWERS["rubric-total"][0][1]
    download = base.parent / "download"
    files = {
        f"good/{name}": submission(base, ref),
        f"wrong/{name}": submission(base, ref | {"rubric-total": wrong_total}),
        f"broken/{name}": malformed_bytes(),
    }
    for entry, data in files.items():
        (download / entry).parent.mkdir(parents=True, exist_ok=True)
        (download / entry).write_bytes(data)
    roster = base.parent / "roster.csv"
    roster.write_text(
        "id,first_name,last_name,email\n"
        + "".join(f"{s},First {s},Last {s},{s}@example.org\n" for s in STUDENTS)
    )
    return {"base": base, "download": download, "roster": roster}


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def _grade(lms: dict, root: Path, log) -> dict:
    """The whole instructor run on a fresh copy of the course, with whatever gradebook
    $MLSD_GRADEBOOK_URL names: release, roster, collect, autograde (2 workers), export."""
    shutil.copytree(lms["base"], root, ignore=shutil.ignore_patterns("gradebook.db"))
    start = time.perf_counter()
    release(root, SECTION, log=log)
    import_roster(root, lms["roster"], log=log)
    collect(root, SECTION, lms["download"], log=log)
    graded_at = time.perf_counter()
    results = autograde(
        root, SECTION, workers=2, timeout=CELL_TIMEOUT, student_limit=STUDENT_LIMIT, log=log
    )
    autograde_seconds = time.perf_counter() - graded_at
    export(root, root / "grades.csv", root / "questions.csv", log=log)
    return {
        "results": {r.student: (r.status, r.score, r.max_score) for r in results},
        "grades": _csv(root / "grades.csv"),
        "questions": _csv(root / "questions.csv"),
        "seconds": time.perf_counter() - start,
        "autograde_seconds": autograde_seconds,
    }


def test_postgres_gradebook_grades_like_sqlite(lms, postgres_db_url, monkeypatch, tmp_path):
    monkeypatch.delenv("MLSD_GRADEBOOK_URL", raising=False)
    lite_root = tmp_path / "sqlite"
    lite = _grade(lms, lite_root, _quiet)
    assert (lite_root / "autograder" / "gradebook.db").is_file()

    # gradebook.db_url() and the nbgrader worker subprocesses read the variable
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", postgres_db_url)
    pg_root = tmp_path / "postgres"
    lines: list[str] = []
    pg = _grade(lms, pg_root, lines.append)
    print(
        f"grading 3 submissions: SQLite {lite['seconds']:.1f} s "
        f"(autograde {lite['autograde_seconds']:.1f} s), PostgreSQL {pg['seconds']:.1f} s "
        f"(autograde {pg['autograde_seconds']:.1f} s)"
    )

    # the reference run is what it should be ...
    status = lite["results"]
    assert status["good"] == (Status.GRADED, 7.0, status["good"][2])
    assert status["wrong"][0] == Status.GRADED and status["wrong"][1] < 7.0
    assert status["broken"][:2] == (Status.MALFORMED, 0.0)
    # ... and PostgreSQL gives exactly the same statuses, totals and per-question scores
    assert pg["results"] == lite["results"]
    assert pg["grades"] == lite["grades"]
    assert pg["questions"] == lite["questions"]
    by_question = {(r["student"], r["question"]): float(r["score"]) for r in pg["questions"]}
    assert by_question[("wrong", "rubric-total-tests")] == 0.0
    assert by_question[("good", "rubric-total-tests")] == 3.0

    # nothing went to an SQLite file: the rows are in PostgreSQL
    assert not (pg_root / "autograder" / "gradebook.db").exists()
    engine = sa.create_engine(postgres_db_url)
    try:
        with engine.connect() as conn:
            students = conn.execute(sa.text("SELECT id, email FROM student ORDER BY id")).all()
            rows = conn.execute(sa.text(GRADES_SQL)).all()
    finally:
        engine.dispose()
    assert students == [(s, f"{s}@example.org") for s in sorted(STUDENTS)]
    in_db = {
        (student, cell): auto for student, section, cell, auto, _manual in rows if auto is not None
    }
    assert {s for s, _c in in_db} == {"good", "wrong"}  # the malformed file never reached it
    for (student, cell), auto in in_db.items():
        assert by_question[(student, cell)] == auto, (student, cell)
    assert all(section == SECTION for _s, section, *_rest in rows)

    # the run backed PostgreSQL up with pg_dump
    (dump,) = (pg_root / "autograder" / "backups").glob("gradebook-*.dump")
    assert any("backed up to autograder/backups/gradebook-" in x for x in lines)
    assert postgres_db_url.split(":")[2].split("@")[0] not in "\n".join(lines)  # no password

    # plain nbgrader, run from the course root, reads the same variable and the same rows
    exported = pg_root / "nbgrader-grades.csv"
    course.nbgrader(pg_root, "export", "--to", str(exported))
    nbgrader_scores = {
        r["student_id"]: float(r["score"]) for r in _csv(exported) if r["assignment"] == SECTION
    }
    assert nbgrader_scores == {"good": 7.0, "wrong": status["wrong"][1], "broken": 0.0}
    listing = course.nbgrader(pg_root, "db", "student", "list")
    assert "wrong (Last wrong, First wrong) -- wrong@example.org" in listing.stdout + listing.stderr

    # a re-run changes nothing and regrades nothing, even when no backup can be made
    monkeypatch.setattr(gradebook, "pg_dump_candidates", lambda: [])
    again_lines: list[str] = []
    again = autograde(
        pg_root,
        SECTION,
        workers=2,
        timeout=CELL_TIMEOUT,
        student_limit=STUDENT_LIMIT,
        log=again_lines.append,
    )
    assert {r.student: (r.status, r.score, r.max_score) for r in again} == pg["results"]
    assert not [x for x in again_lines if x.startswith("[")], "nothing changed, nothing regraded"
    assert any("NOT backed up" in x and "pg_dump not found" in x for x in again_lines)
    counts = import_roster(pg_root, lms["roster"], log=_quiet)
    assert counts == {"updated": len(STUDENTS)}
    engine = sa.create_engine(postgres_db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text(GRADES_SQL)).all() == rows
            assert conn.execute(sa.text("SELECT count(*) FROM student")).scalar() == 3
    finally:
        engine.dispose()
    assert len(list((pg_root / "autograder" / "backups").glob("gradebook-*"))) == 1
    assert dump.stat().st_size > 0
