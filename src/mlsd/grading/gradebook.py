"""The gradebook: its URL, opening it, reading a section's scores, and backing it up
(a consistent SQLite copy or a ``pg_dump`` of PostgreSQL) before every autograde run."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from mlsd.grading.layout import Log, print_log


def db_url(root: Path) -> str:
    """The gradebook URL, resolved exactly as ``autograder/nbgrader_config.py`` does."""
    default = "sqlite:///" + str(root / "autograder" / "gradebook.db")
    return os.environ.get("MLSD_GRADEBOOK_URL", default)


def open_gradebook(root: Path):
    """nbgrader's ``Gradebook`` at :func:`db_url` (use it as a context manager)."""
    from nbgrader.api import Gradebook

    # nbgrader runs the ``alembic`` command by name when it creates or upgrades a gradebook
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    return Gradebook(db_url(root))


def scores(root: Path, section: str) -> dict[str, tuple[float, float]]:
    """student -> (score, max score) of every submission of ``section`` in the gradebook."""
    from nbgrader.api import MissingEntry

    out = {}
    with open_gradebook(root) as gb:
        try:
            for sub in gb.find_assignment(section).submissions:
                out[sub.student.id] = (float(sub.score), float(sub.max_score))
        except MissingEntry:
            pass
    return out


def max_points(root: Path, section: str) -> float:
    with open_gradebook(root) as gb:
        return float(gb.find_assignment(section).max_score)


def backup_gradebook(root: Path, log: Log = print_log) -> Path | None:
    """A timestamped backup of the gradebook in ``autograder/backups/``: a consistent copy of
    an SQLite file (even while it is open) or a ``pg_dump`` of a PostgreSQL database.

    A backup that cannot be made is logged as a warning and grading goes on (``None``)."""
    url = db_url(root)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    if _is_postgres(url):
        return _pg_dump_gradebook(root, url, stamp, log)
    if not url.startswith("sqlite:///"):
        log(f"gradebook is {url.split(':', 1)[0]}: back it up with that database's own tools")
        return None
    source = Path(url.removeprefix("sqlite:///"))
    if not source.exists():
        return None
    target = root / "autograder" / "backups" / f"gradebook-{stamp}.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    log(f"gradebook backed up to {target.relative_to(root)}")
    return target


PG_DUMP_TIMEOUT = 600  # s for one pg_dump of the gradebook (a class's gradebook takes ~1 s)


def _is_postgres(url: str) -> bool:
    return re.match(r"^postgres(ql)?(\+\w+)?://", url) is not None


def pg_dump_candidates() -> list[str]:
    """pg_dump executables, best first: Debian's versioned ones, newest first (pg_dump must
    be at least the server's version), then the one on PATH."""
    versioned = []
    for path in Path("/usr/lib/postgresql").glob("*/bin/pg_dump"):
        version = re.match(r"^(\d+)(?:\.(\d+))?$", path.parent.parent.name)
        if version and os.access(path, os.X_OK):
            versioned.append(((int(version[1]), int(version[2] or 0)), str(path)))
    found = [p for _v, p in sorted(versioned, reverse=True)]
    on_path = shutil.which("pg_dump")
    if on_path and on_path not in found:
        found.append(on_path)
    return found


def _libpq_value(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pg_connection(url: str) -> tuple[str, str | None]:
    """(libpq connection string without the password, the password) of an SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params: dict[str, str] = {}
    for key, value in parsed.query.items():  # e.g. sslmode=require, host=/run/postgresql
        params[key] = value if isinstance(value, str) else value[-1]
    password = params.pop("password", None)
    if parsed.password is not None:
        password = str(parsed.password)
    for key, value in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("dbname", parsed.database),
    ):
        if value is not None:
            params[key] = str(value)
    return " ".join(f"{k}={_libpq_value(v)}" for k, v in params.items()), password


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # unparsable: show only the scheme
        return url.split(":", 1)[0] + "://..."


def _pg_dump_gradebook(root: Path, url: str, stamp: str, log: Log) -> Path | None:
    """``pg_dump --format=custom`` of the gradebook; the password goes through PGPASSWORD,
    never the command line (which every user of the machine can read in ``ps``)."""
    where = _redacted(url)
    target = root / "autograder" / "backups" / f"gradebook-{stamp}.dump"
    candidates = pg_dump_candidates()
    if not candidates:
        log(
            f"warning: gradebook {where} NOT backed up: pg_dump not found on PATH nor in "
            "/usr/lib/postgresql/*/bin (install the PostgreSQL client, Debian: "
            "postgresql-client); grading goes on"
        )
        return None
    try:
        conninfo, password = _pg_connection(url)
    except Exception:  # the error text would show the password: say only what failed
        log(f"warning: gradebook {where} NOT backed up: unreadable URL; grading goes on")
        return None
    env = dict(os.environ)
    env.setdefault("PGCONNECT_TIMEOUT", "20")
    if password is not None:
        env["PGPASSWORD"] = password
    target.parent.mkdir(parents=True, exist_ok=True)
    problems = []
    for exe in candidates:
        command = [exe, "--format=custom", "--no-password", f"--file={target}"]
        try:
            proc = subprocess.run(
                [*command, f"--dbname={conninfo}"],
                env=env,
                capture_output=True,
                text=True,
                timeout=PG_DUMP_TIMEOUT,
            )
            error = proc.stderr.strip() if proc.returncode else ""
            if not error and not (target.is_file() and target.stat().st_size):
                error = "it wrote no dump"
        except (OSError, subprocess.TimeoutExpired) as exc:
            error = str(exc)
        if not error:
            log(f"gradebook {where} backed up to {target.relative_to(root)} ({exe})")
            return target
        if password:
            error = error.replace(password, "***")
        problems.append(f"{exe}: {error.splitlines()[-1] if error else 'failed'}")
        target.unlink(missing_ok=True)
    log(
        f"warning: gradebook {where} NOT backed up, pg_dump failed; grading goes on:\n  "
        + "\n  ".join(problems)
    )
    return None
