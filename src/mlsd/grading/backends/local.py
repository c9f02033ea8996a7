"""Grading on this machine: a pool of long-lived worker processes.

Each worker (:mod:`mlsd.grading.worker`) loads nbgrader once and grades one student at a
time; the pool feeds it student ids, holds the wall-clock limit per submission (killing the
worker and its kernel past it, then starting a fresh one for the rest of the queue) and
reports every student through ``on_result``.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass

import psutil

from mlsd import course
from mlsd.grading.backends import Job, OnResult
from mlsd.grading.processes import kill_tree
from mlsd.grading.worker import outcome_of

# A grading process and its kernel use about 200 MB (peak USS, section 8); leave room for
# submissions that allocate more.
WORKER_MEMORY_MB = 512
MAX_WORKERS = 64


def default_workers() -> int:
    """One worker more than the cores this process may use, as far as memory allows.

    Each submission spends part of its time idle (kernel start-up handshakes, process exits)
    and the extra worker fills it: bench/bench_grading.py on 2 cores, 40 submissions, median
    of 3: 35.9 s with 3 workers, 43.4 s with 2."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    by_memory = psutil.virtual_memory().available // (WORKER_MEMORY_MB << 20)
    return int(max(1, min((cores or 1) + 1, by_memory, MAX_WORKERS)))


@dataclass
class _Worker:
    proc: subprocess.Popen
    student: str | None = None
    sent: float = 0.0
    started: float | None = None


@dataclass(frozen=True)
class LocalPool:
    """``workers`` grading processes on this machine."""

    job: Job
    workers: int

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= MAX_WORKERS:
            raise ValueError(f"workers={self.workers} must be between 1 and {MAX_WORKERS}")

    def describe(self) -> str:
        return f"with {self.workers} worker(s)"

    def run(self, students: list[str], on_result: OnResult) -> None:
        """Grade ``students``; ``on_result(student, outcome, detail, seconds)`` with outcome
        "done", "failed" or "timed out"."""
        ag, section = self.job.autograder, self.job.section
        student_limit = self.job.student_limit
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
                self.job.worker_command(),
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

        for index in range(min(self.workers, len(students))):
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
                        on_result(
                            worker.student, "failed", "grading process died", now - worker.sent
                        )
                    if todo:
                        active.append(spawn(spawned))
                        spawned += 1
                        feed(active[-1])
                elif record["event"] == "start":
                    worker.started = now
                elif record["event"] == "done":
                    student = record["student"]
                    outcome, text = outcome_of(record)
                    if (
                        outcome == "failed"
                        and "database is locked" in text
                        and not retried[student]
                    ):
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
