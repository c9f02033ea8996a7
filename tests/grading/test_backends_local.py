"""The local backend (:mod:`mlsd.grading.backends.local`): its default size and the wall-clock
limit per submission, through the real pipeline."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from mlsd import course
from mlsd.grading.autograde import autograde
from mlsd.grading.backends import local
from mlsd.grading.status import Status

from .pipeline_course import SECTION, make_root, place_submissions, reference_answers, submission

GB = 2**30


@pytest.mark.parametrize(
    ("cores", "available_gb", "expected"),
    [
        (2, 16, 3),  # one more than the cores: the extra worker fills kernel start-up waits
        (1, 16, 2),
        (32, 4, 8),  # memory binds: 512 MB per worker and its kernel
        (2, 0.3, 1),  # always at least one
        (256, 1024, 64),  # the pool's own ceiling
    ],
)
def test_default_workers_follow_cores_and_memory(monkeypatch, cores, available_gb, expected):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    memory = SimpleNamespace(available=int(available_gb * GB))
    monkeypatch.setattr(local.psutil, "virtual_memory", lambda: memory)
    assert local.default_workers() == expected


@pytest.mark.slow
def test_wall_clock_limit_kills_a_slow_submission_and_the_batch_goes_on(tmp_path):
    """Every cell under the per-cell limit, the whole notebook over the per-student one."""
    import psutil

    root = make_root(tmp_path / "slow")
    course.nbgrader(root, "generate_assignment", SECTION, "--force")
    ref = reference_answers(root)
    nap = "import time\ntime.sleep(4.5)\n"
    slow = {k: nap + ref[k] for k in ("rubric-total", "rubric-band", "rubric-transcript")}
    answers = {"a-good": ref, "b-slow": ref | slow, "c-good": ref}
    place_submissions(root, {s: submission(root, chosen) for s, chosen in answers.items()})
    results = autograde(root, SECTION, workers=1, timeout=6, student_limit=10, log=lambda m: None)
    status = {r.student: (r.status, r.score) for r in results}
    assert status == {
        "a-good": (Status.GRADED, 7.0),
        "b-slow": (Status.TIMED_OUT, 0.0),
        "c-good": (Status.GRADED, 7.0),
    }
    assert "10 s limit" in results[1].detail
    # the killed worker's kernel is gone too
    leftovers = []
    for proc in psutil.process_iter(["cwd"]):
        if (proc.info.get("cwd") or "").startswith(str(root)):
            leftovers.append(proc.pid)
    assert leftovers == []
