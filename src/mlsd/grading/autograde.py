"""Autograding a section: screen every submission, grade the rest on a backend (local worker
processes or Dask), classify what happened, and write the report.

Everything works on the nbgrader course root ``autograder/`` of a checkout (``root``) and
leaves nbgrader's own layout (``submitted/``, ``autograded/``, ``feedback/``, the gradebook)
exactly as nbgrader expects it, so ``nbgrader`` commands and formgrader keep working.
"""

from __future__ import annotations

import csv
import json
import os
import re
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from mlsd.grading import sandbox, similarity, untrusted
from mlsd.grading.backends import Backend, Job
from mlsd.grading.classify import classify, copy_notes, protected_cells, read_json
from mlsd.grading.gradebook import backup_gradebook, max_points, open_gradebook, scores
from mlsd.grading.layout import Log, check_section, expected_notebooks, print_log
from mlsd.grading.screen import QUARANTINE, digest, quarantine_folder, screen
from mlsd.grading.settings import SandboxSettings, SubmissionLimits
from mlsd.grading.status import SCREENED_OUT, Status


@dataclass
class Result:
    student: str
    status: Status
    score: float | None = None
    max_score: float | None = None
    detail: str = ""
    seconds: float = 0.0
    digest: str = ""

    @classmethod
    def from_state(cls, record: dict) -> Result:
        """A result kept in ``reports/<section>-autograde.json`` by an earlier run."""
        return cls(**(record | {"status": Status(record["status"])}))


def backend_for(job: Job, workers: int | None = None, dask=None) -> Backend:
    """Dask when ``dask`` (a scheduler address or cluster) is given, else ``workers`` local
    processes (default :func:`mlsd.grading.backends.local.default_workers`)."""
    if dask is not None:
        from mlsd.grading.backends.dask import DaskCluster

        return DaskCluster(job, dask)
    from mlsd.grading.backends.local import LocalPool, default_workers

    return LocalPool(job, default_workers() if workers is None else workers)


def autograde(
    root: Path,
    section: str,
    workers: int | None = None,
    timeout: int = 60,
    student_limit: float | None = None,
    force: bool = False,
    log: Log = print_log,
    settings: SandboxSettings | None = None,
    dask=None,
    limits: SubmissionLimits | None = None,
) -> list[Result]:
    """Grade every submission of ``section`` and return one :class:`Result` each.

    ``timeout`` is nbgrader's per-cell limit (s); ``student_limit`` the wall-clock limit for a
    whole submission (default ``3 * timeout + 60``). Submissions whose files did not change
    since the last run keep their result unless ``force``. Writes
    ``autograder/reports/<section>-autograde.{json,csv}``. Kernels run in the sandbox
    ``settings`` describes (default :class:`SandboxSettings`). ``dask``: a Dask scheduler
    address or cluster to grade on instead of ``workers`` local processes (default: cores +
    1, as memory allows; see :mod:`mlsd.grading.backends`). ``limits``: the largest
    notebook (bytes, cells) graded (default :class:`SubmissionLimits`).

    Nothing in a submission folder is trusted: entries that are not regular files or
    folders are moved to ``autograder/quarantine/<student>/<section>/`` first (and named in
    the status detail), hard links replaced by copies."""
    check_section(root, section)
    if not 1 <= timeout <= 3600:
        raise ValueError(f"timeout={timeout} must be between 1 and 3600 seconds")
    limit = float(student_limit or 3 * timeout + 60)
    settings = SandboxSettings() if settings is None else settings
    limits = SubmissionLimits() if limits is None else limits
    ag = root / "autograder"
    backend = backend_for(Job(ag, section, timeout, limit, settings), workers, dask)
    if settings.enabled:
        sandbox.bwrap_path()
    expected = expected_notebooks(root, section)
    with open_gradebook(root) as gb:
        if section not in {a.name for a in gb.assignments}:
            raise ValueError(f"section={section!r} is not in the gradebook: `mlsd grade release`")
    state_path = ag / "reports" / f"{section}-autograde.json"
    state = json.loads(state_path.read_text()) if state_path.exists() and not force else {}
    folders, linked = submission_folders(ag, section)
    if not folders and not linked:
        raise FileNotFoundError(f"no submissions under autograder/submitted/*/{section}/")
    backup_gradebook(root, log)
    results: dict[str, Result] = {}
    for student, note in linked.items():
        results[student] = Result(student, Status.MISSING, 0.0, None, note)
    to_grade = []
    in_gradebook = scores(root, section)  # another gradebook (URL) than last run: regrade
    notes: dict[str, list[str]] = {}
    for folder in folders:
        student = folder.parent.name
        try:
            notes[student] = quarantine_folder(ag, student, section, folder)
        except OSError as exc:
            detail = f"{exc.strerror}; not graded"
            results[student] = Result(student, Status.MALFORMED, 0.0, None, detail)
            continue
        files_digest = digest(folder)
        previous = state.get(student)
        unchanged = previous and previous.get("digest") == files_digest
        screened = previous and previous.get("status") in SCREENED_OUT
        if unchanged and (student in in_gradebook or screened):
            results[student] = Result.from_state(previous)
            continue
        problem = screen(folder, expected, limits)
        if problem:
            detail = _with_notes(problem[1], notes[student])
            results[student] = Result(student, problem[0], 0.0, None, detail, 0.0, files_digest)
        else:
            to_grade.append(student)
            results[student] = Result(student, Status.GRADER_ERROR, digest=files_digest)
    total, done, failures = len(to_grade), 0, 0
    release = {n: protected_cells(read_json(root / "course" / section / n)) for n in expected}
    unfinished: set[str] = set()
    reused = len(results) - total
    log(
        f"{section}: {len(results)} submission(s), {total} to grade "
        + backend.describe()
        + ("" if settings.enabled else ", NOT sandboxed")
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
            result.status, result.detail = classify(root, section, student, expected, release)
            result.detail = _with_notes(result.detail, notes.get(student, []))
        elif outcome == "timed out":
            result.status, result.detail = Status.TIMED_OUT, detail
        elif re.search(r"CellTimeoutError|TimeoutError|Timeout waiting", detail):
            # the cell ignored nbgrader's interrupt (SIGINT): nbgrader gives up on the notebook
            result.status = Status.TIMED_OUT
            result.detail = "a cell ignored the interrupt at the per-cell limit; not graded"
        else:
            lines = [x for x in detail.strip().splitlines() if x.strip()]
            result.status = Status.GRADER_ERROR
            result.detail = (lines[-1] if lines else "")[:200] + f" (log: {log_dir.name}/)"
        failures += result.status != Status.GRADED
        log(
            f"[{done}/{total}] {student}: {result.status} ({seconds:.1f} s); "
            f"failures so far: {failures}"
        )

    if to_grade:
        similarity.prefetch_package_functions()  # needed by copy_notes below
        backend.run(to_grade, on_result)
    graded_scores = scores(root, section)
    section_points = max_points(root, section)
    for student, result in results.items():
        ran = result.status in (Status.GRADED, Status.ERRORED_CELL, Status.TAMPERED) or (
            result.status == Status.TIMED_OUT and result.detail.startswith("cell time limit")
        )
        if ran and student not in unfinished and student in graded_scores:
            # read again on every run: manual grades entered in formgrader count too
            result.score = graded_scores[student][0]
        else:
            result.score = 0.0  # not graded, or stopped mid-run (gradebook rows are partial)
        result.max_score = section_points
    for student, notes in copy_notes(root, section, sorted(results), expected).items():
        new = [n for n in notes if n not in results[student].detail]
        results[student].detail = "; ".join(x for x in (results[student].detail, *new) if x)
    ordered = [results[s] for s in sorted(results)]
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_text(json.dumps({r.student: asdict(r) for r in ordered}, indent=1))
    write_report(ag / "reports" / f"{section}-autograde.csv", ordered)
    log(f"{'student':20} {'status':24} {'score':>11}  detail")
    for r in ordered:
        score = "-" if r.score is None else f"{r.score:g}/{r.max_score:g}"
        log(f"{r.student:20} {r.status:24} {score:>11}  {r.detail}")
    return ordered


def submission_folders(ag: Path, section: str) -> tuple[list[Path], dict[str, str]]:
    """The real folders ``submitted/<student>/<section>/``, and for each student whose
    folder (or section folder) is a link or not a folder, a note: that entry itself is moved
    to the quarantine, never followed."""
    folders, linked = [], {}
    submitted = ag / "submitted"
    for student_dir in sorted(submitted.iterdir()) if submitted.is_dir() else []:
        for path in (student_dir, student_dir / section):
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                break
            if stat.S_ISDIR(mode):
                continue
            aside = ag / QUARANTINE / student_dir.name / section / "_folder"
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.rename(path, aside)
            what = untrusted.kind(mode)
            linked[student_dir.name] = f"{path.relative_to(ag)} was a {what}: moved to quarantine"
            break
        else:
            folders.append(student_dir / section)
    return folders, linked


def _with_notes(detail: str, notes: list[str]) -> str:
    if not notes:
        return detail
    moved = "quarantined: " + ", ".join(notes[:5]) + (" ..." if len(notes) > 5 else "")
    return "; ".join(x for x in (detail, moved) if x)


def write_report(path: Path, results: list[Result]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "status", "score", "max_score", "seconds", "detail"])
        for r in results:
            writer.writerow([r.student, r.status, r.score, r.max_score, r.seconds, r.detail])
