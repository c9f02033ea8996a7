"""The shared PostgreSQL gradebook, for real: the same course graded once with SQLite and once
with a throw-away PostgreSQL server (tests/grading/conftest.py) gives the same statuses and
per-question scores; the rows are in PostgreSQL, plain ``nbgrader`` sees them, a re-run is
idempotent, and the gradebook is backed up with ``pg_dump`` (or the run says it was not)."""

from __future__ import annotations

import csv
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from mlsd import course
from mlsd.grading import pipeline

from .conftest import _pg_bin_dir
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
        pipeline.release(base, SECTION, log=_quiet)
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
    pipeline.release(root, SECTION, log=log)
    pipeline.import_roster(root, lms["roster"], log=log)
    pipeline.collect(root, SECTION, lms["download"], log=log)
    graded_at = time.perf_counter()
    results = pipeline.autograde(
        root, SECTION, workers=2, timeout=CELL_TIMEOUT, student_limit=STUDENT_LIMIT, log=log
    )
    autograde_seconds = time.perf_counter() - graded_at
    pipeline.export(root, root / "grades.csv", root / "questions.csv", log=log)
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

    # pipeline.db_url() and the nbgrader worker subprocesses read the variable
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
    assert status["good"] == (pipeline.GRADED, 7.0, status["good"][2])
    assert status["wrong"][0] == pipeline.GRADED and status["wrong"][1] < 7.0
    assert status["broken"][:2] == (pipeline.MALFORMED, 0.0)
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
    monkeypatch.setattr(pipeline, "pg_dump_candidates", lambda: [])
    again_lines: list[str] = []
    again = pipeline.autograde(
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
    counts = pipeline.import_roster(pg_root, lms["roster"], log=_quiet)
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


def _spy_runs(monkeypatch) -> list[tuple[list[str], dict]]:
    """Record every subprocess.run (command, env) while still running it."""
    calls: list[tuple[list[str], dict]] = []
    real = subprocess.run

    def spy(command, *args, **kwargs):
        calls.append((list(map(str, command)), dict(kwargs.get("env") or {})))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    return calls


def test_pg_dump_backup_is_a_restorable_custom_dump(postgres_db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", postgres_db_url)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\n")
    pipeline.import_roster(tmp_path, roster, log=_quiet)  # creates nbgrader's tables too
    password = postgres_db_url.split(":")[2].split("@")[0]
    calls = _spy_runs(monkeypatch)
    lines: list[str] = []
    dump = pipeline.backup_gradebook(tmp_path, log=lines.append)

    assert dump is not None and dump.parent == tmp_path / "autograder" / "backups"
    assert dump.name.startswith("gradebook-") and dump.suffix == ".dump"
    assert dump.stat().st_size > 0
    (command, env), *_ = calls
    assert Path(command[0]).name == "pg_dump" and "--format=custom" in command
    assert not any(password in part for part in command), "password on the command line"
    assert env["PGPASSWORD"] == password
    assert password not in "\n".join(lines) and "***" in lines[0]

    pg_restore = _pg_bin_dir() / "pg_restore"
    listing = subprocess.run(
        [str(pg_restore), "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public student" in listing and "TABLE public grade " in listing
    # and it restores: the student row is in the dump's data
    sql = subprocess.run(
        [str(pg_restore), "--data-only", "--table=student", "--file=-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "ann\tAnn\tLee\tann@example.org" in sql


def test_a_failing_pg_dump_is_reported_and_grading_goes_on(postgres_db_url, monkeypatch, tmp_path):
    user_pw, rest = postgres_db_url.split("@", 1)
    bad_url = user_pw.rsplit(":", 1)[0] + ":wrong-password@" + rest
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", bad_url)
    lines: list[str] = []
    assert pipeline.backup_gradebook(tmp_path, log=lines.append) is None
    message = "\n".join(lines)
    assert "NOT backed up, pg_dump failed; grading goes on" in message
    assert "password authentication failed" in message
    assert "wrong-password" not in message
    assert list((tmp_path / "autograder" / "backups").glob("*")) == []  # no partial dump

    monkeypatch.setenv("MLSD_GRADEBOOK_URL", postgres_db_url)
    monkeypatch.setattr(pipeline, "pg_dump_candidates", lambda: [])
    lines.clear()
    assert pipeline.backup_gradebook(tmp_path, log=lines.append) is None
    assert "pg_dump not found on PATH nor in /usr/lib/postgresql/*/bin" in lines[0]
    assert lines[0].startswith("warning:")


def test_libpq_connection_string_keeps_the_password_out():
    conninfo, password = pipeline._pg_connection(
        "postgresql+psycopg2://grader:s3cr%27t@db.example.org:6543/grades?sslmode=require"
    )
    assert password == "s3cr't"
    assert "s3cr" not in conninfo
    assert conninfo == (
        "sslmode='require' host='db.example.org' port='6543' user='grader' dbname='grades'"
    )
    socket_only, none = pipeline._pg_connection("postgresql:///grades?host=/run/postgresql")
    assert (socket_only, none) == ("host='/run/postgresql' dbname='grades'", None)
    assert pipeline._is_postgres("postgresql://x@h/db") and pipeline._is_postgres("postgres://h")
    assert not pipeline._is_postgres("sqlite:///gradebook.db")
