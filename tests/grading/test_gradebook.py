"""The gradebook stage (:mod:`mlsd.grading.gradebook`): its URL, and the backup taken before
every autograde run: a consistent SQLite copy, or a ``pg_dump`` of a throw-away PostgreSQL
server (tests/grading/conftest.py) that restores, keeps the password off the command line and
says so when it cannot be made."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from mlsd.grading import gradebook
from mlsd.grading.roster import import_roster

from .conftest import _pg_bin_dir


def _quiet(_message: str) -> None:
    pass


def test_db_url_follows_the_environment_as_nbgrader_config_does(monkeypatch, tmp_path):
    monkeypatch.delenv("MLSD_GRADEBOOK_URL", raising=False)
    assert gradebook.db_url(tmp_path) == f"sqlite:///{tmp_path}/autograder/gradebook.db"
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", "postgresql://grader@db/grades")
    assert gradebook.db_url(tmp_path) == "postgresql://grader@db/grades"


@pytest.mark.slow
def test_sqlite_backup_is_a_consistent_copy(monkeypatch, tmp_path):
    monkeypatch.delenv("MLSD_GRADEBOOK_URL", raising=False)
    lines: list[str] = []
    assert gradebook.backup_gradebook(tmp_path, log=lines.append) is None  # nothing to copy yet
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\n")
    (tmp_path / "autograder").mkdir()
    import_roster(tmp_path, roster, log=_quiet)
    copy = gradebook.backup_gradebook(tmp_path, log=lines.append)
    assert copy is not None and copy.parent == tmp_path / "autograder" / "backups"
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT id, email FROM student").fetchall() == [
            ("ann", "ann@example.org")
        ]
    assert lines == [f"gradebook backed up to {copy.relative_to(tmp_path)}"]


def _spy_runs(monkeypatch) -> list[tuple[list[str], dict]]:
    """Record every subprocess.run (command, env) while still running it."""
    calls: list[tuple[list[str], dict]] = []
    real = subprocess.run

    def spy(command, *args, **kwargs):
        calls.append((list(map(str, command)), dict(kwargs.get("env") or {})))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    return calls


@pytest.mark.slow
def test_pg_dump_backup_is_a_restorable_custom_dump(postgres_db_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", postgres_db_url)
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nann,Ann,Lee,ann@example.org\n")
    import_roster(tmp_path, roster, log=_quiet)  # creates nbgrader's tables too
    password = postgres_db_url.split(":")[2].split("@")[0]
    calls = _spy_runs(monkeypatch)
    lines: list[str] = []
    dump = gradebook.backup_gradebook(tmp_path, log=lines.append)

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


@pytest.mark.slow
def test_a_failing_pg_dump_is_reported_and_grading_goes_on(postgres_db_url, monkeypatch, tmp_path):
    user_pw, rest = postgres_db_url.split("@", 1)
    bad_url = user_pw.rsplit(":", 1)[0] + ":wrong-password@" + rest
    monkeypatch.setenv("MLSD_GRADEBOOK_URL", bad_url)
    lines: list[str] = []
    assert gradebook.backup_gradebook(tmp_path, log=lines.append) is None
    message = "\n".join(lines)
    assert "NOT backed up, pg_dump failed; grading goes on" in message
    assert "password authentication failed" in message
    assert "wrong-password" not in message
    assert list((tmp_path / "autograder" / "backups").glob("*")) == []  # no partial dump

    monkeypatch.setenv("MLSD_GRADEBOOK_URL", postgres_db_url)
    monkeypatch.setattr(gradebook, "pg_dump_candidates", lambda: [])
    lines.clear()
    assert gradebook.backup_gradebook(tmp_path, log=lines.append) is None
    assert "pg_dump not found on PATH nor in /usr/lib/postgresql/*/bin" in lines[0]
    assert lines[0].startswith("warning:")


def test_libpq_connection_string_keeps_the_password_out():
    conninfo, password = gradebook._pg_connection(
        "postgresql+psycopg2://grader:s3cr%27t@db.example.org:6543/grades?sslmode=require"
    )
    assert password == "s3cr't"
    assert "s3cr" not in conninfo
    assert conninfo == (
        "sslmode='require' host='db.example.org' port='6543' user='grader' dbname='grades'"
    )
    socket_only, none = gradebook._pg_connection("postgresql:///grades?host=/run/postgresql")
    assert (socket_only, none) == ("host='/run/postgresql' dbname='grades'", None)
    assert gradebook._is_postgres("postgresql://x@h/db") and gradebook._is_postgres("postgres://h")
    assert not gradebook._is_postgres("sqlite:///gradebook.db")
