"""Shared fixtures of the grading tests.

PostgreSQL (``postgres_url``, ``postgres_db_url``): a throw-away server started from Debian's
binaries (``/usr/lib/postgresql/<version>/bin``), listening on 127.0.0.1 only, on a free
port, with its data and unix socket in a temp dir. Without the binaries the fixtures FAIL:
install Debian's ``postgresql`` package (``.ci/run`` does).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# ----------------------------------------------------------------------------- PostgreSQL

PG_ROLE = "mlsd_grader"
PG_START_TIMEOUT = 120  # s; generous: others run heavy tests on the same 2 cores


def _pg_bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` that has initdb, pg_ctl and postgres."""
    found = []
    for path in Path("/usr/lib/postgresql").glob("*/bin"):
        version = re.match(r"^(\d+)(?:\.(\d+))?$", path.parent.name)
        if version and all((path / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres")):
            found.append(((int(version[1]), int(version[2] or 0)), path))
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _PgCluster:
    """initdb + pg_ctl in ``base``; as the ``postgres`` system user when we are root
    (initdb refuses root)."""

    def __init__(self, bin_dir: Path, base: Path):
        self.bin_dir, self.base = bin_dir, base
        self.data, self.socket_dir = base / "data", base / "socket"
        self.log = base / "server.log"
        self.port = 0
        self.as_root = os.geteuid() == 0

    def run(self, tool: str, *args: str, timeout: float = PG_START_TIMEOUT):
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        proc = subprocess.run(
            [*prefix, str(self.bin_dir / tool), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.base,  # runuser keeps the cwd; postgres must be able to enter it
        )
        if proc.returncode != 0:
            server_log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n"
                f"{proc.stderr}\n{server_log[-3000:]}"
            )
        return proc

    def init(self) -> None:
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self.socket_dir.mkdir()
        if self.as_root:
            shutil.chown(self.socket_dir, "postgres", "postgres")
        # local (unix socket) connections: trust, for the fixture's own admin work;
        # TCP on 127.0.0.1: password only, as the pipeline connects
        self.run(
            "initdb",
            "-D",
            str(self.data),
            "--username=postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--no-instructions",
        )

    def start(self) -> None:
        for attempt in range(3):  # the free port may be taken between the check and the start
            self.port = _free_port()
            settings = {
                "listen_addresses": "'127.0.0.1'",
                "port": str(self.port),
                "unix_socket_directories": f"'{self.socket_dir}'",
                # a test server: durability is not needed, speed is
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
            }
            (self.data / "postgresql.auto.conf").write_text(
                "".join(f"{k} = {v}\n" for k, v in settings.items())
            )
            try:
                self.run(
                    "pg_ctl",
                    "start",
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    str(PG_START_TIMEOUT),
                )
                return
            except RuntimeError:
                if attempt == 2:
                    raise

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        try:
            self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            with contextlib.suppress(Exception):  # last resort: the postmaster by its pid
                pid = int((self.data / "postmaster.pid").read_text().split()[0])
                os.kill(pid, 9)

    def admin(self):
        """A superuser connection over the unix socket (autocommit, for CREATE DATABASE)."""
        import psycopg2

        conn = psycopg2.connect(
            host=str(self.socket_dir), port=self.port, user="postgres", dbname="postgres"
        )
        conn.autocommit = True
        return conn


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[dict]:
    """A running throw-away PostgreSQL server: ``{"cluster", "role", "password", "port"}``."""
    bin_dir = _pg_bin_dir()
    if bin_dir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found under "
            "/usr/lib/postgresql/*/bin: install Debian's `postgresql` package "
            "(`apt-get install postgresql`; .ci/run does this)",
            pytrace=False,
        )
    base = Path(tempfile.mkdtemp(prefix="mlsd-postgres-"))
    cluster = _PgCluster(bin_dir, base)
    try:
        cluster.init()
        cluster.start()
        password = secrets.token_hex(16)
        with contextlib.closing(cluster.admin()) as conn, conn.cursor() as cur:
            cur.execute(f"CREATE ROLE {PG_ROLE} LOGIN PASSWORD %s", (password,))
        yield {"cluster": cluster, "role": PG_ROLE, "password": password, "port": cluster.port}
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def _pg_url(pg: dict, database: str) -> str:
    return f"postgresql+psycopg2://{pg['role']}:{pg['password']}@127.0.0.1:{pg['port']}/{database}"


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster) -> str:
    """SQLAlchemy URL of a database on the throw-away server, shared by the whole session."""
    pg = postgres_cluster
    with contextlib.closing(pg["cluster"].admin()) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE mlsd_session OWNER {pg['role']}")
    return _pg_url(pg, "mlsd_session")


@pytest.fixture
def postgres_db_url(postgres_cluster) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards): its SQLAlchemy URL."""
    pg = postgres_cluster
    name = f"mlsd_test_{secrets.token_hex(6)}"
    with contextlib.closing(pg["cluster"].admin()) as conn, conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name} OWNER {pg['role']}")
    try:
        yield _pg_url(pg, name)
    finally:
        with contextlib.closing(pg["cluster"].admin()) as conn, conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# ----------------------------------------------------------------------------- hostile class


@pytest.fixture(scope="session")
def hostile_class(tmp_path_factory) -> dict:
    """The class of tests/grading/hostile_class.py, graded once per session (per xdist worker)."""
    from .hostile_class import grade_hostile_class

    return grade_hostile_class(tmp_path_factory)


@pytest.fixture(scope="session")
def attack_class(tmp_path_factory) -> dict:
    """The class of tests/grading/attack_class.py, graded once per session (per xdist worker)."""
    from .attack_class import grade_attack_class

    return grade_attack_class(tmp_path_factory)
