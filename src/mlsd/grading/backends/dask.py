"""Grading on a Dask cluster (``mlsd grade autograde SECTION --dask tcp://HOST:8786``).

One Dask task per submission. The task starts the same grading worker as the local pool
(:mod:`mlsd.grading.worker`, sandbox included) for that one student and kills it at the
wall-clock limit, so a runaway submission costs one task, never a Dask worker. nbgrader inside
it writes that student's rows to the gradebook, as a local worker does.

What a cluster needs (autograder/README.md, "Grading on a Dask cluster"): every Dask worker
machine sees this checkout at the same path (a shared file system) with the same virtual
environment and bubblewrap installed, and the gradebook is a server every machine reaches
(PostgreSQL via ``$MLSD_GRADEBOOK_URL``, set in each worker's environment), not SQLite.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass

from mlsd import course
from mlsd.grading.backends import Job, OnResult
from mlsd.grading.processes import kill_tree
from mlsd.grading.worker import outcome_of


def grade_one(command: list[str], cwd: str, student: str, limit: float) -> dict:
    """Run on a Dask worker: grade ``student`` with one worker process; never raises.

    Returns ``{"student", "outcome": "done" | "failed" | "timed out", "detail", "seconds"}``."""
    start = time.monotonic()
    proc = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=course.tool_env(),
    )
    try:
        out, err = proc.communicate(student + "\n", timeout=limit)
    except subprocess.TimeoutExpired:
        kill_tree(proc)
        seconds = time.monotonic() - start
        return _outcome(student, "timed out", f"over the {limit:.0f} s limit", seconds)
    seconds = time.monotonic() - start
    for line in reversed(out.splitlines()):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("event") == "done":
            return _outcome(student, *outcome_of(record), seconds)
    return _outcome(student, "failed", "grading process died\n" + err[-4000:], seconds)


def _outcome(student: str, outcome: str, detail: str, seconds: float) -> dict:
    return {"student": student, "outcome": outcome, "detail": detail, "seconds": seconds}


@dataclass(frozen=True)
class DaskCluster:
    """Grade on the cluster at ``address``: a scheduler address (``tcp://host:8786``) or a
    ``distributed`` cluster object."""

    job: Job
    address: object

    def describe(self) -> str:
        return f"on Dask at {self.address}"

    def run(self, students: list[str], on_result: OnResult) -> None:
        """``on_result`` as in the local pool, called here, in the instructor's process, as
        each task finishes."""
        from distributed import Client, as_completed

        command, cwd = self.job.worker_command(), str(self.job.autograder)
        limit = self.job.student_limit
        with Client(self.address) as client:
            futures = [
                client.submit(grade_one, command, cwd, student, limit, pure=False)
                for student in students
            ]
            for future in as_completed(futures):
                try:
                    r = future.result()
                except Exception as exc:  # the Dask worker itself was lost: report, go on
                    student = students[futures.index(future)]
                    r = _outcome(student, "failed", f"Dask task failed: {exc!r}", 0.0)
                on_result(r["student"], r["outcome"], r["detail"], r["seconds"])
