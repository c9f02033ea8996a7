"""The instructor's grading pipeline around nbgrader: roster, release, collect, autograde,
feedback, export and per-question statistics.

Everything works on the nbgrader course root ``autograder/`` of a checkout (``root``) and
leaves nbgrader's own layout (``submitted/``, ``autograded/``, ``feedback/``, the gradebook)
exactly as nbgrader expects it, so ``nbgrader`` commands and formgrader keep working.
What this module adds: input checks with clear errors, LMS downloads, a gradebook backup,
parallel grading (local processes or Dask) with a wall-clock limit per student, kernels in a
bubblewrap sandbox (:mod:`mlsd.grading.sandbox`), and a status for every submission.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import queue
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import nbformat
import psutil

from mlsd import course
from mlsd.grading import sandbox, tamper
from mlsd.grading.capped import TRUNCATED_NOTICE
from mlsd.grading.notebooks import BEGIN_HIDDEN, END_HIDDEN, regions
from mlsd.grading.processes import kill_tree
from mlsd.grading.worker import outcome_of

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
ROSTER_COLUMNS = ("id", "first_name", "last_name", "email")

GRADED = "graded"
TIMED_OUT = "timed out"
ERRORED_CELL = "errored cell"
TAMPERED = "tampered cell restored"
MALFORMED = "malformed notebook"
MISSING = "missing notebook"
GRADER_ERROR = "grader error"

Log = Callable[[str], None]

# A grading process and its kernel use about 200 MB (peak USS, section 8); leave room for
# submissions that allocate more.
WORKER_MEMORY_MB = 512


def default_workers() -> int:
    """One worker more than the cores this process may use, as far as memory allows.

    Each submission spends part of its time idle (kernel start-up handshakes, process exits)
    and the extra worker fills it: bench/bench_grading.py on 2 cores, 40 submissions, median
    of 3: 35.9 s with 3 workers, 43.4 s with 2."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    by_memory = psutil.virtual_memory().available // (WORKER_MEMORY_MB << 20)
    return int(max(1, min((cores or 1) + 1, by_memory, 64)))


DEFAULT_WORKERS = default_workers()


def _print(message: str) -> None:
    print(message, flush=True)


def db_url(root: Path) -> str:
    """The gradebook URL, resolved exactly as ``autograder/nbgrader_config.py`` does."""
    default = "sqlite:///" + str(root / "autograder" / "gradebook.db")
    return os.environ.get("MLSD_GRADEBOOK_URL", default)


def _gradebook(root: Path):
    from nbgrader.api import Gradebook

    # nbgrader runs the ``alembic`` command by name when it creates or upgrades a gradebook
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    return Gradebook(db_url(root))


def _check_section(root: Path, section: str) -> None:
    known = course.sections(root)
    if section not in known:
        raise ValueError(f"section={section!r} is not a section under solutions/; one of {known}")


# ----------------------------------------------------------------------------- roster


def read_roster(path: Path) -> list[dict[str, str]]:
    """Rows of a roster CSV (columns id, first_name, last_name, email; extra columns ignored).

    Every bad row is reported with its line number in one ValueError."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"roster file {path} does not exist")
    text = path.read_text("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        raise ValueError(
            f"{path}: line 1: header {header} lacks column(s) {missing}; "
            f"required: {list(ROSTER_COLUMNS)}"
        )
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if None in row:
            problems.append(f"line {line}: more fields than the header's {len(header)}")
            continue
        values = {c: (row.get(c) or "").strip() for c in ROSTER_COLUMNS}
        if not STUDENT_ID.match(values["id"]):
            problems.append(
                f"line {line}: id={values['id']!r} must be 1-64 letters, digits, '.', '_' or '-'"
                " and start with a letter or digit"
            )
        elif values["id"] in seen:
            problems.append(f"line {line}: id={values['id']!r} repeats line {seen[values['id']]}")
        else:
            seen[values["id"]] = line
        if not values["last_name"] and not values["first_name"]:
            problems.append(f"line {line}: first_name and last_name are both empty")
        if not EMAIL.match(values["email"]):
            problems.append(f"line {line}: email={values['email']!r} is not an e-mail address")
        rows.append(values)
    if problems:
        raise ValueError(f"{path}: bad roster rows:\n  " + "\n  ".join(problems))
    if not rows:
        raise ValueError(f"{path}: the roster has a header but no students")
    return rows


def import_roster(root: Path, path: Path, log: Log = _print) -> dict[str, int]:
    """Add or update the roster's students in the gradebook (nbgrader's student table)."""
    rows = read_roster(path)
    counts = Counter()
    with _gradebook(root) as gb:
        known = {s.id for s in gb.students}
        for row in rows:
            gb.update_or_create_student(
                row["id"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                email=row["email"],
            )
            counts["updated" if row["id"] in known else "added"] += 1
    log(f"roster {path}: {counts['added']} added, {counts['updated']} updated")
    return dict(counts)


# ----------------------------------------------------------------------------- release


def release(root: Path, section: str, log: Log = _print) -> None:
    """Regenerate ``course/SECTION`` and its gradebook entry from ``solutions/SECTION``.

    Refuses when that would drop an assignment or notebook that already has submissions."""
    from nbgrader.api import MissingEntry

    with _gradebook(root) as gb:
        try:
            assignment = gb.find_assignment(section)
        except MissingEntry:
            assignment = None
        graded_notebooks = set()
        n_submissions = 0
        if assignment is not None:
            n_submissions = len(assignment.submissions)
            for sub in assignment.submissions:
                graded_notebooks |= {nb.name for nb in sub.notebooks}
    if section not in course.sections(root):
        if n_submissions:
            raise ValueError(
                f"section={section!r} is gone from solutions/ but has {n_submissions} "
                "submission(s) in the gradebook; refusing to drop it"
            )
        _check_section(root, section)
    source = {p.stem for p in (root / "solutions" / section).glob("*.ipynb")}
    dropped = sorted(graded_notebooks - source)
    if dropped:
        raise ValueError(
            f"regenerating {section} would drop notebook(s) {dropped} that have submissions; "
            "refusing (restore them in solutions/ or remove the submissions with nbgrader db)"
        )
    course.replace_course(root, only=[section])
    log(f"released course/{section}/ ({n_submissions} submission(s) kept)")


# ----------------------------------------------------------------------------- collect


@dataclass
class Collected:
    student: str
    path: str  # under submitted/<student>/<section>/
    action: str  # "new", "replaced", "unchanged", "kept newer", "skipped"
    detail: str = ""


def _expected_notebooks(root: Path, section: str) -> list[str]:
    names = sorted(p.name for p in (root / "course" / section).glob("*.ipynb"))
    if not names:
        raise FileNotFoundError(f"course/{section}/ has no notebooks; run `mlsd grade release`")
    return names


def _entries(source: Path):
    """(relative posix name, mtime as epoch seconds, bytes reader) for each file."""
    if source.is_file() and zipfile.is_zipfile(source):
        archive = zipfile.ZipFile(source)
        for info in archive.infolist():
            if info.is_dir():
                continue
            stamp = datetime(*info.date_time).timestamp()
            yield info.filename, stamp, (lambda i=info: archive.read(i))
    elif source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                rel = path.relative_to(source).as_posix()
                yield rel, path.stat().st_mtime, path.read_bytes
    else:
        raise ValueError(f"--from={str(source)!r} is neither a folder nor a zip file")


def _target(name: str, section: str, expected: list[str]) -> tuple[str, str] | str:
    """(student, file name) for an LMS entry, or the reason it is skipped."""
    parts = PurePosixPath(name).parts
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return "hidden or system file"
    if len(parts) >= 2:
        student, rest = parts[0], list(parts[1:])
        if rest[0] == section and len(rest) > 1:
            rest = rest[1:]
    elif parts[0].endswith(".ipynb") and "_" in parts[0]:
        student, rest = parts[0].split("_", 1)[0], [parts[0].split("_", 1)[1]]
    else:
        return "not <student>/<file> nor <student>_<anything>.ipynb"
    if not STUDENT_ID.match(student):
        return f"student id {student!r} is not a valid id"
    filename = "/".join(rest)
    if filename.endswith(".ipynb") and filename not in expected:
        stem_matches = [e for e in expected if PurePosixPath(e).stem in filename]
        if len(expected) == 1:
            filename = expected[0]
        elif len(stem_matches) == 1:
            filename = stem_matches[0]
        else:
            return f"cannot tell which of {expected} this notebook is"
    return student, filename


def collect(root: Path, section: str, source: Path | None, log: Log = _print) -> list[Collected]:
    """Copy LMS submissions into ``autograder/submitted/<student>/<section>/`` byte for byte.

    ``source`` is a folder or zip (``<student>/<notebook>.ipynb``,
    ``<student>/<section>/<notebook>.ipynb`` or ``<student>_<anything>.ipynb``); ``None``
    runs ``nbgrader collect`` from the configured exchange instead. An existing submission
    that is newer than the incoming one is kept and reported; an older one is replaced and
    its bytes moved to ``autograder/replaced/``."""
    _check_section(root, section)
    if source is None:
        proc = course.nbgrader(root, "collect", section, "--update")
        log(proc.stdout + proc.stderr)
        return []
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"--from={str(source)!r} does not exist")
    expected = _expected_notebooks(root, section)
    ag = root / "autograder"
    best: dict[tuple[str, str], tuple[float, Callable[[], bytes], str]] = {}
    results: list[Collected] = []
    for name, stamp, read in _entries(source):
        target = _target(name, section, expected)
        if isinstance(target, str):
            results.append(Collected("", name, "skipped", target))
            continue
        if target in best and best[target][0] >= stamp:
            results.append(Collected(target[0], name, "skipped", "a newer copy is in the batch"))
            continue
        if target in best:
            results.append(Collected(target[0], best[target][2], "skipped", "newer copy in batch"))
        best[target] = (stamp, read, name)
    with _gradebook(root) as gb:
        roster = {s.id for s in gb.students}
    newest: dict[str, float] = {}
    for (student, filename), (stamp, read, name) in sorted(best.items()):
        dest = ag / "submitted" / student / section / filename
        data = read()
        detail = "" if student in roster else "student not on the roster"
        if dest.exists():
            if dest.read_bytes() == data:
                results.append(Collected(student, filename, "unchanged", detail))
                continue
            if dest.stat().st_mtime > stamp:
                results.append(
                    Collected(
                        student, filename, "kept newer", f"existing copy is newer than {name}"
                    )
                )
                continue
            keep = ag / "replaced" / student / section / f"{filename}.{int(dest.stat().st_mtime)}"
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(dest, keep)
            action = "replaced"
            detail = f"older copy moved to {keep.relative_to(root)}" + (
                f"; {detail}" if detail else ""
            )
        else:
            action = "new"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        os.utime(dest, (stamp, stamp))
        newest[student] = max(newest.get(student, 0.0), stamp)
        results.append(Collected(student, filename, action, detail))
    for student, stamp in newest.items():
        when = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
        (ag / "submitted" / student / section / "timestamp.txt").write_text(when)
    for item in results:
        if item.action != "unchanged":
            who = f"{item.student}: " if item.student else ""
            log(f"{item.action:10} {who}{item.path} {item.detail}".rstrip())
    counts = Counter(r.action for r in results)
    log("collected: " + ", ".join(f"{n} {a}" for a, n in sorted(counts.items())))
    return results


# ----------------------------------------------------------------------------- autograde


@dataclass
class Result:
    student: str
    status: str
    score: float | None = None
    max_score: float | None = None
    detail: str = ""
    seconds: float = 0.0
    digest: str = ""


@dataclass
class _Worker:
    proc: subprocess.Popen
    student: str | None = None
    sent: float = 0.0
    started: float | None = None


def backup_gradebook(root: Path, log: Log = _print) -> Path | None:
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


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _notebook_validator(minor: int):
    from nbformat.validator import get_validator

    try:  # fastjsonschema is about 10x faster than jsonschema on a notebook
        return get_validator(version=4, version_minor=minor, name="fastjsonschema")
    except Exception:
        return get_validator(version=4, version_minor=minor)


def _screen(folder: Path, expected: list[str]) -> tuple[str, str] | None:
    """(status, detail) when a submission cannot be graded at all, else None."""
    missing = [n for n in expected if not (folder / n).is_file()]
    if missing and len(missing) == len(expected):
        return MISSING, f"no {', '.join(missing)} in the submission"
    for name in expected:
        path = folder / name
        if not path.is_file():
            continue
        try:
            nb = json.loads(path.read_bytes().decode("utf-8"))
            if not isinstance(nb, dict) or nb.get("nbformat") != 4:
                raise ValueError("not an nbformat 4 notebook")
            try:
                _notebook_validator(int(nb.get("nbformat_minor", 0))).validate(nb)
            except Exception:  # strict schema failed: let nbformat repair what it can
                nbformat.validate(nbformat.reads(json.dumps(nb), as_version=4))
        except Exception as exc:  # any parse or schema error: not gradable
            first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            return MALFORMED, f"{name}: {type(exc).__name__}: {first}"
    return None


def _protected_cells(nb: dict) -> dict[str, str]:
    """grade id -> source of every cell a learner must not change (tests and locked cells)."""
    out = {}
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        protected = meta.get("locked") or meta.get("grade")
        if meta.get("grade_id") and not meta.get("solution") and protected:
            source = cell.get("source", "")
            out[meta["grade_id"]] = "".join(source) if isinstance(source, list) else source
    return out


def _json(path: Path) -> dict:
    return json.loads(path.read_bytes().decode("utf-8"))


def _learner_code(nb: dict, protected: dict[str, str]) -> list[tuple[str, str, bool]]:
    """(label, source, is an answer cell) of every code cell the learner wrote or could change."""
    out = []
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id in protected:
            continue  # nbgrader runs the released source of these cells
        source = "".join(cell.get("source", ""))
        out.append((grade_id or f"cell {index}", source, bool(meta.get("solution"))))
    return out


def _classify(
    root: Path, section: str, student: str, expected: list[str], release: dict | None = None
) -> tuple[str, str]:
    """Status of a submission nbgrader graded: look at what was submitted and what ran.

    Notes that do not change the status (output cut at the limit, code that reaches into
    the grader's objects) are added to the detail."""
    ag = root / "autograder"
    tampered, timeouts, errors, notes = [], [], [], []
    for name in expected:
        if release is not None and name in release:
            release_cells = release[name]
        else:
            release_cells = _protected_cells(_json(root / "course" / section / name))
        submitted = ag / "submitted" / student / section / name
        if not submitted.is_file():
            errors.append(f"{name} missing")
            continue
        submitted_nb = _json(submitted)
        mine = _protected_cells(submitted_nb)
        for grade_id, source in release_cells.items():
            if grade_id not in mine:
                tampered.append(f"{grade_id} deleted")
            elif mine[grade_id].strip() != source.strip():
                tampered.append(f"{grade_id} edited")
        for label, source, answer in _learner_code(submitted_nb, release_cells):
            notes += [f"review {label}: {x}" for x in tamper.suspicious(source, answer)]
        graded_path = ag / "autograded" / student / section / name
        if not graded_path.is_file():
            continue
        for index, cell in enumerate(_json(graded_path).get("cells", [])):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            label = meta.get("grade_id") or f"cell {index}"
            for out in cell.get("outputs", []):
                if TRUNCATED_NOTICE in "".join(out.get("text", "")):
                    notes.append(f"output over the limit cut in {label}")
                if out.get("output_type") != "error":
                    continue
                if out.get("ename") in ("KeyboardInterrupt", "CellTimeoutError"):
                    timeouts.append(label)
                elif not meta.get("grade"):  # a failing test cell is just a lost point
                    first = (out.get("evalue") or "").strip().splitlines()[:1]
                    errors.append(f"{label}: {out.get('ename')}: {''.join(first)[:120]}")
    if timeouts:
        status, detail = TIMED_OUT, "cell time limit hit in " + ", ".join(timeouts)
    elif tampered:
        status = TAMPERED
        detail = "; ".join(tampered) + " (nbgrader put the released cell back and graded that)"
    elif errors:
        status, detail = ERRORED_CELL, "; ".join(errors)
    else:
        status, detail = GRADED, ""
    return status, "; ".join([x for x in [detail, *notes[:5]] if x])


@dataclass(frozen=True)
class Sandbox:
    """How submissions' kernels are isolated (see :mod:`mlsd.grading.sandbox`)."""

    enabled: bool = True
    memory_mb: int = sandbox.DEFAULT_MEMORY_MB
    cpu_seconds: int = sandbox.DEFAULT_CPU_SECONDS
    processes: int = sandbox.DEFAULT_PROCESSES

    def check(self) -> None:
        if self.enabled:
            sandbox.bwrap_path()
            sandbox.SandboxSpec(self.memory_mb, self.cpu_seconds, self.processes)

    def worker_options(self) -> list[str]:
        if not self.enabled:
            return ["--no-sandbox"]
        return [
            f"--memory-mb={self.memory_mb}",
            f"--cpu-seconds={self.cpu_seconds}",
            f"--processes={self.processes}",
        ]


def worker_command(ag: Path, section: str, timeout: int, box: Sandbox) -> list[str]:
    """The command of one long-lived grading worker (:mod:`mlsd.grading.worker`)."""
    return [
        sys.executable,
        "-m",
        "mlsd.grading.worker",
        str(ag),
        section,
        str(timeout),
        *box.worker_options(),
    ]


def _run_workers(
    root: Path,
    section: str,
    students: list[str],
    workers: int,
    timeout: int,
    student_limit: float,
    on_result: Callable[[str, str, str, float], None],
    box: Sandbox = Sandbox(),
) -> None:
    """Grade ``students`` with ``workers`` long-lived processes; ``on_result(student,
    outcome, detail, seconds)`` with outcome "done", "failed" or "timed out"."""
    ag = root / "autograder"
    logs = ag / "reports"
    logs.mkdir(parents=True, exist_ok=True)
    todo = deque(students)
    events: queue.Queue = queue.Queue()
    active: list[_Worker] = []
    retried: Counter = Counter()
    remaining = len(students)

    def spawn(index: int) -> _Worker:
        err = open(logs / f"{section}-worker-{index}.log", "a")  # noqa: SIM115 - lives with proc
        proc = subprocess.Popen(
            worker_command(ag, section, timeout, box),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            cwd=ag,
            env=course.tool_env(),
        )
        worker = _Worker(proc)

        def pump() -> None:
            for line in proc.stdout:
                try:
                    events.put((worker, json.loads(line)))
                except json.JSONDecodeError:
                    continue
            events.put((worker, None))

        threading.Thread(target=pump, daemon=True).start()
        return worker

    def feed(worker: _Worker) -> None:
        if todo:
            worker.student, worker.sent, worker.started = todo.popleft(), time.monotonic(), None
            worker.proc.stdin.write(worker.student + "\n")
            worker.proc.stdin.flush()
        else:
            worker.student = None
            worker.proc.stdin.close()

    for index in range(min(workers, len(students))):
        active.append(spawn(index))
        feed(active[-1])
    spawned = len(active)
    while remaining:
        try:
            worker, record = events.get(timeout=0.25)
        except queue.Empty:
            worker, record = None, None
        now = time.monotonic()
        if worker is not None and worker in active:
            if record is None:  # the worker died on its own
                active.remove(worker)
                if worker.student:
                    remaining -= 1
                    on_result(worker.student, "failed", "grading process died", now - worker.sent)
                if todo:
                    active.append(spawn(spawned))
                    spawned += 1
                    feed(active[-1])
            elif record["event"] == "start":
                worker.started = now
            elif record["event"] == "done":
                student = record["student"]
                outcome, text = outcome_of(record)
                if outcome == "failed" and "database is locked" in text and not retried[student]:
                    retried[student] += 1
                    todo.append(student)
                else:
                    remaining -= 1
                    on_result(student, outcome, text, record["seconds"])
                feed(worker)
        # the wall-clock limit: a student's grading starts when the worker picks it up
        for w in list(active):
            if w.student is None:
                continue
            begun = w.started if w.started is not None else w.sent + 60.0
            if now - begun > student_limit:
                student = w.student
                kill_tree(w.proc)
                active.remove(w)
                remaining -= 1
                on_result(
                    student, "timed out", f"over the {student_limit:.0f} s limit", now - w.sent
                )
                if todo:
                    active.append(spawn(spawned))
                    spawned += 1
                    feed(active[-1])
    for w in active:
        if w.proc.stdin and not w.proc.stdin.closed:
            w.proc.stdin.close()
        try:
            w.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_tree(w.proc)


def _scores(root: Path, section: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import MissingEntry

    out = {}
    with _gradebook(root) as gb:
        try:
            for sub in gb.find_assignment(section).submissions:
                out[sub.student.id] = (float(sub.score), float(sub.max_score))
        except MissingEntry:
            pass
    return out


def autograde(
    root: Path,
    section: str,
    workers: int = DEFAULT_WORKERS,
    timeout: int = 60,
    student_limit: float | None = None,
    force: bool = False,
    log: Log = _print,
    box: Sandbox = Sandbox(),
    dask=None,
) -> list[Result]:
    """Grade every submission of ``section`` and return one :class:`Result` each.

    ``timeout`` is nbgrader's per-cell limit (s); ``student_limit`` the wall-clock limit for a
    whole submission (default ``3 * timeout + 60``). Submissions whose files did not change
    since the last run keep their result unless ``force``. Writes
    ``autograder/reports/<section>-autograde.{json,csv}``. Kernels run in the sandbox ``box``
    describes. ``dask``: a Dask scheduler address or cluster to grade on instead of
    ``workers`` local processes (see :mod:`mlsd.grading.dask_backend`)."""
    _check_section(root, section)
    if not 1 <= workers <= 64:
        raise ValueError(f"workers={workers} must be between 1 and 64")
    if not 1 <= timeout <= 3600:
        raise ValueError(f"timeout={timeout} must be between 1 and 3600 seconds")
    limit = float(student_limit or 3 * timeout + 60)
    box.check()
    ag = root / "autograder"
    expected = _expected_notebooks(root, section)
    with _gradebook(root) as gb:
        if section not in {a.name for a in gb.assignments}:
            raise ValueError(f"section={section!r} is not in the gradebook: `mlsd grade release`")
    state_path = ag / "reports" / f"{section}-autograde.json"
    state = json.loads(state_path.read_text()) if state_path.exists() and not force else {}
    folders = sorted(p for p in (ag / "submitted").glob(f"*/{section}") if p.is_dir())
    if not folders:
        raise FileNotFoundError(f"no submissions under autograder/submitted/*/{section}/")
    backup_gradebook(root, log)
    results: dict[str, Result] = {}
    to_grade = []
    in_gradebook = _scores(root, section)  # another gradebook (URL) than last run: regrade
    for folder in folders:
        student, digest = folder.parent.name, _digest(folder)
        previous = state.get(student)
        unchanged = previous and previous.get("digest") == digest
        screened = previous and previous.get("status") in (MALFORMED, MISSING)
        if unchanged and (student in in_gradebook or screened):
            results[student] = Result(**previous)
            continue
        problem = _screen(folder, expected)
        if problem:
            results[student] = Result(student, problem[0], 0.0, None, problem[1], 0.0, digest)
        else:
            to_grade.append(student)
            results[student] = Result(student, GRADER_ERROR, digest=digest)
    total, done, failures = len(to_grade), 0, 0
    release = {n: _protected_cells(_json(root / "course" / section / n)) for n in expected}
    unfinished: set[str] = set()
    reused = len(folders) - total
    log(
        f"{section}: {len(folders)} submission(s), {total} to grade "
        + (f"on Dask at {dask}" if dask is not None else f"with {workers} worker(s)")
        + ("" if box.enabled else ", NOT sandboxed")
        + (f", {reused} unchanged or ungradable" if reused else "")
    )

    def on_result(student: str, outcome: str, detail: str, seconds: float) -> None:
        nonlocal done, failures
        done += 1
        if outcome != "done":
            unfinished.add(student)
        result = results[student]
        result.seconds = round(seconds, 2)
        log_dir = ag / "reports" / f"{section}-logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / f"{student}.log").write_text(detail)
        if outcome == "done":
            result.status, result.detail = _classify(root, section, student, expected, release)
        elif outcome == "timed out":
            result.status, result.detail = TIMED_OUT, detail
        elif re.search(r"CellTimeoutError|TimeoutError|Timeout waiting", detail):
            # the cell ignored nbgrader's interrupt (SIGINT): nbgrader gives up on the notebook
            result.status = TIMED_OUT
            result.detail = "a cell ignored the interrupt at the per-cell limit; not graded"
        else:
            lines = [x for x in detail.strip().splitlines() if x.strip()]
            result.status = GRADER_ERROR
            result.detail = (lines[-1] if lines else "")[:200] + f" (log: {log_dir.name}/)"
        failures += result.status != GRADED
        log(
            f"[{done}/{total}] {student}: {result.status} ({seconds:.1f} s); "
            f"failures so far: {failures}"
        )

    if to_grade:
        if dask is None:
            _run_workers(root, section, to_grade, workers, timeout, limit, on_result, box)
        else:
            from mlsd.grading.dask_backend import run_on_dask

            command = worker_command(ag, section, timeout, box)
            run_on_dask(dask, command, str(ag), to_grade, limit, on_result)
    scores = _scores(root, section)
    max_points = _max_points(root, section)
    for student, result in results.items():
        ran = result.status in (GRADED, ERRORED_CELL, TAMPERED) or (
            result.status == TIMED_OUT and result.detail.startswith("cell time limit")
        )
        if ran and student not in unfinished and student in scores:
            # read again on every run: manual grades entered in formgrader count too
            result.score = scores[student][0]
        else:
            result.score = 0.0  # not graded, or stopped mid-run (gradebook rows are partial)
        result.max_score = max_points
    ordered = [results[s] for s in sorted(results)]
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps({r.student: asdict(r) for r in ordered}, indent=1))
    _write_report(ag / "reports" / f"{section}-autograde.csv", ordered)
    log(f"{'student':20} {'status':24} {'score':>11}  detail")
    for r in ordered:
        score = "-" if r.score is None else f"{r.score:g}/{r.max_score:g}"
        log(f"{r.student:20} {r.status:24} {score:>11}  {r.detail}")
    return ordered


def _max_points(root: Path, section: str) -> float:
    with _gradebook(root) as gb:
        return float(gb.find_assignment(section).max_score)


def _write_report(path: Path, results: list[Result]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "score", "max_score", "seconds", "detail"])
        for r in results:
            writer.writerow([r.student, r.status, r.score, r.max_score, r.seconds, r.detail])


# ----------------------------------------------------------------------------- feedback


def hidden_lines(root: Path, section: str) -> list[str]:
    """The distinctive lines of every hidden-test region of a section's source notebooks."""
    lines = []
    for path in (root / "solutions" / section).glob("*.ipynb"):
        for cell in nbformat.read(path, 4).cells:
            for region in regions(cell.source, BEGIN_HIDDEN, END_HIDDEN):
                lines += [x.strip() for x in region.splitlines() if len(x.strip()) >= 12]
    return lines


def html_text(page: str) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaks(page: str, secret_lines: list[str]) -> list[str]:
    text = html_text(page)
    return [line for line in secret_lines if line in text]


def feedback(root: Path, section: str, log: Log = _print) -> list[Path]:
    """``nbgrader generate_feedback``; warn about any hidden-test line visible in the HTML
    (a failing hidden assert still shows in its traceback: nbgrader behaviour)."""
    _check_section(root, section)
    course.nbgrader(root, "generate_feedback", section, "--force")
    pages = sorted((root / "autograder" / "feedback").glob(f"*/{section}/*.html"))
    secret = hidden_lines(root, section)
    for page in pages:
        found = leaks(page.read_text("utf-8"), secret)
        if found:
            log(f"warning: {page.relative_to(root)} shows hidden-test line(s): {found[:3]}")
    log(f"feedback: {len(pages)} HTML file(s) under autograder/feedback/*/{section}/")
    return pages


# ----------------------------------------------------------------------------- export


def export(root: Path, out: Path, per_question: Path | None = None, log: Log = _print) -> int:
    """One row per student and section (grades.csv); optionally one per question."""
    from nbgrader.api import MissingEntry

    rows, questions = [], []
    with _gradebook(root) as gb:
        for student in sorted(gb.students, key=lambda s: s.id):
            for assignment in sorted(gb.assignments, key=lambda a: a.name):
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    rows.append(
                        [
                            student.id,
                            student.first_name,
                            student.last_name,
                            student.email,
                            assignment.name,
                            0.0,
                            float(assignment.max_score),
                            "no submission",
                        ]
                    )
                    continue
                status = "needs manual grade" if sub.needs_manual_grade else "graded"
                rows.append(
                    [
                        student.id,
                        student.first_name,
                        student.last_name,
                        student.email,
                        assignment.name,
                        float(sub.score),
                        float(sub.max_score),
                        status,
                    ]
                )
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        questions.append(
                            [
                                student.id,
                                assignment.name,
                                nb.name,
                                grade.name,
                                float(grade.score),
                                float(grade.max_score),
                                grade.auto_score,
                                grade.manual_score,
                                bool(grade.needs_manual_grade),
                            ]
                        )
    out = Path(out)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "student",
                "first_name",
                "last_name",
                "email",
                "section",
                "score",
                "max_score",
                "status",
            ]
        )
        writer.writerows(rows)
    log(f"wrote {len(rows)} row(s) to {out}")
    if per_question is not None:
        with Path(per_question).open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "student",
                    "section",
                    "notebook",
                    "question",
                    "score",
                    "max_score",
                    "auto_score",
                    "manual_score",
                    "needs_manual_grade",
                ]
            )
            writer.writerows(questions)
        log(f"wrote {len(questions)} row(s) to {per_question}")
    return len(rows)


# ----------------------------------------------------------------------------- stats


@dataclass
class QuestionStats:
    question: str
    max_score: float
    n: int
    passed: float  # share of submissions with full marks
    mean: float
    distribution: dict[float, int]
    failures: list[tuple[str, int]]


def failure_messages(root: Path, section: str) -> dict[str, Counter]:
    """grade id -> Counter of "Ename: first line" from the autograded notebooks' test cells."""
    out: dict[str, Counter] = {}
    for path in (root / "autograder" / "autograded").glob(f"*/{section}/*.ipynb"):
        try:
            nb = nbformat.read(path, 4)
        except Exception:
            continue
        for cell in nb.cells:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if not grade_id:
                continue
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    first = (output.get("evalue") or "").strip().splitlines()[:1]
                    message = f"{output.get('ename')}: {''.join(first)}"[:200]
                    out.setdefault(grade_id, Counter())[message] += 1
    return out


def question_stats(root: Path, section: str) -> list[QuestionStats]:
    _check_section(root, section)
    scores: dict[str, list[float]] = {}
    max_scores: dict[str, float] = {}
    with _gradebook(root) as gb:
        for sub in gb.find_assignment(section).submissions:
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score:
                        scores.setdefault(grade.name, []).append(float(grade.score))
                        max_scores[grade.name] = float(grade.max_score)
    messages = failure_messages(root, section)
    order = [
        cell.metadata["nbgrader"]["grade_id"]
        for path in sorted((root / "solutions" / section).glob("*.ipynb"))
        for cell in nbformat.read(path, 4).cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") in scores
    ]
    out = []
    for q in order:
        values = scores[q]
        out.append(
            QuestionStats(
                question=q,
                max_score=max_scores[q],
                n=len(values),
                passed=sum(v >= max_scores[q] for v in values) / len(values),
                mean=sum(values) / len(values),
                distribution=dict(sorted(Counter(values).items())),
                failures=messages.get(q, Counter()).most_common(3),
            )
        )
    return out


def stats(root: Path, section: str, out: Path, log: Log = _print) -> list[QuestionStats]:
    """A self-contained HTML report: a table and a plotly chart per question."""
    import plotly.graph_objects as go
    from plotly.colors import qualitative
    from plotly.subplots import make_subplots

    rows = question_stats(root, section)
    if not rows:
        raise ValueError(f"section={section!r} has no graded submissions yet; autograde first")
    safe = qualitative.Safe
    names = [r.question for r in rows]
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("Share of the class with full marks", "Score spread")
    )
    fig.add_trace(
        go.Bar(x=names, y=[100 * r.passed for r in rows], marker_color=safe[0], name="passed"),
        row=1,
        col=1,
    )
    for i, r in enumerate(rows):
        values = [v for v, n in r.distribution.items() for _ in range(n)]
        fig.add_trace(
            go.Box(
                y=[100 * v / r.max_score for v in values],
                name=r.question,
                marker_color=safe[(i + 1) % len(safe)],
                boxpoints="all",
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    fig.update_yaxes(title_text="students with full marks (%)", range=[0, 100], row=1, col=1)
    fig.update_yaxes(title_text="score (% of the question's points)", range=[-5, 105], row=1, col=2)
    fig.update_xaxes(title_text="question (grade id)")
    fig.update_layout(title=f"{section}: per-question results", height=520, showlegend=False)
    chart = fig.to_html(full_html=False, include_plotlyjs=True)
    body = []
    for r in rows:
        dist = ", ".join(f"{v:g} pts: {n}" for v, n in r.distribution.items())
        fails = "<br>".join(f"{html.escape(m)} (&times;{n})" for m, n in r.failures) or "&ndash;"
        body.append(
            f"<tr><td>{html.escape(r.question)}</td><td>{r.max_score:g}</td><td>{r.n}</td>"
            f"<td>{100 * r.passed:.0f}%</td><td>{r.mean:.2f}</td><td>{dist}</td>"
            f"<td>{fails}</td></tr>"
        )
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(section)} statistics</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}"
        "</style></head><body>"
        f"<h1>{html.escape(section)}: per-question statistics</h1>"
        "<table class='mlsd-stats'><tr><th>question</th><th>points</th><th>submissions</th>"
        "<th>full marks</th><th>mean score</th><th>score distribution</th>"
        "<th>most common failures</th></tr>" + "".join(body) + "</table>" + chart + "</body></html>"
    )
    Path(out).write_text(page, encoding="utf-8")
    log(f"wrote {out} ({len(rows)} question(s))")
    return rows
