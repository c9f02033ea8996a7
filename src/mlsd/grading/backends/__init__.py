"""Where submissions are graded: one interface, two backends.

A backend grades a list of students and calls ``on_result(student, outcome, detail,
seconds)`` in the instructor's process as each one finishes, where ``outcome`` is ``"done"``
(nbgrader finished; the gradebook has the rows), ``"failed"`` (nbgrader or its process
failed; ``detail`` holds the log) or ``"timed out"`` (killed at the wall-clock limit).
Both run the same grading worker (:mod:`mlsd.grading.worker`, :func:`worker_command`):

- :class:`mlsd.grading.backends.local.LocalPool`: long-lived worker processes on this machine;
- :class:`mlsd.grading.backends.dask.DaskCluster`: one Dask task per submission.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from mlsd.grading.settings import SandboxSettings

OnResult = Callable[[str, str, str, float], None]


@dataclass(frozen=True)
class Job:
    """What every backend needs to grade a section."""

    autograder: Path  # the nbgrader course root, ``<checkout>/autograder``
    section: str
    timeout: int  # nbgrader's per-cell limit (s)
    student_limit: float  # wall-clock limit for one submission (s)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)

    def worker_command(self) -> list[str]:
        return worker_command(self.autograder, self.section, self.timeout, self.sandbox)


class Backend(Protocol):
    def describe(self) -> str:
        """How grading runs, for the log line (e.g. "with 3 worker(s)")."""

    def run(self, students: list[str], on_result: OnResult) -> None:
        """Grade ``students``; call ``on_result`` once for each of them."""


def worker_command(ag: Path, section: str, timeout: int, sandbox: SandboxSettings) -> list[str]:
    """The command of one long-lived grading worker (:mod:`mlsd.grading.worker`)."""
    return [
        sys.executable,
        "-m",
        "mlsd.grading.worker",
        str(ag),
        section,
        str(timeout),
        *sandbox.to_worker_args(),
    ]
